/**
 * Every village, unit, county and province of the fixture has its page, and the numbers
 * on them equal values read here, independently of src/lib, from the fixture's CSV files.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { describe, expect, inject, it } from 'vitest';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/site-small');
const site = () => inject('siteDir');
const page = (url: string) => readFileSync(path.join(site(), url, 'index.html'), 'utf8');

function csv(file: string, encoding: 'utf8' | 'utf16le' | 'gb18030'): string[][] {
  const bytes = readFileSync(path.join(FIXTURE, file));
  const text = iconv.decode(bytes, encoding).replace(/^\ufeff/, '');
  return Papa.parse<string[]>(text.trim(), { delimiter: encoding === 'utf16le' ? '\t' : ',' }).data;
}
const records = (rows: string[][]) => {
  const [head, ...body] = rows;
  const key = (h: string) => h.replace(/\s/g, '').replace(/[（(].*$/, '');
  return body.map((r) => Object.fromEntries(r.map((c, i) => [key(head![i]!), c.trim()])));
};
const yuan = (v: string) => Math.round(Number(v.replace(/,/g, '')) * 10000);
const july = [...records(csv('exports/2020-07/云南省.csv', 'utf16le')), ...records(csv('exports/2020-07/贵州省.csv', 'utf8'))];
const registry = (name: string) => records(csv(`registry/${name}.csv`, 'utf8'));

/** data-raw of the plan/done cells of a measure row on a village page (first pairing section unless given). */
function measureRaw(html: string, key: string): [number | null, number | null] {
  const m = new RegExp(`<tr data-measure="[a-z]+" data-key="${key}">[\\s\\S]*?</tr>`).exec(html);
  if (!m) throw new Error(`no row ${key}`);
  const raws = [...m[0].matchAll(/<td class="num"(?: data-raw="(\d+)")?>/g)].map((x) => (x[1] === undefined ? null : Number(x[1])));
  return [raws[0] ?? null, raws[1] ?? null];
}

/** What is wrong with a page's Content Security Policy, if anything. */
function cspProblems(html: string): string[] {
  const csp = /<meta http-equiv="content-security-policy" content="([^"]+)">/.exec(html)?.[1];
  if (!csp) return ['no CSP'];
  const problems: string[] = [];
  if (!csp.includes("default-src 'self'")) problems.push("default-src is not 'self'");
  if (/script-src [^;]*'unsafe-inline'/.test(csp)) problems.push("script-src allows 'unsafe-inline'");
  if (/(script|style|img|connect|font)-src [^;]*https?:/.test(csp)) problems.push('another origin is allowed');
  if (/ style="/.test(html)) problems.push('inline style attribute (blocked by the CSP)');
  return problems;
}

describe('the CSP check', () => {
  it('fails on pages that would weaken or break the policy', () => {
    expect(cspProblems('<html><head></head></html>')).toEqual(['no CSP']);
    expect(cspProblems(`<meta http-equiv="content-security-policy" content="default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.example.com"><p style="color:red">`)).toEqual([
      "script-src allows 'unsafe-inline'",
      'another origin is allowed',
      'inline style attribute (blocked by the CSP)',
    ]);
  });
});

/** Pages that may run script; the tables sorted in place carry only the small sort script. */
const SCRIPTED = ['search/index.html', 'compare/index.html'];
const SORTED_LISTS = /^(counties\/(sort\/[^/]+\/)?|units\/(list\/.+\/)?)index\.html$/;
/** Bytes of the script a page loads: its <script> elements, inline or by src, and the modules they import. */
function scriptBytes(html: string): number {
  const seen = new Set<string>();
  const file = (url: string): number => {
    if (seen.has(url)) return 0;
    seen.add(url);
    const text = readFileSync(path.join(site(), url), 'utf8');
    return text.length + [...text.matchAll(/(?:import|from)\s*["']\.\/([^"']+)["']/g)].reduce((n, m) => n + file(path.posix.join(path.posix.dirname(url), m[1]!)), 0);
  };
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)].reduce((n, m) => {
    const src = /\bsrc="([^"]+)"/.exec(m[1]!)?.[1];
    return n + (src ? file(src) : m[2]!.length);
  }, 0);
}

describe('pages for every entity', () => {
  it('every registered village, unit, county and province has its page', () => {
    for (const v of registry('villages')) {
      expect(page(`villages/${v['村代码']}`)).toMatch(new RegExp(`<h1[^>]*>${v['村']}</h1>`));
      expect(page(`counties/${v['村代码']!.slice(0, 6)}`)).toMatch(new RegExp(`<h1[^>]*>${v['县']}</h1>`));
      expect(page(`provinces/${v['村代码']!.slice(0, 2)}`)).toContain(`<h1>${v['省']}</h1>`);
    }
    for (const u of registry('units')) expect(page(`units/${u['单位代码']}`)).toMatch(new RegExp(`<h1[^>]*>${u['单位名称']}</h1>`));
  });

  it('every page has lang, a title, a description, and (below home) breadcrumbs', () => {
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.html') ? [path.join(dir, e.name)] : []));
    const files = walk(site());
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const html = readFileSync(f, 'utf8');
      expect(html, f).toContain('<html lang="zh-CN"');
      expect(html, f).toMatch(/<title>[^<]+<\/title>/);
      expect(html, f).toMatch(/<meta name="description" content="[^"]+">/);
      if (path.relative(site(), f) !== 'index.html') expect(html, f).toContain('aria-label="当前位置"');
      // Script runs only on the search page, the compare tool and (a small in-place sort) the
      // county table and units directory; every data page is readable without JS and has none.
      const rel = path.relative(site(), f).split(path.sep).join('/');
      if (SORTED_LISTS.test(rel)) expect(scriptBytes(html), f).toBeLessThan(2_000);
      else if (!SCRIPTED.includes(rel)) expect(html, f).not.toMatch(/<script/i);
      expect(html, f).not.toMatch(/NaN|Infinity|undefined/);
      expect(cspProblems(html), f).toEqual([]);
    }
  });
});

