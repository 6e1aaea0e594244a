/**
 * data:import that staff can trust: a kill at every write step leaves DATA_DIR unchanged or
 * complete; one import at a time; a hand-edited published file stops the import; dotfiles and
 * impossible dates refused; --withdraw undoes a mistaken import as a recorded revision; and
 * data:check of an inbox folder outside DATA_DIR checks it against what is published.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, LOCK_FILE } from '../../src/lib/filing/atomic-write.ts';
import { importMonth, withdrawImport } from '../../src/lib/filing/import.ts';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { FLAT_HEADER, SMALL, flatRow } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
let work: string;
/** SMALL with a manifest: 2020-06 and 2020-07 registered, 2020-08 imported */
let base: string;
let corrected: string;
let mistaken: string;

const cli = (dataDir: string, args: string[], env: Record<string, string> = {}, cwd = ROOT) =>
  spawnSync(process.execPath, [path.join(ROOT, 'scripts/data-import.ts'), ...args], { cwd, env: { ...process.env, DATA_DIR: dataDir, ...env }, encoding: 'utf8' });
const check = (dataDir: string, args: string[], cwd: string) =>
  spawnSync(process.execPath, [path.join(ROOT, 'scripts/data-check.ts'), ...args], { cwd, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });

/** DATA_DIR as its readers see it (dotfiles are the writer's own): path → SHA-256. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out[r] = createHash('sha256').update(readFileSync(path.join(dir, r))).digest('hex');
    }
  };
  walk('');
  return out;
}
const dotfiles = (dir: string) => readdirSync(dir).filter((n) => n.startsWith('.'));
let n = 0;
function copyOf(dir: string): string {
  const to = path.join(work, `copy-${++n}`);
  cpSync(dir, to, { recursive: true });
  return to;
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-import-safety-'));
  base = path.join(work, 'base');
  cpSync(SMALL, base, { recursive: true });
  const august = path.join(work, 'in', '云南省-8月.csv');
  mkdirSync(path.dirname(august), { recursive: true });
  writeFileSync(august, `${FLAT_HEADER}\r\n${flatRow({ '资金已到位总投入（万元）': '100', '资金计划完成比例（%）': '' })}\r\n`);
  const r = importMonth({ dataDir: base, month: '2020-08', date: '2020-09-05', files: [august] });
  expect(r.ok).toBe(true);
  corrected = path.join(work, 'in', '贵州省.csv');
  writeFileSync(corrected, readFileSync(path.join(base, 'exports/2020-07/贵州省.csv'), 'utf8').replace('安乐村,示例乌蒙山食品有限公司,200,150,75', '安乐村,示例乌蒙山食品有限公司,200,160,80'));
  mistaken = path.join(work, 'in', '误导入.csv');
  writeFileSync(mistaken, `${FLAT_HEADER}\r\n${flatRow({ 帮扶村: '白河村', 村代码: '533323101002', '资金已到位总投入（万元）': '45' })}\r\n`);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Run `args` killed before write step 1, 2, 3 … until a run finishes. After every kill,
 * DATA_DIR is unchanged (and the same command then completes it), or the import had
 * committed: data:check says so and `--recover` completes it.
 */
function killAtEveryStep(args: string[]): number {
  const reference = copyOf(base);
  const done = cli(reference, args);
  expect(done.status, done.stdout + done.stderr).toBe(0);
  const before = snapshot(base);
  const after = snapshot(reference);
  expect(after).not.toEqual(before);
  for (let step = 1; step < 100; step++) {
    const dir = copyOf(base);
    const r = cli(dir, args, { GPDZC_KILL_AT_STEP: String(step) });
    if (r.status === 0) {
      expect(snapshot(dir)).toEqual(after);
      expect(dotfiles(dir)).toEqual([]);
      return step - 1;
    }
    expect(r.signal, `step ${step}: ${r.stdout}${r.stderr}`).toBe('SIGKILL');
    const now = snapshot(dir);
    if (existsSync(path.join(dir, JOURNAL_FILE))) {
      expect(ingestDataDir(dir).issues.map((i) => i.code)).toContain('IMPORT_INTERRUPTED');
      const recover = cli(dir, ['--recover']);
      expect(recover.status, recover.stdout + recover.stderr).toBe(0);
      expect(recover.stdout).toContain('上次被中断的导入已完成');
    } else {
      expect(now, `step ${step}: a kill before the commit point changed DATA_DIR`).toEqual(before);
      const again = cli(dir, args);
      expect(again.status, again.stdout + again.stderr).toBe(0);
    }
    expect(snapshot(dir), `step ${step}`).toEqual(after);
    expect(dotfiles(dir)).toEqual([]);
    expect(ingestDataDir(dir).ok).toBe(true);
  }
  throw new Error('the import never finished');
}

