/**
 * Only regular files inside the folder are read, and a record is never followed blindly.
 *
 * The hostile corpus for the file readers (DATA_DIR's registry, exports, manifest,
 * dataset.json, an inbox folder given to data:check, files given to data:import): a FIFO,
 * a socket, a device, a symbolic link to a file outside, to a folder outside, a dangling
 * link. Each is refused with a Chinese issue naming the file, reported with all the others,
 * and the command finishes (each run has a time limit and its time is checked).
 *
 * The hostile corpus for the import journal and the manifest: `..`, absolute paths, a
 * backslash, NUL, a folder inside data/ that links out, a staging folder that links out,
 * wrong types, truncated JSON. `--recover` refuses each with what to do, and a sentinel
 * folder outside DATA_DIR is neither written nor deleted.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, LOCK_FILE } from '../../src/lib/filing/atomic-write.ts';
import { importMonth } from '../../src/lib/filing/import.ts';
import { FLAT_HEADER, SMALL, flatRow } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Far above what any of these runs takes (1-3 s): reaching it means a hang. */
const LIMIT_MS = 30_000;
let work: string;
/** outside every DATA_DIR: what a link or a record must never reach */
let outside: string;
const SECRET = '这是 data/ 之外的文件，不得读取、写入或删除\n';
let servers: Server[] = [];

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(script: 'data-check' | 'data-import', args: string[], dataDir: string, cwd = ROOT): Run {
  const started = performance.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, `scripts/${script}.ts`), ...args], {
    cwd,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: LIMIT_MS,
    killSignal: 'SIGKILL',
  });
  const ms = performance.now() - started;
  expect(r.error, `${script} ${args.join(' ')} did not finish within ${LIMIT_MS} ms`).toBeUndefined();
  expect(r.stderr, 'no stack trace').not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms };
}

function mkfifo(p: string): void {
  const r = spawnSync('mkfifo', [p]);
  expect(r.status, `mkfifo ${p}: ${r.stderr}`).toBe(0);
}

async function socketAt(p: string): Promise<void> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(p, resolve));
}

let n = 0;
function copyOfSmall(): string {
  const dir = path.join(work, `data-${++n}`);
  cpSync(SMALL, dir, { recursive: true });
  return dir;
}

