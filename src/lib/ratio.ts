/**
 * Ratio semantics used everywhere: plan 0 is 无计划 (never 0 %, NaN or ∞), a blank is
 * 未填报, done above plan is 超额 and shows its real ratio.
 */
export type Ratio =
  | { kind: 'unreported' }
  | { kind: 'noPlan' }
  | { kind: 'value'; percent: number; over: boolean };

export function ratio(plan: number | null, done: number | null): Ratio {
  if (plan === null || done === null) return { kind: 'unreported' };
  if (plan === 0) return { kind: 'noPlan' };
  const percent = (done / plan) * 100;
  return { kind: 'value', percent, over: done > plan };
}

/**
 * The same ratio as published in the open data: percent with 2 decimals, rounded half up,
 * computed exactly on the integers (元, 人) — no float, so the file is the same on every machine.
 * null where `ratio` is 无计划 or 未填报.
 */
export function ratioDecimal(plan: number | null, done: number | null): string | null {
  if (plan === null || done === null || plan === 0) return null;
  const p = BigInt(plan);
  const hundredths = (BigInt(done) * 20000n + p) / (2n * p);
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
}
