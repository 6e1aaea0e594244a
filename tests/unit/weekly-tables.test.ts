/**
 * Weekly tables in, one month out: of several tables of one county for one month, the latest
 * (by the 「截至…」 of its title, else its 填报日期, else the date or week in its name) is the
 * month's; the others are superseded weekly versions — their rows skipped, archived by
 * data:import under weekly/ and recorded in the manifest, never shown as corrections. Dates
 * that tie, or are missing on some tables, are an error naming every table.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { jsonReport, textReport } from '../../src/lib/ingest/report.ts';
import { nameVersion, tableVersion } from '../../src/lib/ingest/weekly.ts';
import { statedAsOf } from '../../src/lib/ingest/progress-reader/period.ts';
import { publishedSources } from '../../src/lib/filing/sources-fs.ts';
import { SMALL, countsAddUp, countyTable, flatRow, FLAT_HEADER, ingestExports, issuesOf, utf8 } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TITLE = '福贡县社会力量助力挂牌督战村项目结对帮扶项目进展统计表';
const WEEK_DAYS = ['2020-07-10', '2020-07-17', '2020-07-24', '2020-07-31'];
/** 资金已到位 of 青松村 and 白河村 in each week's table (万元): it grows week by week. */
const FUNDS = [
  [92, 46],
  [95, 47],
  [98, 48],
  [100, 50],
];

/** 福贡县's table for week w (0-based): 青松村 and 白河村 × 示例云岭农业科技有限公司, with its 合计. */
function fugongTable(w: number, options: { title?: string; filledOn?: string } = {}): string {
  const [a, b] = FUNDS[w]!;
  const qingsong = ['1', '青松村', '示例云岭农业科技有限公司', '120.5', String(a), '', '30', '30', '', '1', '1', '50', '30', '', '10', '6', '', '40', '30', '', '1', '2'];
  const baihe = ['2', '白河村', '示例云岭农业科技有限公司', '50', String(b), '', '0', '0', '', '0', '0', '20', '25', '', '5', '3', '', '20', '20', '', '0', '0'];
  const total = qingsong.map((cell, i) => (i === 0 ? '合计' : i < 3 || cell === '' ? '' : String(Math.round((Number(cell) + Number(baihe[i])) * 100) / 100)));
  const text = countyTable([qingsong.join(','), baihe.join(',')], total.join(','), options.title ?? TITLE);
  return options.filledOn ? `${text}填报日期：${options.filledOn},,,,,,,,,,,,,,,,,,,,,\n` : text;
}

const asOfTitle = (day: string) => `${TITLE}（截至${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8))}日）`;

type Table = { name: string; text: string };
const four = (list: Table[]) => list as [Table, Table, Table, Table];
/** The four weekly tables told apart by the 「截至…」 of their titles. */
const byTitle = four(WEEK_DAYS.map((day, w) => ({ name: `福贡县-第${w + 1}周.csv`, text: fugongTable(w, { title: asOfTitle(day) }) })));
/** Told apart by their file names only (a date, a 截至 date, a week would not mix: all dates here). */
const byName = four(['福贡县_0710.csv', '福贡县_0717.csv', '福贡县（截至7月24日）.csv', '福贡县_0731.csv'].map((name, w) => ({ name, text: fugongTable(w) })));
/** Told apart by their 填报日期 under the table. */
const byFilledOn = four(WEEK_DAYS.map((day, w) => ({ name: `福贡县-${'甲乙丙丁'[w]}.csv`, text: fugongTable(w, { filledOn: day.replace(/-/g, '/') }) })));

const ingestTables = (tables: Array<{ name: string; text: string }>, month = '2020-07') => ingestExports(tables.map((t) => ({ path: `收文/${month}/${t.name}`, bytes: utf8(t.text), month })));

const fundsOf = (r: ReturnType<typeof ingestTables>) => Object.fromEntries(r.progress.map((p) => [p.villageCode, p.values.fundsDone]));

