/**
 * Lighthouse (mobile, its default simulated throttling) over one page of each type of a built
 * site, served on loopback as the deployment serves it (gzip for text, deploy/nginx.conf),
 * with Debian's Chromium. Prints performance / accessibility / best practices / SEO and CLS per
 * page and writes the table into BENCHMARKS.md's Lighthouse section with the machine it ran on.
 *
 *   node scripts/lighthouse.ts DIST [--no-write]     (npm run bench -- --lighthouse runs it on the real-scale build)
 *   node scripts/lighthouse.ts DIST --runs N [--only 县,县的月度表]   N runs of the page set (one Chromium each),
 *     then min / median / max per page type of performance and TBT, with the load average before and after
 *     each run; BENCHMARKS.md gets the median run's table (the run whose performance scores sum to the median)
 *     and the spread of every page type over the runs
 *
 * Budgets (GUIDE §7): performance ≥ 98 on document pages, ≥ 95 on search and the directories,
 * ≥ 90 on /compare/; accessibility, best practices and SEO 100; CLS ≤ 0.02 everywhere.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createGzip } from 'node:zlib';
import lighthouse from 'lighthouse';

const ROOT = path.resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript', css: 'text/css', json: 'application/json', svg: 'image/svg+xml', xml: 'application/xml', txt: 'text/plain; charset=utf-8', csv: 'text/csv; charset=utf-8', png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp', avif: 'image/avif', wasm: 'application/wasm', pf_meta: 'application/octet-stream' };
const TEXT = /\.(html|js|css|json|svg|xml|txt|csv)$/;

export interface LighthouseRow {
  what: string;
  url: string;
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  cls: number;
  lcpMs: number;
  tbtMs: number;
  /** audits that cost points outside performance, for the reader to follow up */
  failing: string[];
}

/** A static server for a built site: index.html for folders, gzip for text when asked, 404 otherwise. */
export async function serveSite(dir: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = path.join(root, pathname);
    if (!file.startsWith(root)) file = root;
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(existsSync(path.join(root, '404.html')) ? readFileSync(path.join(root, '404.html')) : 'not found');
    }
    const ext = path.extname(file).slice(1);
    const headers: http.OutgoingHttpHeaders = { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': pathname.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'no-cache' };
    if (TEXT.test(file) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.writeHead(200, { ...headers, 'content-encoding': 'gzip', vary: 'Accept-Encoding' });
      createReadStream(file).pipe(createGzip()).pipe(res);
    } else {
      res.writeHead(200, { ...headers, 'content-length': statSync(file).size });
      createReadStream(file).pipe(res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Chromium with a DevTools port for Lighthouse (the port it picked is read from its profile folder). */
async function launch(): Promise<{ port: number; close: () => Promise<void> }> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'gpdzc-lh-'));
  const child = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage', '--no-first-run', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], { stdio: 'ignore' });
  const portFile = path.join(profile, 'DevToolsActivePort');
  for (let i = 0; i < 300 && !existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(portFile)) throw new Error(`Chromium（${CHROMIUM}）没有启动`);
  const port = Number(readFileSync(portFile, 'utf8').split('\n')[0]);
  // the profile goes once Chromium has exited (it writes there until then)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    close: async () => {
      child.kill();
      await exited;
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    },
  };
}

/** One page of each type, found in the built site. */
export function pagesOf(dir: string): Array<{ what: string; url: string }> {
  const first = (sub: string, test: RegExp = /./) => readdirSync(path.join(dir, sub), { withFileTypes: true }).filter((e) => e.isDirectory() && test.test(e.name) && existsSync(path.join(dir, sub, e.name, 'index.html'))).map((e) => e.name).sort()[0];
  const village = existsSync(path.join(dir, 'villages/450225001200')) ? '450225001200' : first('villages', /^\d{12}$/);
  const county = village!.slice(0, 6);
  const month = first(`counties/${county}`, /^\d{4}-\d{2}$/);
  const bulletin = readdirSync(path.join(dir, 'bulletins')).filter((m) => /^\d{4}-\d{2}$/.test(m)).sort().at(-1);
  return [
    { what: '对比', url: `/compare/?e=v:${village},c:${county},p:${county.slice(0, 2)}&m=funds` },
    { what: '搜索', url: '/search/?q=融水' },
    { what: '帮扶单位名录', url: '/units/' },
    { what: '全部县', url: '/counties/' },
    { what: '村', url: `/villages/${village}/` },
    { what: '单位', url: `/units/${first('units', /^[0-9A-Z]{18}$/)}/` },
    { what: '县', url: `/counties/${county}/` },
    { what: '县的月度表', url: `/counties/${county}/${month}/` },
    { what: '省', url: `/provinces/${county.slice(0, 2)}/` },
    { what: '首页', url: '/' },
    { what: '月度通报', url: `/bulletins/${bulletin}/` },
    { what: '案例', url: `/stories/${first('stories')}/` },
  ];
}

