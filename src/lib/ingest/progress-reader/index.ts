/**
 * One monthly progress export (附件3 data) → progress records plus issues. Reads both
 * layouts of GUIDE §3: the flat export (one header row with location columns) and the
 * county table as saved from Excel (title line, two-row header, 合计, legend, blank
 * template rows). Every row ends accepted, rejected (with its reasons) or skipped.
 *
 * The steps, each in a module of this folder: the header and each column (header.ts); the
 * title lines and the county they or the path name (title.ts), the period they state
 * (period.ts); what each row is (row-kinds.ts); a data row's village (village.ts), unit
 * (unit.ts) and figures with their checks and the 合计 row (checks.ts); the rows streamed
 * once (rows.ts).
 */
import { IssueSink, type Issue } from '../issues.ts';
import type { County, RegistryIndex } from '../registry-index.ts';
import { pairingId, type MetricValues, type Unit, type Village } from '../records.ts';
import { loadTable, newSummary, skip, type FileSummary } from '../read-table.ts';
import { HEAD, hasExportHeader, layoutOf, metricColumnsOf, missingColumns, readHeader, unnamedColumns, type Columns, type FieldId, type Header } from './header.ts';
import { PeriodCheck } from './period.ts';
import { readTitleLines, resolveFileCounty } from './title.ts';
import { rowKind } from './row-kinds.ts';
import { checkInvisible, decideAmbiguous, resolveVillage } from './village.ts';
import { resolveUnit } from './unit.ts';
import { checkValues, parseMetrics, TotalsTracker, type MetricIndex } from './checks.ts';
import { accountUnread, rowsFrom, take } from './rows.ts';

/** A progress row before the cross-month checks. */
export interface ExportRecord {
  month: string | null;
  pairingId: string;
  villageCode: string;
  unitCode: string;
  values: MetricValues;
  /** the worksheet only for an Excel workbook */
  source: { file: string; sheet?: string; row: number };
}

export interface ExportReadResult {
  records: ExportRecord[];
  summary: FileSummary;
  issues: Issue[];
  /** metric id → 0-based column index in this file, for issues found later */
  metricColumns: Map<string, number>;
}

export interface ReadExportOptions {
  file: string;
  bytes: Uint8Array;
  /** YYYY-MM from the exports/ folder; null when unknown (checked, not filed) */
  month: string | null;
  registry: RegistryIndex;
}

/** What reading the rows below the header needs to know about the file. */
interface Table {
  file: string;
  month: string | null;
  registry: RegistryIndex;
  sink: IssueSink;
  summary: FileSummary;
  col: Columns;
  metricIndex: MetricIndex;
  layout: FileSummary['layout'];
  fileCounty: County | null;
  period: PeriodCheck;
  totals: TotalsTracker;
  reportUnnamed: (row: string[], rowNumber: number) => void;
  /** rows with a cell that could not be read (reported when loaded) */
  unreadable: Set<number>;
  /** false when a required column or the county is missing: every data row is rejected */
  readable: boolean;
}

export function readExport({ file, bytes, month, registry }: ReadExportOptions): ExportReadResult {
  const sink = new IssueSink(file);
  const summary = newSummary(file, 'export', month);
  const records: ExportRecord[] = [];
  const result = (metricColumns = new Map<string, number>()): ExportReadResult => ({ records, summary, issues: sink.issues, metricColumns });
  const loaded = loadTable(bytes, sink, summary, { isTable: hasExportHeader });
  if (!loaded) return result();
  // The rows are walked once, as they are parsed: a million-row export is never held as rows.
  // The header is within the first rows, which are kept (as `head`); `rest` is all after them.
  const rest = loaded.rows[Symbol.iterator]();
  const head = take(rest, HEAD);
  const header = readHeader(head, sink);
  if (!header) {
    sink.error('NO_HEADER', '找不到附件3的指标表头（如“资金计划总投入（万元）”）：请确认这是项目进展统计表，且表头在前几行', null, null);
    accountUnread(rowsFrom(head, 0, rest), summary);
    return result();
  }
  const table = openTable({ file, month, registry, sink, summary }, head, header, loaded.unreadable);
  let totalRowSeen = false;
  for (const [i, row] of rowsFrom(head, header.index + 1, rest)) {
    const kind = rowKind(row, header.col);
    if (kind === 'total') {
      totalRowSeen = true;
      if (table.readable) table.totals.verify(row, i + 1, table.metricIndex, sink);
    } else if (kind === 'footer') table.period.scanFooter(row, i + 1);
    if (kind !== 'data') skip(summary, kind);
    else if (!table.readable) summary.rows.rejected++;
    else {
      const record = readDataRow(table, row, i);
      if (record) {
        summary.rows.accepted++;
        records.push(record);
      } else summary.rows.rejected++;
    }
  }
  if (table.period.asOf) summary.asOf = table.period.asOf;
  if (table.period.filledOn) summary.filledOn = table.period.filledOn;
  if (table.layout === 'county-table' && !totalRowSeen && table.readable && summary.rows.accepted + summary.rows.rejected > 0) {
    sink.warn('TOTAL_MISSING', '县表没有合计行，无法核对合计', null, null);
  }
  return result(metricColumnsOf(header.col));
}

