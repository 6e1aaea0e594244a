/**
 * A correction re-renders only the pages that show it: the fixture is published with
 * data:import and built; then 纳雍县 sends a corrected 附件3 table for June (one figure of
 * one pairing), staff file it with data:import, and the site is rebuilt with the same cache.
 * The result must be byte-for-byte the full build of the corrected data; the village and unit
 * pages the correction does not touch — other counties', and 纳雍县's village whose rows did
 * not change — are reused; the touched village, unit, 纳雍县 and its 附件3 months are rendered,
 * and their footers say when their own data changed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksums } from '../../src/lib/publish/checksums.ts';
import { FIXTURE, FIXTURE_BULLETINS } from './global-setup.ts';
import { ROOT, build, pageCounts } from './incremental-build.ts';

const NAYONG = '520525';
const SHIQIAO = '520525101002'; // 石桥村, whose pairing with 示例乌蒙山食品有限公司 is corrected
const ANLE = '520525101001'; // 安乐村, same county and unit, its rows unchanged
const WUMENGSHAN = '91520500MA6K0002XC';
const JINGHUA = '91110000MA0K0004XG'; // helps 石桥村 too; its own pairing's rows unchanged
const FUGONG_VILLAGES = ['533323101001', '533323101002', '533323102001']; // 福贡县: another county
const FUGONG_UNITS = ['91533300MA6K0001XA', '53440100MJ5K0003XJ'];

/** `npm run data:import -- --month M --date D [--note N] FILE…` on `dataDir`; its output. */
function dataImport(dataDir: string, args: string[]): string {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/data-import.ts'), ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return r.stdout;
}

/** Keyed pages (village, unit, county, county 附件3 month) in the build log, with whether each was reused. */
function keyedPages(log: string): Map<string, 'rendered' | 'reused'> {
  const out = new Map<string, 'rendered' | 'reused'>();
  for (const m of log.matchAll(/\/((?:villages|units)\/[^/\s]+|counties\/\d{6}(?:\/\d{4}-\d{2})?)\/index\.html( \((?:cached|restored)\))?/g)) out.set(m[1]!, m[2] ? 'reused' : 'rendered');
  return out;
}

/** The footer's date line of a built page. */
function footer(dist: string, page: string): string {
  const m = /<p class="data-updated"[^>]*>([^<]*)<\/p>/.exec(readFileSync(path.join(dist, page, 'index.html'), 'utf8'));
  expect(m, page).not.toBeNull();
  return m![1]!;
}

