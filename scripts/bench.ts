/**
 * npm run bench [-- --scale real|national|tiny …] [--ingest-only] [--full-only] [--no-write] [--shards N [--bandwidth MB/s] [--shards-only]] [--lighthouse [--lighthouse-runs N]]
 * For each scale: generates the dataset with the sample generator, times ingest alone (the
 * floor), runs the full build (as a child process; wall time and the peak memory of its
 * whole process tree, sampled from /proc), counts pages and bytes, weighs pages with
 * everything they load (gzip), then the monthly rebuild — the site built without the last
 * month, the month added, rebuilt with the same cache (timed, with how many pages were
 * reused, and checked to equal the full build's SHA256SUMS) — and one search query in
 * headless Chromium (bytes fetched, time to the first result). Writes the tables into
 * BENCHMARKS.md with the machine it ran on. With `--lighthouse`: then Lighthouse mobile over
 * one page of each type of the first scale's build (scripts/lighthouse.ts), three runs (or
 * `--lighthouse-runs N`), the median run and every page type's spread into the file's
 * Lighthouse section.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ingestDataDirCached } from '../src/lib/ingest/ingest-cache.ts';
import { createSample, type SampleScale } from '../tools/sample/generate.ts';
import { treeRss, type BuildLog, type StepRecord } from '../src/build/build-log.ts';
import { measureSearch, type SearchWeight } from './search-weight.ts';
import { shardedBuild, shardTable, type ShardedBuild } from './bench-shards.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const WORK = path.join(ROOT, 'tmp', 'bench');
const args = process.argv.slice(2);
const scales: SampleScale[] = [];
for (let i = 0; i < args.length; i++) if (args[i] === '--scale') scales.push(args[++i] as SampleScale);
if (scales.length === 0) scales.push('real');
/**
 * `--shards-only` (with `--shards N`): only sharded builds, no unsharded one; prints the shard
 * table and writes nothing. For the national scale, where the unsharded build alone takes about
 * 35 minutes here. With `--full-only`: the sharded full build, compared with the unsharded build
 * an earlier run left in tmp/bench/<scale>/dist (say which code built it), or, without one, on a
 * new sample and not compared. Otherwise the monthly pair: the shards built cold from the data
 * without its last month (a full build of one month less), then the month added and every shard
 * rebuilt with its own cache and last output, then merged (not compared: there is no unsharded
 * build of the same data).
 */
const shardsOnly = args.includes('--shards-only');
const write = !args.includes('--no-write') && !shardsOnly;
/** `--ingest-only`: sample and data:check only. */
const ingestOnly = args.includes('--ingest-only');
/** `--full-only`: no monthly rebuild (at national scale the full builds alone, sharded and not, take about two hours here). */
const fullOnly = args.includes('--full-only');
/** `--shards N` (issue 34): also the sharded build, its N slices and shared shard one after another, and the merge (scripts/bench-shards.ts); `--bandwidth MB/s` for the estimate of N runners' wall time (default 20). */
const shardCount = args.includes('--shards') ? Number(args[args.indexOf('--shards') + 1]) : 0;
const bandwidthMBs = args.includes('--bandwidth') ? Number(args[args.indexOf('--bandwidth') + 1]) : 20;
const shardRows: Array<{ scale: string; build: string; result: ShardedBuild; identical: boolean | null }> = [];

function writeSample(scale: SampleScale, dataDir: string): void {
  for (const f of createSample({ scale }).files()) {
    const target = path.join(dataDir, f.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, f.bytes);
  }
}

const mb = (bytes: number) => (Number.isNaN(bytes) ? '未测' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const s = (ms: number) => (Number.isNaN(ms) ? '未测' : `${(ms / 1000).toFixed(1)} s`);

interface Timed {
  ms: number;
  /** peak resident memory of the whole process tree */
  peak: number;
  code: number | null;
  output: string;
}

async function timed(cmd: string, cmdArgs: string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  const started = performance.now();
  const child = spawn(cmd, cmdArgs, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRss(child.pid!).total);
  }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(timer);
  return { ms: performance.now() - started, peak, code, output };
}

