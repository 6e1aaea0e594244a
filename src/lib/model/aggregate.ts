/**
 * The one reference for every figure the site shows. Totals over progress records for one
 * month and one area (pairing → village → county → province → national; a unit's villages),
 * the change since the previous month, and the counts of completed plans. Pages, bulletins,
 * the home page, charts, downloads and the name index take their figures from here; none
 * recomputes a sum.
 *
 * One rule for 未填报 / 无计划 / 超额:
 * - a blank (未填报) is never 0: it is left out of the sum and counted as missing;
 * - a pairing registered in the area that sent no row for the month is 未上报 (absent);
 * - a sum over pairings where some did not report (blank or absent) is partial: it carries
 *   how many did not report, and is shown as 部分合计, never as a plain number (figure());
 * - plan 0 is 无计划 (ratio 无计划, never 0 %); done above plan is 超额 (real ratio shown).
 * Sums are exact integers (元, 人, 个).
 */
import { METRIC_COLUMNS, PLAN_PAIRS, REPORTED_METRIC_IDS, type RatioMetricId, type ReportedMetricId } from '../metric-catalogue.ts';
import { ratio, type Ratio } from '../ratio.ts';
import type { MetricValues } from '../ingest/records.ts';

export interface MetricTotal {
  /** sum of reported values (flags: how many are 1) */
  sum: number;
  /** records that reported this metric */
  reported: number;
  /** records that left it blank (未填报) */
  missing: number;
}

type CountedPair = Exclude<(typeof PLAN_PAIRS)[number], { planName: null }>;
/** Plans whose completion is counted: the numeric plan/done pairs and the 产业扶贫计划 flag (the catalogue's pairs with a plan name). */
export const PLAN_COUNTS = PLAN_PAIRS.filter((p): p is CountedPair => p.planName !== null);
export type PlanCountId = CountedPair['id'];
export type PlanCountPair = CountedPair;

export interface PlanCount {
  /** records with a plan (plan > 0; for 产业扶贫计划: 有) */
  withPlan: number;
  /** of those, records whose done reached the plan (超额 included; 产业: 已完成) */
  completed: number;
  /** of those, records that left done blank (未填报): neither completed nor not */
  unknown: number;
  /** records that left the plan itself blank */
  planMissing: number;
}

export interface Totals {
  month: string;
  /** records (pairings) reported this month */
  records: number;
  /** pairings registered in the area (expected to report) */
  expected: number;
  /** pairings registered in the area that sent no row this month (未上报) */
  absent: number;
  metrics: Record<ReportedMetricId, MetricTotal>;
  /** completion ratios over the records that reported both plan and done */
  ratios: Record<RatioMetricId, Ratio>;
  /** for each ratio: records that left plan or done blank (left out of the ratio) */
  ratioMissing: Record<RatioMetricId, number>;
  /** how many pairings completed each plan */
  completed: Record<PlanCountId, PlanCount>;
}

const RATIO_COLUMNS = METRIC_COLUMNS.filter((m) => m.kind === 'ratio' && m.ratioOf).map((m) => ({ id: m.id as RatioMetricId, plan: m.ratioOf!.plan, done: m.ratioOf!.done }));

/** One record's value of a metric into its total: a blank counts as 未填报, a flag as 1 or 0. */
function addValue(t: MetricTotal, x: number | boolean | null): void {
  if (x === null) t.missing++;
  else {
    t.reported++;
    t.sum += typeof x === 'boolean' ? (x ? 1 : 0) : x;
  }
}

/**
 * Totals of one month over the records given (records of other months are ignored).
 * `expected`: how many pairings the area has (default: the records of the month), so that
 * pairings that sent nothing count as 未上报.
 * Its objects are filled key by key in a fixed order rather than made by Object.fromEntries:
 * nationally it runs for every village and unit and month, in the pages and in the
 * downloads, and filling in place takes about half the time.
 */
