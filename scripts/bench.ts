/**
 * npm run bench [-- --scale real|national|tiny …] [--no-write]
 * Generates each dataset with the sample generator, times ingest alone, runs the full
 * build (as a child process; wall time and the peak memory of its whole process tree,
 * sampled from /proc), counts pages and bytes, and weighs pages with everything they
 * load (gzip). Writes the table into BENCHMARKS.md with the machine it ran on.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ingestDataDir } from '../src/lib/ingest-fs.ts';
import { createSample, type SampleScale } from '../src/lib/sample/generate.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const WORK = path.join(ROOT, 'tmp', 'bench');
const args = process.argv.slice(2);
const scales: SampleScale[] = [];
for (let i = 0; i < args.length; i++) if (args[i] === '--scale') scales.push(args[++i] as SampleScale);
if (scales.length === 0) scales.push('real');
const write = !args.includes('--no-write');
/** `--ingest-only`: sample and data:check only (national scale does not build within budget yet). */
const ingestOnly = args.includes('--ingest-only');

const mb = (bytes: number) => (Number.isNaN(bytes) ? '未测' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const s = (ms: number) => (Number.isNaN(ms) ? '未测' : `${(ms / 1000).toFixed(1)} s`);

/** Resident memory of a process and all its descendants, from /proc. */
function treeRss(pid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const pages = Number(fields[21]);
      const p = Number(entry);
      rss.set(p, pages * 4096);
      const list = children.get(ppid) ?? [];
      list.push(p);
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

async function timed(cmd: string, cmdArgs: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; peak: number; code: number | null; output: string }> {
  const started = performance.now();
  const child = spawn(cmd, cmdArgs, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, treeRss(child.pid!))), 100);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(timer);
  return { ms: performance.now() - started, peak, code, output };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** A page and everything it loads (stylesheets, scripts, images), gzip-compressed, in bytes. */
function pageWeight(dist: string, url: string): { total: number; js: number; html: number; assets: string[] } | null {
  const file = path.join(dist, url, 'index.html');
  if (!existsSync(file)) return null;
  const html = readFileSync(file, 'utf8');
  const refs = [...html.matchAll(/<(?:link[^>]+rel="(?:stylesheet|icon|preload|modulepreload)"[^>]*href|script[^>]+src|img[^>]+src)="(\/[^"]+)"/g)].map((m) => m[1]!);
  let total = gzipSync(html).length;
  let js = 0;
  for (const ref of new Set(refs)) {
    const asset = path.join(dist, ref);
    if (!existsSync(asset)) continue;
    const size = gzipSync(readFileSync(asset)).length;
    total += size;
    if (ref.endsWith('.js') || ref.endsWith('.mjs')) js += size;
  }
  return { total, js, html: gzipSync(html).length, assets: [...new Set(refs)] };
}

interface Row {
  scale: SampleScale;
  villages: number;
  pairings: number;
  progressRows: number;
  ingestMs: number;
  ingestPeak: number;
  buildMs: number;
  buildPeak: number;
  pages: number;
  distBytes: number;
  weights: Array<{ what: string; url: string; total: number; js: number }>;
}

const rows: Row[] = [];
for (const scale of scales) {
  const dataDir = path.join(WORK, scale, 'data');
  const outDir = path.join(WORK, scale, 'dist');
  rmSync(path.join(WORK, scale), { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  console.log(`\n[${scale}] 生成示例数据……`);
  const sample = createSample({ scale });
  for (const f of sample.files()) {
    const target = path.join(dataDir, f.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, f.bytes);
  }

  console.log(`[${scale}] 只做数据校验（ingest）……`);
  const ingest = await timed(process.execPath, [path.join(ROOT, 'scripts/data-check.ts'), '--json'], { ...process.env, DATA_DIR: dataDir });
  if (ingest.code !== 0) throw new Error(`data:check failed for ${scale}:\n${ingest.output.slice(0, 2000)}`);
  const check = ingestDataDir(dataDir);

  if (ingestOnly) {
    rows.push({ scale, villages: check.villages.length, pairings: check.pairings.length, progressRows: check.progress.length, ingestMs: ingest.ms, ingestPeak: ingest.peak, buildMs: NaN, buildPeak: NaN, pages: NaN, distBytes: NaN, weights: [] });
    continue;
  }
  console.log(`[${scale}] 完整构建（astro build）……`);
  const build = await timed(process.execPath, [path.join(ROOT, 'scripts/build.ts')], {
    ...process.env,
    DATA_DIR: dataDir,
    ASTRO_OUT_DIR: outDir,
    ASTRO_CACHE_DIR: path.join(WORK, scale, 'cache'),
    ASTRO_TELEMETRY_DISABLED: '1',
  });
  if (build.code !== 0) throw new Error(`build failed for ${scale}:\n${build.output.slice(-3000)}`);
  const files = walk(outDir);
  const village = check.villages[0]!.code;
  const unit = check.units[0]!.code;
  const county = check.villages[0]!.countyCode;
  const month = check.months.at(-1)!;
  const weights = [
    { what: '村页面', url: `villages/${village}` },
    { what: '单位页面', url: `units/${unit}` },
    { what: '县附件3表', url: `counties/${county}/${month}` },
    { what: '首页', url: '' },
  ].flatMap((w) => {
    const weight = pageWeight(outDir, w.url);
    return weight ? [{ what: w.what, url: `/${w.url}${w.url ? '/' : ''}`, total: weight.total, js: weight.js }] : [];
  });
  const row: Row = {
    scale,
    villages: check.villages.length,
    pairings: check.pairings.length,
    progressRows: check.progress.length,
    ingestMs: ingest.ms,
    ingestPeak: ingest.peak,
    buildMs: build.ms,
    buildPeak: build.peak,
    pages: files.filter((f) => f.endsWith('.html')).length,
    distBytes: files.reduce((t, f) => t + statSync(f).size, 0),
    weights,
  };
  rows.push(row);
  console.log(JSON.stringify(row, null, 2));
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const machine = `${os.cpus().length} × ${cpu}, ${mb(os.totalmem())} RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
const date = new Date().toISOString().slice(0, 10);
const table = [
  `### ${date} · ${machine}`,
  '',
  '| 规模 | 村 | 结对 | 进展行 | 只校验（ingest） | 校验峰值内存 | 完整构建 | 构建峰值内存（进程树） | 页面数 | dist 大小 |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.scale} | ${r.villages.toLocaleString('zh-CN')} | ${r.pairings.toLocaleString('zh-CN')} | ${r.progressRows.toLocaleString('zh-CN')} | ${s(r.ingestMs)} | ${mb(r.ingestPeak)} | ${s(r.buildMs)} | ${mb(r.buildPeak)} | ${(Number.isNaN(r.pages) ? '未测' : r.pages.toLocaleString('zh-CN'))} | ${mb(r.distBytes)} |`),
  '',
  '| 规模 | 页面 | 地址 | 页面及其加载的全部资源（gzip） | 其中 JS |',
  '| --- | --- | --- | ---: | ---: |',
  ...rows.flatMap((r) => r.weights.map((w) => `| ${r.scale} | ${w.what} | \`${w.url}\` | ${kb(w.total)} | ${kb(w.js)} |`)),
  '',
].join('\n');
console.log(`\n${table}`);

if (write) {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const head = `# Benchmarks\n\nFigures from \`npm run bench\` (scripts/bench.ts): it generates each dataset with \`npm run sample\`, times \`data:check\` alone (the floor), then a full \`astro build\` in a child process, sampling the resident memory of the whole process tree every 100 ms. Page weight is the page's HTML plus every stylesheet, script and image it references, each gzip-compressed. Newest run first; the machine is named with each run. Machines here are shared and noisy: compare runs on the same machine.\n\nBudgets (GUIDE §7, issues 3 and 8): real scale, full build ≤ 30–60 s and ≤ 2 GB; a village page ≤ 35 KB gzip with 0 KB JS.\n\n`;
  const previous = existsSync(file) ? readFileSync(file, 'utf8').split('\n### ').slice(1).map((x) => `### ${x}`) : [];
  writeFileSync(file, head + [table, ...previous].join('\n'));
  console.log(`已写入 ${path.relative(ROOT, file)}`);
}
