/** Text patterns the project checks in more than one place: one definition each. */

/** A month as the data names it: `2020-07`. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** A date written the one way the data writes dates: `2020-09-15` (isCalendarDate says whether it exists). */
export const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A 统一社会信用代码 as written: 18 characters of its alphabet (no I, O, Z, S, V); uscc.ts checks its check character. */
export const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** A calendar date written `2020-09-15` that exists (2020-02-30 does not). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}