export function totals(month: string, records: ReadonlyArray<{ month: string; values: MetricValues }>, expected?: number): Totals {
  const metrics = {} as Record<ReportedMetricId, MetricTotal>;
  for (const id of REPORTED_METRIC_IDS) metrics[id] = { sum: 0, reported: 0, missing: 0 };
  const pairs = RATIO_COLUMNS.map(() => ({ plan: 0, done: 0, any: false, missing: 0 }));
  const completed = {} as Record<PlanCountId, PlanCount>;
  for (const pc of PLAN_COUNTS) completed[pc.id] = { withPlan: 0, completed: 0, unknown: 0, planMissing: 0 };
  let count = 0;
  for (const r of records) {
    if (r.month !== month) continue;
    count++;
    const v = r.values;
    for (const id of REPORTED_METRIC_IDS) addValue(metrics[id], v[id]);
    for (let i = 0; i < RATIO_COLUMNS.length; i++) {
      const plan = v[RATIO_COLUMNS[i]!.plan] as number | null;
      const done = v[RATIO_COLUMNS[i]!.done] as number | null;
      const p = pairs[i]!;
      if (plan === null || done === null) {
        p.missing++;
        continue;
      }
      p.plan += plan;
      p.done += done;
      p.any = true;
    }
    for (const pc of PLAN_COUNTS) {
      const c = completed[pc.id];
      const plan = v[pc.plan];
      const done = v[pc.done];
      if (plan === null) {
        c.planMissing++;
        continue;
      }
      const has = typeof plan === 'boolean' ? plan : plan > 0;
      if (!has) continue;
      c.withPlan++;
      if (done === null) c.unknown++;
      else if (typeof done === 'boolean' ? done : done >= (plan as number)) c.completed++;
    }
  }
  const ratios = {} as Record<RatioMetricId, Ratio>;
  const ratioMissing = {} as Record<RatioMetricId, number>;
  for (let i = 0; i < RATIO_COLUMNS.length; i++) {
    const p = pairs[i]!;
    ratios[RATIO_COLUMNS[i]!.id] = p.any ? ratio(p.plan, p.done) : { kind: 'unreported' };
    ratioMissing[RATIO_COLUMNS[i]!.id] = p.missing;
  }
  const exp = Math.max(expected ?? count, count);
  return { month, records: count, expected: exp, absent: exp - count, metrics, ratios, ratioMissing, completed };
}

// ------------------------------------------------------------------ figures

/** One figure as every page shows it: the sum and, when partial, who is not in it. */
export interface Figure {
  /** the sum of what was reported; null when nothing was (未填报 / 未上报) */
  value: number | null;
  /** records that left this figure blank (未填报) */
  blank: number;
  /** pairings of the area that sent no row this month (未上报) */
  absent: number;
  /** some pairings are not in the sum (blank + absent > 0) and something was reported */
  partial: boolean;
}

/** A metric's figure for one month of an area; undefined totals (month unknown) = nothing reported. */
export function figure(t: Totals | undefined, id: ReportedMetricId): Figure {
  if (!t) return { value: null, blank: 0, absent: 0, partial: false };
  return figureOf(t.metrics[id], t.absent);
}

/** The figure of a metric's total, `absent` pairings having sent no row. */
function figureOf(m: MetricTotal, absent: number): Figure {
  const value = m.reported > 0 ? m.sum : null;
  return { value, blank: m.missing, absent, partial: value !== null && m.missing + absent > 0 };
}

/**
 * figure(totals(month, their records, pairings.length), id), worked out for the one metric
 * from the pairings' records of the month: the bulletin asks it of every village for two
 * months (at national scale 11 s through the whole totals).
 */
export function pairingsFigure(pairings: ReadonlyArray<{ byMonth: ReadonlyMap<string, { values: MetricValues }> }>, month: string, id: ReportedMetricId): Figure {
  const total: MetricTotal = { sum: 0, reported: 0, missing: 0 };
  let records = 0;
  for (const p of pairings) {
    const r = p.byMonth.get(month);
    if (!r) continue;
    records++;
    addValue(total, r.values[id]);
  }
  return figureOf(total, Math.max(pairings.length, records) - records);
}

/** A ratio's figure: the ratio over records that reported both, partial when some did not. */
export function ratioFigure(t: Totals | undefined, id: RatioMetricId): { ratio: Ratio; blank: number; absent: number; partial: boolean } {
  if (!t) return { ratio: { kind: 'unreported' }, blank: 0, absent: 0, partial: false };
  const r = t.ratios[id];
  const blank = t.ratioMissing[id];
  return { ratio: r, blank, absent: t.absent, partial: r.kind !== 'unreported' && blank + t.absent > 0 };
}

/**
 * Change of a figure since the previous month: null when either month has nothing; partial
 * when either sum is partial (the change then mixes reporting with progress, and says so).
 */
export function change(now: Figure, before: Figure): { value: number | null; partial: boolean } {
  if (now.value === null || before.value === null) return { value: null, partial: false };
  return { value: now.value - before.value, partial: now.partial || before.partial };
}

/** The months in which at least one of an area's pairings sent a row, in the order given. */
export function reportedMonths(byMonth: ReadonlyMap<string, { records: number }>, months: readonly string[]): string[] {
  return months.filter((m) => (byMonth.get(m)?.records ?? 0) > 0);
}
