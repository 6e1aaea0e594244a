/**
 * Sharded builds (issue 34), inside astro build: which pages this shard's getStaticPaths return
 * (src/lib/shard/shard-rule.ts), the shard named by the build's handoff (src/build/handoff.ts).
 * Village and unit pages: the shared shard none, a slice its own. Every other dynamic route: the
 * shared shard all, a slice none, so a slice neither works out those pages' keys nor writes
 * placeholders for them (the static pages, which have no getStaticPaths, still get the
 * middleware's placeholder). An unsharded build renders everything.
 */
import { getSliceOwner } from './site-data.ts';
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
  // the slice's model knows its own (the shard rule over the whole input, src/lib/shard/shard-model.ts)
  const owner = (await getSliceOwner())!;
  return (code) => owner(kind, code);
}