/** Where a build's time and memory went: its step log (src/build/build-log.ts), each process step then its parts. */
function buildSteps(log: BuildLog): Array<{ step: string; seconds: number; peakRssMB: number | null; counts: Record<string, number> }> {
  return log.steps.flatMap((s) => [
    { step: `${s.name}（${s.id}）`, seconds: s.seconds, peakRssMB: s.peakRssMB, counts: s.counts },
    ...(s.parts ?? []).map((p) => ({ step: `└ ${p.name}（${p.id}）`, seconds: p.seconds, peakRssMB: p.peakRssMB, counts: p.counts })),
  ]).concat(
    // which steps were running at the tree's peak, and what each held then ("seconds": when, after the build started)
    log.peakAt ? [{ step: `进程树峰值时刻（构建开始后第 ${log.peakAt.seconds.toFixed(1)} 秒；计数为各步骤当时的内存，MB）`, seconds: log.peakAt.seconds, peakRssMB: log.peakRssMB, counts: log.peakAt.stepsMB }] : [],
  );
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
  monthly: { month: string; ms: number; peak: number; rendered: number; reused: number; identical: boolean } | null;
  /** where the time and memory of the full build and of the monthly rebuild went */
  steps: Array<{ build: string; steps: ReturnType<typeof buildSteps>; routes: NonNullable<StepRecord['routes']> }>;
  /** the search, run three times in fresh browser contexts; bytes from the first, time the median */
  search: (SearchWeight & { runsMs: number[] }) | null;
}

/** astro build's pages by route (first segment of the path), from the step log. */
function astroRoutes(log: BuildLog): NonNullable<StepRecord['routes']> {
  return log.steps.find((s) => s.id === 'astro-build')?.routes ?? {};
}

/** Pages rendered and reused, as the build's step log counts them. */
function pageCounts(log: BuildLog): { rendered: number; reused: number } {
  const astro = log.steps.find((s) => s.id === 'astro-build');
  return { rendered: astro?.counts.pagesRendered ?? NaN, reused: astro?.counts.pagesReused ?? NaN };
}

/**
 * Run `fn` on the data as it stood before `month` arrived: the month's exports and bulletin text
 * parked beside the data, its manifest entries and revisions left out; everything put back after.
 */
async function withoutMonth<T>(dataDir: string, bulletinsDir: string, month: string, fn: () => Promise<T>): Promise<T> {
  const monthDir = path.join(dataDir, 'exports', month);
  const parked = path.join(path.dirname(dataDir), `parked-${month}`);
  const manifestFile = path.join(dataDir, 'manifest.json');
  const manifest = existsSync(manifestFile) ? readFileSync(manifestFile, 'utf8') : null;
  const bulletinText = path.join(bulletinsDir, `${month}.mdx`);
  const parkedText = `${parked}.mdx`;
  const hasText = existsSync(bulletinText);
  renameSync(monthDir, parked);
  if (hasText) renameSync(bulletinText, parkedText);
  if (manifest) {
    const m = JSON.parse(manifest) as { published: Record<string, unknown>; revisions: Array<{ month: string }> };
    m.published = Object.fromEntries(Object.entries(m.published).filter(([f]) => !f.startsWith(`exports/${month}/`)));
    m.revisions = m.revisions.filter((r) => r.month !== month);
    writeFileSync(manifestFile, `${JSON.stringify(m, null, 2)}\n`);
  }
  try {
    return await fn();
  } finally {
    renameSync(parked, monthDir);
    if (hasText) renameSync(parkedText, bulletinText);
    if (manifest) writeFileSync(manifestFile, manifest);
  }
}

/**
 * `--shards-only`: the data, stories and bulletins folders of an earlier run, as they are; without
 * an earlier run, a new sample (and nothing to compare with). The environment of the shard builds.
 */
