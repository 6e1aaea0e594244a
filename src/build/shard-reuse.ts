/**
 * Sharded builds (issue 34), incremental: a slice whose digest (src/build/slice-digest.ts: its
 * villages' and units' data, the months and settings every page shows, the stories, the code)
 * is the one its last output was built from is reused whole: its output folder, file list and
 * sitemap addresses stay; only its manifest takes the new input digest (the data elsewhere
 * changed, this slice's part of it did not), so that the merge accepts it with the new shards.
 * The folder must still be exactly its list (readShardOutput), else it is built again.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readShardOutput } from './merge.ts';
import { SHARD_DIR, type ShardManifest } from './shard.ts';
import { shardName, type ShardSpec } from '../lib/shard/shard-rule.ts';

export function reuseShard(dir: string, spec: ShardSpec, sliceDigest: string, inputDigest: string): ShardManifest | null {
  const last = readShardOutput(dir);
  if (Array.isArray(last)) return null;
  const m = last.manifest;
  if (m.shard !== shardName(spec) || m.sliceDigest !== sliceDigest) return null;
  const manifest: ShardManifest = { ...m, inputDigest };
  const file = path.join(dir, SHARD_DIR, 'manifest.json');
  writeFileSync(`${file}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return manifest;
}