describe('a correction of one county’s file', () => {
  it('re-renders only the pages that show the corrected records, and gives exactly the full build', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-corr-'));
    try {
      const data = path.join(work, 'data');
      const bulletins = path.join(work, 'bulletins');
      cpSync(FIXTURE, data, { recursive: true });
      cpSync(FIXTURE_BULLETINS, bulletins, { recursive: true });
      // Published with data:import: August (July's cumulative figures again) filed on 2020-09-05,
      // which records June's and July's files as published that day too.
      const inbox = path.join(work, 'inbox');
      mkdirSync(path.join(inbox, '2020-08'), { recursive: true });
      for (const f of ['云南省.csv', '贵州省.csv']) cpSync(path.join(data, 'exports/2020-07', f), path.join(inbox, '2020-08', f));
      dataImport(data, ['--month', '2020-08', '--date', '2020-09-05', path.join(inbox, '2020-08/云南省.csv'), path.join(inbox, '2020-08/贵州省.csv')]);

      const out = path.join(work, 'dist');
      const cache = path.join(work, 'cache');
      const first = pageCounts(build(data, bulletins, out, cache));
      expect(first.reused).toBe(0);
      expect(footer(out, `villages/${SHIQIAO}`)).toBe('本页数据更新于 2020年9月5日（数据截至 2020年8月底）');

      // 纳雍县 corrects June: 石桥村 × 示例乌蒙山食品有限公司 已解决就业人数 2 → 3 (its ratio and the 合计 row with it).
      // The county saved it again from Excel as UTF-8; same name as the published file.
      const published = new TextDecoder('gb18030').decode(readFileSync(path.join(data, 'exports/2020-06/贵州省/毕节市/纳雍县.csv')));
      const row = '2,石桥村,示例乌蒙山食品有限公司,80,40,50,20,0,0,1,0,30,10,33.33,8,2,25,30,0,0,0,0';
      const total = '合计,,,340,"1,053",309.71,70,20,28.57,2,0,150,45,30,34,10,29.41,90,20,22.22,1,1';
      expect(published).toContain(row);
      expect(published).toContain(total);
      const corrected = published.replace(row, '2,石桥村,示例乌蒙山食品有限公司,80,40,50,20,0,0,1,0,30,10,33.33,8,3,37.5,30,0,0,0,0').replace(total, '合计,,,340,"1,053",309.71,70,20,28.57,2,0,150,45,30,34,11,32.35,90,20,22.22,1,1');
      mkdirSync(path.join(inbox, '2020-06'));
      writeFileSync(path.join(inbox, '2020-06/纳雍县.csv'), `\uFEFF${corrected}`);
      const imported = dataImport(data, ['--month', '2020-06', '--date', '2020-09-20', '--note', '纳雍县更正6月就业数', path.join(inbox, '2020-06/纳雍县.csv')]);
      expect(imported).toContain('共 1 处变化');
      expect(imported).toContain(`村 ${SHIQIAO} × 单位 ${WUMENGSHAN} 已解决就业人数：2 → 3`);

      const log = build(data, bulletins, out, cache);
      const after = pageCounts(log);
      const pages = keyedPages(log);
      // every village, unit, county and 附件3 month page is in the log, once
      expect(pages.size).toBe(5 + 4 + 2 + 2 * 3);
      const rendered = [...pages].filter(([, s]) => s === 'rendered').map(([p]) => p).sort();
      // exactly the pages that show the corrected record: its village, its unit, 纳雍县 and its
      // 附件3 tables from June on (their keys hold the records up to their month)
      expect(rendered).toEqual([`counties/${NAYONG}`, `counties/${NAYONG}/2020-06`, `counties/${NAYONG}/2020-07`, `counties/${NAYONG}/2020-08`, `units/${WUMENGSHAN}`, `villages/${SHIQIAO}`]);
      for (const p of [...FUGONG_VILLAGES.map((v) => `villages/${v}`), ...FUGONG_UNITS.map((u) => `units/${u}`), `villages/${ANLE}`, `units/${JINGHUA}`, 'counties/533323', 'counties/533323/2020-06']) {
        expect(pages.get(p), p).toBe('reused');
      }
      expect(log).toMatch(new RegExp(`/villages/${FUGONG_VILLAGES[0]}/index\\.html \\((cached|restored)\\)`));
      // the build says how many it reused: every keyed page but those six. The rest — site-wide
      // lists, provinces, stories, bulletins: pages without a key, which the fixture has many of
      // (96 of 113) — is rendered every time.
      expect(after.reused).toBe(pages.size - rendered.length);
      expect(after.rendered + after.reused).toBe(first.rendered + 1); // + the archived June file under /sources/
      expect(rendered.length * 2).toBeLessThan(pages.size);
      expect(after.rendered).toBeLessThan(first.rendered);

      // The corrected pages say when their data changed; the others keep their own date; site-wide pages the latest.
      expect(footer(out, `villages/${SHIQIAO}`)).toBe('本页数据更新于 2020年9月20日（数据截至 2020年8月底）');
      expect(footer(out, `units/${WUMENGSHAN}`)).toBe('本页数据更新于 2020年9月20日（数据截至 2020年8月底）');
      expect(footer(out, `counties/${NAYONG}/2020-06`)).toBe('本页数据更新于 2020年9月20日（数据截至 2020年6月底）');
      expect(footer(out, `counties/${NAYONG}`)).toBe('本页数据更新于 2020年9月20日（数据截至 2020年8月底）');
      expect(footer(out, 'counties/533323')).toBe('本页数据更新于 2020年9月5日（数据截至 2020年8月底）');
      expect(footer(out, `counties/${NAYONG}/2020-07`)).toBe('本页数据更新于 2020年9月5日（数据截至 2020年7月底）');
      expect(footer(out, `villages/${ANLE}`)).toBe('本页数据更新于 2020年9月5日（数据截至 2020年8月底）');
      expect(footer(out, `villages/${FUGONG_VILLAGES[0]}`)).toBe('本页数据更新于 2020年9月5日（数据截至 2020年8月底）');
      expect(footer(out, '')).toBe('数据更新于 2020年9月20日（最新数据截至 2020年8月底）');

      // The same data built from scratch gives the same bytes.
      const full = path.join(work, 'full');
      build(data, bulletins, full, path.join(work, 'cache-full'));
      expect(await checksums(out)).toBe(await checksums(full));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
