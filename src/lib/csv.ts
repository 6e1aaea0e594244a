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
      message: e.code === 'MissingQuotes' ? '引号没有闭合，其后的内容会被并入同一单元格' : e.code === 'InvalidQuotes' ? '单元格中的引号不成对' : e.message,
    }));
  return { rows, delimiter, problems };
}

/** Excel writes commas for CSV and tabs for "Unicode 文本"; look at the first lines outside quotes. */
function guessDelimiter(text: string): string {
  const head = text.slice(0, 8192);
  let tabs = 0;
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of head) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted) {
      if (ch === '\t') tabs++;
      else if (ch === ',') commas++;
      else if (ch === ';') semicolons++;
    }
  }
  if (tabs > commas && tabs >= semicolons) return '\t';
  if (semicolons > commas && semicolons > tabs) return ';';
  return ',';
}
