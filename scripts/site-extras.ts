/**
 * Run by scripts/build.ts after `astro build`, in two processes so that the read model and
 * Pagefind's indexer are never in memory together (at national scale ~4 GB and ~5 GB):
 *   site-extras.ts           every page's own downloads (data.csv / data.json) and the
 *                            village and unit search documents, from the read model;
 *   site-extras.ts --index   the search index over the pages and those documents, then
 *                            SHA256SUMS over the finished site.
 */
import path from 'node:path';
import { writeEntityDownloads } from '../src/lib/entity-downloads.ts';
import { defaultIngestCacheDir, ingestDataDirCached } from '../src/lib/ingest-cache.ts';
import { defaultDataDir } from '../src/lib/ingest-fs.ts';
import { buildSiteModel } from '../src/lib/model.ts';
import { indexSite, writeSearchDocs } from '../src/lib/site-index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SITE = path.resolve(ROOT, process.env.ASTRO_OUT_DIR || 'dist');
const DOCS = path.join(defaultIngestCacheDir(), 'search-docs.jsonl');
const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} 秒`;

if (process.argv.includes('--index')) {
  await indexSite(SITE, DOCS, (line) => console.log(`[索引] ${line}`));
} else {
  let t = performance.now();
  const { result } = ingestDataDirCached(defaultDataDir());
  if (!result.ok) throw new Error('数据校验未通过（应已在构建第一步停止）');
  const model = buildSiteModel(result);
  console.log(`[模型] 读取校验结果并汇总，用时 ${seconds(t)}`);
  t = performance.now();
  const files = writeEntityDownloads(model, SITE, result.dataset.synthetic);
  console.log(`[下载] 各村、单位、县、省的 data.csv / data.json：${files.toLocaleString('zh-CN')} 个文件，用时 ${seconds(t)}`);
  t = performance.now();
  const docs = writeSearchDocs(model, DOCS);
  console.log(`[索引] 村和单位的搜索文档 ${docs.toLocaleString('zh-CN')} 个，用时 ${seconds(t)}`);
}
