/**
 * The ingest core: registry + monthly exports → exact, validated records and every
 * issue, all at once. Pure (bytes in, records out); `ingest-fs.ts` reads DATA_DIR.
 * The CLI (`npm run data:check`) and the site build both call `ingest`.
 */
import { pushAll } from '../arrays.ts';
import { CUMULATIVE_METRIC_IDS, METRIC_COLUMNS, type ReportedMetricId } from '../metric-catalogue.ts';
import { readExport, type ExportReadResult, type ExportRecord, type ReadExportOptions } from './progress-reader/index.ts';
import { IssueSink, sortIssues, type Issue } from './issues.ts';
import { buildRegistryIndex } from './registry-index.ts';
import { readPairings, readUnits, readVillages } from './registry.ts';
import type { DatasetInfo, Decrease, Pairing, ProgressRecord, Unit, Village } from './records.ts';
import { diffRecords, revisionVersions, sha256, type Manifest, type RevisionWithChanges } from './revisions.ts';
import { newSummary, type FileSummary, type RowCounts } from './read-table.ts';
import { yuanToWanString } from './cell-values.ts';
import { chooseWeekly, type WeeklyCandidate, type WeeklyChoice } from './weekly.ts';

export interface SourceFile {
  /** as shown in reports: relative to DATA_DIR where possible */
  path: string;
  bytes: Uint8Array;
}

export interface IngestInput {
  villages: SourceFile | null;
  units: SourceFile | null;
  pairings: SourceFile | null;
  exports: Array<SourceFile & { month: string | null; role?: ExportRole; replaces?: string | null }>;
  dataset?: DatasetInfo;
  /** problems found while listing files (bad month folders, unreadable files) */
  listingIssues?: Issue[];
  /** data/manifest.json: publish records and revisions (absent: files were not filed with data:import) */
  manifest?: Manifest | null;
  /** archived copies of revised files, by path under DATA_DIR */
  archived?: ReadonlyMap<string, Uint8Array>;
  /** true when `exports` is all of DATA_DIR (so a published file that is absent is missing) */
  complete?: boolean;
  /**
   * The exports that may be weekly versions of one another (weekly.ts): data:import's incoming
   * files. Default: the files from an inbox, and those the manifest does not record as published.
   */
  weeklyCandidates?: ReadonlySet<string>;
}

/**
 * An export's part in a check of given paths: `inbox`, a file from outside DATA_DIR checked
 * as `data:import` would file it; `context`, a published file read only for the checks
 * across files and months (its rows and its own issues are not reported).
 */
export type ExportRole = 'inbox' | 'context';

export interface IngestResult {
  ok: boolean;
  dataset: DatasetInfo;
  villages: Village[];
  units: Unit[];
  pairings: Pairing[];
  progress: ProgressRecord[];
  months: string[];
  files: FileSummary[];
  rows: RowCounts;
  issues: Issue[];
  manifest: Manifest | null;
  /** revisions of published months, oldest first, with the figures they changed */
  revisions: RevisionWithChanges[];
  /** counties' months with several weekly tables: the month's table and the superseded ones */
  weekly: WeeklyChoice[];
}


/** How an export is read: `readExport` itself, or a cache of its results (ingest-cache.ts). */
export type ExportReader = (options: ReadExportOptions) => ExportReadResult;

