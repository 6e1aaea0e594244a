/**
 * After the pages are built: the Pagefind search index over the content pages (its extended
 * binary segments Chinese), then SHA256SUMS — the hash of every file of the site, published
 * with it so anyone can verify a copy (`sha256sum -c SHA256SUMS`). Runs as its own step
 * after `astro build` has exited, so the two never hold memory at once.
 *
 * Village and unit pages — 218,000 of them at national scale — are not in Pagefind: the
 * name index (name-index.ts), written from the read model, finds them, at a cost per query
 * that does not grow with the site (Pagefind issue 842; its meta file lists every page).
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const CHECKSUM_FILE = 'SHA256SUMS';

/** The site's files, relative with '/', sorted; directories named in `skip` (top level) are not entered. */
function siteFiles(site: string, skip: ReadonlyArray<string> = []): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (!e.isDirectory()) return [full];
      return dir === site && skip.includes(e.name) ? [] : walk(full);
    });
  return walk(site)
    .map((f) => path.relative(site, f).split(path.sep).join('/'))
    .sort();
}

/**
 * `sha256  path` lines, sorted by path, as sha256sum writes and checks them. Files are read
 * 32 at a time: at national scale the site is 660,000 files, and one at a time the per-file
 * waits alone took five minutes.
 */
export async function checksums(site: string): Promise<string> {
  const files = siteFiles(site).filter((f) => f !== CHECKSUM_FILE);
  const sums = new Array<string>(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      sums[i] = `${createHash('sha256').update(await readFile(path.join(site, files[i]!))).digest('hex')}  ${files[i]}`;
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return `${sums.join('\n')}\n`;
}

/**
 * The site's HTML files that opt in to search (data-pagefind-body: stories and bulletins),
 * relative. Villages, units and counties are found through the name index instead
 * (name-index.ts). Pagefind would drop a page without data-pagefind-body, but only after
 * parsing and segmenting it: at national scale the 7,000 county tables cost 3 minutes and
 * 4 GB that way, so pages are checked here first.
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

/** Write SHA256SUMS over the finished site; the number of files it lists. */
export async function writeChecksums(site: string, log: (line: string) => void): Promise<number> {
  const summing = performance.now();
  const sums = await checksums(site);
  writeFileSync(path.join(site, CHECKSUM_FILE), sums);
  log(`已写入 ${CHECKSUM_FILE}（全部文件的 SHA-256，供核验），用时 ${((performance.now() - summing) / 1000).toFixed(1)} 秒`);
  return sums.split('\n').length - 1;
}
