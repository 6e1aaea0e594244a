/**
 * The build's first step (scripts/build.ts), a process of its own: `node src/build/steps/data.ts <site folder> [--shard I/N | shared/N]`.
 * 1. checks DATA_DIR as `npm run data:check` does (through the snapshot cache); when the data
 *    is invalid, prints the full Chinese report and exits 1 (the build stops there);
 * 2. composes the read model from the ingest it holds (src/lib/model/compose.ts) and writes
 *    the site-wide open-data files under /downloads/ (every month, all months, the registry),
 *    before astro build starts: the /data/ page and datapackage.json list them.
 * It hands back the snapshot and the /downloads/ list in its report (reportStep's `detail`),
 * from which the build writes the handoff manifest the later steps read (src/build/handoff.ts).
 *
 * Sharded builds (issue 34): it runs before the manifest exists, so the build names the shard
 * as an argument. A slice (`--shard I/N`) writes no /downloads/ (the shared shard's); it hands
 * back its slice digest instead (src/build/slice-digest.ts), from the read model it composes,
 * so that a slice whose data and code did not change is reused whole (src/build/shard-reuse.ts).
 */
import path from 'node:path';
import { ingestDataDirCached } from '../../lib/ingest/ingest-cache.ts';
import { defaultDataDir } from '../../lib/ingest/ingest-fs.ts';
import { writeTextReport } from '../../lib/ingest/report.ts';
import { composeReadModel } from '../../lib/model/compose.ts';
import { siteDownloadsInput, writeSiteDownloads } from '../../lib/publish/opendata/site-downloads.ts';
import { publishPersonalNames } from '../../lib/publish/opendata/tables.ts';
import { monthPublishedOn } from '../../lib/ingest/revisions.ts';
import { parseShardSpec } from '../../lib/shard/shard-rule.ts';
import { reportStep, watchHeap } from '../build-log.ts';
import { codeDigest, contentDigest } from '../shard.ts';
import { sliceDigest } from '../slice-digest.ts';

watchHeap();
const ROOT = path.resolve(import.meta.dirname, '../../..');
const arg = process.argv[2];
if (!arg) throw new Error('用法：node src/build/steps/data.ts <网站目录> [--shard I/N | shared/N]（由 npm run build 调用）');
const site = path.resolve(arg);
const shardAt = process.argv.indexOf('--shard');
const shard = shardAt > 0 ? parseShardSpec(process.argv[shardAt + 1] ?? '') : null;

const started = performance.now();
const cached = ingestDataDirCached(defaultDataDir());
const { result } = cached;
reportStep('ingest', cached.fromSnapshot ? '读取上次校验的快照' : '读取并校验', started, {
  files: result.files.length,
  progressRecords: result.progress.length,
  issues: result.issues.length,
  fromSnapshot: cached.fromSnapshot ? 1 : 0,
});
// the report, as data:check prints it: the build shows it whole when the data is invalid, its summary otherwise
writeTextReport(result, (text) => process.stdout.write(text));
// invalid: exit 1 once the report is out (the build stops there); else /downloads/
if (!result.ok) process.exitCode = 1;
else if (shard?.kind === 'slice') writeSliceDigest(shard.index, shard.count);
else writeDownloads();

function writeDownloads(): void {
  let t = performance.now();
  const { model, dataset } = composeReadModel(defaultDataDir(), { result });
  reportStep('read-model', '读取校验结果并汇总', t, { villages: model.villages.size, units: model.units.size });
  t = performance.now();
  const written = writeSiteDownloads(siteDownloadsInput(model, dataset, publishPersonalNames()), path.join(site, 'downloads'));
  reportStep('site-downloads', '全站开放数据（/downloads/）', t, { filesWritten: written.size }, {
    ...(cached.snapshot ? { snapshot: cached.snapshot } : {}),
    siteDownloads: JSON.stringify([...written.values()]),
  });
}

/** A slice: the digest of what its output depends on (no /downloads/). */
function writeSliceDigest(index: number, count: number): void {
  const t = performance.now();
  // the slice's own model: the digest covers only its own villages and units, whose pairings it holds whole
  const { model, inSlice } = composeReadModel(defaultDataDir(), { result, slice: { index, count } });
  const publishedOn = Object.fromEntries(result.months.map((m) => [m, result.manifest ? monthPublishedOn(result.manifest, m) : null]));
  const digest = sliceDigest({ model, revisions: result.revisions, publishedOn, synthetic: result.dataset.synthetic, common: [codeDigest(ROOT), contentDigest()], owns: inSlice }, index, count);
  reportStep('slice-digest', '分片摘要', t, { villages: model.villages.size, units: model.units.size }, {
    ...(cached.snapshot ? { snapshot: cached.snapshot } : {}),
    sliceDigest: digest,
  });
}