/**
 * Everything above the data: title lines (and the period and county they state), the header
 * rows counted, the layout, the required columns and the county of rows without one.
 */
function openTable(file: Pick<Table, 'file' | 'month' | 'registry' | 'sink' | 'summary'>, head: string[][], header: Header, unreadable: Set<number>): Table {
  const { sink, summary, registry } = file;
  const titleIndex = header.groupRow ? header.index - 1 : header.index;
  const titleText = readTitleLines(head, titleIndex, header.index, summary, sink);
  const period = new PeriodCheck(file.month, sink);
  for (let i = 0; i < titleIndex; i++) period.scanTitle(head[i]!, i + 1);
  if (header.groupRow) skip(summary, 'header');
  skip(summary, 'header');
  const layout = layoutOf(header.col);
  summary.layout = layout;
  const fatal = missingColumns(header.col, header.rowNumber, sink);
  const fileCounty = resolveFileCounty(file.file, titleText, registry, sink);
  summary.county = fileCounty ? `${fileCounty.province}${fileCounty.prefecture}${fileCounty.name}` : null;
  if (layout === 'county-table' && !fileCounty && header.col.villageCode === undefined && fatal.length === 0) {
    sink.error('NO_COUNTY', '县表中没有县名：请在标题行写明县名（如“福贡县……统计表”），或把文件放在 exports/月份/省/市/县.csv', null, null);
    fatal.push('县');
  }
  const col = header.col;
  return {
    ...file,
    col,
    metricIndex: (id) => col[id as FieldId],
    layout,
    fileCounty,
    period,
    totals: new TotalsTracker(),
    reportUnnamed: unnamedColumns(header.labels, sink),
    unreadable,
    readable: fatal.length === 0,
  };
}

/** One data row (0-based index i): its record, or null when it is rejected (its issues say why). */
function readDataRow(t: Table, row: string[], i: number): ExportRecord | null {
  const rowNumber = i + 1;
  const { sink, col } = t;
  t.reportUnnamed(row, rowNumber);
  const errorsBefore = sink.errorCount;
  checkInvisible(row, rowNumber, col, sink);
  const { village, unit } = rowPairing(t, row, rowNumber);
  const values = parseMetrics(row, rowNumber, t.metricIndex, sink, t.totals);
  if (village && unit) checkRegistered(village, unit, rowNumber, col, t.registry, sink);
  if (values) checkValues(row, rowNumber, values, t.metricIndex, sink);
  if (sink.errorCount > errorsBefore || !village || !unit || !values || t.unreadable.has(i)) return null;
  const source = t.summary.sheet ? { file: t.file, sheet: t.summary.sheet, row: rowNumber } : { file: t.file, row: rowNumber };
  return { month: t.month, pairingId: pairingId(village.code, unit.code), villageCode: village.code, unitCode: unit.code, values, source };
}

/** The row's village and unit; a village name the county repeats is decided by the unit's pairing. */
function rowPairing(t: Table, row: string[], rowNumber: number): { village: Village | null; unit: Unit | null } {
  const found = resolveVillage(row, rowNumber, t.col, t.fileCounty, t.registry, t.sink);
  const ambiguous = found && 'candidates' in found ? found : null;
  const direct = ambiguous ? null : (found as Village | null);
  const unit = resolveUnit(row, rowNumber, t.col, direct, ambiguous?.county ?? t.fileCounty, t.registry, t.sink);
  const village = ambiguous ? decideAmbiguous(ambiguous, unit, rowNumber, t.col, t.layout, t.registry, t.sink) : direct;
  return { village, unit };
}

function checkRegistered(village: Village, unit: Unit, rowNumber: number, col: Columns, registry: RegistryIndex, sink: IssueSink): void {
  if (registry.pairings.has(pairingId(village.code, unit.code))) return;
  sink.error('UNREGISTERED_PAIRING', `结对关系未登记：${village.name}（${village.code}）与 ${unit.name}（${unit.code}）没有登记在 registry/pairings.csv 中`, rowNumber, col.unitName ?? col.unitCode ?? null);
}
