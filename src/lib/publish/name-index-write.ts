/**
 * Writes the name index (see name-index.ts) for the read model's villages, units and counties into
 * the built site. Runs after `astro build`, in the process that holds the read model.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CountyView, SiteModel, UnitView, VillageView } from '../model/read-model.ts';
import { bigrams, encodeIds, exactKey, NAME_INDEX_DIR, shardOf, type BigramShard, type KeyShard, type NameIndexMeta, type NameRecord } from '../search/name-index.ts';
import { countyUrl, unitUrl, villageUrl } from '../routes.ts';
import { unitCount } from '../model/entity-page.ts';

/** Records per chunk: a result page of 10 touches a few chunks of about 2 KB gzip each. */
const CHUNK = 32;
/** Aim for shards of about this many bytes before gzip (a few KB on the wire). */
const SHARD_BYTES = 12_000;
/** A bigram's list longer than this (characters) is written to its own file, so it is fetched only when asked for. */
const LONG_LIST = 8_000;
/** Keys (whole names and codes) per key shard, about. */
const KEYS_PER_SHARD = 400;
/** In a record's line, at most this many partners are named. */
const PARTNERS_SHOWN = 3;

const uniq = (xs: string[]) => [...new Set(xs)];
/** Shard counts are powers of two, at least 1. */
const powerOfTwoAtLeast = (n: number) => 2 ** Math.max(0, Math.ceil(Math.log2(n)));
const byCode = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);

function partners(names: string[], what: string): string {
  if (names.length === 0) return '';
  const shown = names.slice(0, PARTNERS_SHOWN).join('、');
  return names.length > PARTNERS_SHOWN ? `${what}：${shown} 等 ${names.length} 个` : `${what}：${shown}`;
}

function villageRecord(v: VillageView): NameRecord {
  const { village } = v;
  const line = [
    `${village.province}${village.prefecture}${village.county}${village.township}${village.name}`,
    `村代码 ${village.code}`,
    partners(uniq(v.pairings.map((p) => p.unit.name)), '结对帮扶单位') || '暂无登记的结对帮扶单位',
  ];
  return [villageUrl(village.code), `${village.name}（${village.province}${village.county}${village.township}）`, line.join(' · ')];
}

function unitRecord(u: UnitView): NameRecord {
  const { unit } = u;
  const home = `${unit.province}${unit.prefecture && unit.prefecture !== unit.province ? unit.prefecture : ''}`;
  const line = [unit.type, home, `统一社会信用代码 ${unit.code}`, partners(uniq(u.pairings.map((p) => `${p.village.county}${p.village.name}`)), '结对帮扶村')].filter(Boolean);
  return [unitUrl(unit.code), unit.name, line.join(' · ')];
}

function countyRecord(c: CountyView): NameRecord {
  const line = [`${c.province}${c.prefecture}${c.name}`, `县代码 ${c.code}`, `挂牌督战村 ${c.villages.length} 个`, `结对帮扶单位 ${unitCount(c.pairings)} 个`];
  return [countyUrl(c.code), `${c.name}（${c.province}${c.prefecture}）`, line.join(' · ')];
}

