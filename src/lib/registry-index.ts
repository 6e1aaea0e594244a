/**
 * Look-ups the export reader needs: villages and units by code, by normalised name
 * within a county, the county's registered pairings, and the nearest name to suggest.
 */
import { closest, distance } from 'fastest-levenshtein';
import type { Pairing, Unit, Village } from './schemas.ts';
import { normalizeName } from './values.ts';

export interface County {
  code: string;
  name: string;
  province: string;
  prefecture: string;
  villages: Village[];
  villagesByName: Map<string, Village[]>;
  /** units paired with any village of the county */
  units: Map<string, Unit>;
}

export interface RegistryIndex {
  villages: Map<string, Village>;
  units: Map<string, Unit>;
  pairings: Map<string, Pairing>;
  counties: Map<string, County>;
  countiesByName: Map<string, County[]>;
  unitsByName: Map<string, Unit[]>;
  unitsByVillage: Map<string, Unit[]>;
}

export function buildRegistryIndex(villages: Village[], units: Unit[], pairings: Pairing[]): RegistryIndex {
  const index: RegistryIndex = {
    villages: new Map(villages.map((v) => [v.code, v])),
    units: new Map(units.map((u) => [u.code, u])),
    pairings: new Map(pairings.map((p) => [p.id, p])),
    counties: new Map(),
    countiesByName: new Map(),
    unitsByName: new Map(),
    unitsByVillage: new Map(),
  };
  for (const v of villages) {
    let county = index.counties.get(v.countyCode);
    if (!county) {
      county = { code: v.countyCode, name: v.county, province: v.province, prefecture: v.prefecture, villages: [], villagesByName: new Map(), units: new Map() };
      index.counties.set(v.countyCode, county);
      push(index.countiesByName, normalizeName(v.county), county);
    }
    county.villages.push(v);
    push(county.villagesByName, normalizeName(v.name), v);
  }
  for (const u of units) push(index.unitsByName, normalizeName(u.name), u);
  for (const p of pairings) {
    const unit = index.units.get(p.unitCode);
    const village = index.villages.get(p.villageCode);
    if (!unit || !village) continue;
    push(index.unitsByVillage, p.villageCode, unit);
    index.counties.get(village.countyCode)?.units.set(unit.code, unit);
  }
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The registered name nearest to what was typed, for "did you mean" in messages. */
export function nearestName(typed: string, candidates: Iterable<string>): string | null {
  const list = [...new Set(candidates)];
  if (list.length === 0) return null;
  const n = normalizeName(typed);
  const best = closest(n, list.map(normalizeName));
  const i = list.findIndex((c) => normalizeName(c) === best);
  const found = list[i] ?? null;
  // Only suggest what is plausibly the same name.
  if (found === null || distance(n, best) > Math.max(2, Math.ceil(n.length / 2))) return null;
  return found;
}

export function suggestion(typed: string, candidates: Iterable<string>): string {
  const near = nearestName(typed, candidates);
  return near ? `；最接近的登记名称是“${near}”` : '';
}
