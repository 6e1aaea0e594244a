/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set; the last is
 * a check character over the first 17 (weights 3^i mod 31).
 */
import { USCC_PATTERN } from '../patterns.ts';
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The check character for the first 17 characters, or null if they use a character outside the set. */
export function usccCheckChar(first17: string): string | null {
  if (first17.length !== 17) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * WEIGHTS[i]!;
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

export function isValidUscc(code: string): boolean {
  return USCC_PATTERN.test(code) && usccCheckChar(code.slice(0, 17)) === code[17];
}

/** Why a code is not valid, in Chinese, or null when it is. */
export function usccProblem(code: string): string | null {
  if (code.length !== 18) return `应为 18 位，实为 ${code.length} 位`;
  if (!USCC_PATTERN.test(code)) return '含有不允许的字符（不使用 I、O、Z、S、V 和小写字母）';
  const expected = usccCheckChar(code.slice(0, 17));
  if (expected !== code[17]) return `校验码错误（按前 17 位应为 ${expected}）`;
  return null;
}

export function makeUscc(first17: string): string {
  const c = usccCheckChar(first17);
  if (c === null) throw new Error(`not a USCC prefix: ${first17}`);
  return first17 + c;
}

/**
 * GB 11714 organisation-code check character over an 8-character body (digits and
 * upper-case letters, A = 10 … Z = 35): weights 3 7 9 10 5 8 4 2, C = 11 − (Σ mod 11),
 * 10 → X, 11 → 0. Used so the synthetic codes look like real ones (e.g. `M000100Y` → `4`).
 */
export function orgCodeCheckChar(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8.charCodeAt(i);
    const v = ch >= 48 && ch <= 57 ? ch - 48 : ch - 55;
    sum += v * weights[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}
