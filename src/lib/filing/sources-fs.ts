/** The published sources of a data folder (sources.ts over the files of DATA_DIR). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IngestResult } from '../ingest/ingest.ts';
import { planSources, type SourceIndex } from './sources.ts';

export interface PublishedSources {
  index: SourceIndex;
  /** URL → the bytes to publish, read when asked */
  contents: Map<string, () => Uint8Array>;
}

export function publishedSources(result: Pick<IngestResult, 'files' | 'progress' | 'issues' | 'manifest' | 'villages'>, dataDir: string): PublishedSources {
  return planSources(result, (file) => new Uint8Array(readFileSync(path.join(dataDir, file))));
}
