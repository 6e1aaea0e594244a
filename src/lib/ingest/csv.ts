/**
 * Text → rows of cells, with papaparse. Each returned row is one spreadsheet row
 * (a quoted cell with line breaks stays inside its row), so `index + 1` is the row
 * number Excel shows.
 */
import Papa from 'papaparse';

export interface ParsedTable {
  rows: string[][];
  delimiter: string;
  /** papaparse problems that change what the rows mean (e.g. an unclosed quote) */
  problems: Array<{ row: number | null; message: string }>;
}

export function parseCsv(text: string): ParsedTable {
  const delimiter = guessDelimiter(text);
  const result = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false });
  const rows = result.data;
  // A final line break is not a row of its own.
  if (rows.length > 0 && /\r?\n$/.test(text)) {
    const last = rows[rows.length - 1];
    if (last && last.length === 1 && last[0] === '') rows.pop();
  }
  const problems = result.errors
    .filter((e) => e.type !== 'Delimiter')
    .map((e) => ({
      row: typeof e.row === 'number' ? e.row + 1 : null,
      message: problemText(e),
    }));
  return { rows, delimiter, problems };
}

/**
 * The same rows, lazily, for tables too large to hold as rows (a 1,000,000-row export held as
 * string[][] is over half a gigabyte besides its text): the text is cut into batches of about
 * BATCH lines at line breaks outside quotes (a doubled "" inside a quoted cell keeps the count
 * even), and each batch is parsed when the rows before it have been read. Problems are
 * reported through `onProblem` with the row numbers of the whole table.
 */
export function* csvRows(text: string, onProblem: (p: ParsedTable['problems'][number]) => void): Generator<string[]> {
  const delimiter = guessDelimiter(text);
  let start = 0;
  let rowsBefore = 0;
  while (start < text.length) {
    const end = batchEnd(text, start, delimiter);
    const piece = text.slice(start, end);
    const result = Papa.parse<string[]>(piece, { delimiter, skipEmptyLines: false });
    const rows = result.data;
    if (rows.length > 0 && /\r?\n$/.test(piece)) {
      const last = rows[rows.length - 1];
      if (last && last.length === 1 && last[0] === '') rows.pop();
    }
    for (const e of result.errors) {
      if (e.type === 'Delimiter') continue;
      onProblem({ row: typeof e.row === 'number' ? rowsBefore + e.row + 1 : null, message: problemText(e) });
    }
    rowsBefore += rows.length;
    yield* rows;
    start = end;
  }
}

const BATCH = 20_000;

/**
 * Where the batch from `start` ends: after the BATCH-th line break that is not inside a quoted
 * cell, or at the end. A quote opens a quoted cell only at the start of a cell, and `""` inside
 * one is a quote character, as papaparse reads them, so a batch never ends inside a cell.
 */
function batchEnd(text: string, start: number, delimiter: string): number {
  const d = delimiter.charCodeAt(0);
  let quoted = false;
  let cellStart = true;
  let lines = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else quoted = false;
      }
      continue;
    }
    if (c === 34 && cellStart) {
      quoted = true;
      cellStart = false;
    } else if (c === 10) {
      cellStart = true;
      if (++lines === BATCH) return i + 1;
    } else cellStart = c === d || c === 13;
  }
  return text.length;
}

function problemText(e: Papa.ParseError): string {
  return e.code === 'MissingQuotes' ? '引号没有闭合，其后的内容会被并入同一单元格' : e.code === 'InvalidQuotes' ? '单元格中的引号不成对' : e.message;
}

/**
 * Excel writes commas for CSV and tabs for "Unicode 文本". Decide on the first line that
 * splits at all (a title line or the header): the delimiter that gives it the most cells.
 * Counting over the whole file would let a cell full of commas in a tab file win.
 */
function guessDelimiter(text: string): string {
  const candidates = [',', '\t', ';'];
  const head = text.slice(0, 65536);
  let quoted = false;
  let counts = new Map(candidates.map((c) => [c, 0]));
  for (const ch of head) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      const best = [...counts].sort((a, b) => b[1] - a[1])[0]!;
      if (best[1] > 0) return best[0];
      counts = new Map(candidates.map((c) => [c, 0]));
    } else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ',';
}
