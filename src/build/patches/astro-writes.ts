/**
 * Run-time patch (src/build/patches/README.md): how astro build writes inside scripts/build.ts,
 * which keeps the site folder from one build to the next (installed by src/build/integration.ts
 * when the build's handoff says keepOutDir; what this build did not write or keep is pruned
 * afterwards, src/build/prune.ts):
 * 1. Astro writes each page with `fs.promises.writeFile`, which truncates the page the last build
 *    left there; in the site folder that write goes in place instead (in-place-write.ts).
 *    Its folder for the page (`fs.promises.mkdir`, recursive) is made synchronously too: the
 *    promise version costs about 15 times the CPU when the folder exists, once per page.
 * 2. Astro's incremental build keeps a second copy of every page in its cache, to copy a page it
 *    need not render back into an emptied site folder. This folder is never emptied (an
 *    unchanged page stays where it is), so that copy is never read, only written (every page
 *    twice). It is not written; a page missing from the folder is rendered.
 * Why and what it saves: docs/decisions/0004-incremental-build-in-place.md (the national
 * monthly rebuild 1,053.6 s → 568.6 s).
 * Both reach past Astro's public API: (1) wraps `fs.promises.writeFile` and `fs.promises.mkdir`
 * in the astro build process for paths in the site folder, (2) replaces a method of Astro's
 * IncrementalBuildCache. tests/unit/astro-patches-guard.test.ts pins the Astro code both rely on
 * (core/build/generate.js, core/build/incremental.js) and fails when it changes;
 * tests/site/incremental.test.ts checks that the cache holds no page and that a rebuild gives
 * the full build's bytes.
 *
 * Upstream: no Astro issue or pull request asks for what would make this unnecessary (an
 * incremental build that keeps outDir and writes over it without a page copy in cacheDir); the
 * closest is the pull request that added the incremental build and its cache copy,
 * https://github.com/withastro/astro/pull/17084 (RFC https://github.com/withastro/roadmap/pull/1404).
 * An upstream option for it would retire this file.
 */
import { mkdirSync, promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeFileInPlace } from '../../lib/publish/in-place-write.ts';

/** Where Astro's incremental build keeps its copies of pages, under its cacheDir (astro/dist/core/build/incremental.js). */
export const ASTRO_PAGE_COPIES = 'dist';

const installed = Symbol.for('gpdzc.astro-writes');

export async function writeOverEarlierBuild(outDir: string): Promise<void> {
  const g = globalThis as { [installed]?: boolean };
  if (g[installed]) return;
  g[installed] = true;

  const site = path.resolve(outDir) + path.sep;
  const inSite = (file: unknown): file is string | URL => {
    const p = typeof file === 'string' ? path.resolve(file) : file instanceof URL && file.protocol === 'file:' ? fileURLToPath(file) : null;
    return p !== null && p.startsWith(site);
  };
  const writeFile = fsp.writeFile;
  fsp.writeFile = ((...args: Parameters<typeof writeFile>) => {
    const [file, data, options] = args;
    if (options === undefined && data instanceof Uint8Array && inSite(file)) return writeFileInPlace(file, data);
    // every other call exactly as made
    return writeFile(...args);
  }) as typeof fsp.writeFile;
  const mkdir = fsp.mkdir;
  fsp.mkdir = ((...args: Parameters<typeof mkdir>) => {
    const [dir, options] = args;
    if (typeof options === 'object' && options?.recursive === true && Object.keys(options).length === 1 && inSite(dir)) {
      try {
        return Promise.resolve(mkdirSync(dir, options));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    return mkdir(...args);
  }) as typeof fsp.mkdir;

  const astro = path.dirname(createRequire(import.meta.url).resolve('astro/package.json'));
  const { IncrementalBuildCache } = (await import(pathToFileURL(path.join(astro, 'dist/core/build/incremental.js')).href)) as { IncrementalBuildCache?: { prototype: Record<string, unknown> } };
  if (typeof IncrementalBuildCache?.prototype.writeOutputFile !== 'function') {
    console.warn('[页面] 这个版本的 Astro 没有 IncrementalBuildCache.writeOutputFile：它的缓存仍会再存一份每个页面（只是慢些，结果不变）');
    return;
  }
  IncrementalBuildCache.prototype.writeOutputFile = async () => {};
}
