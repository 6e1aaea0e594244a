/**
 * The shipped demo (data/ and content/) builds as `npm run build` does, and every story
 * renders, is linked from its villages and units, and is in the feed. Beside the demo
 * stories stands one real-shaped story (not synthetic, a phone photo named IMG_2041.JPG), as
 * an editor's pull request adds it: the suite must pass with it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SHIPPED_STORIES = path.join(ROOT, 'content/stories');
const REAL_STORY = path.join(ROOT, 'tests/fixtures/story-real');
let work: string;
let dist: string;
let STORIES: string;
let buildOutput: string;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-shipped-'));
  dist = path.join(work, 'dist');
  STORIES = path.join(work, 'stories');
  cpSync(SHIPPED_STORIES, STORIES, { recursive: true });
  cpSync(REAL_STORY, STORIES, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_OUT_DIR: dist, ASTRO_CACHE_DIR: path.join(work, 'cache'), STORIES_DIR: STORIES };
  for (const k of ['DATA_DIR', 'BULLETINS_DIR']) delete env[k];
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts')], { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the shipped site did not build:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  buildOutput = `${r.stdout}\n${r.stderr}`;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const page = (url: string) => readFileSync(path.join(dist, url, 'index.html'), 'utf8');
const storiesIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => ({ slug: f.replace(/\.mdx$/, ''), fm: parse(readFileSync(path.join(dir, f), 'utf8').split('---')[1]!) as { title: string; villages: string[]; units: string[]; synthetic?: boolean } }));
const stories = [...storiesIn(SHIPPED_STORIES), ...storiesIn(REAL_STORY)];

describe('the shipped demo site', () => {
  it('builds without a single warning, so that a warning staff see means something', () => {
    // Astro's logger marks a warning `[WARN]`, Node `Warning:`. Before bundler-log.ts, Rolldown's
    // note on Astro's head-inject directive came 27 times.
    const warnings = buildOutput.split('\n').filter((line) => /\[WARN\]|Warning:/.test(line.replace(/\x1b\[[0-9;]*m/g, '')));
    expect(warnings).toEqual([]);
  });

  it('has at least 20 demo stories and the real one, each rendered and linked both ways', () => {
    expect(stories.filter((s) => s.fm.synthetic).length).toBeGreaterThanOrEqual(20);
    expect(stories.filter((s) => !s.fm.synthetic).length).toBeGreaterThanOrEqual(1);
    for (const s of stories) {
      const html = page(`stories/${s.slug}`);
      expect(html).toContain(s.fm.title);
      // Only a synthetic story says it is an example.
      if (s.fm.synthetic) expect(html, s.slug).toContain('本案例为示例内容');
      else expect(html, s.slug).not.toContain('本案例为示例内容');
      for (const v of s.fm.villages) expect(page(`villages/${v}`), `${s.slug} ← ${v}`).toContain(`href="/stories/${s.slug}/"`);
      for (const u of s.fm.units) expect(page(`units/${u}`), `${s.slug} ← ${u}`).toContain(`href="/stories/${s.slug}/"`);
    }
  });

  it('the home page’s national trend, every month a partial sum, says why nothing is drawn and opens its table: no empty axes', () => {
    const figures = page('').match(/<figure class="chart"[\s\S]*?<\/figure>/g) ?? [];
    const national = figures.find((f) => f.includes('全国资金投入'))!;
    expect(national).toContain('class="chart-undrawn"');
    expect(national).toContain('各月数字都是部分合计');
    expect(national).not.toContain('<svg');
    expect(national).toMatch(/<details open[ >]/);
    // the table gives each month's partial sum with who is not in it
    expect(national.match(/部分合计：\d+\u00a0?个结对/g)?.length ?? 0).toBeGreaterThanOrEqual(8);
  });

  it('the real story shows its phone photo (IMG_2041.JPG) as cover and in the text, optimised, with its alt text', () => {
    const html = page('stories/2020-12-yanhe-gaotian-workshop');
    const imgs = [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
    expect(imgs.some((i) => i.includes('alt="高田村扶贫车间外景') && /src="\/_astro\/IMG_2041\.[^"]+\.webp"/.test(i))).toBe(true);
    expect(imgs.some((i) => i.includes('alt="车间外景，厂房前的空地上停着送货的小货车"') && /src="\/_astro\/IMG_2041\./.test(i))).toBe(true);
    for (const src of imgs.flatMap((i) => [...i.matchAll(/src="([^"]+)"/g)].map((m) => m[1]!))) expect(existsSync(path.join(dist, src)), src).toBe(true);
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
