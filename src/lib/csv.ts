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
 * The same rows, one at a time, for tables too large to hold as rows: a 1,000,000-row export
 * held as string[][] is over half a gigabyte besides its text. `onRow` gets each row with its
 * 0-based index (Excel's row number minus one); problems are as parseCsv's.
 */
export function parseCsvRows(text: string, onRow: (row: string[], index: number) => void): Omit<ParsedTable, 'rows'> & { count: number } {
  const delimiter = guessDelimiter(text);
  const problems: ParsedTable['problems'] = [];
  let index = 0;
  // Each row is passed on when the next one arrives, so a final line break is not a row of its own.
  let held: string[] | null = null;
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: false,
    step: (result) => {
      if (held !== null) onRow(held, index++);
      held = result.data;
      for (const e of result.errors) {
        if (e.type === 'Delimiter') continue;
        problems.push({ row: index + 1, message: problemText(e) });
      }
    },
  });
  if (held !== null && !((held as string[]).length === 1 && (held as string[])[0] === '' && /\r?\n$/.test(text))) onRow(held, index++);
  return { delimiter, problems, count: index };
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
