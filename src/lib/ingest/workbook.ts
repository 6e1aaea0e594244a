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
 * Every valid workbook is read, whoever wrote it: parts are found through the package's
 * relationships (relative, absolute and `../` targets), elements by namespace and local name
 * (prefixed XML as openpyxl and the .NET Open XML SDK write it; Transitional and Strict OOXML
 * namespaces), and a sheet's declared dimension is ignored (the cells are what is there).
 *
 * Workbooks are hostile input, and the reader is bounded by construction: memory and time
 * follow the cells really present, never what the file declares.
 * - the zip: limits on the file and on the inflated bytes, checked before and while inflating
 *   (zip.ts), so a zip whose declared sizes lie is still stopped;
 * - the XML is streamed (xml.ts): no tree is built, no DTD is read, depth and elements are
 *   limited across the workbook;
 * - a grid holds only rows up to its last non-empty cell and each row only up to its last
 *   non-empty cell; the cells a grid holds (blanks before a value included) are limited, so a
 *   lone cell at XFD1048576 is refused or read for what it is, never padded to 16,384 columns
 *   of a million rows; empty styled cells and rows allocate nothing;
 * - what a file can multiply is limited with a Chinese message: non-empty cells, shared
 *   strings and their use (the characters all cells hold, each use counted), one cell's text,
 *   merged ranges and the grid cells they cover, elements and depth.
 *
 * Why this reader and not a workbook library (the choice is explained for staff in
 * docs/staff-guide.md, “Excel 工作簿”): the ingest core is synchronous and pure (bytes in,
 * records out), the maintained readers on npm are asynchronous (exceljs, through JSZip and
 * streams; read-excel-file, which also reads a formula without a cached value or with an
 * error as an empty cell), and SheetJS's `xlsx` on npm is abandoned at 0.18.5 with published
 * advisories. exceljs is the oracle of tests/unit/workbook-oracle.test.ts: both must read the
 * same cells.
 */
import { columnLetter } from './issues.ts';
import { readXml, XmlError, type XmlAttribute, type XmlBudget, type XmlHandler } from './xml.ts';
import { inflateEntry, mb, readZipDirectory, ZipError, type ZipEntry } from './zip.ts';

export interface WorkbookLimits {
  /** bytes of the .xlsx file itself */
  fileBytes: number;
  /** bytes of all the XML parts read, once inflated */
  unzippedBytes: number;
  sheets: number;
  /** rows of one sheet up to its last non-empty cell (Excel's own limit is 1,048,576) */
  rows: number;
  /** non-empty cells of the whole workbook (formulas without a value included) */
  cells: number;
  /** cells the grids hold, blanks before a value in its row included: rows × columns as read */
  gridCells?: number;
  /** items in the shared string table */
  sharedStrings?: number;
  /** characters of all the cells the grids hold, a shared string counted at each use */
  textChars?: number;
  /** characters of one cell (Excel's own limit is 32,767) */
  cellChars?: number;
  /** merged ranges of one sheet */
  mergedRanges?: number;
  /** grid cells covered by merged ranges, summed over the ranges of the workbook */
  mergedArea?: number;
  /** XML elements of all the parts read */
  xmlElements?: number;
  /** nesting depth of XML elements */
  xmlDepth?: number;
}

export const WORKBOOK_LIMITS: Required<WorkbookLimits> = {
  fileBytes: 50 * 1024 * 1024,
  unzippedBytes: 200 * 1024 * 1024,
  sheets: 100,
  rows: 200_000,
  cells: 2_000_000,
  gridCells: 10_000_000,
  sharedStrings: 2_000_000,
  textChars: 100_000_000,
  cellChars: 32_767,
  mergedRanges: 100_000,
  mergedArea: 10_000_000,
  xmlElements: 10_000_000,
  xmlDepth: 64,
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
  /** up to the last non-empty row, each row up to its last non-empty cell */
  rows: string[][];
  /** 1-based numbers of rows hidden in Excel (within the row limit) */
  hiddenRows: number[];
  /** cells whose value cannot be known (a formula without a cached value) */
  problems: CellProblem[];
}

