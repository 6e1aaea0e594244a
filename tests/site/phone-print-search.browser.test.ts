/**
 * The shipped demo site (data/ and content/, real scale: 52 counties, up to 42 pairings in a
 * county) as a phone user, a desktop user and a printer see it, in headless Chromium:
 * - every page type at 320, 390 and 1366 px: no sideways page scroll, no table cell narrower
 *   than three characters, tap targets of the menu at least 44 px, chart text at least 12 px;
 * - the village summary (its units and the money arrived) inside the first 390×844 screen;
 * - a 42-row county-month 附件3 table printed to landscape A4 in at most two pages;
 * - the search corpus (tests/site/search-corpus.ts): what people type, and what comes first.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serve } from './browser.ts';
import { SEARCH_CORPUS } from './search-corpus.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let work: string;
let dist: string;
let browser: Browser;
let server: Awaited<ReturnType<typeof serve>>;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-phone-'));
  dist = path.join(work, 'dist');
  const env: NodeJS.ProcessEnv = { ...process.env, ASTRO_OUT_DIR: dist, ASTRO_CACHE_DIR: path.join(work, 'cache'), ASTRO_TELEMETRY_DISABLED: '1' };
  for (const k of ['DATA_DIR', 'STORIES_DIR', 'BULLETINS_DIR']) delete env[k];
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts')], { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the shipped site did not build:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  server = await serve(dist);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** One page of every type the site has. */
const PAGE_TYPES = [
  '/',
  '/provinces/',
  '/provinces/45/',
  '/provinces/sort/funds-ratio/',
  '/counties/450225/',
  '/counties/622926/2020-12/',
  '/villages/450225001200/',
  '/units/91513400X64GL9J124/',
  '/units/',
  '/stories/',
  '/stories/2020-09-rongshui-yangzhuang-cattle/',
  '/stories/measure/industry/',
  '/stories/province/45/',
  '/bulletins/',
  '/bulletins/2020-12/',
  '/bulletins/2020-09/',
  '/corrections/',
  '/data/',
  '/data/dictionary/',
  '/about/',
  '/search/',
  '/404.html',
];

/** What a reader would call broken at this width, measured in the page. */
const LAYOUT = `(() => {
  const doc = document.documentElement;
  const narrow = [];
  for (const cell of document.querySelectorAll('th, td')) {
    if (!cell.checkVisibility({ visibilityProperty: true })) continue;
    // a header row kept for screen readers but clipped out of sight (tables shown as cards)
    const head = cell.closest('thead');
    if (head && getComputedStyle(head).clipPath !== 'none') continue;
    const w = cell.getBoundingClientRect().width;
    const em = parseFloat(getComputedStyle(cell).fontSize);
    if (w + 0.5 < 3 * em) narrow.push(cell.tagName + ' "' + cell.textContent.trim().slice(0, 12) + '" ' + w.toFixed(0) + 'px < 3×' + em + 'px');
  }
  const menu = [...document.querySelectorAll('.site-nav a')].filter((a) => a.getBoundingClientRect().height < 44).map((a) => a.textContent);
  let chartText = Infinity;
  for (const svg of document.querySelectorAll('figure svg[role="img"]')) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const t of svg.querySelectorAll('text')) chartText = Math.min(chartText, parseFloat(getComputedStyle(t).fontSize) * scale);
  }
  const notice = document.querySelector('.synthetic-notice .wrap');
  const noticeLines = notice ? Math.round(notice.getBoundingClientRect().height / parseFloat(getComputedStyle(notice).lineHeight)) : 0;
  return { noticeLines, overflow: doc.scrollWidth - doc.clientWidth, narrow: narrow.slice(0, 5), narrowCount: narrow.length, menu, chartText, feedback: !!document.querySelector('.feedback'), og: !!document.querySelector('meta[property="og:title"]') };
})()`;

