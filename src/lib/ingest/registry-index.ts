/**
 * Look-ups the export reader needs: villages and units by code, by normalised name
 * within a county, the county's registered pairings, and the nearest name to suggest.
 */
import iconv from 'iconv-lite';
import type { Pairing, Unit, Village } from './records.ts';
import { LOST_CHAR, nameDistance, normalizeName } from './names.ts';

export interface County {
  code: string;
  name: string;
  province: string;
  prefecture: string;
  villages: Village[];
  villagesByName: Map<string, Village[]>;
  /** units paired with any village of the county */
  units: Map<string, Unit>;
  /** the same units by normalised name (a row names its unit on each of 1.2 M national rows) */
  unitsByName: Map<string, Unit[]>;
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
      county = { code: v.countyCode, name: v.county, province: v.province, prefecture: v.prefecture, villages: [], villagesByName: new Map(), units: new Map(), unitsByName: new Map() };
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
    const county = index.counties.get(village.countyCode);
    if (county && !county.units.has(unit.code)) {
      county.units.set(unit.code, unit);
      push(county.unitsByName, normalizeName(unit.name), unit);
    }
  }
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Whether a GBK (CP936) save, Excel's default CSV on Chinese Windows, can hold this character. */
export function inGbk(ch: string): boolean {
  let known = gbkCache.get(ch);
  if (known === undefined) {
    const bytes = iconv.encode(ch, 'gbk');
    known = !(bytes.length === 1 && bytes[0] === 0x3f && ch !== '?');
    gbkCache.set(ch, known);
  }
  return known;
}
const gbkCache = new Map<string, boolean>();
const outsideGbk = (ch: string) => !inGbk(ch);

/**
 * The registered name nearest to what was typed, for "did you mean" in messages: edit
 * distance in characters (code points), where a `?` or `�` left by a GBK save stands for a
 * character GBK cannot hold at no cost. `lost` lists those characters of the suggestion.
 */
/** No registered name is this long: a longer text in a name cell gets no suggestion (and costs no time). */
const LONGEST_NAME = 100;

export function nearestName(typed: string, candidates: Iterable<string>): { name: string; lost: string[] } | null {
  if (typed.length > LONGEST_NAME * 2) return null;
  // A character GBK could not hold may come out as one `?` per UTF-16 unit (`??` for 𡌶).
  const n = normalizeName(typed).replace(/[?\ufffd]{2,}/gu, '?');
  // Only suggest what is plausibly the same name.
  const plausible = Math.max(2, Math.ceil(Array.from(n).length / 2));
  let best: string | null = null;
  let bestDistance = plausible + 1;
  for (const c of new Set(candidates)) {
    const d = nameDistance(n, normalizeName(c), outsideGbk, bestDistance - 1);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === null) return null;
  const lost = LOST_CHAR.test(n) ? Array.from(normalizeName(best)).filter(outsideGbk) : [];
  return { name: best, lost };
}

/** “; the nearest registered name is …”, or why a `?` stands where the registered name has a character GBK cannot hold. */
export function suggestion(typed: string, candidates: Iterable<string>, code?: '村代码' | '单位代码'): string {
  const near = nearestName(typed, candidates);
  if (!near) return '';
  if (near.lost.length > 0) {
    return `；登记名称“${near.name}”中的“${near.lost.join('')}”不在 GBK 字符集中，文件里的“?”多半就是它：按 GBK 另存（Excel 的“CSV（逗号分隔）”）会丢掉这个字。请让县里另存为“CSV UTF-8（逗号分隔）”${code ? `，或填写${code}` : ''}`;
  }
  return `；最接近的登记名称是“${near.name}”`;
}
