/**
 * Excel workbooks (.xlsx) → the cells as Excel shows them, one grid per sheet, so a workbook
 * enters the same pipeline as a CSV (read-table.ts) right after decoding. Row i of a grid is
 * Excel's row i + 1 and column j is Excel's column letter j, so every message names the
 * cell Excel shows.
 *
 * What "as Excel shows them" means here: a merged range's value sits in its top-left cell,
 * the others are blank (as Excel's own "save as CSV" writes them); numbers are shown to 15
 * significant digits (Excel's display precision), in percent where the cell's format is a
 * percentage; dates as 2020-08-03; TRUE/FALSE; error values as #DIV/0!; a formula by its
 * cached value (the value Excel last calculated, stored in the file). A formula without a
 * cached value cannot be known without recalculating it, and is an error on its cell.
 *
 * Workbooks are hostile input: a 100 KB zip can inflate to gigabytes. Limits are checked
 * before and while inflating (Node's zlib with maxOutputLength, so a zip whose declared
 * sizes lie is still stopped), then on sheets, rows and cells.
 *
 * Why this reader and not a workbook library (the choice is explained for staff in
 * docs/staff-guide.md, “Excel 工作簿”): the ingest core is synchronous and pure (bytes in,
 * records out), and the maintained readers on npm are asynchronous (exceljs, through JSZip
 * and streams; read-excel-file, which also reads a formula without a cached value or with an
 * error as an empty cell). SheetJS's `xlsx` on npm is abandoned at 0.18.5 with published
 * advisories (prototype pollution, ReDoS). So the zip is read with Node's own zlib and the
 * XML with fast-xml-parser (MIT, maintained, no DTD entity expansion); what remains here is
 * the OOXML meaning of the cells, which is small.
 */
import { inflateRawSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { columnLetter } from './issues.ts';

export interface WorkbookLimits {
  /** bytes of the .xlsx file itself */
  fileBytes: number;
  /** bytes of all the XML parts read, once inflated */
  unzippedBytes: number;
  sheets: number;
  /** rows of one sheet (Excel's own limit is 1,048,576) */
  rows: number;
  /** non-empty cells of the whole workbook */
  cells: number;
}

export const WORKBOOK_LIMITS: WorkbookLimits = {
  fileBytes: 50 * 1024 * 1024,
  unzippedBytes: 200 * 1024 * 1024,
  sheets: 100,
  rows: 200_000,
  cells: 4_000_000,
};

export interface CellProblem {
  /** 1-based row, 0-based column */
  row: number;
  column: number;
  message: string;
}

export interface Sheet {
  name: string;
  /** hidden or very hidden in Excel */
  hidden: boolean;
  rows: string[][];
  /** 1-based numbers of rows hidden in Excel */
  hiddenRows: number[];
  /** cells whose value cannot be known (a formula without a cached value) */
  problems: CellProblem[];
}

export type WorkbookResult =
  | { ok: true; sheets: Sheet[] }
  | { ok: false; reason: 'too-large' | 'corrupt' | 'encrypted'; detail: string };

/** A zip file (every .xlsx is one). */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** An OLE2 compound file: an old .xls workbook, or an .xlsx with a password to open. */
export function isCompoundFile(bytes: Uint8Array): boolean {
  const sig = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  return bytes.length >= 8 && sig.every((b, i) => bytes[i] === b);
}

const nf = new Intl.NumberFormat('zh-CN');
const mb = (n: number) => `${nf.format(Math.round(n / 1024 / 1024))} MB`;

export function readWorkbook(bytes: Uint8Array, limits: WorkbookLimits = WORKBOOK_LIMITS): WorkbookResult {
  if (bytes.length > limits.fileBytes) return tooLarge(`文件有 ${mb(bytes.length)}，超过工作簿上限 ${mb(limits.fileBytes)}`);
  let zip: Map<string, ZipEntry>;
  try {
    zip = readZipDirectory(bytes);
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: `工作簿已损坏，无法解压（${(e as Error).message}）` };
  }
  let budget = limits.unzippedBytes;
  const part = (name: string): string | null => {
    const entry = zip.get(name);
    if (!entry) return null;
    if (entry.flags & 1) throw new WorkbookError('encrypted', '工作簿中的内容已加密');
    if (entry.size > budget) throw new WorkbookError('too-large', `工作簿解压后超过 ${mb(limits.unzippedBytes)}（${name} 声明为 ${mb(entry.size)}）`);
    const text = inflate(bytes, entry, budget, limits);
    budget -= text.length;
    return text.toString('utf8');
  };

  try {
    const workbookXml = part('xl/workbook.xml');
    if (workbookXml === null) return { ok: false, reason: 'corrupt', detail: '这不是 Excel 工作簿（.xlsx）：缺少 xl/workbook.xml' };
    const wb = xml.parse(workbookXml).workbook ?? {};
    const date1904 = ['1', 'true'].includes(String(wb.workbookPr?.['@_date1904'] ?? ''));
    const sheetDefs: Array<Record<string, string>> = wb.sheets?.sheet ?? [];
    if (sheetDefs.length > limits.sheets) return tooLarge(`工作簿有 ${nf.format(sheetDefs.length)} 个工作表，超过上限 ${nf.format(limits.sheets)} 个`);
    const rels = new Map<string, string>();
    const byType = new Map<string, string>();
    for (const r of xml.parse(part('xl/_rels/workbook.xml.rels') ?? '').Relationships?.Relationship ?? []) {
      rels.set(r['@_Id'], r['@_Target']);
      byType.set(String(r['@_Type'] ?? '').split('/').pop() ?? '', partPath(String(r['@_Target'] ?? '')));
    }
    const shared = readSharedStrings(part(byType.get('sharedStrings') ?? 'xl/sharedStrings.xml'));
    const styles = readStyles(part(byType.get('styles') ?? 'xl/styles.xml'));

    let cells = 0;
    const sheets: Sheet[] = [];
    for (const def of sheetDefs) {
      const name = String(def['@_name'] ?? '');
      const sheetXml = part(partPath(rels.get(def['@_r:id'] ?? def['@_id'] ?? '') ?? ''));
      if (sheetXml === null) {
        // A chart sheet or a dialog sheet: no cells.
        sheets.push({ name, hidden: def['@_state'] === 'hidden' || def['@_state'] === 'veryHidden', rows: [], hiddenRows: [], problems: [] });
        continue;
      }
      const dimension = /<dimension\s+ref="[A-Z]+\d+:[A-Z]+(\d+)"/.exec(sheetXml.slice(0, 4096));
      if (dimension && Number(dimension[1]) > limits.rows) return tooLarge(`工作表“${name}”有 ${nf.format(Number(dimension[1]))} 行，超过上限 ${nf.format(limits.rows)} 行`);
      const sheet = readSheet(name, sheetXml, shared, styles, date1904, limits, cells);
      if ('tooLarge' in sheet) return tooLarge(sheet.tooLarge);
      cells = sheet.cells;
      sheet.sheet.hidden = def['@_state'] === 'hidden' || def['@_state'] === 'veryHidden';
      sheets.push(sheet.sheet);
    }
    return { ok: true, sheets };
  } catch (e) {
    if (e instanceof WorkbookError) return { ok: false, reason: e.reason, detail: e.message };
    return { ok: false, reason: 'corrupt', detail: `工作簿已损坏，无法读取（${(e as Error).message.slice(0, 200)}）` };
  }
}

