/**
 * src/build/prune.ts: a build into the previous build's folder ends as a build into an
 * empty one — files the build did not write, Astro did not keep in place and public/ does not hold are deleted.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasEarlierOutput, pruneStale, startMark } from '../../src/build/prune.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A file; `backdated`: its modification time set an hour back (its status-change time stays when it was written). */
function put(root: string, rel: string, backdated = false): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, rel);
  if (backdated) {
    const then = new Date(Date.now() - 3_600_000);
    utimesSync(file, then, then);
  }
}

/** The build's start, a little after the files of the previous build (the file system's clock is coarse). */
function markAfterPrevious(cache: string): number {
  const until = Date.now() + 50;
  while (Date.now() < until);
  return startMark(cache);
}

describe('pruneStale', () => {
  it('deletes what the last build left and this one neither wrote nor kept, and the folders left empty', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-prune-'));
    dirs.push(work);
    const site = path.join(work, 'dist');
    const cache = path.join(work, 'cache');
    // the previous build's files
    put(site, 'villages/1/index.html'); // kept in place by Astro (unchanged page)
    put(site, 'villages/2/index.html'); // a village no longer in the data
    put(site, 'villages/2/data.csv');
    put(site, '_astro/old.css'); // an asset of the old code
    put(site, '.git/HEAD'); // never touched, as Astro never empties .git
    put(site, 'favicon.svg'); // from public/, left as it was
    put(site, 'icons/old.png'); // was in public/, no longer is
    const publicDir = path.join(work, 'public');
    put(publicDir, 'favicon.svg');
    const mark = markAfterPrevious(cache);
    // Astro's record of this build's keyed pages, and what this build wrote
    writeFileSync(path.join(cache, 'incremental-build.json'), JSON.stringify({ routes: { 'src/pages/villages/[code].astro': { paths: { '/villages/1': { outputFile: 'villages/1/index.html' }, '/villages/3': { outputFile: 'villages/3/index.html' } } } } }));
    put(site, 'villages/1/data.csv');
    put(site, 'villages/3/index.html');
    put(site, '_astro/new.css');
    // an image Astro copies from its cache with the cached file's times: written now, dated earlier
    put(site, '_astro/photo.Ab12_x.webp', true);

    expect(pruneStale(site, cache, mark, publicDir)).toEqual({ deleted: 4, kept: 1 });
    expect(existsSync(path.join(site, 'favicon.svg'))).toBe(true);
    expect(existsSync(path.join(site, 'icons'))).toBe(false);
    expect(existsSync(path.join(site, 'villages/2'))).toBe(false);
    expect(readdirSync(path.join(site, 'villages')).sort()).toEqual(['1', '3']);
    expect(readdirSync(path.join(site, 'villages/1')).sort()).toEqual(['data.csv', 'index.html']);
    expect(readdirSync(path.join(site, '_astro')).sort()).toEqual(['new.css', 'photo.Ab12_x.webp']);
    expect(existsSync(path.join(site, '.git/HEAD'))).toBe(true);
  });

  it('without a record from Astro every old file goes, and a missing folder is no error', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-prune-'));
    dirs.push(work);
    const site = path.join(work, 'dist');
    put(site, 'a/index.html');
    const mark = markAfterPrevious(path.join(work, 'cache'));
    put(site, 'b/index.html');
    expect(pruneStale(site, path.join(work, 'cache'), mark, path.join(work, 'no-public'))).toEqual({ deleted: 1, kept: 0 });
    expect(readdirSync(site)).toEqual(['b']);
    expect(pruneStale(path.join(work, 'none'), path.join(work, 'cache'), mark, path.join(work, 'no-public'))).toEqual({ deleted: 0, kept: 0 });
  });
});

describe('hasEarlierOutput (whether the prune has anything to look at)', () => {
  it('a missing or empty folder, or one with only .git, holds nothing an earlier build left; any other entry does', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-prune-'));
    dirs.push(work);
    const site = path.join(work, 'dist');
    expect(hasEarlierOutput(site)).toBe(false);
    mkdirSync(site);
    expect(hasEarlierOutput(site)).toBe(false);
    put(site, '.git/HEAD', true);
    expect(hasEarlierOutput(site)).toBe(false);
    mkdirSync(path.join(site, 'villages'));
    expect(hasEarlierOutput(site)).toBe(true);
  });
});
