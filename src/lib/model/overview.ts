/**
 * What the home page (and every area's cards) shows for a month: the five measures, plan
 * against done, with ratios and how many pairings are not in the sums. Figures come from
 * aggregate.ts (figure, ratioFigure, completed counts); plain data, pages only render it.
 */
import { MEASURES, type MeasureId, type RatioMetricId, type ReportedMetricId } from '../ingest/columns.ts';
import { figure, ratioFigure, type Totals } from './aggregate.ts';
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

export function measureSummaries(t: Totals): MeasureSummary[] {
  const m = t.metrics;
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
  const done = (label: string): SummaryLine => {
    const c = t.completed.industry;
    const partial = c.unknown + c.planMissing + t.absent > 0;
    return { key: 'industryPlanDone', label, value: formatFigure({ value: c.completed, blank: c.unknown + c.planMissing, absent: t.absent, partial }, '个', { short: true }), raw: c.completed, partial, exact: null };
  };
  const missing = (...keys: ReportedMetricId[]) => Math.max(...keys.map((k) => m[k].missing));
  const byId: Record<MeasureId, Omit<MeasureSummary, 'id' | 'name' | 'absent'>> = {
    industry: {
      lines: [
        amount('fundsPlan', '资金计划总投入', '万元'),
        amount('fundsDone', '资金已到位', '万元'),
        ratioLine('fundsRatio', '资金完成比例'),
        amount('materialsPlan', '物资计划总投入', '万元'),
        amount('materialsDone', '物资已到位', '万元'),
        ratioLine('materialsRatio', '物资完成比例'),
        amount('hasIndustryPlan', '有产业扶贫计划的结对', '个'),
        done('已完成产业计划的结对'),
      ],
      missing: missing('fundsPlan', 'fundsDone', 'materialsPlan', 'materialsDone', 'hasIndustryPlan', 'industryPlanDone'),
    },
    consumption: {
      lines: [amount('salesPlan', '计划销售', '万元'), amount('salesDone', '已完成销售', '万元'), ratioLine('salesRatio', '销售完成比例')],
      missing: missing('salesPlan', 'salesDone'),
    },
    employment: {
      lines: [amount('jobsPlan', '计划就业', '人'), amount('jobsDone', '已解决就业', '人'), ratioLine('jobsRatio', '就业完成比例')],
      missing: missing('jobsPlan', 'jobsDone'),
    },
    training: {
      lines: [amount('trainingPlan', '计划培训', '人'), amount('trainingDone', '已完成培训', '人'), ratioLine('trainingRatio', '培训完成比例')],
      missing: missing('trainingPlan', 'trainingDone'),
    },
    stationing: {
      lines: [amount('stationed', '派驻村的结对', '个'), amount('stationedCount', '已驻村人数', '人')],
      missing: missing('stationed', 'stationedCount'),
    },
  };
  return MEASURES.map((x) => ({ id: x.id, name: x.name, absent: t.absent, ...byId[x.id] }));
}
