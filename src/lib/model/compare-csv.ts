/**
 * The compare table as CSV (a module of its own: the compare page loads it, and papaparse,
 * only when the reader asks for the file).
 */
import Papa from 'papaparse';
import type { CompareTable } from './compare.ts';

/** The table as CSV for Excel: UTF-8 with BOM, CRLF, cells that look like formulas escaped. */
export function compareCsv(table: CompareTable): string {
  return '\ufeff' + Papa.unparse({ fields: table.head, data: table.rows }, { newline: '\r\n', escapeFormulae: true });
}