/** A relationship target of xl/workbook.xml as a path in the zip ("worksheets/sheet1.xml" → "xl/worksheets/sheet1.xml"). */
function partPath(target: string): string {
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`.replace(/\/[^/]+\/\.\.\//g, '/');
}

class WorkbookError extends Error {
  readonly reason: 'too-large' | 'corrupt' | 'encrypted';
  constructor(reason: 'too-large' | 'corrupt' | 'encrypted', message: string) {
    super(message);
    this.reason = reason;
  }
}

const tooLarge = (detail: string): WorkbookResult => ({ ok: false, reason: 'too-large', detail });

// --- zip -----------------------------------------------------------------------------

interface ZipEntry {
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** The zip's central directory: name → where its data is and how large it says it is. */
function readZipDirectory(bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('找不到 zip 目录');
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const entries = new Map<string, ZipEntry>();
  const decoder = new TextDecoder('utf-8');
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw new Error('zip 目录不完整');
    const nameLength = view.getUint16(p + 28, true);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength));
    entries.set(name, {
      flags: view.getUint16(p + 8, true),
      method: view.getUint16(p + 10, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    });
    p += 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
  }
  return entries;
}

function inflate(bytes: Uint8Array, entry: ZipEntry, budget: number, limits: WorkbookLimits): Buffer {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = entry.localOffset;
  if (p + 30 > bytes.length || view.getUint32(p, true) !== 0x04034b50) throw new WorkbookError('corrupt', '工作簿已损坏（zip 条目位置不对）');
  const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return Buffer.from(data);
  if (entry.method !== 8) throw new WorkbookError('corrupt', `工作簿使用了不支持的压缩方式（${entry.method}）`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw new WorkbookError('too-large', `工作簿解压后超过 ${mb(limits.unzippedBytes)}`);
    }
    throw new WorkbookError('corrupt', `工作簿已损坏，无法解压（${(e as Error).message}）`);
  }
}

// --- XML -----------------------------------------------------------------------------

const ARRAYS = new Set(['sheet', 'Relationship', 'si', 'r', 'numFmt', 'xf', 'row', 'c', 'mergeCell']);
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ARRAYS.has(name),
});

type Node = Record<string, unknown>;

/** The text of a <t> element (a string, or an object when it has xml:space), with &#10; and the like decoded. */
function textOf(t: unknown): string {
  if (t === undefined || t === null) return '';
  const s = typeof t === 'object' ? String((t as Node)['#text'] ?? '') : String(t);
  return s.includes('&#') ? s.replace(/&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});/g, (ref, n: string) => {
    const cp = n[0] === 'x' ? parseInt(n.slice(1), 16) : Number(n);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : ref;
  }) : s;
}

/** A shared or inline string: plain <t>, or rich-text runs <r><t>; phonetic runs (<rPh>) are not shown. */
function stringItem(si: Node | undefined): string {
  if (!si) return '';
  if (si.t !== undefined) return textOf(si.t);
  return ((si.r as Node[] | undefined) ?? []).map((r) => textOf(r.t)).join('');
}

function readSharedStrings(text: string | null): string[] {
  if (!text) return [];
  const sst = xml.parse(text).sst ?? {};
  return ((sst.si as Node[] | undefined) ?? []).map(stringItem);
}

interface Styles {
  /** cellXfs index → how its numbers are shown */
  kinds: Array<'date' | 'percent' | 'number'>;
}

const BUILTIN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

function formatKind(id: number, code: string | undefined): 'date' | 'percent' | 'number' {
  if (code === undefined) return BUILTIN_DATES.has(id) ? 'date' : id === 9 || id === 10 ? 'percent' : 'number';
  // Quoted text, escaped characters, [colour]/[$-804] parts and the text section say nothing of dates.
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]|_.|\*./g, '').split(';')[0] ?? '';
  if (/[yYdD]|[年月日]/.test(bare) || /[hH].*[sS]|[mM].*[dD]|[dD].*[mM]/.test(bare)) return 'date';
  if (bare.includes('%')) return 'percent';
  return 'number';
}

function readStyles(text: string | null): Styles {
  if (!text) return { kinds: [] };
  const ss = (xml.parse(text).styleSheet ?? {}) as Node;
  const codes = new Map<number, string>();
  for (const f of ((ss.numFmts as Node | undefined)?.numFmt as Node[] | undefined) ?? []) codes.set(Number(f['@_numFmtId']), String(f['@_formatCode'] ?? ''));
  const xfs = ((ss.cellXfs as Node | undefined)?.xf as Node[] | undefined) ?? [];
  return { kinds: xfs.map((xf) => formatKind(Number(xf['@_numFmtId'] ?? 0), codes.get(Number(xf['@_numFmtId'] ?? 0)))) };
}

/** "AB12" → [row 12, column index 27]; null when it is not a cell reference. */
function parseRef(ref: string): [number, number] | null {
  const m = /^([A-Z]{1,3})(\d+)$/.exec(ref);
  if (!m) return null;
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + (ch.charCodeAt(0) - 64);
  return [Number(m[2]), col - 1];
}

/** Excel shows at most 15 significant digits: 0.1+0.2 is shown, and meant, as 0.3. */
function showNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return String(Number(n.toPrecision(15)));
}

function showDate(serial: number, date1904: boolean): string {
  // 1900 system: day 1 is 1900-01-01 and Excel counts a 1900-02-29 that never was (day 60).
  const days = date1904 ? serial + 1462 : serial < 60 ? serial + 1 : serial;
  const ms = Math.round((days - 25569) * 86400) * 1000;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return showNumber(serial);
  const iso = d.toISOString();
  const time = iso.slice(11, 16);
  return time === '00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${time}`;
}

