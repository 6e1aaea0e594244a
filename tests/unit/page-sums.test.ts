/**
 * The pages' SHA256SUMS lines made as astro build renders them (page-sums.ts, src/middleware.ts):
 * the file each address is written to, and the line sha256sum gives for those bytes. That the
 * built site's SHA256SUMS holds for every file is checked on the real build (tests/site/reproducible.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pageFileOf, pageSumsRecorder } from '../../src/build/page-sums.ts';

const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-page-sums-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the file a rendered address is written to (Astro’s rule, build.format directory)', () => {
  it('a page is its folder’s index.html; an endpoint is its file; the status pages are 404.html and 500.html; escaped names are the names on disk', () => {
    expect(pageFileOf('/')).toBe('index.html');
    expect(pageFileOf('/villages/530627101201/')).toBe('villages/530627101201/index.html');
    expect(pageFileOf('/bulletins/rss.xml/')).toBe('bulletins/rss.xml');
    expect(pageFileOf('/sources/2020-07/530627.csv/')).toBe('sources/2020-07/530627.csv');
    expect(pageFileOf('/404/')).toBe('404.html');
    expect(pageFileOf('/500/')).toBe('500.html');
    expect(pageFileOf('/counties/404/')).toBe('counties/404/index.html');
    expect(pageFileOf(`/stories/${encodeURIComponent('大坪村')}/`)).toBe('stories/大坪村/index.html');
  });
});

describe('the lines', () => {
  it('are what sha256sum says of the same bytes at that path', () => {
    const site = path.join(work, 'site');
    const sums = path.join(work, 'page-sums');
    const record = pageSumsRecorder(sums)!;
    const pages: Array<[string, string]> = [
      ['/', '<!DOCTYPE html><p>首页</p>'],
      ['/villages/1/', '<p>大坪村</p>\n'],
      ['/bulletins/rss.xml/', '<rss/>'],
      ['/404/', '<p>找不到</p>'],
    ];
    for (const [pathname, text] of pages) {
      const file = path.join(site, pageFileOf(pathname));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, text);
      record(pathname, new TextEncoder().encode(text));
    }
    const lines = readFileSync(sums, 'utf8');
    expect(lines.split('\n').filter(Boolean)).toHaveLength(4);
    expect(execFileSync('sha256sum', ['-c', sums], { cwd: site, encoding: 'utf8' })).toBe('index.html: OK\nvillages/1/index.html: OK\nbulletins/rss.xml: OK\n404.html: OK\n');
  });

  it('nothing is recorded when no file is named (astro dev, astro build alone)', () => {
    expect(pageSumsRecorder(undefined)).toBeNull();
    expect(pageSumsRecorder('')).toBeNull();
  });
});
