/**
 * After the pages are built: the Pagefind search index (its extended binary segments
 * Chinese; pages opt in with data-pagefind-body), then SHA256SUMS — the hash of every file
 * of the site, published with it so anyone can verify a copy (`sha256sum -c SHA256SUMS`).
 * Runs as its own step after `astro build` has exited, so the two never hold memory at once.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const CHECKSUM_FILE = 'SHA256SUMS';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** `sha256  path` lines, sorted by path, as sha256sum writes and checks them. */
export function checksums(site: string): string {
  return (
    walk(site)
      .map((f) => path.relative(site, f).split(path.sep).join('/'))
      .filter((f) => f !== CHECKSUM_FILE)
      .sort()
      .map((f) => `${createHash('sha256').update(readFileSync(path.join(site, f))).digest('hex')}  ${f}`)
      .join('\n') + '\n'
  );
}

export async function indexSite(site: string, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  const pagefind = await import('pagefind');
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'zh-cn', excludeSelectors: ['svg', '[data-pagefind-ignore]'] });
  if (!index) throw new Error(`搜索索引创建失败：${errors.join('；')}`);
  log('建立搜索索引（Pagefind）……');
  const added = await index.addDirectory({ path: site });
  if (added.errors.length) throw new Error(`搜索索引出错：${added.errors.join('；')}`);
  const written = await index.writeFiles({ outputPath: path.join(site, 'pagefind') });
  if (written.errors.length) throw new Error(`搜索索引写入出错：${written.errors.join('；')}`);
  await pagefind.close();
  log(`搜索索引：${added.page_count} 个页面，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒`);
  writeFileSync(path.join(site, CHECKSUM_FILE), checksums(site));
  log(`已写入 ${CHECKSUM_FILE}（全部文件的 SHA-256，供核验）`);
}
