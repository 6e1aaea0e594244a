/**
 * page-keys.ts: the incremental build copies a page whose key is unchanged, so a key must
 * change whenever anything the page shows changes, and only then. Checked on the shipped
 * data: the 2020年8月 correction of 广西壮族自治区.csv changes the keys of exactly the villages
 * whose rows differ between the archived copy and the file (found here by comparing the two
 * CSVs cell by cell), and a county's 附件3 key for a month ignores later months.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { buildSiteModel, type SiteModel } from '../../src/lib/model/read-model.ts';
import { entityKeyData, groupBy, pairingsKeyData, rowDigest, stableDigest } from '../../src/lib/publish/page-keys.ts';
import { untrackedImages } from '../../src/lib/publish/image-key.ts';
import { sliceDigest, type SliceDigestInput } from '../../src/build/slice-digest.ts';
import { unitSlice, villageSlice } from '../../src/lib/shard/shard-rule.ts';
import { sliceModelInput } from '../../src/lib/shard/shard-model.ts';
import { monthPublishedOn, recordsAsOf } from '../../src/lib/ingest/revisions.ts';
import type { ProgressRecord } from '../../src/lib/ingest/records.ts';
import { DATA, readFlatExport } from './shipped-cells.ts';

const data = ingestDataDir(DATA);
const model = buildSiteModel(data);
const villageKeys = (m: SiteModel) => new Map([...m.villages].map(([code, v]) => [code, stableDigest(pairingsKeyData(v.pairings))]));
const countyMonthKey = (m: SiteModel, county: string, month: string) => stableDigest(pairingsKeyData(m.counties.get(county)!.pairings, month));

/** The model with one record's values changed. */
function withChangedRecord(pick: (r: ProgressRecord) => boolean, change: (r: ProgressRecord) => ProgressRecord): { model: SiteModel; record: ProgressRecord } {
  const record = data.progress.find(pick)!;
  return { model: buildSiteModel({ ...data, progress: data.progress.map((r) => (r === record ? change(r) : r)) }), record };
}

