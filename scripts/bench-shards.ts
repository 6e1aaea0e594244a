/**
 * `npm run bench -- --shards N` (scripts/bench.ts): the sharded build of issue 34 measured on
 * this machine. The N slices and the shared shard (npm run build -- --shard …) run one after
 * another, each timed with the peak memory of its process tree, then the merge
 * (npm run build -- --merge …). What N runners would need in wall time is estimated as the
 * slowest shard, plus uploading the largest shard output and the merge job downloading all of
 * them at a stated bandwidth (bytes only; the workflow ships each output as one tar file, so
 * per-file overheads of the artifact service do not apply), plus the merge.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { allShardNames } from '../src/lib/shard/shard-rule.ts';

export interface TimedRun {
  ms: number;
  peak: number;
  code: number | null;
  output: string;
}
type Timed = (cmd: string, args: string[], env: NodeJS.ProcessEnv) => Promise<TimedRun>;

export interface ShardRun {
  shard: string;
  ms: number;
  peak: number;
  bytes: number;
  files: number;
  rendered: number;
  reused: number;
}

export interface ShardedBuild {
  shards: ShardRun[];
  merge: { ms: number; peak: number };
  merged: string;
  /** slowest shard + upload of the largest output + download of all + merge, at `bandwidth` bytes/s */
  wallMs: number;
  transferMs: number;
}

function treeBytes(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        bytes += statSync(p).size;
        files++;
      }
    }
  };
  walk(dir);
  return { bytes, files };
}

/**
 * Build the `count` shards of `env`'s data into `root`/<shared|1…N>/ (caches under `root`/cache,
 * kept: a second call into the same root is an incremental build), then merge into `root`/merged.
 * With `move` the merge moves the files, as the matrix's merge job does (`--merge … --move`), and
 * the shard folders are gone after it; without it they stay to be built into again.
 */
export async function shardedBuild(opts: { root: string; count: number; env: NodeJS.ProcessEnv; timed: Timed; bandwidth: number; label: string; rootDir: string; move: boolean }): Promise<ShardedBuild> {
  const { root, count, env, timed } = opts;
  const shards: ShardRun[] = [];
  for (const name of allShardNames(count)) {
    const dir = path.join(root, name.split('/')[0]!);
    const stepsFile = path.join(root, `steps-${name.replace('/', '-of-')}.json`);
    console.log(`  [${opts.label}] 分片 ${name}……`);
    const r = await timed(process.execPath, [path.join(opts.rootDir, 'scripts/build.ts'), '--shard', name], { ...env, ASTRO_OUT_DIR: dir, ASTRO_CACHE_DIR: path.join(root, 'cache'), BUILD_STEPS_FILE: stepsFile });
    if (r.code !== 0) throw new Error(`分片 ${name} 构建失败：\n${r.output.slice(-3000)}`);
    const log = JSON.parse(readFileSync(stepsFile, 'utf8')) as { steps: Array<{ id: string; counts: Record<string, number> }> };
    const astro = log.steps.find((s) => s.id === 'astro-build')?.counts ?? {};
    shards.push({ shard: name, ms: r.ms, peak: r.peak, ...treeBytes(dir), rendered: astro.pagesRendered ?? NaN, reused: astro.pagesReused ?? NaN });
    console.log(`    ${(r.ms / 1000).toFixed(1)} s，峰值 ${(r.peak / 1024 / 1024).toFixed(0)} MB`);
  }
  const merged = path.join(root, 'merged');
  console.log(`  [${opts.label}] 合并……`);
  const m = await timed(process.execPath, [path.join(opts.rootDir, 'scripts/build.ts'), '--merge', ...allShardNames(count).map((n) => path.join(root, n.split('/')[0]!)), ...(opts.move ? ['--move'] : [])], { ...env, ASTRO_OUT_DIR: merged, ASTRO_CACHE_DIR: path.join(root, 'cache') });
  if (m.code !== 0) throw new Error(`分片合并失败：\n${m.output.slice(-3000)}`);
  const slowest = Math.max(...shards.map((s) => s.ms));
  const transferMs = ((Math.max(...shards.map((s) => s.bytes)) + shards.reduce((t, s) => t + s.bytes, 0)) / opts.bandwidth) * 1000;
  return { shards, merge: { ms: m.ms, peak: m.peak }, merged, wallMs: slowest + transferMs + m.ms, transferMs };
}

/** The Markdown table of sharded builds (full and adding a month) for BENCHMARKS.md. */
export function shardTable(rows: Array<{ scale: string; build: string; result: ShardedBuild; identical: boolean | null }>, bandwidthMBs: number): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  return [
    `| 规模 | 构建 | 分片 | 用时 | 峰值内存（进程树） | 渲染 / 沿用的页面 | 输出 |`,
    '| --- | --- | --- | ---: | ---: | ---: | ---: |',
    ...rows.flatMap((r) => [
      ...r.result.shards.map((x) => `| ${r.scale} | ${r.build} | ${x.shard} | ${s(x.ms)} | ${mb(x.peak)} | ${x.rendered.toLocaleString('zh-CN')} / ${x.reused.toLocaleString('zh-CN')} | ${x.files.toLocaleString('zh-CN')} 个文件，${mb(x.bytes)} |`),
      `| ${r.scale} | ${r.build} | 合并（--merge：合并、站点地图、Pagefind、SHA256SUMS、个人信息检查） | ${s(r.result.merge.ms)} | ${mb(r.result.merge.peak)} | | |`,
      `| ${r.scale} | ${r.build} | **N 台机器的墙钟时间**：最慢的分片 ${s(Math.max(...r.result.shards.map((x) => x.ms)))} + 传输 ${s(r.result.transferMs)}（${bandwidthMBs} MB/s：上传最大的分片、合并任务下载全部）+ 合并 ${s(r.result.merge.ms)} | **${s(r.result.wallMs)}** | | | ${r.identical === null ? '未与不分片的构建比较' : r.identical ? '与不分片的构建逐字节相同（SHA256SUMS 相同）' : '与不分片的构建**不同**'} |`,
    ]),
    '',
  ].join('\n');
}
