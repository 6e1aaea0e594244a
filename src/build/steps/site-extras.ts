/**
 * Run by scripts/build.ts as two processes, the first beside `astro build` and the second after
 * it, so that the read model and Pagefind's indexer are never in memory together:
 *   site-extras.ts           every page's own downloads (data.csv / data.json, and series.json
 *                            for /compare/) and the name index of villages and units (search), from the read model;
 *   site-extras.ts --index   Pagefind's index of the content pages, then SHA256SUMS over
 *                            the finished site (reading only the files not hashed as they were made).
 * What they need from the steps before them comes in the build's handoff (src/build/handoff.ts).
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { writeEntityDownloads } from '../../lib/publish/entity-downloads.ts';
import { defaultDataDir } from '../../lib/ingest/ingest-fs.ts';
import { composeReadModel } from '../../lib/model/compose.ts';
import { writeNameIndex } from '../../lib/publish/name-index-write.ts';
import { indexContentPages } from '../../lib/publish/pagefind.ts';
import { checksumLine, writeChecksums } from '../../lib/publish/checksums.ts';
import { reportStep, watchHeap } from '../build-log.ts';
import { handoffShard, readHandoff } from '../handoff.ts';
// sharded builds (issue 34)
import { entityInShard } from '../../lib/shard/shard-model.ts';

watchHeap();

const handoff = readHandoff();
if (!handoff) throw new Error('这一步由 npm run build 调用（没有构建步骤之间的交接清单）');
const SITE = handoff.outDir;
const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} 秒`;

if (process.argv.includes('--index')) {
  const log = (line: string) => console.log(`[索引] ${line}`);
  let t = performance.now();
  const pages = await indexContentPages(SITE, log);
  reportStep('pagefind', '搜索索引（案例和通报的全文，Pagefind）', t, { pages });
  t = performance.now();
  // the site-wide downloads (hashed by the data step), the per-page downloads, hashed by the downloads
  // step as it wrote them, and the pages astro build rendered, hashed as they were rendered
  const linesOf = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
  const known = [...handoff.siteDownloads.map((f) => checksumLine(f.sha256, `downloads/${f.path}`)), ...linesOf(handoff.sums.downloads), ...linesOf(handoff.sums.pages)];
  const sums = await writeChecksums(SITE, log, known);
  reportStep('checksums', 'SHA256SUMS', t, sums);
} else {
  let t = performance.now();
  // the read model (its records pointing at their published source files, as on the pages)
  const shard = handoffShard(handoff);
  // a slice composes only its own villages and units with their partners
  const { model, dataset, inSlice } = composeReadModel(defaultDataDir(), { snapshot: handoff.snapshot, ...(shard?.kind === 'slice' ? { slice: shard } : {}) });
  console.log(`[模型] 读取校验结果并汇总，用时 ${seconds(t)}`);
  reportStep('read-model', '读取校验结果并汇总', t, { villages: model.villages.size, units: model.units.size });
  // each file's SHA256SUMS line as it is written, straight to the file the index step reads (not kept: 660,000 lines nationally)
  const sumsFile = openSync(handoff.sums.downloads, 'w');
  const hashed = (line: string) => writeSync(sumsFile, `${line}\n`);
  t = performance.now();
  // a sharded build writes its own entities' files only (src/lib/shard/shard-model.ts)
  const files = await writeEntityDownloads(model, SITE, dataset.synthetic, hashed, inSlice ?? entityInShard(model, shard));
  closeSync(sumsFile);
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