describe('stableDigest', () => {
  it('the same data gives the same key, built twice from the same files', () => {
    const again = buildSiteModel(ingestDataDir(DATA));
    expect(villageKeys(again)).toEqual(villageKeys(model));
  });

  it('Maps and Sets are keyed by their entries (JSON alone would write {} for both), in order', () => {
    const a = new Map([
      ['2020-07', 1],
      ['2020-08', 2],
    ]);
    expect(stableDigest(a)).not.toBe(stableDigest(new Map()));
    expect(stableDigest(a)).not.toBe(stableDigest(new Map([['2020-07', 1]])));
    expect(stableDigest(a)).not.toBe(stableDigest(new Map([...a].reverse())));
    expect(stableDigest(new Set(['a']))).not.toBe(stableDigest(new Set(['b'])));
    // a Map is not the same page data as the plain object or the list of its entries
    expect(stableDigest(a)).not.toBe(stableDigest({ '2020-07': 1, '2020-08': 2 }));
    expect(stableDigest(new Set([1, 2]))).not.toBe(stableDigest([1, 2]));
    // nested: a Map inside an object inside a list
    expect(stableDigest([{ byMonth: a }])).not.toBe(stableDigest([{ byMonth: new Map([['2020-07', 1], ['2020-08', 3]]) }]));
  });

  it('Dates by their instant; numbers, strings and booleans by value and type', () => {
    expect(stableDigest(new Date('2020-09-18T00:00:00Z'))).toBe(stableDigest(new Date(Date.UTC(2020, 8, 18))));
    expect(stableDigest(new Date('2020-09-18T00:00:00Z'))).not.toBe(stableDigest(new Date('2020-09-19T00:00:00Z')));
    expect(stableDigest(1)).not.toBe(stableDigest('1'));
    expect(stableDigest(true)).not.toBe(stableDigest(1));
    expect(stableDigest(null)).not.toBe(stableDigest(undefined));
    expect(stableDigest(undefined)).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('a village page’s key (its pairings: registry rows and every record)', () => {
  it('the shipped correction of 2020年8月 changes the keys of exactly the villages whose rows it changed', () => {
    const revision = data.revisions.find((r) => r.month === '2020-08')!;
    const file = revision.files[0]!;
    // the villages whose rows differ between the archived copy and the file as it is now, cell by cell
    const before = new Map(readFlatExport(path.join(DATA, file.previous!)).map((r) => [`${r['村代码']}|${r['单位代码']}`, JSON.stringify(r)]));
    const after = readFlatExport(path.join(DATA, file.file));
    const touched = new Set(after.filter((r) => before.get(`${r['村代码']}|${r['单位代码']}`) !== JSON.stringify(r)).map((r) => r['村代码']!));
    expect(touched.size).toBeGreaterThan(0);

    const published = buildSiteModel({ ...data, progress: recordsAsOf(data.progress, data.revisions, monthPublishedOn(data.manifest!, '2020-08')!).records });
    const now = villageKeys(model);
    const then = villageKeys(published);
    const differ = new Set([...now.keys()].filter((code) => now.get(code) !== then.get(code)));
    expect(differ).toEqual(touched);
  });

  it('one blank cell filled in one record changes that village’s key and no other', () => {
    const { model: changed, record } = withChangedRecord(
      (r) => r.values.jobsDone === null,
      (r) => ({ ...r, values: { ...r.values, jobsDone: 0 } }),
    );
    const now = villageKeys(changed);
    const before = villageKeys(model);
    expect([...now.keys()].filter((c) => now.get(c) !== before.get(c))).toEqual([record.villageCode]);
  });

  it('registry changes count too: the unit’s name, the village’s 乡镇, the 附件2 plan', () => {
    const village = [...model.villages.values()].find((v) => v.pairings.length > 0)!;
    const key = stableDigest(pairingsKeyData(village.pairings));
    const p = village.pairings[0]!;
    const variants = [
      { ...p, unit: { ...p.unit, name: `${p.unit.name}（更名）` } },
      { ...p, village: { ...p.village, township: '另一乡' } },
      { ...p, pairing: { ...p.pairing, plan: { ...p.pairing.plan, jobs: (p.pairing.plan.jobs ?? 0) + 1 } } },
    ];
    for (const v of variants) expect(stableDigest(pairingsKeyData([v, ...village.pairings.slice(1)]))).not.toBe(key);
  });
});

describe('a county’s 附件3 page for one month (records up to that month)', () => {
  const county = [...model.counties.values()].find((c) => model.months.every((m) => c.byMonth.get(m)!.records > 0))!;

  it('a change in a later month leaves the key alone; a change in that month or before does not', () => {
    const at = (month: string) => (r: ProgressRecord) => r.month === month && r.villageCode.startsWith(county.code) && r.values.fundsDone !== null;
    const bump = (r: ProgressRecord) => ({ ...r, values: { ...r.values, fundsDone: r.values.fundsDone! + 1 } });
    const later = withChangedRecord(at('2020-09'), bump).model;
    expect(countyMonthKey(later, county.code, '2020-08')).toBe(countyMonthKey(model, county.code, '2020-08'));
    expect(countyMonthKey(later, county.code, '2020-09')).not.toBe(countyMonthKey(model, county.code, '2020-09'));
    const earlier = withChangedRecord(at('2020-07'), bump).model;
    expect(countyMonthKey(earlier, county.code, '2020-08')).not.toBe(countyMonthKey(model, county.code, '2020-08'));
  });

  it('without a month, every record counts', () => {
    const last = model.months.at(-1)!;
    expect(stableDigest(pairingsKeyData(county.pairings))).toBe(stableDigest(pairingsKeyData(county.pairings, last)));
    expect(stableDigest(pairingsKeyData(county.pairings))).not.toBe(stableDigest(pairingsKeyData(county.pairings, model.months.at(-2))));
  });

  it('the data for a month holds each pairing’s records of that month and before, and nothing later', () => {
    const rows = pairingsKeyData(county.pairings, '2020-06') as Array<[string, string, string, string[]]>;
    expect(rows).toHaveLength(county.pairings.length);
    const monthOf = new Map(county.pairings.flatMap((p) => [...p.byMonth.values()].map((r) => [rowDigest(r), r.month] as const)));
    const months = new Set(rows.flatMap((r) => r[3].map((d) => monthOf.get(d)!)));
    expect([...months].sort()).toEqual(model.months.filter((m) => m <= '2020-06'));
  });
});

describe('rowDigest (a registry row or record, digested once per build)', () => {
  it('the ingest’s rows are plain data: their JSON read back is the same row, so JSON is all of it', () => {
    const rows: object[] = [...data.progress, ...data.villages, ...data.units, ...data.pairings];
    expect(rows.length).toBeGreaterThan(10_000);
    for (const row of rows) expect(JSON.parse(JSON.stringify(row))).toStrictEqual(row);
  });

  it('is the digest of the row’s JSON, the same for equal rows and different for a changed one', () => {
    const record = data.progress.find((r) => r.values.jobsDone !== null)!;
    expect(rowDigest(record)).toBe(rowDigest(structuredClone(record)));
    expect(rowDigest(record)).not.toBe(rowDigest({ ...record, values: { ...record.values, jobsDone: record.values.jobsDone! + 1 } }));
    expect(rowDigest({ ...record, source: { ...record.source, row: record.source.row + 1 } })).not.toBe(rowDigest(record));
  });
});

describe('groupBy', () => {
  it('groups stories by every village they name (a story in two villages is in both), keeping order', () => {
    const stories = [
      { id: 's1', villages: ['450225001200'] },
      { id: 's2', villages: ['450225001200', '520627001200'] },
      { id: 's3', villages: [] as string[] },
      { id: 's4', villages: ['520627001200'] },
    ];
    const g = groupBy(stories, (s) => s.villages);
    expect([...g.keys()]).toEqual(['450225001200', '520627001200']);
    expect(g.get('450225001200')!.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(g.get('520627001200')!.map((s) => s.id)).toEqual(['s2', 's4']);
    // a story naming no village is in no group
    expect([...g.values()].flat().some((s) => s.id === 's3')).toBe(false);
  });

  it('on the shipped corrections: the changes grouped by village add up to the revision, each under its own village', () => {
    const revision = data.revisions[0]!;
    const g = groupBy(revision.changes, (c) => c.villageCode);
    expect([...g.values()].reduce((n, l) => n + l.length, 0)).toBe(revision.changes.length);
    for (const [code, list] of g) expect(list.every((c) => c.villageCode === code)).toBe(true);
  });
});

describe('a shard’s slice digest (a slice is reused whole while it is unchanged)', () => {
  const COUNT = 4;
  const publishedOn = Object.fromEntries(data.months.map((m) => [m, data.manifest ? monthPublishedOn(data.manifest, m) : null]));
  // slices are numbered 1…N (sliceOfKey); digests[i] is slice i + 1's
  const digests = (m: SiteModel, extra: Partial<SliceDigestInput> = {}) =>
    Array.from({ length: COUNT }, (_, i) => sliceDigest({ model: m, revisions: data.revisions, publishedOn, synthetic: data.dataset.synthetic, common: 'code', ...extra }, i + 1, COUNT));
  const before = digests(model);
  const changed = (after: string[]) => after.flatMap((d, i) => (d === before[i] ? [] : [i + 1]));

  it('the shipped data falls into more than one slice, so “only its slice changed” can fail', () => {
    expect(new Set([...model.villages.keys()].map((c) => villageSlice(c, COUNT))).size).toBeGreaterThan(1);
  });

  it('one record changed: exactly the slices of its village and of its unit change', () => {
    const { model: after, record } = withChangedRecord((r) => r.values.fundsDone !== null, (r) => ({ ...r, values: { ...r.values, fundsDone: (r.values.fundsDone ?? 0) + 1 } }));
    const unit = after.units.get(record.unitCode)!;
    const expected = new Set([villageSlice(record.villageCode, COUNT), unitSlice(record.unitCode, unit.pairings.map((p) => p.village.code), COUNT)]);
    expect(new Set(changed(digests(after)))).toEqual(expected);
  });

  it('a correction touching a village changes its slice (its page lists the correction and dates its footer by it)', () => {
    const revision = data.revisions[0]!;
    const village = revision.changes[0]!.villageCode;
    const without = digests(model, { revisions: data.revisions.filter((r) => r !== revision) });
    expect(without[villageSlice(village, COUNT) - 1]).not.toBe(before[villageSlice(village, COUNT) - 1]);
  });

  it('a slice works it out from its own model (the data step does) with the same result as from the whole model', () => {
    for (let index = 1; index <= COUNT; index++) {
      const slice = sliceModelInput(data, index, COUNT);
      const own = buildSiteModel(slice.input, slice.months);
      expect(own.villages.size).toBeLessThan(model.villages.size);
      const input = { revisions: data.revisions, publishedOn, synthetic: data.dataset.synthetic, common: 'code' };
      expect(sliceDigest({ ...input, model: own, owns: slice.inSlice }, index, COUNT)).toBe(sliceDigest({ ...input, model }, index, COUNT));
    }
  });

  it('a month’s publication date changes every slice (every village and unit page dates its footer by it)', () => {
    const month = data.months.at(-1)!;
    expect(changed(digests(model, { publishedOn: { ...publishedOn, [month]: '2099-01-01' } }))).toEqual([1, 2, 3, 4]);
  });

  it('a village’s own key data (the page key’s and the slice’s) changes with its footer date and with a correction', () => {
    const view = [...model.villages.values()][0]!;
    const key = (on: Record<string, string | null>, corrections = data.revisions.slice(0, 0)) => stableDigest(entityKeyData(model, view, corrections, on));
    expect(key({ ...publishedOn, [data.months.at(-1)!]: '2099-01-01' })).not.toBe(key(publishedOn));
    expect(key(publishedOn, data.revisions.slice(0, 1))).not.toBe(key(publishedOn));
  });
});

describe('story images in page keys', () => {
  const file = path.join(import.meta.dirname, '../../content/stories/images', readdirSync(path.join(import.meta.dirname, '../../content/stories/images')).find((f) => /\.(png|jpe?g)$/.test(f))!);
  /** An image as a build hands it to a page, the way Astro makes it: `src` a getter that marks the original as used, `fsPath` not enumerable. */
  const asset = (fsPath: string, reads: { src: number }) => {
    const a = { width: 800, height: 600, format: 'png' } as Record<string, unknown>;
    Object.defineProperty(a, 'fsPath', { value: fsPath, enumerable: false });
    Object.defineProperty(a, 'src', { enumerable: true, get: () => (reads.src++, '/_astro/x.hash.png') });
    return a;
  };

  it("keys a story's front matter without reading any image's src, and changes with the image's bytes", () => {
    const reads = { src: 0 };
    const date = new Date('2020-07-01');
    const data = { title: '示例', date, cover: { image: asset(file, reads), alt: '图' }, villages: ['450225001200'] };
    const key = untrackedImages(data) as { date: Date; cover: { image: { image: string; width: number } } };
    expect(reads.src).toBe(0);
    expect(key.date).toBe(date);
    expect(key.cover.image.width).toBe(800);
    expect(key.cover.image.image).toMatch(/^[0-9a-f]{64}$/);
    // another file at another path: another key (the digest is of the bytes)
    const other = path.join(tmpdir(), `gpdzc-key-image-${process.pid}.png`);
    writeFileSync(other, Buffer.concat([readFileSync(file), Buffer.from([0])]));
    try {
      expect(stableDigest(untrackedImages({ cover: asset(other, reads) }))).not.toBe(stableDigest(untrackedImages({ cover: asset(file, reads) })));
    } finally {
      rmSync(other);
    }
    expect(reads.src).toBe(0);
  });

  it("still finds Astro's images shaped as the key expects (src a getter, fsPath a hidden plain value)", async () => {
    // Astro's own constructor of image metadata (an internal module: if it changes, look again at untrackedImages)
    const { createImageAsset } = (await import(pathToFileURL(path.join(import.meta.dirname, '../../node_modules/astro/dist/assets/utils/image-asset.js')).href)) as { createImageAsset: (m: object, fsPath: string, track: boolean) => Record<string, unknown> };
    const made = createImageAsset({ src: '/_astro/x.png', width: 1, height: 1, format: 'png' }, file, true);
    expect(Object.keys(made)).not.toContain('fsPath');
    expect(made.fsPath).toBe(file);
    expect(typeof Object.getOwnPropertyDescriptor(made, 'src')?.get).toBe('function');
    expect((untrackedImages({ cover: made }) as { cover: { image: string } }).cover.image).toMatch(/^[0-9a-f]{64}$/);
  });
});
