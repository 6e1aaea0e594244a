/**
 * The validation report, for staff (Chinese text) and for machines (`--json`, GUIDE §4).
 * The same text is what a failing `npm run build` prints.
 */
import { ISSUE_CODES } from './issues.ts';
import type { IngestResult } from './ingest.ts';

export interface JsonReport {
  ok: boolean;
  files: Array<{ file: string; kind: string; month: string | null; encoding: string | null; sheet?: string; layout: string | null; county: string | null; rows: IngestResult['rows'] }>;
  rows: IngestResult['rows'];
  issues: IngestResult['issues'];
  /** counties' months with several weekly tables: which is the month's, which are superseded (absent: none) */
  weekly?: Array<{ month: string; county: string; file: string; superseded: string[]; message: string }>;
}

export function jsonReport(result: IngestResult): JsonReport {
  return {
    ok: result.ok,
    files: result.files.map((f) => ({ file: f.file, kind: f.kind, month: f.month, encoding: f.encoding ?? (f.sheet ? 'xlsx' : null), ...(f.sheet ? { sheet: f.sheet } : {}), layout: f.layout, county: f.county, rows: f.rows })),
    rows: result.rows,
    issues: result.issues,
    ...(result.weekly.length > 0 ? { weekly: result.weekly.map((w) => ({ month: w.month, county: w.county, file: w.kept.file, superseded: w.superseded.map((v) => v.file), message: w.message })) } : {}),
  };
}

const nf = new Intl.NumberFormat('zh-CN');

/** Human report: every issue with file, row, column and reason; then the row accounting. */
export function textReport(result: IngestResult, options: { maxIssues?: number } = {}): string {
  return [...textReportLines(result, options)].join('\n');
}

/** The text report written out as it is made, 10,000 lines a piece: a report of a million issues is never one string. */
export function writeTextReport(result: IngestResult, write: (text: string) => void): void {
  let piece: string[] = [];
  for (const line of textReportLines(result)) {
    piece.push(line);
    if (piece.length === 10_000) {
      write(piece.join('\n') + '\n');
      piece = [];
    }
  }
  if (piece.length > 0) write(piece.join('\n') + '\n');
}

/**
 * The same report line by line, so a report of a million issues can be written out as it is
 * made instead of being held whole as one string (`npm run data:check` does).
 */
function* textReportLines(result: IngestResult, options: { maxIssues?: number } = {}): Generator<string> {
  const max = options.maxIssues ?? Infinity;
  const errors = result.issues.filter((i) => i.severity === 'error');
  const warnings = result.issues.filter((i) => i.severity === 'warning');
  // A blank line separates groups; the report does not start with one.
  let started = false;
  function* emit(...items: string[]): Generator<string> {
    for (const item of items) {
      if (!started && item === '') continue;
      started = true;
      yield item;
    }
  }
  const shown = result.issues.slice(0, max);
  let currentFile = '';
  for (const i of shown) {
    if (i.file !== currentFile) {
      currentFile = i.file;
      yield* emit('', `【${i.file}】`);
    }
    const where = [i.sheet !== undefined ? `工作表“${i.sheet}”` : '', i.row !== null ? `第 ${i.row} 行` : i.sheet !== undefined ? '' : '整个文件', i.column !== null ? `${i.column} 列` : ''].filter(Boolean).join(' ');
    yield* emit(`  ${i.severity === 'error' ? '错误' : '警告'}  ${where}  ${i.message}  [${i.code}：${ISSUE_CODES[i.code]}]`);
  }
  if (result.issues.length > shown.length) yield* emit('', `……另有 ${nf.format(result.issues.length - shown.length)} 条问题未列出（用 --json 可得到全部）`);

  const r = result.rows;
  const exports = result.files.filter((f) => f.kind === 'export');
  const workbooks = result.files.filter((f) => f.sheet);
  if (workbooks.length > 0) yield* emit('', ...workbooks.map((f) => `工作簿 ${f.file}：读取工作表“${f.sheet}”（${nf.format(f.rows.read)} 行）`));
  if (result.weekly.length > 0) yield* emit('', '同一县同一月份的几份周报（取最新的一份为本月数据）：', ...result.weekly.map((w) => `  ${w.message}`));
  const superseded = exports.reduce((n, f) => n + (f.skipped.superseded ?? 0), 0);
  yield* emit(
    '',
    `读取 ${nf.format(result.files.length)} 个文件（名录 ${nf.format(result.files.length - exports.length)} 个，月度进展表 ${nf.format(exports.length)} 个，月份：${result.months.join('、') || '无'}）`,
    `共 ${nf.format(r.read)} 行：接受 ${nf.format(r.accepted)}，拒绝 ${nf.format(r.rejected)}，跳过 ${nf.format(r.skipped)}（表头、标题、合计、说明、空行${superseded > 0 ? `；被取代的周报 ${nf.format(superseded)} 行` : ''}）` +
      (r.accepted + r.rejected + r.skipped === r.read ? '，合计相符' : '，合计不符！'),
    `登记：村 ${nf.format(result.villages.length)} 个，单位 ${nf.format(result.units.length)} 个，结对 ${nf.format(result.pairings.length)} 个；进展记录 ${nf.format(result.progress.length)} 条`,
    result.ok
      ? `校验通过${warnings.length ? `（${nf.format(warnings.length)} 条警告，不影响发布）` : ''}。`
      : `校验未通过：${nf.format(errors.length)} 个错误，${nf.format(warnings.length)} 条警告。请按上面列出的文件、行、列逐一修改后重新运行。`,
  );
}
