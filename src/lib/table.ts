/**
 * Shared steps of every table the ingest reads: decode → parse → rows, and the row
 * accounting that proves nothing is lost (read = accepted + rejected + skipped).
 */
import { parseCsv } from './csv.ts';
import { decodeTable, ENCODING_LABELS, type Encoding } from './decode.ts';
import { normalizeHeader, headerStem } from './columns.ts';
import type { IssueSink } from './issues.ts';
import { normalizeCell } from './values.ts';

export interface RowCounts {
  read: number;
  accepted: number;
  rejected: number;
  skipped: number;
}

export type SkipReason = 'title' | 'header' | 'total' | 'legend' | 'blank' | 'template';

export interface FileSummary {
  file: string;
  kind: 'villages' | 'units' | 'pairings' | 'export';
  month: string | null;
  encoding: Encoding | null;
  encodingLabel: string | null;
  layout: 'registry' | 'flat' | 'county-table' | null;
  county: string | null;
  rows: RowCounts;
  skipped: Partial<Record<SkipReason, number>>;
}

export function newSummary(file: string, kind: FileSummary['kind'], month: string | null = null): FileSummary {
  return { file, kind, month, encoding: null, encodingLabel: null, layout: null, county: null, rows: { read: 0, accepted: 0, rejected: 0, skipped: 0 }, skipped: {} };
}

export function skip(summary: FileSummary, reason: SkipReason): void {
  summary.rows.skipped++;
  summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1;
}

/** Decode and parse; on a whole-file failure report it and return null. */
export function loadRows(bytes: Uint8Array, sink: IssueSink, summary: FileSummary): string[][] | null {
  const decoded = decodeTable(bytes);
  if (!decoded.ok) {
    const code = decoded.reason === 'empty' ? 'EMPTY_FILE' : decoded.reason === 'binary' ? 'BINARY_FILE' : 'ENCODING_UNKNOWN';
    sink.error(code, `${decoded.reason === 'empty' ? '文件为空' : decoded.reason === 'binary' ? '不是文本表格文件' : '无法识别文件编码'}：${decoded.detail}`);
    return null;
  }
  summary.encoding = decoded.encoding;
  summary.encodingLabel = ENCODING_LABELS[decoded.encoding];
  const parsed = parseCsv(decoded.text);
  for (const p of parsed.problems) sink.error('CSV_MALFORMED', `CSV 格式错误：${p.message}`, p.row);
  summary.rows.read = parsed.rows.length;
  return parsed.rows;
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
