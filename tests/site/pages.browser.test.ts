import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium, serve } from './browser.ts';

const PAGES = ['/villages/533323101001/', '/counties/520525/2020-06/', '/counties/533323/', '/units/91520500MA6K0002XC/', '/provinces/52/', '/provinces/sort/funds-ratio/', '/about/'];

describe('pages in headless Chromium at 360 px, JavaScript off', () => {
  let browser: Browser;
  let context: BrowserContext;
  let server: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    server = await serve(inject('siteDir'));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const url of PAGES) {
    it(`${url}: renders, no horizontal scroll, no console errors, no request to another origin`, async () => {
      const page = await context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(String(e)));
      const response = await page.goto(server.origin + url);
      expect(response?.status()).toBe(200);
      await expect(page.locator('h1').count()).resolves.toBe(1);
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBe(0);
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith(server.origin))).toEqual([]);
      await page.close();
    });
  }

  it('a village page shows its charts as SVG and their data tables on request', async () => {
    const page = await context.newPage();
    await page.goto(server.origin + '/villages/533323101001/');
    const charts = page.locator('figure svg[role="img"]');
    expect(await charts.count()).toBeGreaterThanOrEqual(2);
    const box = await charts.first().boundingBox();
    expect(box!.width).toBeGreaterThan(200);
    // the chart keeps its text at 12 px or more: narrower screens scroll it inside its own region
    const region = await page.locator('figure .chart-svg').first().boundingBox();
    expect(region!.width).toBeLessThanOrEqual(360);
    const smallest = await page.evaluate(() =>
      Math.min(
        ...[...document.querySelectorAll('figure svg[role="img"]')].flatMap((svg) => {
          const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
          return [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
        }),
      ),
    );
    expect(smallest).toBeGreaterThanOrEqual(12);
    const details = page.locator('figure details').first();
    await details.locator('summary').click();
    await expect(details.locator('table tbody tr').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('table caption').first().textContent()).resolves.toContain('2020年7月');
    await page.close();
  });

  it('the county table renders the 附件3 layout with its 合计 row and prints landscape', async () => {
    const page = await context.newPage();
    await page.goto(server.origin + '/counties/520525/2020-06/');
    await expect(page.locator('table.table3 thead tr').count()).resolves.toBe(2);
    await expect(page.locator('table.table3 thead th[colspan]').allTextContents()).resolves.toEqual(['加大资金投入，促进产业扶贫', '消费扶贫', '就业扶贫', '技能培训', '派驻力量']);
    await expect(page.locator('table.table3 tbody tr').count()).resolves.toBe(3);
    await expect(page.locator('tr.total th').textContent()).resolves.toBe('合计');
    const pdf = await page.pdf({ format: 'A4', landscape: true, preferCSSPageSize: true });
    expect(pdf.byteLength).toBeGreaterThan(1000);
    await page.close();
  });
});
