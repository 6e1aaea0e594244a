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
/** The build's mark of success, written after SHA256SUMS and so not listed in it (src/lib/release/build-ok.ts). */
export const BUILD_OK_FILE = '.build-ok.json';

/** One line of SHA256SUMS, as sha256sum writes it: the hash, two spaces, the path relative to the site with '/'. */
export function checksumLine(sha256: string, file: string): string {
  return `${sha256}  ${file}`;
}

/** The path a SHA256SUMS line is about. */
export function checksumPath(line: string): string {
  return line.slice(66);
}

/**
 * `sha256  path` lines, sorted by path, as sha256sum writes and checks them. Files are read
 * 32 at a time: at national scale the site is 900,000 files, and one at a time the per-file
 * waits alone add up to minutes. `known`: lines of files hashed as they were written (the
 * per-page downloads and the pages astro build rendered, all but 8,000 of the 900,000 files at
 * national scale), which are not read again; they must not have changed since.
 */
export async function checksums(site: string, known: Iterable<string> = []): Promise<string> {
  return (await sumLines(site, known)).text;
}

/** checksums()' text, and how many of its lines were handed on rather than read. */
async function sumLines(site: string, known: Iterable<string>): Promise<{ text: string; files: number; handedOn: number }> {
  const files = siteFiles(site).filter((f) => f !== CHECKSUM_FILE && f !== BUILD_OK_FILE);
  const knownLines = new Map<string, string>();
  for (const line of known) knownLines.set(checksumPath(line), line);
  const sums = new Array<string>(files.length);
  let handedOn = 0;
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      const line = knownLines.get(files[i]!);
      if (line !== undefined) handedOn++;
      sums[i] = line ?? checksumLine(createHash('sha256').update(await readFile(path.join(site, files[i]!))).digest('hex'), files[i]!);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return { text: `${sums.join('\n')}\n`, files: files.length, handedOn };
}

/**
 * Write SHA256SUMS over the finished site (`known`: see checksums()); how many files it lists,
 * and how many of those had a line handed on (hashed as written, not read).
 */
export async function writeChecksums(site: string, log: (line: string) => void, known: Iterable<string> = []): Promise<{ files: number; hashedAsWritten: number }> {
  const summing = performance.now();
  const { text, files, handedOn } = await sumLines(site, known);
  writeFileSync(path.join(site, CHECKSUM_FILE), text);
  log(`已写入 ${CHECKSUM_FILE}（全部文件的 SHA-256，供核验；${handedOn.toLocaleString('zh-CN')} 个在写出时已算好），用时 ${((performance.now() - summing) / 1000).toFixed(1)} 秒`);
  return { files, hashedAsWritten: handedOn };
}