function readSheet(
  name: string,
  text: string,
  shared: string[],
  styles: Styles,
  date1904: boolean,
  limits: WorkbookLimits,
  cellsBefore: number,
): { sheet: Sheet; cells: number } | { tooLarge: string } {
  const ws = (xml.parse(text).worksheet ?? {}) as Node;
  const rowNodes = ((ws.sheetData as Node | undefined)?.row as Node[] | undefined) ?? [];
  const rows: string[][] = [];
  const hiddenRows: number[] = [];
  const problems: CellProblem[] = [];
  let cells = cellsBefore;
  let nextRow = 1;
  for (const rowNode of rowNodes) {
    const r = Number(rowNode['@_r'] ?? nextRow);
    if (!Number.isSafeInteger(r) || r < 1 || r > limits.rows) return { tooLarge: `工作表“${name}”有第 ${nf.format(r)} 行，超过上限 ${nf.format(limits.rows)} 行` };
    nextRow = r + 1;
    while (rows.length < r) rows.push([]);
    const row = rows[r - 1]!;
    if (rowNode['@_hidden'] === '1' || rowNode['@_hidden'] === 'true') hiddenRows.push(r);
    let nextCol = 0;
    for (const c of (rowNode.c as Node[] | undefined) ?? []) {
      const pos = typeof c['@_r'] === 'string' ? parseRef(c['@_r']) : null;
      const col: number = pos ? pos[1] : nextCol;
      nextCol = col + 1;
      if (col > 16383) continue;
      const value = cellText(c, shared, styles, date1904);
      if (value === null) {
        problems.push({ row: r, column: col, message: `${columnLetter(col)}${r} 是公式（=${clipFormula(c.f)}），但文件中没有保存计算结果：请在 Excel 中打开、计算后保存，或把公式换成数值` });
        continue;
      }
      if (value === '') continue;
      if (++cells > limits.cells) return { tooLarge: `工作簿的非空单元格超过上限 ${nf.format(limits.cells)} 个` };
      while (row.length < col) row.push('');
      row[col] = value;
    }
  }
  // A merged range shows its value once, in its top-left cell.
  const merges = ((ws.mergeCells as Node | undefined)?.mergeCell as Node[] | undefined) ?? [];
  for (const m of merges) {
    const [from, to] = String(m['@_ref'] ?? '').split(':');
    const a = from ? parseRef(from) : null;
    const b = to ? parseRef(to) : null;
    if (!a || !b) continue;
    for (let rr = a[0]; rr <= Math.min(b[0], rows.length); rr++) {
      const row = rows[rr - 1]!;
      for (let cc = a[1]; cc <= Math.min(b[1], row.length - 1); cc++) if (rr !== a[0] || cc !== a[1]) row[cc] = '';
    }
  }
  for (const row of rows) while (row.length > 0 && row[row.length - 1] === '') row.pop();
  while (rows.length > 0 && rows[rows.length - 1]!.length === 0) rows.pop();
  return { sheet: { name, hidden: false, rows, hiddenRows, problems }, cells };
}

function clipFormula(f: unknown): string {
  const s = textOf(f);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s || '共享公式';
}

/** A cell as Excel shows it; null for a formula whose value was never stored. */
function cellText(c: Node, shared: string[], styles: Styles, date1904: boolean): string | null {
  const type = (c['@_t'] as string | undefined) ?? 'n';
  const v = c.v === undefined ? undefined : textOf(c.v);
  if (type === 'inlineStr') return stringItem(c.is as Node | undefined);
  if (v === undefined) return c.f !== undefined ? null : '';
  switch (type) {
    case 's':
      return shared[Number(v)] ?? '';
    case 'str':
    case 'e':
      return v;
    case 'b':
      return v === '1' || v === 'true' ? 'TRUE' : 'FALSE';
    case 'd':
      return v.slice(0, 10);
    default: {
      const n = Number(v);
      if (v.trim() === '' || Number.isNaN(n)) return v;
      const kind = styles.kinds[Number(c['@_s'] ?? 0)] ?? 'number';
      if (kind === 'date') return showDate(n, date1904);
      if (kind === 'percent') return `${showNumber(n * 100)}%`;
      return showNumber(n);
    }
  }
}
