/**
 * What one search costs a reader: open /search/?q=… in headless Chromium (cache off), wait
 * for the first result; every request the page and its workers make is counted, at the size
 * a gzip-serving web server (deploy/nginx.conf) sends it — text gzip-compressed, Pagefind's
 * index files as they are (already compressed).
 *
 *   node scripts/search-weight.ts DIST[,OVERLAY…] QUERY…
 * Several folders separated by commas are served as one site, the first holding a file wins
 * (to try a new search page over an existing index). Used by npm run bench.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import sirv from 'sirv';
import { launchChromium } from '../tests/site/browser.ts';

export interface SearchWeight {
  query: string;
  bytes: number;
  requests: number;
  firstResultMs: number;
  href: string | null;
  largest: Array<{ url: string; bytes: number }>;
}

const TEXT = /\.(html|js|mjs|css|json|svg|txt|xml)$/;

export async function measureSearch(dirs: string[], queries: string[]): Promise<SearchWeight[]> {
  const handlers = dirs.map((d) => sirv(d, { dev: false, etag: false }));
  const server = http.createServer((req, res) => {
    const next = (i: number): void => {
      if (i >= handlers.length) {
        res.statusCode = 404;
        res.end();
      } else handlers[i]!(req, res, () => next(i + 1));
    };
    next(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /** The file a URL path is served from, and what a gzip-serving server would send for it. */
  const sentBytes = (pathname: string): number => {
    const rel = decodeURIComponent(pathname).replace(/^\//, '');
    for (const d of dirs) {
      for (const candidate of [path.join(d, rel), path.join(d, rel, 'index.html')]) {
        if (existsSync(candidate) && statSync(candidate).isFile()) {
          const body = readFileSync(candidate);
          return TEXT.test(candidate) ? gzipSync(body).length : body.length;
        }
      }
    }
    return 0;
  };
  const browser = await launchChromium();
  const out: SearchWeight[] = [];
  try {
    for (const query of queries) {
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, serviceWorkers: 'block' });
      const seen: Array<{ url: string; bytes: number }> = [];
      // Context-level events include requests made by the page's workers.
      context.on('requestfinished', (r) => {
        const u = new URL(r.url());
        if (u.origin === origin) seen.push({ url: u.pathname + u.search, bytes: sentBytes(u.pathname) });
      });
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${origin}/search/?q=${encodeURIComponent(query)}`);
      const link = page.locator('.search-result-link').first();
      await link.waitFor({ timeout: 60_000 });
      const firstResultMs = performance.now() - started;
      const href = await link.getAttribute('href');
      await page.waitForLoadState('networkidle');
      out.push({ query, bytes: seen.reduce((t, r) => t + r.bytes, 0), requests: seen.length, firstResultMs, href, largest: [...seen].sort((a, b) => b.bytes - a.bytes).slice(0, 8) });
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dirs, ...queries] = process.argv.slice(2);
  if (!dirs || queries.length === 0) {
    console.error('用法：node scripts/search-weight.ts DIST[,OVERLAY…] 查询词…');
    process.exit(2);
  }
  for (const r of await measureSearch(dirs.split(','), queries)) {
    console.log(`「${r.query}」 ${(r.bytes / 1024).toFixed(1)} KB（${r.requests} 个请求），第一条结果 ${r.firstResultMs.toFixed(0)} ms → ${r.href}`);
    for (const x of r.largest) console.log(`  ${(x.bytes / 1024).toFixed(1).padStart(8)} KB  ${x.url}`);
  }
}
