/**
 * Run by scripts/build.ts for a slice (`--shard I/N`) before anything is built: the slice's
 * digest (src/build/slice-digest.ts), printed as one line of JSON, `{ "sliceDigest": "…" }`.
 * It reads the data check's snapshot (GPDZC_INGEST_SNAPSHOT), as the later steps do.
 */
import path from 'node:path';
import { ingestDataDirCached } from '../src/lib/ingest/ingest-cache.ts';
import { defaultDataDir } from '../src/lib/ingest/ingest-fs.ts';
import { buildSiteModel } from '../src/lib/model/read-model.ts';
import { withPublishedSources } from '../src/lib/filing/sources.ts';
import { publishedSources } from '../src/lib/filing/sources-fs.ts';
import { monthPublishedOn } from '../src/lib/ingest/revisions.ts';
import { shardOfProcess } from '../src/lib/shard/shard-env.ts';
import { codeDigest, contentDigest } from '../src/build/shard.ts';
import { sliceDigest } from '../src/build/slice-digest.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const shard = shardOfProcess();
if (shard?.kind !== 'slice') {
  console.error('shard-digest.ts：只用于 --shard I/N 的分片');
  process.exit(2);
}
const { result } = ingestDataDirCached(defaultDataDir());
if (!result.ok) throw new Error('数据校验未通过（应已在构建第一步停止）');
const sources = publishedSources(result, defaultDataDir()).index;
const model = buildSiteModel({ ...result, progress: withPublishedSources(result.progress, sources) });
const publishedOn = Object.fromEntries(result.months.map((m) => [m, result.manifest ? monthPublishedOn(result.manifest, m) : null]));
const digest = sliceDigest({ model, revisions: result.revisions, publishedOn, synthetic: result.dataset.synthetic, common: [codeDigest(ROOT), contentDigest()] }, shard.index, shard.count);
console.log(JSON.stringify({ sliceDigest: digest }));