export type WorkbookResult =
  | {
      ok: true;
      sheets: Sheet[];
      /** zip parts not read for the cells (document properties, comments, drawings, macros…), in zip order */
      otherParts: string[];
    }
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
const num = (n: number) => nf.format(n);

/** A refusal with its reason; thrown anywhere inside the reader, returned by readWorkbook. */
class WorkbookError extends Error {
  readonly reason: 'too-large' | 'corrupt' | 'encrypted';
  constructor(reason: 'too-large' | 'corrupt' | 'encrypted', message: string) {
    super(message);
    this.reason = reason;
  }
}
const tooLarge = (message: string) => new WorkbookError('too-large', message);
const corrupt = (message: string) => new WorkbookError('corrupt', message);

// Namespaces: Transitional (what Excel writes) and Strict OOXML, and no namespace at all.
const MAIN = new Set(['http://schemas.openxmlformats.org/spreadsheetml/2006/main', 'http://purl.oclc.org/ooxml/spreadsheetml/main', '']);
const RELATIONSHIPS = new Set(['http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'http://purl.oclc.org/ooxml/officeDocument/relationships']);
const PACKAGE_RELS = new Set(['http://schemas.openxmlformats.org/package/2006/relationships', '']);

export function readWorkbook(bytes: Uint8Array, limitsIn: WorkbookLimits = WORKBOOK_LIMITS): WorkbookResult {
  const limits: Required<WorkbookLimits> = { ...WORKBOOK_LIMITS, ...limitsIn };
  if (bytes.length > limits.fileBytes) return { ok: false, reason: 'too-large', detail: `文件有 ${mb(bytes.length)}，超过工作簿上限 ${mb(limits.fileBytes)}` };
  try {
    return read(bytes, limits);
  } catch (e) {
    if (e instanceof WorkbookError || e instanceof ZipError) return { ok: false, reason: e.reason, detail: e.message };
    if (e instanceof XmlError) return e.tooLarge ? { ok: false, reason: 'too-large', detail: e.message } : { ok: false, reason: 'corrupt', detail: `工作簿已损坏，无法读取：${e.message}` };
    // Anything else is a fault of this reader on a file it did not expect; the detail stays in brackets.
    return { ok: false, reason: 'corrupt', detail: `工作簿已损坏，无法读取（${String((e as Error)?.message ?? e).slice(0, 200)}）` };
  }
}

function read(bytes: Uint8Array, limits: Required<WorkbookLimits>): WorkbookResult {
  const entries = readZipDirectory(bytes);
  // OPC part names compare without regard to case.
  const byName = new Map<string, ZipEntry>();
  for (const e of entries) byName.set(e.name.toLowerCase(), e);
  const readParts = new Set<ZipEntry>();
  let budget = limits.unzippedBytes;
  const xmlBudget: XmlBudget = { elements: limits.xmlElements, elementLimit: limits.xmlElements, depth: limits.xmlDepth };

  const part = (name: string): Buffer | null => {
    const entry = byName.get(name.toLowerCase());
    if (!entry) return null;
    readParts.add(entry);
    const data = inflateEntry(bytes, entry, budget, `工作簿解压后超过 ${mb(limits.unzippedBytes)}`);
    budget -= data.length;
    return utf8(data);
  };
  const parse = (name: string, handler: XmlHandler): boolean => {
    const data = part(name);
    if (data === null) return false;
    readXml(data, handler, xmlBudget, name);
    return true;
  };

  // The package's relationships name the workbook part; xl/workbook.xml where they do not.
  const rootRels = readRels(parse, '');
  const workbookPath = rootRels.find((r) => r.type === 'officeDocument' && !r.external)?.target ?? 'xl/workbook.xml';
  const wb = new WorkbookHandler(limits);
  if (!parse(workbookPath, wb)) throw corrupt(`这不是 Excel 工作簿（.xlsx）：缺少 ${workbookPath}`);
  if (wb.count > limits.sheets) throw tooLarge(`工作簿有 ${num(wb.count)} 个工作表，超过上限 ${num(limits.sheets)} 个`);
  const rels = readRels(parse, workbookPath);
  const relById = new Map(rels.filter((r) => !r.external).map((r) => [r.id, r.target]));
  const byType = (type: string, fallback: string) => rels.find((r) => r.type === type && !r.external)?.target ?? (rels.length === 0 ? fallback : null);

  const counters: Counters = { cells: 0, gridCells: 0, textChars: 0, mergedArea: 0 };
  const shared = new SharedStringsHandler(limits, counters);
  const sstPath = byType('sharedStrings', 'xl/sharedStrings.xml');
  if (sstPath) parse(sstPath, shared);
  const styles = new StylesHandler();
  const stylesPath = byType('styles', 'xl/styles.xml');
  if (stylesPath) parse(stylesPath, styles);

  const sheets: Sheet[] = [];
  for (const def of wb.sheets) {
    const target = relById.get(def.rid);
    if (target === undefined) throw corrupt(`工作簿已损坏：工作表“${def.name}”的关系 ${def.rid || '（无）'} 不存在`);
    const handler = new SheetHandler(def.name, shared.strings, styles.kinds, wb.date1904, limits, counters);
    if (!parse(target, handler)) throw corrupt(`工作簿已损坏：找不到工作表“${def.name}”的内容 ${target}`);
    const sheet = handler.finish();
    sheet.hidden = def.hidden;
    sheets.push(sheet);
  }
  const otherParts = entries.filter((e) => !readParts.has(e) && !e.name.endsWith('/')).map((e) => e.name);
  return { ok: true, sheets, otherParts };
}

/** A part's bytes as UTF-8: OOXML parts are UTF-8 or UTF-16 with a byte order mark. */
function utf8(data: Buffer): Buffer {
  if (data[0] === 0xff && data[1] === 0xfe) return Buffer.from(data.toString('utf16le', 2), 'utf8');
  if (data[0] === 0xfe && data[1] === 0xff) {
    const swapped = Buffer.from(data.subarray(2, 2 + ((data.length - 2) & ~1)));
    return Buffer.from(swapped.swap16().toString('utf16le'), 'utf8');
  }
  return data;
}

// --- relationships -----------------------------------------------------------------------

interface Rel {
  id: string;
  /** the last segment of the type URI: officeDocument, worksheet, sharedStrings, styles… */
  type: string;
  /** the target as a part name in the zip, without a leading slash */
  target: string;
  external: boolean;
}

/** The relationships of `source` ('' for the package), from `dir/_rels/name.rels`. */
function readRels(parse: (name: string, h: XmlHandler) => boolean, source: string): Rel[] {
  const slash = source.lastIndexOf('/');
  const dir = slash < 0 ? '' : source.slice(0, slash + 1);
  const relsPath = `${dir}_rels/${source.slice(slash + 1)}.rels`;
  const rels: Rel[] = [];
  const handler: XmlHandler = {
    wantText: false,
    open(ns, local, attrs) {
      if (local !== 'Relationship' || !PACKAGE_RELS.has(ns)) return;
      const target = attr(attrs, 'Target') ?? '';
      const external = attr(attrs, 'TargetMode') === 'External';
      rels.push({ id: attr(attrs, 'Id') ?? '', type: (attr(attrs, 'Type') ?? '').split('/').pop() ?? '', target: external ? target : resolveTarget(dir, target), external });
    },
    close() {},
    text() {},
  };
  parse(relsPath, handler);
  return rels;
}

/** A relationship target as a part name: absolute (`/xl/…`) from the root, else from `dir`, with `.` and `..` resolved. */
function resolveTarget(dir: string, target: string): string {
  let t = target.split('#')[0]!;
  try {
    t = decodeURIComponent(t);
  } catch {
    // not percent-encoded: the name as written
  }
  const segments = (t.startsWith('/') ? t : dir + t).split('/');
  const out: string[] = [];
  for (const s of segments) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return out.join('/');
}

const attr = (attrs: XmlAttribute[], local: string): string | undefined => {
  for (const a of attrs) if (a.local === local && a.ns === '') return a.value;
  return undefined;
};

// --- workbook.xml ------------------------------------------------------------------------

interface SheetDef {
  name: string;
  rid: string;
  hidden: boolean;
}

class WorkbookHandler implements XmlHandler {
  wantText = false;
  date1904 = false;
  sheets: SheetDef[] = [];
  count = 0;
  private readonly limits: Required<WorkbookLimits>;
  constructor(limits: Required<WorkbookLimits>) {
    this.limits = limits;
  }
  open(ns: string, local: string, attrs: XmlAttribute[]): void {
    if (!MAIN.has(ns)) return;
    if (local === 'workbookPr') this.date1904 = ['1', 'true'].includes(attr(attrs, 'date1904') ?? '');
    else if (local === 'sheet') {
      // Counted to the end for the message; only those within the limit are kept.
      if (++this.count > this.limits.sheets) return;
      const state = attr(attrs, 'state');
      const rid = attrs.find((a) => a.local === 'id' && RELATIONSHIPS.has(a.ns))?.value ?? '';
      this.sheets.push({ name: attr(attrs, 'name') ?? '', rid, hidden: state === 'hidden' || state === 'veryHidden' });
    }
  }
  close(): void {}
  text(): void {}
}

// --- shared strings and styles -----------------------------------------------------------

interface Counters {
  cells: number;
  gridCells: number;
  textChars: number;
  mergedArea: number;
}

/**
 * A string item (<si> or <is>): its plain <t>, or its rich-text runs' <t> joined; phonetic
 * runs (<rPh>) are not shown. Excel's escapes of characters XML cannot hold (`_x000D_` for a
 * carriage return, `_x005F_` for the underscore of a literal `_x…_`) are decoded.
 */
class StringItem {
  private parts: string[] = [];
  private length = 0;
  private phonetic = 0;
  private inT = false;
  private readonly cellChars: number;
  constructor(cellChars: number) {
    this.cellChars = cellChars;
  }
  /** true when the handler should collect text */
  open(local: string): boolean {
    if (local === 'rPh') this.phonetic++;
    else if (local === 't' && this.phonetic === 0) this.inT = true;
    return this.inT;
  }
  close(local: string): boolean {
    if (local === 'rPh') this.phonetic--;
    else if (local === 't') this.inT = false;
    return this.inT;
  }
  text(s: string): void {
    this.length += s.length;
    if (this.length > this.cellChars) throw tooLarge(`工作簿中有超过 ${num(this.cellChars)} 个字符的文字（Excel 单元格的上限）`);
    this.parts.push(s);
  }
  value(): string {
    const s = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    return s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : s;
  }
}

class SharedStringsHandler implements XmlHandler {
  wantText = false;
  strings: string[] = [];
  private item: StringItem | null = null;
  private readonly limits: Required<WorkbookLimits>;
  private readonly counters: Counters;
  constructor(limits: Required<WorkbookLimits>, counters: Counters) {
    this.limits = limits;
    this.counters = counters;
  }
  open(ns: string, local: string): void {
    if (!MAIN.has(ns)) return;
    if (local === 'si') {
      if (this.strings.length >= this.limits.sharedStrings) throw tooLarge(`工作簿的共享字符串超过上限 ${num(this.limits.sharedStrings)} 个`);
      this.item = new StringItem(this.limits.cellChars);
    } else if (this.item) this.wantText = this.item.open(local);
  }
  close(ns: string, local: string): void {
    if (!MAIN.has(ns) || !this.item) return;
    if (local === 'si') {
      const s = this.item.value();
      this.counters.textChars += s.length;
      if (this.counters.textChars > this.limits.textChars) throw tooLarge(`工作簿中的文字超过上限 ${num(this.limits.textChars)} 个字符`);
      this.strings.push(s);
      this.item = null;
      this.wantText = false;
    } else this.wantText = this.item.close(local);
  }
  text(s: string): void {
    this.item?.text(s);
  }
}

type Kind = 'date' | 'percent' | 'number';

class StylesHandler implements XmlHandler {
  wantText = false;
  /** cellXfs index → how its numbers are shown */
  kinds: Kind[] = [];
  private codes = new Map<number, string>();
  private ids: number[] = [];
  private inCellXfs = false;
  open(ns: string, local: string, attrs: XmlAttribute[]): void {
    if (!MAIN.has(ns)) return;
    if (local === 'numFmt') this.codes.set(Number(attr(attrs, 'numFmtId')), attr(attrs, 'formatCode') ?? '');
    else if (local === 'cellXfs') this.inCellXfs = true;
    else if (local === 'xf' && this.inCellXfs) this.ids.push(Number(attr(attrs, 'numFmtId') ?? 0));
  }
  close(ns: string, local: string): void {
    if (!MAIN.has(ns)) return;
    if (local === 'cellXfs') this.inCellXfs = false;
    else if (local === 'styleSheet') this.kinds = this.ids.map((id) => formatKind(id, this.codes.get(id)));
  }
  text(): void {}
}

const BUILTIN_DATES = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

function formatKind(id: number, code: string | undefined): Kind {
  if (code === undefined) return BUILTIN_DATES.has(id) ? 'date' : id === 9 || id === 10 ? 'percent' : 'number';
  // Quoted text, escaped characters, [colour]/[$-804] parts and the text section say nothing of
  // dates. Excel's format codes are at most 255 characters; a longer one is read for its start
  // (the patterns below backtrack, and a long code would make them slow).
  const bare = code.slice(0, 255).replace(/"[^"]*"|\\.|\[[^\]]*\]|_.|\*./g, '').split(';')[0] ?? '';
  if (/[yYdD]|[年月日]/.test(bare) || /[hH].*[sS]|[mM].*[dD]|[dD].*[mM]/.test(bare)) return 'date';
  if (bare.includes('%')) return 'percent';
  return 'number';
}

// --- worksheets --------------------------------------------------------------------------

/** "AB12" (or "$AB$12", or "ab12") → [row 12, column index 27]; null when it is not a cell reference. */
function parseRef(ref: string): [number, number] | null {
  let i = 0;
  if (ref.charCodeAt(i) === 36) i++;
  let col = 0;
  const colStart = i;
  for (; i < ref.length && i - colStart <= 3; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower case
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
  }
  if (i === colStart || i - colStart > 3) return null;
  if (ref.charCodeAt(i) === 36) i++;
  let row = 0;
  const rowStart = i;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 48 || c > 57 || i - rowStart >= 7) return null;
    row = row * 10 + (c - 48);
  }
  return i === rowStart ? null : [row, col - 1];
}

