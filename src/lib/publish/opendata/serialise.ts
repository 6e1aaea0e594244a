/** Writing tables as CSV (UTF-8 or Excel-flavoured, formula-safe by csv-field.ts) and JSON, whole or piece by piece (site-downloads.ts and entity-downloads.ts write the files). */
import { formatMonth } from '../../render/format.ts';
import { yuanToWanString } from '../../ingest/cell-values.ts';
import { csvLine, csvNumberField, csvTextField } from '../../csv-field.ts';
import { dictionaryUrl } from '../../routes.ts';
import { type TableDef, type TableId, type ValueKind, type Raw } from './fields.ts';
import { LICENCE, licenceStatement } from './licence.ts';
import type { Table } from './tables.ts';

// Writing

/** Kinds whose cells are numbers in the file (written bare by csvNumberField, never neutralised as text). */
const NUMERIC_KINDS: ReadonlySet<ValueKind> = new Set(['money', 'count', 'flag', 'ratio']);

/** A cell as a CSV field (csv-field.ts): 万元 exact, 1/0, ratio with 2 decimals, blank = empty; text formula-safe. */
function csvCell(kind: ValueKind, v: Raw): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (kind === 'money') return csvNumberField(yuanToWanString(v as number));
  return typeof v === 'number' || NUMERIC_KINDS.has(kind) ? csvNumberField(String(v)) : csvTextField(v);
}

/**
 * The JSON text of a cell: numbers for money (written with the exact decimal text, as
 * `JSON.rawJSON` would), 1/0, null for blank.
 */
function jsonCell(kind: ValueKind, v: Raw): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (kind === 'money') return yuanToWanString(v as number);
  if (kind === 'ratio') return String(v);
  // a finite number's JSON is its String (and String is the cheaper call, millions of times nationally)
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : JSON.stringify(v);
}

export function toCsv(table: Table, options: { bom: boolean }): string {
  return [...csvPieces(table, options)].join('');
}

/** Rows per piece when a table is written in pieces (a national month is 150,000 rows). */
export const PIECE_ROWS = 5000;

/**
 * The CSV text in pieces of PIECE_ROWS rows, so that a table of a million rows never has to
 * be one string (V8 caps strings at ~512 MB). Joined, the pieces are toCsv's text.
 */
export function* csvPieces(table: Table, options: { bom: boolean }): Generator<string> {
  yield `${options.bom ? '\ufeff' : ''}${csvHeader(table.def)}\r\n`;
  for (let i = 0; i < table.rows.length; i += PIECE_ROWS) yield csvRowsText(table.def, table.rows.slice(i, i + PIECE_ROWS));
}

/** The CSV header line, without its line break. */
export function csvHeader(def: TableDef): string {
  return csvLine(def.fields.map((f) => f.title));
}

/** Some rows' CSV lines, each ending with its line break (a piece of csvPieces). */
export function csvRowsText(def: TableDef, rows: Raw[][]): string {
  return rows.length === 0 ? '' : `${rows.map((r) => rowLine(def, r)).join('\r\n')}\r\n`;
}

/** One row's CSV line: each field's cell (csvCell), as many cells as the table has fields. */
function rowLine(def: TableDef, r: Raw[]): string {
  const fields = def.fields;
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    const cell = csvCell(fields[i]!.kind, r[i] ?? null);
    line += i ? `,${cell}` : cell;
  }
  return line;
}

/**
 * One row's CSV line and JSON object, without separators: a progress row appears in the
 * files of its village, its unit, its county and its province, and is written once for all
 * of them (see entity-downloads.ts). Joined with csvText / jsonText they give toCsv's and
 * toJson's text.
 */
export function rowLines(def: TableDef, row: Raw[]): { csv: string; json: string } {
  return { csv: rowLine(def, row), json: jsonRow(def, row) };
}

/** toCsv's text from rowLines' CSV lines. */
export function csvText(def: TableDef, lines: readonly string[], options: { bom: boolean }): string {
  return `${options.bom ? '\ufeff' : ''}${csvHeader(def)}\r\n${lines.map((l) => `${l}\r\n`).join('')}`;
}

