/**
 * The shipped demo (data/ and content/) builds as `npm run build` does, and every demo
 * story renders, is linked from its villages and units, and is in the feed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const STORIES = path.join(ROOT, 'content/stories');
let work: string;
let dist: string;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-shipped-'));
  dist = path.join(work, 'dist');
  const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_OUT_DIR: dist, ASTRO_CACHE_DIR: path.join(work, 'cache') };
  for (const k of ['DATA_DIR', 'STORIES_DIR', 'BULLETINS_DIR']) delete env[k];
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts')], { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the shipped site did not build:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const page = (url: string) => readFileSync(path.join(dist, url, 'index.html'), 'utf8');
const stories = readdirSync(STORIES)
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => ({ slug: f.replace(/\.mdx$/, ''), fm: parse(readFileSync(path.join(STORIES, f), 'utf8').split('---')[1]!) as { title: string; villages: string[]; units: string[] } }));

describe('the shipped demo site', () => {
  it('has at least 20 demo stories, each rendered and linked both ways', () => {
    expect(stories.length).toBeGreaterThanOrEqual(20);
    for (const s of stories) {
      const html = page(`stories/${s.slug}`);
      expect(html).toContain(s.fm.title);
      expect(html).toContain('本案例为示例内容');
      for (const v of s.fm.villages) expect(page(`villages/${v}`), `${s.slug} ← ${v}`).toContain(`href="/stories/${s.slug}/"`);
      for (const u of s.fm.units) expect(page(`units/${u}`), `${s.slug} ← ${u}`).toContain(`href="/stories/${s.slug}/"`);
    }
  });

  it('lists every story in the feed', () => {
    const feed = readFileSync(path.join(dist, 'stories/rss.xml'), 'utf8');
    for (const s of stories) expect(feed).toContain(`/stories/${s.slug}/</link>`);
  });

  it('has a bulletin for every month, the planted revision, the search index and checksums', () => {
    for (const m of ['2020-05', '2020-06', '2020-07', '2020-08', '2020-09', '2020-10', '2020-11', '2020-12']) expect(existsSync(path.join(dist, 'bulletins', m, 'index.html')), m).toBe(true);
    expect(page('corrections')).toContain('2020年9月18日更正2020年8月数据');
    expect(page('bulletins/2020-09')).toContain('2020年9月18日更正2020年8月数据');
    expect(existsSync(path.join(dist, 'pagefind/pagefind.js'))).toBe(true);
    expect(existsSync(path.join(dist, 'SHA256SUMS'))).toBe(true);
  });
});
