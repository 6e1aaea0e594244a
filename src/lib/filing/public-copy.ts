/**
 * The public copy of a received export: what /sources/ publishes instead of the file as
 * received. It holds the table's header rows, its data rows and its 合计 row, in the data
 * contract's columns only, written fresh as UTF-8 CSV (with BOM, so Excel opens it). Nothing
 * else of the received file reaches the site: no title or sign-off lines (填报人、联系电话、
 * 审核人…), no legend, blank or template rows, no columns outside the contract, and of a
 * workbook no other sheet, comment, document property or hidden row that is not data.
 *
 * The rows are told apart by the progress reader's own rules (readHeader, rowKind), so the copy
 * holds exactly the rows the reader took as header, data and 合计. The copy's row numbers differ
 * from the received file's: `rows` maps one to the other, so a page that cites 「…报表 第 N 行」
 * cites the copy's row N.
 */
import { csvLine, csvNumber } from '../csv-field.ts';
import { columnLetter, IssueSink } from '../ingest/issues.ts';
import { loadTable, newSummary } from '../ingest/read-table.ts';
import { HEAD, hasExportHeader, readHeader } from '../ingest/progress-reader/header.ts';
import { rowKind, type RowKind } from '../ingest/progress-reader/row-kinds.ts';
import { rowsFrom, take } from '../ingest/progress-reader/rows.ts';

/** What the public copy leaves out of the received file, counted. */
export interface LeftOut {
  /** rows above the header: the title lines */
  title: number;
  /** sign-off lines: 填报人、联系电话、审核人、填报日期… */
  footer: number;
  /** notes under the table (填表说明, the template's legend) */
  legend: number;
  /** blank rows and the template's empty numbered rows */
  blank: number;
  /** the header repeated further down */
  header: number;
  /** columns outside the data contract, by letter as the received file shows them */
  columns: string[];
  /** a workbook's other sheets with content */
  sheets: number;
  /** hidden rows of the sheet read that are not data (hidden data rows are figures the site shows, and stay) */
  hiddenRows: number;
  /** a workbook's comments, document properties and the rest of its package: never copied */
  workbook: boolean;
}

export interface PublicCopy {
  /** UTF-8 CSV with BOM, CRLF line ends */
  bytes: Uint8Array;
  /** received row (as a spreadsheet numbers it) → row of the copy, for every row the copy holds */
  rows: Map<number, number>;
  leftOut: LeftOut;
}

const KEPT: ReadonlySet<RowKind> = new Set(['data', 'total']);
const encoder = new TextEncoder();

/**
 * The public copy of a received export (text table or workbook); null when it holds no 附件3
 * header (such a file fails the data check, so a built site never has one).
 */
export function makePublicCopy(bytes: Uint8Array, file = 'export'): PublicCopy | null {
  const sink = new IssueSink(file);
  const loaded = loadTable(bytes, sink, newSummary(file, 'export'), { isTable: hasExportHeader });
  if (!loaded) return null;
  const rest = loaded.rows[Symbol.iterator]();
  const head = take(rest, HEAD);
  const header = readHeader(head, sink);
  if (!header) return null;
  const columns = [...new Set(Object.values(header.col).filter((c): c is number => c !== undefined))].sort((a, b) => a - b);
  const kept = new Set(columns);
  const width = Math.max(header.labels.length, ...head.map((r) => r.length));
  const leftOut: LeftOut = { title: 0, footer: 0, legend: 0, blank: 0, header: 0, columns: [], sheets: loaded.workbook?.otherSheets ?? 0, hiddenRows: 0, workbook: loaded.workbook !== null };
  const hidden = new Set(loaded.workbook?.hiddenRows ?? []);
  // a cell that is a plain number is written as one; any other text by the formula-safe text rule
  const project = (row: string[]) => csvLine(columns.map((c) => csvNumber(row[c] ?? '')));

  const lines: string[] = [];
  const rows = new Map<number, number>();
  const keep = (row: string[], rowNumber: number) => {
    lines.push(project(row));
    rows.set(rowNumber, lines.length);
  };
  const firstHeaderRow = header.groupRow ? header.index - 1 : header.index;
  for (let i = 0; i < firstHeaderRow; i++) {
    if (head[i]!.some((c) => c.trim() !== '')) leftOut.title++;
    else leftOut.blank++;
    if (hidden.has(i + 1)) leftOut.hiddenRows++;
  }
  if (header.groupRow) keep(header.groupRow, header.index);
  keep(head[header.index]!, header.index + 1);
  const extraColumns = new Set<number>();
  for (const [i, row] of rowsFrom(head, header.index + 1, rest)) {
    const kind = rowKind(row, header.col);
    for (let c = 0; c < row.length; c++) if (!kept.has(c) && (row[c] ?? '').trim() !== '') extraColumns.add(c);
    if (KEPT.has(kind)) {
      keep(row, i + 1);
      continue;
    }
    if (hidden.has(i + 1)) leftOut.hiddenRows++;
    if (kind === 'footer') leftOut.footer++;
    else if (kind === 'legend') leftOut.legend++;
    else if (kind === 'header') leftOut.header++;
    else leftOut.blank++;
  }
  // columns outside the contract: those with a header of their own, and those with content anywhere
  for (let c = 0; c < width; c++) if (!kept.has(c) && [header.groupRow?.[c], head[header.index]![c]].some((v) => (v ?? '').trim() !== '')) extraColumns.add(c);
  leftOut.columns = [...extraColumns].sort((a, b) => a - b).map(columnLetter);

  // the BOM (EF BB BF) first, so Excel reads the copy as UTF-8
  return { bytes: encoder.encode(`\ufeff${lines.join('\r\n')}\r\n`), rows, leftOut };
}

/** What the copy leaves out, in words: 「落款行 2 行（填报人、联系电话、审核人、填报日期等）、其他工作表 1 个」; '' when nothing. */
export function describeLeftOut(l: LeftOut): string {
  const rows: string[] = [];
  if (l.title > 0) rows.push(`标题行 ${l.title} 行`);
  if (l.footer > 0) rows.push(`落款行 ${l.footer} 行（填报人、联系电话、审核人、填报日期等）`);
  if (l.legend > 0) rows.push(`填表说明 ${l.legend} 行`);
  if (l.header > 0) rows.push(`重复的表头 ${l.header} 行`);
  if (l.blank > 0) rows.push(`空行和空白模板行 ${l.blank} 行`);
  // the hidden ones are among the rows just counted
  const hidden = l.hiddenRows > 0 ? `（以上各行中 ${l.hiddenRows} 行在工作表中是隐藏的）` : '';
  const parts = rows.length > 0 ? [`${rows.join('、')}${hidden}`] : [];
  if (l.columns.length > 0) parts.push(`数据约定以外的列 ${l.columns.length} 列（${l.columns.join('、')} 列）`);
  if (l.sheets > 0) parts.push(`其他工作表 ${l.sheets} 个`);
  if (l.workbook) parts.push('工作簿的批注、文档属性（作者等）和格式');
  return parts.join('、');
}
