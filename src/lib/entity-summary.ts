/**
 * The five-second summary at the top of an entity page: who helps (units, how many), money
 * promised, planned and arrived with its month, and one status line per measure. Plain data
 * from the read model; EntitySummary.astro only renders it.
 */
import type { Totals } from './aggregate.ts';
import { MEASURES, type MeasureId } from './columns.ts';
import { formatCount, formatMonth, formatRatio, formatWan } from './format.ts';
import type { Ratio } from './metrics.ts';

export interface SummaryMeasure {
  id: MeasureId;
  name: string;
  /** e.g. "到位 60 / 120.5 万元" */
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
  fundsPlan: string | null;
  fundsDone: string | null;
  fundsRatio: string;
  /** pairings whose plan or done figure was left blank that month */
  fundsMissing: number;
  measures: SummaryMeasure[];
}

function stateOf(r: Ratio): SummaryMeasure['state'] {
  if (r.kind === 'noPlan') return 'none';
  if (r.kind === 'unreported') return 'missing';
  return r.over ? 'over' : r.percent >= 100 ? 'done' : 'progress';
}

/** The summary of an area (village, unit, county…) from its totals for the month it last reported. */
export function entitySummary(byMonth: ReadonlyMap<string, Totals>, months: readonly string[], registered: number): EntitySummaryData {
  const month = [...months].reverse().find((m) => (byMonth.get(m)?.records ?? 0) > 0) ?? null;
  const t = month ? byMonth.get(month) : undefined;
  if (!month || !t) {
    return { month: null, monthText: '尚未上报', reported: 0, registered, fundsPlan: null, fundsDone: null, fundsRatio: '', fundsMissing: 0, measures: [] };
  }
  const m = t.metrics;
  const wan = (k: keyof typeof m) => (m[k].reported > 0 ? formatWan(m[k].sum) : null);
  const pair = (id: MeasureId, plan: keyof typeof m, done: keyof typeof m, r: Ratio, unit: string, money: boolean): SummaryMeasure => {
    const f = (k: keyof typeof m) => (m[k].reported > 0 ? (money ? formatWan(m[k].sum) : formatCount(m[k].sum)) : '未填报');
    return { id, name: MEASURES.find((x) => x.id === id)!.name, text: `${f(done)} / ${f(plan)} ${unit}`, ratio: formatRatio(r), state: stateOf(r) };
  };
  const stationed = m.stationed.sum;
  const measures: SummaryMeasure[] = [
    pair('industry', 'fundsPlan', 'fundsDone', t.ratios.fundsRatio, '万元', true),
    pair('consumption', 'salesPlan', 'salesDone', t.ratios.salesRatio, '万元', true),
    pair('employment', 'jobsPlan', 'jobsDone', t.ratios.jobsRatio, '人', false),
    pair('training', 'trainingPlan', 'trainingDone', t.ratios.trainingRatio, '人', false),
    {
      id: 'stationing',
      name: MEASURES.find((x) => x.id === 'stationing')!.name,
      text: m.stationed.reported === 0 ? '未填报' : stationed > 0 ? `${formatCount(stationed)} 个结对派驻，已驻村 ${m.stationedCount.reported > 0 ? formatCount(m.stationedCount.sum) : '未填报'} 人` : '未派驻',
      ratio: '',
      state: m.stationed.reported === 0 ? 'missing' : stationed > 0 ? 'done' : 'none',
    },
  ];
  return {
    month,
    monthText: formatMonth(month),
    reported: t.records,
    registered,
    fundsPlan: wan('fundsPlan'),
    fundsDone: wan('fundsDone'),
    fundsRatio: formatRatio(t.ratios.fundsRatio),
    fundsMissing: Math.max(m.fundsPlan.missing, m.fundsDone.missing),
    measures,
  };
}

/** The most recent of the publish and revision dates (ISO), or null when the data was never filed with data:import. */
export function dataUpdatedOn(publishedOn: Readonly<Record<string, string | null>>, revisionDates: readonly string[]): string | null {
  const dates = [...Object.values(publishedOn), ...revisionDates].filter((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d));
  return dates.sort().at(-1) ?? null;
}
