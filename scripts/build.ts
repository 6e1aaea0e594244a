/**
 * npm run build:
 * 1. `data:check` in a child process: ingest DATA_DIR (or find the snapshot of an identical
 *    earlier ingest); stop with the full Chinese report if it is invalid;
 * 2. `astro build` in a child process (the pages; it reads the same snapshot), and beside it
 *    scripts/site-extras.ts: the site-wide open-data files (/downloads/; their list handed to
 *    astro build's /data/ page), every page's own downloads (data.csv / data.json /
 *    series.json) and the name index, straight from the read model;
 * 3. once both have exited, Pagefind and SHA256SUMS (the files the downloads step wrote and the
 *    pages astro build rendered were hashed as they were made; only the rest are read);
 * 4. the personal-data gate over the whole site (scripts/privacy-check.ts): a hit fails the build.
 * Each step is a process of its own, with a heap cap, so that at national scale the whole
 * tree stays in its memory budget. Each step prints its time, so a slow build says where time
 * went, and the whole build writes a step log (JSON, scripts/build-log.ts) beside the site.
 *
 * The site folder is not emptied first: Astro leaves a page whose data and code are unchanged
 * where it is (instead of copying it back from its cache), and before the index and
 * checksums are written every file this build did not write or keep is removed, so the
 * result is exactly a build into an empty folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SNAPSHOT_ENV } from '../src/lib/ingest/ingest-cache.ts';
import { WRITTEN_SUMS_ENV } from '../src/lib/publish/checksums.ts';
import { SITE_DOWNLOADS_ENV } from '../src/lib/publish/opendata/site-downloads.ts';
import { PAGE_SUMS_ENV } from '../src/lib/publish/page-sums.ts';
import { defaultDataDir } from '../src/lib/ingest/ingest-fs.ts';
import { defaultBuildLogFile, readParts, round, StdoutLines, treeRss, type BuildLog, type StepRecord } from './build-log.ts';
import { BuildConsole } from '../src/build/build-console.ts';
import { hasEarlierOutput, pruneStale, startMark } from './build-prune.ts';
import { clearBuildOk, writeBuildOk } from '../src/lib/release/build-ok.ts';
// sharded builds (issue 34)
import { parseShardSpec, type ShardSpec } from '../src/lib/shard/shard-rule.ts';
import { SHARD_ENV, SHARD_SKIPPED_ENV } from '../src/lib/shard/shard-env.ts';
import { codeDigest, dataDigestOfSnapshot, finishShard, inputDigest } from '../src/build/shard.ts';
import { reuseShard } from '../src/build/shard-reuse.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
// --- sharded builds (issue 34) -------------------------------------------------------------
// `--merge DIR…`: scripts/build-merge.ts puts shards together and finishes the site as below.
if (process.argv.includes('--merge')) {
  await import('./build-merge.ts');
  process.exit(0);
}
// `--shard I/N` or `--shard shared/N`: one shard (src/lib/shard/shard-rule.ts), its own cache
// folder under ASTRO_CACHE_DIR, ending with its output manifest instead of the index steps.
const shardAt = process.argv.findIndex((a) => a === '--shard' || a.startsWith('--shard='));
let shard: ShardSpec | null = null;
if (shardAt >= 0) {
  const arg = process.argv[shardAt]!;
  try {
    shard = parseShardSpec(arg.startsWith('--shard=') ? arg.slice('--shard='.length) : (process.argv[shardAt + 1] ?? ''));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  process.argv.splice(shardAt, arg.startsWith('--shard=') ? 1 : 2);
  process.env[SHARD_ENV] = shard.kind === 'shared' ? `shared/${shard.count}` : `${shard.index}/${shard.count}`;
  process.env.ASTRO_CACHE_DIR = path.join(path.resolve(ROOT, process.env.ASTRO_CACHE_DIR || 'node_modules/.astro'), `shard-${shard.kind === 'shared' ? 'shared' : shard.index}-of-${shard.count}`);
}
// --- end sharded builds ---------------------------------------------------------------------
const OUT_DIR = path.resolve(ROOT, process.env.ASTRO_OUT_DIR || 'dist');
const CACHE_DIR = path.resolve(ROOT, process.env.ASTRO_CACHE_DIR || 'node_modules/.astro');
/**
 * Heap caps. The pages (astro build) and the downloads run side by side, one on each core, and
 * each holds the read model (at national scale about 1.3 GB of heap, see read-model.ts). V8
 * grows a heap towards its cap with garbage, so the caps, not the live data, set the resident
 * peak of the process tree. Each cap sits a little above what its process keeps live at
 * national scale (the step log's `heap` parts say how much), so that the two fit in the
 * memory budget together; the downloads step, which finishes first, takes more collections
 * rather than more room. The steps that run alone (Pagefind and SHA256SUMS) keep more room.
 * Raise the caps (or set NODE_OPTIONS) if the data outgrows them: a process over its cap
 * stops the build. The runs that set them: docs/decisions/0005-heap-caps.md.
 */
