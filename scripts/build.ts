/**
 * npm run build:
 * 1. the data step in a child process (src/build/steps/data.ts): check DATA_DIR (or find the
 *    snapshot of an identical earlier ingest); stop with the full Chinese report if it is
 *    invalid; else write the site-wide open-data files (/downloads/) from the read model;
 * 2. the handoff manifest for the steps after it, written once (src/build/handoff.ts): the
 *    snapshot, the /downloads/ list, where SHA256SUMS lines are left, the build's options;
 * 3. `astro build` in a child process (the pages; it reads the same snapshot, and /data/ and
 *    datapackage.json the /downloads/ list), and beside it the downloads step
 *    (src/build/steps/site-extras.ts): every page's own downloads (data.csv / data.json /
 *    series.json) and the name index, straight from the read model;
 * 4. once both have exited, what an earlier build left and this one did not write is pruned;
 * 5. Pagefind and SHA256SUMS (the files the steps wrote and the pages astro build rendered were
 *    hashed as they were made; only the rest are read);
 * 6. the personal-data gate over the whole site (scripts/privacy-check.ts): a hit fails the build.
 *
 * Sharded builds (issue 34, docs/sharded-build.md), two branches of the same list:
 * - `--shard I/N | shared/N`: steps 1–4 for one shard (its pages, its downloads; its own cache
 *   folder under ASTRO_CACHE_DIR; the shard is a field of the handoff), then the shard's output
 *   manifest (src/build/shard.ts) instead of 5 and 6. A slice whose data and code did not change
 *   since its last output is reused whole after step 1 (src/build/shard-reuse.ts).
 * - `--merge DIR…`: the shards' outputs put together (scripts/build-merge.ts) instead of 1–4,
 *   then 5 and 6 as above.
 * Each step is a process of its own, with a heap cap, so that at national scale the whole
 * tree stays in its memory budget (src/build/step-runner.ts). Each step prints its time, so a
 * slow build says where time went, and the whole build writes a step log (JSON,
 * src/build/build-log.ts) beside the site.
 *
 * The site folder is not emptied first: Astro leaves a page whose data and code are unchanged
 * where it is (instead of copying it back from its cache), and before the index and
 * checksums are written every file this build did not write or keep is removed, so the
 * result is exactly a build into an empty folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultDataDir } from '../src/lib/ingest/ingest-fs.ts';
import { StepRunner, seconds, withoutViteEnv } from '../src/build/step-runner.ts';
import { hasEarlierOutput, pruneStale, startMark } from '../src/build/prune.ts';
import { round } from '../src/build/build-log.ts';
import { heapCapsFor, heapOption, INDEX_HEAP_MB } from '../src/build/heap-caps.ts';
import type { BuildHandoff } from '../src/build/handoff.ts';
import { checksumLine } from '../src/lib/publish/checksums.ts';
import { clearBuildOk, writeBuildOk } from '../src/lib/release/build-ok.ts';
// sharded builds (issue 34)
import { parseShardSpec, shardName, type ShardSpec } from '../src/lib/shard/shard-rule.ts';
import { codeDigest, dataDigestOfSnapshot, finishShard, inputDigest } from '../src/build/shard.ts';
import { reuseShard } from '../src/build/shard-reuse.ts';
import { mergeShardsStep } from './build-merge.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
// `npm run build -- --verbose` lists every page and every message of Astro's; `--shard I/N`,
// `--shard shared/N` and `--merge DIR… [--move]` are sharded builds' (issue 34); other arguments go to astro build
const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const mergeDirs = args.includes('--merge') ? args.slice(args.indexOf('--merge') + 1).filter((a) => !a.startsWith('--')) : null;
const shard = shardOfArgs(args);
if (shard) process.env.ASTRO_CACHE_DIR = path.join(path.resolve(ROOT, process.env.ASTRO_CACHE_DIR || 'node_modules/.astro'), `shard-${shard.kind === 'shared' ? 'shared' : shard.index}-of-${shard.count}`);
const astroArgs = args.filter((a, i) => a !== '--verbose' && !/^--shard(=|$)/.test(a) && args[i - 1] !== '--shard');
const OUT_DIR = path.resolve(ROOT, process.env.ASTRO_OUT_DIR || 'dist');
const CACHE_DIR = path.resolve(ROOT, process.env.ASTRO_CACHE_DIR || 'node_modules/.astro');
/**
 * Every page Astro renders passes through a Response: its bytes are V8 "external memory", and
 * by default each 64 MB of it starts a full mark of the heap, which holds the read model.
 * Counted in the global heap limit instead, a full GC comes when the heap itself has grown
 * (docs/decisions/0014-external-memory-in-global-limit.md). The flag is a V8 option, which
 * NODE_OPTIONS does not accept.
 */
const ASTRO_V8_FLAGS = ['--external-memory-accounted-in-global-limit'];
const steps = new StepRunner(ROOT, OUT_DIR, { verbose });
const { out } = steps;
// Until this build finishes, the site folder has not passed its checks: npm run publish refuses it.
clearBuildOk(OUT_DIR);

