/**
 * npm run preview:stories: an editor adds a story (with a cover and a figure) to a copy of
 * the fixture's stories kept in git, and runs the preview with nothing else said: the story
 * found in the working tree is checked, the site is built, the story's page is copied with
 * the files it uses and opens from disk, and it is photographed at 390 and 1366 px; the summary
 * lists it. Against a base (as the pull-request workflow runs it, on a site already built) only
 * the stories the branch changed are previewed; a story that fails the content check stops the
 * preview with the Chinese report.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from './browser.ts';
import { FIXTURE, FIXTURE_BULLETINS, FIXTURE_STORIES } from './global-setup.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SLUG = '2020-09-anle-workshop';
const TITLE = '纳雍县安乐村：食品加工车间招工三十人';
const IMAGES = path.join(ROOT, 'content/stories/images');
const STORY = `---
title: ${TITLE}
date: 2020-09-18
summary: 示例乌蒙山食品有限公司在安乐村建成食品加工车间，首批招收本村村民三十人。
villages: ['520525101001']
units: ['91520500MA6K0002XC']
measures: [就业扶贫, 产业扶贫]
cover:
  src: ./images/anle-cover.png
  alt: 示意插图：村口新建的加工车间
author: 纳雍县扶贫办 李某
source: 纳雍县扶贫办
synthetic: true
---

安乐村的食品加工车间九月开工。

![示意插图：车间里的流水线](./images/anle-workshop.png)

<PullQuote cite="村民 陈某">离家近，照顾老人也方便。</PullQuote>
`;

let work: string;
const stories = () => path.join(work, 'stories');
const git = (...args: string[]) => {
  const r = spawnSync('git', ['-c', 'user.name=预览测试', '-c', 'user.email=preview@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: stories(), encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
};

function preview(args: string[], storiesDir = stories()) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/preview-stories.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: FIXTURE, STORIES_DIR: storiesDir, BULLETINS_DIR: FIXTURE_BULLETINS, ASTRO_CACHE_DIR: path.join(work, 'cache'), ASTRO_TELEMETRY_DISABLED: '1', SITE_ORIGIN: '' },
    encoding: 'utf8',
  });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** Width and height of a PNG, read from its IHDR after checking the signature. */
