/**
 * One monthly progress export (附件3 data) → progress records plus issues. Reads both
 * layouts of GUIDE §3: the flat export (one header row with location columns) and the
 * county table as saved from Excel (title line, two-row header, 合计, legend, blank
 * template rows). Every row ends accepted, rejected (with its reasons) or skipped.
 */
import {
  GROUP_HEADERS,
  LOCATION_COLUMNS,
  METRIC_COLUMNS,
  headerStem,
  normalizeHeader,
  type LocationColumnId,
  type MetricColumn,
} from './columns.ts';
import { clip, IssueSink, columnLetter, type Issue } from './issues.ts';
import { INVISIBLE_CHARS, invisibleCharsIn, townshipKey } from './names.ts';
import { suggestion, type County, type RegistryIndex } from './registry-index.ts';
import { metricValuesSchema, pairingId, type MetricValues, type Unit, type Village } from './records.ts';
import { cellAt, displayHeader, isBlankRow, loadTable, matchHeader, newSummary, skip, type FileSummary } from './read-table.ts';
import { isBlank, normalizeCell, normalizeName, parseCount, parseDate, parseFlag, parseMoney, parseRatio, yuanToWanString } from './cell-values.ts';

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

type FieldId = LocationColumnId | (typeof METRIC_COLUMNS)[number]['id'];

const FIELDS: ReadonlyArray<{ id: FieldId; names: ReadonlyArray<string> }> = [
  ...Object.entries(LOCATION_COLUMNS).map(([id, names]) => ({ id: id as LocationColumnId, names })),
  ...METRIC_COLUMNS.map((m) => ({ id: m.id as FieldId, names: [m.header] })),
];

const METRIC_STEMS = new Set(METRIC_COLUMNS.map((m) => headerStem(normalizeHeader(m.header))));
const GROUP_NAMES = new Set(GROUP_HEADERS.map(normalizeHeader));
const GROUP_LABELS = new Set([...GROUP_NAMES, ...['序号', '帮扶村', '结对帮扶单位'].map(normalizeHeader)]);
const TOTAL_LABELS = new Set(['合计', '总计', '小计', '合计:', '总计:'].map(normalizeHeader));
const PLACEHOLDER_VILLAGE = /^[A-Z]村$/;
/** The notes under a county table (填表说明 and the like), given the row's normalised text. */
const isLegend = (rowText: string) => /^(注|说明|备注|填表|填报说明)/.test(rowText) || rowText.includes('1:有') || rowText.includes('无计划填零');
/**
 * One note of the template's legend row, which sits under the metric columns: 「1：有 0：无」
 * under each 1/0 column, 「无计划填零」 under the plan columns (附件3 as shipped). No number,
 * flag or name is ever one of these, so a data row cannot be taken for a legend.
 */
const LEGEND_NOTE = /^(1[:：]有[,，;；]?0[:：]无|0[:：]无[,，;；]?1[:：]有|无计划填零|无计划请?填0|(注|说明|备注|填表说明|填报说明)[:：].*)$/;
/** Lines under or above the table that sign it off: who filled it in, when, who checked it. */
const FOOTER_LABEL = /^(填报日期|填表日期|报送日期|填报人|填表人|制表人|审核人|联系人|联系电话|负责人|单位负责人|填报单位|报送单位)/;

const NON_ASCII = /[^\x00-\x7f]/;
// Every metric header has Chinese in it, so a cell of plain ASCII (a number, a code) is never
// one: checked here once, so the shortcut below cannot go stale.
if ([...METRIC_STEMS].some((stem) => !NON_ASCII.test(stem))) throw new Error('METRIC_STEMS: a header without Chinese');

/** How many metric headers a row holds: the metric header row is the one with most. */
function metricHeaderCount(row: string[]): number {
  let n = 0;
  for (const cell of row) if (NON_ASCII.test(cell) && METRIC_STEMS.has(headerStem(normalizeHeader(cell)))) n++;
  return n;
}

/** The metric header row within the first rows: its index and how many metric headers it holds. */
function findHeader(rows: string[][]): { index: number; count: number } {
  let index = -1;
  let count = 0;
  for (let i = 0; i < Math.min(rows.length, 12); i++) {
    const n = metricHeaderCount(rows[i]!);
    if (n > count) {
      count = n;
      index = i;
    }
  }
  return { index, count };
}

/** A table with the 附件3 header (county table or flat export): the sheet of a workbook to read. */
export const hasExportHeader = (rows: string[][]): boolean => findHeader(rows).count >= 8;

export interface ReadExportOptions {
  file: string;
  bytes: Uint8Array;
  /** YYYY-MM from the exports/ folder; null when unknown (checked, not filed) */
  month: string | null;
  registry: RegistryIndex;
}

