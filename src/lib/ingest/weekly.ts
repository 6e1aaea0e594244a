/**
 * Counties collect progress every week; the site publishes every month (实施指引 三（一）2).
 * Of several tables of one county for one month, the latest is the month's; the earlier
 * ones are superseded weekly versions: kept in the publishing record, never read into the
 * month's figures, never shown as corrections.
 *
 * Which tables are versions of one another: tables of the same month whose rows all lie in
 * the same county and that share at least one pairing (directly or through another of them).
 * Tables of one county with no pairing in common (a county that splits its table by 乡镇)
 * are not versions; a table over several counties (a province's) never is.
 *
 * The date of a table: the 「截至…」 day of its title, else its 填报日期, else a date in its
 * file name (福贡县_0724.csv, 福贡县（截至7月24日）.csv, 福贡县-2020-07-24.csv); failing
 * all of them, a week number in its name (福贡县-第3周.xlsx). The latest wins. When the
 * dates tie, or some table has none, nothing is picked: an error names every table and asks
 * staff to keep one. Tables of which none has a date are plain duplicates (DUPLICATE_PAIRING).
 */
import { IssueSink, type Issue } from './issues.ts';
import type { FileSummary } from './read-table.ts';
import { normalizeCell } from './cell-values.ts';

/** Where a table's date comes from. */
export type VersionBasis = 'asOf' | 'filledOn' | 'fileName' | 'week';

export interface TableVersion {
  file: string;
  /** YYYY-MM-DD (for `week`: null) */
  date: string | null;
  /** the week number, for `week` */
  week: number | null;
  basis: VersionBasis;
  /** 「截至 7月31日」, 「填报日期 7月31日」, 「文件名 7月31日」, 「第4周」 */
  label: string;
}

