/**
 * The shipped flat exports (data/exports/YYYY-MM/<省>.csv) read cell by cell, without the
 * ingest: papaparse over the decoded text, 万元 cells turned into integer 元 by string
 * arithmetic. Tests compare what the site computes with sums made here from the same cells.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';

export const DATA = path.resolve(import.meta.dirname, '../../data');

/** The fourteen reported columns of 附件3 as GUIDE §3 prints them, with what each holds. */
export const REPORTED_HEADERS = {
  fundsPlan: ['资金计划总投入（万元）', 'money'],
  fundsDone: ['资金已到位总投入（万元）', 'money'],
  materialsPlan: ['物资计划总投入（万元）', 'money'],
  materialsDone: ['物资已到位（万元）', 'money'],
  hasIndustryPlan: ['是否有产业扶贫计划（1/0）', 'flag'],
  industryPlanDone: ['是否已完成计划（1/0）', 'flag'],
  salesPlan: ['计划销售（万元）', 'money'],
  salesDone: ['已完成销售（万元）', 'money'],
  jobsPlan: ['计划就业人数', 'count'],
  jobsDone: ['已解决就业人数', 'count'],
  trainingPlan: ['计划培训人数', 'count'],
  trainingDone: ['已完成培训人数', 'count'],
  stationed: ['是否派驻村（1/0）', 'flag'],
  stationedCount: ['已驻村人数', 'count'],
} as const;

/** A number cell as a person reads it: spaces around it and thousands separators (`2,468.00`) do not count. */
const plain = (cell: string) => cell.normalize('NFKC').replace(/[\s,]/g, '');

/** `31.43` 万元 → 314300 元, exactly (never through a float); '' → null. */
export function wanToYuan(cell: string): number | null {
  const s = plain(cell);
  if (s === '') return null;
  const m = /^(\d+)(?:\.(\d{1,4}))?$/.exec(s);
  if (!m) throw new Error(`not a 万元 amount: ${JSON.stringify(cell)}`);
  return Number(m[1]) * 10_000 + Number((m[2] ?? '').padEnd(4, '0'));
}

/** A count or a 1/0 flag cell → number, '' → null. */
function wholeNumber(cell: string): number | null {
  const s = plain(cell);
  if (s === '') return null;
  if (!/^\d+$/.test(s)) throw new Error(`not a whole number: ${JSON.stringify(cell)}`);
  return Number(s);
}

/** A cell of a reported column as a number (元 for money, 1/0 for flags), null when blank. */
export function cellValue(id: keyof typeof REPORTED_HEADERS, row: Record<string, string>): number | null {
  const [header, kind] = REPORTED_HEADERS[id];
  const cell = row[headerKey(header)];
  if (cell === undefined) throw new Error(`no column ${header}`);
  return kind === 'money' ? wanToYuan(cell) : wholeNumber(cell);
}

/** Decode by BOM (the shipped files are UTF-8, with or without BOM, or UTF-16LE). */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes).replace(/^\ufeff/, '');
}

/**
 * A header as the test looks it up: the shipped files write some headers with spaces and
 * half-width brackets (`资金计划总投入  (万元)`, `乡（镇）`), as Excel users type them.
 */
export const headerKey = (header: string) => header.normalize('NFKC').replace(/\s+/g, '');

/** A flat export's data rows as header (headerKey) → cell. */
export function readFlatExport(file: string): Array<Record<string, string>> {
  const parsed = Papa.parse<Record<string, string>>(decode(readFileSync(file)), { header: true, skipEmptyLines: 'greedy', transformHeader: headerKey });
  if (parsed.errors.length > 0) throw new Error(`${file}: ${parsed.errors[0]!.message}`);
  return parsed.data;
}

/** The province-level flat exports shipped: [month, path under data/]. */
export function shippedFlatExports(): Array<{ month: string; file: string }> {
  const out: Array<{ month: string; file: string }> = [];
  for (const month of readdirSync(path.join(DATA, 'exports')).sort()) {
    for (const name of readdirSync(path.join(DATA, 'exports', month)).sort()) {
      if (name.endsWith('.csv')) out.push({ month, file: `exports/${month}/${name}` });
    }
  }
  return out;
}

/** Registry rows of data/registry/<name>.csv as header (headerKey) → cell. */
export function readRegistry(name: 'villages' | 'units' | 'pairings', dir = DATA): Array<Record<string, string>> {
  return readFlatExport(path.join(dir, 'registry', `${name}.csv`));
}
