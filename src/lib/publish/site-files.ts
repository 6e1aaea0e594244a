/** The files of a built site, for the steps that read it whole after `astro build` (checksums.ts, pagefind.ts). */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The site's files, relative with '/', sorted; directories named in `skip` (top level) are not entered. */
export function siteFiles(site: string, skip: ReadonlyArray<string> = []): string[] {
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

/** The same for any folder that may not exist yet (none then): the inputs a digest covers, a shard's part. */
export function filesUnder(dir: string): string[] {
  return existsSync(dir) ? siteFiles(dir) : [];
}