export function ingest(input: IngestInput, read: ExportReader = readExport): IngestResult {
  const issues: Issue[] = [...(input.listingIssues ?? [])];
  const files: FileSummary[] = [];

  const registryFile = (f: SourceFile | null, name: string, kind: FileSummary['kind']) => {
    if (f) return f;
    const sink = new IssueSink(`registry/${name}`);
    sink.error('FILE_MISSING', `缺少必需的文件 registry/${name}`);
    pushAll(issues, sink.issues);
    files.push(newSummary(`registry/${name}`, kind));
    return null;
  };
  const vf = registryFile(input.villages, 'villages.csv', 'villages');
  const uf = registryFile(input.units, 'units.csv', 'units');
  const pf = registryFile(input.pairings, 'pairings.csv', 'pairings');

  const villages = vf ? readVillages(vf.path, vf.bytes) : null;
  const units = uf ? readUnits(uf.path, uf.bytes) : null;
  for (const r of [villages, units]) {
    if (r) {
      files.push(r.summary);
      pushAll(issues, r.issues);
    }
  }
  const villageMap = new Map((villages?.records ?? []).map((v) => [v.code, v]));
  const unitMap = new Map((units?.records ?? []).map((u) => [u.code, u]));
  const pairings = pf ? readPairings(pf.path, pf.bytes, villageMap, unitMap) : null;
  if (pairings) {
    files.push(pairings.summary);
    pushAll(issues, pairings.issues);
  }
  const registry = buildRegistryIndex(villages?.records ?? [], units?.records ?? [], pairings?.records ?? []);

  // Exports in a stable order: month, then path.
  // Published context first within a month, so a duplicate is reported on the file being checked.
  const rank = (f: { role?: ExportRole }) => (f.role === 'context' ? 0 : 1);
  const exportFiles = [...input.exports].sort((a, b) => (a.month ?? '').localeCompare(b.month ?? '') || rank(a) - rank(b) || a.path.localeCompare(b.path, 'en'));
  const recordsOf = new Map<string, ExportRecord[]>();
  const summaries = new Map<string, FileSummary>();
  const metricColumns = new Map<string, Map<string, number>>();
  const weeklyCandidates: WeeklyCandidate[] = [];
  const isCandidate = (f: (typeof exportFiles)[number]) =>
    input.weeklyCandidates ? input.weeklyCandidates.has(f.path) : f.role === 'inbox' || (f.role === undefined && !input.manifest?.published[f.path]);
  for (const f of exportFiles) {
    const r = read({ file: f.path, bytes: f.bytes, month: f.month, registry });
    summaries.set(f.path, r.summary);
    if (f.role !== 'context') {
      files.push(r.summary);
      pushAll(issues, r.issues);
    }
    recordsOf.set(f.path, r.records);
    metricColumns.set(f.path, r.metricColumns);
    if (f.month !== null && isCandidate(f)) weeklyCandidates.push({ file: f.path, month: f.month, summary: r.summary, records: r.records });
  }
  // Of a county's weekly tables for a month, the latest is the month's: the others' rows are skipped.
  const weekly = chooseWeekly(weeklyCandidates, (code) => registry.counties.get(code)?.name ?? code);
  pushAll(issues, weekly.issues);
  const exportRecords: ExportRecord[] = [];
  for (const [file, records] of recordsOf) {
    const by = weekly.superseded.get(file);
    if (by === undefined) {
      pushAll(exportRecords, records);
      continue;
    }
    const s = summaries.get(file)!;
    s.supersededBy = by;
    s.skipped.superseded = (s.skipped.superseded ?? 0) + s.rows.accepted;
    s.rows.skipped += s.rows.accepted;
    s.rows.accepted = 0;
  }

  const context = new Set(input.exports.filter((f) => f.role === 'context').map((f) => f.path));
  const crossIssues: Issue[] = [];
  const progress = crossCheck(exportRecords, summaries, metricColumns, crossIssues).filter((p) => !context.has(p.source.file));
  // What the published context says about itself was reported when it was checked in full.
  pushAll(issues, crossIssues.filter((i) => !context.has(i.file)));
  const revisions = input.manifest ? checkPublished(input, registry, issues, read, weekly.superseded) : [];
  const months = [...new Set(progress.map((p) => p.month))].sort();
  const rows = files.reduce<RowCounts>(
    (t, f) => ({ read: t.read + f.rows.read, accepted: t.accepted + f.rows.accepted, rejected: t.rejected + f.rows.rejected, skipped: t.skipped + f.rows.skipped }),
    { read: 0, accepted: 0, rejected: 0, skipped: 0 },
  );
  const sorted = sortIssues(issues);
  return {
    ok: !sorted.some((i) => i.severity === 'error'),
    dataset: input.dataset ?? { synthetic: false },
    villages: villages?.records ?? [],
    units: units?.records ?? [],
    pairings: pairings?.records ?? [],
    progress,
    months,
    files,
    rows,
    issues: sorted,
    manifest: input.manifest ?? null,
    revisions,
    weekly: weekly.choices,
  };
}