describe('the date of a table', () => {
  it('reads a title 截至 day, a month end, and the dates and weeks of file names', () => {
    expect(statedAsOf('福贡县……统计表（截至2020年7月24日）', '2020-07')).toBe('2020-07-24');
    expect(statedAsOf('（截至7月24日）', '2020-07')).toBe('2020-07-24');
    expect(statedAsOf('（截至2020年7月底）', null)).toBe('2020-07-31');
    expect(statedAsOf('（截止2020年2月）', null)).toBe('2020-02-29');
    expect(statedAsOf('（截至2020年7月32日）', null)).toBeNull();
    expect(nameVersion('收文/2020-07/福贡县_0724.csv', '2020-07')).toEqual({ date: '2020-07-24' });
    expect(nameVersion('福贡县（截至7月24日）.csv', '2020-07')).toEqual({ date: '2020-07-24' });
    expect(nameVersion('福贡县-2020-07-24.xlsx', '2020-07')).toEqual({ date: '2020-07-24' });
    expect(nameVersion('福贡县20200724.csv', '2020-07')).toEqual({ date: '2020-07-24' });
    expect(nameVersion('福贡县-第3周.xlsx', '2020-07')).toEqual({ week: 3 });
    expect(nameVersion('福贡县第三周.csv', '2020-07')).toEqual({ week: 3 });
    expect(nameVersion('福贡县.csv', '2020-07')).toBeNull();
    expect(nameVersion('福贡县-2020-07.csv', '2020-07')).toBeNull();
    // the title's 截至 comes first, then the 填报日期, then the name
    expect(tableVersion({ file: '福贡县_0701.csv', month: '2020-07', asOf: '2020-07-24', filledOn: '2020-07-25' })).toMatchObject({ date: '2020-07-24', basis: 'asOf', label: '截至 7月24日' });
    expect(tableVersion({ file: '福贡县_0701.csv', month: '2020-07', filledOn: '2020-07-25' })).toMatchObject({ date: '2020-07-25', basis: 'filledOn' });
    expect(tableVersion({ file: '福贡县_0701.csv', month: '2020-07' })).toMatchObject({ date: '2020-07-01', basis: 'fileName' });
  });

  it('keeps the title 截至 day and the 填报日期 on the file summary', () => {
    const r = ingestTables([{ name: '福贡县.csv', text: fugongTable(0, { title: asOfTitle('2020-07-10'), filledOn: '2020年7月11日' }) }]);
    expect(r.ok, textReport(r)).toBe(true);
    expect(r.files.find((f) => f.kind === 'export')).toMatchObject({ asOf: '2020-07-10', filledOn: '2020-07-11' });
  });
});