/** The index as files: path under NAME_INDEX_DIR → content. */
export function buildNameIndex(model: SiteModel, options: { longList?: number } = {}): Map<string, string> {
  const longList = options.longList ?? LONG_LIST;
  const villages = byCode(model.villages);
  const units = byCode(model.units);
  const counties = byCode(model.counties);
  const records: NameRecord[] = [];
  const keys = new Map<string, number[]>();
  const key = (id: number, text: string) => {
    const k = exactKey(text);
    const ids = keys.get(k);
    if (!ids) keys.set(k, [id]);
    else if (ids.at(-1) !== id) ids.push(id);
  };
  const lists = new Map<string, { name: number[]; place: number[] }>();
  const provinceIds = new Map<string, { code: string; ids: Set<number> }>();
  const add = (id: number, text: string, field: 'name' | 'place') => {
    for (const b of bigrams(text)) {
      let l = lists.get(b);
      if (!l) lists.set(b, (l = { name: [], place: [] }));
      const list = l[field];
      if (list.at(-1) !== id) list.push(id);
    }
  };
  const inProvince = (id: number, name: string, code: string) => {
    let p = provinceIds.get(name);
    if (!p) provinceIds.set(name, (p = { code, ids: new Set() }));
    p.ids.add(id);
  };
  /** One record: its code and whole name as keys, its name's and place's bigrams, its provinces. */
  const addRecord = (record: NameRecord, r: { code: string; name: string; place: string; provinces: Array<{ name: string; code: string }> }) => {
    const id = records.length;
    records.push(record);
    key(id, r.code);
    key(id, r.name);
    add(id, r.name, 'name');
    add(id, r.place, 'place');
    for (const p of r.provinces) inProvince(id, p.name, p.code);
  };
  for (const v of villages) {
    const { village } = v;
    addRecord(villageRecord(v), { code: village.code, name: village.name, place: `${village.province}${village.prefecture}${village.county}${village.township}`, provinces: [{ name: village.province, code: village.provinceCode }] });
  }
  for (const u of units) {
    const { unit } = u;
    addRecord(unitRecord(u), { code: unit.code, name: unit.name, place: `${unit.province}${unit.prefecture}`, provinces: u.pairings.map((p) => ({ name: p.village.province, code: p.village.provinceCode })) });
  }
  for (const c of counties) addRecord(countyRecord(c), { code: c.code, name: c.name, place: `${c.province}${c.prefecture}`, provinces: [{ name: c.province, code: c.provinceCode }] });

  const files = new Map<string, string>();
  const encoded = [...lists.entries()].map(([b, l]) => [b, encodeIds(l.name), encodeIds(l.place)] as const);
  const totalBytes = encoded.reduce((t, [b, n, p]) => t + b.length * 3 + Math.min(n.length, longList) + Math.min(p.length, longList) + 12, 0);
  const shards = powerOfTwoAtLeast(totalBytes / SHARD_BYTES);
  const bigramShards = Array.from({ length: shards }, (): BigramShard => ({}));
  for (const [b, name, place] of encoded) {
    const n = shardOf(b, shards);
    const apart = (list: string, field: string) => {
      if (list.length <= longList) return list;
      const file = `l/${n}-${createHash('sha256').update(`${b}\n${field}`).digest('hex').slice(0, 12)}.txt`;
      files.set(file, list);
      return `@${file}`;
    };
    bigramShards[n]![b] = [apart(name, 'name'), apart(place, 'place')];
  }
  bigramShards.forEach((s, n) => files.set(`g/${n}.json`, JSON.stringify(s)));

  const keyShards = powerOfTwoAtLeast(keys.size / KEYS_PER_SHARD);
  const keyFiles = Array.from({ length: keyShards }, (): KeyShard => ({}));
  for (const [k, ids] of keys) keyFiles[shardOf(k, keyShards)]![k] = ids;
  keyFiles.forEach((s, n) => files.set(`k/${n}.json`, JSON.stringify(s)));

  for (let i = 0; i < records.length; i += CHUNK) files.set(`r/${i / CHUNK}.json`, JSON.stringify(records.slice(i, i + CHUNK)));

  const provinces: Record<string, string> = {};
  for (const [name, p] of [...provinceIds.entries()].sort(([, a], [, b]) => (a.code < b.code ? -1 : 1))) {
    provinces[name] = `p/${p.code}.txt`;
    files.set(provinces[name], encodeIds([...p.ids].sort((a, b) => a - b)));
  }

  // One directory per content, so a browser never mixes a cached shard with a newer meta.json.
  const digest = createHash('sha256');
  for (const [f, c] of [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) digest.update(`${f}\n${c}\n`);
  const dir = digest.digest('hex').slice(0, 12);
  const meta: NameIndexMeta = { v: 1, dir, shards, keyShards, chunk: CHUNK, villages: villages.length, units: units.length, counties: counties.length, provinces };
  const out = new Map<string, string>([['meta.json', JSON.stringify(meta)]]);
  for (const [f, c] of files) out.set(`${dir}/${f}`, c);
  return out;
}

/** Write the index into `site`/search-index (replacing an earlier one); returns the number of records. */
export function writeNameIndex(model: SiteModel, site: string): { records: number; files: number } {
  const root = path.join(site, NAME_INDEX_DIR);
  rmSync(root, { recursive: true, force: true });
  const files = buildNameIndex(model);
  const dirs = new Set([...files.keys()].map((f) => path.dirname(path.join(root, f))));
  for (const d of dirs) mkdirSync(d, { recursive: true });
  for (const [f, c] of files) writeFileSync(path.join(root, f), c);
  return { records: model.villages.size + model.units.size + model.counties.size, files: files.size };
}