describe('numbers on the pages equal the CSV files', () => {
  it('a village’s five measures are its latest row (2020-07), exact', () => {
    const row = july.find((r) => r['帮扶村'] === '青松村')!;
    const html = page('villages/533323101001');
    expect(html).toContain('data-month="2020-07"');
    expect(measureRaw(html, 'fundsPlan')).toEqual([yuan(row['资金计划总投入']!), yuan(row['资金已到位总投入']!)]);
    expect(measureRaw(html, 'materialsPlan')).toEqual([yuan(row['物资计划总投入']!), yuan(row['物资已到位']!)]);
    expect(measureRaw(html, 'salesPlan')).toEqual([yuan(row['计划销售']!), yuan(row['已完成销售']!)]);
    expect(measureRaw(html, 'jobsPlan')).toEqual([Number(row['计划就业人数']), Number(row['已解决就业人数'])]);
    expect(measureRaw(html, 'trainingPlan')).toEqual([Number(row['计划培训人数']), Number(row['已完成培训人数'])]);
    expect(measureRaw(html, 'stationed')).toEqual([Number(row['是否派驻村']), Number(row['已驻村人数'])]);
    expect(html).toContain('来源：<a href="/sources/2020-07/53.csv">云南省 2020年7月报表 第 2 行</a>');
  });

  it('无计划 and 超额 are shown as such', () => {
    const row = july.find((r) => r['帮扶村'] === '白河村')!;
    expect(row['物资计划总投入']).toBe('0');
    expect(Number(row['已完成销售'])).toBeGreaterThan(Number(row['计划销售']));
    const html = page('villages/533323101002');
    expect(html).toMatch(/data-key="materialsPlan">[\s\S]*?无计划/);
    expect(html).toMatch(/data-key="salesPlan">[\s\S]*?125\.0%[\s\S]*?超额/);
  });

  it('a village with a correction says so', () => {
    // 安乐村: 资金已到位 1,000.5 万元 in June, 150 in July
    const html = page('villages/520525101001');
    expect(html).toContain('数据更正');
    expect(html).toMatch(/1,000\.50?\s万元/);
  });

  it('a unit’s totals are the sum of its villages’ rows', () => {
    const rows = july.filter((r) => r['结对帮扶单位'] === '示例乌蒙山食品有限公司');
    expect(rows).toHaveLength(2);
    const html = page('units/91520500MA6K0002XC');
    const raw = (key: string) => Number(new RegExp(`<dd data-key="${key}" data-raw="(\\d+)"`).exec(html)![1]);
    expect(raw('fundsDone')).toBe(rows.reduce((s, r) => s + yuan(r['资金已到位总投入']!), 0));
    expect(raw('jobsDone')).toBe(rows.reduce((s, r) => s + Number(r['已解决就业人数']), 0));
    expect(html).toContain('href="/villages/520525101001/"');
    expect(html).toContain('href="/villages/520525101002/"');
  });

  it('the county’s 附件3 table for a month has the file’s 合计', () => {
    const rows = csv('exports/2020-06/贵州省/毕节市/纳雍县.csv', 'gb18030');
    const fileTotal = rows.find((r) => r[0] === '合计')!.slice(3);
    const html = page('counties/520525/2020-06');
    const total = /<tr class="total">([\s\S]*?)<\/tr>/.exec(html)![1]!;
    const cells = [...total.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]!);
    expect(cells).toHaveLength(19);
    const num = (s: string) => Number(s.replace(/,/g, '').replace(/%.*$/, ''));
    // money and counts exact; ratios recomputed (the file rounds to 2 decimals, the page to 1)
    [0, 1, 3, 4, 6, 7, 8, 9, 11, 12, 14, 15, 17, 18].forEach((i) => expect(num(cells[i]!), `column ${i}`).toBe(num(fileTotal[i]!)));
    [2, 5, 10, 13, 16].forEach((i) => expect(Math.abs(num(cells[i]!) - num(fileTotal[i]!)), `ratio column ${i}`).toBeLessThan(0.06));
    expect(html).toContain('附件3');
    expect(page('counties/520525')).toContain('href="/counties/520525/2020-06/"');
  });
});

describe('charts at build time', () => {
  it('a village page has SVG charts with a text alternative and their data as a table', () => {
    const html = page('villages/533323101001');
    const svgs = html.match(/<svg[^>]*>/g) ?? [];
    expect(svgs.length).toBeGreaterThanOrEqual(2);
    for (const svg of svgs) {
      expect(svg).toContain('role="img"');
      expect(svg).toMatch(/aria-label="[^"]{8,}"/);
    }
    expect(html).toContain('查看数据表');
  });

  it('every chart with a point to draw is an SVG with its table behind 查看数据表 (closed)', () => {
    let drawn = 0;
    for (const url of ['', 'provinces/53', 'provinces/52', 'counties/520525', 'villages/533323101001']) {
      for (const figure of page(url).match(/<figure class="chart"[\s\S]*?<\/figure>/g) ?? []) {
        // the fixture reports every pairing in most months: each chart has something to draw
        expect(figure).not.toContain('class="chart-undrawn"');
        expect(figure).toMatch(/<svg[^>]*role="img"/);
        expect(figure).not.toMatch(/<details open[ >]/);
        drawn++;
      }
    }
    expect(drawn).toBeGreaterThan(3);
  });
});
