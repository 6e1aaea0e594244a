/**
 * Display rows for pages: one record's five measures (plan, done, ratio), the 附件3
 * table of a county for a month, the 附件2 plan of a pairing. Formatting and ratio
 * semantics live here so every page says 无计划 / 未填报 / 超额 the same way.
 */
import { METRIC_COLUMNS, PLAN_PAIRS, metric, sumUnit, type MeasureId, type ReportedMetricId } from '../metric-catalogue.ts';
import { figure, ratioFigure, type Figure, type Totals } from '../model/aggregate.ts';
import { formatAmount, formatCount, formatDate, formatFigure, formatRatio, formatRatioFigure, formatWan, type FigureUnit } from './format.ts';
import { ratio, type Ratio } from '../ratio.ts';
import type { MetricValues, Pairing, ProgressRecord } from '../ingest/records.ts';

export const NOT_REPORTED = '未填报';

/** The 附件3 columns by id (a county's table looks one up for each of its thousands of cells). */
const COLUMNS = new Map(METRIC_COLUMNS.map((m) => [m.id, m]));

export interface MeasureRow {
  measure: MeasureId;
  /** the plan metric's id, for tests and downloads */
  key: ReportedMetricId;
  label: string;
  /** exact plan and done values (元, 人; flags 1/0), null = 未填报 */
  planRaw: number | null;
  doneRaw: number | null;
  plan: string;
  done: string;
  ratio: Ratio | null;
  ratioText: string;
}

const flagRaw = (v: boolean | null) => (v === null ? null : v ? 1 : 0);

/** One pairing's value of a metric as its row says it: 万元 or 人 with the unit, a flag in its words. */
function valueText(id: ReportedMetricId, v: number | boolean | null): string {
  if (v === null) return NOT_REPORTED;
  const m = metric(id);
  if (typeof v === 'boolean') return m.flagWords![v ? 0 : 1];
  const text = formatAmount(v, sumUnit(id) as '万元' | '人');
  return m.valuePrefix ? `${m.valuePrefix} ${text}` : text;
}

/** The five measures of one progress record, plan against done (the catalogue's pairs, in 附件3's order). */
export function recordMeasureRows(v: MetricValues): MeasureRow[] {
  return PLAN_PAIRS.map((p): MeasureRow => {
    const [plan, done] = [v[p.plan], v[p.done]];
    const row = { measure: p.measure, key: p.plan, label: p.name, plan: valueText(p.plan, plan), done: valueText(p.done, done) };
    if (typeof plan !== 'boolean' && typeof done !== 'boolean' && p.ratio) {
      const r = ratio(plan, done);
      return { ...row, planRaw: plan, doneRaw: done, ratio: r, ratioText: formatRatio(r) };
    }
    // a 1/0 plan: nothing to complete when it is 0 (产业扶贫计划 无 → done is —)
    const flagDone = typeof done === 'boolean' || done === null && metric(p.done).kind === 'flag';
    return {
      ...row,
      planRaw: typeof plan === 'boolean' ? flagRaw(plan) : plan,
      doneRaw: typeof done === 'boolean' ? flagRaw(done) : done,
      done: flagDone && plan === false ? '—' : row.done,
      ratio: null,
      ratioText: flagDone && plan === false ? '无计划' : '',
    };
  });
}

/** One cell of the 附件3 table: money in 万元 (no unit), counts, flags 1/0, ratios recomputed. */
export function table3Cell(id: string, values: MetricValues, ratios?: Partial<Record<string, Ratio>>): string {
  const col = COLUMNS.get(id)!;
  if (col.kind === 'ratio') {
    const r = ratios?.[id] ?? ratio(values[col.ratioOf!.plan] as number | null, values[col.ratioOf!.done] as number | null);
    return formatRatio(r);
  }
  const v = values[id as ReportedMetricId];
  if (v === null) return NOT_REPORTED;
  if (typeof v === 'boolean') return v ? '1' : '0';
  return col.kind === 'money' ? formatWan(v) : formatCount(v);
}

export interface Table3Row {
  serial: number;
  villageCode: string;
  villageName: string;
  unitCode: string;
  unitName: string;
  /** null: the pairing did not report that month (未上报) */
  cells: string[] | null;
  source: ProgressRecord['source'] | null;
  corrected: boolean;
}

export interface Table3 {
  month: string;
  rows: Table3Row[];
  /** 合计: sums over the rows reported, ratios from the sums */
  total: string[];
  reported: number;
}

