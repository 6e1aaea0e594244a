/**
 * Shared steps of every table the ingest reads: decode → parse → rows, and the row
 * accounting that proves nothing is lost (read = accepted + rejected + skipped).
 */
import { csvRows, parseCsv } from './csv.ts';
import { decodeTable, ENCODING_LABELS, type Encoding } from './decode.ts';
import { normalizeHeader, headerStem } from './columns.ts';
import type { IssueSink } from './issues.ts';
import { normalizeCell } from './cell-values.ts';
import { isCompoundFile, isZip, readWorkbook, WORKBOOK_LIMITS, type Sheet, type WorkbookLimits } from './workbook.ts';

export interface RowCounts {
  read: number;
  accepted: number;
  rejected: number;
  skipped: number;
}

/** Why a row is not read into the figures; `superseded`: a data row of a weekly table a later one of the month replaces (weekly.ts). */
export type SkipReason = 'title' | 'header' | 'total' | 'legend' | 'footer' | 'blank' | 'template' | 'superseded';

export interface FileSummary {
  file: string;
  kind: 'villages' | 'units' | 'pairings' | 'export';
  month: string | null;
  encoding: Encoding | null;
  encodingLabel: string | null;
  layout: 'registry' | 'flat' | 'county-table' | null;
  county: string | null;
  /** the worksheet read, for an Excel workbook */
  sheet: string | null;
  rows: RowCounts;
  skipped: Partial<Record<SkipReason, number>>;
  /** the 「截至…」 day its title names (YYYY-MM-DD), for an export that states one */
  asOf?: string;
  /** its 填报日期 (YYYY-MM-DD), for an export that states one */
  filledOn?: string;
  /** for a weekly table a later one of the same county and month replaces: that table's path */
  supersededBy?: string;
}

export function newSummary(file: string, kind: FileSummary['kind'], month: string | null = null): FileSummary {
  return { file, kind, month, encoding: null, encodingLabel: null, layout: null, county: null, sheet: null, rows: { read: 0, accepted: 0, rejected: 0, skipped: 0 }, skipped: {} };
}

export function skip(summary: FileSummary, reason: SkipReason): void {
  summary.rows.skipped++;
  summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1;
}

/** Decode and parse; on a whole-file failure report it and return null. */
export function loadRows(bytes: Uint8Array, sink: IssueSink, summary: FileSummary): string[][] | null {
  const source = openTable(bytes, sink, summary, {});
  if (!source) return null;
  if ('rows' in source) {
    summary.rows.read = source.rows.length;
    return source.rows;
  }
  const parsed = parseCsv(source.text);
  for (const p of parsed.problems) sink.error('CSV_MALFORMED', `CSV 格式错误：${p.message}`, p.row);
  summary.rows.read = parsed.rows.length;
  return parsed.rows;
}

export interface LoadedTable {
  /**
   * Every row in order, index i being Excel's row i + 1. A text table is parsed while it is
   * walked, so a large one is never held as rows; `summary.rows.read` is set when the walk ends.
   */
  rows: Iterable<string[]>;
  /** 0-based indices of rows with a cell whose value could not be read (already reported as errors) */
  unreadable: Set<number>;
  /** for a workbook: the sheet read, its hidden rows (as Excel numbers them), and how many other sheets hold content */
  workbook: { sheet: string; hiddenRows: number[]; otherSheets: number } | null;
}

export interface LoadOptions {
  /** in a workbook, whether a sheet holds the table to read (its header is ours) */
  isTable?: (rows: string[][]) => boolean;
  limits?: WorkbookLimits;
}

/**
 * Bytes → rows, whatever they are: a text table in any encoding Excel writes, or an Excel
 * workbook (.xlsx), of which the one sheet whose header is ours is read. From here on a
 * workbook is rows like any CSV; only the issues carry its sheet's name.
 */
export function loadTable(bytes: Uint8Array, sink: IssueSink, summary: FileSummary, options: LoadOptions = {}): LoadedTable | null {
  const source = openTable(bytes, sink, summary, options);
  if (!source) return null;
  const rows = 'rows' in source ? source.rows : csvRows(source.text, (p) => sink.error('CSV_MALFORMED', `CSV 格式错误：${p.message}`, p.row));
  return { rows: counted(rows, summary), unreadable: 'rows' in source ? source.unreadable : new Set(), workbook: 'rows' in source ? source.workbook : null };
}

