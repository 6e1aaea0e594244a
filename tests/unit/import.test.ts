/**
 * npm run data:import: a good new month is filed; a bad month is refused and nothing is
 * written; a corrected file for a published month becomes a recorded revision that the
 * built site shows on the village page, the bulletin and the corrections page.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { FLAT_HEADER, SMALL, flatRow } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let work: string;
let data: string;
const run = (script: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [path.join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: data, ASTRO_TELEMETRY_DISABLED: '1', ...env }, encoding: 'utf8' });
const snapshot = (dir: string): Record<string, number> =>
  Object.fromEntries(readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(path.join(dir, f)).isFile()).sort().map((f) => [f, statSync(path.join(dir, f)).size]));

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-import-'));
  data = path.join(work, 'data');
  cpSync(SMALL, data, { recursive: true });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run data:import', () => {
  it('files a good new month under exports/YYYY-MM/ and records it in the manifest', () => {
    const file = path.join(work, '云南省-8月.csv');
    writeFileSync(file, `${FLAT_HEADER}\r\n${flatRow({ '资金已到位总投入（万元）': '100', '资金计划完成比例（%）': '' })}\r\n`);
    const r = run('scripts/data-import.ts', ['--month', '2020-08', '--date', '2020-09-05', file]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('已导入 2020年8月：1 个文件');
    expect(r.stdout).toMatch(/\[\d+\.\ds\] 校验/); // progress lines
    expect(existsSync(path.join(data, 'exports/2020-08/云南省-8月.csv'))).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(data, 'manifest.json'), 'utf8'));
    expect(manifest.published['exports/2020-08/云南省-8月.csv'].publishedOn).toBe('2020-09-05');
    expect(manifest.revisions).toEqual([]);
    expect(ingestDataDir(data).ok).toBe(true);
  });

  it('refuses a bad month with the full report, and writes nothing', () => {
    const before = snapshot(data);
    const file = path.join(work, '坏.csv');
    writeFileSync(file, `${FLAT_HEADER}\r\n${flatRow({ 帮扶村: '白河村', 村代码: '533323101002', '已解决就业人数': '很多' })}\r\n${flatRow({ 村代码: '533323999999' })}\r\n`);
    const r = run('scripts/data-import.ts', ['--month', '2020-09', '--date', '2020-10-05', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('【exports/2020-09/坏.csv】');
    expect(r.stdout).toContain('“很多” 不是数字');
    expect(r.stdout).toContain('村代码 533323999999 不在村名录');
    expect(r.stdout).toContain('导入被拒绝：没有写入任何文件');
    expect(snapshot(data)).toEqual(before);
  });

  it('a correction in another format than the published file is refused, naming the file to save as', () => {
    const before = snapshot(data);
    const file = path.join(work, '云南省-8月.xlsx');
    writeFileSync(file, 'PK'); // refused before its content is read
    const r = run('scripts/data-import.ts', ['--month', '2020-08', '--date', '2020-09-10', file]);
    expect(r.status).toBe(2);
    expect(r.stderr + r.stdout).toContain('更正文件要和已发布的文件同名同格式（请另存为 云南省-8月.csv 后再导入）');
    expect(snapshot(data)).toEqual(before);
  });

  it('usage errors exit 2', () => {
    expect(run('scripts/data-import.ts', ['--month', '2020-13', 'x.csv']).status).toBe(2);
    expect(run('scripts/data-import.ts', ['--month', '2020-09']).status).toBe(2);
  });

  it('a corrected file for a published month is recorded as a revision, never a silent overwrite', () => {
    const original = readFileSync(path.join(data, 'exports/2020-07/贵州省.csv'));
    const corrected = path.join(work, '贵州省.csv');
    writeFileSync(corrected, original.toString('utf8').replace('安乐村,示例乌蒙山食品有限公司,200,150,75', '安乐村,示例乌蒙山食品有限公司,200,160,80'));
    const r = run('scripts/data-import.ts', ['--month', '2020-07', '--date', '2020-08-20', '--note', '纳雍县更正', corrected]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('记录为 2020-08-20-1');
    expect(r.stdout).toMatch(/资金已到位总投入：150\.00\s万元 → 160\.00\s万元/);
    // the old copy is archived byte for byte
    expect(readFileSync(path.join(data, 'revisions/2020-07/2020-08-20-1/贵州省.csv'))).toEqual(original);
    const result = ingestDataDir(data);
    expect(result.ok).toBe(true);
    expect(result.revisions).toEqual([
      expect.objectContaining({ id: '2020-08-20-1', month: '2020-07', date: '2020-08-20', changes: [{ pairingId: '520525101001-91520500MA6K0002XC', villageCode: '520525101001', unitCode: '91520500MA6K0002XC', kind: 'changed', metric: 'fundsDone', old: 1_500_000, new: 1_600_000 }] }),
    ]);
  });

  it('a corrected county table replaces the file in its province/prefecture folder, recorded', () => {
    const nested = path.join(data, 'exports/2020-06/贵州省/毕节市/纳雍县.csv');
    const corrected = path.join(work, 'fix', '纳雍县.csv');
    mkdirSync(path.dirname(corrected), { recursive: true });
    // 石桥村 × 乌蒙山: 资金已到位 40 → 45 万元, and the 合计 with it (GB18030, as the county sent it)
    const text = iconv.decode(readFileSync(nested), 'gb18030').replace('2,石桥村,示例乌蒙山食品有限公司,80,40,', '2,石桥村,示例乌蒙山食品有限公司,80,45,').replace('合计,,,340,"1,053"', '合计,,,340,"1,058"');
    writeFileSync(corrected, iconv.encode(text, 'gb18030'));
    const r = run('scripts/data-import.ts', ['--month', '2020-06', '--date', '2020-08-25', corrected]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('更正 exports/2020-06/贵州省/毕节市/纳雍县.csv');
    expect(r.stdout).toMatch(/资金已到位总投入：40\.00\s万元 → 45\.00\s万元/);
    expect(existsSync(path.join(data, 'exports/2020-06/纳雍县.csv'))).toBe(false);
    expect(ingestDataDir(data).ok).toBe(true);
  });

  it('editing a published file by hand is caught', () => {
    const file = path.join(data, 'exports/2020-07/云南省.csv');
    const bytes = readFileSync(file);
    writeFileSync(file, Buffer.concat([bytes, Buffer.from('\r\n', 'utf16le')]));
    try {
      const r = run('scripts/data-check.ts', ['--json']);
      expect(r.status).toBe(1);
      expect(JSON.parse(r.stdout).issues.map((i: { code: string }) => i.code)).toContain('PUBLISHED_FILE_CHANGED');
    } finally {
      writeFileSync(file, bytes);
    }
  });

  it('a mistaken import is withdrawn as a recorded revision (data:import --withdraw)', () => {
    const file = path.join(work, '误导入.csv');
    writeFileSync(file, `${FLAT_HEADER}\r\n${flatRow({ 帮扶村: '白河村', 村代码: '533323101002', '资金已到位总投入（万元）': '45' })}\r\n`);
    expect(run('scripts/data-import.ts', ['--month', '2020-08', '--date', '2020-09-06', file]).status).toBe(0);
    const r = run('scripts/data-import.ts', ['--withdraw', 'exports/2020-08/误导入.csv', '--date', '2020-09-07', '--note', '白河村不属于这次报送']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('撤下 exports/2020-08/误导入.csv');
    expect(existsSync(path.join(data, 'exports/2020-08/误导入.csv'))).toBe(false);
    expect(ingestDataDir(data).ok).toBe(true);
  });

  it('the built site shows the revision on the village page, the bulletin and the corrections page', () => {
    const out = path.join(work, 'dist');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: data, STORIES_DIR: path.join(ROOT, 'tests/fixtures/stories-small'), BULLETINS_DIR: path.join(ROOT, 'tests/fixtures/bulletins-small'), ASTRO_OUT_DIR: out, ASTRO_CACHE_DIR: path.join(work, 'cache'), ASTRO_TELEMETRY_DISABLED: '1' },
      encoding: 'utf8',
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const page = (p: string) => readFileSync(path.join(out, p, 'index.html'), 'utf8').replace(/<!--.*?-->/g, '');
    const row = /<th scope="row"><a href="\/villages\/520525101001\/">安乐村<\/a><\/th>.*?<\/tr>/s;
    for (const html of [page('villages/520525101001'), page('corrections'), page('bulletins/2020-08')]) {
      expect(html).toContain('2020年8月20日更正2020年7月数据');
      const m = row.exec(html);
      expect(m, 'change row').not.toBeNull();
      expect(m![0]).toContain('资金已到位总投入');
      expect(m![0]).toMatch(/150\.00\s万元/);
      expect(m![0]).toMatch(/160\.00\s万元/);
    }
    expect(page('units/91520500MA6K0002XC')).toContain('已发布数据的更正');
    // the withdrawal is listed, visibly, as such
    const corrections = page('corrections');
    expect(corrections).toContain('2020年9月7日撤回2020年8月数据');
    expect(corrections).toContain('白河村不属于这次报送');
    // The withdrawn file is named in words and linked as it was published; no internal path.
    expect(corrections).toMatch(/<a href="\/sources\/2020-08\/[^"]+\.2020-09-07-1\.csv">误导入 2020年8月报表[^<]*<\/a>（已撤下）/);
    expect(corrections).not.toContain('exports/');
  });
});
