/** Search in headless Chromium: Chinese queries find the right page first; filters narrow; nothing leaves the origin. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, serve } from './browser.ts';

describe('site search (name index and Pagefind, Chinese)', () => {
  let browser: Browser;
  let context: BrowserContext;
  let server: Awaited<ReturnType<typeof serve>>;
  const requests: string[] = [];

  beforeAll(async () => {
    server = await serve(inject('siteDir'));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 360, height: 740 } });
    context.on('request', (r) => requests.push(r.url()));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** No group of results is still loading (the stories group may wait until it is scrolled to). */
  const settled = (page: Page) => page.waitForFunction(() => [...document.querySelectorAll<HTMLElement>('.search-group')].every((g) => g.dataset.state !== 'loading'), undefined, { timeout: 15_000 });

  async function firstResult(query: string): Promise<{ page: Page; href: string | null }> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${server.origin}/search/?q=${encodeURIComponent(query)}`);
    const link = page.locator('.search-result-link').first();
    await link.waitFor({ timeout: 15_000 });
    expect(errors).toEqual([]);
    return { page, href: await link.getAttribute('href') };
  }

  for (const [what, query, expected] of [
    ['a village name', '青松村', '/villages/533323101001/'],
    ['a unit name', '示例乌蒙山食品有限公司', '/units/91520500MA6K0002XC/'],
    ['a phrase from a story', '核桃初加工车间', '/stories/2020-08-qingsong-walnut/'],
    ['a village code', '533323101001', '/villages/533323101001/'],
    ['a unit code, typed in lower case', '91520500ma6k0002xc', '/units/91520500MA6K0002XC/'],
  ] as const) {
    it(`${what} (${query}) returns its page first`, async () => {
      const { page, href } = await firstResult(query);
      expect(href).toBe(expected);
      await page.close();
    });
  }

  it('the header search box leads to the search page without JavaScript', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    const page = await noJs.newPage();
    await page.goto(`${server.origin}/villages/533323101001/`);
    await page.fill('#site-q', '青松村');
    await page.click('.site-search button');
    await page.waitForURL(/\/search\/\?q=/);
    expect(decodeURIComponent(new URL(page.url()).search)).toBe('?q=青松村');
    await expect(page.locator('h1').textContent()).resolves.toBe('搜索');
    await noJs.close();
  });

  it('the page form filters by type and keeps the choice in the address', async () => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/search/?q=${encodeURIComponent('青松村')}&${encodeURIComponent('类型')}=${encodeURIComponent('案例')}`);
    await page.locator('.search-result-link').first().waitFor({ timeout: 15_000 });
    const hrefs = await page.locator('.search-result-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThanOrEqual(1);
    for (const h of hrefs) expect(h).toMatch(/^\/stories\//);
    await expect(page.locator('select[name="类型"]').inputValue()).resolves.toBe('案例');
    // Back to all types: the village page is among the results again.
    await page.selectOption('select[name="类型"]', '');
    await page.locator('.search-result-link[href="/villages/533323101001/"]').waitFor({ timeout: 15_000 });
    expect(decodeURIComponent(new URL(page.url()).search)).toBe('?q=青松村');
    // The query is highlighted in the excerpts.
    expect(await page.locator('.search-result-excerpt mark').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('a filter narrows the results; a county name finds the county, then its villages', async () => {
    const page = await context.newPage();
    const hrefs = async (query: string, filters = '') => {
      await page.goto(`${server.origin}/search/?q=${encodeURIComponent(query)}${filters}`);
      await page.locator('.search-result-link').first().waitFor({ timeout: 15_000 });
      await settled(page);
      return page.locator('.search-result-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
    };
    const county = (await hrefs('533323')).at(0)!;
    expect(county).toMatch(/^\/counties\/533323\/$/);
    const countyName = (await page.locator('.search-result-link').first().textContent())!.replace(/（.*$/, '');
    const all = await hrefs(countyName);
    expect(all[0]).toBe('/counties/533323/');
    expect(all).toContain('/villages/533323101001/');
    const villages = await hrefs(countyName, `&${encodeURIComponent('类型')}=${encodeURIComponent('村')}`);
    expect(villages.length).toBeGreaterThanOrEqual(1);
    expect(villages.length).toBeLessThan(all.length);
    for (const h of villages) expect(h).toMatch(/^\/villages\//);
    const elsewhere = await page.evaluate(() => [...document.querySelectorAll<HTMLOptionElement>('select[name="省"] option')].map((o) => o.value).filter(Boolean));
    expect(elsewhere.length).toBeGreaterThan(1);
    await page.close();
  });

  it('Pagefind holds only the text pages (stories and bulletins); its filters say so', async () => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/search/`);
    // A string, so the test runner does not rewrite the browser's import().
    const types = await page.evaluate(`(async () => {
      const pagefind = await import('/pagefind/pagefind.js');
      return Object.keys((await pagefind.filters())['类型'] || {}).sort();
    })()`);
    expect(types).toEqual(['案例', '通报'].sort());
    await page.close();
  });

  it('Pagefind is loaded only when stories and bulletins are asked for', async () => {
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(`${server.origin}/search/?q=${encodeURIComponent('青松村')}&${encodeURIComponent('类型')}=${encodeURIComponent('村')}`);
    await page.locator('.search-result-link[href="/villages/533323101001/"]').waitFor({ timeout: 15_000 });
    await settled(page);
    await page.waitForLoadState('networkidle');
    expect(fetched.filter((u) => u.startsWith('/pagefind/'))).toEqual([]);
    expect(await page.locator('.search-group[data-group="pages"]').isHidden()).toBe(true);
    // Any type: the stories group is on screen, so it is searched, and says how many it found.
    await page.selectOption('select[name="类型"]', '');
    await page.locator('.search-group[data-group="pages"] .search-result-link').first().waitFor({ timeout: 15_000 });
    expect(fetched.some((u) => u === '/pagefind/pagefind.js')).toBe(true);
    await settled(page);
    await expect(page.locator('#search-status').textContent()).resolves.toMatch(/村、单位和县 \d+ 个；案例和通报 \d+ 篇/);
    await page.close();
  });

  it('no request left the origin', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith(server.origin))).toEqual([]);
  });
});
