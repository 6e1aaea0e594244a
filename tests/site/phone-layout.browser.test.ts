/**
 * Phones, measured in headless Chromium on the fixture build (issue 33):
 *  1. No figure is split across lines at 320, 360 and 390 px on any page type: every number
 *     in the page's text (with its unit: 「1,000.00 万元」, 「62.5%」, 「3 人」, dates' digits)
 *     and every marked figure (`.fig`) lies on one line box; the page never scrolls sideways.
 *  2. Every chart shows its newest month without a swipe: the last month's axis label is
 *     inside the viewport at 320 and 390 px (the scroll region opens at the newest end).
 *  3. /counties/ at 390 px shows each county's 资金到位比例 beside its name, on screen.
 *  4. /search/?q= does not move when its results arrive: CLS ≤ 0.02 at 390 and 1366 px.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium, serve } from './browser.ts';

/** One page of each type in the fixture build. */
const PAGE_TYPES = [
  '/',
  '/villages/533323101001/',
  '/units/91520500MA6K0002XC/',
  '/counties/533323/',
  '/counties/520525/2020-06/',
  '/provinces/',
  '/provinces/52/',
  '/counties/',
  '/units/',
  '/stories/',
  '/stories/2020-08-qingsong-walnut/',
  '/bulletins/',
  '/bulletins/2020-07/',
  '/search/?q=青松',
  '/compare/?e=v:533323101001,c:520525&m=industry',
  '/data/',
  '/sources/',
  '/corrections/',
  '/about/',
  '/404.html',
  ...(existsSync(path.join(inject('siteDir'), 'privacy/index.html')) ? ['/privacy/'] : []),
];
const WIDTHS = [320, 360, 390] as const;

/**
 * In the page, with every <details> opened: every figure's line boxes. A figure is a number standing on its own (not part of
 * a code, hash or name: no letter, digit, hyphen or dot right before it, no letter right after),
 * with its percent sign or its no-break-space unit; and every `.fig` element.
 */
const MEASURE_FIGURES = `(() => {
  // what a reader can open is measured open (charts' data tables, the agreement and plan)
  for (const d of document.querySelectorAll('details')) d.open = true;
  const FIGURE = /(?<![A-Za-z0-9_.\\-/])[-−]?\\d[\\d,]*(?:\\.\\d+)?(?:%|\\u00a0(?:万元|亿元|元|人|个|家|篇|条|项|页))?(?![A-Za-z0-9_])/g;
  const lineCount = (rects) => {
    const tops = [];
    for (const r of rects) {
      if (r.width === 0 && r.height === 0) continue;
      if (!tops.some((t) => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
    }
    return tops.length;
  };
  const split = [];
  let figures = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest('svg, script, style, noscript, template, [hidden]')) continue;
    for (const m of n.data.matchAll(FIGURE)) {
      const range = document.createRange();
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const rects = [...range.getClientRects()];
      if (rects.length === 0) continue;
      figures++;
      if (lineCount(rects) > 1) split.push(m[0] + ' 在 <' + n.parentElement.tagName.toLowerCase() + ' class="' + n.parentElement.className + '">：「' + n.data.trim().slice(0, 60) + '」');
    }
  }
  for (const el of document.querySelectorAll('.fig')) {
    const range = document.createRange();
    range.selectNodeContents(el);
    const rects = [...range.getClientRects()];
    if (rects.length === 0) continue;
    figures++;
    if (lineCount(rects) > 1) split.push(el.textContent + ' 在 .fig');
  }
  return { figures, split, sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth };
})()`;

/** In the page: each drawn chart over months, its last month label (the rightmost 「…月」 of its x axis) against the viewport. */
const NEWEST_MONTHS = `(() => [...document.querySelectorAll('.chart-svg svg')].map((svg) => {
  const months = [...svg.querySelectorAll('text')].filter((t) => /^(\\d{4}年)?\\d{1,2}月$/.test(t.textContent.trim()));
  const last = months.sort((a, b) => Number(a.getAttribute('x')) - Number(b.getAttribute('x'))).at(-1);
  if (!last) return null;
  const r = last.getBoundingClientRect();
  return { chart: svg.getAttribute('aria-label').slice(0, 40), label: last.textContent, left: r.left, right: r.right, viewport: document.documentElement.clientWidth };
}).filter(Boolean))()`;

