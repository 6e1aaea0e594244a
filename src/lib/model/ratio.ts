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