export interface JsonMeta {
  synthetic: boolean;
  /** what the rows come from, in Chinese */
  generatedFrom: string;
  /** e.g. 项目进展（2020年7月） */
  title?: string;
}

/**
 * `{ table, title, licence, licence_url, synthetic, generated_from, dictionary, fields, rows }`,
 * one row per line (readable, diffable), keys = field ids.
 */
export function toJson(table: Table, meta: JsonMeta): string {
  return [...jsonPieces(table, meta)].join('');
}

/** The JSON text in pieces of PIECE_ROWS rows (see csvPieces); joined, they are toJson's text. */
export function* jsonPieces(table: Table, meta: JsonMeta): Generator<string> {
  yield jsonOpen(table.def, meta);
  for (let i = 0; i < table.rows.length; i += PIECE_ROWS) yield `${i === 0 ? '\n' : ',\n'}${jsonRowsText(table.def, table.rows.slice(i, i + PIECE_ROWS))}`;
  yield jsonClose(table.rows.length);
}

/** Some rows' JSON lines, one object per line, joined by `,\n` (a piece of jsonPieces, after its separator). */
export function jsonRowsText(def: TableDef, rows: Raw[][]): string {
  return rows.map((r) => jsonRow(def, r)).join(',\n');
}

/** What ends the JSON text after its last row (`rows`: how many there were). */
export function jsonClose(rows: number): string {
  return `${rows ? '\n' : ''}]}\n`;
}

/** toJson's text from rowLines' JSON lines. */
export function jsonText(def: TableDef, lines: readonly string[], meta: JsonMeta): string {
  return `${jsonOpen(def, meta)}${lines.length ? `\n${lines.join(',\n')}` : ''}${jsonClose(lines.length)}`;
}

/** Everything before the first row: the table's metadata, then `"rows":[`. */
export function jsonOpen(def: TableDef, meta: JsonMeta): string {
  const head = JSON.stringify({
    table: def.id,
    title: meta.title ?? def.title,
    licence: licenceStatement(meta.synthetic),
    licence_url: LICENCE.path,
    synthetic: meta.synthetic,
    generated_from: meta.generatedFrom,
    dictionary: dictionaryUrl(def.id),
    fields: def.fields.map((f) => f.id),
  });
  return `${head.slice(0, -1)},"rows":[`;
}

/** Each field's `"id":`, made once per table. */
const jsonKeys = new WeakMap<TableDef, string[]>();

/**
 * One row as a JSON object, keys = field ids in the table's order. Written out directly
 * rather than as an object through JSON.stringify: 2.4 M rows nationally, and an object per
 * row would be most of the time (the same text; tests/unit/opendata.test.ts compares).
 */
function jsonRow(def: TableDef, r: Raw[]): string {
  let keys = jsonKeys.get(def);
  if (!keys) jsonKeys.set(def, (keys = def.fields.map((f) => `${JSON.stringify(f.id)}:`)));
  let text = '{';
  for (let i = 0; i < keys.length; i++) text += `${i ? ',' : ''}${keys[i]}${jsonCell(def.fields[i]!.kind, r[i] ?? null)}`;
  return `${text}}`;
}

/** Where the rows come from, for `generated_from`. */
export function generatedFrom(table: TableId, month?: string | null, fileCount?: number): string {
  if (table === 'progress') {
    const when = month ? formatMonth(month) : '全部月份';
    const files = fileCount !== undefined ? `，共 ${fileCount} 个文件` : '';
    return `各挂牌督战县报送的《项目进展统计表》（附件3），${when}${files}；每行的原始文件和行号见 sourceFile、sourceRow 字段`;
  }
  if (table === 'pairings') return '结对帮扶登记（registry/pairings.csv）：结对帮扶协议（附件1）和结对帮扶计划书（附件2）';
  return `登记表 registry/${table}.csv`;
}

// ---------------------------------------------------------------------------------------
