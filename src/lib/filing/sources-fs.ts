/** The published sources of a data folder (sources.ts over the files of DATA_DIR, read only as regular files inside it). */
import type { IngestResult } from '../ingest/ingest.ts';
import { readInside } from './safe-fs.ts';
import { planSources, type SourceIndex } from './sources.ts';

export interface PublishedSources {
  index: SourceIndex;
  /** URL → the bytes to publish, read when asked */
  contents: Map<string, () => Uint8Array>;
}

export function publishedSources(result: Pick<IngestResult, 'files' | 'progress' | 'issues' | 'manifest' | 'villages'>, dataDir: string): PublishedSources {
  return planSources(result, (file) => {
    const read = readInside(dataDir, file);
    // the data check read the same file a moment ago: a refusal now means it was swapped since
    if (!read.ok) throw new Error(`原始报表 ${file} 无法读取（${read.reason}），网站未构建：请再运行一次 npm run build`);
    return read.bytes;
  });
}
