/**
 * `astro build` run on its own, not as a step of npm run build, would give another dist/ (no
 * data check, /downloads/, search index, SHA256SUMS or personal-data gate): it stops at once
 * with a Chinese sentence saying to use npm run build (src/build/integration.ts), and writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { FIXTURE, FIXTURE_BULLETINS, FIXTURE_STORIES } from './global-setup.ts';
import { BUILD_ALONE_MESSAGE } from '../../src/build/integration.ts';
import { HANDOFF_ENV } from '../../src/build/handoff.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-alone-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('astro build alone stops at once, saying in Chinese to use npm run build, and writes no site', () => {
  const out = path.join(work, 'dist');
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: FIXTURE, STORIES_DIR: FIXTURE_STORIES, BULLETINS_DIR: FIXTURE_BULLETINS, ASTRO_OUT_DIR: out, ASTRO_CACHE_DIR: path.join(work, 'cache'), ASTRO_TELEMETRY_DISABLED: '1' };
  delete env[HANDOFF_ENV];
  const started = performance.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build'], { cwd: ROOT, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  expect(r.status, r.stdout + r.stderr).toBe(1);
  expect(r.stderr).toContain('请用 npm run build 构建网站');
  expect(r.stderr).toContain(BUILD_ALONE_MESSAGE);
  expect(r.stdout).not.toMatch(/generating static routes|page\(s\) built/);
  expect(existsSync(out)).toBe(false);
  // at once: before Astro reads any content or renders a page (under 10 s on a quiet machine; a fixture build takes 15 s and more)
  expect(ms).toBeLessThan(30_000);
});
