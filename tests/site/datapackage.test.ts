/**
 * The published data package, read by an outside validator: the Frictionless Data reference
 * library for JavaScript (npm `datapackage`). The descriptor must be valid against the
 * tabular-data-package profile, and every resource must read with zero errors — types,
 * constraints and foreign keys checked row by row by that library, not by ours.
 *
 * Foreign keys are checked one at a time: when the library resolves a key it replaces the
 * row's value with the referenced row, so a second key over the same field (progress has
 * 村代码 → villages and 村代码+单位代码 → pairings) would see an object, not the code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Package, type Resource } from 'datapackage';
import { describe, expect, inject, it } from 'vitest';

const site = () => inject('siteDir');
const dir = () => path.join(site(), 'downloads');

async function readErrors(r: Resource, relations: boolean): Promise<{ rows: number; errors: string[] }> {
  const rows = await r.read({ keyed: true, forceCast: true, relations });
  const errors = rows.filter((x): x is Error => x instanceof Error).map((e) => `${e.message} ${JSON.stringify((e as Error & { errors?: Error[] }).errors?.map((x) => x.message) ?? [])}`);
  return { rows: rows.length, errors };
}

describe('downloads/datapackage.json under the Frictionless reference library', () => {
  it('is a valid descriptor (no empty foreignKeys, no pattern on date or yearmonth fields)', async () => {
    const dp = await Package.load(path.join(dir(), 'datapackage.json'), { basePath: dir() });
    expect(dp.errors.map((e) => e.message)).toEqual([]);
    expect(dp.valid).toBe(true);
    expect(dp.resources.length).toBeGreaterThan(3);
    for (const r of dp.resources) expect(r.valid, r.name).toBe(true);
  });

  it('every resource reads with zero errors: types and constraints of every cell', async () => {
    const dp = await Package.load(path.join(dir(), 'datapackage.json'), { basePath: dir() });
    for (const r of dp.resources) {
      const { rows, errors } = await readErrors(r, false);
      expect(errors, r.name).toEqual([]);
      expect(rows, r.name).toBeGreaterThan(0);
    }
  });

  it('every foreign key of every resource resolves, row by row', async () => {
    const descriptor = JSON.parse(readFileSync(path.join(dir(), 'datapackage.json'), 'utf8')) as { resources: Array<{ name: string; schema: { foreignKeys?: unknown[] } }> };
    let checked = 0;
    for (const res of descriptor.resources) {
      for (const fk of res.schema.foreignKeys ?? []) {
        const one = structuredClone(descriptor);
        one.resources.find((x) => x.name === res.name)!.schema.foreignKeys = [fk];
        const dp = await Package.load(one, { basePath: dir() });
        const { errors } = await readErrors(dp.getResource(res.name)!, true);
        expect(errors, `${res.name} ${JSON.stringify(fk)}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});