/** Everything under `dir`, with content: to show nothing outside was written or deleted. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const full = path.join(dir, f);
    try {
      out[f] = readFileSync(full, 'utf8');
    } catch {
      out[f] = '(folder)';
    }
  }
  return out;
}

const goodRow = () => `${FLAT_HEADER}\r\n${flatRow({ '资金已到位总投入（万元）': '110', '资金计划完成比例（%）': '' })}\r\n`;

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-read-safety-'));
  outside = path.join(work, 'outside');
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.csv'), SECRET);
  writeFileSync(path.join(outside, '云南省.csv'), goodRow());
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
  rmSync(work, { recursive: true, force: true });
});

interface JsonIssue {
  severity: string;
  file: string;
  code: string;
  message: string;
}
const refusals = (json: { issues: JsonIssue[] }) =>
  Object.fromEntries(json.issues.filter((i) => i.code === 'NOT_REGULAR_FILE').map((i) => [i.file, i.message]));

describe('data:check reads only regular files inside the folder', () => {
  it('an inbox with a FIFO, a socket, links to a file and a folder outside and a dangling link: all reported at once, exit 1, no hang', async () => {
    const data = copyOfSmall();
    const desk = path.join(work, 'desk-1');
    const inbox = path.join(desk, '收文/2020-09');
    mkdirSync(inbox, { recursive: true });
    writeFileSync(path.join(inbox, '云南省.csv'), goodRow());
    mkfifo(path.join(inbox, '管道.csv'));
    await socketAt(path.join(inbox, '套接字.csv'));
    symlinkSync(path.join(outside, 'secret.csv'), path.join(inbox, '链接.csv'));
    symlinkSync(outside, path.join(inbox, '链接文件夹'));
    symlinkSync(path.join(work, 'nowhere.csv'), path.join(inbox, '断链.csv'));
    const r = run('data-check', ['--json', '收文/2020-09/'], data, desk);
    expect(r.status).toBe(1);
    expect(r.ms).toBeLessThan(LIMIT_MS);
    const json = JSON.parse(r.stdout);
    expect(refusals(json)).toEqual({
      '收文/2020-09/管道.csv': '是命名管道（FIFO），不是普通文件，不读取',
      '收文/2020-09/套接字.csv': '是套接字（socket），不是普通文件，不读取',
      '收文/2020-09/链接.csv': '是符号链接（快捷方式），不读取：请把文件本身复制到这里，不要放链接',
      '收文/2020-09/链接文件夹': '是符号链接（快捷方式），不读取：请把文件本身复制到这里，不要放链接',
      '收文/2020-09/断链.csv': '是符号链接（快捷方式），不读取：请把文件本身复制到这里，不要放链接',
    });
    // the regular file beside them is read and checked as usual
    expect(json.files.map((f: { file: string }) => f.file)).toContain('收文/2020-09/云南省.csv');
    expect(json.issues.filter((i: JsonIssue) => i.severity === 'error' && i.code !== 'NOT_REGULAR_FILE')).toEqual([]);
    // nothing of the secret's content reaches the report
    expect(r.stdout).not.toContain('不得读取');
    // the human report names each file too
    const text = run('data-check', ['收文/2020-09/'], data, desk);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('【收文/2020-09/管道.csv】');
    expect(text.stdout).toContain('【收文/2020-09/链接.csv】');
  });

  it('a FIFO, a device and a link given by name are refused, never opened', () => {
    const data = copyOfSmall();
    const desk = path.join(work, 'desk-2');
    mkdirSync(path.join(desk, '收文/2020-09'), { recursive: true });
    mkfifo(path.join(desk, '收文/2020-09/管道.csv'));
    symlinkSync(path.join(outside, '云南省.csv'), path.join(desk, '收文/2020-09/云南省.csv'));
    const r = run('data-check', ['--json', '收文/2020-09/管道.csv', '收文/2020-09/云南省.csv', '/dev/zero'], data, desk);
    expect(r.status).toBe(1);
    const found = refusals(JSON.parse(r.stdout));
    expect(found['收文/2020-09/管道.csv']).toBe('是命名管道（FIFO），不是普通文件，不读取');
    expect(found['收文/2020-09/云南省.csv']).toContain('是符号链接');
    expect(Object.entries(found).find(([file]) => file.endsWith('dev/zero'))?.[1]).toBe('是设备文件，不是普通文件，不读取');
  });

  it('DATA_DIR itself: a FIFO registry file, a linked month folder, a linked export, a FIFO manifest and dataset.json', () => {
    const data = copyOfSmall();
    rmSync(path.join(data, 'registry/units.csv'));
    mkfifo(path.join(data, 'registry/units.csv'));
    mkdirSync(path.join(outside, '2020-09'), { recursive: true });
    writeFileSync(path.join(outside, '2020-09/云南省.csv'), goodRow());
    symlinkSync(path.join(outside, '2020-09'), path.join(data, 'exports/2020-09'));
    symlinkSync(path.join(outside, 'secret.csv'), path.join(data, 'exports/2020-07/外部.csv'));
    mkfifo(path.join(data, 'manifest.json'));
    rmSync(path.join(data, 'dataset.json'), { force: true });
    mkfifo(path.join(data, 'dataset.json'));
    const r = run('data-check', ['--json'], data);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(refusals(json)).toEqual({
      'registry/units.csv': '是命名管道（FIFO），不是普通文件，不读取',
      'exports/2020-09': '是符号链接（快捷方式），不读取：请把文件本身复制到这里，不要放链接',
      'exports/2020-07/外部.csv': '是符号链接（快捷方式），不读取：请把文件本身复制到这里，不要放链接',
      'dataset.json': '是命名管道（FIFO），不是普通文件，不读取',
    });
    const manifest = json.issues.find((i: JsonIssue) => i.code === 'MANIFEST_INVALID');
    expect(manifest.message).toContain('data/manifest.json 是命名管道（FIFO），不是普通文件，不读取');
    expect(manifest.message).toContain('git checkout -- data/manifest.json');
  });

  it('a registry folder and an exports folder that are links out: refused, the files behind them not read', () => {
    const data = copyOfSmall();
    const registryOutside = path.join(outside, 'registry-1');
    cpSync(path.join(data, 'registry'), registryOutside, { recursive: true });
    rmSync(path.join(data, 'registry'), { recursive: true });
    symlinkSync(registryOutside, path.join(data, 'registry'));
    const exportsOutside = path.join(outside, 'exports-1');
    cpSync(path.join(data, 'exports'), exportsOutside, { recursive: true });
    rmSync(path.join(data, 'exports'), { recursive: true });
    symlinkSync(exportsOutside, path.join(data, 'exports'));
    const r = run('data-check', ['--json'], data);
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    const found = refusals(json);
    expect(found['exports']).toContain('文件夹 exports 是符号链接');
    expect(found['registry/villages.csv']).toContain('所在的文件夹 registry 是符号链接');
    expect(found['registry/pairings.csv']).toContain('所在的文件夹 registry 是符号链接');
    expect(json.files.filter((f: { kind: string }) => f.kind === 'export')).toEqual([]);
  });

  it('DATA_DIR reached through a link is read as usual (the folder itself may be a link)', () => {
    const data = copyOfSmall();
    const link = path.join(work, 'data-link');
    symlinkSync(data, link);
    const r = run('data-check', ['--json'], link);
    expect(r.status, r.stdout.slice(0, 2000)).toBe(0);
    expect(JSON.parse(r.stdout).files).toHaveLength(7);
  });
});

describe('data:import files only regular files', () => {
  it('a link to a file outside, a FIFO and a device: refused all at once (exit 2), nothing written, no hang', () => {
    const data = copyOfSmall();
    const inbox = path.join(work, 'inbox-import');
    mkdirSync(inbox);
    symlinkSync(path.join(outside, '云南省.csv'), path.join(inbox, '云南省.csv'));
    mkfifo(path.join(inbox, '贵州省.csv'));
    const before = tree(data);
    const r = run('data-import', ['--month', '2020-09', '--date', '2020-10-05', path.join(inbox, '云南省.csv'), path.join(inbox, '贵州省.csv'), '/dev/zero'], data);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('下列文件不能导入，什么也没有写入：');
    expect(r.stderr).toContain(`${path.join(inbox, '云南省.csv')}：是符号链接（快捷方式），不读取`);
    expect(r.stderr).toContain(`${path.join(inbox, '贵州省.csv')}：是命名管道（FIFO），不是普通文件，不读取`);
    expect(r.stderr).toContain('/dev/zero：是设备文件，不是普通文件，不读取');
    expect(tree(data)).toEqual(before);
    expect(existsSync(path.join(data, 'exports/2020-09'))).toBe(false);
  });
});

describe('the import journal is never followed blindly', () => {
  /** A journal as data:import writes one, then edited by hand. */
  const journal = (moves: Array<{ from: string; to: string }>, deletes: string[] = []) =>
    JSON.stringify({ pid: 1, moves: moves.map((m) => ({ ...m, sha256: 'a'.repeat(64) })), deletes });

  /** Put the journal (and a staged file) in a copy of DATA_DIR, run --recover: refused, nothing outside touched. */
  function refusedRecovery(content: string, setUp: (data: string) => void = () => {}): { recover: Run; check: Run } {
    const data = copyOfSmall();
    mkdirSync(path.join(data, '.import-staging'));
    writeFileSync(path.join(data, '.import-staging/0'), goodRow());
    setUp(data);
    writeFileSync(path.join(data, JOURNAL_FILE), content);
    const outsideBefore = tree(outside);
    const dataBefore = tree(data);
    const recover = run('data-import', ['--recover'], data);
    expect(recover.status, recover.stdout + recover.stderr).toBe(1);
    expect(recover.stderr).toContain('无法完成上次被中断的导入：导入记录');
    expect(recover.stderr).toContain('没有按它移动、写入或删除任何文件');
    expect(recover.stderr).toContain('不应手工编辑');
    expect(tree(outside)).toEqual(outsideBefore);
    expect(readFileSync(path.join(outside, 'secret.csv'), 'utf8')).toBe(SECRET);
    expect(tree(data)).toEqual(dataBefore); // journal, staging and all kept as they were, the lock released
    expect(existsSync(path.join(data, LOCK_FILE))).toBe(false);
    // data:check says the same, and an import is refused the same way
    const check = run('data-check', ['--json'], data);
    expect(check.status).toBe(1);
    const issue = JSON.parse(check.stdout).issues.find((i: JsonIssue) => i.code === 'IMPORT_INTERRUPTED');
    expect(issue.message).toContain('无法完成上次被中断的导入');
    return { recover, check };
  }

  it('`../../x` as a target and a deletion', () => {
    const { recover } = refusedRecovery(journal([{ from: '.import-staging/0', to: '../outside/new.csv' }], ['../outside/secret.csv']));
    expect(recover.stderr).toContain('moves 第 1 项的 to：路径“../outside/new.csv”含有“.”或“..”（会指到别的文件夹）');
    expect(recover.stderr).toContain('deletes 第 1 项：路径“../outside/secret.csv”含有“.”或“..”');
  });

  it('an absolute path (the sentinel outside, and /etc/passwd)', () => {
    const target = path.join(outside, 'secret.csv');
    const { recover } = refusedRecovery(journal([{ from: '.import-staging/0', to: target }], ['/etc/passwd']));
    expect(recover.stderr).toContain(`路径“${target}”是绝对路径`);
    expect(recover.stderr).toContain('路径“/etc/passwd”是绝对路径');
  });

  it('`exports/../../x`, a backslash, a NUL, a path outside exports/ and revisions/', () => {
    const { recover } = refusedRecovery(
      journal(
        [
          { from: '.import-staging/0', to: 'exports/../../outside/new.csv' },
          { from: '.import-staging/0', to: 'exports\\..\\..\\outside\\new.csv' },
        ],
        ['exports/2020-07/贵州省.csv\u0000', 'registry/villages.csv'],
      ),
    );
    expect(recover.stderr).toContain('moves 第 1 项的 to：路径“exports/../../outside/new.csv”含有“.”或“..”');
    expect(recover.stderr).toContain('moves 第 2 项的 to：路径“exports\\..\\..\\outside\\new.csv”含有反斜杠');
    expect(recover.stderr).toContain('deletes 第 1 项：路径“exports/2020-07/贵州省.csv\u0000”含有控制字符（如 NUL）');
    expect(recover.stderr).toContain('deletes 第 2 项：路径“registry/villages.csv”不在 exports/、revisions/、weekly/ 之下，也不是 manifest.json');
  });

  it('a folder inside data/ that links out: no write or deletion through it', () => {
    const { recover } = refusedRecovery(journal([{ from: '.import-staging/0', to: 'exports/2020-09/云南省.csv' }], ['exports/2020-09/secret.csv']), (data) => {
      symlinkSync(outside, path.join(data, 'exports/2020-09'));
    });
    expect(recover.stderr).toContain('moves 第 1 项的 to（exports/2020-09/云南省.csv）所在的文件夹 exports/2020-09 是符号链接');
    expect(recover.stderr).toContain('deletes 第 1 项（exports/2020-09/secret.csv）所在的文件夹 exports/2020-09 是符号链接');
  });

  it('a staging folder that links out: nothing outside is moved in', () => {
    const { recover } = refusedRecovery(journal([{ from: '.import-staging/0', to: 'exports/2020-07/新.csv' }]), (data) => {
      rmSync(path.join(data, '.import-staging'), { recursive: true });
      mkdirSync(path.join(outside, 'staging'), { recursive: true });
      writeFileSync(path.join(outside, 'staging/0'), SECRET);
      symlinkSync(path.join(outside, 'staging'), path.join(data, '.import-staging'));
    });
    expect(recover.stderr).toContain('moves 第 1 项的 from（.import-staging/0）所在的文件夹 .import-staging 是符号链接');
    expect(readFileSync(path.join(outside, 'staging/0'), 'utf8')).toBe(SECRET);
  });

  it('wrong types and a journal that is not an object', () => {
    const { recover } = refusedRecovery(JSON.stringify({ pid: '七', moves: 'all', deletes: [1] }));
    expect(recover.stderr).toMatch(/内容不对：pid：.*；moves：.*；deletes 第 1 项：/);
    refusedRecovery('[]');
  });

  it('truncated JSON: a Chinese message, the parser’s words only in brackets', () => {
    const whole = journal([{ from: '.import-staging/0', to: 'exports/2020-07/新.csv' }]);
    const { recover } = refusedRecovery(whole.slice(0, whole.length / 2));
    expect(recover.stderr).toMatch(/不是完整有效的 JSON，可能被截断或被手工改坏（[^）]+）/);
  });

  it('a journal that is a FIFO or a link: refused, never opened or followed', () => {
    const data = copyOfSmall();
    mkfifo(path.join(data, JOURNAL_FILE));
    const recover = run('data-import', ['--recover'], data);
    expect(recover.status).toBe(1);
    expect(recover.stderr).toContain('是命名管道（FIFO），不是普通文件，不读取');
    const linked = copyOfSmall();
    writeFileSync(path.join(outside, 'journal.json'), journal([{ from: '.import-staging/0', to: 'exports/2020-07/新.csv' }]));
    symlinkSync(path.join(outside, 'journal.json'), path.join(linked, JOURNAL_FILE));
    const again = run('data-import', ['--recover'], linked);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('是符号链接（快捷方式），不读取');
  });

  it('a journal as data:import writes it is still finished', () => {
    const data = copyOfSmall();
    mkdirSync(path.join(data, '.import-staging'));
    const bytes = Buffer.from(goodRow());
    writeFileSync(path.join(data, '.import-staging/0'), bytes);
    const sha = spawnSync('sha256sum', [path.join(data, '.import-staging/0')], { encoding: 'utf8' }).stdout.split(' ')[0];
    writeFileSync(path.join(data, JOURNAL_FILE), JSON.stringify({ pid: 1, moves: [{ from: '.import-staging/0', to: 'exports/2020-09/云南省.csv', sha256: sha }], deletes: [] }));
    const recover = run('data-import', ['--recover'], data);
    expect(recover.status, recover.stderr).toBe(0);
    expect(recover.stdout).toContain('上次被中断的导入已完成');
    expect(readFileSync(path.join(data, 'exports/2020-09/云南省.csv'))).toEqual(bytes);
  });
});

