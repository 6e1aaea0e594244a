/**
 * npm run publish, the real CLI against real folders: a release goes live by one atomic switch
 * of `current` after its copy at the target checked against SHA256SUMS; the last N are kept;
 * --rollback and --list; a dist/ that did not finish the build's checks is refused in Chinese;
 * one publish at a time; a kill at every step leaves the old release or the new one live,
 * whole, and the next run completes; the same over SSH (rsync and ssh; ssh is a stand-in that
 * runs the command here, tests/site/fake-ssh); SHA256SUMS signed with ssh-keygen and verified
 * by anyone with the published key; --check-url against a real nginx.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BUILD_OK_FILE } from '../../src/lib/publish/checksums.ts';
import { compareWithSums, hashFolder, parseSums, sumsOk } from '../../src/lib/release/sums.ts';
import { startNginx, type Nginx } from './nginx-server.ts';
import { makeKey, publishCli, resum, variant } from './releases.ts';

let work: string;
let A: string;
let B: string;
let C: string;
let key: { key: string; pub: string };
let n = 0;
const fresh = (name = 'target') => path.join(work, `${name}-${++n}`);

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-publish-'));
  A = path.join(work, 'A');
  cpSync(inject('siteDir'), A, { recursive: true });
  B = path.join(work, 'B');
  await variant(A, B, 'rel0b');
  C = path.join(work, 'C');
  await variant(A, C, 'rel0c');
  key = makeKey(work);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const live = (target: string) => {
  try {
    return readlinkSync(path.join(target, 'current')).replace(/^releases\//, '');
  } catch {
    return null;
  }
};
const releases = (target: string) => readdirSync(path.join(target, 'releases')).sort();
/** A release holds exactly what its SHA256SUMS lists (and the files beside it). */
const whole = (dir: string) => sumsOk(compareWithSums(parseSums(readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8')), hashFolder(dir)));
/** Which of the built sites a release is (by its SHA256SUMS). */
const which = (dir: string) => [A, B, C].find((s) => readFileSync(path.join(s, 'SHA256SUMS'), 'utf8') === readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8'));
const at = (commit: string) => ({ PUBLISH_COMMIT: commit });

describe('publish, list, rollback on a local folder', () => {
  it('puts a release live behind current, then a second one, keeps the last N, rolls back and lists', () => {
    const t = fresh();
    const r1 = publishCli(['--dist', A, '--target', t], at('aaaaaaa1'));
    expect(r1.status, r1.out).toBe(0);
    expect(r1.out).toContain('在目标处核对通过：');
    expect(r1.out).toMatch(/已上线：\d{8}T\d{6}Z-aaaaaaa（这是第一版）/);
    expect(r1.out).toContain('本次发布没有签名');
    const first = live(t)!;
    expect(first).toMatch(/^\d{8}T\d{6}Z-aaaaaaa$/);
    expect(statSync(path.join(t, 'current')).isDirectory()).toBe(true);
    expect(which(path.join(t, 'current'))).toBe(A);
    expect(whole(path.join(t, 'current'))).toBe(true);
    expect(existsSync(path.join(t, 'current', BUILD_OK_FILE))).toBe(true);

    const r2 = publishCli(['--dist', B, '--target', t, '--keep', '2'], at('bbbbbbb2'));
    expect(r2.status, r2.out).toBe(0);
    const second = live(t)!;
    // within the same second as the first it is named after it (-2): CI's machine publishes that fast
    expect(second).toMatch(/^\d{8}T\d{6}Z-bbbbbbb(-\d+)?$/);
    expect(r2.out).toContain(`已上线：${second}（上一版 ${first}）`);
    expect(r2.out).toContain(`回到上一版的命令：npm run publish -- --target ${t} --rollback`);
    expect(readlinkSync(path.join(t, 'previous'))).toBe(`releases/${first}`);
    expect(which(path.join(t, 'current'))).toBe(B);
    // a file both releases have, unchanged, is a hard link, not a second copy
    expect(statSync(path.join(t, 'releases', second, 'favicon.svg')).ino).toBe(statSync(path.join(t, 'releases', first, 'favicon.svg')).ino);

    const r3 = publishCli(['--dist', C, '--target', t, '--keep', '2'], at('ccccccc3'));
    expect(r3.status, r3.out).toBe(0);
    const third = live(t)!;
    // keep 2, but the first stays: `older` points at it (the web server's second fallback)
    expect(r3.out).not.toContain('只保留最近');
    expect(releases(t)).toEqual([first, second, third]);
    expect(readlinkSync(path.join(t, 'previous'))).toBe(`releases/${second}`);
    expect(readlinkSync(path.join(t, 'older'))).toBe(`releases/${first}`);

    const r4 = publishCli(['--dist', A, '--target', t, '--keep', '2'], at('ddddddd4'));
    expect(r4.status, r4.out).toBe(0);
    const fourth = live(t)!;
    // now the first goes: no link points at it any more
    expect(r4.out).toContain(`只保留最近 2 版：删除了 ${first}`);
    expect(releases(t)).toEqual([second, third, fourth]);

    const list = publishCli(['--target', t, '--list']);
    expect(list.status, list.out).toBe(0);
    expect(list.out).toContain(`▶ ${fourth}  当前上线`);
    expect(list.out).toContain(`${third}  上一版（刚才上线的）`);
    expect(list.out).toContain(`${second}  更早一版（仍为旧页面提供样式和脚本）`);
    expect(list.out.indexOf(fourth)).toBeLessThan(list.out.indexOf(third));
    expect(list.out.indexOf(third)).toBeLessThan(list.out.indexOf(second));

    const back = publishCli(['--target', t, '--rollback']);
    expect(back.status, back.out).toBe(0);
    expect(back.out).toContain(`已回滚：现在上线的是 ${third}（刚才是 ${fourth}）。`);
    expect(back.out).toContain(`--rollback --to ${fourth}`);
    expect(live(t)).toBe(third);
    expect(readlinkSync(path.join(t, 'previous'))).toBe(`releases/${fourth}`);
    expect(readlinkSync(path.join(t, 'older'))).toBe(`releases/${third}`);
    expect(which(path.join(t, 'current'))).toBe(C);

    const to = publishCli(['--target', t, '--rollback', '--to', second]);
    expect(to.status, to.out).toBe(0);
    expect(live(t)).toBe(second);
    const again = publishCli(['--target', t, '--rollback']);
    expect(again.status).toBe(1);
    expect(again.out).toContain(`线上的 ${second} 之前没有保留的版本，无法回滚。`);
  });

  it('refuses, in Chinese, a dist/ the build did not finish, one changed after the build, and a damaged release to roll back to', async () => {
    const t = fresh();
    const unfinished = path.join(work, 'unfinished');
    cpSync(A, unfinished, { recursive: true });
    rmSync(path.join(unfinished, BUILD_OK_FILE));
    const r1 = publishCli(['--dist', unfinished, '--target', t]);
    expect(r1.status).toBe(1);
    expect(r1.out).toContain('它没有通过构建的检查：没有构建成功的标记 .build-ok.json');
    expect(existsSync(path.join(t, 'current'))).toBe(false);

    const resummed = path.join(work, 'resummed');
    cpSync(A, resummed, { recursive: true });
    writeFileSync(path.join(resummed, 'SHA256SUMS'), readFileSync(path.join(resummed, 'SHA256SUMS'), 'utf8').replace(/^[0-9a-f]{64}/, '0'.repeat(64)));
    const r2 = publishCli(['--dist', resummed, '--target', t]);
    expect(r2.status).toBe(1);
    expect(r2.out).toContain('SHA256SUMS 不是构建完成时的那一份');

    expect(publishCli(['--dist', A, '--target', t], at('aaaaaaa1')).status).toBe(0);
    const before = live(t);
    const edited = path.join(work, 'edited');
    cpSync(B, edited, { recursive: true });
    writeFileSync(path.join(edited, 'index.html'), readFileSync(path.join(edited, 'index.html'), 'utf8').replace('帮扶项目进展', '帮扶项目进屐'));
    const r3 = publishCli(['--dist', edited, '--target', t], at('eeeeeee1'));
    expect(r3.status).toBe(1);
    expect(r3.out).toContain('本身与它的 SHA256SUMS 不符（构建之后被改动过），没有上线');
    expect(r3.out).toContain('1 个文件的 SHA-256 与 SHA256SUMS 不符：index.html');
    expect(live(t)).toBe(before);
    expect(releases(t)).toEqual([before]);

    // the page says releases are signed with one key; publishing with another (or none) is refused
    const claimed = path.join(work, 'claimed');
    cpSync(A, claimed, { recursive: true });
    const page = path.join(claimed, 'verify/index.html');
    writeFileSync(page, readFileSync(page, 'utf8').replace(/<h2 data-unsigned[^>]*>发布尚未签名<\/h2>/, '<code data-fingerprint>SHA256:someoneelse</code>'));
    await resum(claimed);
    const r4 = publishCli(['--dist', claimed, '--target', t], { PUBLISH_SIGNING_KEY: key.key });
    expect(r4.status).toBe(1);
    expect(r4.out).toContain('“核验本站”页面上的公钥指纹 SHA256:someoneelse 与本次签名用的密钥');
    const r5 = publishCli(['--dist', claimed, '--target', t]);
    expect(r5.status).toBe(1);
    expect(r5.out).toContain('但没有设置签名密钥 PUBLISH_SIGNING_KEY');

    expect(publishCli(['--dist', B, '--target', t], at('bbbbbbb2')).status).toBe(0);
    rmSync(path.join(t, 'releases', before!, 'index.html'));
    const r6 = publishCli(['--target', t, '--rollback']);
    expect(r6.status).toBe(1);
    expect(r6.out).toContain(`${before} 已不完整，没有回滚`);
    expect(r6.out).toContain('缺少 1 个文件：index.html');
  });

  it('one publish at a time: a running one’s lock refuses the next; a killed one’s lock is taken over', () => {
    const t = fresh();
    mkdirSync(path.join(t, '.publish.lock'), { recursive: true });
    writeFileSync(path.join(t, '.publish.lock/owner'), JSON.stringify({ host: 'other-host', pid: 4242, started: '2020-12-06T02:00:00Z' }));
    const busy = publishCli(['--dist', A, '--target', t]);
    expect(busy.status).toBe(1);
    expect(busy.out).toContain('另一个发布正在进行（other-host 上的进程 4242');
    expect(existsSync(path.join(t, 'current'))).toBe(false);
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const host = spawnSync('hostname', { encoding: 'utf8' }).stdout.trim();
    writeFileSync(path.join(t, '.publish.lock/owner'), JSON.stringify({ host, pid: Number(gone.stdout), started: '2020-12-06T02:00:00Z' }));
    const r = publishCli(['--dist', A, '--target', t]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain(`上次的发布（进程 ${gone.stdout}）没有做完就停止了：清除它留下的锁。`);
    expect(existsSync(path.join(t, '.publish.lock'))).toBe(false);
  });
});

/**
 * Kill the real CLI before its step 1, 2, 3 … until a run finishes: after each kill the live
 * release is the old one or the new one, whole, and the links (`current`, `previous`, `older`)
 * still point at every release of `reachable` (the live one and the one before it when the run
 * began: a reader holding a page of either gets its hashed files from the web server's
 * fallbacks at every instant); then `again` (the same command, or for a rollback the same one
 * naming its release) completes, leaving nothing half-made behind. Each run starts from a copy
 * of `template` (links copied as links).
 */
function killAtEveryStep(template: string, args: (t: string) => string[], again: (t: string) => string[], oldSite: string, newSite: string, reachable: string[]): { steps: number; oldLive: number; newLive: number } {
  let oldLive = 0;
  let newLive = 0;
  for (let step = 1; step < 60; step++) {
    const t = fresh('kill');
    cpSync(template, t, { recursive: true, verbatimSymlinks: true });
    const r = publishCli(args(t), { GPDZC_KILL_AT_STEP: String(step), PUBLISH_COMMIT: 'fffffff9' });
    const current = path.join(t, 'current');
    if (r.status === 0) {
      expect(which(current)).toBe(newSite);
      return { steps: step - 1, oldLive, newLive };
    }
    expect(r.signal, `step ${step}: ${r.out}`).toBe('SIGKILL');
    const site = which(current);
    expect([oldSite, newSite], `step ${step}: current is neither release`).toContain(site);
    expect(whole(current), `step ${step}: the live release is not whole`).toBe(true);
    const linked = ['current', 'previous', 'older'].map((l) => path.join(t, l)).filter((l) => existsSync(l)).map(which);
    for (const s of reachable) expect(linked, `step ${step}: no link points at ${path.basename(s)}`).toContain(s);
    if (site === oldSite) oldLive++;
    else newLive++;
    const rerun = publishCli(again(t), { PUBLISH_COMMIT: 'fffffff9' });
    expect(rerun.status, `step ${step}, run again: ${rerun.out}`).toBe(0);
    expect(which(current)).toBe(newSite);
    expect(whole(current)).toBe(true);
    // nothing left over: no half-made release, link or lock
    expect(releases(t).filter((e) => e.startsWith('.')), `step ${step}`).toEqual([]);
    expect(readdirSync(t).filter((e) => e.startsWith('.')), `step ${step}`).toEqual([]);
    rmSync(t, { recursive: true, force: true });
  }
  throw new Error('publish never finished');
}

describe('a kill at every step leaves the old release or the new one live, whole', () => {
  /** A target with three releases (A live, C before it, B before that), so a publish also moves `older` and `previous` and prunes one. */
  const threeReleases = (spec: (t: string) => string) => {
    const t = fresh('template');
    expect(publishCli(['--dist', B, '--target', spec(t)], at('bbbbbbb0')).status).toBe(0);
    expect(publishCli(['--dist', C, '--target', spec(t)], at('ccccccc0')).status).toBe(0);
    expect(publishCli(['--dist', A, '--target', spec(t)], at('aaaaaaa1')).status).toBe(0);
    return t;
  };
  const local = (t: string) => t;
  const overSsh = (t: string) => `publisher@localhost:${t}`;

  it('publishing B over A (copy, check, rename, older, previous, current, prune, unlock)', { timeout: 600_000 }, () => {
    const args = (t: string) => ['--dist', B, '--target', t, '--keep', '2'];
    const r = killAtEveryStep(threeReleases(local), args, args, A, B, [A, C]);
    console.log(`publish, local folder: killed at each of ${r.steps} steps; afterwards the old release was live ${r.oldLive} times, the new one ${r.newLive} times, each whole`);
    expect(r.steps).toBeGreaterThanOrEqual(11); // lock, upload, rename, link+rename older, link+rename previous, link+rename current, trash+remove, unlock
    expect(r.oldLive).toBeGreaterThan(0);
    expect(r.newLive).toBeGreaterThan(0);
  });

  it('rolling back from A to C', { timeout: 600_000 }, () => {
    const template = threeReleases(local);
    const c = releases(template).find((x) => /-ccccccc(-\d+)?$/.test(x))!;
    const r = killAtEveryStep(template, (t) => ['--target', t, '--rollback'], (t) => ['--target', t, '--rollback', '--to', c], A, C, [A, C]);
    console.log(`rollback, local folder: killed at each of ${r.steps} steps; old live ${r.oldLive} times, new live ${r.newLive} times`);
    expect(r.steps).toBeGreaterThanOrEqual(7); // lock, link+rename older, link+rename previous, link+rename current, unlock
    expect(r.oldLive).toBeGreaterThan(0);
    expect(r.newLive).toBeGreaterThan(0);
  });

  it('publishing over SSH (rsync, then each step one ssh command)', { timeout: 600_000 }, () => {
    const template = threeReleases(overSsh);
    // the copies live elsewhere: the target's path is in the spec
    const args = (t: string) => ['--dist', B, '--target', overSsh(t), '--keep', '2'];
    const r = killAtEveryStep(template, args, args, A, B, [A, C]);
    console.log(`publish over SSH: killed at each of ${r.steps} steps; old live ${r.oldLive} times, new live ${r.newLive} times`);
    expect(r.steps).toBeGreaterThanOrEqual(7);
    expect(r.oldLive).toBeGreaterThan(0);
    expect(r.newLive).toBeGreaterThan(0);
  });
});

describe('over SSH: rsync copies, ssh runs the check and the switch', () => {
  it('publishes, hard-links what did not change, lists and rolls back; every step went through ssh', () => {
    const t = fresh('ssh');
    const log = path.join(work, 'ssh.log');
    const spec = `publisher@localhost:${t}`;
    const r1 = publishCli(['--dist', A, '--target', spec], { ...at('aaaaaaa1'), FAKE_SSH_LOG: log });
    expect(r1.status, r1.out).toBe(0);
    const r2 = publishCli(['--dist', B, '--target', spec], { ...at('bbbbbbb2'), FAKE_SSH_LOG: log });
    expect(r2.status, r2.out).toBe(0);
    expect(which(path.join(t, 'current'))).toBe(B);
    expect(whole(path.join(t, 'current'))).toBe(true);
    const [first, second] = releases(t);
    expect(statSync(path.join(t, 'releases', second!, 'favicon.svg')).ino).toBe(statSync(path.join(t, 'releases', first!, 'favicon.svg')).ino);
    const sent = readFileSync(log, 'utf8');
    expect(sent).toMatch(/^(publisher@)?localhost\trsync --server .*--link-dest/m); // rsync passes the user as -l
    expect(sent).toMatch(/^publisher@localhost\tsh -s$/m);
    const list = publishCli(['--target', spec, '--list']);
    expect(list.out).toContain(`▶ ${second}  当前上线`);
    const back = publishCli(['--target', spec, '--rollback']);
    expect(back.status, back.out).toBe(0);
    expect(live(t)).toBe(first);
  });

  it('a copy that arrives damaged is not put live', () => {
    const t = fresh('ssh');
    const spec = `publisher@localhost:${t}`;
    expect(publishCli(['--dist', A, '--target', spec], at('aaaaaaa1')).status).toBe(0);
    // an rsync that loses a file on the way
    const bin = path.join(work, 'bad-rsync');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'rsync'), `#!/bin/sh\nset -e\nPATH=${process.env.PATH}\nrsync "$@"\nfor last; do :; done\ndir=\${last#*:}\nrm -f "$dir/index.html"\n`, { mode: 0o755 });
    const r = publishCli(['--dist', B, '--target', spec], { ...at('bbbbbbb2'), PATH: `${bin}${path.delimiter}${path.join(import.meta.dirname)}${path.delimiter}${process.env.PATH}` });
    expect(r.status, r.out).toBe(1);
    expect(r.out).toContain('文件没有通过核对，没有上线');
    expect(r.out).toContain('缺少 1 个文件：index.html');
    expect(which(path.join(t, 'current'))).toBe(A);
    expect(releases(t)).toHaveLength(1);
  });
});

describe('signed releases and the check of what the public sees (real nginx)', () => {
  let nginx: Nginx;
  let t: string;
  beforeAll(async () => {
    t = fresh('web');
    mkdirSync(t, { recursive: true });
    nginx = await startNginx(path.join(work, 'nginx'), t);
  });
  afterAll(async () => nginx?.stop());

  it('signs SHA256SUMS; anyone verifies it with ssh-keygen and the published key, then every file with sha256sum', () => {
    const r = publishCli(['--dist', A, '--target', t, '--check-url', nginx.url], { ...at('aaaaaaa1'), PUBLISH_SIGNING_KEY: readFileSync(key.key, 'utf8') });
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/已用项目办公室的密钥签名 SHA256SUMS（签名身份 gpdzc-release，公钥指纹 SHA256:/);
    const cur = path.join(t, 'current');
    expect(readFileSync(path.join(cur, 'allowed_signers'), 'utf8')).toBe(`gpdzc-release namespaces="file" ${key.pub.split(' ').slice(0, 2).join(' ')}\n`);
    const v = spawnSync('sh', ['-c', 'ssh-keygen -Y verify -f allowed_signers -I gpdzc-release -n file -s SHA256SUMS.sig < SHA256SUMS && sha256sum -c --quiet SHA256SUMS'], { cwd: cur, encoding: 'utf8' });
    expect(v.status, v.stdout + v.stderr).toBe(0);
    expect(v.stdout + v.stderr).toContain('Good "file" signature for gpdzc-release');
    // the check over HTTP: named pages, search entries, SHA256SUMS, signature, 404, a sample
    for (const what of ['首页 /：与本版一致', '村页面 /villages/', '帮扶单位页面 /units/', '县的月度统计表 /counties/', '名称索引入口 /search-index/meta.json', '全文搜索入口 /pagefind/pagefind-entry.json', 'SHA256SUMS /SHA256SUMS：与本版一致', '签名核验', '404 页面'])
      expect(r.out).toContain(`✓ ${what}`);
    expect(r.out).toContain('ssh-keygen -Y verify 通过：Good "file" signature for gpdzc-release');
    expect(r.out).toMatch(/✓ 随机抽查其他文件 20 个：20 个与本版一致/);
    expect(r.out).toMatch(/线上与 \S+ 一致（核对 \d+ 个地址）。/);
  });

  it('a live copy that differs from the release (or a forged signature) fails the check and offers the rollback', () => {
    expect(publishCli(['--dist', B, '--target', t], { ...at('bbbbbbb2'), PUBLISH_SIGNING_KEY: key.key }).status).toBe(0);
    const cur = path.join(t, 'current');
    const page = path.join(cur, 'index.html');
    writeFileSync(page, readFileSync(page, 'utf8').replace('帮扶项目进展', '帮扶项目进屐'));
    const r = publishCli(['--target', t, '--list', '--check-url', nginx.url]);
    expect(r.status, r.out).toBe(3);
    expect(r.out).toMatch(/✗ 首页 \/：线上的内容与本版不同（线上 SHA-256 [0-9a-f]{12}…，本版 [0-9a-f]{12}…）/);
    expect(r.out).toContain(`可以一条命令回到上一版：\n  npm run publish -- --target ${t} --rollback`);
    // a signature by another key, served beside the same SHA256SUMS
    const other = makeKey(mkdtempSync(path.join(work, 'other-')));
    rmSync(path.join(cur, 'SHA256SUMS.sig'));
    expect(spawnSync('ssh-keygen', ['-Y', 'sign', '-q', '-f', other.key, '-n', 'file', path.join(cur, 'SHA256SUMS')]).status).toBe(0);
    const sig = readFileSync(path.join(cur, 'SHA256SUMS.sig'));
    const forged = spawnSync('sh', ['-c', `ssh-keygen -Y verify -f allowed_signers -I gpdzc-release -n file -s SHA256SUMS.sig < SHA256SUMS`], { cwd: cur, encoding: 'utf8' });
    expect(forged.status).not.toBe(0);
    const r2 = publishCli(['--target', t, '--list', '--check-url', nginx.url]);
    expect(r2.status).toBe(3);
    expect(r2.out).toMatch(/✗ 签名核验 \/SHA256SUMS\.sig：签名核验失败/);
    expect(sig.length).toBeGreaterThan(0);
    const back = publishCli(['--target', t, '--rollback', '--check-url', nginx.url]);
    expect(back.status, back.out).toBe(0);
    expect(back.out).toContain('✓ 签名核验');
  });
});
