/**
 * Registry names carrying markup or spreadsheet formulas render as text everywhere:
 * pages, charts, feeds, search results and downloads. Builds its own copy of the fixture
 * with a hostile village and hostile units added (and a progress row for them).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { makeUscc } from '../../src/lib/ingest/uscc.ts';
import { launchChromium, serve } from './browser.ts';
import { FIXTURE, FIXTURE_BULLETINS, FIXTURE_STORIES } from './global-setup.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const VILLAGE = '<script>alert(1)</script>新村';
const UNIT = '"><img src=x onerror=alert(2)>示例公司';
const FORMULA_UNIT = '=HYPERLINK("http://example.invalid/x","点我")示例';
const UNIT_CODE = makeUscc('91110000MA0K0099X');
const FORMULA_CODE = makeUscc('53110000MJ0K0098X');
const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

let work: string;
let dist: string;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-hostile-site-'));
  const data = path.join(work, 'data');
  cpSync(FIXTURE, data, { recursive: true });
  appendFileSync(path.join(data, 'registry/villages.csv'), Buffer.from(`520525101009,贵州省,毕节市,纳雍县,龙场镇,${csvCell(VILLAGE)}\r\n`, 'utf8'));
  appendFileSync(path.join(data, 'registry/units.csv'), Buffer.from(`${UNIT_CODE},${csvCell(UNIT)},民营企业,北京市,北京市\r\n${FORMULA_CODE},${csvCell(FORMULA_UNIT)},社会组织,北京市,北京市\r\n`, 'utf8'));
  appendFileSync(path.join(data, 'registry/pairings.csv'), Buffer.from(`520525101009,${UNIT_CODE},2020-05-10,10\r\n520525101009,${FORMULA_CODE},2020-05-11,20\r\n`, 'utf8'));
  const values = ',10,5,50,0,0,,0,0,1,1,100,1,1,100,1,1,100,0,0,,\r\n';
  appendFileSync(path.join(data, 'exports/2020-07/贵州省.csv'), Buffer.from(`贵州省,毕节市,纳雍县,龙场镇,${csvCell(VILLAGE)},${csvCell(UNIT)}${values}`, 'utf8'));
  dist = path.join(work, 'dist');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: data, STORIES_DIR: FIXTURE_STORIES, BULLETINS_DIR: FIXTURE_BULLETINS, ASTRO_OUT_DIR: dist, ASTRO_CACHE_DIR: path.join(work, 'cache'), ASTRO_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`hostile build failed:\n${r.stdout}\n${r.stderr}`);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

describe('hostile names in the registry', () => {
  it('never appear as markup in any page, chart, feed or sitemap', () => {
    const files = walk(dist).filter((f) => /\.(html|xml|svg)$/.test(f));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      // Attribute values are quoted with " escaped as &quot;: a < inside one is inert text. Look at the markup only.
      const text = readFileSync(f, 'utf8').replace(/"[^"]*"/g, '""');
      expect(text, f).not.toContain('<script>alert(1)');
      expect(text, f).not.toMatch(/<img src=x/i);
      expect(text, f).not.toMatch(/<[^>]*\sonerror=/i);
    }
    // …but they are there, escaped, as text
    expect(readFileSync(path.join(dist, 'villages/520525101009/index.html'), 'utf8')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;新村');
  });

  it('render as plain text in Chromium and run nothing, also in search results', async () => {
    const server = await serve(dist);
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const context = await browser.newContext();
      const dialogs: string[] = [];
      const errors: string[] = [];
      context.on('page', (p) => p.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); }));
      for (const url of ['/villages/520525101009/', `/units/${UNIT_CODE}/`, `/units/${FORMULA_CODE}/`, '/counties/520525/', '/counties/520525/2020-07/', '/units/']) {
        const page = await context.newPage();
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(server.origin + url);
        const text = await page.locator('main').innerText();
        expect(text.includes(VILLAGE) || text.includes(UNIT) || text.includes(FORMULA_UNIT), url).toBe(true);
        expect(await page.locator('main img[src="x"]').count(), url).toBe(0);
        await page.close();
      }
      const search = await context.newPage();
      await search.goto(`${server.origin}/search/?q=${encodeURIComponent('新村')}`);
      await search.locator('.search-result-link').first().waitFor({ timeout: 15_000 });
      expect(await search.locator('#search-results').innerText()).toContain('新村');
      expect(await search.locator('#search-results img, #search-results script').count()).toBe(0);
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await browser?.close();
      await server.close();
    }
  });

  it('a name starting with = is neutralised in CSV downloads', () => {
    for (const file of ['downloads/registry/units.csv', 'downloads/registry/units-excel.csv', `units/${FORMULA_CODE}/data.csv`, 'downloads/progress/2020-07.csv']) {
      const text = readFileSync(path.join(dist, file), 'utf8');
      expect(text, file).not.toMatch(/(^|,)"?=HYPERLINK/m);
      if (file.startsWith('downloads/registry')) expect(text, file).toContain(`'=HYPERLINK`);
    }
  });
});
