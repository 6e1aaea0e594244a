/**
 * The header of a progress export: the metric header row (the row with most 附件3 metric
 * headers within the first rows), the group row above it whose merged cells carry 序号,
 * 帮扶村 and 结对帮扶单位, each field's column, and the columns a file must have.
 */
import { GROUP_HEADERS, LOCATION_COLUMNS, headerStem, normalizeHeader, type LocationColumnId } from '../columns.ts';
import { METRIC_COLUMNS } from '../../metric-catalogue.ts';
import type { IssueSink } from '../issues.ts';
import { displayHeader, matchHeader } from '../read-table.ts';
import { isBlank } from '../cell-values.ts';

export type FieldId = LocationColumnId | (typeof METRIC_COLUMNS)[number]['id'];
/** Each field's 0-based column in this file (absent: the file has no such column). */
export type Columns = Partial<Record<FieldId, number>>;

const FIELDS: ReadonlyArray<{ id: FieldId; names: ReadonlyArray<string> }> = [
  ...Object.entries(LOCATION_COLUMNS).map(([id, names]) => ({ id: id as LocationColumnId, names })),
  ...METRIC_COLUMNS.map((m) => ({ id: m.id as FieldId, names: [m.header] })),
];

const METRIC_STEMS = new Set(METRIC_COLUMNS.map((m) => headerStem(normalizeHeader(m.header))));
const GROUP_NAMES = new Set(GROUP_HEADERS.map(normalizeHeader));
const GROUP_LABELS = new Set([...GROUP_NAMES, ...['序号', '帮扶村', '结对帮扶单位'].map(normalizeHeader)]);

/** A row with this many metric headers is a metric header row (a file's own, or one repeated below it). */
export const HEADER_METRICS = 8;
/** The header is looked for within this many first rows. */
export const HEAD = 12;

const NON_ASCII = /[^\x00-\x7f]/;
// Every metric header has Chinese in it, so a cell of plain ASCII (a number, a code) is never
// one: checked here once, so the shortcut below cannot go stale.
if ([...METRIC_STEMS].some((stem) => !NON_ASCII.test(stem))) throw new Error('METRIC_STEMS: a header without Chinese');

/** How many metric headers a row holds: the metric header row is the one with most. */
export function metricHeaderCount(row: string[]): number {
  let n = 0;
  for (const cell of row) if (NON_ASCII.test(cell) && METRIC_STEMS.has(headerStem(normalizeHeader(cell)))) n++;
  return n;
}

/** The metric header row within the first rows: its index and how many metric headers it holds. */
function findHeader(rows: string[][]): { index: number; count: number } {
  let index = -1;
  let count = 0;
  for (let i = 0; i < Math.min(rows.length, HEAD); i++) {
    const n = metricHeaderCount(rows[i]!);
    if (n > count) {
      count = n;
      index = i;
    }
  }
  return { index, count };
}

/** A table with the 附件3 header (county table or flat export): the sheet of a workbook to read. */
export const hasExportHeader = (rows: string[][]): boolean => findHeader(rows).count >= HEADER_METRICS;

export interface Header {
  /** 0-based row of the metric headers */
  index: number;
  /** the group row right above it, if there is one */
  groupRow: string[] | null;
  /** each column's label: its own header, else the group row's label of a merged cell */
  labels: string[];
  col: Columns;
  /** as a spreadsheet numbers it */
  rowNumber: number;
}

/** The metric header row and what each column is; null when the first rows hold no 附件3 header. */
export function readHeader(rows: string[][], sink: IssueSink): Header | null {
  const { index, count } = findHeader(rows);
  if (index < 0 || count < HEADER_METRICS) return null;
  // A group row right above the metric row carries the labels of merged cells (序号, 帮扶村, …).
  const above = index > 0 ? rows[index - 1]! : null;
  const groupRow = above && above.some((c) => GROUP_LABELS.has(normalizeHeader(c))) ? above : null;
  const labels = columnLabels(rows[index]!, groupRow);
  const rowNumber = index + 1;
  const match = matchHeader(labels, FIELDS, sink, rowNumber);
  for (const u of match.unknown) {
    sink.warn('UNKNOWN_COLUMN', `未知的列“${displayHeader(labels[u] ?? '')}”，已忽略`, rowNumber, u);
  }
  return { index, groupRow, labels, col: match.columns, rowNumber };
}

function columnLabels(headerRow: string[], groupRow: string[] | null): string[] {
  const width = Math.max(headerRow.length, groupRow?.length ?? 0);
  const labels: string[] = [];
  for (let c = 0; c < width; c++) {
    const own = headerRow[c] ?? '';
    labels.push(normalizeHeader(own) !== '' ? own : groupRow && !GROUP_NAMES.has(normalizeHeader(groupRow[c] ?? '')) ? (groupRow[c] ?? '') : '');
  }
  return labels;
}

/** Metric id → its column, for issues found later (the cross-month checks). */
export function metricColumnsOf(col: Columns): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of METRIC_COLUMNS) {
    const index = col[m.id as FieldId];
    if (index !== undefined) out.set(m.id, index);
  }
  return out;
}

/** Flat export (location columns) or 附件3 county table. */
export const layoutOf = (col: Columns): 'flat' | 'county-table' => (col.county !== undefined || col.villageCode !== undefined ? 'flat' : 'county-table');

/** The columns a file must have and lacks, each an error on the header row; their names. */
export function missingColumns(col: Columns, rowNumber: number, sink: IssueSink): string[] {
  const fatal: string[] = [];
  if (col.villageName === undefined && col.villageCode === undefined) fatal.push('帮扶村（或村代码）');
  if (col.unitName === undefined && col.unitCode === undefined) fatal.push('结对帮扶单位（或单位代码）');
  for (const m of METRIC_COLUMNS) {
    if (m.kind !== 'ratio' && col[m.id as FieldId] === undefined) fatal.push(m.header);
  }
  for (const name of fatal) sink.error('MISSING_COLUMN', `缺少必需的列“${name}”`, rowNumber, null);
  return fatal;
}

/**
 * A warning, once per column, for content in a column that has no header (it is ignored):
 * the returned function is called with each data row.
 */
export function unnamedColumns(labels: string[], sink: IssueSink): (row: string[], rowNumber: number) => void {
  const unnamed = new Set(labels.flatMap((l, i) => (normalizeHeader(l) === '' ? [i] : [])));
  return (row, rowNumber) => {
    for (let c = 0; c < row.length; c++) {
      if ((c >= labels.length || unnamed.has(c)) && !isBlank(row[c])) {
        sink.warn('UNNAMED_COLUMN', `第 ${c + 1} 列没有列名，但有内容“${(row[c] ?? '').trim().slice(0, 20)}”：已忽略这一列；如是数据，请补上列名`, rowNumber, c);
        unnamed.delete(c);
        labels[c] = labels[c] || ' ';
      }
    }
  };
}
