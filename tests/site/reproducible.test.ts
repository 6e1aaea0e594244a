/** Two builds of the same input produce byte-identical sites, and SHA256SUMS verifies every file. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { CHECKSUM_FILE, checksums } from '../../src/lib/publish/checksums.ts';
import { FIXTURE, FIXTURE_BULLETINS, FIXTURE_STORIES } from './global-setup.ts';
import { defaultBuildLogFile, type BuildLog } from '../../src/build/build-log.ts';
import { siteFiles } from '../../src/lib/publish/site-files.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('reproducible builds', () => {
  it('SHA256SUMS lists every file of the site with its hash', async () => {
    const site = inject('siteDir');
    const published = readFileSync(path.join(site, CHECKSUM_FILE), 'utf8');
    expect(published).toBe(await checksums(site));
    expect(published).toMatch(/^[0-9a-f]{64} {2}index\.html$/m);
    expect(published).toMatch(/^[0-9a-f]{64} {2}pagefind\/pagefind\.js$/m);
  });

  it('the pages astro build rendered and the downloads step wrote were hashed as written, not read back', () => {
    const log = JSON.parse(readFileSync(defaultBuildLogFile(inject('siteDir')), 'utf8')) as BuildLog;
    const part = (stepId: string, id: string) => log.steps.find((s) => s.id === stepId)!.parts!.find((p) => p.id === id)!.counts;
    const downloads = part('site-extras', 'downloads').filesWritten! + part('data-check', 'site-downloads').filesWritten!;
    // a build into an empty folder renders every page: each .html file's line came from astro build
    const pages = siteFiles(inject('siteDir')).filter((f) => f.endsWith('.html')).length;
    expect(pages).toBeGreaterThan(100);
    expect(part('site-index', 'checksums').hashedAsWritten).toBeGreaterThanOrEqual(downloads + pages);
  });

  it('the checksums notice a changed byte (the check can fail)', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-sums-'));
    try {
      cpSync(inject('siteDir'), work, { recursive: true });
      const file = path.join(work, 'index.html');
      writeFileSync(file, readFileSync(file, 'utf8').replace('帮扶项目进展', '帮扶项目进屐'));
      expect(await checksums(work)).not.toBe(readFileSync(path.join(work, CHECKSUM_FILE), 'utf8'));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('a second build of the same input is byte-identical', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-repro-'));
    try {
      const out = path.join(work, 'dist');
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts')], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: FIXTURE, STORIES_DIR: FIXTURE_STORIES, BULLETINS_DIR: FIXTURE_BULLETINS, ASTRO_OUT_DIR: out, ASTRO_CACHE_DIR: path.join(work, 'cache'), ASTRO_TELEMETRY_DISABLED: '1' },
        encoding: 'utf8',
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(await checksums(out)).toBe(await checksums(inject('siteDir')));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
