/**
 * Sharded builds (issue 34), inside astro build: which village and unit pages this shard's
 * getStaticPaths returns (src/lib/shard/shard-rule.ts), the shard named by the build's handoff
 * (src/build/handoff.ts). The shared shard returns none of them, a slice only its own; an
 * unsharded build all.
 */
import { getSiteModel } from './site-data.ts';
import { unitSlice, villageSlice } from './lib/shard/shard-rule.ts';
import { handoffShard } from './build/handoff.ts';

const shard = handoffShard();

/** Whether this build renders the page of village or unit `code`. */
export async function entityPageInShard(kind: 'villages' | 'units'): Promise<(code: string) => boolean> {
  if (shard === null) return () => true;
  if (shard.kind === 'shared') return () => false;
  const { index, count } = shard;
  if (kind === 'villages') return (code) => villageSlice(code, count) === index;
  const model = await getSiteModel();
  return (code) => unitSlice(code, (model.units.get(code)?.pairings ?? []).map((p) => p.village.code), count) === index;
}