export function county3Table(
  month: string,
  pairings: ReadonlyArray<{ pairing: Pairing; village: { code: string; name: string }; unit: { code: string; name: string }; byMonth: Map<string, ProgressRecord> }>,
  monthTotals: Totals,
): Table3 {
  const ids = METRIC_COLUMNS.map((m) => m.id);
  const rows = [...pairings]
    .sort((a, b) => a.village.code.localeCompare(b.village.code, 'en') || a.unit.code.localeCompare(b.unit.code, 'en'))
    .map((p, i) => {
      const r = p.byMonth.get(month) ?? null;
      return {
        serial: i + 1,
        villageCode: p.village.code,
        villageName: p.village.name,
        unitCode: p.unit.code,
        unitName: p.unit.name,
        cells: r ? ids.map((id) => table3Cell(id, r.values)) : null,
        source: r?.source ?? null,
        corrected: (r?.decreases.length ?? 0) > 0,
      };
    });
  // 合计 from aggregate.ts: a sum that leaves out a blank or a missing row says 部分合计
  const total = ids.map((id) => {
    const col = COLUMNS.get(id)!;
    if (col.kind === 'ratio') return formatRatioFigure(ratioFigure(monthTotals, id as keyof Totals['ratios']), { short: true });
    const f = figure(monthTotals, id as ReportedMetricId);
    return f.value === null ? NOT_REPORTED : formatFigure(f, col.kind === 'money' ? '万元' : '', { bare: true, short: true });
  });
  return { month, rows, total, reported: monthTotals.records };
}

/** 附件2 plan lines for a pairing page. Personal names are not published unless configured. */
export function planLines(p: Pairing, options: { publishNames: boolean }): Array<{ measure: MeasureId | 'agreement'; label: string; value: string }> {
  const plan = p.plan;
  const m = (v: number | null) => (v === null ? '未填写' : formatAmount(v, '万元'));
  const c = (v: number | null) => (v === null ? '未填写' : formatAmount(v, '人'));
  const t = (v: string | null) => v ?? '未填写';
  const lines: Array<{ measure: MeasureId | 'agreement'; label: string; value: string }> = [
    { measure: 'industry', label: '计划投入资金', value: m(plan.funds) },
    { measure: 'industry', label: '计划投入物资（市场价值）', value: m(plan.materials) },
    { measure: 'industry', label: '资金、物资用途规划', value: t(plan.fundsUsePlan) },
    { measure: 'industry', label: '有无产业项目', value: plan.hasIndustryProject === null ? '未填写' : plan.hasIndustryProject ? '有' : '无' },
    { measure: 'industry', label: '促进产业扶贫计划', value: t(plan.industryPlan) },
    { measure: 'consumption', label: '计划销售收入', value: m(plan.sales) },
    { measure: 'consumption', label: '其中：帮扶单位自购', value: m(plan.salesSelfPurchase) },
    { measure: 'consumption', label: '其中：链接市场销售', value: m(plan.salesMarket) },
    { measure: 'employment', label: '计划解决就业', value: c(plan.jobs) },
    { measure: 'employment', label: '其中：帮扶单位用工', value: c(plan.jobsUnit) },
    { measure: 'employment', label: '其中：外出就业（不含帮扶单位用工）', value: c(plan.jobsMigrant) },
    { measure: 'employment', label: '其中：创业就业', value: c(plan.jobsStartup) },
    { measure: 'employment', label: '其中：公益岗位', value: c(plan.jobsPublic) },
    { measure: 'training', label: '计划培训', value: c(plan.training) },
    { measure: 'training', label: '培训计划', value: t(plan.trainingPlan) },
    { measure: 'stationing', label: '是否派驻村力量', value: plan.stationing === null ? '未填写' : plan.stationing ? '是' : '否' },
    { measure: 'stationing', label: '计划驻村人数', value: c(plan.stationedPlanned) },
    { measure: 'stationing', label: '驻村人员入村时间', value: plan.stationedFrom ? formatDate(plan.stationedFrom) : '未填写' },
  ];
  if (options.publishNames && p.stationedStaff) lines.push({ measure: 'stationing', label: '驻村人员', value: p.stationedStaff });
  return lines;
}

/** A single metric value with its unit, e.g. for corrections: `12.5 万元`, `3 人`, `是`. */
export function metricValueText(id: ReportedMetricId, v: number | boolean | null): string {
  if (v === null) return NOT_REPORTED;
  if (typeof v === 'boolean') return v ? '是' : '否';
  const kind = COLUMNS.get(id)?.kind;
  return kind === 'money' ? formatAmount(v, '万元') : formatCount(v);
}

/** The unit a summed metric is shown in: 万元, 人, or 个 (flags count pairings). */
function metricUnit(id: ReportedMetricId): FigureUnit {
  const kind = COLUMNS.get(id)?.kind;
  return kind === 'money' ? '万元' : kind === 'flag' ? '个' : '人';
}

/** A summed metric with its unit, partial when some pairings are not in it (aggregate.ts figure()). */
export function metricFigureText(id: ReportedMetricId, f: Figure): string {
  return formatFigure(f, metricUnit(id));
}