/** Published files are unchanged unless a revision says so; revisions get their changed figures. */
function checkPublished(input: IngestInput, registry: ReturnType<typeof buildRegistryIndex>, issues: Issue[], read: ExportReader, superseded: ReadonlyMap<string, string>): RevisionWithChanges[] {
  const manifest = input.manifest!;
  const current = new Map(input.exports.map((f) => [f.path, f]));
  for (const f of input.exports) {
    const entry = manifest.published[f.path];
    const sink = new IssueSink(f.path);
    if (f.role === 'inbox') {
      if (f.replaces) sink.warn('WILL_REVISE', `${f.month} 已发布同名文件 ${f.replaces}：用 data:import 导入时，此文件将作为一次更正替换它（原文件存档，网站列出改动的数字）。如果这是另一个县的表，请先改名`);
    } else if (!entry) sink.warn('UNPUBLISHED_FILE', '此文件没有用 npm run data:import 登记：发布日期未知，今后的改动也无法作为更正记录下来');
    else if (entry.sha256 !== sha256(f.bytes)) {
      sink.error('PUBLISHED_FILE_CHANGED', `此文件已于 ${entry.publishedOn} 发布，之后被直接改动过，没有更正记录。请恢复原文件，再用 npm run data:import -- --month ${f.month ?? 'YYYY-MM'} 更正后的文件 提交更正`);
    }
    pushAll(issues, sink.issues);
  }
  if (input.complete) {
    for (const [file, entry] of Object.entries(manifest.published)) {
      if (!current.has(file)) {
        const sink = new IssueSink(file);
        sink.error('PUBLISHED_FILE_MISSING', `此文件已于 ${entry.publishedOn} 发布，但现在找不到了；已发布的数据不能删除，只能更正`);
        pushAll(issues, sink.issues);
      }
    }
  }
  // Revisions are shown from DATA_DIR as a whole; a check of given paths does not show them.
  if (input.exports.some((f) => f.role)) return [];
  // The superseded weekly versions are archived as they were received.
  for (const w of manifest.superseded ?? []) {
    const bytes = input.archived?.get(w.file);
    if (bytes && sha256(bytes) === w.sha256) continue;
    const sink = new IssueSink(w.file);
    sink.error('WEEKLY_ARCHIVE_INVALID', bytes ? `被取代的周报版本 ${w.file}（${w.month}，由 ${w.supersededBy} 取代）存档后被改动过：请从备份或 git 取回原样` : `被取代的周报版本 ${w.file}（${w.month}，由 ${w.supersededBy} 取代）不见了：存档不能删除，请从备份或 git 取回`);
    pushAll(issues, sink.issues);
  }
  const bytesOf = (p: string) => current.get(p)?.bytes ?? input.archived?.get(p) ?? null;
  return revisionVersions(manifest.revisions).map(({ revision, pairs }) => {
    const before: ExportRecord[] = [];
    const after: ExportRecord[] = [];
    // A weekly version superseded in this very import is filed as such, not as part of a revision.
    for (const pair of pairs.filter((p) => !superseded.has(p.file))) {
      for (const [which, list] of [[pair.before, before], [pair.after, after]] as const) {
        if (which === null) continue;
        const bytes = bytesOf(which);
        if (!bytes) {
          const sink = new IssueSink(which);
          sink.error('REVISION_FILE_MISSING', `更正记录 ${revision.id}（${revision.date}）需要的文件 ${which} 不见了`);
          pushAll(issues, sink.issues);
          continue;
        }
        pushAll(list, read({ file: which, bytes, month: revision.month, registry }).records);
      }
    }
    return { ...revision, changes: diffRecords(before, after) };
  });
}