export async function runLighthouse(dir: string, pages = pagesOf(dir)): Promise<LighthouseRow[]> {
  const server = await serveSite(dir);
  const chrome = await launch();
  const rows: LighthouseRow[] = [];
  try {
    for (const p of pages) {
      const result = await lighthouse(`${server.origin}${p.url}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'] });
      if (!result) throw new Error(`Lighthouse 没有结果：${p.url}`);
      const { categories, audits } = result.lhr;
      const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
      const failing = ['accessibility', 'best-practices', 'seo'].flatMap((c) => categories[c]!.auditRefs.filter((r) => r.weight > 0 && (audits[r.id]?.score ?? 1) < 1).map((r) => `${c}:${r.id}`));
      const row: LighthouseRow = {
        ...p,
        performance: score('performance'),
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        seo: score('seo'),
        cls: Number(audits['cumulative-layout-shift']?.numericValue ?? NaN),
        lcpMs: Number(audits['largest-contentful-paint']?.numericValue ?? NaN),
        tbtMs: Number(audits['total-blocking-time']?.numericValue ?? NaN),
        failing,
      };
      console.log(`${row.what}\t${row.performance}\t${row.accessibility}\t${row.bestPractices}\t${row.seo}\tCLS ${row.cls.toFixed(3)}\tLCP ${(row.lcpMs / 1000).toFixed(1)} s\tTBT ${row.tbtMs.toFixed(0)} ms\t${p.url}${failing.length ? `\t未满分：${failing.join(' ')}` : ''}`);
      rows.push(row);
    }
  } finally {
    await chrome.close();
    await server.close();
  }
  return rows;
}

/** The Lighthouse section of BENCHMARKS.md (the file's last section; `npm run bench` keeps it). */
export function writeLighthouseSection(runs: LighthouseRun[], note: string): void {
  const rows = medianRun(runs.map((r) => r.rows));
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 1024 / 1024).toFixed(0)} MB RAM, ${os.type()} ${os.release()}, Node ${process.version}, ${path.basename(CHROMIUM)}`;
  const section = [
    '## Lighthouse',
    '',
    `Lighthouse ${lighthouseVersion()} mobile (simulated throttling) per page type, \`node scripts/lighthouse.ts DIST\` (or \`npm run bench -- --lighthouse\`), the site served with gzip on loopback. ${new Date().toISOString().slice(0, 10)} · ${machine} · ${note}`,
    '',
    '| 页面 | 地址 | 性能 | 无障碍 | 最佳做法 | SEO | CLS | LCP | TBT |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.what} | \`${r.url}\` | ${r.performance} | ${r.accessibility} | ${r.bestPractices} | ${r.seo} | ${r.cls.toFixed(3)} | ${(r.lcpMs / 1000).toFixed(1)} s | ${r.tbtMs.toFixed(0)} ms |`),
    '',
    ...(runs.length > 1
      ? [
          `The table above is the median of ${runs.length} runs of the whole page set (the run whose performance scores add up to the median); every run, per page type (load average at each run's start: ${runs.map((r) => r.loadBefore).join('; ')}):`,
          '',
          `| 页面 | 性能 最低 / 中位 / 最高 | TBT ms 最低 / 中位 / 最高 | CLS 最高 | 无障碍、最佳做法、SEO 最低 |`,
          '| --- | ---: | ---: | ---: | ---: |',
          ...spreadByPage(runs.map((r) => r.rows)).map((x) => `| ${x.what} | ${x.performance.join(' / ')} | ${x.tbtMs.map((t) => t.toFixed(0)).join(' / ')} | ${x.worstCls.toFixed(3)} | ${x.othersMin} |`),
          '',
        ]
      : []),
    ...(rows.some((r) => r.failing.length) ? ['未满分的审核项：', '', ...rows.filter((r) => r.failing.length).map((r) => `- ${r.what}：${r.failing.map((f) => `\`${f}\``).join('、')}`), ''] : []),
  ].join('\n');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const at = text.indexOf('\n## Lighthouse\n');
  writeFileSync(file, `${(at >= 0 ? text.slice(0, at) : text).replace(/\n*$/, '\n')}\n${section}`);
}

const medianOf = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface PageSpread {
  what: string;
  /** min, median, max */
  performance: [number, number, number];
  tbtMs: [number, number, number];
  worstCls: number;
  /** the lowest of accessibility, best practices and SEO over the runs */
  othersMin: number;
}

/** Per page type over several runs: performance and TBT min / median / max, the worst CLS and the lowest other category. */
export function spreadByPage(runs: LighthouseRow[][]): PageSpread[] {
  const spread = (xs: number[]): [number, number, number] => [Math.min(...xs), medianOf(xs), Math.max(...xs)];
  return runs[0]!.map((first, i) => {
    const rows = runs.map((r) => r[i]!);
    return { what: first.what, performance: spread(rows.map((r) => r.performance)), tbtMs: spread(rows.map((r) => r.tbtMs)), worstCls: Math.max(...rows.map((r) => r.cls)), othersMin: Math.min(...rows.flatMap((r) => [r.accessibility, r.bestPractices, r.seo])) };
  });
}

function summariseRuns(runs: LighthouseRow[][]): string {
  return [`页面\t性能 最低/中位/最高（${runs.length} 次）\tTBT ms 最低/中位/最高\tCLS 最高\t其他三项最低`, ...spreadByPage(runs).map((x) => `${x.what}\t${x.performance.join(' / ')}\t${x.tbtMs.map((t) => t.toFixed(0)).join(' / ')}\t${x.worstCls.toFixed(3)}\t${x.othersMin}`)].join('\n');
}

export interface LighthouseRun {
  rows: LighthouseRow[];
  /** the load average (1, 5, 15 min) when the run started: Lighthouse's simulated throttling scales what it observes, so a busy host lowers scores */
  loadBefore: string;
}

/** `runs` runs of the page set one after another (one Chromium each), printing each run and then the spread. */
export async function lighthouseRuns(dir: string, runs: number, pages = pagesOf(dir)): Promise<LighthouseRun[]> {
  const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
  const all: LighthouseRun[] = [];
  for (let i = 0; i < runs; i++) {
    const loadBefore = load();
    console.log(`${runs > 1 ? `第 ${i + 1}/${runs} 次 · ` : ''}负载 ${loadBefore}\n页面\t性能\t无障碍\t最佳做法\tSEO`);
    all.push({ rows: await runLighthouse(dir, pages), loadBefore });
    if (runs > 1) console.log(`第 ${i + 1} 次结束 · 负载 ${load()}`);
  }
  if (runs > 1) console.log(`\n${summariseRuns(all.map((r) => r.rows))}`);
  return all;
}

/** The run whose performance scores add up to the median of the runs' sums (the table BENCHMARKS.md keeps). */
function medianRun(runs: LighthouseRow[][]): LighthouseRow[] {
  const sum = (rows: LighthouseRow[]) => rows.reduce((a, r) => a + r.performance, 0);
  const sorted = [...runs].sort((a, b) => sum(a) - sum(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function lighthouseVersion(): string {
  return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/lighthouse/package.json'), 'utf8')) as { version: string }).version;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const dir = args.find((a, i) => !a.startsWith('--') && !['--note', '--runs', '--only'].includes(args[i - 1] ?? ''));
  if (!dir || !existsSync(path.join(dir, 'index.html'))) {
    console.error('用法：node scripts/lighthouse.ts DIST [--no-write] [--note 说明] [--runs N] [--only 县,县的月度表]（DIST：构建好的网站目录）');
    process.exit(2);
  }
  const note = args.includes('--note') ? args[args.indexOf('--note') + 1]! : `site at ${path.resolve(dir)}`;
  const runs = args.includes('--runs') ? Number(args[args.indexOf('--runs') + 1]) : 1;
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1]!.split(',') : null;
  if (!Number.isInteger(runs) || runs < 1) {
    console.error('--runs 要一个正整数');
    process.exit(2);
  }
  const pages = pagesOf(dir).filter((p) => !only || only.includes(p.what));
  const all = await lighthouseRuns(dir, runs, pages);
  if (!args.includes('--no-write')) {
    writeLighthouseSection(all, note);
    console.log('已写入 BENCHMARKS.md 的 Lighthouse 一节');
  }
}
