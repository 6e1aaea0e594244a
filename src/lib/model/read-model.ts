/**
 * The site's read model, computed once per build from the collections' plain data:
 * every village, unit, county and province with its records by month and its totals
 * by month (aggregates once, not per page). Pages only look things up here.
 */
import { totals, type Totals } from './aggregate.ts';
import type { Pairing, ProgressRecord, Unit, Village } from '../ingest/records.ts';

export interface PairingView {
  pairing: Pairing;
  village: Village;
  unit: Unit;
  /** month → that month's record (absent = 未上报 that month) */
  byMonth: Map<string, ProgressRecord>;
  /** the most recent record, if the pairing has reported at all */
  latest: ProgressRecord | null;
}

export interface AreaTotals {
  /** month → totals over the records reported that month */
  readonly byMonth: ReadonlyMap<string, Totals>;
  /** pairings registered in the area */
  pairingCount: number;
}

export interface VillageView extends AreaTotals {
  village: Village;
  pairings: PairingView[];
}

export interface UnitView extends AreaTotals {
  unit: Unit;
  pairings: PairingView[];
  villageCodes: string[];
}

export interface CountyView extends AreaTotals {
  code: string;
  name: string;
  province: string;
  provinceCode: string;
  prefecture: string;
  villages: VillageView[];
  pairings: PairingView[];
}

export interface ProvinceView extends AreaTotals {
  code: string;
  name: string;
  counties: CountyView[];
  villageCount: number;
}

export interface SiteModel {
  months: string[];
  latestMonth: string | null;
  national: AreaTotals & { villageCount: number; unitCount: number };
  villages: Map<string, VillageView>;
  units: Map<string, UnitView>;
  counties: Map<string, CountyView>;
  provinces: Map<string, ProvinceView>;
  pairings: PairingView[];
}

export interface ModelInput {
  villages: Village[];
  units: Unit[];
  pairings: Pairing[];
  progress: ProgressRecord[];
}

const byCode = <T extends { code: string }>(a: T, b: T) => a.code.localeCompare(b.code, 'en');

function totalsByMonth(months: readonly string[], records: ProgressRecord[], pairingCount: number): Map<string, Totals> {
  const byMonth = new Map<string, Totals>();
  for (const m of months) byMonth.set(m, totals(m, records, pairingCount));
  return byMonth;
}

function areaTotals(months: string[], records: ProgressRecord[], pairingCount: number): AreaTotals {
  return { byMonth: totalsByMonth(months, records, pairingCount), pairingCount };
}

const recordsOf = (list: PairingView[]) => list.flatMap((p) => [...p.byMonth.values()]);

/**
 * A village's or unit's totals are computed when asked and not kept: kept for every one of
 * them (218,000 at national scale, each for every month), they would be most of the read
 * model's memory (docs/decisions/0003-entity-totals-on-demand.md). Each is a few records, so
 * computing them again is cheap; a month is computed when
 * first asked (the bulletin and the home page ask every village for one or two months), and
 * the last few villages and units asked are remembered, since one page (or one entity's
 * downloads) asks several times.
 */
class EntityTotals implements ReadonlyMap<string, Totals> {
  readonly #computed = new Map<string, Totals>();
  readonly #pairings: PairingView[];
  #records: ProgressRecord[] | null = null;
  readonly months: readonly string[];

  constructor(months: readonly string[], pairings: PairingView[]) {
    this.months = months;
    this.#pairings = pairings;
  }