export function readExport({ file, bytes, month, registry }: ReadExportOptions): ExportReadResult {
  const sink = new IssueSink(file);
  const summary = newSummary(file, 'export', month);
  const records: ExportRecord[] = [];
  const metricColumns = new Map<string, number>();
  const loaded = loadTable(bytes, sink, summary, { isTable: hasExportHeader });
  if (!loaded) return { records, summary, issues: sink.issues, metricColumns };
  const { unreadable } = loaded;
  // The rows are walked once, as they are parsed: a million-row export is never held as rows.
  // The header is within the first rows, which are kept (as `rows`); `rest` is all after them.
  const rest = loaded.rows[Symbol.iterator]();
  const rows = take(rest, HEAD);

  // --- find the metric header row (within the first rows) ---
  const { index: headerIndex, count: best } = findHeader(rows);
  if (headerIndex < 0 || best < 8) {
    sink.error('NO_HEADER', '找不到附件3的指标表头（如“资金计划总投入（万元）”）：请确认这是项目进展统计表，且表头在前几行', null, null);
    accountUnread(rowsFrom(rows, 0, rest), summary);
    return { records, summary, issues: sink.issues, metricColumns };
  }

  // A group row right above the metric row carries the labels of merged cells (序号, 帮扶村, …).
  const above = headerIndex > 0 ? rows[headerIndex - 1]! : null;
  const groupRow = above && above.some((c) => GROUP_LABELS.has(normalizeHeader(c))) ? above : null;
  const headerRow = rows[headerIndex]!;
  const width = Math.max(headerRow.length, groupRow?.length ?? 0);
  const labels: string[] = [];
  for (let c = 0; c < width; c++) {
    const own = headerRow[c] ?? '';
    labels.push(normalizeHeader(own) !== '' ? own : groupRow && !GROUP_NAMES.has(normalizeHeader(groupRow[c] ?? '')) ? (groupRow[c] ?? '') : '');
  }
  const headerRowNumber = headerIndex + 1;
  const match = matchHeader(labels, FIELDS, sink, headerRowNumber);
  const col = match.columns;
  for (const m of METRIC_COLUMNS) {
    const index = col[m.id as FieldId];
    if (index !== undefined) metricColumns.set(m.id, index);
  }
  for (const u of match.unknown) {
    sink.warn('UNKNOWN_COLUMN', `未知的列“${displayHeader(labels[u] ?? '')}”，已忽略`, headerRowNumber, u);
  }

  // Title lines before the header may name the county (and month). A row there with more
  // than a few cells is not a title: it is data the header does not describe, and is rejected.
  const titleIndex = groupRow ? headerIndex - 1 : headerIndex;
  const titleParts: string[] = [];
  for (let i = 0; i < titleIndex; i++) {
    const row = rows[i]!;
    const cells = row.map((c) => c.trim()).filter(Boolean);
    if (cells.length === 0) skip(summary, 'blank');
    else if (cells.length <= 3) {
      skip(summary, 'title');
      titleParts.push(...cells);
    } else {
      summary.rows.rejected++;
      sink.error('ROW_BEFORE_HEADER', `表头（第 ${headerIndex + 1} 行）之前的这一行有 ${cells.length} 个单元格，不像标题，未读取：如是数据，请移到表头之后`, i + 1, null);
    }
  }
  const titleText = titleParts.join(' ');
  const period = new PeriodCheck(month, sink);
  for (let i = 0; i < titleIndex; i++) period.scanTitle(rows[i]!, i + 1);
  if (groupRow) skip(summary, 'header');
  skip(summary, 'header');

  const layout: FileSummary['layout'] = col.county !== undefined || col.villageCode !== undefined ? 'flat' : 'county-table';
  summary.layout = layout;

  // --- required columns ---
  const fatal: string[] = [];
  if (col.villageName === undefined && col.villageCode === undefined) fatal.push('帮扶村（或村代码）');
  if (col.unitName === undefined && col.unitCode === undefined) fatal.push('结对帮扶单位（或单位代码）');
  for (const m of METRIC_COLUMNS) {
    if (m.kind !== 'ratio' && col[m.id as FieldId] === undefined) fatal.push(m.header);
  }
  for (const name of fatal) sink.error('MISSING_COLUMN', `缺少必需的列“${name}”`, headerRowNumber, null);

  // --- county context for rows that carry no location of their own ---
  const fileCounty = resolveFileCounty(file, titleText, registry, sink);
  summary.county = fileCounty ? `${fileCounty.province}${fileCounty.prefecture}${fileCounty.name}` : null;
  if (layout === 'county-table' && !fileCounty && col.villageCode === undefined && fatal.length === 0) {
    sink.error('NO_COUNTY', '县表中没有县名：请在标题行写明县名（如“福贡县……统计表”），或把文件放在 exports/月份/省/市/县.csv', null, null);
    fatal.push('县');
  }

  const metricIndex = (id: string) => col[id as FieldId];
  const unnamed = new Set(labels.flatMap((l, i) => (normalizeHeader(l) === '' ? [i] : [])));
  const reportUnnamed = (row: string[], rowNumber: number) => {
    for (let c = 0; c < row.length; c++) {
      if ((c >= labels.length || unnamed.has(c)) && !isBlank(row[c])) {
        sink.warn('UNNAMED_COLUMN', `第 ${c + 1} 列没有列名，但有内容“${(row[c] ?? '').trim().slice(0, 20)}”：已忽略这一列；如是数据，请补上列名`, rowNumber, c);
        unnamed.delete(c);
        labels[c] = labels[c] || ' ';
      }
    }
  };
  const totals = new TotalsTracker();
  let totalRowSeen = false;

  for (const [i, row] of rowsFrom(rows, headerIndex + 1, rest)) {
    const rowNumber = i + 1;
    if (isBlankRow(row)) {
      skip(summary, 'blank');
      continue;
    }
    const identityCells = [col.serial, col.villageName, col.unitName, col.villageCode, col.unitCode, col.county, col.township].map((c) => normalizeHeader(cellAt(row, c)));
    const metricCells = METRIC_COLUMNS.map((m) => cellAt(row, metricIndex(m.id)));
    const metricsBlank = metricCells.every((c) => isBlank(c));

    if (identityCells.some((c) => TOTAL_LABELS.has(c)) || TOTAL_LABELS.has(normalizeHeader(row[0] ?? ''))) {
      skip(summary, 'total');
      totalRowSeen = true;
      if (fatal.length === 0) totals.verify(row, rowNumber, metricIndex, sink);
      continue;
    }
    if (metricHeaderCount(row) >= 8) {
      skip(summary, 'header');
      continue;
    }
    if (metricsBlank && isLegend(normalizeHeader(row.join('')))) {
      skip(summary, 'legend');
      continue;
    }
    if (identityCells.every((c) => c === '' || LEGEND_NOTE.test(c)) && isLegendRow(row)) {
      skip(summary, 'legend');
      continue;
    }
    if (isFooterRow(row)) {
      period.scanFooter(row, rowNumber);
      skip(summary, 'footer');
      continue;
    }
    const villageText = normalizeName(cellAt(row, col.villageName));
    const hasUnit = !isBlank(cellAt(row, col.unitName)) || !isBlank(cellAt(row, col.unitCode));
    const hasVillage = (villageText !== '' && !PLACEHOLDER_VILLAGE.test(villageText)) || !isBlank(cellAt(row, col.villageCode));
    if (metricsBlank && !hasUnit && !hasVillage) {
      // 附件3 ships blank numbered rows (and A村, B村 … placeholders) for counties to fill in.
      skip(summary, 'template');
      continue;
    }
    if (fatal.length > 0) {
      summary.rows.rejected++;
      continue;
    }
    reportUnnamed(row, rowNumber);

    const errorsBefore = sink.errorCount;
    checkInvisible(row, rowNumber, col, sink);
    const found = resolveVillage(row, rowNumber, col, fileCounty, registry, sink);
    const ambiguous = found && 'candidates' in found ? found : null;
    const direct = ambiguous ? null : (found as Village | null);
    const unit = resolveUnit(row, rowNumber, col, direct, ambiguous?.county ?? fileCounty, registry, sink);
    const village = ambiguous ? decideAmbiguous(ambiguous, unit, rowNumber, col, layout, registry, sink) : direct;
    const values = parseMetrics(row, rowNumber, metricIndex, sink, totals);
    if (village && unit) {
      const id = pairingId(village.code, unit.code);
      if (!registry.pairings.has(id)) {
        sink.error(
          'UNREGISTERED_PAIRING',
          `结对关系未登记：${village.name}（${village.code}）与 ${unit.name}（${unit.code}）没有登记在 registry/pairings.csv 中`,
          rowNumber,
          col.unitName ?? col.unitCode ?? null,
        );
      }
    }
    if (values) {
      checkRatios(row, rowNumber, values, metricIndex, sink);
      checkConsistency(rowNumber, values, metricIndex, sink);
      const z = metricValuesSchema.safeParse(values);
      if (!z.success) for (const issue of z.error.issues) sink.error('BAD_NUMBER', `字段 ${issue.path.join('.')}：${issue.message}`, rowNumber, null);
    }
    const errorsAfter = sink.errorCount;
    if (errorsAfter > errorsBefore || !village || !unit || !values || unreadable.has(i)) {
      summary.rows.rejected++;
      continue;
    }
    summary.rows.accepted++;
    records.push({ month, pairingId: pairingId(village.code, unit.code), villageCode: village.code, unitCode: unit.code, values, source: summary.sheet ? { file, sheet: summary.sheet, row: rowNumber } : { file, row: rowNumber } });
  }

  if (layout === 'county-table' && !totalRowSeen && fatal.length === 0 && summary.rows.accepted + summary.rows.rejected > 0) {
    sink.warn('TOTAL_MISSING', '县表没有合计行，无法核对合计', null, null);
  }
  return { records, summary, issues: sink.issues, metricColumns };
}

