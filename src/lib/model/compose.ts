/**
 * The read model as the site publishes it, composed in one place for the pages (src/site-data.ts)
 * and the build's downloads (src/build/steps/): the ingest of DATA_DIR (through its snapshot),
 * the received exports as published under /sources/, every record pointing at its published
 * file (withPublishedSources), and the model over those records (buildSiteModel).
 *
 * Only the published copy of the records is kept (the ingest's own goes with this scope: at
 * national scale 1.2 M records, a few hundred MB of heap).
 */
import { withPublishedSources } from '../filing/sources.ts';
import { publishedSources, type PublishedSources } from '../filing/sources-fs.ts';
import type { IngestResult } from '../ingest/ingest.ts';
import { defaultIngestCacheDir, ingestDataDirCached } from '../ingest/ingest-cache.ts';
import { buildSiteModel, type ModelInput, type SiteModel } from './read-model.ts';
import { sliceModelInput } from '../shard/shard-model.ts';
import type { EntityKind } from '../routes.ts';

export interface ComposedReadModel {
  /** the received exports as published under /sources/ (names, hashes, contents) */
  sources: PublishedSources;
  /** the model's input: the registry and the records, each pointing at its published file */
  input: ModelInput;
  model: SiteModel;
  /** what the open-data files say of the dataset */
  dataset: { synthetic: boolean; files: IngestResult['files'] };
  /** composed for one slice of a sharded build: whether an entity is the slice's own (the model also holds their partners) */
  inSlice?: (kind: EntityKind, code: string) => boolean;
}

/**
 * Compose the read model of `dataDir`. `snapshot`: the ingest snapshot the build's data check
 * handed on (src/build/handoff.ts), or the ingest result itself where a step already holds it.
 * Throws when the data is invalid: the build's data check has stopped the build before then.
 */
export function composeReadModel(dataDir: string, from: { snapshot?: string | null; result?: IngestResult; slice?: { index: number; count: number; namedVillages?: Iterable<string> } } = {}): ComposedReadModel {
  const result = from.result ?? ingestDataDirCached(dataDir, defaultIngestCacheDir(), from.snapshot).result;
  if (!result.ok) throw new Error(`数据校验未通过（DATA_DIR=${dataDir}），网站未构建`);
  const sources = publishedSources(result, dataDir);
  const received: ModelInput = { villages: result.villages, units: result.units, pairings: result.pairings, progress: result.progress };
  // a slice keeps its own villages and units with their partners, not the nation (src/lib/shard/shard-model.ts)
  const sliced = from.slice ? sliceModelInput(received, from.slice.index, from.slice.count, from.slice.namedVillages) : null;
  const kept = sliced?.input ?? received;
  const input: ModelInput = { ...kept, progress: withPublishedSources(kept.progress, sources.index) };
  return { sources, input, model: buildSiteModel(input, sliced?.months), dataset: { synthetic: result.dataset.synthetic, files: result.files }, ...(sliced ? { inSlice: sliced.inSlice } : {}) };
}
