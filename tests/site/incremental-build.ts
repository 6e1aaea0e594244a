/**
 * What the incremental-build tests share: a build of a data folder into an output folder
 * with its own cache (as `npm run build` does it), and the page counts the build prints.
 */
import { spawnSync } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import path from 'node:path';
import { expect } from 'vitest';
import { FIXTURE_STORIES } from './global-setup.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** scripts/build.ts on `dataDir` into `out` with the cache `cache`; fails the test on a failed build; the log without colour codes. */
export function build(dataDir: string, bulletinsDir: string, out: string, cache: string): string {
  // --verbose: the log lists every page, reused ones marked "(cached)" or "(restored)"
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts'), '--verbose'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, STORIES_DIR: FIXTURE_STORIES, BULLETINS_DIR: bulletinsDir, ASTRO_OUT_DIR: out, ASTRO_CACHE_DIR: cache, ASTRO_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  // CI sets CI=true, and then Astro colours its log: a path and its "(cached)" have colour codes between them
  return stripVTControlCharacters(r.stdout);
}

/** `[页面] … 渲染 N 个，… 沿用上次 M 个` → { rendered, reused } */
export function pageCounts(log: string): { rendered: number; reused: number } {
  const m = /渲染 ([\d,]+) 个，数据和代码未变、沿用上次 ([\d,]+) 个/.exec(log);
  expect(m, log).not.toBeNull();
  return { rendered: Number(m![1]!.replaceAll(',', '')), reused: Number(m![2]!.replaceAll(',', '')) };
}