describe('four weekly tables of one county in one month', () => {
  for (const [variant, tables, message] of [
    ['by the 截至 of their titles', byTitle, '福贡县 2020年7月有 4 份表：以截至 7月31日 的 福贡县-第4周.csv 为本月数据；其余 3 份（截至 7月10日、17日、24日）是被取代的周报版本'],
    ['by their file names', byName, '福贡县 2020年7月有 4 份表：以文件名所写 7月31日 的 福贡县_0731.csv 为本月数据；其余 3 份（文件名所写 7月10日、17日、24日）是被取代的周报版本'],
    ['by their 填报日期', byFilledOn, '福贡县 2020年7月有 4 份表：以填报日期 7月31日 的 福贡县-丁.csv 为本月数据；其余 3 份（填报日期 7月10日、17日、24日）是被取代的周报版本'],
  ] as const) {
    it(`${variant}: the latest is the month's, the others superseded, nothing lost`, () => {
      // given in shuffled order: the order of the files does not matter
      const r = ingestTables([tables[2], tables[0], tables[3], tables[1]]);
      expect(r.ok, textReport(r)).toBe(true);
      expect(issuesOf(r, 'DUPLICATE_PAIRING')).toEqual([]);
      expect(fundsOf(r)).toEqual({ '533323101001': 1_000_000, '533323101002': 500_000 });
      expect(r.progress.every((p) => p.source.file === `收文/2020-07/${tables[3].name}`)).toBe(true);
      expect(r.weekly).toHaveLength(1);
      expect(r.weekly[0]!.message).toBe(message);
      expect(r.weekly[0]!.superseded.map((v) => v.date)).toEqual(WEEK_DAYS.slice(0, 3));
      // the superseded tables' data rows are skipped, with the reason; the counts add up
      for (const t of tables.slice(0, 3)) {
        const s = r.files.find((f) => f.file === `收文/2020-07/${t.name}`)!;
        expect(s).toMatchObject({ supersededBy: `收文/2020-07/${tables[3].name}`, rows: { accepted: 0, rejected: 0 }, skipped: { superseded: 2 } });
      }
      expect(r.files.filter((f) => f.kind === 'export').reduce((n, f) => n + f.rows.accepted, 0)).toBe(2);
      expect(countsAddUp(r)).toBe(true);
      // no correction: no revision, no cumulative decrease
      expect(r.revisions).toEqual([]);
      expect(r.progress.flatMap((p) => p.decreases)).toEqual([]);
      // the reports say which table is the month's
      const text = textReport(r);
      expect(text).toContain(message);
      expect(text).toContain('被取代的周报 6 行');
      expect(jsonReport(r).weekly).toEqual([{ month: '2020-07', county: '福贡县', file: `收文/2020-07/${tables[3].name}`, superseded: tables.slice(0, 3).map((t) => `收文/2020-07/${t.name}`), message }]);
    });
  }

  it('week numbers in the names decide when nothing else dates the tables', () => {
    const r = ingestTables([0, 1, 2, 3].map((w) => ({ name: `福贡县-第${w + 1}周.csv`, text: fugongTable(w) })));
    expect(r.ok, textReport(r)).toBe(true);
    expect(r.weekly[0]!.message).toBe('福贡县 2020年7月有 4 份表：以第4周 的 福贡县-第4周.csv 为本月数据；其余 3 份（第1周、第2周、第3周）是被取代的周报版本');
    expect(fundsOf(r)).toEqual({ '533323101001': 1_000_000, '533323101002': 500_000 });
  });

  it('dates that tie are an error naming every table, and nothing is picked', () => {
    const tied = [byTitle[0], byTitle[1], { name: '福贡县-第2周（重报）.csv', text: byTitle[1].text }];
    const r = ingestTables(tied);
    expect(r.ok).toBe(false);
    const errors = issuesOf(r, 'WEEKLY_VERSIONS_UNCLEAR');
    expect(errors.map((i) => i.file).sort()).toEqual(tied.map((t) => `收文/2020-07/${t.name}`).sort());
    for (const e of errors) {
      expect(e.message).toContain('福贡县 2020年7月有 3 份表：福贡县-第1周.csv（截至 7月10日）、福贡县-第2周.csv（截至 7月17日）、福贡县-第2周（重报）.csv（截至 7月17日）');
      expect(e.message).toContain('其中 福贡县-第2周.csv、福贡县-第2周（重报）.csv 的日期相同');
      expect(e.message).toContain('请只保留本月最新的一份');
    }
    expect(r.weekly).toEqual([]);
    expect(issuesOf(r, 'DUPLICATE_PAIRING').length).toBeGreaterThan(0);
    expect(countsAddUp(r)).toBe(true);
  });

  it('a table without a date among dated ones is an error too', () => {
    const r = ingestTables([byTitle[0]!, { name: '福贡县.csv', text: fugongTable(3) }]);
    expect(r.ok).toBe(false);
    const [e] = issuesOf(r, 'WEEKLY_VERSIONS_UNCLEAR');
    expect(e!.message).toContain('福贡县.csv（没有日期）');
    expect(e!.message).toContain('有的表写明了日期、有的没有');
  });

  it('undated tables with the same pairings stay plain duplicates; a county table split by pairings is not weekly', () => {
    const undated = ingestTables([{ name: '福贡县.csv', text: fugongTable(0) }, { name: '福贡县（县扶贫办）.csv', text: fugongTable(1) }]);
    expect(undated.ok).toBe(false);
    expect(issuesOf(undated, 'WEEKLY_VERSIONS_UNCLEAR')).toEqual([]);
    expect(issuesOf(undated, 'DUPLICATE_PAIRING')).toHaveLength(2);
    // two tables of 福贡县 with no pairing in common, dated differently: both are the month's
    const a = `${FLAT_HEADER}\n${flatRow()}\n`;
    const b = `${FLAT_HEADER}\n${flatRow({ 帮扶村: '白河村', 村代码: '533323101002', '资金计划总投入（万元）': '50', '资金已到位总投入（万元）': '45', '资金计划完成比例（%）': '', '物资计划总投入（万元）': '0', '物资已到位（万元）': '0', '物资计划完成比例（%）': '', '是否有产业扶贫计划（1/0）': '0' })}\n`;
    const split = ingestTables([{ name: '福贡县_0710.csv', text: a }, { name: '福贡县_0731.csv', text: b }]);
    expect(split.weekly).toEqual([]);
    expect(split.progress).toHaveLength(2);
  });
});

