/**
 * The monthly rebuild: build the data without its last month, add the month, rebuild
 * with the same cache — the result must be byte-for-byte the full build of the complete
 * data, and the rebuild must actually have reused pages.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ASTRO_PAGE_COPIES } from '../../src/build/patches/astro-writes.ts';
import { checksums } from '../../src/lib/publish/checksums.ts';
import { FIXTURE, FIXTURE_BULLETINS } from './global-setup.ts';
import { build, pageCounts } from './incremental-build.ts';

describe('monthly rebuild', () => {
  it('adding a month to a built site reuses unchanged pages and gives exactly the full build', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-incr-'));
    try {
      const data = path.join(work, 'data');
      const bulletins = path.join(work, 'bulletins');
      cpSync(FIXTURE, data, { recursive: true });
      cpSync(FIXTURE_BULLETINS, bulletins, { recursive: true });
      // A third month (August reports the same cumulative figures as July), so that the
      // rebuild has months whose 附件3 pages keep their neighbours: June's links stay
      // (none before, July after); July's page gains its link to August.
      cpSync(path.join(data, 'exports/2020-07'), path.join(work, '2020-08'), { recursive: true });
      const out = path.join(work, 'dist');
      const cache = path.join(work, 'cache');
      const before = pageCounts(build(data, bulletins, out, cache));
      expect(before.reused).toBe(0);

      // Staff drop the month in and the site is rebuilt.
      renameSync(path.join(work, '2020-08'), path.join(data, 'exports/2020-08'));
      const log = build(data, bulletins, out, cache);
      const after = pageCounts(log);
      expect(after.reused).toBeGreaterThan(0);
      expect(after.rendered).toBeGreaterThan(0);
      // The June 附件3 tables do not change when August arrives; July's gains its "next month".
      // (a reused page is logged as its path followed at once by "(cached)"; with pages
      // rendered four at a time, other pages' paths can share its line)
      expect(log).toMatch(/counties\/\d{6}\/2020-06\/index\.html \((cached|restored)\)/);
      expect(log).not.toMatch(/counties\/\d{6}\/2020-07\/index\.html \((cached|restored)\)/);

      // The same data built from scratch gives the same bytes.
      const full = path.join(work, 'full');
      build(data, bulletins, full, path.join(work, 'cache-full'));
      const fullSums = await checksums(full);
      expect(await checksums(out)).toBe(fullSums);

      // Astro's cache keeps no second copy of the pages (src/build/patches/astro-writes.ts) ...
      const copies = path.join(cache, ASTRO_PAGE_COPIES);
      expect(existsSync(copies) ? readdirSync(copies, { recursive: true }) : []).toEqual([]);
      expect(readdirSync(cache)).toContain('incremental-build.json');
      // ... so an unchanged page missing from the site folder is rendered again, not copied back.
      const june = (readdirSync(path.join(out, 'counties'), { recursive: true }) as string[]).find((f) => /2020-06\/index\.html$/.test(f))!;
      rmSync(path.join(out, 'counties', june));
      const again = build(data, bulletins, out, cache);
      const page = `counties/${june.split(path.sep).join('/')}`;
      expect(again).toContain(page);
      expect(again).not.toMatch(new RegExp(`${page} \\((cached|restored)\\)`));
      expect(await checksums(out)).toBe(fullSums);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
