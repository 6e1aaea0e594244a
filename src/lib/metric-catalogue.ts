/**
 * The metric catalogue: the one place where each of the nineteen metric columns of 附件3
 * (项目进展统计表) is defined — its id, header, labels, unit, whether it accumulates, which
 * plan it pairs with and which ratio is derived from the pair. Every list of metrics
 * elsewhere (what the ingest reads, what accumulates, which sums are money, what a summary
 * card shows, what a story may quote, the open-data fields) is derived from here, so adding
 * a metric is one entry here and its one line in the record schema's types.
 *
 * Plain data, no imports: the browser's compare island reads it too.
 */

export type MetricKind = 'money' | 'count' | 'flag' | 'ratio';
export type MeasureId = 'industry' | 'consumption' | 'employment' | 'training' | 'stationing';
/** The unit a metric's sums are written in: money in 万元, people in 人, flags as a count of pairings (个). */
export type MetricUnit = '万元' | '人' | '个' | '%';

export interface MetricDefinition {
  /** identifier used in records, JSON and code */
  readonly id: string;
  /** canonical header as printed in 附件3 */
  readonly header: string;
  /** the header as the county table (附件3 saved from Excel) prints it, where it breaks lines */
  readonly printHeader?: string;
  readonly kind: MetricKind;
  readonly measure: MeasureId;
  /** the label of a sum or ratio over pairings, as cards, bulletins and charts say it */
  readonly shortLabel: string;
  /** what one value means, for the open-data field description */
  readonly description?: string;
  /** done figures are running totals to the end of the month (a decrease is a correction) */
  readonly cumulative?: boolean;
  /** a 1/0 flag's words for 1 and 0 on a pairing's row */
  readonly flagWords?: readonly [yes: string, no: string];
  /** what precedes one pairing's value on its row (已驻村 3 人) */
  readonly valuePrefix?: string;
}

/**
 * The five measures of 附件3. `headline` is the plan/done pair that stands for the measure
 * where a table has one column pair per measure (the county table, the unit directory,
 * the compare tool), named `headlineName` there.
 */
export const MEASURES: ReadonlyArray<{ id: MeasureId; name: string; group: string; headline: PlanPairId; headlineName: string }> = [
  { id: 'industry', name: '产业扶贫', group: '加大资金投入，促进产业扶贫', headline: 'funds', headlineName: '产业扶贫（资金）' },
  { id: 'consumption', name: '消费扶贫', group: '消费扶贫', headline: 'sales', headlineName: '消费扶贫（销售）' },
  { id: 'employment', name: '就业扶贫', group: '就业扶贫', headline: 'jobs', headlineName: '就业扶贫' },
  { id: 'training', name: '技能培训', group: '技能培训', headline: 'training', headlineName: '技能培训' },
  { id: 'stationing', name: '派驻力量', group: '派驻力量', headline: 'stationing', headlineName: '派驻力量' },
];