describe('data:check and data:import with four weekly tables', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-weekly-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const data = path.join(work, 'data');
  // the small registry, no month published yet
  mkdirSync(data);
  cpSync(path.join(SMALL, 'registry'), path.join(data, 'registry'), { recursive: true });
  cpSync(path.join(SMALL, 'dataset.json'), path.join(data, 'dataset.json'));
  const inbox = path.join(work, '收文', '2020-07');
  mkdirSync(inbox, { recursive: true });
  for (const t of byTitle) writeFileSync(path.join(inbox, t.name), t.text);
  const run = (script: string, args: string[]) => spawnSync(process.execPath, [path.join(ROOT, script), ...args], { cwd: work, env: { ...process.env, DATA_DIR: data }, encoding: 'utf8' });
  const message = '福贡县 2020年7月有 4 份表：以截至 7月31日 的 福贡县-第4周.csv 为本月数据；其余 3 份（截至 7月10日、17日、24日）是被取代的周报版本';

  it('data:check of the inbox says which table is the month\'s and why', () => {
    const r = run('scripts/data-check.ts', ['收文/2020-07/']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(message);
    expect(r.stdout).toContain('合计相符');
    const json = JSON.parse(run('scripts/data-check.ts', ['--json', '收文/2020-07/']).stdout);
    expect(json.rows.read).toBe(json.rows.accepted + json.rows.rejected + json.rows.skipped);
    expect(json.files.filter((f: { kind: string }) => f.kind === 'export').map((f: { rows: { accepted: number } }) => f.rows.accepted)).toEqual([0, 0, 0, 2]);
    expect(json.weekly).toEqual([{ month: '2020-07', county: '福贡县', file: '收文/2020-07/福贡县-第4周.csv', superseded: ['收文/2020-07/福贡县-第1周.csv', '收文/2020-07/福贡县-第2周.csv', '收文/2020-07/福贡县-第3周.csv'], message }]);
  });

  it('data:import files the latest, archives the three others as superseded weekly versions, no correction', () => {
    const r = run('scripts/data-import.ts', ['--month', '2020-07', '--date', '2020-08-05', ...byTitle.map((t) => path.join('收文/2020-07', t.name))]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('已导入 2020年7月：1 个文件（0 个为更正）');
    expect(r.stdout).toContain(message);
    expect(r.stdout).toContain('收文/2020-07/福贡县-第1周.csv → weekly/2020-07/福贡县-第1周.csv');
    expect(existsSync(path.join(data, 'exports/2020-07/福贡县-第4周.csv'))).toBe(true);
    for (const w of [1, 2, 3]) {
      expect(existsSync(path.join(data, `exports/2020-07/福贡县-第${w}周.csv`))).toBe(false);
      expect(readFileSync(path.join(data, `weekly/2020-07/福贡县-第${w}周.csv`), 'utf8')).toBe(byTitle[w - 1]!.text);
    }
    const manifest = JSON.parse(readFileSync(path.join(data, 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.published)).toEqual(['exports/2020-07/福贡县-第4周.csv']);
    expect(manifest.revisions).toEqual([]);
    expect(manifest.superseded).toEqual(
      [1, 2, 3].map((w) => ({
        month: '2020-07',
        file: `weekly/2020-07/福贡县-第${w}周.csv`,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        date: WEEK_DAYS[w - 1],
        basis: 'asOf',
        supersededBy: 'exports/2020-07/福贡县-第4周.csv',
        filedOn: '2020-08-05',
      })),
    );
    // DATA_DIR as the build reads it: one month's figures, the latest table's; no correction
    const result = ingestDataDir(data);
    expect(result.ok, textReport(result)).toBe(true);
    expect(result.months).toEqual(['2020-07']);
    expect(Object.fromEntries(result.progress.map((p) => [p.villageCode, p.values.fundsDone]))).toEqual({ '533323101001': 1_000_000, '533323101002': 500_000 });
    expect(result.revisions).toEqual([]);
    expect(result.progress.flatMap((p) => p.decreases)).toEqual([]);
    // /sources/ publishes the month's table and, beside it, the superseded weekly versions as such
    const { index } = publishedSources(result, data);
    expect(index.list.map((x) => [x.url, x.label, x.supersededBy ?? null, x.publishedOn])).toEqual([
      ['/sources/2020-07/533323.csv', '福贡县-第4周 2020年7月报表', null, '2020-08-05'],
      ...[1, 2, 3].map((w) => [`/sources/2020-07/533323.w${WEEK_DAYS[w - 1]}.csv`, `福贡县-第${w}周 2020年7月报表（被取代的周报版本，截至2020年7月${[10, 17, 24][w - 1]}日）`, 'exports/2020-07/福贡县-第4周.csv', '2020-08-05']),
    ]);
    // an archived weekly version changed by hand is caught
    const archived = path.join(data, 'weekly/2020-07/福贡县-第1周.csv');
    writeFileSync(archived, byTitle[1]!.text);
    try {
      expect(issuesOf(ingestDataDir(data), 'WEEKLY_ARCHIVE_INVALID').map((i) => i.file)).toEqual(['weekly/2020-07/福贡县-第1周.csv']);
    } finally {
      writeFileSync(archived, byTitle[0]!.text);
    }
  });

  it('after publication a later weekly table is a correction: refused as a duplicate under its own name, recorded as a revision under the published name', () => {
    // July's table again, 「截至2020年7月底」, received after the month was published: 青松村's 资金已到位 100 → 101 万元
    const later = fugongTable(3, { title: asOfTitle('2020-07-31').replace('7月31日', '7月底') }).replace('120.5,100,', '120.5,101,').replace('合计,,,170.5,150,', '合计,,,170.5,151,');
    const own = path.join(work, '收文', '福贡县-第5周.csv');
    writeFileSync(own, later);
    const refused = run('scripts/data-import.ts', ['--month', '2020-07', '--date', '2020-08-10', own]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('DUPLICATE_PAIRING');
    const renamed = path.join(work, '收文', '福贡县-第4周.csv');
    writeFileSync(renamed, later);
    const r = run('scripts/data-import.ts', ['--month', '2020-07', '--date', '2020-08-10', '--note', '本月后续周报', renamed]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const result = ingestDataDir(data);
    expect(result.ok, textReport(result)).toBe(true);
    expect(result.revisions).toEqual([expect.objectContaining({ month: '2020-07', date: '2020-08-10', note: '本月后续周报', changes: [expect.objectContaining({ villageCode: '533323101001', metric: 'fundsDone', old: 1_000_000, new: 1_010_000 })] })]);
    expect(JSON.parse(readFileSync(path.join(data, 'manifest.json'), 'utf8')).superseded).toHaveLength(3);
  });
});