describe('every page type on a phone and a desktop (JavaScript off)', () => {
  for (const width of [320, 390, 1366]) {
    it(`at ${width} px: no sideways scroll, no cell under three characters, 44 px menu, chart text ≥ 12 px, feedback and sharing tags`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 844 }, javaScriptEnabled: false });
      const problems: string[] = [];
      for (const url of PAGE_TYPES) {
        const page = await context.newPage();
        const response = await page.goto(server.origin + url);
        expect(response?.status(), url).toBe(200);
        const r = (await page.evaluate(LAYOUT)) as { noticeLines: number; overflow: number; narrow: string[]; narrowCount: number; menu: string[]; chartText: number; feedback: boolean; og: boolean };
        if (r.overflow > 0) problems.push(`${url}: page scrolls sideways by ${r.overflow}px`);
        if (width < 800 && r.noticeLines !== 1) problems.push(`${url}: the demo-data notice takes ${r.noticeLines} lines on a phone`);
        if (r.narrowCount > 0) problems.push(`${url}: ${r.narrowCount} cells narrower than three characters, e.g. ${r.narrow.join('; ')}`);
        if (r.menu.length > 0) problems.push(`${url}: menu links under 44 px: ${r.menu.join('、')}`);
        if (r.chartText < 12) problems.push(`${url}: chart text ${r.chartText.toFixed(1)} px`);
        if (!r.feedback) problems.push(`${url}: no 监督与反馈 block`);
        if (!r.og) problems.push(`${url}: no Open Graph tags`);
        await page.close();
      }
      await context.close();
      expect(problems).toEqual([]);
    });
  }
});

