/**
 * npm run build -- --merge DIR… [--move] (scripts/build.ts's merge branch): the shards' outputs
 * (npm run build -- --shard I/N and --shard shared/N) put together into one site folder
 * (ASTRO_OUT_DIR or dist/; with --move the files are moved and the shard folders deleted),
 * checked and refused in Chinese, every problem at once
 * (src/build/merge.ts), and made from the same code (the code digest). It writes the build's
 * handoff for the steps every build ends with, which scripts/build.ts then runs as for an
 * unsharded build (finishSite: Pagefind and SHA256SUMS, whose known lines are the shards' file
 * lists; the personal-data gate; the step log; last the mark npm run publish requires).
 */
import { writeFileSync } from 'node:fs';
import { round } from '../src/build/build-log.ts';
import { MergeRefused, mergeShards } from '../src/build/merge.ts';
import { codeDigest } from '../src/build/shard.ts';
import { seconds, type StepRunner } from '../src/build/step-runner.ts';

export async function mergeShardsStep(steps: StepRunner, opts: { root: string; outDir: string; dirs: string[]; verbose: boolean; move: boolean }): Promise<void> {
  const { out } = steps;
  const t = performance.now();
  let merged: Awaited<ReturnType<typeof mergeShards>>;
  try {
    merged = await mergeShards(opts.outDir, opts.dirs, (line) => out.print(`[合并] ${line}`), { move: opts.move, codeDigest: codeDigest(opts.root) });
  } catch (e) {
    console.error(e instanceof MergeRefused ? e.message : `分片合并失败：${(e as Error).message}`);
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
