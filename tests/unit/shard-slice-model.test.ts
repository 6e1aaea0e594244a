/**
 * A slice of a sharded build composes only its own villages and units with their partners
 * (sliceModelInput). Checked on the shipped data: every village and unit is some slice's own,
 * once, and the same one the shard rule gives over the whole model; and each slice's
 * downloads written from its slice of the model are byte for byte those written from the
 * whole model, also when the slice's own records lack a month that other counties reported.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { buildSiteModel, monthsOf, type ModelInput } from '../../src/lib/model/read-model.ts';
import { writeEntityDownloads } from '../../src/lib/publish/entity-downloads.ts';
import { filesUnder } from '../../src/lib/publish/site-files.ts';
import { entityInShard, sliceModelInput } from '../../src/lib/shard/shard-model.ts';
import { DATA } from './shipped-cells.ts';

const data = ingestDataDir(DATA);
const whole = buildSiteModel(data);
const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-slice-model-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const COUNT = 3;

describe('a slice of the read model', () => {
  it('owns each village and unit in exactly one slice, the one the shard rule gives over the whole model', () => {
    const owners = new Map<string, number>();
    for (let index = 1; index <= COUNT; index++) {
      const { input, inSlice } = sliceModelInput(data, index, COUNT);
      const rule = entityInShard(whole, { kind: 'slice', index, count: COUNT });
      for (const v of data.villages) {
        expect(inSlice('villages', v.code)).toBe(rule('villages', v.code));
        if (inSlice('villages', v.code)) owners.set(`v${v.code}`, (owners.get(`v${v.code}`) ?? 0) + 1);
      }
      for (const u of data.units) {
        expect(inSlice('units', u.code)).toBe(rule('units', u.code));
        if (inSlice('units', u.code)) owners.set(`u${u.code}`, (owners.get(`u${u.code}`) ?? 0) + 1);
      }
      expect(inSlice('counties', data.villages[0]!.code.slice(0, 6))).toBe(false);
      // a slice holds less than the whole, and every kept pairing has both its partners
      expect(input.progress.length).toBeLessThan(data.progress.length);
      const villages = new Set(input.villages.map((v) => v.code));
      const units = new Set(input.units.map((u) => u.code));
      for (const p of input.pairings) expect(villages.has(p.villageCode) && units.has(p.unitCode)).toBe(true);
    }
    expect(owners.size).toBe(data.villages.length + data.units.length);
    expect([...owners.values()].every((n) => n === 1)).toBe(true);
  });

  it('keeps the villages its pages name besides its own and their partners (the places of story cards) as rows, not as its own', () => {
    const { input: plain } = sliceModelInput(data, 1, COUNT);
    const kept = new Set(plain.villages.map((v) => v.code));
    const elsewhere = data.villages.find((v) => !kept.has(v.code))!;
    expect(elsewhere).toBeDefined();
    const { input, inSlice } = sliceModelInput(data, 1, COUNT, [elsewhere.code]);
    expect(input.villages.find((v) => v.code === elsewhere.code)).toEqual(elsewhere);
    expect(inSlice('villages', elsewhere.code)).toBe(false);
    expect(input.villages.length).toBe(plain.villages.length + 1);
  });

  /** Slice `index`'s downloads written from its slice of `received` and from the whole model of it: the same files, byte for byte. */
  const sameDownloads = async (received: ModelInput, index: number, label: string) => {
    const { input, months, inSlice } = sliceModelInput(received, index, COUNT);
    const model = buildSiteModel(received);
    const fromSlice = path.join(work, `${label}-slice-${index}`);
    const fromWhole = path.join(work, `${label}-whole-${index}`);
    const a = await writeEntityDownloads(buildSiteModel(input, months), fromSlice, data.dataset.synthetic, undefined, inSlice);
    const b = await writeEntityDownloads(model, fromWhole, data.dataset.synthetic, undefined, entityInShard(model, { kind: 'slice', index, count: COUNT }));
    expect(a).toBe(b);
    expect(a).toBeGreaterThan(0);
    const files = filesUnder(fromWhole).sort();
    expect(filesUnder(fromSlice).sort()).toEqual(files);
    for (const f of files) expect(readFileSync(path.join(fromSlice, f)).equals(readFileSync(path.join(fromWhole, f))), f).toBe(true);
  };

  it('writes each slice the same downloads as the whole model does', async () => {
    for (let index = 1; index <= COUNT; index++) await sameDownloads(data, index, 'shipped');
  });

  it('shows the nation’s months in a slice whose own records lack the newest (other counties reported it first)', async () => {
    const newest = monthsOf(data.progress).at(-1)!;
    const kept = new Set(sliceModelInput(data, 1, COUNT).input.pairings.map((p) => p.id));
    const received = { ...data, progress: data.progress.filter((r) => !(r.month === newest && kept.has(r.pairingId))) };
    // the case: slice 1 has no record of the newest month, the nation has
    expect(monthsOf(sliceModelInput(received, 1, COUNT).input.progress)).not.toContain(newest);
    expect(monthsOf(received.progress)).toContain(newest);
    expect(sliceModelInput(received, 1, COUNT).months).toEqual(monthsOf(received.progress));
    await sameDownloads(received, 1, 'late');
  });
});
