/**
 * The compare table as CSV (a module of its own: the compare page loads it only when the reader
 * asks for the file). Written by the site's one field writer (csv-field.ts), which is pure, so
 * the browser bundle can carry it.
 */
import { csvDocument } from '../csv-field.ts';
import type { CompareTable } from './compare.ts';

/** The table as CSV for Excel: UTF-8 with BOM, CRLF after each row, formula-leading text neutralised. */
export function compareCsv(table: CompareTable): string {
  return csvDocument([table.head, ...table.rows], { bom: true });
}
