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
  const scan = scanRows(text, 0, delimiter, Infinity, Infinity);
  const read = scan.end === text.length ? text : text.slice(0, scan.end);
  const result = Papa.parse<string[]>(read, { delimiter, skipEmptyLines: false });
  const rows = result.data;
  // A final line break is not a row of its own.
  if (rows.length > 0 && /\r?\n$/.test(read)) {
    const last = rows[rows.length - 1];
    if (last && last.length === 1 && last[0] === '') rows.pop();
  }
  const problems = result.errors
    .filter((e) => e.type !== 'Delimiter')
    .map((e) => ({
      row: typeof e.row === 'number' ? e.row + 1 : null,
      message: problemText(e),
    }));
  if (scan.refused) problems.push({ row: scan.rows + 1, message: scan.refused });
  return { rows, delimiter, problems };
}

/**
 * The same rows, lazily, for tables too large to hold as rows (a 1,000,000-row export held as
 * string[][] is over half a gigabyte besides its text): the text is cut into batches of at most
 * BATCH rows or BATCH_CELLS cells at line breaks outside quotes (a doubled "" inside a quoted cell keeps the count
 * even), and each batch is parsed when the rows before it have been read. Problems are
 * reported through `onProblem` with the row numbers of the whole table.
 */
export function* csvRows(text: string, onProblem: (p: ParsedTable['problems'][number]) => void): Generator<string[]> {
  const delimiter = guessDelimiter(text);
  let start = 0;
  let rowsBefore = 0;
  while (start < text.length) {
    const scan = scanRows(text, start, delimiter, BATCH, BATCH_CELLS);
    const piece = text.slice(start, scan.end);
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
    if (scan.refused) {
      onProblem({ row: rowsBefore + 1, message: scan.refused });
      return;
    }
    start = scan.end;
  }
}

/** Rows per batch, and cells per batch: 20,000 rows of 16,384 cells each would be 300 million cells at once. */
const BATCH = 20_000;
const BATCH_CELLS = 1_000_000;

/**
 * What one row of a text table may hold. Excel's own limits are 16,384 columns and 32,767
 * characters a cell; a cell may be longer here (a pasted note is read whole and reported cut
 * to its start), but not without end: one quote left open makes the rest of the file one cell.
 */
const CSV_LIMITS = { columns: 16_384, cellChars: 4 * 1024 * 1024 };

interface Scan {
  /** where the rows read end: after the last whole row of the batch, or before a refused row */
  end: number;
  /** rows from `start` to `end` */
  rows: number;
  /** why the row after `end` is refused */
  refused?: string;
}

/**
 * From `start`, whole rows up to `maxRows` rows or `maxCells` cells, each row checked against
 * CSV_LIMITS before papaparse sees it. A quote opens a quoted cell only at the start of a cell,
 * and `""` inside one is a quote character, as papaparse reads them, so a batch never ends
 * inside a cell. One pass over the characters, whatever a row holds.
 */
function scanRows(text: string, start: number, delimiter: string, maxRows: number, maxCells: number): Scan {
  const d = delimiter.charCodeAt(0);
  const limit = CSV_LIMITS.cellChars;
  let quoted = false;
  let cellStart = true;
  let rows = 0;
  let cells = 0;
  let rowStart = start;
  let rowCells = 1;
  let cellBegin = start;
  const refuse = (why: string): Scan => ({ end: rowStart, rows, refused: `${why}：该行及其后的内容未读取` });
  const tooLong = () => refuse(`这一行有超过 ${nf.format(limit)} 个字符的单元格，多半是引号没有闭合`);
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 34) {
        if (text.charCodeAt(i + 1) === 34) i++;
        else quoted = false;
      }
      if (i - cellBegin > limit) return tooLong();
      continue;
    }
    if (c === 34 && cellStart) {
      quoted = true;
      cellStart = false;
    } else if (c === 10) {
      rows++;
      cells += rowCells;
      rowStart = i + 1;
      rowCells = 1;
      cellBegin = i + 1;
      cellStart = true;
      if (rows >= maxRows || cells >= maxCells) return { end: i + 1, rows };
    } else if (c === d) {
      if (++rowCells > CSV_LIMITS.columns) return refuse(`这一行有超过 ${nf.format(CSV_LIMITS.columns)} 列（Excel 的上限），不像进展统计表的一行，请检查分隔符`);
      cellBegin = i + 1;
      cellStart = true;
    } else {
      cellStart = c === 13;
      if (i - cellBegin > limit) return tooLong();
    }
  }
  return { end: text.length, rows };
}

const nf = new Intl.NumberFormat('zh-CN');

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
