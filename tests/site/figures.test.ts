/**
 * One figure, one value, on every page of the fixture build: for the latest month the home
 * page's cards, the bulletin's table, the province pages and the county pages show the same
 * sums (province pages add up to the home page, county pages to their province), and a
 * partial sum is marked as such wherever it appears.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const site = () => inject('siteDir');
const page = (url: string) => readFileSync(path.join(site(), url, 'index.html'), 'utf8');
const KEYS = ['fundsDone', 'materialsDone', 'salesDone', 'jobsDone', 'trainingDone', 'stationedCount'];

/** data-raw and text of a card figure (<dd data-key=… data-raw=…>…</dd>), null when absent. */
function card(html: string, key: string): { raw: number; text: string } | null {
  // the text without its markup (a figure is wrapped whole, e.g. <span class="figure-n">, so it never breaks)
  const m = new RegExp(`<dd data-key="${key}" data-raw="(\\d+)"[^>]*>([\\s\\S]*?)</dd>`).exec(html);
  return m ? { raw: Number(m[1]), text: m[2]!.replace(/<[^>]+>/g, '') } : null;
}

describe('home, bulletin, province and county pages agree (latest month)', () => {
  const home = page('');
  const month = /data-month="(\d{4}-\d{2})"/.exec(home)![1]!;
  const bulletin = page(`bulletins/${month}`);
  const provinces = readdirSync(path.join(site(), 'provinces'), { withFileTypes: true }).filter((d) => d.isDirectory() && /^\d{2}$/.test(d.name)).map((d) => d.name);
  const counties = readdirSync(path.join(site(), 'counties'), { withFileTypes: true }).filter((d) => d.isDirectory() && /^\d{6}$/.test(d.name)).map((d) => d.name);

  for (const key of KEYS) {
    it(key, () => {
      const h = card(home, key)!;
      expect(h, `home ${key}`).not.toBeNull();
      const b = new RegExp(`<tr data-key="${key}" data-raw="(\\d+)"`).exec(bulletin);
      expect(Number(b![1])).toBe(h.raw);
      const perProvince = provinces.map((p) => card(page(`provinces/${p}`), key)?.raw ?? 0);
      expect(perProvince.reduce((s, x) => s + x, 0)).toBe(h.raw);
      for (const p of provinces) {
        const mine = counties.filter((c) => c.startsWith(p)).map((c) => card(page(`counties/${c}`), key)?.raw ?? 0);
        expect(mine.reduce((s, x) => s + x, 0), `${p} ${key}`).toBe(card(page(`provinces/${p}`), key)?.raw ?? 0);
      }
      // a partial sum is never shown as a plain number
      const partial = /部分合计/.test(h.text);
      // (the bulletin's value cell; its change cell may be partial because last month was)
      const row = new RegExp(`<tr data-key="${key}"[^>]*>[\\s\\S]*?</tr>`).exec(bulletin)![0];
      const value = /<td[^>]*>([^<]*)<\/td>/.exec(row)![1]!;
      expect(/部分合计/.test(value), value).toBe(partial);
    });
  }
});
