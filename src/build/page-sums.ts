/**
 * Astro's pages hashed as they are rendered (src/middleware.ts), so that SHA256SUMS need not
 * read them back: at the end of a national build they have left the page cache, and reading
 * 230,000 pages from the disk would be most of that step (docs/decisions/0013). Astro writes a
 * page's file as exactly the bytes of its response (core/build/generate.js); the lines are
 * only used for files that exist when SHA256SUMS is written (checksums.ts), and a page that
 * was not rendered (reused from the last build) is read as before.
 */
import { createHash } from 'node:crypto';
import { openSync, writeSync } from 'node:fs';
import { checksumLine } from '../lib/publish/checksums.ts';

/**
 * The file a rendered address is written to, relative to the site, by Astro's rule for
 * build.format 'directory' (core/build/common.js, getOutFile). The middleware sees addresses
 * with the trailing slash (trailingSlash 'always'): a page `/villages/1/` is
 * `villages/1/index.html`; an endpoint, whose last segment has a file extension, is that file
 * (`/sources/2020-05/450225.csv/` → `sources/2020-05/450225.csv`); the status pages `/404/`
 * and `/500/` are `404.html` and `500.html`. Should a line ever name the wrong file, it names
 * none (a page's folder is not a file), and SHA256SUMS reads that file instead.
 */
export function pageFileOf(pathname: string): string {
  const segments = pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const last = segments.at(-1);
  if (segments.length === 1 && (last === '404' || last === '500')) return `${last}.html`;
  if (last?.includes('.')) return segments.join('/');
  return [...segments, 'index.html'].join('/');
}

/** Hash a rendered body and append its line to `file` (the build's handoff names it, `sums.pages`); null when no file is named (astro dev). */
export function pageSumsRecorder(file: string | undefined): ((pathname: string, body: Uint8Array) => void) | null {
  if (!file) return null;
  let fd: number | null = null;
  return (pathname, body) => {
    fd ??= openSync(file, 'a');
    writeSync(fd, `${checksumLine(createHash('sha256').update(body).digest('hex'), pageFileOf(pathname))}\n`);
  };
}