// the merge: the shards' outputs put together and handed to steps 5 and 6 (scripts/build-merge.ts)
if (mergeDirs) {
  await mergeShardsStep(steps, { root: ROOT, outDir: OUT_DIR, dirs: mergeDirs, verbose, move: args.includes('--move') });
  await finishSite();
  process.exit(0);
}

// What an earlier build left is told from what this one writes by the time of writing (prune.ts):
// the mark comes before the first step writes into the site folder. Into an empty folder nothing
// can be stale: the prune's walk (a stat of each of 900,000 files nationally, 10–65 s) is skipped.
const mark = startMark(CACHE_DIR);
const pruneNeeded = hasEarlierOutput(OUT_DIR);

// 1. the data check (its report is printed only when the data is invalid, then the build stops),
// then the site-wide /downloads/ files
// (a shard is named to it: a slice writes no /downloads/ and works out its slice digest instead)
const data = await steps.run('data-check', '数据校验和全站开放数据', [path.join(ROOT, 'src/build/steps/data.ts'), OUT_DIR, ...(shard ? ['--shard', shardName(shard)] : [])], { passStdout: false });
if (data.status !== 0) {
  console.error(`数据校验未通过（DATA_DIR=${defaultDataDir()}），网站未构建：\n\n${data.stdout}`);
  steps.fail(1);
}
for (const line of data.stdout.replace(/\n$/, '').split('\n')) if (line !== '') out.print(line);
const part = (id: string) => data.record.parts?.find((p) => p.id === id);
const site = part('site-downloads');
const downloadsSeconds = (part('read-model')?.seconds ?? 0) + (site?.seconds ?? 0);
const slice = part('slice-digest');
const snapshot = site?.detail?.snapshot ?? slice?.detail?.snapshot ?? null;
out.print(`[数据] 校验通过，用时 ${(data.record.seconds - downloadsSeconds - (slice?.seconds ?? 0)).toFixed(1)} 秒`);
// heap caps for the steps after the check, from the size of the data (src/build/heap-caps.ts)
const caps = heapCapsFor(Number(part('ingest')?.counts.progressRecords ?? 0));
if (site) out.print(`[下载] 全站开放数据（/downloads/，各月和全部月份、登记表）：${site.counts.filesWritten ?? 0} 个文件，汇总和写出用时 ${downloadsSeconds.toFixed(1)} 秒`);

// a slice whose data and code did not change since its last output is reused whole
const sliceDigest = slice?.detail?.sliceDigest ?? null;
if (shard?.kind === 'slice' && sliceDigest) {
  const reused = reuseShard(OUT_DIR, shard, sliceDigest, inputDigest(dataDigestOfSnapshot(snapshot)));
  if (reused) {
    out.print(`[分片] ${reused.shard}：本片的数据和代码未变，沿用上次的输出（${reused.files.toLocaleString('zh-CN')} 个文件），用时 ${slice!.seconds.toFixed(1)} 秒`);
    out.end();
    steps.finish(true);
    process.exit(0);
  }
}

// 2. the handoff, written once: the later steps read the snapshot the check wrote or found (never
// DATA_DIR again) and the /downloads/ list, and leave SHA256SUMS lines where it says
const handoff: BuildHandoff = {
  version: 1,
  outDir: OUT_DIR,
  snapshot,
  siteDownloads: JSON.parse(site?.detail?.siteDownloads ?? '[]'),
  sums: { downloads: steps.scratchFile('written-sums'), pages: steps.scratchFile('page-sums') },
  // astro build leaves the site folder as it is (pruned below) and writes over the last build's pages
  keepOutDir: true,
  // pages in flight (see astro.config.mjs)
  concurrency: 4,
  verbose,
  // the shard this build renders and where astro build lists the pages it leaves to other shards (src/middleware.ts)
  shard: shard ? { spec: shardName(shard), skipped: steps.scratchFile('shard-skipped') } : null,
};
steps.handOff(handoff);
// (the list is in the manifest; the step log keeps the snapshot's name only)
if (site?.detail) delete site.detail.siteDownloads;