  get(month: string): Totals | undefined {
    let t = this.#computed.get(month);
    if (!t && this.months.includes(month)) {
      t = totals(month, (this.#records ??= recordsOf(this.#pairings)), this.#pairings.length);
      this.#computed.set(month, t);
    }
    return t;
  }

  has(month: string): boolean {
    return this.months.includes(month);
  }

  get size(): number {
    return this.months.length;
  }

  *entries(): MapIterator<[string, Totals]> {
    for (const m of this.months) yield [m, this.get(m)!];
  }

  *keys(): MapIterator<string> {
    yield* this.months;
  }

  *values(): MapIterator<Totals> {
    for (const m of this.months) yield this.get(m)!;
  }

  [Symbol.iterator](): MapIterator<[string, Totals]> {
    return this.entries();
  }

  forEach(fn: (value: Totals, key: string, map: ReadonlyMap<string, Totals>) => void): void {
    for (const [m, t] of this.entries()) fn(t, m, this);
  }
}

const RECENT_ENTITY_TOTALS = 256;
const recentEntityTotals = new Map<object, EntityTotals>();

function entityTotals(months: string[], pairings: PairingView[]): AreaTotals {
  const area: AreaTotals = {
    pairingCount: pairings.length,
    get byMonth() {
      let byMonth = recentEntityTotals.get(area);
      if (byMonth) recentEntityTotals.delete(area);
      else byMonth = new EntityTotals(months, pairings);
      recentEntityTotals.set(area, byMonth);
      if (recentEntityTotals.size > RECENT_ENTITY_TOTALS) recentEntityTotals.delete(recentEntityTotals.keys().next().value!);
      return byMonth;
    },
  };
  return area;
}

/** The months with records, oldest first. */
export function monthsOf(progress: readonly ProgressRecord[]): string[] {
  return [...new Set(progress.map((p) => p.month))].sort();
}

/**
 * The model over `input`. `months`: the months every page and file shows, by default those
 * `input` has records in; a slice of a sharded build passes the nation's (sliceModelInput),
 * since its own records may lack a month that other counties already reported.
 */
export function buildSiteModel(input: ModelInput, monthsShown?: readonly string[]): SiteModel {
  const months = monthsShown ? [...monthsShown] : monthsOf(input.progress);
  const villagesByCode = new Map(input.villages.map((v) => [v.code, v]));
  const unitsByCode = new Map(input.units.map((u) => [u.code, u]));

  const recordsByPairing = new Map<string, ProgressRecord[]>();
  for (const r of input.progress) {
    const list = recordsByPairing.get(r.pairingId);
    if (list) list.push(r);
    else recordsByPairing.set(r.pairingId, [r]);
  }

  const pairings: PairingView[] = [];
  for (const p of [...input.pairings].sort((a, b) => a.id.localeCompare(b.id, 'en'))) {
    const village = villagesByCode.get(p.villageCode);
    const unit = unitsByCode.get(p.unitCode);
    if (!village || !unit) continue; // the ingest rejects such pairings; nothing to show
    const records = (recordsByPairing.get(p.id) ?? []).sort((a, b) => a.month.localeCompare(b.month));
    pairings.push({ pairing: p, village, unit, byMonth: new Map(records.map((r) => [r.month, r])), latest: records.at(-1) ?? null });
  }

  const group = <K>(list: PairingView[], key: (p: PairingView) => K) => {
    const m = new Map<K, PairingView[]>();
    for (const p of list) {
      const k = key(p);
      const l = m.get(k);
      if (l) l.push(p);
      else m.set(k, [p]);
    }
    return m;
  };

  const pairingsByVillage = group(pairings, (p) => p.village.code);
  const villages = new Map<string, VillageView>();
  for (const v of [...input.villages].sort(byCode)) {
    const list = pairingsByVillage.get(v.code) ?? [];
    villages.set(v.code, Object.assign(entityTotals(months, list), { village: v, pairings: list }));
  }

  const pairingsByUnit = group(pairings, (p) => p.unit.code);
  const units = new Map<string, UnitView>();
  for (const u of [...input.units].sort(byCode)) {
    const list = pairingsByUnit.get(u.code) ?? [];
    units.set(u.code, Object.assign(entityTotals(months, list), { unit: u, pairings: list, villageCodes: [...new Set(list.map((p) => p.village.code))] }));
  }

  const counties = new Map<string, CountyView>();
  for (const v of villages.values()) {
    const code = v.village.countyCode;
    let c = counties.get(code);
    if (!c) {
      c = { code, name: v.village.county, province: v.village.province, provinceCode: v.village.provinceCode, prefecture: v.village.prefecture, villages: [], pairings: [], byMonth: new Map(), pairingCount: 0 };
      counties.set(code, c);
    }
    c.villages.push(v);
    c.pairings.push(...v.pairings);
  }
  for (const c of counties.values()) Object.assign(c, areaTotals(months, recordsOf(c.pairings), c.pairings.length));

  const provinces = new Map<string, ProvinceView>();
  for (const c of [...counties.values()].sort(byCode)) {
    let p = provinces.get(c.provinceCode);
    if (!p) {
      p = { code: c.provinceCode, name: c.province, counties: [], villageCount: 0, byMonth: new Map(), pairingCount: 0 };
      provinces.set(c.provinceCode, p);
    }
    p.counties.push(c);
    p.villageCount += c.villages.length;
  }
  for (const p of provinces.values()) Object.assign(p, areaTotals(months, recordsOf(p.counties.flatMap((c) => c.pairings)), p.counties.reduce((n, c) => n + c.pairingCount, 0)));

  return {
    months,
    latestMonth: months.at(-1) ?? null,
    national: { ...areaTotals(months, input.progress, pairings.length), villageCount: input.villages.length, unitCount: input.units.length },
    villages,
    units,
    counties: new Map([...counties].sort(([a], [b]) => a.localeCompare(b))),
    provinces: new Map([...provinces].sort(([a], [b]) => a.localeCompare(b))),
    pairings,
  };
}
