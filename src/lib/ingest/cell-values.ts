/**
 * Cell values as counties type them: spaces, thousands separators, full-width digits
 * (`１２.５`), a `%` on ratios, 是/否 for flags. A blank cell is "not reported" (null),
 * which is not 0. Money is kept exact as integer 元 (1 万元 = 10000 元): no float sums.
 */
import { clip } from '../clip.ts';

export type CellProblem = 'BAD_NUMBER' | 'NEGATIVE_VALUE' | 'NOT_INTEGER' | 'TOO_MANY_DECIMALS' | 'PERCENT_NOT_ALLOWED' | 'BAD_FLAG' | 'BAD_DATE';
export type CellResult<T> = { ok: true; value: T | null } | { ok: false; code: CellProblem; reason: string };

/** Integer number of 元. Money in files and on pages is 万元; 1 元 = 0.0001 万元. */
export type Yuan = number;

const BLANKS = new Set(['', '-', '－', '—', '/', '／', '\\']);

/** NFKC folds full-width digits, dots, commas and % to ASCII; spaces of every kind go. */
export function normalizeCell(cell: string): string {
  return cell.normalize('NFKC').replace(/[\s\u3000\u00a0\u200b\ufeff]+/g, '');
}

export function isBlank(cell: string | undefined): boolean {
  return cell === undefined || normalizeCell(cell) === '';
}

interface DecimalParts {
  negative: boolean;
  int: string;
  frac: string;
  percent: boolean;
}

/** Parse a decimal as text, exactly; thousands separators only in proper groups of three. */
function parseDecimalText(cell: string): DecimalParts | null | 'bad' {
  let s = normalizeCell(cell);
  if (BLANKS.has(s)) return null;
  let percent = false;
  if (s.endsWith('%')) {
    percent = true;
    s = s.slice(0, -1);
  }
  const m = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(s) ?? /^([+-]?)()\.(\d+)$/.exec(s);
  if (!m) return 'bad';
  return { negative: m[1] === '-', int: (m[2] ?? '').replace(/,/g, '') || '0', frac: m[3] ?? '', percent };
}

const show = (cell: string) => `“${clip(cell.trim())}”`;

/** 万元 → integer 元, exact. At most 4 decimals (1 元). */
export function parseMoney(cell: string): CellResult<Yuan> {
  const d = parseDecimalText(cell);
  if (d === null) return { ok: true, value: null };
  if (d === 'bad') return { ok: false, code: 'BAD_NUMBER', reason: `${show(cell)} 不是数字（金额单位为万元，只填数字）` };
  if (d.percent) return { ok: false, code: 'PERCENT_NOT_ALLOWED', reason: `${show(cell)} 带有百分号，但这是金额列（万元）` };
  if (d.negative && /[1-9]/.test(d.int + d.frac)) return { ok: false, code: 'NEGATIVE_VALUE', reason: `${show(cell)} 为负数，金额不能为负` };
  const frac = d.frac.replace(/0+$/, '');
  if (frac.length > 4) return { ok: false, code: 'TOO_MANY_DECIMALS', reason: `${show(cell)} 小数位超过 4 位（万元精确到元即 4 位小数）` };
  const yuan = Number(d.int) * 10000 + Number(frac.padEnd(4, '0'));
  if (!Number.isSafeInteger(yuan)) return { ok: false, code: 'BAD_NUMBER', reason: `${show(cell)} 数值过大` };
  return { ok: true, value: yuan };
}

/** A head count: a non-negative integer. */
export function parseCount(cell: string): CellResult<number> {
  const d = parseDecimalText(cell);
  if (d === null) return { ok: true, value: null };
  if (d === 'bad') return { ok: false, code: 'BAD_NUMBER', reason: `${show(cell)} 不是数字（人数只填整数）` };
  if (d.percent) return { ok: false, code: 'PERCENT_NOT_ALLOWED', reason: `${show(cell)} 带有百分号，但这是人数列` };
  if (d.negative && /[1-9]/.test(d.int + d.frac)) return { ok: false, code: 'NEGATIVE_VALUE', reason: `${show(cell)} 为负数，人数不能为负` };
  if (/[1-9]/.test(d.frac)) return { ok: false, code: 'NOT_INTEGER', reason: `${show(cell)} 不是整数，人数应为整数` };
  const n = Number(d.int);
  if (!Number.isSafeInteger(n)) return { ok: false, code: 'BAD_NUMBER', reason: `${show(cell)} 数值过大` };
  return { ok: true, value: n };
}

const FLAG_TRUE = new Set(['1', '是', '有', '1.0']);
const FLAG_FALSE = new Set(['0', '否', '无', '0.0']);

/** 1/0, also 是/否 and 有/无 (the forms of 附件2 and 附件3). */
export function parseFlag(cell: string): CellResult<boolean> {
  const s = normalizeCell(cell);
  if (BLANKS.has(s)) return { ok: true, value: null };
  if (FLAG_TRUE.has(s)) return { ok: true, value: true };
  if (FLAG_FALSE.has(s)) return { ok: true, value: false };
  return { ok: false, code: 'BAD_FLAG', reason: `${show(cell)} 不是 1/0（也可填 是/否、有/无）` };
}

const RATIO_NONE = new Set(['无计划', '无', 'n/a', 'na', '#div/0!', '#value!', '不适用']);

/** A ratio cell as a percentage (`85.5`, `85.5%`); text such as 无计划 means no value. */
export function parseRatio(cell: string): CellResult<number> | { ok: true; value: null; none: true } {
  const s = normalizeCell(cell).toLowerCase();
  if (RATIO_NONE.has(s)) return { ok: true, value: null, none: true };
  const d = parseDecimalText(cell);
  if (d === null) return { ok: true, value: null };
  if (d === 'bad') return { ok: false, code: 'BAD_NUMBER', reason: `${show(cell)} 不是百分比` };
  const v = Number(`${d.negative ? '-' : ''}${d.int}.${d.frac || '0'}`);
  return { ok: true, value: v };
}

/** Dates as Excel and people write them: 2020-05-12, 2020/5/12, 2020.5.12, 2020年5月12日 → ISO. */
export function parseDate(cell: string): CellResult<string> {
  const s = normalizeCell(cell);
  if (s === '') return { ok: true, value: null };
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (!m) return { ok: false, code: 'BAD_DATE', reason: `${show(cell)} 不是日期（应写作 2020-05-12）` };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    return { ok: false, code: 'BAD_DATE', reason: `${show(cell)} 不是存在的日期` };
  }
  return { ok: true, value: `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}` };
}

/** Names and the memo live in names.ts (one normalisation for ingest and search). */
export { memo, normalizeName } from './names.ts';

/** Integer 元 → 万元 as an exact decimal string (`125000` → `"12.5"`). */
export function yuanToWanString(yuan: Yuan): string {
  const sign = yuan < 0 ? '-' : '';
  const abs = Math.abs(yuan);
  const int = Math.floor(abs / 10000);
  const frac = String(abs % 10000).padStart(4, '0').replace(/0+$/, '');
  return frac ? `${sign}${int}.${frac}` : `${sign}${int}`;
}
