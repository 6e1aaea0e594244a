/**
 * The one CSV field writer: every CSV the site writes (the open-data downloads, each page's
 * data.csv, the county's 附件3 table.csv, the compare tool's download in the browser, the
 * reduced copies of received files) goes through csvField / csvLine / csvDocument here.
 * Pure (no Node builtins), so the browser bundle and the build share it. Written out rather
 * than through `Papa.unparse`: the downloads write 2.4 M rows nationally, and papaparse's
 * per-call and per-cell work would be most of that step (docs/decisions/0007-one-csv-writer.md);
 * tests/unit/csv-field.test.ts holds the quoting to papaparse's own.
 *
 * Quoting is RFC 4180 with `,` and `"`, quotes only where needed, as papaparse writes it: a
 * field is quoted when it holds a line break (CR or LF), a quote, a comma or a BOM, or starts
 * or ends with a space; quotes inside are doubled.
 *
 * Formula neutralisation (OWASP "CSV injection"): a TEXT field that a spreadsheet would run as
 * a formula is written with a leading apostrophe `'` (and quoted). That is a field
 * - whose first character is a tab or a CR, or
 * - whose first character after any leading whitespace (spaces, tabs, CR, LF, the full-width
 *   space U+3000, a BOM, zero-width spaces) is one of `= + - @`, their full-width forms
 *   `＝ ＋ － ＠`, or their small forms `﹦ ﹢ ﹣ ﹫` (Excel with a CJK input method reads a
 *   leading full-width `＝` as `=`).
 * Only the start of the field counts: a line break in the middle followed by `=` (`a\n=1`) is
 * one quoted field that starts with `a`, which no spreadsheet runs, so it is left as it is.
 *
 * A value the code knows is a number (a JS number, or decimal text from a numeric column via
 * csvNumber / csvNumberField) is written bare, so `-12.5` stays a number a spreadsheet can
 * add up; decimal text is only trusted as a number when it is one (`^[+-]?digits[.digits]`),
 * anything else given as a number is written as text, with the text rule.
 */

/** A text field that a spreadsheet would run as a formula (see the module's comment). */
export const FORMULA_START = /^(?:[\t\r]|[\s\u200b-\u200d\u2060]*[=+\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b])/;

/** What makes a field need quotes: a line break, a quote, a BOM or a comma anywhere, or a space at either end. */
const NEEDS_QUOTES = /[\r\n",\ufeff]|^ | $/;

/** Decimal text that is a plain number: optional sign, digits, optional fraction, optional exponent. */
const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Decimal text the code knows is a number (e.g. exact 万元 "1000.5"), for csvField / csvLine. */
export interface CsvNumber {
  readonly number: string;
}

/** A field's value: text, a number, decimal text known to be a number, or blank (null / undefined → empty). */
export type CsvCell = string | number | CsvNumber | null | undefined;

/** Marks decimal text as a number (written bare when it is a plain number, as text otherwise). */
export const csvNumber = (text: string): CsvNumber => ({ number: text });

/** One text field: neutralised when formula-leading, quoted where needed. */
export function csvTextField(text: string): string {
  if (FORMULA_START.test(text)) return `"'${text.replaceAll('"', '""')}"`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One field from decimal text known to be a number: bare when it is a plain number, else as text. */
export function csvNumberField(text: string): string {
  return NUMBER_TEXT.test(text) ? text : csvTextField(text);
}

/** One field of any kind (see CsvCell): numbers bare, text by csvTextField, blank empty. */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return csvTextField(cell);
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : csvTextField(String(cell));
  return csvNumberField(cell.number);
}

/** One CSV line of fields (csvField each), without its line break. */
export function csvLine(cells: ReadonlyArray<CsvCell>): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) line += i ? `,${csvField(cells[i])}` : csvField(cells[i]);
  return line;
}

/** A whole CSV text: each row's line ending with CRLF, after a BOM when asked (Excel reads UTF-8 by it). */
export function csvDocument(rows: Iterable<ReadonlyArray<CsvCell>>, options: { bom: boolean }): string {
  let text = options.bom ? '\ufeff' : '';
  for (const row of rows) text += `${csvLine(row)}\r\n`;
  return text;
}