/** The template's legend row: every non-blank cell is a legend note (and there is one). */
function isLegendRow(row: string[]): boolean {
  let notes = 0;
  for (const cell of row) {
    const n = normalizeHeader(cell);
    if (n === '') continue;
    if (!LEGEND_NOTE.test(n)) return false;
    notes++;
  }
  return notes > 0;
}

/**
 * A sign-off line under (or above) the table, wherever its cells sit: every non-blank cell is a
 * label such as 「填报人：张三」「填报日期：」 or the value right after a label that ends in a
 * colon. A data row has a village, a unit or numbers of its own, so it is never one.
 */
function isFooterRow(row: string[]): boolean {
  let labels = 0;
  let awaitingValue = false;
  for (const cell of row) {
    const n = normalizeHeader(cell);
    if (n === '') continue;
    if (FOOTER_LABEL.test(n)) {
      labels++;
      awaitingValue = /:$/.test(n);
    } else if (awaitingValue) awaitingValue = false;
    else return false;
  }
  return labels > 0;
}

const FILLED_ON = /^(填报日期|填表日期|报送日期)[:：]?(.*)$/;

/** The month a title states: 「截至2020年7月底」, or the one 「2020年7月」 it names; null when none or unclear. */
export function statedMonth(text: string): string | null {
  const s = normalizeCell(text);
  const asOf = /截[至止](\d{4})年(\d{1,2})月/.exec(s);
  const months = asOf ? [asOf] : [...s.matchAll(/(\d{4})年(\d{1,2})月/g)];
  const found = new Set(months.flatMap((m) => (Number(m[2]) >= 1 && Number(m[2]) <= 12 ? [`${m[1]}-${m[2]!.padStart(2, '0')}`] : [])));
  return found.size === 1 ? [...found][0]! : null;
}