function* counted(rows: Iterable<string[]>, summary: FileSummary): Generator<string[]> {
  let n = 0;
  for (const row of rows) {
    n++;
    summary.rows.read = n;
    yield row;
  }
}

/** A workbook's chosen sheet as rows, or a text table's decoded text; null after reporting why neither. */
function openTable(bytes: Uint8Array, sink: IssueSink, summary: FileSummary, options: LoadOptions): LoadedSheet | { text: string } | null {
  if (isZip(bytes)) return loadWorkbook(bytes, sink, summary, options);
  if (isCompoundFile(bytes)) {
    sink.error('OLD_EXCEL_FORMAT', '这是旧版 Excel 工作簿（.xls，Excel 97–2003）或设置了打开密码的工作簿，无法安全读取：请在 Excel 中打开，取消密码，“文件 → 另存为”选择“Excel 工作簿（*.xlsx）”后再提交');
    return null;
  }
  const decoded = decodeTable(bytes);
  if (!decoded.ok) {
    const { code, what } = DECODE_FAILURES[decoded.reason];
    sink.error(code, `${what}：${decoded.detail}`);
    return null;
  }
  summary.encoding = decoded.encoding;
  summary.encodingLabel = ENCODING_LABELS[decoded.encoding];
  return { text: decoded.text };
}

const nf = new Intl.NumberFormat('zh-CN');

/** Why a text table was not decoded → its issue code and the start of its message. */
const DECODE_FAILURES = {
  empty: { code: 'EMPTY_FILE', what: '文件为空' },
  binary: { code: 'BINARY_FILE', what: '不是文本表格文件' },
  'unknown-encoding': { code: 'ENCODING_UNKNOWN', what: '无法识别文件编码' },
  'too-large': { code: 'TABLE_TOO_LARGE', what: '文本表格过大，未读取：请把它按县或按月拆成几个文件再提交' },
} as const;

interface LoadedSheet {
  rows: string[][];
  unreadable: Set<number>;
  workbook: NonNullable<LoadedTable['workbook']>;
}

