/**
 * The shard a build step is part of, handed from scripts/build.ts to its steps (astro build,
 * the downloads step) by environment variable, like the other GPDZC_* names; unset: an
 * unsharded build. (Issue 34; when the steps take a typed handoff manifest, this moves there.)
 */
import { parseShardSpec, type ShardSpec } from './shard-rule.ts';

/** `I/N` or `shared/N` (shard-rule.ts). */
export const SHARD_ENV = 'GPDZC_SHARD';
/** Names the file where astro build lists the pages it did not render for its shard (src/middleware.ts); the shard's last step deletes them. */
export const SHARD_SKIPPED_ENV = 'GPDZC_SHARD_SKIPPED';

/** This process's shard, or null. */
export function shardOfProcess(env: NodeJS.ProcessEnv = process.env): ShardSpec | null {
  const text = env[SHARD_ENV];
  return text ? parseShardSpec(text) : null;
}
