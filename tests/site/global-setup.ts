/**
 * Builds the site once from the small fixture dataset (tests/fixtures/site-small) into a
 * temporary folder; the site tests read that build and serve it to Chromium.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const FIXTURE = path.join(ROOT, 'tests/fixtures/site-small');
export const FIXTURE_STORIES = path.join(ROOT, 'tests/fixtures/stories-small');
export const FIXTURE_BULLETINS = path.join(ROOT, 'tests/fixtures/bulletins-small');

declare module 'vitest' {
  export interface ProvidedContext {
    siteDir: string;
  }
}

export default function setup(project: TestProject) {
  const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-site-'));
  const outDir = path.join(work, 'dist');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: FIXTURE, STORIES_DIR: FIXTURE_STORIES, BULLETINS_DIR: FIXTURE_BULLETINS, ASTRO_OUT_DIR: outDir, ASTRO_CACHE_DIR: path.join(work, 'cache'), ASTRO_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`astro build of the fixture failed:\n${r.stdout}\n${r.stderr}`);
  project.provide('siteDir', outDir);
  return () => rmSync(work, { recursive: true, force: true });
}
