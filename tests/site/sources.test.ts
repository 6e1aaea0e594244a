/**
 * Sources anyone can open, in the fixture build: every received export is published as its
 * public copy under /sources/ (header, data and 合计 rows only), listed with the SHA-256 of the
 * original and of the copy; a cited row is that row of the copy; every source link on every page and
 * every sourceFile in the downloads resolves to a published file; no page or download names
 * an internal path (exports/…).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, inject, it } from 'vitest';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/site-small');
const site = () => inject('siteDir');
const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
const hash = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('原始报表 (/sources/)', () => {
  const list = readFileSync(path.join(site(), 'sources/index.html'), 'utf8');
  const rows = [...list.matchAll(/<tr data-url="([^"]+)"[^>]*>[\s\S]*?<code class="hash"[^>]*>([0-9a-f]{64})<\/code>[\s\S]*?<code class="hash"[^>]*>([0-9a-f]{64})<\/code>/g)].map((m) => ({ url: m[1]!, sha256: m[2]!, copySha256: m[3]! }));
  const received = walk(path.join(FIXTURE, 'exports'));
  const copyRows = (url: string) => Papa.parse<string[]>(readFileSync(path.join(site(), decodeURI(url)), 'utf8').replace(/^\ufeff/, ''), { skipEmptyLines: true }).data;

  it('lists every received export once with the SHA-256 of the original; what is published is a public copy with its own SHA-256, never the received bytes', () => {
    expect(rows).toHaveLength(received.length);
    const published = new Map(rows.map((r) => [r.sha256, r]));
    for (const f of received) {
      const bytes = readFileSync(f);
      const row = published.get(hash(bytes));
      expect(row, path.relative(FIXTURE, f)).toBeDefined();
      const copy = readFileSync(path.join(site(), row!.url));
      expect(hash(copy)).toBe(row!.copySha256);
      // the copy: a header with the 附件3 metric columns, then data and 合计 rows only
      const text = copy.toString('utf8');
      expect(text.startsWith('\ufeff')).toBe(true);
      expect(text).toContain('资金已到位');
      for (const left of ['填报人', '审核人', '联系电话', '注：', '统计表']) expect(text.includes(left), `${row!.url}: ${left}`).toBe(false);
    }
  });

  it('a cited row is that row of the public copy: the village page’s 「第 N 行」 holds the village', () => {
    const village = readFileSync(path.join(site(), 'villages/533323101001/index.html'), 'utf8');
    const m = /来源：<a href="(\/sources\/[^"]+)">[^<]+ 第 (\d+) 行<\/a>/.exec(village)!;
    expect(m).not.toBeNull();
    const cells = copyRows(m[1]!)[Number(m[2]) - 1]!;
    expect(cells.some((c) => c === '青松村' || c === '533323101001'), cells.join(',')).toBe(true);
  });

  it('every source link on every page resolves to a published file; pages name 「县 月报表 第 N 行」', () => {
    const html = walk(site()).filter((f) => f.endsWith('.html'));
    let links = 0;
    for (const f of html) {
      for (const m of readFileSync(f, 'utf8').matchAll(/href="(\/sources\/[^"#]+)"/g)) {
        links++;
        expect(existsSync(path.join(site(), decodeURI(m[1]!))), `${path.relative(site(), f)} → ${m[1]}`).toBe(true);
      }
    }
    expect(links).toBeGreaterThan(rows.length);
    const village = readFileSync(path.join(site(), 'villages/533323101001/index.html'), 'utf8');
    expect(village).toMatch(/来源：<a href="\/sources\/2020-07\/[^"]+">[^<]+ 2020年7月报表 第 \d+ 行<\/a>/);
  });

  it('no page or download prints an internal path; downloads’ sourceFile is a published URL', () => {
    let sourceFiles = 0;
    for (const f of walk(site()).filter((x) => /\.(html|csv|json|xml|txt)$/.test(x))) {
      const text = readFileSync(f, 'utf8');
      expect(text.includes('exports/'), path.relative(site(), f)).toBe(false);
      if (f.endsWith('.json')) {
        for (const m of text.matchAll(/"sourceFile":\s*"([^"]+)"/g)) {
          sourceFiles++;
          expect(m[1]).toMatch(/^\/sources\//);
          expect(existsSync(path.join(site(), m[1]!)), m[1]).toBe(true);
        }
      }
    }
    expect(sourceFiles).toBeGreaterThan(0);
  });
});