describe('phones: whole figures, newest months on screen, counties at a glance, search without movement', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  const contexts: BrowserContext[] = [];
  const context = async (width: number, height = 800) => {
    const c = await browser.newContext({ viewport: { width, height }, isMobile: width < 500, hasTouch: width < 500 });
    contexts.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await serve(inject('siteDir'));
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await server?.close();
  });

  for (const width of WIDTHS) {
    it(`at ${width} px no figure on any page type is split across lines, and no page scrolls sideways`, async () => {
      const page = await (await context(width)).newPage();
      const problems: string[] = [];
      let total = 0;
      for (const url of PAGE_TYPES) {
        await page.goto(server.origin + encodeURI(url));
        if (url.startsWith('/search/')) await page.locator('.search-group[data-group="names"][data-state="done"]').waitFor({ state: 'attached' });
        if (url.startsWith('/compare/')) await page.locator('.compare-app[data-state="ready"] table').waitFor({ timeout: 15_000 });
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        const r = (await page.evaluate(MEASURE_FIGURES)) as { figures: number; split: string[]; sideways: number };
        total += r.figures;
        for (const s of r.split) problems.push(`${url}: ${s}`);
        if (r.sideways > 0) problems.push(`${url}: 页面横向滚动 ${r.sideways} px`);
      }
      expect(problems).toEqual([]);
      // It measured something: every page type has figures (the village page alone has dozens).
      expect(total).toBeGreaterThan(PAGE_TYPES.length * 5);
      await page.close();
    });
  }

  it('the check sees a split figure: the same figure in a box too narrow for it is caught', async () => {
    const page = await (await context(320)).newPage();
    await page.goto(server.origin + '/villages/533323101001/');
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.style.cssText = 'width: 3em; overflow-wrap: anywhere';
      p.textContent = '1,000.00\u00a0万元';
      document.querySelector('main')!.prepend(p);
      const box = document.createElement('div');
      box.style.cssText = 'width: 2em; overflow-wrap: anywhere';
      const fig = document.createElement('span');
      fig.className = 'fig';
      fig.style.whiteSpace = 'normal';
      fig.textContent = '2,000.00 万元';
      box.append(fig);
      document.querySelector('main')!.prepend(box);
    });
    const r = (await page.evaluate(MEASURE_FIGURES)) as { split: string[] };
    expect(r.split.some((s) => s.startsWith('1,000.00\u00a0万元'))).toBe(true);
    expect(r.split.some((s) => s.startsWith('2,000.00 万元'))).toBe(true);
    await page.close();
  });

  for (const width of [320, 390]) {
    it(`at ${width} px every chart shows its newest month without a swipe`, async () => {
      const page = await (await context(width)).newPage();
      let charts = 0;
      for (const url of ['/', '/villages/533323101001/', '/units/91520500MA6K0002XC/', '/counties/533323/', '/provinces/52/']) {
        await page.goto(server.origin + url);
        const found = (await page.evaluate(NEWEST_MONTHS)) as Array<{ chart: string; label: string; left: number; right: number; viewport: number }>;
        for (const c of found) {
          charts++;
          expect(c.left, `${url} ${c.chart}: ${c.label}`).toBeGreaterThanOrEqual(0);
          expect(c.right, `${url} ${c.chart}: ${c.label}`).toBeLessThanOrEqual(c.viewport);
        }
      }
      expect(charts).toBeGreaterThan(3);
      await page.close();
    });
  }

  it('/counties/ at 390 px shows each county’s 资金到位比例 beside its name, on screen without a swipe', async () => {
    const page = await (await context(390, 900)).newPage();
    await page.goto(server.origin + '/counties/');
    const header = await page.locator('.wide-table thead th').evaluateAll((ths) => ths.map((th) => th.textContent!.trim()));
    const at = header.indexOf('资金到位比例');
    expect(at).toBe(1);
    const rows = await page.locator('.wide-table tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        const name = tr.querySelector('th')!.getBoundingClientRect();
        const cell = tr.querySelectorAll('td')[0]!;
        const r = cell.getBoundingClientRect();
        return { name: tr.querySelector('th')!.textContent, ratio: cell.textContent!.trim(), sameLine: Math.abs(r.top - name.top) < 2, left: r.left, right: r.right, viewport: document.documentElement.clientWidth };
      }),
    );
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) {
      expect(r.ratio, r.name!).toMatch(/^(\d+\.\d%|无计划|未填报)/);
      expect(r.sameLine).toBe(true);
      expect(r.left).toBeGreaterThanOrEqual(0);
      expect(r.right, `${r.name} ${r.ratio}`).toBeLessThanOrEqual(r.viewport);
    }
    await page.close();
  });

  for (const [width, height] of [[390, 844], [1366, 900]] as const) {
    it(`/search/?q= at ${width} px: results arrive without moving the page (CLS ≤ 0.02)`, async () => {
      const page = await (await context(width, height)).newPage();
      await page.addInitScript(() => {
        const w = window as unknown as { __shifts: number[] };
        w.__shifts = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>) if (!e.hadRecentInput) w.__shifts.push(e.value);
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(server.origin + encodeURI('/search/?q=青松'));
      await page.locator('.search-group[data-group="names"][data-state="done"] .search-result').first().waitFor();
      // the stories and bulletins group searches when it is on screen: wait for it to settle
      await page.waitForFunction(() => ['done', 'failed', 'waiting'].includes(document.querySelector<HTMLElement>('.search-group[data-group="pages"]')!.dataset.state ?? ''));
      await page.waitForTimeout(500);
      const shifts = await page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts);
      const cls = shifts.reduce((a, b) => a + b, 0);
      expect(cls, `layout shifts: ${shifts.map((s) => s.toFixed(4)).join(', ')}`).toBeLessThanOrEqual(0.02);
      await expect(page.locator('#search-status').textContent()).resolves.toMatch(/村、单位和县 \d+ 个/);
      await page.close();
    });
  }
});