function loadWorkbook(bytes: Uint8Array, sink: IssueSink, summary: FileSummary, options: LoadOptions): LoadedSheet | null {
  summary.encodingLabel = 'Excel 工作簿（.xlsx）';
  const wb = readWorkbook(bytes, options.limits ?? WORKBOOK_LIMITS);
  if (!wb.ok) {
    if (wb.reason === 'too-large') sink.error('WORKBOOK_TOO_LARGE', `工作簿过大，未读取：${wb.detail}。请删去多余的工作表和空行，或把附件3工作表另存为 CSV 后提交`);
    else if (wb.reason === 'encrypted') sink.error('OLD_EXCEL_FORMAT', `${wb.detail}：请在 Excel 中取消密码后另存为 .xlsx 再提交`);
    else sink.error('WORKBOOK_CORRUPT', `${wb.detail}：请在 Excel 中打开并重新“另存为”.xlsx`);
    return null;
  }
  const withContent = wb.sheets.filter((s) => s.rows.length > 0);
  const candidates = options.isTable ? withContent.filter((s) => options.isTable!(s.rows)) : withContent;
  const visible = candidates.filter((s) => !s.hidden);
  const names = (list: Sheet[]) => list.map((s) => `“${s.name}”`).join('、');
  let chosen: Sheet | null = null;
  if (visible.length === 1) chosen = visible[0]!;
  else if (visible.length === 0 && candidates.length === 1) chosen = candidates[0]!;
  if (!chosen) {
    if (candidates.length === 0) {
      const all = wb.sheets.map((s) => `“${s.name}”（${s.rows.length === 0 ? '空' : `${nf.format(s.rows.length)} 行`}${s.hidden ? '，隐藏' : ''}）`).join('、');
      sink.error('SHEET_NOT_FOUND', `工作簿中没有哪个工作表的表头是附件3（或平铺导出）的表头，未读取。工作表有：${all || '无'}`);
    } else {
      const list = visible.length > 1 ? visible : candidates;
      sink.error('SHEET_AMBIGUOUS', `工作簿中有 ${list.length} 个工作表都是附件3表格：${names(list)}，无法判断读哪一个。请只保留本月的一个（其余删除或另存为单独的文件）`);
    }
    return null;
  }
  for (const s of wb.sheets) {
    if (!s.hidden || s.rows.length === 0) continue;
    if (s === chosen) sink.warn('SHEET_HIDDEN', `读取的工作表“${s.name}”在 Excel 中是隐藏的（工作簿中没有其他附件3工作表）：请确认它就是本月的表`);
    else sink.warn('SHEET_HIDDEN', `隐藏的工作表“${s.name}”未读取${candidates.includes(s) ? '（它也有附件3表头；读取的是“' + chosen.name + '”）' : ''}`);
  }
  summary.sheet = chosen.name;
  sink.sheet = chosen.name;
  const unreadable = new Set<number>();
  for (const p of chosen.problems) {
    sink.error('FORMULA_NO_VALUE', p.message, p.row, p.column);
    unreadable.add(p.row - 1);
  }
  // Hidden rows are read like the others; a run of hidden rows with content is reported once.
  const hidden = chosen.hiddenRows.filter((r) => (chosen.rows[r - 1] ?? []).some((c) => normalizeCell(c) !== ''));
  for (let i = 0; i < hidden.length; ) {
    let j = i;
    while (j + 1 < hidden.length && hidden[j + 1] === hidden[j]! + 1) j++;
    const span = i === j ? '这一行' : `第 ${hidden[i]}–${hidden[j]} 行`;
    sink.warn('ROW_HIDDEN', `${span}在 Excel 中是隐藏的，已照常读取：请确认${i === j ? '这一行' : '这些行'}应当上报，不该上报的请删除而不是隐藏`, hidden[i]!, null);
    i = j + 1;
  }
  const otherSheets = wb.sheets.filter((s) => s !== chosen && s.rows.length > 0).length;
  return { rows: chosen.rows, unreadable, workbook: { sheet: chosen.name, hiddenRows: chosen.hiddenRows, otherSheets } };
}

export function isBlankRow(row: string[]): boolean {
  return row.every((c) => normalizeCell(c) === '');
}

export interface HeaderMatch<T extends string> {
  /** field id → column index */
  columns: Partial<Record<T, number>>;
  /** indices of columns that are not ours (reported, ignored) */
  unknown: number[];
}

/**
 * Match header cells to known fields by their normalised text, then by their stem
 * (brackets stripped), so `资金计划\n总投入\n（万元）` and `资金计划总投入(万元)` both match.
 */
export function matchHeader<T extends string>(
  labels: string[],
  fields: ReadonlyArray<{ id: T; names: ReadonlyArray<string> }>,
  sink: IssueSink,
  headerRow: number,
): HeaderMatch<T> {
  const exact = new Map<string, T>();
  const stems = new Map<string, T>();
  for (const f of fields) {
    for (const name of f.names) {
      const n = normalizeHeader(name);
      if (!exact.has(n)) exact.set(n, f.id);
      const s = headerStem(n);
      if (!stems.has(s)) stems.set(s, f.id);
    }
  }
  const columns: Partial<Record<T, number>> = {};
  const unknown: number[] = [];
  labels.forEach((label, index) => {
    const n = normalizeHeader(label);
    if (n === '') return;
    const id = exact.get(n) ?? stems.get(headerStem(n));
    if (id === undefined) {
      unknown.push(index);
      return;
    }
    const seen = columns[id];
    if (seen !== undefined) {
      sink.error('DUPLICATE_COLUMN', `列名重复：“${label.replace(/\s+/g, '')}”出现两次（另见第 ${seen + 1} 列），无法判断以哪一列为准`, headerRow, index);
      return;
    }
    columns[id] = index;
  });
  return { columns, unknown };
}

export function cellAt(row: string[], index: number | undefined): string {
  return index === undefined ? '' : (row[index] ?? '');
}

export function displayHeader(label: string): string {
  return label.replace(/\s+/g, '');
}
