/**
 * The last step of `npm run build` (run by scripts/build.ts after `astro build`): from the
 * read model, every page's own downloads (data.csv / data.json) — written while Pagefind's
 * process builds the search index — then SHA256SUMS over the finished site.
 */
import path from 'node:path';
import { writeEntityDownloads } from '../src/lib/entity-downloads.ts';
import { ingestDataDirCached } from '../src/lib/ingest-cache.ts';
import { defaultDataDir } from '../src/lib/ingest-fs.ts';
import { buildSiteModel } from '../src/lib/model.ts';
import { indexSite } from '../src/lib/site-index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SITE = path.resolve(ROOT, process.env.ASTRO_OUT_DIR || 'dist');
const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} 秒`;

const t = performance.now();
const { result } = ingestDataDirCached(defaultDataDir());
if (!result.ok) throw new Error('数据校验未通过（应已在构建第一步停止）');
const model = buildSiteModel(result);
console.log(`[模型] 读取校验结果并汇总，用时 ${seconds(t)}`);

await indexSite(SITE, model, (line) => console.log(`[索引] ${line}`), () => {
  const t = performance.now();
  const files = writeEntityDownloads(model, SITE, result.dataset.synthetic);
  console.log(`[下载] 各村、单位、县、省的 data.csv / data.json：${files.toLocaleString('zh-CN')} 个文件，用时 ${seconds(t)}（与搜索索引同时进行）`);
});
