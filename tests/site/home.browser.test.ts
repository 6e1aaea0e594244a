import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, serve } from './browser.ts';

describe('home page in headless Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serve>>;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    server = await serve(inject('siteDir'));
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    const response = await page.goto(`${server.origin}/`);
    expect(response?.status()).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('renders the five measures for the latest month, readable without JavaScript', async () => {
    await expect(page.locator('h1').textContent()).resolves.toBe('帮扶项目进展');
    await expect(page.locator('li.measure h3').allTextContents()).resolves.toEqual(['产业扶贫', '消费扶贫', '就业扶贫', '技能培训', '派驻力量']);
    await expect(page.locator('.as-of').textContent()).resolves.toContain('2020年7月');
    await expect(page.locator('[data-synthetic]').isVisible()).resolves.toBe(true);
  });

  it('has no horizontal scroll at 360 px', async () => {
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBe(0);
  });

  it('makes no request to another origin and logs no errors', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((u) => !u.startsWith(server.origin))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
