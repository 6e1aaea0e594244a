/**
 * Sources anyone can open, in the fixture build: every received export is published as
 * received under /sources/, listed with its SHA-256; every source link on every page and
 * every sourceFile in the downloads resolves to a published file; no page or download names
 * an internal path (exports/…).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/site-small');
const site = () => inject('siteDir');
const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
const hash = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('原始报表 (/sources/)', () => {
  const list = readFileSync(path.join(site(), 'sources/index.html'), 'utf8');
  const rows = [...list.matchAll(/<tr data-url="([^"]+)"[^>]*>[\s\S]*?<code class="hash"[^>]*>([0-9a-f]{64})<\/code>/g)].map((m) => ({ url: m[1]!, sha256: m[2]! }));
  const received = walk(path.join(FIXTURE, 'exports'));

  it('lists every received export once, and each is published byte for byte as received, with its SHA-256', () => {
    expect(rows).toHaveLength(received.length);
    const published = new Map(rows.map((r) => [r.sha256, r.url]));
    for (const f of received) {
      const bytes = readFileSync(f);
      const url = published.get(hash(bytes));
      expect(url, path.relative(FIXTURE, f)).toBeDefined();
      expect(Buffer.compare(readFileSync(path.join(site(), url!)), bytes)).toBe(0);
    }
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