function png(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect([...b.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(b.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-preview-test-'));
  cpSync(FIXTURE_STORIES, stories(), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', '案例');
  // the editor's new story, not yet committed
  mkdirSync(path.join(stories(), 'images'));
  cpSync(path.join(IMAGES, '2020-08-minxian-xitang-herbs.png'), path.join(stories(), 'images/anle-cover.png'));
  cpSync(path.join(IMAGES, '2020-09-napo-jinyuan-mango.png'), path.join(stories(), 'images/anle-workshop.png'));
  writeFileSync(path.join(stories(), `${SLUG}.mdx`), STORY);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run preview:stories', () => {
  it('previews the story the editor added: its page with its files, two screenshots and the summary', async () => {
    const out = path.join(work, 'preview');
    const r = preview(['--out', out]);
    expect(r.status, r.out).toBe(0);
    // only the new story: the committed ones are unchanged
    expect(readdirSync(out).sort()).toEqual([SLUG, 'summary.md']);

    const dir = path.join(out, SLUG);
    const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
    expect(html).toContain(`<h1>${TITLE}</h1>`);
    // the files it uses are beside it, addressed relatively; links to other pages stay on the site
    expect(html).not.toMatch(/(?:src|href|srcset)="\/_astro\//);
    expect(html).toContain('href="/villages/520525101001/"');
    const used = [...html.matchAll(/(?:src|href)="(_astro\/[^"]+)"|srcset="([^"]+)"/g)].flatMap((m) => (m[1] ? [m[1]] : m[2]!.split(',').map((s) => s.trim().split(/\s+/)[0]!)));
    // the site's CSS is inline in the page's head (docs/decisions/0020-css-inline.md): the preview opens styled from disk
    expect(html).toMatch(/<head>[\s\S]*<style>[\s\S]*<\/style>[\s\S]*<\/head>/);
    const images = used.filter((u) => /\.(webp|png|jpe?g|avif)$/.test(u));
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const u of used) expect(existsSync(path.join(dir, u)), u).toBe(true);

    // the screenshots: full-page PNGs exactly as wide as the viewports, at device scale factor 1
    const phone = png(path.join(dir, 'screenshot-390.png'));
    const laptop = png(path.join(dir, 'screenshot-1366.png'));
    expect(phone.width).toBe(390);
    expect(laptop.width).toBe(1366);
    expect(phone.height).toBeGreaterThan(844);
    expect(phone.height).toBeGreaterThan(laptop.height);

    const summary = readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('工作区中新增或修改（尚未提交）的案例');
    expect(summary).toContain(`| ${TITLE} |`);
    expect(summary).toContain(`\`/stories/${SLUG}/\``);
    expect(summary).toContain(`${SLUG}/screenshot-390.png`);
    expect(summary).toContain(`${SLUG}/screenshot-1366.png`);
    expect(summary).toMatch(/\| 通过 \|$/m);
    expect(summary).not.toContain('预览没有全部完成');

    // opened straight from disk, the page has its style and its images
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
      await page.waitForFunction(() => [...document.images].every((img) => img.complete));
      const state = await page.evaluate(() => ({
        sheets: document.styleSheets.length,
        // the site's stylesheet hides the skip link off screen until it has focus
        skipLink: getComputedStyle(document.querySelector('.skip-link')!).position,
        images: [...document.images].map((img) => img.naturalWidth),
      }));
      expect(state.sheets).toBeGreaterThanOrEqual(1);
      expect(state.skipLink).toBe('absolute');
      expect(state.images.length).toBeGreaterThanOrEqual(2);
      for (const w of state.images) expect(w).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  });

  it('against a base, previews the stories the branch changed, from a site already built', () => {
    git('add', '.');
    git('commit', '-q', '-m', '新案例');
    const walnut = path.join(stories(), '2020-08-qingsong-walnut.mdx');
    writeFileSync(walnut, readFileSync(walnut, 'utf8').replace('核桃是村里的主要收入来源。', '核桃是村里最主要的收入来源。'));
    git('commit', '-q', '-am', '改案例');
    const out = path.join(work, 'preview-base');
    const r = preview(['--base', 'HEAD~1', '--site', inject('siteDir'), '--out', out]);
    expect(r.status, r.out).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['2020-08-qingsong-walnut', 'summary.md']);
    expect(png(path.join(out, '2020-08-qingsong-walnut/screenshot-390.png')).width).toBe(390);
    const summary = readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('与 HEAD~1 相比新增或修改的案例');
    expect(summary).toContain('福贡县青松村：核桃初加工车间建成投产');
  });

  it('stops on a story that fails the content check, saying so in Chinese', () => {
    const dir = path.join(work, 'stories-bad');
    cpSync(FIXTURE_STORIES, dir, { recursive: true });
    const bad = path.join(dir, '2020-09-bad.mdx');
    // no summary (its images are not in this folder either: no cover, no figure)
    writeFileSync(bad, STORY.replace(/^summary: .*\n/m, '').replace(/^cover:\n(?: .*\n)+/m, '').replace(/^!\[.*\n/m, ''));
    const out = path.join(work, 'preview-bad');
    const r = preview(['--story', bad, '--out', out], dir);
    expect(r.status).toBe(1);
    expect(r.out).toContain('校验未通过');
    expect(r.out).toMatch(/2020-09-bad\.mdx.*摘要（summary）/);
    const summary = readFileSync(path.join(out, 'summary.md'), 'utf8');
    expect(summary).toContain('**内容校验未通过，未生成预览。**');
    expect(summary).toMatch(/2020-09-bad\.mdx` \| \*\*未通过\*\*（1 个问题）/);
    expect(existsSync(path.join(out, '2020-09-bad'))).toBe(false);
  });
});
