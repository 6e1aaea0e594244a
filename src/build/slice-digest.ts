/**
 * Sharded builds (issue 34), incremental: the digest of everything a slice's output depends on,
 * so that a slice whose data and code did not change is reused whole (its output folder and
 * file list), not built again (scripts/build.ts). What a village's or unit's page shows of its own
 * data is the very list its incremental-build key digests (entityKeyData, src/lib/publish/page-keys.ts);
 * beside it the settings and months every page shows. Its downloads are made from the same pairings. The stories are
 * counted whole (a story's page links are few; any change of a story rebuilds every slice).
 * The model may be the slice's own (sliceModelInput, with its `inSlice` as `owns`): it holds the
 * slice's villages and units with all their pairings, so the digest is the same as over the
 * whole model.
 */
import type { IngestResult } from '../lib/ingest/ingest.ts';
import type { SiteModel } from '../lib/model/read-model.ts';
import { correctionsByEntity } from '../lib/model/page-updated.ts';
import { entityKeyData, stableDigest } from '../lib/publish/page-keys.ts';
import { entityInShard } from '../lib/shard/shard-model.ts';

export interface SliceDigestInput {
  model: SiteModel;
  revisions: IngestResult['revisions'];
  publishedOn: Record<string, string | null>;
  synthetic: boolean;
  /** codeDigest (src/build/shard.ts), the stories' digest, the settings */
  common: unknown;
  /** which villages and units are the slice's own; by default the shard rule over `model`, which must then be whole */
  owns?: (kind: 'villages' | 'units', code: string) => boolean;
}

export function sliceDigest(input: SliceDigestInput, index: number, count: number): string {
  const { model } = input;
  const byVillage = correctionsByEntity(input.revisions, (c) => c.villageCode);
  const byUnit = correctionsByEntity(input.revisions, (c) => c.unitCode);
  const owns = input.owns ?? entityInShard(model, { kind: 'slice', index, count });
  const villages = [...model.villages]
    .filter(([code]) => owns('villages', code))
    .sort(([a], [b]) => a.localeCompare(b, 'en'))
    .map(([code, v]) => [code, entityKeyData(model, v, byVillage.get(code) ?? [], input.publishedOn)]);
  const units = [...model.units]
    .filter(([code]) => owns('units', code))
    .sort(([a], [b]) => a.localeCompare(b, 'en'))
    .map(([code, u]) => [code, entityKeyData(model, u, byUnit.get(code) ?? [], input.publishedOn)]);
  return stableDigest(['slice/1', index, count, input.common, input.synthetic, model.months, model.latestMonth, input.publishedOn, villages, units]);
}
