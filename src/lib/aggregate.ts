/**
 * Totals over progress records for one month (national now; county, province and unit
 * views reuse the same function over their subsets). Sums are exact integers (元, 人,
 * 个); a blank (未填报) is counted as missing, never as 0.
 */
import { METRIC_COLUMNS, REPORTED_METRIC_IDS, type RatioMetricId, type ReportedMetricId } from './columns.ts';
import { ratio, type Ratio } from './metrics.ts';
import type { MetricValues } from './schemas.ts';

export interface MetricTotal {
  /** sum of reported values (flags: how many are 1) */
  sum: number;
  /** records that reported this metric */
  reported: number;
  /** records that left it blank (未填报) */
  missing: number;
}

export interface Totals {
  month: string;
  /** records (pairings) reported this month */
  records: number;
  metrics: Record<ReportedMetricId, MetricTotal>;
  /** completion ratios over the records that reported both plan and done */
  ratios: Record<RatioMetricId, Ratio>;
}

export function totals(month: string, records: ReadonlyArray<{ month: string; values: MetricValues }>): Totals {
  const metrics = Object.fromEntries(REPORTED_METRIC_IDS.map((id) => [id, { sum: 0, reported: 0, missing: 0 }])) as Record<ReportedMetricId, MetricTotal>;
  const pairs = new Map<RatioMetricId, { plan: number; done: number; any: boolean }>();
  const ratioColumns = METRIC_COLUMNS.filter((m) => m.kind === 'ratio' && m.ratioOf);
  for (const m of ratioColumns) pairs.set(m.id as RatioMetricId, { plan: 0, done: 0, any: false });
  let count = 0;
  for (const r of records) {
    if (r.month !== month) continue;
    count++;
    for (const id of REPORTED_METRIC_IDS) {
      const v = r.values[id];
      const t = metrics[id];
      if (v === null) t.missing++;
      else {
        t.reported++;
        t.sum += typeof v === 'boolean' ? (v ? 1 : 0) : v;
      }
    }
    for (const m of ratioColumns) {
      const plan = r.values[m.ratioOf!.plan] as number | null;
      const done = r.values[m.ratioOf!.done] as number | null;
      if (plan === null || done === null) continue;
      const p = pairs.get(m.id as RatioMetricId)!;
      p.plan += plan;
      p.done += done;
      p.any = true;
    }
  }
  const ratios = Object.fromEntries(
    [...pairs].map(([id, p]) => [id, p.any ? ratio(p.plan, p.done) : ({ kind: 'unreported' } as Ratio)]),
  ) as Record<RatioMetricId, Ratio>;
  return { month, records: count, metrics, ratios };
}
