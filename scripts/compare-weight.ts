/**
 * What the compare page costs a reader: open /compare/ with a selection in the URL in
 * headless Chromium (cache off), wait for the chart's SVG ("before the first chart"), then type
 * a name into the picker and wait for its options (everything loaded by then: "before the
 * picker answers a keystroke", the name index included). Every request is counted at the size a gzip-serving web server
 * (deploy/nginx.conf) sends it.
 *
 *   node scripts/compare-weight.ts DIST [QUERY] [TYPED]
 *   (QUERY e.g. "?e=v:450225001200,c:450225,p:45&m=funds", TYPED a name to type, e.g. 融水)
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium, serve } from '../tests/site/browser.ts';

export interface Weight {
  bytes: number;
  requests: number;
  script: number;
  items: Array<{ url: string; bytes: number }>;
}

export interface CompareWeight {
  /** everything requested until the picker showed options for what was typed */
  keystroke: Weight;
  /** everything requested until the chart's first SVG path was there */
  chart: Weight;
}

const TEXT = /\.(html|js|mjs|css|json|svg|txt|xml)$/;

const weigh = (items: Array<{ url: string; bytes: number }>): Weight => ({
  bytes: items.reduce((t, r) => t + r.bytes, 0),
  requests: items.length,
  script: items.filter((i) => i.url.endsWith('.js')).reduce((t, r) => t + r.bytes, 0),
  items: [...items].sort((a, b) => b.bytes - a.bytes),
});

export async function measureCompare(dir: string, query: string, typed = '融水'): Promise<CompareWeight> {
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
      if (u.protocol === 'data:' || u.protocol === 'blob:') return;
      if (u.origin !== server.origin) others.push(r.url());
      else items.push({ url: u.pathname + u.search, bytes: sentBytes(u.pathname) });
    });
    const page = await context.newPage();
    await page.goto(`${server.origin}/compare/${query}`);
    const box = page.getByRole('combobox', { name: '输入村、单位、县或省的名称或代码' });
    await page.locator('.compare-chart svg path').first().waitFor({ state: 'attached', timeout: 60_000 });
    const chart = weigh(items);
    await box.pressSequentially(typed);
    await page.locator('[role="option"]').first().waitFor({ timeout: 60_000 });
    const keystroke = weigh(items);
    if (others.length) throw new Error(`对比页请求了其他来源：${others.join(', ')}`);
    await context.close();
    return { keystroke, chart };
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, query = '?e=v:450225001200,c:450225,p:45&m=funds', typed = '融水'] = process.argv.slice(2);
  if (!dir) {
    console.error('用法：node scripts/compare-weight.ts DIST [?e=…&m=…] [输入的名称]');
    process.exit(2);
  }
  const w = await measureCompare(dir, query, typed);
  for (const [label, x] of [['选择框回应输入之前', w.keystroke], ['首个图表之前', w.chart]] as const) {
    console.log(`对比页${label}：共 ${(x.bytes / 1024).toFixed(1)} KB（gzip），${x.requests} 个请求，其中脚本 ${(x.script / 1024).toFixed(1)} KB`);
    for (const i of x.items) console.log(`  ${(i.bytes / 1024).toFixed(1).padStart(8)} KB  ${i.url}`);
  }
}