describe('answer first', () => {
  it('the village page shows its units and the money arrived within the first 390×844 screen', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.origin}/villages/450225001200/`);
    const summary = page.locator('[data-summary]');
    await expect(summary.locator('[data-who]').textContent()).resolves.toMatch(/结对帮扶单位 \d+ 家/);
    const who = await summary.locator('.summary-units').boundingBox();
    const money = await summary.locator('[data-key="fundsDone"]').boundingBox();
    expect(who!.y + who!.height).toBeLessThanOrEqual(844);
    expect(money!.y + money!.height).toBeLessThanOrEqual(844);
    await expect(summary.locator('[data-key="fundsDone"]').textContent()).resolves.toMatch(/万元/);
    await expect(summary.locator('h2').textContent()).resolves.toMatch(/截至\d{4}年\d{1,2}月底/);
    await expect(summary.locator('[data-measure]').count()).resolves.toBe(5);
    // the menu says where the reader is; the footer says when this village's own data was last published or corrected
    await expect(page.locator('.site-nav a[aria-current]').textContent()).resolves.toBe('各省进展');
    await expect(page.locator('.data-updated').textContent()).resolves.toMatch(/^本页数据更新于 \d{4}年\d{1,2}月\d{1,2}日（数据截至 \d{4}年\d{1,2}月底）$/);
    await context.close();
  });

  it('the home page links the latest bulletin', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    await expect(page.locator('.latest-bulletin a').first().getAttribute('href')).resolves.toBe('/bulletins/2020-12/');
    await expect(page.locator('.site-nav a[aria-current="page"]').textContent()).resolves.toBe('首页');
    await context.close();
  });
});

describe('budget', () => {
  it('a village page is at most 20 KB gzip with everything it loads, and has no script', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const loaded: string[] = [];
    page.on('requestfinished', (r) => loaded.push(new URL(r.url()).pathname));
    await page.goto(`${server.origin}/villages/450225001200/`, { waitUntil: 'load' });
    await expect(page.locator('script').count()).resolves.toBe(0);
    const file = (p: string) => path.join(dist, decodeURIComponent(p), p.endsWith('/') ? 'index.html' : '');
    const total = loaded.reduce((sum, p) => sum + gzipSync(readFileSync(file(p))).length, 0);
    // the page itself is counted (its CSS is inline, decision 0020; the favicon may or may not be fetched by then)
    expect(loaded).toContain('/villages/450225001200/');
    expect(total).toBeLessThanOrEqual(20 * 1024);
    await context.close();
  });
});

describe('the county-month 附件3 table on paper and as a file', () => {
  it('prints 42 rows on at most two landscape A4 pages, with no page before the table', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/counties/622926/2020-12/`);
    await expect(page.locator('table.table3 tbody tr').count()).resolves.toBeGreaterThanOrEqual(40);
    // As a reader's browser prints it: the page's own @page rules decide size and orientation.
    const pdf = Buffer.from(await page.pdf({ preferCSSPageSize: true }));
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g) ?? [];
    // Every sheet landscape A4 (842 × 595 pt), not the portrait a later stylesheet would impose.
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(boxes.length).toBeGreaterThan(0);
    for (const [w, h] of boxes) expect(Math.round(w!) > Math.round(h!), `${w} × ${h}`).toBe(true);
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThanOrEqual(2);
    // the print rules: landscape, the table's title on top of every sheet, month and source below
    const css = await page.locator('head style').allTextContents();
    expect(css.join('')).toMatch(/@page\{size:A4 landscape;[^]*@top-left\{content:"[^"]*东乡族自治县[^"]*2020年12月[^"]*"[^]*@bottom-left\{content:"[^"]*2020年12月[^"]*来源：/);
    await page.close();
  });

  it('links the previous month (the newest has no next) and the table as CSV with its 合计', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.origin}/counties/622926/2020-12/`);
    await expect(page.locator('.month-nav a[rel="prev"]').getAttribute('href')).resolves.toBe('/counties/622926/2020-11/');
    await expect(page.locator('.month-nav a[rel="next"]').count()).resolves.toBe(0);
    await page.goto(`${server.origin}/counties/622926/2020-11/`);
    await expect(page.locator('.month-nav a[rel="next"]').getAttribute('href')).resolves.toBe('/counties/622926/2020-12/');
    const href = await page.locator('.print-actions a[download]').getAttribute('href');
    const csv = readFileSync(path.join(dist, 'counties/622926/2020-11', href!), 'utf8');
    expect(csv.startsWith('\ufeff东乡族自治县社会力量助力挂牌督战村项目结对帮扶项目进展统计表（截至2020年11月底，累计）')).toBe(true);
    const lines = csv.trim().split('\r\n');
    const rows = await page.locator('table.table3 tbody tr').count();
    expect(lines.filter((l) => /^\d+,/.test(l))).toHaveLength(rows);
    const total = lines.find((l) => l.startsWith('合计,'))!.split(',');
    const pageTotal = await page.locator('tr.total td').allTextContents();
    expect(total.slice(3)).toEqual(pageTotal.map((t) => (/^-?[\d,]+(\.\d+)?$/.test(t) ? t.replaceAll(',', '') : t)));
    await page.close();
  });
});

describe('search: the query corpus', () => {
  it(`has at least 50 realistic queries`, () => {
    expect(SEARCH_CORPUS.length).toBeGreaterThanOrEqual(50);
  });

  /** Search as a person does on the page, and read what came first in each group. */
  async function search(page: Page, q: string) {
    await page.goto(`${server.origin}/search/?q=${encodeURIComponent(q)}`);
    // names answer first; the stories group (on screen in this tall window) follows
    await page.waitForFunction(() => {
      const groups = [...document.querySelectorAll<HTMLElement>('.search-group')];
      return groups.every((g) => g.dataset.state === 'done' || g.dataset.state === 'off' || g.dataset.state === 'failed');
    }, undefined, { timeout: 20_000 });
    return page.evaluate(() => {
      const first = (g: string) => document.querySelector(`.search-group[data-group="${g}"] .search-result-link`)?.getAttribute('href') ?? null;
      return { names: first('names'), pages: first('pages'), status: document.getElementById('search-status')!.textContent ?? '', failed: [...document.querySelectorAll<HTMLElement>('.search-group')].some((g) => g.dataset.state === 'failed') };
    });
  }

  it('every query in the corpus returns its expected first result (and nothing unrelated)', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 3000 } });
    const page = await context.newPage();
    const wrong: string[] = [];
    for (const c of SEARCH_CORPUS) {
      const r = await search(page, c.q);
      if (r.failed) wrong.push(`${c.q}: a group failed`);
      const got = c.group === 'names' ? r.names : (r.names ?? r.pages);
      const shown = c.group === 'pages' ? r.pages : got;
      if (c.first === null) {
        if (r.names !== null || r.pages !== null) wrong.push(`${c.q} (${c.why}): expected nothing, got ${r.names ?? r.pages}`);
      } else if (shown !== c.first) wrong.push(`${c.q} (${c.why}): expected ${c.first}, got ${shown}`);
    }
    await context.close();
    expect(wrong).toEqual([]);
  });

  it('a one-character query says why villages, units and counties cannot be found by it', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 3000 } });
    const r = await search(page, '羊');
    expect(r.status).toContain('只有一个字');
    await page.close();
  });

  it('story excerpts are whole sentences, not the page title again', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 3000 } });
    await search(page, '肉牛养殖');
    const results = await page.locator('.search-group[data-group="pages"] .search-result').evaluateAll((lis) =>
      lis.map((li) => ({ title: li.querySelector('.search-result-link')!.textContent ?? '', excerpt: li.querySelector('.search-result-excerpt')!.textContent ?? '' })),
    );
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.excerpt).toContain('肉牛');
      expect(r.excerpt).not.toBe(r.title);
      // starts at a sentence (or says it was cut), never mid-clause
      expect(r.excerpt).not.toMatch(/^[，、：；。,.]/);
      expect(r.excerpt.length).toBeLessThanOrEqual(95);
    }
    // the story's own excerpt is a sentence from its text
    const story = results.find((r) => r.title.startsWith('融水县羊庄村'))!;
    expect(story.excerpt).toMatch(/[。！？；]$|……$/);
    await page.close();
  });
});
