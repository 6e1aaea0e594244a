/**
 * What the home page shows for a month: the five measures, plan against done, with
 * ratios and how many pairings left a figure blank. Plain data; pages only render it.
 */
import { MEASURES, type MeasureId } from './columns.ts';
import type { Totals } from './aggregate.ts';
import { formatCount, formatRatio, formatWan } from './format.ts';

export interface SummaryLine {
  label: string;
  value: string;
  /** machine-readable value for tests and downloads: integer 元 / 人 / 个 */
  raw: number | null;
  key: string;
}

export interface MeasureSummary {
  id: MeasureId;
  name: string;
  lines: SummaryLine[];
  /** pairings that left one of this measure's figures blank */
  missing: number;
}

export function measureSummaries(t: Totals): MeasureSummary[] {
  const m = t.metrics;
  const money = (key: keyof typeof m, label: string): SummaryLine => ({ key, label, value: `${formatWan(m[key].sum)} 万元`, raw: m[key].sum });
  const count = (key: keyof typeof m, label: string, unit: string): SummaryLine => ({ key, label, value: `${formatCount(m[key].sum)} ${unit}`, raw: m[key].sum });
  const ratioLine = (key: keyof typeof t.ratios, label: string): SummaryLine => ({ key, label, value: formatRatio(t.ratios[key]), raw: null });
  const missing = (...keys: Array<keyof typeof m>) => Math.max(...keys.map((k) => m[k].missing));
  const byId: Record<MeasureId, Omit<MeasureSummary, 'id' | 'name'>> = {
    industry: {
      lines: [
        money('fundsPlan', '资金计划总投入'),
        money('fundsDone', '资金已到位'),
        ratioLine('fundsRatio', '资金完成比例'),
        money('materialsPlan', '物资计划总投入'),
        money('materialsDone', '物资已到位'),
        ratioLine('materialsRatio', '物资完成比例'),
        count('hasIndustryPlan', '有产业扶贫计划的结对', '个'),
        count('industryPlanDone', '已完成产业计划的结对', '个'),
      ],
      missing: missing('fundsPlan', 'fundsDone', 'materialsPlan', 'materialsDone', 'hasIndustryPlan', 'industryPlanDone'),
    },
    consumption: {
      lines: [money('salesPlan', '计划销售'), money('salesDone', '已完成销售'), ratioLine('salesRatio', '销售完成比例')],
      missing: missing('salesPlan', 'salesDone'),
    },
    employment: {
      lines: [count('jobsPlan', '计划就业', '人'), count('jobsDone', '已解决就业', '人'), ratioLine('jobsRatio', '就业完成比例')],
      missing: missing('jobsPlan', 'jobsDone'),
    },
    training: {
      lines: [count('trainingPlan', '计划培训', '人'), count('trainingDone', '已完成培训', '人'), ratioLine('trainingRatio', '培训完成比例')],
      missing: missing('trainingPlan', 'trainingDone'),
    },
    stationing: {
      lines: [count('stationed', '派驻村的结对', '个'), count('stationedCount', '已驻村人数', '人')],
      missing: missing('stationed', 'stationedCount'),
    },
  };
  return MEASURES.map((x) => ({ id: x.id, name: x.name, ...byId[x.id] }));
}
