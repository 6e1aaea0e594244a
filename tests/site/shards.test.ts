/**
 * Sharded builds (issue 34) at the fixture scale: `npm run build -- --shard I/N` for
 * shared/N and 1…N, then `npm run build -- --merge`, give exactly the unsharded build
 * (every file's bytes, SHA256SUMS, the sitemap, the search index), for N = 1, 2 and 3; and the
 * merge refuses a missing shard and shards of another N, in Chinese.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CHECKSUM_FILE, BUILD_OK_FILE, checksums } from '../../src/lib/publish/checksums.ts';
import { siteFiles } from '../../src/lib/publish/site-files.ts';
import { entityOfFile, unitSlice, villageSlice } from '../../src/lib/shard/shard-rule.ts';
import { FIXTURE, FIXTURE_BULLETINS, FIXTURE_STORIES } from './global-setup.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let work: string;

function run(args: string[], out: string, data = FIXTURE, cache = path.join(work, 'cache'), stories = FIXTURE_STORIES): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: data, STORIES_DIR: stories, BULLETINS_DIR: FIXTURE_BULLETINS, ASTRO_OUT_DIR: out, ASTRO_CACHE_DIR: cache, ASTRO_TELEMETRY_DISABLED: '1' },
    encoding: 'utf8',
  });
  return { status: r.status, output: r.stdout + r.stderr };
}

/** Build shared/N and 1…N; their folders by name. */
function buildShards(n: number): Map<string, string> {
  const dirs = new Map<string, string>();
  for (const s of ['shared', ...Array.from({ length: n }, (_, i) => String(i + 1))]) {
    const out = path.join(work, `n${n}`, s);
    const r = run(['--shard', `${s}/${n}`], out);
    expect(r.status, r.output).toBe(0);
    dirs.set(`${s}/${n}`, out);
  }
  return dirs;
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-shards-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

// the unit codes of the fixture's pairings (tests/fixtures/site-small/registry/pairings.csv)
const PAIRED = new Map<string, string[]>();
for (const line of readFileSync(path.join(FIXTURE, 'registry/pairings.csv'), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).slice(1)) {
  const [village, unit] = line.split(',');
  if (village && unit) PAIRED.set(unit, [...(PAIRED.get(unit) ?? []), village]);
}

describe('sharded build', () => {
  for (const n of [1, 2, 3]) {
    it(`N = ${n}: the merged shards are byte-identical to the unsharded build`, { timeout: 900_000 }, async () => {
      const shards = buildShards(n);
      // each slice holds only its own villages' and units' files; the shared shard none
      for (const [name, dir] of shards) {
        const own = siteFiles(dir, ['.gpdzc-shard']).map(entityOfFile).filter((e) => e !== null);
        const index = name.startsWith('shared') ? null : Number(name.split('/')[0]);
        if (index === null) expect(own).toEqual([]);
        for (const e of own) expect(e.kind === 'villages' ? villageSlice(e.code, n) : unitSlice(e.code, PAIRED.get(e.code) ?? [], n)).toBe(index);
        expect(existsSync(path.join(dir, 'sitemap-0.xml'))).toBe(false);
        expect(existsSync(path.join(dir, '.gpdzc-shard/manifest.json'))).toBe(true);
      }
      const merged = path.join(work, `n${n}`, 'merged');
      const r = run(['--merge', ...shards.values()], merged);
      expect(r.status, r.output).toBe(0);
      const site = inject('siteDir');
      expect(siteFiles(merged)).toEqual(siteFiles(site));
      // every file's bytes, read from the disk (not the lists the build wrote)
      expect(await checksums(merged)).toBe(await checksums(site));
      expect(readFileSync(path.join(merged, CHECKSUM_FILE), 'utf8')).toBe(readFileSync(path.join(site, CHECKSUM_FILE), 'utf8'));
      expect(readFileSync(path.join(merged, BUILD_OK_FILE), 'utf8')).toBe(readFileSync(path.join(site, BUILD_OK_FILE), 'utf8'));
      expect(readFileSync(path.join(merged, 'sitemap-0.xml'), 'utf8')).toContain('/villages/533323101001/');
    });
  }

  it('the merge refuses a missing shard and a shard of another N, in Chinese, and writes no site', () => {
    const n2 = path.join(work, 'n2');
    const n3 = path.join(work, 'n3');
    // the folders of the tests above
    expect(existsSync(path.join(n2, '1'))).toBe(true);
    const out = path.join(work, 'refused');
    const missing = run(['--merge', path.join(n2, 'shared'), path.join(n2, '1')], out);
    expect(missing.status).toBe(1);
    expect(missing.output).toContain('缺少分片：2/2（共 2 片，另加 shared/2）');
    const mixed = run(['--merge', path.join(n3, 'shared'), path.join(n2, '1'), path.join(n2, '2'), path.join(n2, '2')], out);
    expect(mixed.status).toBe(1);
    expect(mixed.output).toMatch(/各分片的分片数 N 不同，不能合并/);
    expect(mixed.output).toContain('分片 2/2 重复');
    expect(existsSync(path.join(out, BUILD_OK_FILE))).toBe(false);
  });

  it('a change of one county rebuilds its slice and the shared shard; the other slice is reused whole, and the merge equals the unsharded build (with a story naming villages of both slices)', { timeout: 900_000 }, async () => {
    const data = path.join(work, 'data-c');
    cpSync(FIXTURE, data, { recursive: true });
    // a story of 纳雍县 (slice 1 of 2) that also names a village of 福贡县 (slice 2): its card on
    // the unit's page in slice 1 names both counties, so slice 1's model must hold that village
    const stories = path.join(work, 'stories-c');
    cpSync(FIXTURE_STORIES, stories, { recursive: true });
    const story = path.join(stories, '2020-07-nayong-vegetables.mdx');
    const text = readFileSync(story, 'utf8');
    writeFileSync(story, text.replace("villages: ['520525101001', '520525101002']", "villages: ['520525101001', '520525101002', '533323101001']"));
    expect(readFileSync(story, 'utf8')).not.toBe(text);
    const cache = path.join(work, 'cache-c');
    const dir = (s: string) => path.join(work, 'n2c', s);
    const buildAll = () => Object.fromEntries(['shared', '1', '2'].map((s) => [s, run(['--shard', `${s}/2`], dir(s), data, cache, stories)]));
    for (const r of Object.values(buildAll())) expect(r.status, r.output).toBe(0);
    // 纳雍县 (520525) is slice 1 of 2 (tests/unit/shard-rule.test.ts): one figure of 安乐村 corrected
    const file = path.join(data, 'exports/2020-07/贵州省.csv');
    const before = readFileSync(file, 'utf8');
    const after = before.replace('安乐村,示例乌蒙山食品有限公司,200,150,75,', '安乐村,示例乌蒙山食品有限公司,200,160,80,');
    expect(after).not.toBe(before);
    writeFileSync(file, after);
    const again = buildAll();
    for (const r of Object.values(again)) expect(r.status, r.output).toBe(0);
    expect(again['2']!.output).toMatch(/\[分片\] 2\/2：本片的数据和代码未变，沿用上次的输出/);
    expect(again['1']!.output).not.toMatch(/沿用上次的输出/);
    expect(again.shared!.output).not.toMatch(/沿用上次的输出/);
    const merged = path.join(work, 'n2c', 'merged');
    const m = run(['--merge', dir('shared'), dir('1'), dir('2')], merged, data, cache, stories);
    expect(m.status, m.output).toBe(0);
    const full = path.join(work, 'full-c');
    const f = run([], full, data, path.join(work, 'cache-full-c'), stories);
    expect(f.status, f.output).toBe(0);
    expect(readFileSync(path.join(merged, 'villages/520525101001/data.csv'), 'utf8')).toContain('160');
    expect(readFileSync(path.join(merged, 'units/91520500MA6K0002XC/index.html'), 'utf8')).toMatch(/data-story="2020-07-nayong-vegetables"[^]*?纳雍县、[^<]*福贡县/);
    expect(await checksums(merged)).toBe(await checksums(full));
    expect(readFileSync(path.join(merged, CHECKSUM_FILE), 'utf8')).toBe(readFileSync(path.join(full, CHECKSUM_FILE), 'utf8'));
  });
});
