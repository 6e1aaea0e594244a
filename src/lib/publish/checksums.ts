/**
 * SHA256SUMS — the hash of every file of the site, published with it so anyone can verify a
 * copy (`sha256sum -c SHA256SUMS`). Written last, after the search index, over the finished site.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { siteFiles } from './site-files.ts';

export const CHECKSUM_FILE = 'SHA256SUMS';

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

/** Write SHA256SUMS over the finished site; the number of files it lists. */
export async function writeChecksums(site: string, log: (line: string) => void): Promise<number> {
  const summing = performance.now();
  const sums = await checksums(site);
  writeFileSync(path.join(site, CHECKSUM_FILE), sums);
  log(`已写入 ${CHECKSUM_FILE}（全部文件的 SHA-256，供核验），用时 ${((performance.now() - summing) / 1000).toFixed(1)} 秒`);
  return sums.split('\n').length - 1;
}
