/**
 * The five measures as plan-against-done pairs of 附件3 metrics (plain data: the compare
 * tool's browser code imports it, so nothing heavier may come with it), for tables that show one
 * line per area (the county table, the unit directory) and for the compare tool. The
 * figures themselves come from the read model's totals (aggregate.ts); which pair stands for
 * a measure, its labels and units are the metric catalogue's.
 */
import { MEASURES, PAIR, metric, sumUnit, type MeasureId, type RatioMetricId, type ReportedMetricId } from '../metric-catalogue.ts';

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

export const MEASURE_PAIRS: ReadonlyArray<MeasurePair> = MEASURES.map((m) => {
  const pair = PAIR[m.headline];
  const [unit, doneUnit] = [sumUnit(pair.plan), sumUnit(pair.done)] as Array<'万元' | '人' | '个'>;
  return {
    id: m.id,
    name: m.headlineName,
    plan: pair.plan,
    done: pair.done,
    planLabel: metric(pair.plan).shortLabel,
    doneLabel: metric(pair.done).shortLabel,
    ratio: pair.ratio,
    unit: unit!,
    ...(doneUnit !== unit ? { doneUnit: doneUnit as '人' } : {}),
  };
});

export const measurePair = (id: string): MeasurePair | undefined => MEASURE_PAIRS.find((m) => m.id === id);
