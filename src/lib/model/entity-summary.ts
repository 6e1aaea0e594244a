/**
 * The five-second summary at the top of an entity page: who helps (units, how many), money
 * promised, planned and arrived with its month, and one status line per measure. Plain data
 * from the read model; EntitySummary.astro only renders it.
 */
import { figure, ratioFigure, reportedMonths, type Totals } from './aggregate.ts';
import { PAIR, type MeasureId, type ReportedMetricId } from '../metric-catalogue.ts';
import { formatAmount, formatCount, formatFigure, formatMonth, formatRatioFigure, partialNote, NBSP, type FigureUnit } from '../render/format.ts';
import { MEASURE_PAIRS } from './measure-pairs.ts';
import type { Ratio } from '../ratio.ts';
import { ISO_DATE_PATTERN } from '../patterns.ts';

export interface SummaryMeasure {
  id: MeasureId;
  name: string;
  /** e.g. "60.00 / 120.50 万元", a partial sum marked 「（部分合计）」 */
  text: string;
  /** e.g. "49.8%"; '' when the measure has no ratio */
  ratio: string;
  state: 'done' | 'over' | 'progress' | 'none' | 'missing';
}

export interface EntitySummaryData {
  /** month of the figures (null: nothing reported yet) */
  month: string | null;
  monthText: string;
  /** pairings reported that month / registered */
  reported: number;
  registered: number;
  /** the funds pair (资金计划 and 已到位): 万元 without the unit, null when nobody reported it */
  funds: {
    planKey: ReportedMetricId;
    doneKey: ReportedMetricId;
    plan: string | null;
    done: string | null;
    ratio: string;
    /** who is not in the funds sums (「1 个结对未填报」), '' when they are whole */
    partial: string;
  };
  measures: SummaryMeasure[];
}

function stateOf(r: Ratio): SummaryMeasure['state'] {
  if (r.kind === 'noPlan') return 'none';
  if (r.kind === 'unreported') return 'missing';
  return r.over ? 'over' : r.percent >= 100 ? 'done' : 'progress';
}

/** A summed figure in the summary's short form: the number, or 未填报, with 「（部分合计）」 where some pairings are not in it. */
function short(t: Totals, id: ReportedMetricId, unit: FigureUnit): string {
  return formatFigure(figure(t, id), unit, { short: true, bare: true });
}

/**
 * The summary of an area (village, unit, county…) from its totals for the month it last
 * reported. Every figure is the read model's (aggregate.ts `figure`), by its one rule for
 * 未填报 / 未上报: nothing is summed here.
 */
export function entitySummary(byMonth: ReadonlyMap<string, Totals>, months: readonly string[], registered: number): EntitySummaryData {
  const month = reportedMonths(byMonth, months).at(-1) ?? null;
  const t = month ? byMonth.get(month) : undefined;
  if (!month || !t) {
    return { month: null, monthText: '尚未上报', reported: 0, registered, funds: { planKey: PAIR.funds.plan, doneKey: PAIR.funds.done, plan: null, done: null, ratio: '', partial: '' }, measures: [] };
  }
  const measures = MEASURE_PAIRS.map((p): SummaryMeasure => {
    const name = p.name.replace(/（.*）$/, '');
    if (!p.ratio) {
      const planned = figure(t, p.plan);
      const people = figure(t, p.done);
      const text =
        planned.value === null ? formatFigure(planned, '') : planned.value > 0 ? `${formatCount(planned.value)}${NBSP}个结对派驻，已驻村 ${people.value === null ? formatFigure(people, '人') : formatFigure(people, '人', { short: true })}` : '未派驻';
      return { id: p.id, name, text, ratio: '', state: planned.value === null ? 'missing' : planned.value > 0 ? 'done' : 'none' };
    }
    const r = ratioFigure(t, p.ratio);
    return { id: p.id, name, text: `${short(t, p.done, p.unit)} / ${short(t, p.plan, p.unit)}${NBSP}${p.unit}`, ratio: formatRatioFigure(r, { short: true }), state: stateOf(r.ratio) };
  });
  const plan = figure(t, PAIR.funds.plan);
  const done = figure(t, PAIR.funds.done);
  const partial = plan.partial || done.partial ? partialNote({ blank: Math.max(plan.blank, done.blank), absent: t.absent }) : '';
  return {
    month,
    monthText: formatMonth(month),
    reported: t.records,
    registered,
    funds: {
      planKey: PAIR.funds.plan,
      doneKey: PAIR.funds.done,
      plan: plan.value === null ? null : formatAmount(plan.value, '万元', { bare: true }),
      done: done.value === null ? null : formatAmount(done.value, '万元', { bare: true }),
      ratio: formatRatioFigure(ratioFigure(t, PAIR.funds.ratio), { short: true }),
      partial,
    },
    measures,
  };
}

/** The most recent of the publish and revision dates (ISO), or null when the data was never filed with data:import. */
export function dataUpdatedOn(publishedOn: Readonly<Record<string, string | null>>, revisionDates: readonly string[]): string | null {
  const dates = [...Object.values(publishedOn), ...revisionDates].filter((d): d is string => typeof d === 'string' && ISO_DATE_PATTERN.test(d));
  return dates.sort().at(-1) ?? null;
}
