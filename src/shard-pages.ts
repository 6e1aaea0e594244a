/**
 * Sharded builds (issue 34), inside astro build: which pages this shard's getStaticPaths return
 * (src/lib/shard/shard-rule.ts), the shard named by the build's handoff (src/build/handoff.ts).
 * Village and unit pages: the shared shard none, a slice its own. Every other dynamic route: the
 * shared shard all, a slice none, so a slice neither works out those pages' keys nor writes
 * placeholders for them (the static pages, which have no getStaticPaths, still get the
 * middleware's placeholder). An unsharded build renders everything.
 */
import { getSiteModel } from './site-data.ts';
import { unitSlice, villageSlice } from './lib/shard/shard-rule.ts';
import { handoffShard } from './build/handoff.ts';

const shard = handoffShard();

/** Whether this build renders the pages of the routes other than villages' and units' (the shared shard's). */
export function rendersSharedPages(): boolean {
  return shard === null || shard.kind === 'shared';
}

/** Whether this build renders the page of village or unit `code`. */
export async function entityPageInShard(kind: 'villages' | 'units'): Promise<(code: string) => boolean> {
  if (shard === null) return () => true;
  if (shard.kind === 'shared') return () => false;
  const { index, count } = shard;
  if (kind === 'villages') return (code) => villageSlice(code, count) === index;
  const model = await getSiteModel();
  return (code) => unitSlice(code, (model.units.get(code)?.pairings ?? []).map((p) => p.village.code), count) === index;
}