describe('a kill at every write step leaves DATA_DIR unchanged or complete', () => {
  it('a correction (archive the previous copy, replace the file, manifest)', () => {
    const steps = killAtEveryStep(['--month', '2020-07', '--date', '2020-08-20', corrected]);
    expect(steps).toBeGreaterThanOrEqual(9); // lock, 3 staged files, journal, commit, 3 moves, journal removed
  });

  it('a withdrawal (archive, delete, manifest)', () => {
    const steps = killAtEveryStep(['--withdraw', 'exports/2020-08/云南省-8月.csv', '--date', '2020-09-10', '--note', '误导入']);
    expect(steps).toBeGreaterThanOrEqual(8);
  });
});

describe('an interrupted import that cannot be finished', () => {
  it('is refused with a clear message, never finished with the wrong content', () => {
    const dir = copyOf(base);
    writeFileSync(path.join(dir, JOURNAL_FILE), JSON.stringify({ pid: 1, moves: [{ from: '.import-staging/0', to: 'exports/2020-07/贵州省.csv', sha256: '0'.repeat(64) }], deletes: [] }));
    expect(ingestDataDir(dir).issues.map((i) => i.code)).toContain('IMPORT_INTERRUPTED');
    const r = importMonth({ dataDir: dir, month: '2020-07', date: '2020-08-20', files: [corrected] });
    expect(r).toMatchObject({ ok: false, reason: 'broken' });
    expect((r as { message: string }).message).toContain('无法完成上次被中断的导入：暂存的 .import-staging/0 不见了');
    expect(existsSync(path.join(dir, JOURNAL_FILE))).toBe(true);
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});

describe('one import at a time', () => {
  it('a lock held by a running process refuses the import and writes nothing', () => {
    const dir = copyOf(base);
    const before = snapshot(dir);
    // written now by this (running) process; a lock older than its process is a reused pid (read-safety.test.ts)
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() }));
    const r = importMonth({ dataDir: dir, month: '2020-07', date: '2020-08-20', files: [corrected] });
    expect(r).toMatchObject({ ok: false, reason: 'busy' });
    expect((r as { message: string }).message).toContain(`另一个导入正在进行（进程 ${process.pid}`);
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(true); // not ours to remove
  });

  it('a stale lock (its process is gone) is taken over', () => {
    const dir = copyOf(base);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: Number(gone.stdout), host: hostname(), started: '2020-09-05T08:00:00Z' }));
    const r = importMonth({ dataDir: dir, month: '2020-07', date: '2020-08-20', files: [corrected] });
    expect(r.ok).toBe(true);
    expect(dotfiles(dir)).toEqual([]);
  });

  it('two imports started together never record the same revision id', async () => {
    const dir = copyOf(base);
    const other = path.join(work, 'in2', '云南省.csv');
    mkdirSync(path.dirname(other), { recursive: true });
    writeFileSync(other, readFileSync(path.join(dir, 'exports/2020-07/云南省.csv'))); // re-sent as it was (UTF-16): a revision with no changes
    const start = (file: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const p = spawn(process.execPath, [path.join(ROOT, 'scripts/data-import.ts'), '--month', '2020-07', '--date', '2020-08-20', file], { cwd: ROOT, env: { ...process.env, DATA_DIR: dir } });
        let out = '';
        p.stdout.on('data', (d) => (out += d));
        p.stderr.on('data', (d) => (out += d));
        p.on('close', (code) => resolve({ code, out }));
      });
    const results = await Promise.all([start(corrected), start(other)]);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const ids = manifest.revisions.map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const succeeded = results.filter((r) => r.code === 0);
    for (const r of results.filter((x) => x.code !== 0)) expect(r.out).toContain('另一个导入正在进行');
    expect(ids).toHaveLength(succeeded.length);
    for (const rev of manifest.revisions) for (const f of rev.files) if (f.previous) expect(existsSync(path.join(dir, f.previous))).toBe(true);
    expect(ingestDataDir(dir).ok).toBe(true);
  });
});

