/**
 * Accessibility gate in headless Chromium against the built fixture site:
 *  1. axe-core (WCAG 2.0/2.1 A+AA and best practice) on every page type; any serious or critical
 *     violation fails. Every page except search must need no JavaScript: it has no <script>.
 *  2. Keyboard: skip link first and visible, Enter lands in #main, visible focus, no trap, and
 *     every visible interactive element is reachable with Tab.
 *  3. Text scaling (适老化): root font size doubled at 360 px; sizes scale, nothing scrolls sideways.
 *  4. The gate fails when it should: a known-bad page trips image-alt, label, color-contrast, button-name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, serve } from './browser.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BAD_FIXTURE = path.resolve(import.meta.dirname, '../fixtures/a11y-bad');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
const FAILING_IMPACTS = new Set(['serious', 'critical']);

const SEARCH = '/search/?q=青松村';
/** Every page type; all must exist in the build. */
const CORE_PAGES = [
  '/',
  '/provinces/',
  '/provinces/52/',
  '/counties/520525/',
  '/counties/520525/2020-06/',
  '/villages/533323101001/',
  '/units/91520500MA6K0002XC/',
  '/stories/',
  '/stories/2020-08-qingsong-walnut/',
  '/bulletins/',
  '/bulletins/2020-07/',
  SEARCH,
  '/corrections/',
  '/sources/',
  '/about/',
];
/** Checked when the build has them (the open-data pages are being added). */
const OPTIONAL_PAGES = ['/data/', '/data/dictionary/'];

const siteDir = inject('siteDir');
const fileFor = (url: string) => path.join(siteDir, new URL(url, 'http://x').pathname, 'index.html');
const PAGES = [...CORE_PAGES, ...OPTIONAL_PAGES.filter((u) => existsSync(fileFor(u)))];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
  targets: string[];
  html: string[];
}

// In-page code is passed as strings, so the test runner's transforms never touch it.
const AXE_RUN = `axe.run(document, { runOnly: ${JSON.stringify(TAGS)}, resultTypes: ['violations'] }).then((r) =>
  r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    html: v.nodes.slice(0, 2).map((n) => n.html.slice(0, 200)) })))`;

/** axe over the loaded page: all violations, whatever their impact. */
async function runAxe(page: Page): Promise<Violation[]> {
  // Contrast is measured on rendered text: wait until the fonts are in (on a busy machine they are not, at load).
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.addScriptTag({ content: AXE_SOURCE });
  return (await page.evaluate(AXE_RUN)) as Violation[];
}
const failing = (vs: Violation[]) => vs.filter((v) => FAILING_IMPACTS.has(v.impact ?? ''));
const format = (v: Violation) => `${v.id} [${v.impact}] ${v.help} — ${v.nodes} 处，如 ${v.targets.slice(0, 3).join(' | ')}`;