const MAX_ROW = 1_048_576;
const MAX_COLUMN = 16_384;

/** Excel shows at most 15 significant digits: 0.1+0.2 is shown, and meant, as 0.3. */
function showNumber(n: number, text?: string): string {
  // A value written with at most 15 characters has at most 15 digits: already as Excel shows it.
  if (text !== undefined && text.length <= 15 && !/[eE]/.test(text)) return String(n);
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

/**
 * One worksheet, streamed: each non-empty cell goes into its grid as it is read, checked
 * against the limits before anything is allocated for it. Rows and cells that are empty
 * (formatting only) allocate nothing.
 */
class SheetHandler implements XmlHandler {
  wantText = false;
  private readonly rows: string[][] = [];
  private readonly hidden = new Set<number>();
  private readonly problems: CellProblem[] = [];
  private readonly merges: Array<[number, number, number, number]> = [];
  private inSheetData = false;
  private row = 0;
  private nextRow = 1;
  private nextCol = 0;
  // the cell being read
  private inCell = false;
  private col = 0;
  private type = 'n';
  private style = 0;
  private v: string | null = null;
  private f: string | null = null;
  private item: StringItem | null = null;
  private inItem = false;
  private collecting: 'v' | 'f' | null = null;
  private readonly name: string;
  private readonly shared: string[];
  private readonly kinds: Kind[];
  private readonly date1904: boolean;
  private readonly limits: Required<WorkbookLimits>;
  private readonly counters: Counters;

  constructor(name: string, shared: string[], kinds: Kind[], date1904: boolean, limits: Required<WorkbookLimits>, counters: Counters) {
    this.name = name;
    this.shared = shared;
    this.kinds = kinds;
    this.date1904 = date1904;
    this.limits = limits;
    this.counters = counters;
  }

  open(ns: string, local: string, attrs: XmlAttribute[]): void {
    if (!MAIN.has(ns)) return;
    if (this.inCell) {
      if (this.inItem) this.wantText = this.item!.open(local);
      else if (local === 'v') this.startText('v');
      else if (local === 'f') {
        this.f ??= '';
        this.startText('f');
      } else if (local === 'is') {
        this.item = new StringItem(this.limits.cellChars);
        this.inItem = true;
      }
      return;
    }
    if (local === 'sheetData') this.inSheetData = true;
    else if (local === 'row' && this.inSheetData) {
      const r = attr(attrs, 'r');
      this.row = r === undefined ? this.nextRow : Number(r);
      if (!Number.isSafeInteger(this.row) || this.row < 1 || this.row > MAX_ROW) throw corrupt(`工作簿已损坏：工作表“${this.name}”的行号 ${String(r).slice(0, 20)} 无效`);
      this.nextRow = this.row + 1;
      this.nextCol = 0;
      const hidden = attr(attrs, 'hidden');
      if ((hidden === '1' || hidden === 'true') && this.row <= this.limits.rows) this.hidden.add(this.row);
    } else if (local === 'c' && this.row > 0) {
      const ref = attr(attrs, 'r');
      const pos = ref === undefined ? null : parseRef(ref);
      if (ref !== undefined && (!pos || pos[1] >= MAX_COLUMN)) throw corrupt(`工作簿已损坏：工作表“${this.name}”第 ${num(this.row)} 行有位置无效的单元格（${ref.slice(0, 20)}）`);
      // A cell's own reference decides its column; its row is the row it sits in.
      this.col = pos ? pos[1] : this.nextCol;
      if (this.col >= MAX_COLUMN) throw corrupt(`工作簿已损坏：工作表“${this.name}”第 ${num(this.row)} 行的单元格超过 Excel 的 ${num(MAX_COLUMN)} 列`);
      this.nextCol = this.col + 1;
      this.type = attr(attrs, 't') ?? 'n';
      this.style = Number(attr(attrs, 's') ?? 0);
      this.v = null;
      this.f = null;
      this.item = null;
      this.inItem = false;
      this.inCell = true;
    } else if (local === 'mergeCell') {
      const [from, to] = (attr(attrs, 'ref') ?? '').split(':');
      const a = from ? parseRef(from) : null;
      const b = to ? parseRef(to) : a;
      if (!a || !b) return;
      if (this.merges.length >= this.limits.mergedRanges) throw tooLarge(`工作表“${this.name}”的合并单元格超过上限 ${num(this.limits.mergedRanges)} 处`);
      this.merges.push([Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])]);
    }
  }

  private startText(what: 'v' | 'f'): void {
    this.collecting = what;
    this.wantText = true;
    if (what === 'v') this.v = '';
  }

  text(s: string): void {
    if (this.inItem) this.item!.text(s);
    else if (this.collecting === 'v') {
      if (this.v!.length + s.length > this.limits.cellChars) throw tooLarge(`工作表“${this.name}”第 ${num(this.row)} 行有超过 ${num(this.limits.cellChars)} 个字符的单元格（Excel 单元格的上限）`);
      this.v += s;
    } else if (this.collecting === 'f' && this.f!.length < 41) this.f += s.slice(0, 41);
  }

  close(ns: string, local: string): void {
    if (!MAIN.has(ns)) return;
    if (this.inCell) {
      if (local === 'c') {
        this.inCell = false;
        this.wantText = false;
        this.endCell();
      } else if (this.inItem) {
        if (local === 'is') {
          this.inItem = false;
          this.wantText = false;
        } else this.wantText = this.item!.close(local);
      } else {
        this.collecting = null;
        this.wantText = false;
      }
      return;
    }
    if (local === 'sheetData') this.inSheetData = false;
    else if (local === 'row') this.row = 0;
  }

  private endCell(): void {
    const value = this.cellText();
    if (value === '') return;
    this.count(value);
    if (value === null) {
      const f = this.f ?? '';
      this.problems.push({ row: this.row, column: this.col, message: `${columnLetter(this.col)}${this.row} 是公式（=${f.length > 40 ? `${f.slice(0, 40)}…` : f || '共享公式'}），但文件中没有保存计算结果：请在 Excel 中打开、计算后保存，或把公式换成数值` });
      return;
    }
    const grid = this.rows;
    while (grid.length < this.row) grid.push([]);
    const row = grid[this.row - 1]!;
    if (this.col >= row.length) {
      this.counters.gridCells += this.col + 1 - row.length;
      if (this.counters.gridCells > this.limits.gridCells) {
        throw tooLarge(`工作表“${this.name}”的内容分布过广：${columnLetter(this.col)}${num(this.row)} 等单元格远离其他内容，读取的表格区域（行 × 列）超过上限 ${num(this.limits.gridCells)} 格`);
      }
      while (row.length < this.col) row.push('');
    }
    row[this.col] = value;
  }

  /** Limits on a non-empty cell, checked before it is stored. */
  private count(value: string | null): void {
    if (this.row > this.limits.rows) throw tooLarge(`工作表“${this.name}”第 ${num(this.row)} 行有内容，超过上限 ${num(this.limits.rows)} 行`);
    if (++this.counters.cells > this.limits.cells) throw tooLarge(`工作簿的非空单元格超过上限 ${num(this.limits.cells)} 个`);
    this.counters.textChars += value?.length ?? 0;
    if (this.counters.textChars > this.limits.textChars) throw tooLarge(`工作簿中的文字超过上限 ${num(this.limits.textChars)} 个字符（同一共享字符串每用一次都计入）`);
  }

  /** The cell as Excel shows it; null for a formula whose value was never stored. */
  private cellText(): string | null {
    const v = this.v;
    if (this.type === 'inlineStr') return this.item ? this.item.value() : (v ?? '');
    if (v === null) return this.f !== null ? null : '';
    switch (this.type) {
      case 's': {
        const i = Number(v);
        const s = Number.isInteger(i) ? this.shared[i] : undefined;
        if (s === undefined) throw corrupt(`工作簿已损坏：工作表“${this.name}”的 ${columnLetter(this.col)}${this.row} 引用的共享字符串 ${v.slice(0, 20)} 不存在`);
        return s;
      }
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
        const kind = this.kinds[this.style] ?? 'number';
        if (kind === 'date') return showDate(n, this.date1904);
        if (kind === 'percent') return `${showNumber(n * 100)}%`;
        return showNumber(n, v);
      }
    }
  }

  /**
   * The grid, with each merged range's value in its top-left cell only. A range is walked only
   * where the grid has cells (a range over the whole sheet costs what the sheet holds), and
   * that walk is limited across the workbook.
   */
  finish(): Sheet {
    const rows = this.rows;
    for (const [r1, c1, r2, c2] of this.merges) {
      for (let r = r1; r <= Math.min(r2, rows.length); r++) {
        const row = rows[r - 1]!;
        const last = Math.min(c2, row.length - 1);
        this.counters.mergedArea += 1 + Math.max(0, last - c1 + 1);
        if (this.counters.mergedArea > this.limits.mergedArea) throw tooLarge(`工作簿的合并单元格覆盖的表格区域超过上限 ${num(this.limits.mergedArea)} 格`);
        for (let c = c1; c <= last; c++) if (r !== r1 || c !== c1) row[c] = '';
      }
    }
    for (const row of rows) while (row.length > 0 && row[row.length - 1] === '') row.pop();
    while (rows.length > 0 && rows[rows.length - 1]!.length === 0) rows.pop();
    return { name: this.name, hidden: false, rows, hiddenRows: [...this.hidden].sort((a, b) => a - b), problems: this.problems };
  }
}