describe('the manifest is never followed blindly', () => {
  it('a hand-edited manifest with paths out of data/: MANIFEST_INVALID naming each, the copy outside not read, --withdraw writes nothing outside', () => {
    const data = copyOfSmall();
    writeFileSync(
      path.join(data, 'manifest.json'),
      JSON.stringify({
        published: { '../outside/secret.csv': { sha256: 'a'.repeat(64), publishedOn: '2020-08-05' } },
        revisions: [{ id: '2020-08-20-1', month: '2020-07', date: '2020-08-20', files: [{ file: 'exports/2020-07/贵州省.csv', previous: '../outside/secret.csv' }, { file: '/etc/passwd', previous: null }] }],
      }),
    );
    const check = run('data-check', ['--json'], data);
    expect(check.status).toBe(1);
    const issue = JSON.parse(check.stdout).issues.find((i: JsonIssue) => i.code === 'MANIFEST_INVALID');
    expect(issue.message).toContain('published 的 ../outside/secret.csv：路径“../outside/secret.csv”含有“.”或“..”');
    expect(issue.message).toContain('revisions 第 1 项的 files 第 1 项的 previous：路径“../outside/secret.csv”含有“.”或“..”');
    expect(issue.message).toContain('revisions 第 1 项的 files 第 2 项的 file：路径“/etc/passwd”是绝对路径');
    expect(check.stdout).not.toContain('不得读取');
    const outsideBefore = tree(outside);
    const withdraw = run('data-import', ['--withdraw', '2020-08-20-1', '--date', '2020-09-01'], data);
    expect(withdraw.status).not.toBe(0);
    expect(tree(outside)).toEqual(outsideBefore);
  });

  it('truncated JSON: Chinese, with what to do', () => {
    const data = copyOfSmall();
    writeFileSync(path.join(data, 'manifest.json'), '{"published": {"exports/2020-07/贵州省.csv": {"sha2');
    const issue = JSON.parse(run('data-check', ['--json'], data).stdout).issues.find((i: JsonIssue) => i.code === 'MANIFEST_INVALID');
    expect(issue.message).toMatch(/^data\/manifest\.json 不是完整有效的 JSON，可能被截断或被手工改坏（[^）]+）。这个文件只由 data:import 写入/);
  });
});

