/**
 * The rows of an export, walked once as they are parsed: a million-row export is never held
 * as rows. The first rows (where the header is) are kept; the rest follow from the parser.
 */
import { isBlankRow, skip, type FileSummary } from '../read-table.ts';

/** The first `n` rows. */
export function take(rows: Iterator<string[]>, n: number): string[][] {
  const out: string[][] = [];
  while (out.length < n) {
    const r = rows.next();
    if (r.done) break;
    out.push(r.value);
  }
  return out;
}

/** [index, row] from `head[from]` on, then the rest of the table. */
export function* rowsFrom(head: string[][], from: number, rest: Iterator<string[]>): Generator<[number, string[]]> {
  for (let i = from; i < head.length; i++) yield [i, head[i]!];
  let i = head.length;
  for (let r = rest.next(); !r.done; r = rest.next()) yield [i++, r.value];
}

/** Rows that cannot be read (no header): blank ones skipped, every other one rejected. */
export function accountUnread(rows: Iterable<[number, string[]]>, summary: FileSummary): void {
  for (const [, row] of rows) {
    if (isBlankRow(row)) skip(summary, 'blank');
    else summary.rows.rejected++;
  }
}
