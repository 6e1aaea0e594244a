/**
 * npm run build -- --merge DIR… (scripts/build.ts's merge branch): the shards' outputs
 * (npm run build -- --shard I/N and --shard shared/N) put together into one site folder
 * (ASTRO_OUT_DIR or dist/), checked and refused in Chinese, every problem at once
 * (src/build/merge.ts), and made from the same code (the code digest). It writes the build's
 * handoff for the steps every build ends with, which scripts/build.ts then runs as for an
 * unsharded build (finishSite: Pagefind and SHA256SUMS, whose known lines are the shards' file
 * lists; the personal-data gate; the step log; last the mark npm run publish requires).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { round } from '../src/build/build-log.ts';
import { MergeRefused, mergeShards } from '../src/build/merge.ts';
import { codeDigest } from '../src/build/shard.ts';
import { seconds, type StepRunner } from '../src/build/step-runner.ts';

export async function mergeShardsStep(steps: StepRunner, opts: { root: string; outDir: string; dirs: string[]; verbose: boolean }): Promise<void> {
  const { out } = steps;
  const t = performance.now();
  let merged: Awaited<ReturnType<typeof mergeShards>>;
  try {
    merged = await mergeShards(opts.outDir, opts.dirs, (line) => out.print(`[合并] ${line}`));
  } catch (e) {
    console.error(e instanceof MergeRefused ? e.message : `分片合并失败：${(e as Error).message}`);
    steps.fail(1);
  }
  // the code that finishes the site must be the code that built the shards
  const here = codeDigest(opts.root);
  if (merged.shards[0]!.manifest.codeDigest !== here) {
    console.error(`分片合并被拒绝：分片由另一版本的代码构建（分片的代码摘要 ${merged.shards[0]!.manifest.codeDigest.slice(0, 16)}，本机 ${here.slice(0, 16)}）；请用构建分片的同一提交合并`);
    rmSync(opts.outDir, { recursive: true, force: true });
    steps.fail(1);
  }
  steps.record({ id: 'merge', name: '分片合并', seconds: round((performance.now() - t) / 1000), peakRssMB: null, counts: { shards: merged.shards.length, files: merged.files } });
  out.print(`[合并] 用时 ${seconds(t)}`);
  // every file was hashed by its shard: the SHA256SUMS step reads none of them again
  const known = steps.scratchFile('written-sums');
  writeFileSync(known, `${merged.known.join('\n')}\n`);
  steps.handOff({
    version: 1,
    outDir: opts.outDir,
    // no data step: the privacy gate reads DATA_DIR for the names to look for, as it does in a build
    snapshot: null,
    // /downloads/ came from the shared shard, its lines among the known ones
    siteDownloads: [],
    sums: { downloads: known, pages: steps.scratchFile('page-sums') },
    keepOutDir: true,
    concurrency: 4,
    verbose: opts.verbose,
    shard: null,
  });
}
