/**
 * A build into the folder of the previous one, made equal to a build into an empty folder.
 *
 * Astro empties its output folder before every build (unless told not to, which
 * scripts/build.ts does): at national scale that is 880,000 files deleted, and then every
 * page the incremental cache could reuse copied back from the cache. Instead the folder is
 * kept; Astro leaves an unchanged page where it is, every other file is written afresh, and
 * afterwards every file older than the build's start that Astro did not keep as an unchanged
 * page is stale (a page, download or asset of the previous build that this one no longer
 * has) and is deleted here — before Pagefind and SHA256SUMS, which are always written new.
 */
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Astro's record of the last build's keyed pages (its `experimental.incrementalBuild`). */
const ASTRO_MANIFEST = 'incremental-build.json';

/**
 * The file system's own clock just before the build writes anything: the status-change time
 * (ctime) of a file written now. Every file the build writes or copies gets a later ctime,
 * also one whose modification time Astro sets back to its source's (images copied from its
 * cache, unchanged files of public/: Astro keeps their timestamps), which is why ctime, not
 * mtime, tells what this build wrote.
 */
export function startMark(cacheDir: string): number {
  mkdirSync(cacheDir, { recursive: true });
  const file = path.join(cacheDir, 'gpdzc-build-start');
  // A new file, written: its time is the one the files written after it get (the file
  // system's clock is coarser than Date.now(), so that could not be compared with them).
  rmSync(file, { force: true });
  writeFileSync(file, `${process.pid}\n`);
  return statSync(file).ctimeMs;
}

/** The site files (relative, '/') Astro's latest build recorded for its keyed pages: the ones it may have left in place. */
function keptPages(cacheDir: string): Set<string> {
  const kept = new Set<string>();
  try {
    const manifest = JSON.parse(readFileSync(path.join(cacheDir, ASTRO_MANIFEST), 'utf8')) as { routes?: Record<string, { paths?: Record<string, { outputFile?: string }> }> };
    for (const route of Object.values(manifest.routes ?? {})) {
      for (const p of Object.values(route.paths ?? {})) if (p.outputFile) kept.add(decodeURI(p.outputFile));
    }
  } catch {
    // no manifest (incremental builds off, or a first build): nothing was kept in place
  }
  return kept;
}

/** The files of the public folder (relative, '/'): copied into every build, but not written again when unchanged, so never stale. */
function publicFiles(publicDir: string): Set<string> {
  const files = new Set<string>();
  const walk = (dir: string, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(dir, e.name), r);
      else files.add(r);
    }
  };
  try {
    walk(publicDir, '');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return files;
}

/** Whether `site` holds anything an earlier build could have left (`.git` at the top aside): if not, nothing can be stale. */
export function hasEarlierOutput(site: string): boolean {
  try {
    return readdirSync(site).some((name) => name !== '.git');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * Delete every file under `site` last written (ctime) before `mark` that is not a page Astro kept or a
 * file of `publicDir` (the build copies public/ over the site folder and leaves a file that is
 * already there as it is), and the folders left empty. `.git` at the top is left alone, as
 * Astro does.
 */
export function pruneStale(site: string, cacheDir: string, mark: number, publicDir: string): { deleted: number; kept: number } {
  const kept = keptPages(cacheDir);
  const fromPublic = publicFiles(publicDir);
  let deleted = 0;
  let old = 0;
  const walk = (dir: string, rel: string): boolean => {
    let empty = true;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (!rel && e.name === '.git') {
        empty = false;
        continue;
      }
      if (e.isDirectory()) {
        if (walk(full, r)) rmdirSync(full);
        else empty = false;
        continue;
      }
      if (lstatSync(full).ctimeMs >= mark) {
        empty = false;
        continue;
      }
      if (fromPublic.has(r)) {
        empty = false;
        continue;
      }
      if (kept.has(r)) {
        old++;
        empty = false;
        continue;
      }
      unlinkSync(full);
      deleted++;
    }
    return empty;
  };
  try {
    walk(site, '');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return { deleted, kept: old };
}
