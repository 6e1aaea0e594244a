/** Story images in the page keys (src/site-data.ts), read without marking their originals as used. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const imageFileDigests = new Map<string, string>();
/**
 * The front matter with each image (the cover) as the digest of its file and its size. Reading
 * an image's `src` during a build marks its original as used, and Astro then publishes the
 * original beside the sizes the pages use: keying every village and unit page on `src` put 15
 * originals no page links to into /_astro/, and only into builds that keyed those pages (so a
 * sharded build's shared shard, which keys none, lacked them). `fsPath`, `width` and `height`
 * are plain properties; the file's digest changes the key whenever the image does.
 */
export function untrackedImages(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untrackedImages);
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  const fsPath = (value as { fsPath?: unknown }).fsPath;
  if (typeof fsPath === 'string') {
    let digest = imageFileDigests.get(fsPath);
    if (!digest) imageFileDigests.set(fsPath, (digest = createHash('sha256').update(readFileSync(fsPath)).digest('hex')));
    const { width, height, format } = value as { width?: unknown; height?: unknown; format?: unknown };
    return { image: digest, width, height, format };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, untrackedImages(v)]));
}