/** The focused element, described; marks it so a full Tab walk can count distinct elements. */
const ACTIVE = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const n = document.querySelectorAll('[data-a11y-tab]').length;
  const seen = el.hasAttribute('data-a11y-tab');
  if (!seen) el.setAttribute('data-a11y-tab', String(n));
  const cs = getComputedStyle(el);
  const label = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || '').trim().slice(0, 30);
  return { index: seen ? Number(el.getAttribute('data-a11y-tab')) : n, seen, tag: el.tagName.toLowerCase(), label,
    inMain: !!el.closest('#main'), outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth, boxShadow: cs.boxShadow };
})()`;
type Active = { index: number; seen: boolean; tag: string; label: string; inMain: boolean; outlineStyle: string; outlineWidth: string; boxShadow: string } | null;
/** Fallback focus indicator: a box-shadow that appears only while focused. */
const SHADOW_CHANGES = `(() => {
  const el = document.activeElement; const focused = getComputedStyle(el).boxShadow;
  el.blur(); const blurred = getComputedStyle(el).boxShadow; el.focus();
  return focused !== 'none' && focused !== blurred;
})()`;
const INTERACTIVE = 'a[href], button, input, summary, select, textarea, [tabindex]:not([tabindex="-1"])';
const REACHABILITY = `(() => {
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.getAttribute('href') ? '[href="' + el.getAttribute('href') + '"]' : '') + ' ' + (el.textContent || '').trim().slice(0, 20);
  const visible = [...document.querySelectorAll(${JSON.stringify(INTERACTIVE)})]
    .filter((el) => el.checkVisibility({ visibilityProperty: true }) && !(el.type === 'hidden'));
  const reached = [...document.querySelectorAll('[data-a11y-tab]')];
  return { visible: visible.length, reached: reached.length,
    unreached: visible.filter((el) => !el.hasAttribute('data-a11y-tab')).map(describe),
    extra: reached.filter((el) => !el.matches(${JSON.stringify(INTERACTIVE)})).map(describe) };
})()`;

describe('accessibility gate (axe-core, keyboard, text scaling)', () => {
  let browser: Browser;
  /** JavaScript on so axe can run; CSP bypassed for this context only, so axe can be injected inline. */
  let axeContext: BrowserContext;
  /** The site must be usable without JavaScript: keyboard and text-scaling checks run with it off. */
  let noJs: BrowserContext;
  let noJsDesktop: BrowserContext;
  let server: Awaited<ReturnType<typeof serve>>;
  const summary: Record<string, Record<string, number>> = {};

  beforeAll(async () => {
    server = await serve(siteDir);
    browser = await launchChromium();
    axeContext = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true });
    noJs = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
    noJsDesktop = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false });
  });
  afterAll(async () => {
    if (Object.keys(summary).length) {
      console.log('axe violations per page (rules, by impact):\n' + Object.entries(summary)
        .map(([url, c]) => `  ${url}: ${Object.entries(c).map(([k, n]) => `${k} ${n}`).join(', ') || '无'}`).join('\n'));
    }
    await browser?.close();
    await server?.close();
  });

  it('the build has every core page type', () => {
    expect(CORE_PAGES.filter((u) => !existsSync(fileFor(u)))).toEqual([]);
    const missing = OPTIONAL_PAGES.filter((u) => !PAGES.includes(u));
    if (missing.length) console.log(`optional pages not in this build, not checked: ${missing.join(', ')}`);
  });

  for (const url of PAGES) {
    it(`axe: ${url} has no serious or critical violation${url === SEARCH ? ' (with its results shown)' : ', and needs no JavaScript'}`, async () => {
      const page = await axeContext.newPage();
      const response = await page.goto(server.origin + url);
      expect(response?.status()).toBe(200);
      if (url === SEARCH) {
        await page.locator('.search-result-link').first().waitFor({ timeout: 15_000 });
      } else {
        // JavaScript is on here for axe's sake; with no <script>, the page is what a no-JS reader gets.
        await expect(page.locator('script').count()).resolves.toBe(0);
      }
      const violations = await runAxe(page);
      summary[url] = {};
      for (const v of violations) summary[url][v.impact ?? 'unknown'] = (summary[url][v.impact ?? 'unknown'] ?? 0) + 1;
      const minor = violations.filter((v) => !FAILING_IMPACTS.has(v.impact ?? ''));
      if (minor.length) console.log(`${url} minor/moderate:\n  ${minor.map(format).join('\n  ')}`);
      expect(failing(violations).map(format)).toEqual([]);
      await page.close();
    });
  }

  for (const url of ['/', '/villages/533323101001/']) {
    it(`keyboard: ${url} — skip link first and visible, Enter reaches #main, visible focus, no trap, all reachable`, async () => {
      const page = await noJsDesktop.newPage();
      await page.goto(server.origin + url);
      const viewport = page.viewportSize()!;

      await page.keyboard.press('Tab');
      const skip = page.locator('a.skip-link');
      // Strings evaluated on the page (a locator's evaluate of a string returned nothing with JavaScript off).
      await expect(page.evaluate(`document.activeElement.matches('a.skip-link')`), 'the first Tab stop is not the skip link').resolves.toBe(true);
      await expect(page.evaluate(`document.activeElement.textContent.trim()`)).resolves.toBe('跳到正文');
      const box = await skip.boundingBox();
      if (!box) throw new Error('the focused skip link has no box');
      // Visible when focused: wholly inside the viewport, not parked at left -999rem.
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.y).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);

      await page.keyboard.press('Enter');
      await page.waitForURL(/#main$/);
      const landed = (await page.evaluate(`(() => {
        const top = document.getElementById('main').getBoundingClientRect().top;
        const maxScroll = document.documentElement.scrollHeight - innerHeight;
        return { top, atEnd: scrollY >= maxScroll - 1 };
      })()`)) as { top: number; atEnd: boolean };
      expect(Math.abs(landed.top) <= 1 || landed.atEnd, `#main not scrolled to: top ${landed.top}`).toBe(true);

      // The next 15 focus stops: the first is inside #main; focus always moves on and always shows.
      // A short page runs out before 15: focus then leaves the document once (to the browser) and wraps to the top.
      let previous = -1;
      let left = 0;
      for (let stops = 0; stops < 15; ) {
        await page.keyboard.press('Tab');
        const a = (await page.evaluate(ACTIVE)) as Active;
        if (a === null) {
          expect(stops, 'the first Tab after the skip link left the page').toBeGreaterThan(0);
          expect(++left, 'focus left the page twice without wrapping back').toBe(1);
          previous = -1;
          continue;
        }
        if (stops === 0) expect(a.inMain, `the first Tab after the skip link went to ${a.tag} ${a.label}, not into #main`).toBe(true);
        expect(a.index, `keyboard trap: Tab did not move focus off ${a.tag} ${a.label}`).not.toBe(previous);
        previous = a.index;
        stops++;
        const outline = a.outlineStyle !== 'none' && parseFloat(a.outlineWidth) > 0;
        const indicated = outline || ((await page.evaluate(SHADOW_CHANGES)) as boolean);
        expect(indicated, `no visible focus indicator on ${a.tag} ${a.label}`).toBe(true);
      }

      // A full Tab walk from the top reaches every visible interactive element, once each.
      await page.goto(server.origin + url);
      await page.evaluate(`document.querySelectorAll('[data-a11y-tab]').forEach((el) => el.removeAttribute('data-a11y-tab'))`);
      for (let i = 0; i < 1000; i++) {
        await page.keyboard.press('Tab');
        const a = (await page.evaluate(ACTIVE)) as Active;
        if (a === null || a.seen) break;
      }
      const r = (await page.evaluate(REACHABILITY)) as { visible: number; reached: number; unreached: string[]; extra: string[] };
      expect(r.unreached, 'visible interactive elements not reachable with Tab').toEqual([]);
      expect(r.extra, 'focusable elements that are not interactive').toEqual([]);
      expect(r.reached).toBe(r.visible);
      await page.close();
    });
  }

  it('text scaling: the village page at twice the font size, 360 px, still fits and scales', async () => {
    const page = await noJs.newPage();
    await page.goto(server.origin + '/villages/533323101001/');
    const SIZES = `({ h1: parseFloat(getComputedStyle(document.querySelector('h1')).fontSize),
      body: parseFloat(getComputedStyle(document.body).fontSize) })`;
    const before = (await page.evaluate(SIZES)) as { h1: number; body: number };
    // As if the reader set the browser's default font size to double (evaluated by the test; the CSP forbids inline styles).
    await page.evaluate(`document.documentElement.style.fontSize = '200%'`);
    const after = (await page.evaluate(SIZES)) as { h1: number; body: number };
    expect(after.h1 / before.h1).toBeCloseTo(2, 2);
    expect(after.body / before.body).toBeCloseTo(2, 2);
    // What sticks out to the right, outside any scrolling box: element boxes and runs of text
    // (a long unbreakable word overflows its box without the box itself being too wide).
    const overflow = (await page.evaluate(`(() => {
      const width = document.documentElement.clientWidth;
      const clipped = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) { if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; };
      const name = (el) => el.tagName.toLowerCase() + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
      const wide = [];
      for (const el of document.querySelectorAll('body *')) {
        if (el.getBoundingClientRect().right > width + 0.5 && !clipped(el) && !wide.some((w) => w.el.contains(el))) wide.push({ el, what: name(el) });
      }
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        if (!t.textContent.trim() || clipped(t.parentElement)) continue;
        const range = document.createRange(); range.selectNodeContents(t);
        if ([...range.getClientRects()].some((r) => r.right > width + 0.5)) wide.push({ el: t.parentElement, what: name(t.parentElement) + ' text "' + t.textContent.trim().slice(0, 40) + '"' });
      }
      return { overflow: document.documentElement.scrollWidth - width, wide: wide.map((w) => w.what).slice(0, 10) };
    })()`)) as { overflow: number; wide: string[] };
    expect(overflow, `horizontal scroll at 200% text: ${overflow.wide.join('; ')}`).toEqual({ overflow: 0, wide: [] });
    await page.close();
  });

  it('the gate catches a known-bad page: image-alt, label, color-contrast, button-name', async () => {
    const bad = await serve(BAD_FIXTURE);
    try {
      const page = await axeContext.newPage();
      await page.goto(bad.origin + '/');
      const caught = failing(await runAxe(page)).map((v) => v.id);
      expect(caught).toEqual(expect.arrayContaining(['image-alt', 'label', 'color-contrast', 'button-name']));
      await page.close();
    } finally {
      await bad.close();
    }
  });
});