// 3. the pages, and the per-page downloads and the name index from the read model, side by side
// (heap caps from the data, src/build/heap-caps.ts); Astro renders four pages at a time. Four overlap page writes with
// rendering where writes are asynchronous; inside this build they are synchronous
// (src/build/patches/astro-writes.ts), where four against one is not measured.
let t = performance.now();
const pages = steps.run('astro-build', 'astro build', [...ASTRO_V8_FLAGS, path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', ...astroArgs], {
  // NODE_ENV=production whoever calls the build, and without the names vitest's workers set for
  // import.meta.env (DEV, PROD, MODE, SSR, BASE_URL: with DEV set the dev-only story report's CSS
  // was bundled; with NODE_ENV=test, React's development build): the same input, the same site.
  env: { ...withoutViteEnv(process.env), NODE_ENV: 'production', ASTRO_TELEMETRY_DISABLED: '1', NODE_OPTIONS: process.env.NODE_OPTIONS ?? heapOption(caps.astro) },
  passStdout: true,
}).then((astro) => {
  if (astro.status !== 0) steps.fail(astro.status);
  const done = out.pagesDone;
  astro.record.counts = { pagesRendered: done?.rendered ?? 0, pagesReused: done?.reused ?? 0 };
  astro.record.routes = done?.routes ?? {};
  out.print(`[页面] astro build 用时 ${seconds(t)}：渲染 ${(done?.rendered ?? 0).toLocaleString('zh-CN')} 个，数据和代码未变、沿用上次 ${(done?.reused ?? 0).toLocaleString('zh-CN')} 个`);
});
const extras = steps.run('site-extras', '下载和名称索引', [path.join(ROOT, 'src/build/steps/site-extras.ts')], { env: { ...process.env, NODE_OPTIONS: process.env.NODE_OPTIONS ?? heapOption(caps.extras) }, passStdout: true }).then((extras) => {
  if (extras.status !== 0) steps.fail(extras.status);
});
await Promise.all([pages, extras]);

// 4. what an earlier build left and this one neither wrote nor kept goes, before the index and checksums see the folder
t = performance.now();
if (pruneNeeded) {
  const pruned = pruneStale(OUT_DIR, CACHE_DIR, mark, path.join(ROOT, 'public'));
  steps.record({ id: 'prune', name: '清理上次构建留下、本次没有的文件', seconds: round((performance.now() - t) / 1000), peakRssMB: null, counts: pruned });
  out.print(`[清理] 删除上次构建留下、本次没有的文件 ${pruned.deleted.toLocaleString('zh-CN')} 个（沿用未变的页面 ${pruned.kept.toLocaleString('zh-CN')} 个），用时 ${seconds(t)}`);
} else out.print('[清理] 构建前输出目录为空，没有上次留下的文件');

// a shard ends here, with its output manifest (src/build/shard.ts); the merge runs the steps below
if (shard) {
  t = performance.now();
  const linesOf = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  const done = await finishShard({
    site: OUT_DIR,
    spec: shard,
    skipped: linesOf(handoff.shard!.skipped),
    known: [...handoff.siteDownloads.map((f) => checksumLine(f.sha256, `downloads/${f.path}`)), ...linesOf(handoff.sums.downloads), ...linesOf(handoff.sums.pages)],
    inputDigest: inputDigest(dataDigestOfSnapshot(snapshot)),
    codeDigest: codeDigest(ROOT),
    siteUrl: process.env.SITE_URL || 'https://example.invalid',
    sliceDigest,
  });
  steps.record({ id: 'shard-finish', name: '分片清单', seconds: round((performance.now() - t) / 1000), peakRssMB: null, counts: { files: done.files, stubsDeleted: done.stubsDeleted, imagesDropped: done.imagesDropped, sitemapUrls: done.sitemapUrls } });
  out.print(`[分片] ${done.shard}：${done.files.toLocaleString('zh-CN')} 个文件（删去其他分片的占位页 ${done.stubsDeleted.toLocaleString('zh-CN')} 个），清单写入 ${path.join(OUT_DIR, '.gpdzc-shard')}，用时 ${seconds(t)}`);
  out.end();
  steps.finish(true);
  process.exit(0);
}

await finishSite();

/** 5 and 6, for a build and a merge alike; then the step log and the mark that the site passed. */
async function finishSite(): Promise<void> {
  // 5. Pagefind over the content pages, then SHA256SUMS
  const index = await steps.run('site-index', '搜索索引和 SHA256SUMS', [path.join(ROOT, 'src/build/steps/site-extras.ts'), '--index'], { env: { ...process.env, NODE_OPTIONS: process.env.NODE_OPTIONS ?? heapOption(INDEX_HEAP_MB) }, passStdout: true });
  if (index.status !== 0) steps.fail(index.status);

  // 6. the personal-data gate over everything written, SHA256SUMS and the search index included
  // (scripts/privacy-check.ts): any phone number, ID number, e-mail address, person's name or
  // image GPS/owner field fails the build, every hit listed
  const gate = await steps.run('privacy-gate', '个人信息检查', [path.join(ROOT, 'scripts/privacy-check.ts'), OUT_DIR], { passStdout: true });
  if (gate.status !== 0) steps.fail(gate.status);
  steps.finish(true);
  // Last of all: the mark that dist/ passed every check, read by npm run publish (src/lib/release/build-ok.ts).
  writeBuildOk(OUT_DIR);
}

/** `--shard I/N`, `--shard=I/N`, `--shard shared/N`, or null; a wrong value stops the build (exit 2). */
function shardOfArgs(list: string[]): ShardSpec | null {
  const at = list.findIndex((a) => a === '--shard' || a.startsWith('--shard='));
  if (at < 0) return null;
  try {
    return parseShardSpec(list[at]!.startsWith('--shard=') ? list[at]!.slice('--shard='.length) : (list[at + 1] ?? ''));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
}