/** The nineteen metric columns of 附件3, in the official order. */
export const METRICS = [
  { id: 'fundsPlan', header: '资金计划总投入（万元）', printHeader: '资金计划\n总投入\n（万元）', kind: 'money', measure: 'industry', shortLabel: '资金计划总投入', description: '结对帮扶单位计划投入的扶贫资金总额' },
  { id: 'fundsDone', header: '资金已到位总投入（万元）', printHeader: '资金已到位\n总投入\n（万元）', kind: 'money', measure: 'industry', shortLabel: '资金已到位', description: '已到位的扶贫资金，截至当月底的累计数', cumulative: true },
  { id: 'fundsRatio', header: '资金计划完成比例（%）', kind: 'ratio', measure: 'industry', shortLabel: '资金到位比例' },
  { id: 'materialsPlan', header: '物资计划总投入（万元）', printHeader: '物资计划总投入\n（万元）', kind: 'money', measure: 'industry', shortLabel: '物资计划总投入', description: '计划投入物资的市场价值' },
  { id: 'materialsDone', header: '物资已到位（万元）', kind: 'money', measure: 'industry', shortLabel: '物资已到位', description: '已到位物资的市场价值，截至当月底的累计数', cumulative: true },
  { id: 'materialsRatio', header: '物资计划完成比例（%）', kind: 'ratio', measure: 'industry', shortLabel: '物资到位比例' },
  { id: 'hasIndustryPlan', header: '是否有产业扶贫计划（1/0）', kind: 'flag', measure: 'industry', shortLabel: '有产业扶贫计划的结对', description: '是否有促进产业扶贫的计划', flagWords: ['有', '无'] },
  { id: 'industryPlanDone', header: '是否已完成计划（1/0）', kind: 'flag', measure: 'industry', shortLabel: '已完成产业计划的结对', description: '产业扶贫计划是否已完成', cumulative: true, flagWords: ['已完成', '未完成'] },
  { id: 'salesPlan', header: '计划销售（万元）', printHeader: '计划销售\n（万元）', kind: 'money', measure: 'consumption', shortLabel: '计划销售', description: '计划帮助销售扶贫产品的金额（帮扶单位自购与链接市场销售）' },
  { id: 'salesDone', header: '已完成销售（万元）', kind: 'money', measure: 'consumption', shortLabel: '已完成销售', description: '已完成销售的金额，截至当月底的累计数', cumulative: true },
  { id: 'salesRatio', header: '销售计划完成比例（%）', kind: 'ratio', measure: 'consumption', shortLabel: '销售完成比例' },
  { id: 'jobsPlan', header: '计划就业人数', kind: 'count', measure: 'employment', shortLabel: '计划就业', description: '计划解决就业的人数' },
  { id: 'jobsDone', header: '已解决就业人数', kind: 'count', measure: 'employment', shortLabel: '已解决就业', description: '已解决就业的人数，截至当月底的累计数', cumulative: true },
  { id: 'jobsRatio', header: '就业计划完成比例（%）', kind: 'ratio', measure: 'employment', shortLabel: '就业完成比例' },
  { id: 'trainingPlan', header: '计划培训人数', kind: 'count', measure: 'training', shortLabel: '计划培训', description: '计划培训的人数' },
  { id: 'trainingDone', header: '已完成培训人数', kind: 'count', measure: 'training', shortLabel: '已完成培训', description: '已完成培训的人数，截至当月底的累计数', cumulative: true },
  { id: 'trainingRatio', header: '培训计划完成比例（%）', kind: 'ratio', measure: 'training', shortLabel: '培训完成比例' },
  { id: 'stationed', header: '是否派驻村（1/0）', printHeader: '是否\n派驻村\n（1/0）', kind: 'flag', measure: 'stationing', shortLabel: '派驻村的结对', description: '是否派工作组驻村', flagWords: ['派驻', '不派驻'] },
  { id: 'stationedCount', header: '已驻村人数', printHeader: '已驻村\n人数', kind: 'count', measure: 'stationing', shortLabel: '已驻村人数', description: '已驻村的人数，截至当月底', valuePrefix: '已驻村' },
] as const satisfies ReadonlyArray<MetricDefinition>;

type Metric = (typeof METRICS)[number];
export type MetricId = Metric['id'];
/** The fourteen metrics a county reports; the five ratio columns of 附件3 are derived from them. */
export type ReportedMetricId = Exclude<Metric, { kind: 'ratio' }>['id'];
export type RatioMetricId = Extract<Metric, { kind: 'ratio' }>['id'];
export type FlagMetricId = Extract<Metric, { kind: 'flag' }>['id'];

export interface PlanPair {
  /** the pair's own id (not a metric id): how code names "the funds plan" */
  readonly id: string;
  readonly measure: MeasureId;
  readonly plan: ReportedMetricId;
  readonly done: ReportedMetricId;
  /** the derived ratio column; none for the two flag plans */
  readonly ratio: RatioMetricId | null;
  /** what the pair is called as a row of a village's or unit's table */
  readonly name: string;
  /** the plan, as completed-plan counts name it; null where completion is not counted (驻村: a flag and a head count) */
  readonly planName: string | null;
  /** with a numeric plan: the word for its done figure in a correction's text (资金 减少了 …) */
  readonly subject: string;
}

/**
 * Plan and done, paired: the four numeric pairs with their ratio, 产业扶贫计划 (a 1/0 plan and
 * a 1/0 done) and 派驻 (a 1/0 plan and a head count).
 */
