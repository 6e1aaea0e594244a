/**
 * The name index (villages, units, counties): its list encoding, its matching, and the whole
 * path a browser takes — the index written from the shipped data's read model, then read
 * back through searchNames with the same files the site publishes.
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { buildSiteModel } from '../../src/lib/model/read-model.ts';
import { bigrams, decodeIds, encodeIds, indexReader, kindOf, matchPlan, planQuery, queryTerms, readRecord, searchNames, shardOf, type NameIndexMeta } from '../../src/lib/search/name-index.ts';
import { buildNameIndex } from '../../src/lib/publish/name-index-write.ts';

describe('id lists', () => {
  it('encode runs and gaps compactly and decode to the same ids', () => {
    expect(encodeIds([])).toBe('');
    expect(encodeIds([0, 1, 2, 3, 10, 12, 13])).toBe('0+3,6,1+1');
    expect(decodeIds('0+3,6,1+1')).toEqual([0, 1, 2, 3, 10, 12, 13]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 300_000 }), { maxLength: 400 }), (xs) => {
        const ids = [...xs].sort((a, b) => a - b);
        expect(decodeIds(encodeIds(ids))).toEqual(ids);
      }),
    );
  });
});

describe('terms and bigrams', () => {
  it('fold full-width forms and case, split on spaces and punctuation', () => {
    expect(queryTerms('  西埔村，那坡县 ')).toEqual(['西埔村', '那坡县']);
    expect(queryTerms('ＡＢＣ科技')).toEqual(['ABC科技']);
    expect(bigrams('西埔村')).toEqual(['西埔', '埔村']);
    expect(bigrams('村')).toEqual([]);
    // A character outside the BMP is one character, not two halves.
    expect(bigrams('𠀋村')).toEqual(['𠀋村']);
  });

  it('tell codes from names, and leave one-character terms to Pagefind', () => {
    const plan = planQuery('450225001200 村 91520500MA6K0002XC 451026 西埔村');
    expect(plan.terms.map((t) => [t.term, t.code])).toEqual([
      ['450225001200', true],
      ['91520500MA6K0002XC', true],
      ['451026', true],
      ['西埔村', false],
    ]);
    expect(plan.skipped).toEqual(['村']);
  });

  it('spread keys over shards the same way every time (FNV-1a)', () => {
    expect(shardOf('a', 2 ** 32)).toBe(0xe40c292c);
    expect(shardOf('西埔', 1024)).toBe(shardOf('西埔', 1024));
    const counts = new Array(16).fill(0);
    for (let i = 0; i < 16_000; i++) counts[shardOf(`村${i}`, 16)]++;
    for (const c of counts) expect(c).toBeGreaterThan(700);
  });
});

describe('matching', () => {
  const lists: Record<string, { name: number[]; place: number[] }> = {
    西埔: { name: [1, 5], place: [] },
    埔村: { name: [1, 5, 9], place: [] },
    那坡: { name: [20], place: [1, 2, 3] },
  };
  const keys: Record<string, number[]> = { '450225001200': [7], 西埔村: [5], 村: [30] };
  const lookup = { bigram: (b: string) => lists[b] ?? { name: [], place: [] }, key: (k: string) => keys[k] ?? [] };

  it('needs every bigram of every term; exact names first, then name matches, then place matches', () => {
    expect(matchPlan(planQuery('西埔村'), lookup)).toEqual({ exact: [5], byName: [1], byPlace: [] });
    expect(matchPlan(planQuery('那坡'), lookup)).toEqual({ exact: [], byName: [20], byPlace: [1, 2, 3] });
    expect(matchPlan(planQuery('那坡 西埔村'), lookup)).toEqual({ exact: [], byName: [1], byPlace: [] });
    expect(matchPlan(planQuery('西埔 不在'), lookup)).toEqual({ exact: [], byName: [], byPlace: [] });
    expect(matchPlan(planQuery('450225001200'), lookup)).toEqual({ exact: [7], byName: [], byPlace: [] });
    // one character: only a record named exactly so
    expect(matchPlan(planQuery('村'), lookup)).toEqual({ exact: [30], byName: [], byPlace: [] });
  });
});

describe('the index of the shipped data, read back as the search page reads it', () => {
  const model = buildSiteModel(ingestDataDir(path.resolve(import.meta.dirname, '../../data')));
  const files = buildNameIndex(model);
  const reads: string[] = [];
  const load = async (file: string) => {
    reads.push(file);
    const text = files.get(file);
    if (text === undefined) throw new Error(`missing ${file}`);
    return text;
  };
  const meta = JSON.parse(files.get('meta.json')!) as NameIndexMeta;
  const hrefs = async (query: string, filters: Record<string, string> = {}) => {
    // a reader per query, as a browser has one per page view
    const read = indexReader(load);
    const r = await searchNames(query, filters, read);
    return Promise.all([...r.exact, ...r.byName, ...r.byPlace].map(async (id) => (await readRecord(r.meta, id, read))[0]));
  };

  it('holds every village, unit and county once, in that order', () => {
    expect([meta.villages, meta.units, meta.counties]).toEqual([model.villages.size, model.units.size, model.counties.size]);
    expect(kindOf(meta, 0)).toBe('村');
    expect(kindOf(meta, meta.villages)).toBe('单位');
    expect(kindOf(meta, meta.villages + meta.units)).toBe('县');
  });

  it('finds every village by its name and by its code, and every unit and county by name and code', async () => {
    const sameName = (name: string, kind: 'villages' | 'units') =>
      [...(kind === 'villages' ? [...model.villages.values()].map((v) => v.village) : [...model.units.values()].map((u) => u.unit))].filter((x) => x.name === name).map((x) => `/${kind}/${x.code}/`);
    for (const v of model.villages.values()) {
      const found = await hrefs(v.village.name);
      // every village of that name comes first (names repeat), this one among them
      const named = sameName(v.village.name, 'villages');
      expect(found.slice(0, named.length).sort(), v.village.name).toEqual(named.sort());
      expect(named).toContain(`/villages/${v.village.code}/`);
      expect(await hrefs(v.village.code)).toEqual([`/villages/${v.village.code}/`]);
    }
    for (const u of model.units.values()) {
      const found = await hrefs(u.unit.name);
      expect(found.slice(0, sameName(u.unit.name, 'units').length), u.unit.name).toContain(`/units/${u.unit.code}/`);
      expect(await hrefs(u.unit.code.toLowerCase())).toEqual([`/units/${u.unit.code}/`]);
    }
    for (const c of model.counties.values()) {
      const found = await hrefs(c.name);
      expect(found[0], c.name).toBe(`/counties/${c.code}/`);
      // then the county's villages, found by place
      for (const v of c.villages) expect(found).toContain(`/villages/${v.village.code}/`);
      expect(await hrefs(c.code)).toEqual([`/counties/${c.code}/`]);
    }
  });

  it('a query costs a few small files, not the index', async () => {
    const village = [...model.villages.values()][500]!.village;
    reads.length = 0;
    await hrefs(village.name);
    const bytes = reads.reduce((t, f) => t + Buffer.byteLength(files.get(f)!), 0);
    expect(reads.length).toBeLessThanOrEqual(1 + [...village.name].length + 2);
    expect(bytes).toBeLessThan(60_000);
  });

  it('filters by type and province; 案例, 通报 and 举措 are not its to answer', async () => {
    const county = [...model.counties.values()][0]!;
    expect(await hrefs(county.name, { 类型: '县' })).toEqual([`/counties/${county.code}/`]);
    const villages = await hrefs(county.name, { 类型: '村' });
    expect(villages.length).toBe(county.villages.length);
    expect(await hrefs(county.name, { 省: county.province })).toContain(`/counties/${county.code}/`);
    const other = [...model.provinces.values()].find((p) => p.name !== county.province)!;
    expect(await hrefs(county.name, { 省: other.name })).toEqual([]);
    expect(await hrefs(county.name, { 类型: '案例' })).toEqual([]);
    expect(await hrefs(county.name, { 举措: '产业帮扶' })).toEqual([]);
  });

  it('keeps long lists apart, so a query fetches them only when it needs them', async () => {
    const unit = [...model.units.values()][0]!.unit;
    const small = buildNameIndex(model, { longList: 10 });
    const m = JSON.parse(small.get('meta.json')!) as NameIndexMeta;
    expect([...small.keys()].some((f) => f.startsWith(`${m.dir}/l/`))).toBe(true);
    const read = indexReader(async (f: string) => {
      reads.push(f);
      return small.get(f)!;
    });
    reads.length = 0;
    const r = await searchNames(unit.name.slice(0, 4), {}, read);
    expect(reads.some((f) => f.startsWith(`${m.dir}/l/`))).toBe(true);
    const found = await Promise.all([...r.exact, ...r.byName].map(async (id) => (await readRecord(r.meta, id, read))[0]));
    expect(found).toContain(`/units/${unit.code}/`);
  });

  it('is written the same way twice, in a directory named by its content', () => {
    const again = buildNameIndex(model);
    expect([...again.entries()]).toEqual([...files.entries()]);
    for (const f of files.keys()) if (f !== 'meta.json') expect(f.startsWith(`${meta.dir}/`)).toBe(true);
  });
});
