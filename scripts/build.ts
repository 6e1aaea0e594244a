/**
 * npm run build:
 * 1. `data:check` in a child process: ingest DATA_DIR (or find the snapshot of an identical
 *    earlier ingest); stop with the full Chinese report if it is invalid;
 * 2. `astro build` in a child process (the pages; it reads the same snapshot);
 * 3. once Astro has exited, scripts/site-extras.ts: every page's own downloads (data.csv /
 *    data.json), the search index and SHA256SUMS, straight from the read model.
 * Each step is a process of its own so that at national scale no two copies of the data are
 * in memory at once. Each step prints its time, so a slow build says where time went.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { defaultDataDir } from '../src/lib/ingest/ingest-fs.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
// National scale needs more than V8's default heap (about 4 GB) for the read model.
const HEAP = '--max-old-space-size=5632';
/**
 * Every page Astro renders passes through a Response: its bytes are V8 "external memory", and
 * by default each 64 MB of it starts a full mark of the heap (at national scale the read
 * model, about 3.4 GB: ~3 s each, one every ~2,500 village pages). Counted in the global heap
 * limit instead, a full GC comes when the heap itself has grown. Left at 5.5 GB, the heap then
 * grows until the national build's peak is 6.7 GB (budget 6 GB), so Astro's heap is capped at
 * 4.5 GB: live data peaks at about 4.0 GB there (raise it, or set NODE_OPTIONS, if the data
 * outgrows that). 32,000 national village pages, before and after this and the trend-chart
 * change: 13 full GCs -> 4, 2.37 -> 1.62 ms a page, peak RSS 4.64 -> 5.05 GB. The flag is a
 * V8 option, which NODE_OPTIONS does not accept.
 */
const ASTRO_V8_FLAGS = ['--external-memory-accounted-in-global-limit'];
const ASTRO_HEAP = '--max-old-space-size=4608';
const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} 秒`;

let t = performance.now();
const check = spawnSync(process.execPath, [path.join(ROOT, 'scripts/data-check.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
if (check.status !== 0) {
  console.error(`数据校验未通过（DATA_DIR=${defaultDataDir()}），网站未构建：\n\n${check.stdout}`);
  process.exit(1);
}
process.stdout.write(check.stdout);
console.log(`[数据] 校验通过，用时 ${seconds(t)}`);

t = performance.now();
// Astro's log passes through; its per-page lines are counted to say how much was reused.
const astro = spawn(process.execPath, [...ASTRO_V8_FLAGS, path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: ['inherit', 'pipe', 'inherit'],
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NODE_OPTIONS: process.env.NODE_OPTIONS ?? ASTRO_HEAP },
});
const counts = { rendered: 0, reused: 0 };
let pending = '';
astro.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  const lines = (pending + chunk.toString('utf8')).split('\n');
  pending = lines.pop()!;
  for (const line of lines) {
    // A page is logged as "├─ /path/index.html (+3ms)"; an incremental reuse as "… (cached)" or "(restored)".
    if (/\((cached|restored)\)/.test(line)) counts.reused++;
    else if (/\(\+[\d.]+m?s\)/.test(line)) counts.rendered++;
  }
});
const status = await new Promise<number>((resolve) => astro.on('close', (code) => resolve(code ?? 1)));
if (status !== 0) process.exit(status);
console.log(`[页面] astro build 用时 ${seconds(t)}：渲染 ${counts.rendered.toLocaleString('zh-CN')} 个，数据和代码未变、沿用上次 ${counts.reused.toLocaleString('zh-CN')} 个`);

// 3. downloads and search documents (with room for the read model), then the index (see scripts/site-extras.ts).
for (const step of [[], ['--index']]) {
  const extras = spawnSync(process.execPath, [path.join(ROOT, 'scripts/site-extras.ts'), ...step], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: process.env.NODE_OPTIONS ?? HEAP } });
  if (extras.status !== 0) process.exit(extras.status ?? 1);
}
