/**
 * What scripts/build.ts's astro build process changes underneath Astro (src/build/integration.ts):
 * folders in the site folder made synchronously (src/build/patches/astro-writes.ts). It must behave exactly as
 * the call it stands for.
 */
import { mkdirSync, mkdtempSync, promises as fsp, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOverEarlierBuild } from '../../src/build/patches/astro-writes.ts';

const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-hooks-'));
const site = path.join(work, 'dist');
const outside = path.join(work, 'elsewhere');
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('fs.promises.mkdir in the site folder', () => {
  const original = fsp.mkdir;
  beforeAll(async () => {
    mkdirSync(site);
    await writeOverEarlierBuild(site);
  });

  it('is replaced, and answers as the original: the first folder made, then nothing once it exists', async () => {
    expect(fsp.mkdir).not.toBe(original);
    const dir = path.join(site, 'villages', '450225001200');
    await expect(fsp.mkdir(dir, { recursive: true })).resolves.toBe(path.join(site, 'villages'));
    expect(statSync(dir).isDirectory()).toBe(true);
    await expect(fsp.mkdir(pathToFileURL(dir), { recursive: true })).resolves.toBeUndefined();
    // the original gives the same answers for the same calls outside the site folder
    const there = path.join(outside, 'villages', '450225001200');
    await expect(original(there, { recursive: true })).resolves.toBe(outside);
    await expect(original(there, { recursive: true })).resolves.toBeUndefined();
  });

  it('rejects as the original does when a file is in the way', async () => {
    const blocked = path.join(site, 'blocked');
    writeFileSync(blocked, '');
    await expect(fsp.mkdir(path.join(blocked, 'x'), { recursive: true })).rejects.toMatchObject({ code: 'ENOTDIR' });
    const blockedOutside = path.join(outside, 'blocked');
    writeFileSync(blockedOutside, '');
    await expect(original(path.join(blockedOutside, 'x'), { recursive: true })).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('leaves other calls as made: outside the site folder, and without `recursive`', async () => {
    const dir = path.join(outside, 'a', 'b');
    await expect(fsp.mkdir(dir, { recursive: true })).resolves.toBe(path.join(outside, 'a'));
    await expect(fsp.mkdir(path.join(site, 'plain'))).resolves.toBeUndefined();
    await expect(fsp.mkdir(path.join(site, 'plain'))).rejects.toMatchObject({ code: 'EEXIST' });
  });
});
