/**
 * What the compare page costs a reader before its first chart: open /compare/ with a
 * selection in the URL in headless Chromium (cache off) and wait for the chart's SVG; every
 * request is counted at the size a gzip-serving web server (deploy/nginx.conf) sends it.
 *
 *   node scripts/compare-weight.ts DIST [QUERY]     (QUERY e.g. "?e=v:533323101001,c:520525&m=industry")
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium, serve } from '../tests/site/browser.ts';

export interface CompareWeight {
  bytes: number;
  requests: number;
  script: number;
  items: Array<{ url: string; bytes: number }>;
}

const TEXT = /\.(html|js|mjs|css|json|svg|txt|xml)$/;

export async function measureCompare(dir: string, query: string): Promise<CompareWeight> {
  const server = await serve(dir);
  const sentBytes = (pathname: string): number => {
    const rel = decodeURIComponent(pathname).replace(/^\//, '');
    for (const candidate of [path.join(dir, rel), path.join(dir, rel, 'index.html')]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) {
        const body = readFileSync(candidate);
        return TEXT.test(candidate) ? gzipSync(body).length : body.length;
      }
    }
    return 0;
  };
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: 'block' });
    const items: Array<{ url: string; bytes: number }> = [];
    const others: string[] = [];
    context.on('request', (r) => {
      const u = new URL(r.url());
      if (u.origin !== server.origin) others.push(r.url());
      else items.push({ url: u.pathname + u.search, bytes: sentBytes(u.pathname) });
    });
    const page = await context.newPage();
    await page.goto(`${server.origin}/compare/${query}`);
    await page.locator('.compare-chart svg path').first().waitFor({ state: 'attached', timeout: 60_000 });
    if (others.length) throw new Error(`对比页请求了其他来源：${others.join(', ')}`);
    await context.close();
    return { bytes: items.reduce((t, r) => t + r.bytes, 0), requests: items.length, script: items.filter((i) => i.url.endsWith('.js')).reduce((t, r) => t + r.bytes, 0), items: items.sort((a, b) => b.bytes - a.bytes) };
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, query = '?e=v:533323101001,v:533323101002,c:520525&m=industry'] = process.argv.slice(2);
  if (!dir) {
    console.error('用法：node scripts/compare-weight.ts DIST [?e=…&m=…]');
    process.exit(2);
  }
  const w = await measureCompare(dir, query);
  console.log(`对比页首个图表之前：共 ${(w.bytes / 1024).toFixed(1)} KB（gzip），${w.requests} 个请求，其中脚本 ${(w.script / 1024).toFixed(1)} KB`);
  for (const x of w.items) console.log(`  ${(x.bytes / 1024).toFixed(1).padStart(8)} KB  ${x.url}`);
}
