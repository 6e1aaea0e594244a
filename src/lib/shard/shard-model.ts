/** Sharded builds (issue 34): the shard rule over the read model (which entities' downloads a shard writes). */
import type { SiteModel } from '../model/read-model.ts';
import type { EntityKind } from '../routes.ts';
import { unitSlice, villageSlice, type ShardSpec } from './shard-rule.ts';

/**
 * Whether a shard writes an entity's downloads: a slice its villages and units, the shared
 * shard the counties (with their 附件3 month tables) and provinces; unsharded (null) all.
 */
export function entityInShard(model: SiteModel, spec: ShardSpec | null): (kind: EntityKind, code: string) => boolean {
  if (spec === null) return () => true;
  if (spec.kind === 'shared') return (kind) => kind === 'counties' || kind === 'provinces';
  const { index, count } = spec;
  return (kind, code) => {
    if (kind === 'villages') return villageSlice(code, count) === index;
    if (kind === 'units') return unitSlice(code, (model.units.get(code)?.pairings ?? []).map((p) => p.village.code), count) === index;
    return false;
  };
}