/** Across files and months: one report per pairing per month; cumulative values do not fall silently. */
function crossCheck(records: ExportRecord[], summaries: Map<string, FileSummary>, metricColumns: Map<string, Map<string, number>>, issues: Issue[]): ProgressRecord[] {
  const byMonth = new Map<string, ExportRecord>();
  const kept: ExportRecord[] = [];
  for (const r of records) {
    if (r.month === null) {
      kept.push(r);
      continue;
    }
    const key = `${r.month}/${r.pairingId}`;
    const first = byMonth.get(key);
    if (first) {
      const sink = sinkFor(r);
      const sheet = first.source.sheet ? `工作表“${first.source.sheet}” ` : '';
      const where = first.source.file === r.source.file ? `${sheet}第 ${first.source.row} 行` : `${first.source.file} ${sheet}第 ${first.source.row} 行`;
      sink.error('DUPLICATE_PAIRING', `同一结对（村 ${r.villageCode} × 单位 ${r.unitCode}）在 ${r.month} 已填报过（${where}），同一月份只能有一行`, r.source.row, null);
      pushAll(issues, sink.issues);
      const s = summaries.get(r.source.file);
      if (s) {
        s.rows.accepted--;
        s.rows.rejected++;
      }
      continue;
    }
    byMonth.set(key, r);
    kept.push(r);
  }

  const byPairing = new Map<string, ExportRecord[]>();
  for (const r of kept) {
    if (r.month === null) continue;
    const list = byPairing.get(r.pairingId);
    if (list) list.push(r);
    else byPairing.set(r.pairingId, [r]);
  }
  const decreases = new Map<ExportRecord, Decrease[]>();
  for (const list of byPairing.values()) {
    list.sort((a, b) => a.month!.localeCompare(b.month!));
    const last = new Map<ReportedMetricId, { month: string; value: number | boolean }>();
    for (const r of list) {
      for (const metric of CUMULATIVE_METRIC_IDS) {
        const value = r.values[metric];
        if (value === null) continue;
        const prev = last.get(metric);
        if (prev && Number(value) < Number(prev.value)) {
          const header = METRIC_COLUMNS.find((m) => m.id === metric)!.header;
          const sink = sinkFor(r);
          sink.warn('CUMULATIVE_DECREASE', `${header}：累计值比 ${prev.month} 的 ${fmt(prev.value, metric)} 减少为 ${fmt(value, metric)}；网站将显示为数据更正`, r.source.row, metricColumns.get(r.source.file)?.get(metric) ?? null);
          pushAll(issues, sink.issues);
          const d = decreases.get(r) ?? [];
          d.push({ metric, previousMonth: prev.month, previous: prev.value, current: value });
          decreases.set(r, d);
        }
        last.set(metric, { month: r.month!, value });
      }
    }
  }

  return kept
    .filter((r) => r.month !== null)
    .map((r) => ({
      id: `${r.month}/${r.villageCode}/${r.unitCode}`,
      month: r.month!,
      pairingId: r.pairingId,
      villageCode: r.villageCode,
      unitCode: r.unitCode,
      values: r.values,
      decreases: decreases.get(r) ?? [],
      source: r.source,
    }));
}

/** Issues about a record name its file, and its worksheet when the file is a workbook. */
function sinkFor(r: ExportRecord): IssueSink {
  const sink = new IssueSink(r.source.file);
  if (r.source.sheet) sink.sheet = r.source.sheet;
  return sink;
}

function fmt(v: number | boolean, metric: ReportedMetricId): string {
  if (typeof v === 'boolean') return v ? '1' : '0';
  const kind = METRIC_COLUMNS.find((m) => m.id === metric)?.kind;
  return kind === 'money' ? `${yuanToWanString(v)} 万元` : String(v);
}
