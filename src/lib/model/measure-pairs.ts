/**
 * The five measures as plan-against-done pairs of 附件3 metrics (plain data: the compare
 * tool's browser code imports it, so nothing heavier may come with it), for tables that show one
 * line per area (the county table, the unit directory) and for the compare tool. The
 * figures themselves come from the read model's totals (aggregate.ts); this file only
 * says which metric is whose plan and done, and how its unit reads.
 */
import type { MeasureId, RatioMetricId, ReportedMetricId } from '../ingest/columns.ts';

export interface MeasurePair {
  id: MeasureId;
  /** short label for table headers */
  name: string;
  plan: ReportedMetricId;
  done: ReportedMetricId;
  planLabel: string;
  doneLabel: string;
  /** the ratio column of 附件3; null where plan and done are not the same quantity (派驻力量) */
  ratio: RatioMetricId | null;
  unit: '万元' | '人' | '个';
  /** the done figure's unit when it differs from the plan's (派驻力量: 个结对 against 人) */
  doneUnit?: '人';
}

export const MEASURE_PAIRS: ReadonlyArray<MeasurePair> = [
  { id: 'industry', name: '产业扶贫（资金）', plan: 'fundsPlan', done: 'fundsDone', planLabel: '资金计划', doneLabel: '资金已到位', ratio: 'fundsRatio', unit: '万元' },
  { id: 'consumption', name: '消费扶贫（销售）', plan: 'salesPlan', done: 'salesDone', planLabel: '计划销售', doneLabel: '已完成销售', ratio: 'salesRatio', unit: '万元' },
  { id: 'employment', name: '就业扶贫', plan: 'jobsPlan', done: 'jobsDone', planLabel: '计划就业', doneLabel: '已解决就业', ratio: 'jobsRatio', unit: '人' },
  { id: 'training', name: '技能培训', plan: 'trainingPlan', done: 'trainingDone', planLabel: '计划培训', doneLabel: '已完成培训', ratio: 'trainingRatio', unit: '人' },
  { id: 'stationing', name: '派驻力量', plan: 'stationed', done: 'stationedCount', planLabel: '派驻村的结对', doneLabel: '已驻村人数', ratio: null, unit: '个', doneUnit: '人' },
];

export const measurePair = (id: string): MeasurePair | undefined => MEASURE_PAIRS.find((m) => m.id === id);
