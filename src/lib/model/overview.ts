/**
 * What the home page (and every area's cards) shows for a month: the five measures, plan
 * against done, with ratios and how many pairings are not in the sums. Figures come from
 * aggregate.ts (figure, ratioFigure, completed counts); plain data, pages only render it.
 */
import { MEASURES, METRICS, metric, sumUnit, type MeasureId, type RatioMetricId, type ReportedMetricId } from '../metric-catalogue.ts';
import { PLAN_COUNTS, figure, ratioFigure, type PlanCountPair, type Totals } from './aggregate.ts';
import { formatFigure, formatMoneyHeadline, formatRatioFigure, type FigureUnit } from '../render/format.ts';

export interface SummaryLine {
  label: string;
  value: string;
  /** machine-readable value for tests and downloads: integer 元 / 人 / 个; null = nothing reported or a ratio */
  raw: number | null;
  /** the sum leaves out pairings that did not report (部分合计) */
  partial: boolean;
  /** the exact value when `value` rounds it (亿元): for a title attribute */
  exact: string | null;
  key: string;
}

export interface MeasureSummary {
  id: MeasureId;
  name: string;
  lines: SummaryLine[];
  /** pairings that left one of this measure's figures blank */
  missing: number;
  /** pairings of the area that sent nothing this month */
  absent: number;
}

/** Done metrics of a 1/0 plan whose completion is counted (产业扶贫计划): their line is the completed count. */
const COMPLETION_LINES = new Map(PLAN_COUNTS.filter((p) => metric(p.plan).kind === 'flag').map((p) => [p.done as string, p]));

export function measureSummaries(t: Totals): MeasureSummary[] {
  const sums = t.metrics;
  const amount = (key: ReportedMetricId, label: string, unit: FigureUnit): SummaryLine => {
    const f = figure(t, key);
    // money from 1 亿元 on is written in 亿元, the exact 万元 value kept for the title
    const head = unit === '万元' && f.value !== null ? formatMoneyHeadline(f.value) : null;
    const value = head?.exact ? `${head.text}${f.partial ? '（部分合计）' : ''}` : formatFigure(f, unit, { short: true });
    return { key, label, value, raw: f.value, partial: f.partial, exact: head?.exact ?? null };
  };
  const ratioLine = (key: RatioMetricId, label: string): SummaryLine => {
    const f = ratioFigure(t, key);
    return { key, label, value: formatRatioFigure(f, { short: true }), raw: null, partial: f.partial, exact: null };
  };
  // A 1/0 plan whose completion is counted (产业扶贫计划): its done line is how many completed.
  const completedLine = (pair: PlanCountPair, label: string): SummaryLine => {
    const c = t.completed[pair.id];
    const partial = c.unknown + c.planMissing + t.absent > 0;
    return { key: pair.done, label, value: formatFigure({ value: c.completed, blank: c.unknown + c.planMissing, absent: t.absent, partial }, '个', { short: true }), raw: c.completed, partial, exact: null };
  };
  const line = (m: (typeof METRICS)[number]): SummaryLine => {
    if (m.kind === 'ratio') return ratioLine(m.id, m.shortLabel);
    const counted = COMPLETION_LINES.get(m.id);
    return counted ? completedLine(counted, m.shortLabel) : amount(m.id, m.shortLabel, sumUnit(m.id) as FigureUnit);
  };
  return MEASURES.map((x) => {
    const metrics = METRICS.filter((m) => m.measure === x.id);
    const reported = metrics.flatMap((m) => (m.kind === 'ratio' ? [] : [m.id]));
    return { id: x.id, name: x.name, absent: t.absent, lines: metrics.map(line), missing: Math.max(...reported.map((k) => sums[k].missing)) };
  });
}