const monthText = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5))}月`;
const nextMonth = (m: string) => {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5));
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

/**
 * Where a file states its period — a title 「截至2020年7月底」 or 「2020年7月……」, a 填报日期 —
 * it must agree with the month it is filed under (its exports/YYYY-MM/ folder, or
 * data:import's --month). A title naming another month is an error; so is a 填报日期 before
 * the month began (a July table cannot be filled in June). A 填报日期 more than a month after
 * is a warning only: a late correction is filled in later.
 */
class PeriodCheck {
  private readonly month: string | null;
  private readonly sink: IssueSink;
  constructor(month: string | null, sink: IssueSink) {
    this.month = month;
    this.sink = sink;
  }

  scanTitle(row: string[], rowNumber: number): void {
    for (let c = 0; c < row.length; c++) {
      const cell = row[c] ?? '';
      if (normalizeCell(cell) === '') continue;
      if (this.filledOn(row, c, rowNumber)) continue;
      const stated = statedMonth(cell);
      if (stated && this.month && stated !== this.month) {
        this.sink.error(
          'PERIOD_MISMATCH',
          `标题写明的是${monthText(stated)}（“${clip(cell.trim())}”），但这个文件按${monthText(this.month)}检查（所在的 ${this.month} 文件夹，或 --month ${this.month}）：请核对是哪个月的表——是${monthText(stated)}的，就按 --month ${stated} 导入；否则改正标题`,
          rowNumber,
          c,
        );
      }
    }
  }

  scanFooter(row: string[], rowNumber: number): void {
    for (let c = 0; c < row.length; c++) this.filledOn(row, c, rowNumber);
  }

  /** A 填报日期 cell (the date in it, or in the next non-blank cell of the row); true when cell c is one. */
  private filledOn(row: string[], c: number, rowNumber: number): boolean {
    const m = FILLED_ON.exec(normalizeCell(row[c] ?? ''));
    if (!m) return false;
    let text = m[2] ?? '';
    let at = c;
    if (text === '') {
      for (let k = c + 1; k < row.length; k++) {
        if (normalizeCell(row[k] ?? '') !== '') {
          text = normalizeCell(row[k]!);
          at = k;
          break;
        }
      }
    }
    const date = parseDate(text.replace(/[日号]$/, '日'));
    if (!this.month || !date.ok || date.value === null) return true;
    const filled = date.value.slice(0, 7);
    if (filled < this.month) {
      this.sink.error('PERIOD_MISMATCH', `填报日期是 ${date.value}，早于这个文件所属的${monthText(this.month)}（所在的 ${this.month} 文件夹，或 --month ${this.month}）：${monthText(this.month)}的进展表不可能在此之前填报。请核对是哪个月的表，或改正填报日期`, rowNumber, at);
    } else if (filled > nextMonth(this.month)) {
      this.sink.warn('PERIOD_MISMATCH', `填报日期是 ${date.value}，比这个文件所属的${monthText(this.month)}晚一个多月：如不是补报或更正，请核对是哪个月的表`, rowNumber, at);
    }
    return true;
  }
}

function accountUnread(rows: Iterable<[number, string[]]>, summary: FileSummary): void {
  for (const [, row] of rows) {
    if (isBlankRow(row)) skip(summary, 'blank');
    else summary.rows.rejected++;
  }
}

/** Rows gathered before the header is looked for: it is within the first 12 (findHeader). */
const HEAD = 12;

function take(rows: Iterator<string[]>, n: number): string[][] {
  const out: string[][] = [];
  while (out.length < n) {
    const r = rows.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

/** [index, row] from `head[from]` on, then the rest of the table. */
function* rowsFrom(head: string[][], from: number, rest: Iterator<string[]>): Generator<[number, string[]]> {
  for (let i = from; i < head.length; i++) yield [i, head[i]!];
  let i = head.length;
  for (let r = rest.next(); !r.done; r = rest.next()) yield [i++, r.value];
}

/** The county a file is about, from its title line or its path (exports/月/省/市/县.csv). */
function resolveFileCounty(file: string, titleText: string, registry: RegistryIndex, sink: IssueSink): County | null {
  const segments = file.replace(/\\/g, '/').split('/').map((s) => normalizeName(s.replace(/\.(csv|txt|tsv|xlsx|xls)$/i, '')));
  const fromPath = findCountyIn(segments, registry, (c) => segments.includes(normalizeName(c.name)));
  const title = normalizeName(titleText);
  const fromTitle = title ? findCountyIn(segments, registry, (c) => title.includes(normalizeName(c.name))) : null;
  if (fromPath && fromTitle && fromPath.code !== fromTitle.code) {
    sink.error('COUNTY_CONFLICT', `标题写的是${fromTitle.name}，文件路径写的是${fromPath.name}：请核对是哪个县的表`, 1, 0);
    return null;
  }
  return fromTitle ?? fromPath;
}

function findCountyIn(segments: string[], registry: RegistryIndex, test: (c: County) => boolean): County | null {
  let found: County[] = [];
  for (const c of registry.counties.values()) if (test(c)) found.push(c);
  if (found.length > 1) {
    // Prefer the longest name (东乡族自治县 over 乡…), then the one whose province/prefecture the path names.
    const longest = Math.max(...found.map((c) => c.name.length));
    found = found.filter((c) => c.name.length === longest);
    const byPath = found.filter((c) => segments.includes(normalizeName(c.province)) || segments.includes(normalizeName(c.prefecture)));
    if (byPath.length === 1) return byPath[0]!;
  }
  return found.length === 1 ? found[0]! : null;
}

type Columns = Partial<Record<FieldId, number>>;

const NAME_FIELDS = ['province', 'prefecture', 'county', 'township', 'villageName', 'unitName'] as const satisfies ReadonlyArray<FieldId>;

/** Zero-width and direction-control characters in a name are errors: invisible, they make two names differ. */
function checkInvisible(row: string[], rowNumber: number, col: Columns, sink: IssueSink): void {
  for (const field of NAME_FIELDS) {
    const cell = cellAt(row, col[field]);
    if (!INVISIBLE_CHARS.test(cell)) continue;
    sink.error('INVISIBLE_CHARACTER', `“${cell.replace(INVISIBLE_GLOBAL, '').trim()}”中含有看不见的字符 ${invisibleCharsIn(cell).join('、')}：它们会让名称与登记名称不一致，或把文字倒过来显示。请删除这个单元格的内容后重新输入`, rowNumber, col[field] ?? null);
  }
}
const INVISIBLE_GLOBAL = new RegExp(INVISIBLE_CHARS.source, 'gu');

/** A village name that several villages of the county share (in different 乡镇). */
interface AmbiguousVillage {
  name: string;
  county: County;
  candidates: Village[];
}

/**
 * A village name repeated in the county: the row's unit decides when it is registered with
 * exactly one of the candidates; otherwise the error lists them and says what to add.
 */
function decideAmbiguous(a: AmbiguousVillage, unit: Unit | null, rowNumber: number, col: Columns, layout: FileSummary['layout'], registry: RegistryIndex, sink: IssueSink): Village | null {
  const paired = unit ? a.candidates.filter((v) => registry.pairings.has(pairingId(v.code, unit.code))) : [];
  if (paired.length === 1) return paired[0]!;
  const list = a.candidates.map((v) => `${v.township}的${v.name}（村代码 ${v.code}）`).join('；');
  const why = !unit ? '' : paired.length === 0 ? `结对帮扶单位“${unit.name}”与其中任何一个都没有登记结对，无法据此判断。` : `结对帮扶单位“${unit.name}”与其中 ${paired.length} 个都登记了结对，无法据此判断。`;
  const add =
    col.township !== undefined
      ? `请在此行的“乡镇”列（${columnLetter(col.township)} 列）填写所在乡镇${col.villageCode !== undefined ? '，或在“村代码”列填写村代码' : '，或加一列“村代码”填写 12 位村代码'}`
      : col.villageCode !== undefined
        ? '请在此行的“村代码”列填写村代码，或加一列“乡镇”填写所在乡镇'
        : layout === 'county-table'
          ? '附件3 县表只有村名：请在“帮扶村”列后加一列“乡镇”并填写所在乡镇，或加一列“村代码”填写 12 位村代码'
          : '请加一列“乡镇”填写所在乡镇，或加一列“村代码”填写 12 位村代码';
  sink.error('AMBIGUOUS_VILLAGE', `${a.county.name}有 ${a.candidates.length} 个村叫“${a.name}”：${list}。${why}${add}`, rowNumber, col.villageName ?? null);
  return null;
}

function resolveVillage(row: string[], rowNumber: number, col: Columns, fileCounty: County | null, registry: RegistryIndex, sink: IssueSink): Village | AmbiguousVillage | null {
  const codeCell = normalizeCell(cellAt(row, col.villageCode));
  const name = cellAt(row, col.villageName).trim();
  const countyName = normalizeName(cellAt(row, col.county));
  const provinceName = normalizeName(cellAt(row, col.province));
  if (codeCell !== '') {
    if (!/^\d{12}$/.test(codeCell)) {
      sink.error('BAD_VILLAGE_CODE', `村代码“${codeCell}”应为 12 位数字（统计用区划代码）`, rowNumber, col.villageCode ?? null);
      return null;
    }
    const v = registry.villages.get(codeCell);
    if (!v) {
      sink.error('UNKNOWN_VILLAGE', `村代码 ${codeCell} 不在村名录（registry/villages.csv）中${name ? `（此行村名为“${name}”）` : ''}`, rowNumber, col.villageCode ?? null);
      return null;
    }
    if (countyName !== '' && countyName !== normalizeName(v.county)) {
      sink.error('LOCATION_MISMATCH', `此行写的县是“${cellAt(row, col.county).trim()}”，但村代码 ${codeCell} 是${v.county}的${v.name}`, rowNumber, col.county ?? null);
      return null;
    }
    if (name !== '' && normalizeName(name) !== normalizeName(v.name)) {
      sink.error('LOCATION_MISMATCH', `此行村名是“${name}”，但村代码 ${codeCell} 登记的是“${v.name}”`, rowNumber, col.villageName ?? null);
      return null;
    }
    const townshipCell = cellAt(row, col.township).trim();
    if (townshipCell !== '' && townshipKey(townshipCell) !== townshipKey(v.township)) {
      sink.error('TOWNSHIP_MISMATCH', `此行乡镇是“${townshipCell}”，但村代码 ${codeCell}（${v.name}）登记在${v.township}：请核对乡镇或村代码`, rowNumber, col.township ?? null);
      return null;
    }
    return v;
  }
  if (name === '') {
    sink.error('MISSING_IDENTITY', '缺少帮扶村：请填写村名或村代码', rowNumber, col.villageName ?? null);
    return null;
  }
  let county: County | null = fileCounty;
  if (countyName !== '') {
    let candidates = registry.countiesByName.get(countyName) ?? [];
    if (candidates.length > 1 && provinceName) candidates = candidates.filter((c) => normalizeName(c.province) === provinceName);
    if (candidates.length !== 1) {
      const all = [...registry.counties.values()].map((c) => c.name);
      sink.error('UNKNOWN_COUNTY', `县“${cellAt(row, col.county).trim()}”不在村名录中${suggestion(countyName, all)}`, rowNumber, col.county ?? null);
      return null;
    }
    county = candidates[0]!;
  }
  if (!county) {
    sink.error('NO_COUNTY', '无法确定此行的县：请填写“县”列或村代码', rowNumber, col.villageName ?? null);
    return null;
  }
  const named = county.villagesByName.get(normalizeName(name)) ?? [];
  const townshipCell = cellAt(row, col.township).trim();
  const township = townshipCell === '' ? '' : townshipKey(townshipCell);
  // The row's 乡镇 decides between villages of the same name, and must agree with the registry.
  const matches = township ? named.filter((v) => townshipKey(v.township) === township) : named;
  if (named.length > 0 && matches.length === 0) {
    sink.error('TOWNSHIP_MISMATCH', `此行乡镇是“${townshipCell}”，但${county.name}的“${name}”登记在${named.map((v) => `${v.township}（村代码 ${v.code}）`).join('、')}：请核对乡镇或村名`, rowNumber, col.township ?? null);
    return null;
  }
  if (matches.length === 0) {
    sink.error('UNKNOWN_VILLAGE', `帮扶村“${name}”不在${county.name}的村名录中${suggestion(name, county.villages.map((v) => v.name), '村代码')}`, rowNumber, col.villageName ?? null);
    return null;
  }
  if (matches.length > 1) return { name, county, candidates: matches };
  return matches[0]!;
}

function resolveUnit(row: string[], rowNumber: number, col: Columns, village: Village | null, fileCounty: County | null, registry: RegistryIndex, sink: IssueSink): Unit | null {
  const codeCell = normalizeCell(cellAt(row, col.unitCode)).toUpperCase();
  const name = cellAt(row, col.unitName).trim();
  if (codeCell !== '') {
    const u = registry.units.get(codeCell);
    if (!u) {
      sink.error('UNKNOWN_UNIT', `单位代码 ${codeCell} 不在单位名录（registry/units.csv）中${name ? `（此行单位名称为“${name}”）` : ''}`, rowNumber, col.unitCode ?? null);
      return null;
    }
    if (name !== '' && normalizeName(name) !== normalizeName(u.name)) {
      sink.error('LOCATION_MISMATCH', `此行单位名称是“${name}”，但单位代码 ${codeCell} 登记的是“${u.name}”`, rowNumber, col.unitName ?? null);
      return null;
    }
    return u;
  }
  if (name === '') {
    sink.error('MISSING_IDENTITY', '缺少结对帮扶单位：请填写单位名称或单位代码', rowNumber, col.unitName ?? null);
    return null;
  }
  const key = normalizeName(name);
  // Within the county first: the village's own units, then the county's.
  const county = village ? registry.counties.get(village.countyCode) ?? null : fileCounty;
  const local = [...(village ? registry.unitsByVillage.get(village.code) ?? [] : []), ...(county ? county.units.values() : [])];
  const localMatch = [...new Map(local.filter((u) => normalizeName(u.name) === key).map((u) => [u.code, u])).values()];
  if (localMatch.length === 1) return localMatch[0]!;
  const global = registry.unitsByName.get(key) ?? [];
  if (global.length === 1) return global[0]!;
  if (global.length > 1) {
    sink.error('AMBIGUOUS_UNIT', `单位名称“${name}”在单位名录中有 ${global.length} 个（${global.map((u) => u.code).join('、')}）：请填写单位代码`, rowNumber, col.unitName ?? null);
    return null;
  }
  const pool = local.length > 0 ? local.map((u) => u.name) : [...registry.units.values()].map((u) => u.name);
  sink.error('UNKNOWN_UNIT', `结对帮扶单位“${name}”不在单位名录中${suggestion(name, pool, '单位代码')}`, rowNumber, col.unitName ?? null);
  return null;
}

function parseMetrics(row: string[], rowNumber: number, metricIndex: (id: string) => number | undefined, sink: IssueSink, totals: TotalsTracker): MetricValues | null {
  const values: Record<string, number | boolean | null> = {};
  let ok = true;
  for (const m of METRIC_COLUMNS) {
    if (m.kind === 'ratio') continue;
    const index = metricIndex(m.id);
    const cell = cellAt(row, index);
    const r = m.kind === 'money' ? parseMoney(cell) : m.kind === 'count' ? parseCount(cell) : parseFlag(cell);
    if (!r.ok) {
      ok = false;
      totals.poison(m.id);
      sink.error(r.code, `${m.header}：${r.reason}`, rowNumber, index ?? null);
      continue;
    }
    values[m.id] = r.value;
    totals.add(m.id, r.value);
  }
  return ok ? (values as MetricValues) : null;
}

/** Ratios are derived: recompute, and warn where the file's own figure disagrees beyond rounding. */
function checkRatios(row: string[], rowNumber: number, values: MetricValues, metricIndex: (id: string) => number | undefined, sink: IssueSink): void {
  for (const m of METRIC_COLUMNS) {
    if (m.kind !== 'ratio' || !m.ratioOf) continue;
    const index = metricIndex(m.id);
    if (index === undefined) continue;
    const cell = cellAt(row, index);
    const r = parseRatio(cell);
    if (!r.ok) {
      sink.warn('RATIO_UNREADABLE', `${m.header}：${r.reason}；比例由系统按计划与完成数重新计算`, rowNumber, index);
      continue;
    }
    const plan = values[m.ratioOf.plan] as number | null;
    const done = values[m.ratioOf.done] as number | null;
    if (r.value === null || plan === null || done === null) continue;
    if (plan === 0) {
      if (r.value !== 0) sink.warn('RATIO_MISMATCH', `${m.header}：计划为 0（无计划），比例应为“无计划”，文件填的是 ${cell.trim()}`, rowNumber, index);
      continue;
    }
    const computed = (done / plan) * 100;
    if (Math.abs(r.value - computed) > 0.5 && Math.abs(r.value * 100 - computed) > 0.5) {
      sink.warn('RATIO_MISMATCH', `${m.header}：文件填 ${cell.trim()}，按计划与完成数计算应为 ${computed.toFixed(2)}%（以计算值为准）`, rowNumber, index);
    }
  }
}

function checkConsistency(rowNumber: number, v: MetricValues, metricIndex: (id: string) => number | undefined, sink: IssueSink): void {
  if (v.hasIndustryPlan === false && v.industryPlanDone === true) {
    sink.warn('FLAG_INCONSISTENT', '“是否有产业扶贫计划”为 0，但“是否已完成计划”为 1', rowNumber, metricIndex('industryPlanDone') ?? null);
  }
  if (v.stationed === false && (v.stationedCount ?? 0) > 0) {
    sink.warn('FLAG_INCONSISTENT', `“是否派驻村”为 0，但已驻村人数为 ${v.stationedCount}`, rowNumber, metricIndex('stationedCount') ?? null);
  }
  for (const [plan, done, label] of [
    ['fundsPlan', 'fundsDone', '资金'],
    ['materialsPlan', 'materialsDone', '物资'],
    ['salesPlan', 'salesDone', '销售'],
    ['jobsPlan', 'jobsDone', '就业'],
    ['trainingPlan', 'trainingDone', '培训'],
  ] as const) {
    if (v[plan] === 0 && (v[done] ?? 0) > 0) {
      const doneText = plan === 'jobsPlan' || plan === 'trainingPlan' ? `${v[done]} 人` : `${yuanToWanString(v[done]!)} 万元`;
      sink.warn('DONE_WITHOUT_PLAN', `${label}计划为 0（无计划），但已完成 ${doneText}：请核对是否漏填计划`, rowNumber, metricIndex(done) ?? null);
    }
  }
}

/** Column sums of the data rows, to verify the 合计 row. */
class TotalsTracker {
  private sums = new Map<string, number>();
  private poisoned = new Set<string>();
  add(id: string, value: number | boolean | null): void {
    if (value === null) return;
    this.sums.set(id, (this.sums.get(id) ?? 0) + (typeof value === 'boolean' ? (value ? 1 : 0) : value));
  }
  poison(id: string): void {
    this.poisoned.add(id);
  }
  verify(row: string[], rowNumber: number, metricIndex: (id: string) => number | undefined, sink: IssueSink): void {
    const sum = (id: string) => this.sums.get(id) ?? 0;
    for (const m of METRIC_COLUMNS) {
      const index = metricIndex(m.id);
      if (index === undefined) continue;
      const cell = cellAt(row, index);
      if (isBlank(cell)) continue;
      if (m.kind === 'ratio') {
        checkTotalRatio(m, cell, sum, rowNumber, index, sink);
        continue;
      }
      if (this.poisoned.has(m.id)) continue; // a bad cell above: its own error says so
      const parsed = m.kind === 'money' ? parseMoney(cell) : parseCount(cell);
      if (!parsed.ok || parsed.value === null) {
        sink.error('TOTAL_MISMATCH', `合计行 ${m.header}：${parsed.ok ? '无法读取' : parsed.reason}`, rowNumber, index);
        continue;
      }
      if (parsed.value !== sum(m.id)) {
        const show = (n: number) => (m.kind === 'money' ? `${yuanToWanString(n)} 万元` : String(n));
        sink.error('TOTAL_MISMATCH', `合计行 ${m.header}：填的是 ${show(parsed.value)}，各行之和为 ${show(sum(m.id))}`, rowNumber, index);
      }
    }
  }
}

function checkTotalRatio(m: MetricColumn, cell: string, sum: (id: string) => number, rowNumber: number, index: number, sink: IssueSink): void {
  if (!m.ratioOf) return;
  const r = parseRatio(cell);
  const plan = sum(m.ratioOf.plan);
  if (!r.ok || r.value === null || plan === 0) return;
  const computed = (sum(m.ratioOf.done) / plan) * 100;
  if (Math.abs(r.value - computed) > 0.5 && Math.abs(r.value * 100 - computed) > 0.5) {
    sink.warn('TOTAL_RATIO_MISMATCH', `合计行 ${m.header}：文件填 ${cell.trim()}，按合计计算应为 ${computed.toFixed(2)}%`, rowNumber, index);
  }
}

