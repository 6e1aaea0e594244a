/**
 * Month-by-month series of an area's totals, as chart inputs. A month in which nothing
 * was reported is a gap (null), never 0.
 */
import type { ReportedMetricId } from './columns.ts';
import { formatMonth } from './format.ts';
import type { AreaTotals } from './model.ts';

export interface TrendInput {
  title: string;
  months: string[];
  series: Array<{ name: string; values: Array<number | null> }>;
  unit: '万元' | '人' | '个' | '%';
}

const MONEY: ReadonlySet<ReportedMetricId> = new Set(['fundsPlan', 'fundsDone', 'materialsPlan', 'materialsDone', 'salesPlan', 'salesDone']);

function series(area: AreaTotals, months: string[], metric: ReportedMetricId): Array<number | null> {
  return months.map((m) => {
    const t = area.byMonth.get(m)?.metrics[metric];
    if (!t || t.reported === 0) return null;
    // Charts plot 万元; the exact figures are in the tables beside them.
    return MONEY.has(metric) ? t.sum / 10000 : t.sum;
  });
}

export function planDoneTrend(area: AreaTotals, months: string[], plan: ReportedMetricId, done: ReportedMetricId, what: string, unit: TrendInput['unit']): TrendInput {
  const range = months.length > 0 ? `${formatMonth(months[0]!)}至${formatMonth(months.at(-1)!)}` : '';
  return {
    title: `${what}：计划与累计完成（${range}）`,
    months,
    series: [
      { name: '计划', values: series(area, months, plan) },
      { name: '累计完成', values: series(area, months, done) },
    ],
    unit,
  };
}