/** One county's month with several tables: the one that is the month's, and those it supersedes (oldest first). */
export interface WeeklyChoice {
  month: string;
  countyCode: string;
  county: string;
  kept: TableVersion;
  superseded: TableVersion[];
  /** 「福贡县 2020年7月有 4 份表：以截至 7月31日 的 福贡县-第4周.csv 为本月数据；…」 */
  message: string;
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

function isoDay(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > last) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The date or week a file's name states: 「截至7月24日」, 「2020-07-24」, 「20200724」,
 * 「7月24日」, 「0724」, 「第3周」. A date without a year takes the year of `month`.
 */
export function nameVersion(file: string, month: string | null): { date: string } | { week: number } | null {
  const base = normalizeCell(file.replace(/\\/g, '/').split('/').pop()!.replace(/\.[^.]+$/, ''));
  const year = month ? Number(month.slice(0, 4)) : null;
  let m = /(?<!\d)(\d{4})[-._年]?(\d{1,2})[-._月]?(\d{1,2})日?(?!\d)/.exec(base);
  if (m && (m[0].length === 8 || /[-._年]/.test(m[0]))) {
    const d = isoDay(Number(m[1]), Number(m[2]), Number(m[3]));
    if (d) return { date: d };
  }
  m = /(?<!\d)(\d{1,2})月(\d{1,2})[日号]?/.exec(base);
  if (m && year) {
    const d = isoDay(year, Number(m[1]), Number(m[2]));
    if (d) return { date: d };
  }
  m = /(?<!\d)(\d{2})(\d{2})(?!\d)/.exec(base);
  if (m && year) {
    const d = isoDay(year, Number(m[1]), Number(m[2]));
    if (d) return { date: d };
  }
  m = /第(\d{1,2}|[一二三四五六])周/.exec(base);
  if (m) return { week: CN_DIGITS[m[1]!] ?? Number(m[1]) };
  return null;
}

const dayText = (date: string) => `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
const BASIS_WORD: Record<Exclude<VersionBasis, 'week'>, string> = { asOf: '截至', filledOn: '填报日期', fileName: '文件名所写' };
const baseName = (file: string) => file.replace(/\\/g, '/').split('/').pop()!;

/** A table's version: its date (title 截至, 填报日期, file name), else its week; null when none. */
export function tableVersion(summary: Pick<FileSummary, 'file' | 'month' | 'asOf' | 'filledOn'>): TableVersion | null {
  const { file } = summary;
  const dated = (date: string, basis: Exclude<VersionBasis, 'week'>): TableVersion => ({ file, date, week: null, basis, label: `${BASIS_WORD[basis]} ${dayText(date)}` });
  if (summary.asOf) return dated(summary.asOf, 'asOf');
  if (summary.filledOn) return dated(summary.filledOn, 'filledOn');
  const named = nameVersion(file, summary.month);
  if (!named) return null;
  if ('date' in named) return dated(named.date, 'fileName');
  return { file, date: null, week: named.week, basis: 'week', label: `第${named.week}周` };
}

/** 「截至 7月10日、17日、24日」: one word for the basis, the month said once while it stays the same. */
function versionsText(list: TableVersion[]): string {
  const parts: string[] = [];
  let word = '';
  let month = '';
  for (const v of list) {
    if (v.basis === 'week' || v.date === null) {
      parts.push(v.label);
      word = '';
      continue;
    }
    const w = BASIS_WORD[v.basis];
    const mo = v.date.slice(0, 7);
    const day = mo === month && w === word ? `${Number(v.date.slice(8, 10))}日` : dayText(v.date);
    parts.push(w === word ? day : `${w} ${day}`);
    word = w;
    month = mo;
  }
  return parts.join('、');
}

const monthText = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5))}月`;

/** A table that may be a weekly version: its path, month, summary and the pairings of its rows. */
export interface WeeklyCandidate {
  file: string;
  month: string;
  summary: FileSummary;
  /** the rows' village codes and pairing ids */
  records: ReadonlyArray<{ villageCode: string; pairingId: string }>;
}

/**
 * Among the candidates, the groups of weekly versions and, for each, the month's table:
 * `choices` (decided), `superseded` (paths of the tables replaced) and `issues` (groups that
 * cannot be decided: dates that tie or are missing).
 */
export function chooseWeekly(candidates: ReadonlyArray<WeeklyCandidate>, countyName: (code: string) => string): { choices: WeeklyChoice[]; superseded: Map<string, string>; issues: Issue[] } {
  const choices: WeeklyChoice[] = [];
  const superseded = new Map<string, string>();
  const issues: Issue[] = [];
  // month and county → the tables whose rows all lie in that county
  const buckets = new Map<string, Array<{ c: WeeklyCandidate; pairings: Set<string> }>>();
  for (const c of candidates) {
    if (c.records.length === 0) continue;
    const county = c.records[0]!.villageCode.slice(0, 6);
    if (c.records.some((r) => r.villageCode.slice(0, 6) !== county)) continue;
    const key = `${c.month}|${county}`;
    const list = buckets.get(key) ?? [];
    list.push({ c, pairings: new Set() });
    buckets.set(key, list);
  }
  for (const [key, list] of [...buckets].sort(([a], [b]) => a.localeCompare(b, 'en'))) {
    if (list.length < 2) continue;
    const [month, countyCode] = key.split('|') as [string, string];
    for (const x of list) for (const r of x.c.records) x.pairings.add(r.pairingId);
    for (const group of overlapping(list)) {
      if (group.length < 2) continue;
      const files = group.map((x) => x.c).sort((a, b) => a.file.localeCompare(b.file, 'en'));
      decide(files, month, countyCode, countyName(countyCode), choices, superseded, issues);
    }
  }
  return { choices, superseded, issues };
}

/** The tables that share pairings, directly or through another: connected groups. */
function overlapping<T extends { pairings: Set<string> }>(list: T[]): T[][] {
  const parent = list.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  list.forEach((x, i) => {
    for (const p of x.pairings) {
      const j = owner.get(p);
      if (j === undefined) owner.set(p, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, T[]>();
  list.forEach((x, i) => {
    const g = groups.get(find(i)) ?? [];
    g.push(x);
    groups.set(find(i), g);
  });
  return [...groups.values()];
}

function decide(files: WeeklyCandidate[], month: string, countyCode: string, county: string, choices: WeeklyChoice[], superseded: Map<string, string>, issues: Issue[]): void {
  const dated = files.map((f) => tableVersion(f.summary));
  // Tables of which none states a date are plain duplicates, reported row by row (DUPLICATE_PAIRING).
  if (dated.every((v) => v === null)) return;
  // By date when every table has one; else by the week numbers of their names, when every name has one.
  const weeks = files.map((f): TableVersion | null => {
    const named = nameVersion(f.file, f.summary.month);
    return named && 'week' in named ? { file: f.file, date: null, week: named.week, basis: 'week', label: `第${named.week}周` } : null;
  });
  const allDated = dated.every((v) => v !== null && v.date !== null);
  const allWeeks = weeks.every((v) => v !== null);
  const versions = allDated ? (dated as TableVersion[]) : allWeeks ? (weeks as TableVersion[]) : dated.map((v, i) => v ?? { file: files[i]!.file, date: null, week: null, basis: 'week' as const, label: '没有日期' });
  const keyOf = (v: TableVersion) => (allDated ? v.date! : String(v.week ?? 0).padStart(2, '0'));
  const keys = versions.map(keyOf);
  const tied = new Set(keys.filter((k, i) => keys.indexOf(k) !== i));
  if (!(allDated || allWeeks) || tied.size > 0) {
    const listed = versions.map((v) => `${baseName(v.file)}（${v.label}）`).join('、');
    const why = !(allDated || allWeeks)
      ? '有的表写明了日期、有的没有（或只写了第几周），无法判断哪一份最新'
      : `其中 ${versions.filter((v) => tied.has(keyOf(v))).map((v) => baseName(v.file)).join('、')} 的日期相同，无法判断哪一份最新`;
    for (const f of files) {
      const sink = new IssueSink(f.file);
      if (f.summary.sheet) sink.sheet = f.summary.sheet;
      sink.error(
        'WEEKLY_VERSIONS_UNCLEAR',
        `${county} ${monthText(month)}有 ${files.length} 份表：${listed}。${why}，程序不替你挑选：请只保留本月最新的一份（其余移出文件夹），或在各表标题写明“截至某月某日”、填好填报日期`,
      );
      issues.push(...sink.issues);
    }
    return;
  }
  const ordered = versions.map((v, i) => ({ v: v as TableVersion, key: keys[i]! })).sort((a, b) => a.key.localeCompare(b.key));
  const kept = ordered[ordered.length - 1]!.v;
  const older = ordered.slice(0, -1).map((o) => o.v);
  for (const v of older) superseded.set(v.file, kept.file);
  const message = `${county} ${monthText(month)}有 ${files.length} 份表：以${kept.label} 的 ${baseName(kept.file)} 为本月数据；其余 ${older.length} 份（${versionsText(older)}）是被取代的周报版本`;
  choices.push({ month, countyCode, county, kept, superseded: older, message });
}
