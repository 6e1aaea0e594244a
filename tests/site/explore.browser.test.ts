/**
 * The explore pages in headless Chromium: /counties/ and the /units/ directory at 390 and
 * 1366 px (axe, a labelled scroll region with a sticky first column, no sideways page
 * scroll, sorting without and with JavaScript), and /compare/ used by keyboard alone (two
 * villages and a county), its URL round trip, its CSV against its table, its HTML legend,
 * axe, not one request to another origin, its picker asking for its options' record files at
 * once (issue 19), and (issue 33) the picker, table and URL working with the chart's chunk
 * blocked, a chart box that does not move (layout shifts measured in the page), the ratio
 * drawn by default with partial months as hollow points and their note, SVG and PNG
 * downloads that carry title, units, source and month, and at most 100 KB gzip of script
 * before the picker answers a keystroke.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { launchChromium, serve } from './browser.ts';
import { measureCompare } from '../../scripts/compare-weight.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_RUN = `axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'], resultTypes: ['violations'] }).then((r) =>
  r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')))`;
const WIDTHS = [390, 1366] as const;

describe('explore pages: /counties/, /units/, /compare/', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  const requests: string[] = [];
  const contexts: BrowserContext[] = [];
  const context = async (options: Parameters<Browser['newContext']>[0]) => {
    const c = await browser.newContext(options);
    c.on('request', (r) => requests.push(r.url()));
    contexts.push(c);
    return c;
  };
  const open = async (c: BrowserContext, url: string) => {
    const page = await c.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const response = await page.goto(server.origin + url);
    expect(response?.status(), url).toBe(200);
    return { page, errors };
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
    for (const url of ['/counties/', '/units/', '/units/list/52/all/all/arrived/', '/compare/?e=v:533323101001,c:520525&m=industry']) {
      it(`axe at ${width} px: ${url} has no serious or critical violation`, async () => {
        const c = await context({ viewport: { width, height: 900 }, bypassCSP: true });
        const { page, errors } = await open(c, url);
        if (url.startsWith('/compare/')) await page.locator('.compare-app[data-state="ready"] table').waitFor({ timeout: 15_000 });
        await page.addScriptTag({ content: AXE_SOURCE });
        expect(await page.evaluate(AXE_RUN)).toEqual([]);
        expect(errors).toEqual([]);
        await page.close();
      });
    }

    for (const url of ['/counties/', '/units/']) {
      it(`${url} at ${width} px without JavaScript: a labelled scroll region, sticky first column, no sideways page scroll`, async () => {
        const c = await context({ viewport: { width, height: 900 }, javaScriptEnabled: false });
        const { page } = await open(c, url);
        const region = page.locator('.wide-table .table-scroll');
        await expect(page.getByRole('region', { name: /排列/ }).evaluate((el) => el.classList.contains('table-scroll'))).resolves.toBe(true);
        const labelledBy = await region.getAttribute('aria-labelledby');
        await expect(page.locator(`#${labelledBy}`).textContent()).resolves.toMatch(/排列/);
        await expect(region.getAttribute('tabindex')).resolves.toBe('0');
        const layout = (await page.evaluate(`(() => {
          const box = document.querySelector('.wide-table .table-scroll');
          const first = document.querySelector('.wide-table tbody th');
          const cue = document.querySelector('.wide-table .scroll-cue');
          return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            scrolls: box.scrollWidth > box.clientWidth, sticky: getComputedStyle(first).position,
            cue: cue.getBoundingClientRect().height > 0 };
        })()`)) as { page: number; scrolls: boolean; sticky: string; cue: boolean };
        expect(layout.page, 'the page itself scrolls sideways').toBeLessThanOrEqual(0);
        expect(layout.sticky).toBe('sticky');
        // On a phone the table is wider than the screen: it scrolls in its region, and says so.
        if (width === 390) expect(layout).toMatchObject({ scrolls: true, cue: true });
        else expect(layout.cue).toBe(false);
        // The first column stays in view when the region is scrolled.
        await region.evaluate((el) => (el.scrollLeft = el.scrollWidth));
        const x = await page.locator('.wide-table tbody th').first().evaluate((el) => el.getBoundingClientRect().left - el.closest('.table-scroll')!.getBoundingClientRect().left);
        expect(Math.abs(x)).toBeLessThan(2);
        await page.close();
      });
    }
  }

  it('/counties/ sorts without JavaScript (pre-sorted pages) and in place with it', async () => {
    const rows = (p: Page) => p.locator('.wide-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-code')));
    const noJs = await context({ viewport: { width: 390, height: 900 }, javaScriptEnabled: false });
    const { page } = await open(noJs, '/counties/');
    const byCode = await rows(page);
    expect(byCode).toEqual([...byCode].sort());
    await page.getByRole('link', { name: '按村数' }).click();
    await page.waitForURL(/\/counties\/sort\/villages\/$/);
    const villages = await page.locator('.wide-table tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-k-villages'))));
    expect(villages).toEqual([...villages].sort((a, b) => b - a));
    await expect(page.locator('.wide-table th[aria-sort="descending"]').textContent()).resolves.toBe('村');

    const js = await context({ viewport: { width: 1366, height: 900 } });
    const live = await open(js, '/counties/');
    await live.page.getByRole('button', { name: '村' }).click();
    expect(await rows(live.page)).toEqual(await rows(page));
    await expect(live.page.locator('th[aria-sort]').getAttribute('data-sort-key')).resolves.toBe('villages');
    await expect(live.page.locator('[data-sort-label]').textContent()).resolves.toBe('按“村数”从大到小排列');
    await live.page.getByRole('button', { name: '村' }).click();
    expect(await rows(live.page)).toEqual((await rows(page)).reverse());
    expect(live.errors).toEqual([]);
  });

  it('/units/ without JavaScript: a province filter and a sort are links to pre-built pages', async () => {
    const noJs = await context({ viewport: { width: 390, height: 900 }, javaScriptEnabled: false });
    const { page } = await open(noJs, '/units/');
    const promised = await page.locator('.wide-table tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-k-promised'))));
    expect(promised).toEqual([...promised].sort((a, b) => b - a));
    await page.getByRole('link', { name: '云南省' }).click();
    await page.waitForURL(/\/units\/list\/53\/all\/all\/promised\/$/);
    const provinces = await page.locator('.wide-table tbody tr td:nth-of-type(2)').allTextContents();
    expect(provinces.length).toBeGreaterThan(0);
    for (const p of provinces) expect(p).toContain('云南省');
    await page.getByRole('link', { name: '按资金已到位' }).click();
    await page.waitForURL(/\/units\/list\/53\/all\/all\/arrived\/$/);
    const arrived = await page.locator('.wide-table tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-k-arrived'))));
    expect(arrived).toEqual([...arrived].sort((a, b) => b - a));
  });

  it('a unit page shows promised (附件1) against arrived at the top', async () => {
    const noJs = await context({ viewport: { width: 390, height: 900 }, javaScriptEnabled: false });
    const { page } = await open(noJs, '/units/91520500MA6K0002XC/');
    // The page's summary (the same answer-first block as villages and counties).
    const promise = page.locator('[data-summary]');
    await expect(promise.locator('[data-money]').textContent()).resolves.toMatch(/承诺投入\s*[\d,.]+\s*万元[\s\S]*已到位\s*[\d,.]+\s*万元/);
    await expect(promise.locator('h2').textContent()).resolves.toContain('截至2020年7月底');
    // Above the list of villages.
    const [top, table] = await Promise.all([promise.boundingBox(), page.locator('main table').first().boundingBox()]);
    expect(top!.y).toBeLessThan(table!.y);
  });

  it('/compare/ without JavaScript explains itself and links the tables', async () => {
    const noJs = await context({ viewport: { width: 390, height: 900 }, javaScriptEnabled: false });
    const { page } = await open(noJs, '/compare/');
    await expect(page.locator('main').textContent()).resolves.toContain('对比工具需要浏览器启用 JavaScript');
    for (const href of ['/counties/', '/provinces/', '/units/']) await expect(page.locator(`main noscript, main`).locator(`a[href="${href}"]`).count()).resolves.toBeGreaterThan(0);
  });

  it('/compare/ loads at most 100 KB gzip of script before its picker answers a keystroke (scripts/compare-weight.ts)', async () => {
    const w = await measureCompare(inject('siteDir'), '?e=v:533323101001,v:533323101002,c:520525&m=industry', '纳雍');
    // The chart was drawn from the three entities' series, all requested before it.
    expect(w.chart.items.filter((i) => i.url.endsWith('/series.json')).length).toBe(3);
    // The picker's answer needed the name index.
    expect(w.keystroke.items.some((i) => i.url.includes('/search-index/'))).toBe(true);
    const list = w.keystroke.items.map((i) => `${(i.bytes / 1024).toFixed(1)} KB ${i.url}`).join('\n');
    expect(w.keystroke.script, list).toBeGreaterThan(0);
    expect(w.keystroke.script, list).toBeLessThanOrEqual(100 * 1024);
    // No chart library: what draws the chart is a few KB.
    const writer = w.chart.items.find((i) => /compare-svg[^/]*\.js$/.test(i.url));
    expect(writer?.bytes ?? Infinity).toBeLessThan(8 * 1024);
  });

  it('/compare/ with the chart chunk blocked: the picker, the table and the URL work; the box says why there is no chart', async () => {
    const c = await context({ viewport: { width: 390, height: 900 } });
    const chunks = readdirSync(path.join(inject('siteDir'), '_astro')).filter((f) => f.startsWith('compare-svg'));
    expect(chunks.length).toBe(1);
    const blocked: string[] = [];
    await c.route('**/_astro/compare-svg*.js', (route) => {
      blocked.push(route.request().url());
      return route.abort();
    });
    const page = await c.newPage();
    await page.goto(`${server.origin}/compare/?e=v:533323101001&m=industry`);
    const box = page.getByRole('combobox', { name: '输入村、单位、县或省的名称或代码' });
    await box.waitFor({ timeout: 15_000 });
    await box.pressSequentially('纳雍县');
    await page.locator('[role="option"]').filter({ hasText: '县：纳雍县' }).first().waitFor({ timeout: 15_000 });
    await page.locator('[role="option"]').filter({ hasText: '县：纳雍县' }).first().click();
    await expect.poll(() => new URL(page.url()).search).toBe('?e=v:533323101001,c:520525&m=industry');
    await page.locator('.compare-app[data-state="ready"] .compare-table').waitFor({ timeout: 15_000 });
    const names = await page.locator('.compare-table tbody th').allTextContents();
    expect(new Set(names)).toEqual(new Set(['青松村', '纳雍县']));
    expect(blocked.length).toBeGreaterThan(0);
    await expect(page.locator('.compare-chart').getAttribute('data-chart')).resolves.toBe('failed');
    await expect(page.locator('.compare-chart').textContent()).resolves.toContain('图表未能载入；数据见下表');
    expect(await page.locator('.compare-chart svg').count()).toBe(0);
  });

  it('/compare/: no <style> in <body>, the menu marks no section, and nothing moves while it loads (CLS ≤ 0.02)', async () => {
    const html = readFileSync(path.join(inject('siteDir'), 'compare/index.html'), 'utf8');
    expect(html.slice(html.indexOf('<body'))).not.toMatch(/<style[\s>]/);
    for (const width of [320, 390, 1366]) {
      const c = await context({ viewport: { width, height: 844 } });
      await c.addInitScript(() => {
        const w = window as unknown as { shifts: Array<{ value: number; sources: string[] }> };
        w.shifts = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as unknown as Array<{ value: number; hadRecentInput: boolean; sources: Array<{ node?: Node }> }>) {
            if (!e.hadRecentInput) w.shifts.push({ value: e.value, sources: e.sources.map((x) => (x.node instanceof Element ? `${x.node.tagName}.${x.node.className}` : String(x.node?.nodeName))) });
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      const { page, errors } = await open(c, '/compare/?e=v:533323101001,c:520525,p:53&m=consumption');
      await page.locator('.compare-chart[data-chart="drawn"]').waitFor({ timeout: 15_000 });
      const before = await page.locator('.compare-chart').boundingBox();
      await page.locator('.compare-app[data-state="ready"] .compare-table').waitFor();
      await page.waitForTimeout(500);
      const shifts = (await page.evaluate('window.shifts')) as Array<{ value: number; sources: string[] }>;
      const cls = shifts.reduce((t, x) => t + x.value, 0);
      expect(cls, `${width} px: ${JSON.stringify(shifts)}`).toBeLessThanOrEqual(0.02);
      expect(await page.locator('.compare-chart').boundingBox()).toEqual(before);
      expect(await page.locator('.site-nav [aria-current]').count()).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('/compare/ draws the completion ratio by default, partial months as hollow points with their note; amounts as small multiples', async () => {
    const c = await context({ viewport: { width: 390, height: 900 } });
    const { page, errors } = await open(c, '/compare/?e=v:533323101001,c:520525,p:53&m=consumption');
    await page.locator('.compare-chart[data-chart="drawn"]').waitFor({ timeout: 15_000 });
    await expect(page.locator('.compare-app h2').textContent()).resolves.toContain('完成比例');
    await expect(page.getByRole('combobox', { name: '图表' }).inputValue()).resolves.toBe('ratio');
    await expect(page.locator('.compare-chart').getAttribute('data-view')).resolves.toBe('ratio');
    const svg = page.locator('.compare-panel svg');
    expect(await svg.count()).toBe(1);
    await expect(svg.locator('text').allTextContents()).resolves.toEqual(expect.arrayContaining(['单位：%', '100%']));
    // Every drawn line is a ratio line, one per entity.
    const roles = await svg.locator('path[data-role]').evaluateAll((ps) => [...new Set(ps.map((p) => `${p.getAttribute('data-entity')}:${p.getAttribute('data-role')}`))]);
    expect(roles.sort()).toEqual(['0:ratio', '1:ratio', '2:ratio']);
    // The fixture's 云南省 has a partial month of 消费扶贫 (a pairing left it blank): drawn hollow with the note.
    const hollow = svg.locator('path[data-partial]');
    expect(await hollow.count()).toBeGreaterThan(0);
    const first = hollow.first();
    await expect(first.getAttribute('fill')).resolves.toBe('#ffffff');
    await expect(first.getAttribute('data-partial')).resolves.toMatch(/^部分合计：\d+\s个结对未(填报|上报)/);
    await expect(first.locator('title').textContent()).resolves.toContain('部分合计：');
    // …said beside the chart too, and by the tooltip for that month.
    await expect(page.locator('.compare-partials summary').textContent()).resolves.toContain('空心点为部分合计');
    const month = await first.getAttribute('data-month');
    const months = await page.locator('.compare-table tbody tr').evaluateAll((trs) => [...new Set(trs.map((tr) => tr.children[3]!.textContent))]);
    expect(months.length).toBeGreaterThan(0);
    await page.locator('.compare-chart').scrollIntoViewIfNeeded();
    const [x, y] = (await first.evaluate((el) => { const r = el.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })) as [number, number];
    await page.mouse.move(x, y);
    const tip = page.locator('.compare-tip');
    await tip.waitFor();
    await expect(tip.textContent()).resolves.toMatch(new RegExp(`${Number(month!.slice(0, 4))}年${Number(month!.slice(5))}月[\\s\\S]*部分合计：`));
    // Amounts on request: one small plot per entity, each with its unit.
    await page.getByRole('combobox', { name: '图表' }).selectOption('amount');
    await expect.poll(() => new URL(page.url()).searchParams.get('v')).toBe('amount');
    await expect.poll(() => page.locator('.compare-panel svg').count()).toBe(3);
    for (const t of await page.locator('.compare-panel svg').evaluateAll((els) => els.map((e) => e.textContent ?? ''))) expect(t).toContain('单位：万元');
    expect(errors).toEqual([]);
  });

  it('/compare/ downloads the chart as SVG and PNG with its title, units, source and month', async () => {
    const c = await context({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const { page, errors } = await open(c, '/compare/?e=v:533323101001,c:520525,p:53&m=consumption');
    await page.locator('.compare-chart[data-chart="drawn"]').waitFor({ timeout: 15_000 });
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载图表（SVG）' }).click()]);
    expect(svgDownload.suggestedFilename()).toMatch(/\.svg$/);
    const svg = readFileSync((await svgDownload.path())!, 'utf8');
    const title = await page.locator('.compare-app h2').textContent();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    for (const text of [title!, '单位：%', '来源：', 'series.json', '数据截至：2020年', '部分合计：', '青松村', '纳雍县']) expect(svg, text).toContain(text);
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载图表（PNG）' }).click()]);
    expect(pngDownload.suggestedFilename()).toMatch(/\.png$/);
    const png = readFileSync((await pngDownload.path())!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: twice the SVG's size.
    const [w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)!.slice(1).map(Number);
    expect(png.readUInt32BE(16)).toBe(w! * 2);
    expect(png.readUInt32BE(20)).toBe(h! * 2);
    expect(png.length).toBeGreaterThan(20_000);
    expect(errors).toEqual([]);
  });

  it('/compare/ asks for all the record files of its options at once, not one after another', async () => {
    // The fixture's records all fit in one record file, so the page is shown the index with one
    // record per file (meta.json's chunk set to 1, each r/<id>.json cut from the real files).
    // Each record file's answer is held until no other has been asked for in 400 ms: asked for
    // one after another, they come in several batches; asked for at once, in one.
    const c = await context({ viewport: { width: 390, height: 900 } });
    const indexDir = path.join(inject('siteDir'), 'search-index');
    const readJson = (...parts: string[]) => JSON.parse(readFileSync(path.join(indexDir, ...parts), 'utf8')) as unknown;
    const meta = readJson('meta.json') as { dir: string; chunk: number };
    const record = (id: number) => (readJson(meta.dir, 'r', `${Math.floor(id / meta.chunk)}.json`) as unknown[])[id % meta.chunk];
    await c.route('**/search-index/meta.json', (route) => route.fulfill({ json: { ...meta, chunk: 1 } }));
    const held: Array<{ route: Route; id: number }> = [];
    const batches: number[][] = [];
    let quiet: ReturnType<typeof setTimeout> | undefined;
    await c.route('**/search-index/*/r/*.json', (route) => {
      held.push({ route, id: Number(/(\d+)\.json$/.exec(route.request().url())![1]) });
      clearTimeout(quiet);
      quiet = setTimeout(() => {
        const batch = held.splice(0);
        batches.push(batch.map((r) => r.id));
        for (const r of batch) void r.route.fulfill({ json: [record(r.id)] });
      }, 400);
    });
    const { page, errors } = await open(c, '/compare/');
    const box = page.getByRole('combobox', { name: '输入村、单位、县或省的名称或代码' });
    await box.waitFor({ timeout: 15_000 });
    await box.fill('纳雍县');
    await page.locator('[role="option"]').first().waitFor({ timeout: 15_000 });
    const shown = await page.locator('[role="option"]').allTextContents();
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.some((o) => o.startsWith('县：纳雍县')), shown.join(' | ')).toBe(true);
    expect(batches, 'record files asked for one batch after another').toHaveLength(1);
    expect(batches[0]!.length).toBe(shown.length);
    expect(errors).toEqual([]);
  });

  describe('/compare/ by keyboard alone', () => {
    let page: Page;
    let errors: string[];
    const nameBox = () => page.getByRole('combobox', { name: '输入村、单位、县或省的名称或代码' });
    const tableRows = () => page.locator('.compare-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));

    beforeAll(async () => {
      const c = await context({ viewport: { width: 390, height: 900 }, acceptDownloads: true, reducedMotion: 'reduce' });
      ({ page, errors } = await open(c, '/compare/'));
      await nameBox().waitFor({ timeout: 15_000 });
    });

    async function addByTyping(text: string, expected: string) {
      await page.keyboard.type(text);
      const option = page.locator('[role="option"][aria-selected="true"]');
      await option.waitFor({ timeout: 15_000 });
      await expect(option.textContent()).resolves.toContain(expected);
      await page.keyboard.press('Enter');
      await page.locator('.compare-chosen li').filter({ hasText: expected }).waitFor();
    }

    it('Tab reaches the name box; two villages and a county are added with the keyboard', async () => {
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(`document.activeElement.getAttribute('role') === 'combobox'`)) break;
      }
      await expect(page.evaluate(`document.activeElement.getAttribute('role')`)).resolves.toBe('combobox');
      await addByTyping('青松村', '村：青松村');
      await addByTyping('白河村', '村：白河村');
      // The county: typed, then the arrow keys move to it among the matches.
      await page.keyboard.type('纳雍县');
      await page.locator('[role="option"]').first().waitFor();
      const options = await page.locator('[role="option"]').allTextContents();
      const at = options.findIndex((o) => o.startsWith('县：纳雍县'));
      expect(at).toBeGreaterThanOrEqual(0);
      for (let i = 0; i < at; i++) await page.keyboard.press('ArrowDown');
      await expect(page.locator('[role="option"][aria-selected="true"]').textContent()).resolves.toContain('县：纳雍县');
      await expect(nameBox().getAttribute('aria-activedescendant')).resolves.toBe(await page.locator('[role="option"][aria-selected="true"]').getAttribute('id'));
      await page.keyboard.press('Enter');
      await page.locator('.compare-app[data-state="ready"]').waitFor();
      await page.locator('.compare-chart svg path').first().waitFor({ state: 'attached' });
      expect(await page.locator('.compare-chosen li a').allTextContents()).toEqual(['村：青松村', '村：白河村', '县：纳雍县']);
      const rows = await tableRows();
      expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['青松村', '白河村', '纳雍县']));
      expect(new URL(page.url()).search).toBe('?e=v:533323101001,v:533323101002,c:520525&m=industry');
    });

    it('the measure is chosen by keyboard and goes into the URL; the table follows', async () => {
      const select = page.getByRole('combobox', { name: '举措' });
      await select.focus();
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => new URL(page.url()).searchParams.get('m')).toBe('consumption');
      await expect(page.locator('.compare-table thead').textContent()).resolves.toContain('计划销售');
    });

    it('the figures are the pages’ own: 纳雍县 July funds equal its county page', async () => {
      await page.getByRole('combobox', { name: '举措' }).selectOption('industry');
      await expect.poll(() => new URL(page.url()).searchParams.get('m')).toBe('industry');
      const july = (await tableRows()).find((r) => r[0] === '纳雍县' && r[3] === '2020年7月')!;
      const county = readFileSync(`${inject('siteDir')}/counties/520525/index.html`, 'utf8');
      const funds = /data-key="fundsDone" data-raw="(\d+)"/.exec(county)?.[1];
      expect(funds).toBeDefined();
      expect(Number(july[6]!.replace(/,/g, '')) * 10000).toBe(Number(funds));
    });

    it('the link round-trips: opened afresh it shows the same selection and table', async () => {
      const before = await tableRows();
      const c = await context({ viewport: { width: 1366, height: 900 } });
      const again = await open(c, new URL(page.url()).pathname + new URL(page.url()).search);
      await again.page.locator('.compare-app[data-state="ready"] .compare-table').waitFor({ timeout: 15_000 });
      const after = await again.page.locator('.compare-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
      expect(after).toEqual(before);
      await again.page.locator('.compare-chart svg path').first().waitFor({ state: 'attached' });
      expect(again.errors).toEqual([]);
    });

    it('the legend is buttons: by keyboard an entity is hidden from the chart (not the table) and shown again', async () => {
      const legend = page.getByRole('list', { name: /图例/ });
      expect(await legend.getByRole('button').allTextContents()).toEqual(['青松村', '白河村', '纳雍县']);
      // 白河村 is the second entity: its line is drawn in the second colour.
      const drawn = () => page.locator('.compare-chart svg path[data-entity="1"][stroke="#b3261e"]').count();
      expect(await drawn()).toBeGreaterThan(0);
      const rows = (await tableRows()).length;
      const button = legend.getByRole('button', { name: '白河村' });
      await expect(button.getAttribute('aria-pressed')).resolves.toBe('true');
      await button.focus();
      await page.keyboard.press('Space');
      await expect(button.getAttribute('aria-pressed')).resolves.toBe('false');
      await expect.poll(drawn).toBe(0);
      expect(await page.locator('.compare-chart svg path[data-entity="0"][stroke="#0b57d0"]').count()).toBeGreaterThan(0);
      expect((await tableRows()).length).toBe(rows);
      await page.keyboard.press('Enter');
      await expect(button.getAttribute('aria-pressed')).resolves.toBe('true');
      await expect.poll(drawn).toBeGreaterThan(0);
    });

    it('the tooltip names each line and its value, within the Content Security Policy', async () => {
      const chart = page.locator('.compare-chart');
      await chart.scrollIntoViewIfNeeded();
      const box = (await chart.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const tip = chart.locator('.compare-tip', { hasText: '纳雍县 · 完成比例' });
      await tip.waitFor();
      const text = (await tip.textContent())!;
      for (const name of ['青松村 · ', '白河村 · ', '纳雍县 · ']) expect(text).toContain(name);
      expect(text).toMatch(/%|未上报|无计划/);
      // The page runs under its CSP here: an inline style attribute would be a console error.
      expect(errors).toEqual([]);
      // Leaving the chart hides it.
      await page.mouse.move(0, 0);
      await expect.poll(() => chart.locator('.compare-tip').isVisible()).toBe(false);
    });

    it('the CSV download (by keyboard) holds exactly the table', async () => {
      const button = page.getByRole('button', { name: '下载表格（CSV）' });
      await button.focus();
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      const text = readFileSync((await download.path())!, 'utf8');
      expect(text.startsWith('\ufeff')).toBe(true);
      const csv = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data;
      const head = await page.locator('.compare-table thead th').allTextContents();
      expect(csv).toEqual([head, ...(await tableRows())]);
    });

    it('an entity is removed by keyboard; nothing was requested from another origin; no errors', async () => {
      await page.getByRole('button', { name: '移除 白河村' }).focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => new URL(page.url()).search).toBe('?e=v:533323101001,c:520525&m=industry');
      await expect(page.evaluate(`document.activeElement.getAttribute('role')`)).resolves.toBe('combobox');
      const others = requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== server.origin);
      expect(others).toEqual([]);
      expect(errors).toEqual([]);
    });
  });
});
