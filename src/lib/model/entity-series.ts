/**
 * A page's figures month by month, for the compare tool (/compare/): each village, unit,
 * county and province publishes `series.json` beside its `data.csv` and `data.json`
 * (written by entity-downloads.ts). The figures are the read model's totals, the very
 * numbers its page shows: plan and done sums of the five measures with how many records
 * left each blank (a sum with blanks is partial), and the 附件3 ratio. The browser only
 * draws them; it sums nothing.
 *
 * Why not the compare tool reading data.json: that file holds every progress row, so a
 * province's is megabytes (at national scale, tens of megabytes), and the browser would have
 * to total the rows itself — a second copy of aggregate.ts's rule for 未填报.
 */
import type { MeasureId } from '../metric-catalogue.ts';
import { MEASURE_PAIRS } from './measure-pairs.ts';
import type { Ratio } from '../ratio.ts';
import type { AreaTotals, SiteModel } from './read-model.ts';
import type { EntityKind } from '../routes.ts';

export interface MeasureSeries {
  /** per month: sum of the plan (元 for money, else a count), null when nobody reported it */
  plan: Array<number | null>;
  done: Array<number | null>;
  /** per month: records that left the plan / done blank */
  planMissing: number[];
  doneMissing: number[];
  /** per month: the 附件3 ratio over the records with both figures; null for 派驻力量 */
  ratio: Array<Ratio | null>;
  /** per month: records that are not in the ratio (plan or done blank); with `absent`, a ratio is partial */
  ratioMissing: number[];
}

export interface EntitySeries {
  v: 1;
  kind: EntityKind;
  code: string;
  name: string;
  /** where it is (village: 省县乡镇; unit: type and home) */
  place: string;
  synthetic: boolean;
  months: string[];
  pairings: number;
  /** per month: records (pairings) reported */
  records: number[];
  /** per month: registered pairings that sent no row (未上报); with a measure's blanks, a sum is partial */
  absent: number[];
  measures: Record<MeasureId, MeasureSeries>;
}

function entitySeries(area: AreaTotals, months: readonly string[], id: { kind: EntityKind; code: string; name: string; place: string }, synthetic: boolean): EntitySeries {
  // read once: a village's or unit's byMonth is computed on access (read-model.ts), and this asks it 200 times
  const byMonth = area.byMonth;
  const at = (month: string) => byMonth.get(month);
  const measures = Object.fromEntries(
    MEASURE_PAIRS.map((m) => {
      const sum = (month: string, metric: typeof m.plan) => {
        const t = at(month)?.metrics[metric];
        return t && t.reported > 0 ? t.sum : null;
      };
      return [
        m.id,
        {
          plan: months.map((mo) => sum(mo, m.plan)),
          done: months.map((mo) => sum(mo, m.done)),
          planMissing: months.map((mo) => at(mo)?.metrics[m.plan].missing ?? 0),
          doneMissing: months.map((mo) => at(mo)?.metrics[m.done].missing ?? 0),
          ratio: months.map((mo) => (m.ratio ? (at(mo)?.ratios[m.ratio] ?? { kind: 'unreported' }) : null)),
          ratioMissing: months.map((mo) => (m.ratio ? (at(mo)?.ratioMissing[m.ratio] ?? 0) : 0)),
        } satisfies MeasureSeries,
      ];
    }),
  ) as Record<MeasureId, MeasureSeries>;
  return { v: 1, ...id, synthetic, months: [...months], pairings: area.pairingCount, records: months.map((mo) => at(mo)?.records ?? 0), absent: months.map((mo) => at(mo)?.absent ?? area.pairingCount), measures };
}

/** The series of one entity of the model, or null for an unknown code. */
export function entitySeriesOf(model: SiteModel, kind: EntityKind, code: string, synthetic: boolean): EntitySeries | null {
  const months = model.months;
  if (kind === 'villages') {
    const v = model.villages.get(code);
    return v ? entitySeries(v, months, { kind, code, name: v.village.name, place: `${v.village.province}${v.village.county}${v.village.township}` }, synthetic) : null;
  }
  if (kind === 'units') {
    const u = model.units.get(code);
    return u ? entitySeries(u, months, { kind, code, name: u.unit.name, place: `${u.unit.type} · ${u.unit.province}` }, synthetic) : null;
  }
  if (kind === 'counties') {
    const c = model.counties.get(code);
    return c ? entitySeries(c, months, { kind, code, name: c.name, place: `${c.province}${c.prefecture}` }, synthetic) : null;
  }
  const p = model.provinces.get(code);
  return p ? entitySeries(p, months, { kind, code, name: p.name, place: '省（区）' }, synthetic) : null;
}
