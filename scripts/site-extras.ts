/**
 * Run by scripts/build.ts as two processes, the first beside `astro build` and the second after
 * it, so that the read model and Pagefind's indexer are never in memory together:
 *   site-extras.ts           the site-wide open-data files (/downloads/, when scripts/build.ts asks: their list goes
 *                            to astro build), every page's own downloads (data.csv / data.json, and series.json
 *                            for /compare/) and the name index of villages and units (search), from the read model;
 *   site-extras.ts --index   Pagefind's index of the content pages, then SHA256SUMS over
 *                            the finished site (reading only the files not hashed as they were made).
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { writeEntityDownloads } from '../src/lib/publish/entity-downloads.ts';
import { ingestDataDirCached } from '../src/lib/ingest/ingest-cache.ts';
import { defaultDataDir } from '../src/lib/ingest/ingest-fs.ts';
import { buildSiteModel } from '../src/lib/model/read-model.ts';
import { writeNameIndex } from '../src/lib/publish/name-index-write.ts';
import { withPublishedSources } from '../src/lib/filing/sources.ts';
import { publishedSources } from '../src/lib/filing/sources-fs.ts';
import { indexContentPages } from '../src/lib/publish/pagefind.ts';
import { WRITTEN_SUMS_ENV, checksumLine, writeChecksums } from '../src/lib/publish/checksums.ts';
import { PAGE_SUMS_ENV } from '../src/lib/publish/page-sums.ts';
import { SITE_DOWNLOADS_ENV, handOverSiteDownloads, siteDownloadsInput, writeSiteDownloads } from '../src/lib/publish/opendata/site-downloads.ts';
import { publishPersonalNames } from '../src/lib/publish/opendata/tables.ts';
import { reportStep, watchHeap } from './build-log.ts';
// sharded builds (issue 34)
import { shardOfProcess } from '../src/lib/shard/shard-env.ts';
import { entityInShard } from '../src/lib/shard/shard-model.ts';

watchHeap();

const ROOT = path.resolve(import.meta.dirname, '..');
const SITE = path.resolve(ROOT, process.env.ASTRO_OUT_DIR || 'dist');
const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} 秒`;

/**
 * The read model, its records pointing at their published source files (/sources/…) as on
 * the pages. Only that copy of the records is kept (the ingest's own goes with this scope:
 * at national scale 1.2 M records).
 */
function readModel() {
  const { result } = ingestDataDirCached(defaultDataDir());
  if (!result.ok) throw new Error('数据校验未通过（应已在构建第一步停止）');
  const sources = publishedSources(result, defaultDataDir()).index;
  return { model: buildSiteModel({ ...result, progress: withPublishedSources(result.progress, sources) }), dataset: { synthetic: result.dataset.synthetic, files: result.files } };
}

if (process.argv.includes('--index')) {
  const log = (line: string) => console.log(`[索引] ${line}`);
  let t = performance.now();
  const pages = await indexContentPages(SITE, log);
  reportStep('pagefind', '搜索索引（案例和通报的全文，Pagefind）', t, { pages });
  t = performance.now();
  // the per-page downloads, hashed by the downloads step as it wrote them, and the pages astro build rendered,
  // hashed as they were rendered (scripts/build.ts names both files)
  const linesOf = (file: string | undefined) => (file && existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  const known = [...linesOf(process.env[WRITTEN_SUMS_ENV]), ...linesOf(process.env[PAGE_SUMS_ENV])];
  const sums = await writeChecksums(SITE, log, known);
  reportStep('checksums', 'SHA256SUMS', t, sums);
} else {
  let t = performance.now();
  const { model, dataset } = readModel();
  console.log(`[模型] 读取校验结果并汇总，用时 ${seconds(t)}`);
  reportStep('read-model', '读取校验结果并汇总', t, { villages: model.villages.size, units: model.units.size });
  // each file's SHA256SUMS line as it is written, straight to the file the index step reads (not kept: 660,000 lines nationally)
  const sumsFile = process.env[WRITTEN_SUMS_ENV] ? openSync(process.env[WRITTEN_SUMS_ENV], 'w') : null;
  const hashed = (line: string) => {
    if (sumsFile !== null) writeSync(sumsFile, `${line}\n`);
  };
  const handOver = process.env[SITE_DOWNLOADS_ENV];
  if (handOver) {
    // first: /data/ and datapackage.json in astro build wait for their list
    t = performance.now();
    const site = writeSiteDownloads(siteDownloadsInput(model, dataset, publishPersonalNames()), path.join(SITE, 'downloads'));
    for (const f of site.values()) hashed(checksumLine(f.sha256, `downloads/${f.path}`));
    handOverSiteDownloads(handOver, site);
    console.log(`[下载] 全站开放数据（/downloads/，各月和全部月份、登记表）：${site.size} 个文件，用时 ${seconds(t)}`);
    reportStep('site-downloads', '全站开放数据（/downloads/）', t, { filesWritten: site.size });
  }
  t = performance.now();
  // a sharded build writes its own entities' files only (src/lib/shard/shard-model.ts)
  const shard = shardOfProcess();
  const files = await writeEntityDownloads(model, SITE, dataset.synthetic, hashed, entityInShard(model, shard));
  if (sumsFile !== null) closeSync(sumsFile);
  console.log(`[下载] 各村、单位、县、省的 data.csv / data.json / series.json：${files.toLocaleString('zh-CN')} 个文件，用时 ${seconds(t)}`);
  reportStep('downloads', '各村、单位、县、省的 data.csv / data.json / series.json', t, { filesWritten: files });
  // the name index is the shared shard's (a slice has no search page)
  if (shard?.kind !== 'slice') {
    t = performance.now();
    const index = writeNameIndex(model, SITE);
    console.log(`[索引] 村、单位和县的名称索引：${index.records.toLocaleString('zh-CN')} 条，${index.files.toLocaleString('zh-CN')} 个文件，用时 ${seconds(t)}`);
    reportStep('name-index', '村、单位和县的名称索引', t, { records: index.records, filesWritten: index.files });
  }
}
