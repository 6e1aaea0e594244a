/**
 * The typed records the ingest produces and the site's collections hold. Money is
 * integer 元 (see cell-values.ts), counts are integers, flags booleans; null = 未填报.
 */
import { z } from 'zod';
import { UNIT_TYPES } from './columns.ts';
import { REPORTED_METRIC_IDS, metric, type FlagMetricId, type ReportedMetricId } from '../metric-catalogue.ts';
import { isValidUscc } from './uscc.ts';
import { ISO_DATE_PATTERN, MONTH_PATTERN } from '../patterns.ts';

const villageCodeSchema = z.string().regex(/^\d{12}$/, '村代码应为 12 位数字（统计用区划代码）');
const unitCodeSchema = z.string().refine(isValidUscc, '不是有效的统一社会信用代码');
const isoDate = z.string().regex(ISO_DATE_PATTERN, '日期应写作 2020-05-12');
const yuan = z.number().int().nonnegative();
const count = z.number().int().nonnegative();
const monthId = z.string().regex(MONTH_PATTERN);
/** where a record was read: the file, its worksheet when it is an Excel workbook, the row as Excel shows it */
const source = z.object({ file: z.string(), sheet: z.string().optional(), row: z.number().int().positive() });

export const villageSchema = z.object({
  code: villageCodeSchema,
  name: z.string().min(1),
  province: z.string().min(1),
  provinceCode: z.string().regex(/^\d{2}$/),
  prefecture: z.string().min(1),
  county: z.string().min(1),
  countyCode: z.string().regex(/^\d{6}$/),
  township: z.string().min(1),
  source,
});
export type Village = z.infer<typeof villageSchema>;

export const unitSchema = z.object({
  code: unitCodeSchema,
  name: z.string().min(1),
  type: z.enum(UNIT_TYPES),
  province: z.string().min(1),
  prefecture: z.string().nullable(),
  source,
});
export type Unit = z.infer<typeof unitSchema>;

/** 附件2 plan, per measure. Null where the registry leaves it blank. */
const planSchema = z.object({
  funds: yuan.nullable(),
  materials: yuan.nullable(),
  fundsUsePlan: z.string().nullable(),
  hasIndustryProject: z.boolean().nullable(),
  industryPlan: z.string().nullable(),
  sales: yuan.nullable(),
  salesSelfPurchase: yuan.nullable(),
  salesMarket: yuan.nullable(),
  jobs: count.nullable(),
  jobsUnit: count.nullable(),
  jobsMigrant: count.nullable(),
  jobsStartup: count.nullable(),
  jobsPublic: count.nullable(),
  training: count.nullable(),
  trainingPlan: z.string().nullable(),
  stationing: z.boolean().nullable(),
  stationedPlanned: count.nullable(),
  stationedFrom: isoDate.nullable(),
});

export const pairingSchema = z.object({
  id: z.string(),
  villageCode: villageCodeSchema,
  unitCode: unitCodeSchema,
  /** 附件1 */
  signedOn: isoDate,
  validUntil: isoDate,
  pledgedFunds: yuan,
  plan: planSchema,
  /** 驻村人员: personal names; pages do not publish them unless configured */
  stationedStaff: z.string().nullable(),
  source,
});
export type Pairing = z.infer<typeof pairingSchema>;

const metricCount = z.number().int().nonnegative().nullable();
const metricFlag = z.boolean().nullable();

/** The fourteen reported metrics of one progress row (money in 元, flags as booleans, null = 未填报), in 附件3's order. */
type MetricValuesShape = { [K in ReportedMetricId]: K extends FlagMetricId ? typeof metricFlag : typeof metricCount };
export const metricValuesSchema = z.object(
  Object.fromEntries(REPORTED_METRIC_IDS.map((id) => [id, metric(id).kind === 'flag' ? metricFlag : metricCount])) as MetricValuesShape,
);
export type MetricValues = z.infer<typeof metricValuesSchema>;

export const decreaseSchema = z.object({
  metric: z.enum(REPORTED_METRIC_IDS),
  previousMonth: monthId,
  previous: z.union([z.number(), z.boolean()]),
  current: z.union([z.number(), z.boolean()]),
});
export type Decrease = z.infer<typeof decreaseSchema>;

export const progressSchema = z.object({
  id: z.string(),
  month: monthId,
  pairingId: z.string(),
  villageCode: villageCodeSchema,
  unitCode: unitCodeSchema,
  values: metricValuesSchema,
  /** cumulative values lower than the previous report: shown as corrections */
  decreases: z.array(decreaseSchema),
  source,
});
export type ProgressRecord = z.infer<typeof progressSchema>;

export const datasetInfoSchema = z.object({
  synthetic: z.boolean(),
  note: z.string().optional(),
  scale: z.string().optional(),
});
export type DatasetInfo = z.infer<typeof datasetInfoSchema>;

export function pairingId(villageCode: string, unitCode: string): string {
  return `${villageCode}-${unitCode}`;
}
