/**
 * After the pages are built: the Pagefind search index over the content pages (its extended
 * binary segments Chinese). Runs as its own step after `astro build` has exited, so the two
 * never hold memory at once; SHA256SUMS (checksums.ts) follows it.
 *
 * Village and unit pages — 218,000 of them at national scale — are not in Pagefind: the
 * name index (name-index.ts), written from the read model, finds them, at a cost per query
 * that does not grow with the site (Pagefind issue 842; its meta file lists every page).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { siteFiles } from './site-files.ts';

/**
 * The site's HTML files that opt in to search (data-pagefind-body: stories and bulletins),
 * relative. Villages, units and counties are found through the name index instead
 * (name-index.ts). Pagefind would drop a page without data-pagefind-body, but only after
 * parsing and segmenting it (at national scale minutes and gigabytes for the 7,000 county
 * tables), so pages are checked here first.
 */
function searchablePages(site: string): Array<{ rel: string; content: string }> {
  const pages: Array<{ rel: string; content: string }> = [];
  // The record pages (218,000 village and unit pages at national scale) are not even listed.
  for (const rel of siteFiles(site, ['villages', 'units', 'counties']).filter((f) => f.endsWith('.html'))) {
    const content = readFileSync(path.join(site, rel), 'utf8');
    if (content.includes('data-pagefind-body')) pages.push({ rel, content });
  }
  return pages;
}

/** Index the searchable pages with Pagefind; the number of pages indexed. */
export async function indexContentPages(site: string, log: (line: string) => void): Promise<number> {
  const started = performance.now();
  const pagefind = await import('pagefind');
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'zh-cn', excludeSelectors: ['svg', '[data-pagefind-ignore]'] });
  if (!index) throw new Error(`搜索索引创建失败：${errors.join('；')}`);
  log('建立搜索索引（Pagefind）……');
  const fail = (what: string, errs: string[]) => {
    if (errs.length) throw new Error(`搜索索引出错（${what}）：${errs.join('；')}`);
  };
  let pages = 0;
  for (const { rel, content } of searchablePages(site)) {
    const r = await index.addHTMLFile({ sourcePath: rel, content });
    fail(rel, r.errors);
    pages++;
  }
  const written = await index.writeFiles({ outputPath: path.join(site, 'pagefind') });
  fail('写入', written.errors);
  await pagefind.close();
  log(`搜索索引（案例和通报的全文）：${pages} 个页面，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒`);
  return pages;
}