function shardsOnlyInput(scale: SampleScale, dataDir: string): { env: NodeJS.ProcessEnv; bulletins: string } {
  if (shardCount < 1) throw new Error('--shards-only 需要 --shards N');
  const stories = scale === 'real' ? path.join(ROOT, 'content/stories') : path.join(WORK, scale, 'no-stories');
  const bulletins = path.join(WORK, scale, 'bulletins');
  if (!existsSync(dataDir)) {
    console.log(`\n[${scale}] 生成示例数据（没有之前一次运行的数据）……`);
    writeSample(scale, dataDir);
    mkdirSync(stories, { recursive: true });
    mkdirSync(bulletins, { recursive: true });
  }
  return { env: { ...process.env, DATA_DIR: dataDir, STORIES_DIR: stories, BULLETINS_DIR: bulletins, ASTRO_TELEMETRY_DISABLED: '1' }, bulletins };
}

const rows: Row[] = [];
for (const scale of scales) {
  const dataDir = path.join(WORK, scale, 'data');
  const outDir = path.join(WORK, scale, 'dist');
  if (shardsOnly && !fullOnly) {
    const { env, bulletins } = shardsOnlyInput(scale, dataDir);
    const root = path.join(WORK, scale, 'shards-monthly');
    rmSync(root, { recursive: true, force: true });
    const months = readdirSync(path.join(dataDir, 'exports')).filter((m) => /^\d{4}-\d{2}$/.test(m)).sort();
    const month8 = months.at(-1)!;
    const bandwidth = bandwidthMBs * 1024 * 1024;
    console.log(`[${scale}] 只做分片构建：先不含 ${month8} 的 ${shardCount} 片和共用分片（缓存为空），再加入 ${month8} 重新构建，各自合并……`);
    const before = await withoutMonth(dataDir, bulletins, month8, () => shardedBuild({ root, count: shardCount, env, timed, bandwidth, label: `${month8} 之前`, rootDir: ROOT, move: false }));
    shardRows.push({ scale, build: `完整构建（${month8} 之前的 ${months.length - 1} 个月），${shardCount} 片`, result: before, identical: null });
    rmSync(before.merged, { recursive: true, force: true });
    const monthly = await shardedBuild({ root, count: shardCount, env, timed, bandwidth, label: `加入 ${month8}`, rootDir: ROOT, move: true });
    shardRows.push({ scale, build: `月度更新（加入 ${month8}），${shardCount} 片`, result: monthly, identical: null });
    cpSync(path.join(monthly.merged, 'SHA256SUMS'), path.join(WORK, scale, `SHA256SUMS.sharded-${shardCount}-monthly`));
    console.log(shardTable(shardRows.filter((r) => r.scale === scale), bandwidthMBs));
    continue;
  }
  if (shardsOnly) {
    const earlier = path.join(outDir, 'SHA256SUMS');
    const { env } = shardsOnlyInput(scale, dataDir);
    console.log(`[${scale}] 只做分片构建：${shardCount} 片和共用分片依次构建，再合并（缓存为空）${existsSync(earlier) ? `，与 ${outDir} 中之前的完整构建比较` : '；没有之前的完整构建，不比较'}……`);
    rmSync(path.join(WORK, scale, 'shards'), { recursive: true, force: true });
    const result = await shardedBuild({ root: path.join(WORK, scale, 'shards'), count: shardCount, env, timed, bandwidth: bandwidthMBs * 1024 * 1024, label: '完整构建', rootDir: ROOT, move: true });
    const sums = readFileSync(path.join(result.merged, 'SHA256SUMS'), 'utf8');
    shardRows.push({ scale, build: `完整构建，${shardCount} 片`, result, identical: existsSync(earlier) ? sums === readFileSync(earlier, 'utf8') : null });
    cpSync(path.join(result.merged, 'SHA256SUMS'), path.join(WORK, scale, `SHA256SUMS.sharded-${shardCount}-full`));
    console.log(shardTable(shardRows.filter((r) => r.scale === scale), bandwidthMBs));
    continue;
  }
  rmSync(path.join(WORK, scale), { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  console.log(`\n[${scale}] 生成示例数据……`);
  writeSample(scale, dataDir);

  console.log(`[${scale}] 只做数据校验（ingest）……`);
  // A cache folder of its own, so this is a real ingest (plus writing its snapshot), and the build below starts cold.
  const ingest = await timed(process.execPath, [path.join(ROOT, 'scripts/data-check.ts'), '--json'], { ...process.env, DATA_DIR: dataDir, ASTRO_CACHE_DIR: path.join(WORK, scale, 'check-cache') });
  if (ingest.code !== 0) throw new Error(`data:check failed for ${scale}:\n${ingest.output.slice(0, 2000)}`);
  // The check above left its snapshot: read it back instead of ingesting a second time.
  const check = ingestDataDirCached(dataDir, path.join(WORK, scale, 'check-cache', 'gpdzc-ingest')).result;

  if (ingestOnly) {
    rows.push({ scale, villages: check.villages.length, pairings: check.pairings.length, progressRows: check.progress.length, ingestMs: ingest.ms, ingestPeak: ingest.peak, buildMs: NaN, buildPeak: NaN, pages: NaN, distBytes: NaN, weights: [], monthly: null, steps: [], search: null });
    continue;
  }
  // The shipped stories name villages of the real-scale sample; other scales build without them.
  const storiesDir = scale === 'real' ? path.join(ROOT, 'content/stories') : path.join(WORK, scale, 'no-stories');
  const bulletinsDir = path.join(WORK, scale, 'bulletins');
  mkdirSync(storiesDir, { recursive: true });
  mkdirSync(bulletinsDir, { recursive: true });
  if (scale === 'real') cpSync(path.join(ROOT, 'content/bulletins'), bulletinsDir, { recursive: true });
  let builds = 0;
  const buildSite = async (data: string, out: string, cache: string) => {
    const stepsFile = path.join(WORK, scale, `build-steps-${++builds}.json`);
    const r = await timed(process.execPath, [path.join(ROOT, 'scripts/build.ts')], { ...process.env, DATA_DIR: data, STORIES_DIR: storiesDir, BULLETINS_DIR: bulletinsDir, ASTRO_OUT_DIR: out, ASTRO_CACHE_DIR: cache, ASTRO_TELEMETRY_DISABLED: '1', BUILD_STEPS_FILE: stepsFile });
    writeFileSync(stepsFile.replace(/\.json$/, '.log'), r.output);
    if (r.code !== 0) throw new Error(`build failed for ${scale}:\n${r.output.slice(-3000)}`);
    for (const line of r.output.split('\n')) if (/^\[(数据|页面|模型|下载|索引|清理)\]/.test(line)) console.log(`  ${line}`);
    return { ...r, log: JSON.parse(readFileSync(stepsFile, 'utf8')) as BuildLog };
  };
  console.log(`[${scale}] 完整构建（npm run build，缓存为空）……`);
  const build = await buildSite(dataDir, outDir, path.join(WORK, scale, 'cache'));
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
  const shardEnv = { ...process.env, DATA_DIR: dataDir, STORIES_DIR: storiesDir, BULLETINS_DIR: bulletinsDir, ASTRO_TELEMETRY_DISABLED: '1' };
  const sumsOf = (dir: string) => readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8');
  if (shardCount > 0) {
    console.log(`[${scale}] 分片构建：${shardCount} 片和共用分片依次构建，再合并（缓存为空）……`);
    const result = await shardedBuild({ root: path.join(WORK, scale, 'shards'), count: shardCount, env: shardEnv, timed, bandwidth: bandwidthMBs * 1024 * 1024, label: '完整构建', rootDir: ROOT, move: true });
    shardRows.push({ scale, build: `完整构建，${shardCount} 片`, result, identical: sumsOf(result.merged) === sumsOf(outDir) });
    // kept for `diff` against dist/SHA256SUMS
    cpSync(path.join(result.merged, 'SHA256SUMS'), path.join(WORK, scale, `SHA256SUMS.sharded-${shardCount}-full`));
    rmSync(path.join(WORK, scale, 'shards'), { recursive: true, force: true });
  }
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
    monthly: null,
    steps: [{ build: '完整构建', steps: buildSteps(build.log), routes: astroRoutes(build.log) }],
    search: null,
  };

  // The monthly rebuild (skipped with --full-only): a site built before the last month arrived, then the month added.
  if (!fullOnly) {
    const month8 = check.months.at(-1)!;
    const before = path.join(WORK, scale, 'before');
    await withoutMonth(dataDir, bulletinsDir, month8, async () => {
      console.log(`[${scale}] 月度更新：先构建 ${month8} 之前的网站……`);
      await buildSite(dataDir, path.join(before, 'dist'), path.join(before, 'cache'));
      if (shardCount > 0) await shardedBuild({ root: path.join(before, 'shards'), count: shardCount, env: shardEnv, timed, bandwidth: bandwidthMBs * 1024 * 1024, label: `${month8} 之前`, rootDir: ROOT, move: false });
    });
    console.log(`[${scale}] 月度更新：加入 ${month8}，用同一缓存重新构建……`);
    const monthly = await buildSite(dataDir, path.join(before, 'dist'), path.join(before, 'cache'));
    row.monthly = { month: month8, ms: monthly.ms, peak: monthly.peak, ...pageCounts(monthly.log), identical: sumsOf(path.join(before, 'dist')) === sumsOf(outDir) };
    row.steps.push({ build: `月度更新（加入 ${month8}）`, steps: buildSteps(monthly.log), routes: astroRoutes(monthly.log) });
    if (shardCount > 0) {
      console.log(`[${scale}] 分片的月度更新：加入 ${month8}，各分片用自己的缓存和上次的输出重新构建，再合并……`);
      const result = await shardedBuild({ root: path.join(before, 'shards'), count: shardCount, env: shardEnv, timed, bandwidth: bandwidthMBs * 1024 * 1024, label: `加入 ${month8}`, rootDir: ROOT, move: true });
      shardRows.push({ scale, build: `月度更新（加入 ${month8}），${shardCount} 片`, result, identical: sumsOf(result.merged) === sumsOf(outDir) });
      cpSync(path.join(result.merged, 'SHA256SUMS'), path.join(WORK, scale, `SHA256SUMS.sharded-${shardCount}-monthly`));
    }
    rmSync(before, { recursive: true, force: true });
  }

  const query = check.villages[Math.floor(check.villages.length / 2)]!.name;
  console.log(`[${scale}] 搜索：在 Chromium 中查询「${query}」……`);
  const runs = await measureSearch([outDir], [query, query, query]);
  const runsMs = runs.map((r) => r.firstResultMs);
  row.search = { ...runs[0]!, firstResultMs: [...runsMs].sort((a, b) => a - b)[1]!, runsMs };
  for (const x of row.search.largest) console.log(`  ${kb(x.bytes).padStart(9)}  ${x.url}`);
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
  '| 规模 | 月度更新（加入一个月，同一缓存） | 峰值内存 | 重新渲染的页面 | 沿用上次的页面 | 与完整构建逐字节相同 |',
  '| --- | ---: | ---: | ---: | ---: | --- |',
  ...rows.flatMap((r) => (r.monthly ? [`| ${r.scale} | 加入 ${r.monthly.month}：${s(r.monthly.ms)} | ${mb(r.monthly.peak)} | ${r.monthly.rendered.toLocaleString('zh-CN')} | ${r.monthly.reused.toLocaleString('zh-CN')} | ${r.monthly.identical ? '是（SHA256SUMS 相同）' : '**否**'} |`] : [])),
  '',
  '| 规模 | 搜索（Chromium，无缓存） | 传输字节（含页面本身，文本按 gzip 计） | 请求数 | 打开页面到第一条结果（三次的中位数；三次） | 第一条结果 |',
  '| --- | --- | ---: | ---: | ---: | --- |',
  ...rows.flatMap((r) => (r.search ? [`| ${r.scale} | 「${r.search.query}」 | ${kb(r.search.bytes)} | ${r.search.requests} | ${r.search.firstResultMs.toFixed(0)} ms（${r.search.runsMs.map((x) => x.toFixed(0)).join(' / ')}） | \`${r.search.href}\` |`] : [])),
  '',
  '| 规模 | 构建 | 步骤（构建的步骤记录，src/build/build-log.ts；└ 为该进程报告的部分） | 用时 | 峰值内存（步骤：进程树；部分：该进程） | 计数 |',
  '| --- | --- | --- | ---: | ---: | --- |',
  ...rows.flatMap((r) => r.steps.flatMap((b) => b.steps.map((x) => `| ${r.scale} | ${b.build} | ${x.step} | ${x.seconds.toFixed(1)} s | ${x.peakRssMB === null ? '—' : `${x.peakRssMB} MB`} | ${Object.entries(x.counts).map(([k, v]) => `${k} ${v.toLocaleString('zh-CN')}`).join('，')} |`))),
  '',
  '| 规模 | 构建 | astro build 的页面（路径第一段） | 渲染 | 沿用 | 渲染用时之和（4 个页面同时进行，彼此重叠） | 每页 |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: |',
  ...rows.flatMap((r) => r.steps.flatMap((b) => Object.entries(b.routes).sort(([, x], [, y]) => y.ms - x.ms).map(([route, x]) => `| ${r.scale} | ${b.build} | \`/${route === '/' ? '' : route}\` | ${x.rendered.toLocaleString('zh-CN')} | ${x.reused.toLocaleString('zh-CN')} | ${(x.ms / 1000).toFixed(1)} s | ${x.rendered ? `${(x.ms / x.rendered).toFixed(2)} ms` : '—'} |`))),
  '',
  ...(shardRows.length ? [`分片构建（\`--shards ${shardCount}\`，issue 34）：各分片在本机依次运行；N 台机器的墙钟时间按最慢的分片 + 传输 + 合并估算。`, '', shardTable(shardRows, bandwidthMBs)] : []),
].join('\n');
console.log(`\n${table}`);

if (write) {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const head = `# Benchmarks\n\nThe newest run of \`npm run bench\` (scripts/bench.ts) at each scale with the machine it ran on, then Lighthouse per page type (scripts/lighthouse.ts, the file's last section). Older runs are in docs/benchmarks-history.md: when a new run of a scale lands on top, move that scale's earlier run there. The figures behind past decisions are in docs/decisions/; the budgets are GUIDE §7.\n\nWhat the bench measures: it generates each dataset with \`npm run sample\`, times \`data:check\` alone (the floor), then a full \`npm run build\` in a child process, sampling the resident memory of the whole process tree every 100 ms; then the monthly rebuild (the site built without the last month, the month added, rebuilt with the same cache; checked to equal the full build); then one search query in headless Chromium with the browser cache off. Page weight is the page's HTML plus every stylesheet, script and image it references, each gzip-compressed. Each build's step log (\`tmp/build-steps.json\` beside the site, src/build/build-log.ts) gives seconds, peak memory and counts per step. Machines here are shared and noisy: compare runs on the same machine.\n\n`;
  const previous = existsSync(file) ? readFileSync(file, 'utf8').split('\n### ').slice(1).map((x) => `### ${x}`) : [];
  writeFileSync(file, head + [table, ...previous].join('\n'));
  console.log(`已写入 ${path.relative(ROOT, file)}`);
}

if (args.includes('--lighthouse') && !ingestOnly) {
  const { lighthouseRuns, writeLighthouseSection } = await import('./lighthouse.ts');
  // several runs, because one run on a shared 2-core host moves by 5–15 points
  const runs = args.includes('--lighthouse-runs') ? Number(args[args.indexOf('--lighthouse-runs') + 1]) : 3;
  const all = await lighthouseRuns(path.join(WORK, scales[0]!, 'dist'), runs);
  if (write) writeLighthouseSection(all, `\`npm run bench -- --lighthouse\`, ${scales[0]} scale, ${runs} runs`);
}
