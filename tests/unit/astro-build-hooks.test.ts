/**
 * What scripts/build.ts's astro build process changes underneath Astro (astro.config.mjs):
 * folders in the site folder made synchronously (astro-writes.ts) and SHA digests computed
 * with node:crypto (astro-digests.ts). Each must behave exactly as the call it stands for.
 */
import { mkdirSync, mkdtempSync, promises as fsp, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestSynchronously } from '../../src/lib/publish/astro-digests.ts';
import { writeOverEarlierBuild } from '../../src/lib/publish/astro-writes.ts';

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

describe('crypto.subtle.digest inside the astro build', () => {
  const subtle = globalThis.crypto.subtle;
  const webCrypto = subtle.digest.bind(subtle);
  const style = new TextEncoder().encode('.page{line-height:1.8}/* 村 */'.repeat(40));
  const inputs: BufferSource[] = [style, style.subarray(7, 301), style.buffer.slice(3), new Uint8Array(0), new DataView(style.buffer, 11, 50)];
  const expected: string[][] = [];

  beforeAll(async () => {
    for (const alg of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) expected.push(await Promise.all(inputs.map(async (d) => Buffer.from(await webCrypto(alg, d)).toString('base64'))));
    digestSynchronously();
  });

  it('gives WebCrypto’s bytes for every SHA, by name or as { name }, from views, offsets and ArrayBuffers', async () => {
    expect(subtle.digest).not.toBe(webCrypto);
    for (const [i, alg] of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'].entries()) {
      for (const [j, d] of inputs.entries()) {
        const byName = await subtle.digest(alg, d);
        expect(byName).toBeInstanceOf(ArrayBuffer);
        expect(Buffer.from(byName).toString('base64')).toBe(expected[i]![j]);
        expect(Buffer.from(await subtle.digest({ name: alg.toLowerCase() }, d)).toString('base64')).toBe(expected[i]![j]);
      }
    }
  });

  it('sends anything else to WebCrypto, which rejects it as before', async () => {
    await expect(subtle.digest('MD5', style)).rejects.toThrow();
    await expect(webCrypto('MD5', style)).rejects.toThrow();
  });
});