export const PLAN_PAIRS = [
  { id: 'funds', measure: 'industry', plan: 'fundsPlan', done: 'fundsDone', ratio: 'fundsRatio', name: '资金投入', planName: '资金投入计划', subject: '资金' },
  { id: 'materials', measure: 'industry', plan: 'materialsPlan', done: 'materialsDone', ratio: 'materialsRatio', name: '物资投入', planName: '物资投入计划', subject: '物资' },
  { id: 'industry', measure: 'industry', plan: 'hasIndustryPlan', done: 'industryPlanDone', ratio: null, name: '产业扶贫计划', planName: '产业扶贫计划', subject: '产业扶贫计划' },
  { id: 'sales', measure: 'consumption', plan: 'salesPlan', done: 'salesDone', ratio: 'salesRatio', name: '消费扶贫（销售）', planName: '销售计划', subject: '销售' },
  { id: 'jobs', measure: 'employment', plan: 'jobsPlan', done: 'jobsDone', ratio: 'jobsRatio', name: '就业扶贫', planName: '就业计划', subject: '就业' },
  { id: 'training', measure: 'training', plan: 'trainingPlan', done: 'trainingDone', ratio: 'trainingRatio', name: '技能培训', planName: '培训计划', subject: '培训' },
  { id: 'stationing', measure: 'stationing', plan: 'stationed', done: 'stationedCount', ratio: null, name: '派驻力量', planName: null, subject: '驻村' },
] as const satisfies ReadonlyArray<PlanPair>;
export type PlanPairId = (typeof PLAN_PAIRS)[number]['id'];

/** A pair by its id: `PAIR.funds.done` is the funds-arrived metric. */
export const PAIR = Object.fromEntries(PLAN_PAIRS.map((p) => [p.id, p])) as { readonly [K in PlanPairId]: Extract<(typeof PLAN_PAIRS)[number], { id: K }> };

/** The pairs whose ratio an area table has room for (rankings, the bulletin's province table): 物资 is left to the cards. */
export const AREA_TABLE_PAIRS = [PAIR.funds, PAIR.sales, PAIR.jobs, PAIR.training] as const;

const byId = new Map<string, MetricDefinition>(METRICS.map((m) => [m.id, m]));
/** A metric's definition (throws on an unknown id: a typo is a bug, not data). */
export function metric(id: MetricId): MetricDefinition {
  return byId.get(id)!;
}
export function isRatioMetricId(id: string): id is RatioMetricId {
  return byId.get(id)?.kind === 'ratio';
}

/** A metric column as the readers and writers of tables use it: a ratio column knows its pair. */
export interface MetricColumn extends MetricDefinition {
  readonly ratioOf?: { readonly plan: ReportedMetricId; readonly done: ReportedMetricId };
}
/** The nineteen columns in 附件3's order, each ratio with the plan and done it is derived from. */
export const METRIC_COLUMNS: ReadonlyArray<MetricColumn> = METRICS.map((m): MetricColumn => {
  const pair = PLAN_PAIRS.find((p) => p.ratio === m.id);
  return pair ? { ...m, ratioOf: { plan: pair.plan, done: pair.done } } : m;
});
export const REPORTED_METRIC_IDS = METRICS.filter((m) => m.kind !== 'ratio').map((m) => m.id) as ReadonlyArray<ReportedMetricId>;
export const RATIO_METRIC_IDS = METRICS.filter((m) => m.kind === 'ratio').map((m) => m.id) as ReadonlyArray<RatioMetricId>;
/** Done figures that are running totals: a value lower than last month's is a correction. */
export const CUMULATIVE_METRIC_IDS = METRICS.filter((m) => 'cumulative' in m && m.cumulative).map((m) => m.id) as ReadonlyArray<ReportedMetricId>;
export const MONEY_METRIC_IDS = METRICS.filter((m) => m.kind === 'money').map((m) => m.id) as ReadonlyArray<ReportedMetricId>;
/** Figures a story may quote live from the data (<LiveFigure metric="…">): the reported amounts and counts, not the 1/0 flags. */
export const LIVE_FIGURE_METRIC_IDS = METRICS.filter((m) => m.kind === 'money' || m.kind === 'count').map((m) => m.id) as ReadonlyArray<Exclude<ReportedMetricId, FlagMetricId>>;

/** Unit of a sum of the metric over pairings: 万元, 人, or 个 (pairings whose flag is 1). */
export function sumUnit(id: MetricId): MetricUnit {
  const kind = metric(id).kind;
  return kind === 'money' ? '万元' : kind === 'count' ? '人' : kind === 'flag' ? '个' : '%';
}