describe('refusals', () => {
  it('a published file edited by hand stops the import with a clear message; it is never archived as “previous”', () => {
    const dir = copyOf(base);
    const file = path.join(dir, 'exports/2020-07/贵州省.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace('安乐村,示例乌蒙山食品有限公司,200,150,75', '安乐村,示例乌蒙山食品有限公司,200,155,77.5'));
    const before = snapshot(dir);
    const r = cli(dir, ['--month', '2020-07', '--date', '2020-08-20', corrected]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('导入已停止，什么也没有写入：下列已发布的文件与 manifest.json 中登记的指纹（SHA-256）不符');
    expect(r.stderr).toContain('exports/2020-07/贵州省.csv（');
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(path.join(dir, 'revisions'))).toBe(false);
    expect(dotfiles(dir)).toEqual([]);
  });

  it('a dotfile and an impossible date are refused (usage, exit 2)', () => {
    const dir = copyOf(base);
    const hidden = path.join(work, 'in', '.贵州省.csv');
    writeFileSync(hidden, readFileSync(corrected));
    const r1 = cli(dir, ['--month', '2020-07', hidden]);
    expect(r1.status).toBe(2);
    expect(r1.stderr).toContain('文件名以“.”开头（隐藏文件）');
    const r2 = cli(dir, ['--month', '2020-07', '--date', '2020-02-30', corrected]);
    expect(r2.status).toBe(2);
    expect(r2.stderr).toContain('--date “2020-02-30”不是存在的日期');
    expect(snapshot(dir)).toEqual(snapshot(base));
  });

  it('re-running a correction archives the copy that was published, each time', () => {
    const dir = copyOf(base);
    const published = readFileSync(path.join(dir, 'exports/2020-07/贵州省.csv'));
    expect(importMonth({ dataDir: dir, month: '2020-07', date: '2020-08-20', files: [corrected] }).ok).toBe(true);
    const second = path.join(work, 'in3', '贵州省.csv');
    mkdirSync(path.dirname(second), { recursive: true });
    writeFileSync(second, readFileSync(corrected, 'utf8').replace('200,160,80', '200,170,85'));
    const r = importMonth({ dataDir: dir, month: '2020-07', date: '2020-08-20', files: [second] });
    expect(r.ok && r.revision?.id).toBe('2020-08-20-2');
    expect(readFileSync(path.join(dir, 'revisions/2020-07/2020-08-20-1/贵州省.csv'))).toEqual(published);
    expect(readFileSync(path.join(dir, 'revisions/2020-07/2020-08-20-2/贵州省.csv'))).toEqual(readFileSync(corrected));
    expect(r.ok && r.revision?.changes.map((c) => [c.metric, c.old, c.new])).toEqual([['fundsDone', 1_600_000, 1_700_000]]);
  });
});

describe('data:import --withdraw', () => {
  it('takes a mistaken file out of its month as a recorded revision', () => {
    const dir = copyOf(base);
    expect(importMonth({ dataDir: dir, month: '2020-08', date: '2020-09-06', files: [mistaken] }).ok).toBe(true);
    const bytes = readFileSync(mistaken);
    const r = withdrawImport({ dataDir: dir, targets: ['exports/2020-08/误导入.csv'], date: '2020-09-07', note: '白河村不属于这次报送' });
    expect(r.ok, JSON.stringify(r).slice(0, 500)).toBe(true);
    if (!r.ok) return;
    expect(r.revision).toMatchObject({ id: '2020-09-07-1', month: '2020-08', withdrawal: true, note: '白河村不属于这次报送', files: [{ file: 'exports/2020-08/误导入.csv', previous: 'revisions/2020-08/2020-09-07-1/误导入.csv', removed: true }] });
    expect(r.revision.changes).toEqual([expect.objectContaining({ villageCode: '533323101002', kind: 'removed' })]);
    expect(existsSync(path.join(dir, 'exports/2020-08/误导入.csv'))).toBe(false);
    expect(readFileSync(path.join(dir, 'revisions/2020-08/2020-09-07-1/误导入.csv'))).toEqual(bytes);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.published['exports/2020-08/误导入.csv']).toBeUndefined();
    const result = ingestDataDir(dir);
    expect(result.ok).toBe(true);
    expect(result.progress.filter((p) => p.month === '2020-08').map((p) => p.villageCode)).toEqual(['533323101001']);
    expect(result.revisions.at(-1)).toMatchObject({ id: '2020-09-07-1', withdrawal: true, changes: [expect.objectContaining({ kind: 'removed' })] });
  });

  it('undoes a correction by its revision id: the published copy comes back, recorded', () => {
    const dir = copyOf(base);
    const published = readFileSync(path.join(dir, 'exports/2020-07/贵州省.csv'));
    expect(importMonth({ dataDir: dir, month: '2020-07', date: '2020-08-20', files: [corrected] }).ok).toBe(true);
    const r = cli(dir, ['--withdraw', '2020-08-20-1', '--date', '2020-08-21']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('已撤回（2020年7月），记录为 2020-08-21-1');
    expect(r.stdout).toContain('恢复 exports/2020-07/贵州省.csv 为更正前的文件');
    expect(r.stdout).toContain('资金已到位总投入：160.00\u00a0万元 → 150.00\u00a0万元');
    expect(readFileSync(path.join(dir, 'exports/2020-07/贵州省.csv'))).toEqual(published);
    const result = ingestDataDir(dir);
    expect(result.ok).toBe(true);
    expect(result.revisions.map((x) => [x.id, x.changes.map((c) => [c.old, c.new])])).toEqual([
      ['2020-08-20-1', [[1_500_000, 1_600_000]]],
      ['2020-08-21-1', [[1_600_000, 1_500_000]]],
    ]);
  });

  it('an unknown target is a usage error', () => {
    const r = cli(copyOf(base), ['--withdraw', 'exports/2020-08/没有.csv']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('既不是已发布的文件');
  });
});

describe('data:check of an inbox folder outside DATA_DIR', () => {
  let desk: string;
  let data: string;
  beforeAll(() => {
    desk = path.join(work, 'desk');
    data = path.join(desk, 'data');
    cpSync(base, data, { recursive: true });
    // a published month with a revision, so the manifest has archived copies to find
    expect(importMonth({ dataDir: data, month: '2020-07', date: '2020-08-20', files: [corrected] }).ok).toBe(true);
    mkdirSync(path.join(desk, '收文/2020-09'), { recursive: true });
    writeFileSync(path.join(desk, '收文/2020-09/云南省.csv'), `${FLAT_HEADER}\r\n${flatRow({ '资金已到位总投入（万元）': '110', '资金计划完成比例（%）': '' })}\r\n`);
  });

  it('a clean inbox: no false errors or warnings, files named by the path given', () => {
    const r = check(data, ['--json', '收文/2020-09/'], desk);
    const json = JSON.parse(r.stdout);
    expect(json.issues).toEqual([]);
    expect(r.status).toBe(0);
    expect(json.files.filter((f: { kind: string }) => f.kind === 'export').map((f: { file: string }) => f.file)).toEqual(['收文/2020-09/云南省.csv']);
    expect(json.rows).toEqual({ read: json.rows.read, accepted: json.rows.accepted, rejected: 0, skipped: json.rows.skipped });
  });

  it('checked against the published months: a lower cumulative value and a pairing already filed that month', () => {
    mkdirSync(path.join(desk, '收文/2020-08'), { recursive: true });
    // 青松村 × 云岭 is in the published exports/2020-08/云南省-8月.csv: a second report that month
    writeFileSync(path.join(desk, '收文/2020-08/福贡县补报.csv'), `${FLAT_HEADER}\r\n${flatRow({ '资金已到位总投入（万元）': '90', '资金计划完成比例（%）': '' })}\r\n`);
    const json = JSON.parse(check(data, ['--json', '收文/2020-08/福贡县补报.csv'], desk).stdout);
    expect(json.ok).toBe(false);
    expect(json.issues.map((i: { code: string; file: string }) => [i.code, i.file])).toEqual([['DUPLICATE_PAIRING', '收文/2020-08/福贡县补报.csv']]);
    expect(json.issues[0].message).toContain('exports/2020-08/云南省-8月.csv 第 2 行');
    writeFileSync(path.join(desk, '收文/2020-09/云南省.csv'), `${FLAT_HEADER}\r\n${flatRow({ '资金已到位总投入（万元）': '90', '资金计划完成比例（%）': '' })}\r\n`);
    const lower = JSON.parse(check(data, ['--json', '收文/2020-09/'], desk).stdout);
    expect(lower.issues.map((i: { code: string; file: string }) => [i.code, i.file])).toEqual([['CUMULATIVE_DECREASE', '收文/2020-09/云南省.csv']]);
  });

  it('a file named like a published one of its month is checked as its correction, and said to be one', () => {
    mkdirSync(path.join(desk, '收文/2020-07'), { recursive: true });
    writeFileSync(path.join(desk, '收文/2020-07/贵州省.csv'), readFileSync(corrected));
    const r = check(data, ['--json', '收文/2020-07/贵州省.csv'], desk);
    const json = JSON.parse(r.stdout);
    expect(r.status).toBe(0);
    // (the published 贵州省.csv already falls below 2020-06, a warning the full check gives too)
    expect(json.issues.map((i: { code: string }) => i.code).sort()).toEqual(['CUMULATIVE_DECREASE', 'WILL_REVISE']);
    expect(json.issues.find((i: { code: string }) => i.code === 'WILL_REVISE').message).toContain('2020-07 已发布同名文件 exports/2020-07/贵州省.csv');
  });
});
