/**
 * Month-by-month series of an area's totals, as chart inputs. A month in which nothing
 * was reported is a gap (null), never 0. A month whose sum is partial (some pairings left
 * the figure blank or sent nothing) is also a gap, never a false dip: its table cell says
 * 部分合计 with who is missing (aggregate.ts figure(), format.ts formatFigure()).
 */
import { MONEY_METRIC_IDS, sumUnit, type PlanPair, type ReportedMetricId } from '../metric-catalogue.ts';
import { figure } from './aggregate.ts';
import { formatFigure, formatMonth, partialNote } from '../render/format.ts';
import type { AreaTotals } from './read-model.ts';

export interface TrendInput {
  title: string;
  months: string[];
  series: Array<{ name: string; values: Array<number | null>; notes?: Array<string | null> }>;
  unit: '万元' | '人' | '个' | '%';
}

const MONEY: ReadonlySet<ReportedMetricId> = new Set(MONEY_METRIC_IDS);

function series(area: AreaTotals, months: string[], metric: ReportedMetricId, name: string, unit: TrendInput['unit']) {
  const figures = months.map((m) => figure(area.byMonth.get(m), metric));
  return {
    name,
    // Charts plot 万元; the exact figures are in the tables beside them.
    values: figures.map((f) => (f.value === null || f.partial ? null : MONEY.has(metric) ? f.value / 10000 : f.value)),
    // the table names why a month is not drawn: 部分合计 (with who is missing) or 未上报
    notes: figures.map((f) => (f.partial || (f.value === null && f.absent > 0 && f.blank === 0) ? formatFigure(f, unit === '%' ? '' : unit) : null)),
  };
}

/** A plan/done pair's two lines over the months; `areaName` leads the title (全国资金投入). */
export function planDoneTrend(area: AreaTotals, months: string[], pair: PlanPair, areaName = ''): TrendInput {
  const range = months.length > 0 ? `${formatMonth(months[0]!)}至${formatMonth(months.at(-1)!)}` : '';
  const { plan, done } = pair;
  const unit = sumUnit(plan);
  return {
    title: `${areaName}${pair.name}：计划与累计完成（${range}）`,
    months,
    series: [
      series(area, months, plan, '计划', unit),
      series(area, months, done, '累计完成', unit),
    ],
    unit,
  };
}

/** Months in which an area's sum of any of these metrics is partial, with who is missing (for a note beside the charts). */
export function partialMonths(area: AreaTotals, months: string[], pairs: ReadonlyArray<PlanPair>): Array<{ month: string; note: string }> {
  const metrics = pairs.flatMap((p) => [p.plan, p.done]);
  return months.flatMap((m) => {
    const t = area.byMonth.get(m);
    const fs = metrics.map((id) => figure(t, id)).filter((f) => f.partial);
    if (fs.length === 0) return [];
    const worst = fs.reduce((a, b) => (b.blank + b.absent > a.blank + a.absent ? b : a));
    return [{ month: m, note: partialNote(worst) }];
  });
}