const ASTRO_HEAP = '--max-old-space-size=2816';
const EXTRAS_HEAP = '--max-old-space-size=1536';
const INDEX_HEAP = '--max-old-space-size=5632';
/**
 * Every page Astro renders passes through a Response: its bytes are V8 "external memory", and
 * by default each 64 MB of it starts a full mark of the heap, which holds the read model.
 * Counted in the global heap limit instead, a full GC comes when the heap itself has grown
 * (docs/decisions/0014-external-memory-in-global-limit.md). The flag is a V8 option, which
 * NODE_OPTIONS does not accept.
 */
const ASTRO_V8_FLAGS = ['--external-memory-accounted-in-global-limit'];
const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} 秒`;
// `npm run build -- --verbose` lists every page and every message of Astro's; other arguments go to astro build
const verbose = process.argv.includes('--verbose');
const astroArgs = process.argv.slice(2).filter((a) => a !== '--verbose');

const started = performance.now();
const log: BuildLog = { version: 1, ok: false, startedAt: new Date().toISOString(), seconds: 0, peakRssMB: 0, outDir: OUT_DIR, steps: [] };
const logFile = defaultBuildLogFile(OUT_DIR);
mkdirSync(path.dirname(logFile), { recursive: true });
const out = new BuildConsole((text) => process.stdout.write(text), { tty: Boolean(process.stdout.isTTY) && !process.env.CI, verbose, expectedPages: lastPageCount(logFile) });

/** How many pages the last build had (the progress bar's total), from its step log. */
function lastPageCount(file: string): number | null {
  try {
    const last = JSON.parse(readFileSync(file, 'utf8')) as BuildLog;
    const counts = last.steps.find((x) => x.id === 'astro-build')?.counts;
    return counts ? (counts.pagesRendered ?? 0) + (counts.pagesReused ?? 0) : null;
  } catch {
    return null;
  }
}
// Until this build finishes, the site folder has not passed its checks: npm run publish refuses it.
clearBuildOk(OUT_DIR);
// The downloads step hashes the files it writes and leaves the lines here for SHA256SUMS (scripts/site-extras.ts).
const writtenSums = `${logFile}.${process.pid}.written-sums`;
// ... and the list of the site-wide /downloads/ files here, for astro build's /data/ page and datapackage.json;
// astro build leaves the lines of the pages it renders here (src/middleware.ts).
const siteDownloads = `${logFile}.${process.pid}.site-downloads.json`;
const pageSums = `${logFile}.${process.pid}.page-sums`;
// sharded builds: the pages astro build answered with a stub (another shard's), deleted at the end
const shardSkipped = `${logFile}.${process.pid}.shard-skipped`;

/** The build's whole process tree sampled every 100 ms: its peak, when it was and which steps made it, and each step process's own. */
const stepPeaks = new Map<number, number>();
const stepOfPid = new Map<number, string>();
const sampler = setInterval(() => {
  const { total, byChild } = treeRss(process.pid);
  const totalMB = Math.round(total / 1024 / 1024);
  if (totalMB > log.peakRssMB) {
    log.peakRssMB = totalMB;
    log.peakAt = { seconds: round((performance.now() - started) / 1000), stepsMB: Object.fromEntries([...byChild].map(([pid, bytes]) => [stepOfPid.get(pid) ?? `pid ${pid}`, Math.round(bytes / 1024 / 1024)])) };
  }
  for (const [pid, bytes] of byChild) stepPeaks.set(pid, Math.max(stepPeaks.get(pid) ?? 0, bytes));
}, 100);

function writeLog(ok: boolean): void {
  clearInterval(sampler);
  rmSync(writtenSums, { force: true });
  rmSync(siteDownloads, { force: true });
  rmSync(pageSums, { force: true });
  rmSync(shardSkipped, { force: true });
  log.ok = ok;
  log.seconds = round((performance.now() - started) / 1000);
  const tmp = `${logFile}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(log, null, 2)}\n`);
  renameSync(tmp, logFile);
}

/** Step processes still running: a failed step stops the others (astro build would otherwise wait for the downloads' list). */
const running = new Set<ChildProcess>();

function fail(code: number): never {
  for (const child of running) child.kill();
  out.end();
  writeLog(false);
  process.exit(code);
}

interface StepRun {
  status: number;
  stdout: string;
  record: StepRecord;
}

/**
 * Run one step as a child process (its parts reported through a file of its own, see
 * build-log.ts). `passStdout`: its output goes straight through, else it is kept and returned.
 */
async function runStep(id: string, name: string, args: string[], opts: { env: NodeJS.ProcessEnv; passStdout: boolean }): Promise<StepRun> {
  const t = performance.now();
  const events = `${logFile}.${process.pid}.${id}.events`;
  writeFileSync(events, '');
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['inherit', 'pipe', 'inherit'], env: { ...opts.env, BUILD_STEP_EVENTS: events } });
  running.add(child);
  stepOfPid.set(child.pid!, id);
  let stdout = '';
  // whole lines to the console (a line split by the pipe is joined first)
  const lines = new StdoutLines(opts.passStdout ? (line) => out.line(line) : () => {});
  child.stdout.on('data', (chunk: Buffer) => {
    const text = lines.push(chunk);
    if (!opts.passStdout) stdout += text;
  });
  const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
  const rest = lines.end();
  if (!opts.passStdout) stdout += rest;
  running.delete(child);
  const { parts } = readParts(events, 0);
  rmSync(events, { force: true });
  const peak = stepPeaks.get(child.pid!);
  const record: StepRecord = { id, name, seconds: round((performance.now() - t) / 1000), peakRssMB: peak ? Math.round(peak / 1024 / 1024) : null, counts: sumCounts(parts), ...(parts.length ? { parts } : {}) };
  log.steps.push(record);
  return { status, stdout, record };
}

/** The environment without the import.meta.env names a test runner may have set (see the astro build step). */
function withoutViteEnv(from: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...from };
  for (const name of ['DEV', 'PROD', 'MODE', 'SSR', 'BASE_URL']) delete out[name];
  return out;
}

/** A process step's counts: its parts' counts added up by name. */
function sumCounts(parts: StepRecord[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.counts)) out[k] = (out[k] ?? 0) + v;
  return out;
}

// 1. the data check (its report is printed only when the data is invalid, then the build stops)
let t = performance.now();
const checkEnv: NodeJS.ProcessEnv = { ...process.env };
delete checkEnv[SNAPSHOT_ENV];
const check = await runStep('data-check', '数据校验', [path.join(ROOT, 'scripts/data-check.ts')], { env: checkEnv, passStdout: false });
if (check.status !== 0) {
  console.error(`数据校验未通过（DATA_DIR=${defaultDataDir()}），网站未构建：\n\n${check.stdout}`);
  fail(1);
}
for (const line of check.stdout.replace(/\n$/, '').split('\n')) if (line !== '') out.print(line);
// The later steps read the snapshot the check wrote or found, without reading and hashing DATA_DIR again.
const snapshot = check.record.parts?.find((p) => p.detail?.snapshot)?.detail?.snapshot;
const env: NodeJS.ProcessEnv = { ...process.env, ...(snapshot ? { [SNAPSHOT_ENV]: snapshot } : {}), [WRITTEN_SUMS_ENV]: writtenSums, [PAGE_SUMS_ENV]: pageSums, [SITE_DOWNLOADS_ENV]: siteDownloads };
// sharded builds: a slice writes no /downloads/ (the shared shard's); astro build lists the pages it leaves to other shards
if (shard?.kind === 'slice') delete env[SITE_DOWNLOADS_ENV];
if (shard) env[SHARD_SKIPPED_ENV] = shardSkipped;
out.print(`[数据] 校验通过，用时 ${seconds(t)}`);

// sharded builds, incremental: a slice whose data and code did not change is reused whole (src/build/shard-reuse.ts)
let sliceDigest: string | null = null;
if (shard?.kind === 'slice') {
  t = performance.now();
  const digest = await runStep('slice-digest', '分片摘要', [path.join(ROOT, 'scripts/shard-digest.ts')], { env, passStdout: false });
  if (digest.status !== 0) fail(digest.status);
  sliceDigest = (JSON.parse(digest.stdout.trim().split('\n').at(-1)!) as { sliceDigest: string }).sliceDigest;
  const reused = reuseShard(OUT_DIR, shard, sliceDigest, inputDigest(dataDigestOfSnapshot(snapshot)));
  if (reused) {
    out.print(`[分片] ${reused.shard}：本片的数据和代码未变，沿用上次的输出（${reused.files.toLocaleString('zh-CN')} 个文件），用时 ${seconds(t)}`);
    out.end();
    writeLog(true);
    process.exit(0);
  }
}

// 2. the pages, and 3. the downloads and the name index from the read model, side by side
// (heap caps above); Astro renders four pages at a time. Four overlap page writes with
// rendering where writes are asynchronous; inside this build they are synchronous
// (astro-writes.ts), where four against one is not measured.
t = performance.now();
const mark = startMark(CACHE_DIR);
// Into an empty folder nothing can be stale: the prune's walk (a stat of each of 900,000 files nationally, 10–65 s) is skipped.
const pruneNeeded = hasEarlierOutput(OUT_DIR);
writeFileSync(pageSums, '');
writeFileSync(shardSkipped, '');
const pages = runStep('astro-build', 'astro build', [...ASTRO_V8_FLAGS, path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', ...astroArgs], {
  // GPDZC_KEEP_OUT_DIR: astro.config.mjs then leaves the site folder as it is (pruned below).
  // ASTRO_CONCURRENCY: pages in flight (see astro.config.mjs).
  // BUILD_VERBOSE: Astro's logger (src/build/astro-logger.mjs) hands on every page's line too.
  // NODE_ENV=production whoever calls the build, and without the names vitest's workers set for
  // import.meta.env (DEV, PROD, MODE, SSR, BASE_URL: with DEV set the dev-only story report's CSS
  // was bundled; with NODE_ENV=test, React's development build): the same input, the same site.
  env: { ...withoutViteEnv(env), NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1', GPDZC_KEEP_OUT_DIR: '1', ASTRO_CONCURRENCY: process.env.ASTRO_CONCURRENCY ?? '4', NODE_OPTIONS: process.env.NODE_OPTIONS ?? ASTRO_HEAP, ...(verbose ? { BUILD_VERBOSE: '1' } : {}) },
  passStdout: true,
}).then((astro) => {
  if (astro.status !== 0) fail(astro.status);
  const done = out.pagesDone;
  astro.record.counts = { pagesRendered: done?.rendered ?? 0, pagesReused: done?.reused ?? 0 };
  astro.record.routes = done?.routes ?? {};
  out.print(`[页面] astro build 用时 ${seconds(t)}：渲染 ${(done?.rendered ?? 0).toLocaleString('zh-CN')} 个，数据和代码未变、沿用上次 ${(done?.reused ?? 0).toLocaleString('zh-CN')} 个`);
});
const extras = runStep('site-extras', '下载和名称索引', [path.join(ROOT, 'scripts/site-extras.ts')], { env: { ...env, NODE_OPTIONS: process.env.NODE_OPTIONS ?? EXTRAS_HEAP }, passStdout: true }).then((extras) => {
  if (extras.status !== 0) fail(extras.status);
});
await Promise.all([pages, extras]);

// 4. what an earlier build left and this one neither wrote nor kept goes, before the index and checksums see the folder
t = performance.now();
if (pruneNeeded) {
  const pruned = pruneStale(OUT_DIR, CACHE_DIR, mark, path.join(ROOT, 'public'));
  log.steps.push({ id: 'prune', name: '清理上次构建留下、本次没有的文件', seconds: round((performance.now() - t) / 1000), peakRssMB: null, counts: pruned });
  out.print(`[清理] 删除上次构建留下、本次没有的文件 ${pruned.deleted.toLocaleString('zh-CN')} 个（沿用未变的页面 ${pruned.kept.toLocaleString('zh-CN')} 个），用时 ${seconds(t)}`);
} else out.print('[清理] 构建前输出目录为空，没有上次留下的文件');

// sharded builds: a shard ends here with its output manifest (src/build/shard.ts); the merge runs the steps below
if (shard) {
  t = performance.now();
  const linesOf = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const done = await finishShard({
    site: OUT_DIR,
    spec: shard,
    skipped: linesOf(shardSkipped),
    known: [...linesOf(writtenSums), ...linesOf(pageSums)],
    inputDigest: inputDigest(dataDigestOfSnapshot(snapshot)),
    codeDigest: codeDigest(ROOT),
    siteUrl: process.env.SITE_URL || 'https://example.invalid',
    sliceDigest,
  });
  log.steps.push({ id: 'shard-finish', name: '分片清单', seconds: round((performance.now() - t) / 1000), peakRssMB: null, counts: { files: done.files, stubsDeleted: done.stubsDeleted, imagesDropped: done.imagesDropped, sitemapUrls: done.sitemapUrls } });
  out.print(`[分片] ${done.shard}：${done.files.toLocaleString('zh-CN')} 个文件（删去其他分片的占位页 ${done.stubsDeleted.toLocaleString('zh-CN')} 个），清单写入 ${path.join(OUT_DIR, '.gpdzc-shard')}，用时 ${seconds(t)}`);
  out.end();
  writeLog(true);
  process.exit(0);
}

// 5. Pagefind over the content pages, then SHA256SUMS
const index = await runStep('site-index', '搜索索引和 SHA256SUMS', [path.join(ROOT, 'scripts/site-extras.ts'), '--index'], { env: { ...env, NODE_OPTIONS: process.env.NODE_OPTIONS ?? INDEX_HEAP }, passStdout: true });
if (index.status !== 0) fail(index.status);

// 6. the personal-data gate over everything written, SHA256SUMS and the search index included
// (scripts/privacy-check.ts): any phone number, ID number, e-mail address, person's name or
// image GPS/owner field fails the build, every hit listed
const gate = await runStep('privacy-gate', '个人信息检查', [path.join(ROOT, 'scripts/privacy-check.ts'), OUT_DIR], { env, passStdout: true });
if (gate.status !== 0) fail(gate.status);
writeLog(true);
// Last of all: the mark that dist/ passed every check, read by npm run publish (src/lib/release/build-ok.ts).
writeBuildOk(OUT_DIR);