describe('a crashed import never leaves a lock that blocks the next one unexplained', () => {
  it('an import killed while holding the lock (as an out-of-memory crash would): the next import takes the lock over and says so', () => {
    const data = copyOfSmall();
    const file = path.join(work, 'crash', '云南省-9月.csv');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, goodRow());
    const killed = spawnSync(process.execPath, [path.join(ROOT, 'scripts/data-import.ts'), '--month', '2020-09', '--date', '2020-10-05', file], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: data, GPDZC_KILL_AT_STEP: '2' },
      encoding: 'utf8',
      timeout: LIMIT_MS,
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(path.join(data, LOCK_FILE))).toBe(true);
    const next = run('data-import', ['--month', '2020-09', '--date', '2020-10-05', file], data);
    expect(next.status, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toMatch(/上次的导入（进程 \d+，开始于 [^）]+）没有正常结束（被中断、被强行结束或内存不足），它留下的导入锁已由这次导入接管/);
    expect(readdirSync(data).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('a lock whose pid now belongs to another, later process (pid reused): taken over on Linux, explained elsewhere', () => {
    const data = copyOfSmall();
    // this test process is alive, and started long after 2020
    writeFileSync(path.join(data, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), started: '2020-09-05T08:00:00Z' }));
    const file = path.join(work, 'reuse', '云南省-9月.csv');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, goodRow());
    const r = importMonth({ dataDir: data, month: '2020-09', date: '2020-10-05', files: [file] });
    if (existsSync('/proc/self/stat')) expect(r.ok, JSON.stringify(r).slice(0, 300)).toBe(true);
    else expect((r as { message: string }).message).toContain('如确认没有别的导入在运行');
  });

  it('a lock that is not a lock (a FIFO): refused with what to do, no hang', () => {
    const data = copyOfSmall();
    mkfifo(path.join(data, LOCK_FILE));
    const r = run('data-import', ['--recover'], data);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('无法读取：它是命名管道（FIFO），不是普通文件，不读取。如确认没有别的导入在运行，请删除它后再运行');
  });
});

describe('usage', () => {
  it('data:import: an unknown option, an option without its value, an option that takes none: Chinese usage, exit 2', () => {
    for (const [args, message] of [
      [['--monht', '2020-09', 'a.csv'], '未知的选项：--monht'],
      [['--month'], '选项 --month 后面要写它的值'],
      [['--recover=yes'], '选项 --recover 不带值'],
      [['--recover', 'a.csv'], '--recover 不与 --month、--withdraw 或要导入的文件一起使用'],
    ] as const) {
      const r = run('data-import', [...args], path.join(work, 'no-data'));
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('用法：');
      expect(r.stderr).not.toMatch(/Unknown option|argument missing/);
    }
  });

  it('data:check: an unknown option gets the Chinese usage, exit 2', () => {
    const r = run('data-check', ['--jason'], SMALL);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('未知的选项：--jason');
    expect(r.stderr).toContain('用法：npm run data:check');
  });
});
