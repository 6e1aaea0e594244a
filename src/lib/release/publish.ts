/**
 * Going live (npm run publish): a built, checked dist/ becomes a new release behind the
 * `current` link of a target folder (layout.ts), in steps that a kill at any moment leaves
 * with either the old release or the new one live, whole:
 *
 *   1. dist/ is refused unless the build finished every check (build-ok.ts) and its SHA256SUMS
 *      is the one the build finished with; SHA256SUMS is signed (signing.ts) when a key is set;
 *   2. the publish lock is taken (a lock left by a killed publish of this machine is taken over);
 *      folders that an interrupted publish left in releases/ are deleted;
 *   3. dist/ and the files published beside SHA256SUMS are copied into releases/.incoming-<name>/
 *      (a dotted name: not a release), and the copy at the target is checked against
 *      SHA256SUMS: every listed file with its hash, nothing else;
 *   4. only then is it renamed releases/<name>/; `older` is pointed at the release `previous`
 *      named, `previous` at the live release and `current` at the new one, each by renaming a
 *      new link over the old, in that order: a reader holding a page of the live release or of
 *      the one before it finds its hashed files through one of the links at every instant;
 *   5. releases beyond the last `keep` go (renamed .trash-<name> first, then deleted), never one
 *      a link points at; the lock is released.
 *
 * `rollback` puts the release before the live one (or a named one) live the same way, after
 * checking it is whole. Every step calls `step()`: the tests kill the real CLI at each in turn
 * (GPDZC_KILL_AT_STEP=N, as data:import does).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { BUILD_OK_FILE, CHECKSUM_FILE } from '../publish/checksums.ts';
import { INCOMING_PREFIX, TRASH_PREFIX, isReleaseName, releaseName, releaseOfLink, releasesToPrune, rollbackTarget, sortReleases, uniqueName } from './layout.ts';
import { ALLOWED_SIGNERS_FILE, SIGNATURE_FILE, signSums, type SigningKey } from './signing.ts';
import { compareWithSums, describeProblems, parseSums, sha256 } from './sums.ts';
import { LocalTarget, type Target, type TargetState } from './target.ts';
import { SshTarget, parseSshTarget } from './ssh-target.ts';

/** `--target`: user@host:/path over SSH, anything else a local or mounted folder. */
export function targetFor(spec: string, env: NodeJS.ProcessEnv = process.env): Target {
  const ssh = parseSshTarget(spec);
  return ssh ? new SshTarget(ssh.host, ssh.root, env) : new LocalTarget(spec);
}

let stepCount = 0;
/** One step of a publish or rollback: where the tests' injected kill strikes (GPDZC_KILL_AT_STEP=N: just before the N-th). */
export function killHook(_label: string): void {
  stepCount++;
  const at = Number(process.env.GPDZC_KILL_AT_STEP);
  if (at > 0 && stepCount === at) process.kill(process.pid, 'SIGKILL');
}

export type Outcome<T> = ({ ok: true } & T) | { ok: false; reason: 'refused' | 'busy' | 'failed'; message: string };

interface Common {
  target: Target;
  log: (line: string) => void;
  step?: (label: string) => void;
}

/** The command that puts the release before the live one back (what staff are offered after every switch and on any failure). */
export function rollbackCommand(target: Target): string {
  return `npm run publish -- --target ${target.label} --rollback`;
}

// --- dist/ before anything is written -------------------------------------------------------

export interface CheckedDist {
  sums: Buffer;
  list: Map<string, string>;
}

/** Whether dist/ is a finished, checked build (and, signed or not, agrees with its /verify/ page); the reason in Chinese if not. */
function checkDist(dist: string, key: SigningKey | null): Outcome<CheckedDist & { warnings: string[] }> {
  const refuse = (message: string) => ({ ok: false as const, reason: 'refused' as const, message: `不能发布 ${dist}：${message}` });
  if (!existsSync(dist) || !statSync(dist).isDirectory()) return refuse('没有这个目录。请先运行 npm run build。');
  let mark: { ok?: unknown; sha256sums?: unknown };
  try {
    mark = JSON.parse(readFileSync(path.join(dist, BUILD_OK_FILE), 'utf8'));
  } catch {
    return refuse(`它没有通过构建的检查：没有构建成功的标记 ${BUILD_OK_FILE}（构建失败了、被中断了，或者这个目录不是 npm run build 生成的）。请重新运行 npm run build，按它的报告改正后再发布。`);
  }
  let sums: Buffer;
  try {
    sums = readFileSync(path.join(dist, CHECKSUM_FILE));
  } catch {
    return refuse(`没有 ${CHECKSUM_FILE}。请重新运行 npm run build。`);
  }
  if (mark.ok !== true || mark.sha256sums !== sha256(sums)) return refuse(`${CHECKSUM_FILE} 不是构建完成时的那一份（构建之后被改动过，或构建没有做完）。请重新运行 npm run build。`);
  let list: Map<string, string>;
  try {
    list = parseSums(sums.toString('utf8'));
  } catch (e) {
    return refuse((e as Error).message);
  }
  const warnings: string[] = [];
  let page = '';
  try {
    page = readFileSync(path.join(dist, 'verify/index.html'), 'utf8');
  } catch {
    // a site without the page (an old build): nothing to agree with
  }
  const shown = /data-fingerprint[^>]*>([^<]+)</.exec(page)?.[1]?.trim() ?? null;
  if (shown && !key) return refuse(`“核验本站”页面说本站发布已签名（公钥指纹 ${shown}），但没有设置签名密钥 PUBLISH_SIGNING_KEY。请设置项目办公室的签名密钥后再发布。`);
  if (shown && key && shown !== key.fingerprint) return refuse(`“核验本站”页面上的公钥指纹 ${shown} 与本次签名用的密钥（${key.fingerprint}）不同。请用这把密钥的公钥（PUBLISH_SIGNING_PUBLIC_KEY）重新构建，或换用与页面一致的私钥。`);
  if (!shown && key) warnings.push('本次发布已签名，但“核验本站”页面说发布尚未签名（构建时没有设置 PUBLISH_SIGNING_PUBLIC_KEY）：下次构建请设置它。');
  if (!key) warnings.push('本次发布没有签名（没有设置 PUBLISH_SIGNING_KEY）。');
  return { ok: true, sums, list, warnings };
}

// --- the lock -------------------------------------------------------------------------------

interface LockOwner {
  host: string;
  pid: number;
  started: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the target's lock; a lock left by a publish of this machine that is no longer running is taken over. */
function takeLock(c: Common): Outcome<object> {
  const owner: LockOwner = { host: hostname(), pid: process.pid, started: new Date().toISOString() };
  c.step?.('lock');
  if (c.target.lock(JSON.stringify(owner))) return { ok: true };
  const held = c.target.state().lock;
  let prev: Partial<LockOwner> = {};
  try {
    prev = JSON.parse(held ?? '');
  } catch {
    // not ours to read: someone made it by hand
  }
  const mine = prev.host === owner.host && typeof prev.pid === 'number';
  if (mine && !alive(prev.pid!)) {
    c.log(`上次的发布${prev.pid ? `（进程 ${prev.pid}）` : ''}没有做完就停止了：清除它留下的锁。`);
    c.step?.('unlock stale');
    c.target.unlock();
    c.step?.('lock');
    if (c.target.lock(JSON.stringify(owner))) return { ok: true };
  }
  return { ok: false, reason: 'busy', message: `另一个发布正在进行（${prev.host ?? '未知主机'} 上的进程 ${prev.pid ?? '?'}，开始于 ${prev.started ?? '未知时间'}），这次什么也没有改。等它完成后再试；如果确定它已经不在运行，删除 ${c.target.label}/.publish.lock 后再试。` };
}

function release(c: Common): void {
  c.step?.('unlock');
  c.target.unlock();
}

/** Delete what interrupted publishes left in releases/ (their dotted folders are never live). */
function clearLeftovers(c: Common, state: TargetState): void {
  for (const e of state.entries) {
    if (!e.startsWith(INCOMING_PREFIX) && !e.startsWith(TRASH_PREFIX)) continue;
    c.log(`清除上次中断的发布留下的 releases/${e}`);
    c.step?.(`remove ${e}`);
    c.target.remove(e);
  }
}

/** Whether releases/<dir> holds exactly what its SHA256SUMS lists; the problems if not. */
function checkAtTarget(target: Target, dir: string, expected?: { sums: Buffer; beside: Record<string, string> }): string[] {
  const sums = expected?.sums ?? target.read(dir, CHECKSUM_FILE);
  if (!sums) return [`没有 ${CHECKSUM_FILE}`];
  const found = target.hashes(dir);
  const problems = describeProblems(compareWithSums(parseSums(sums.toString('utf8')), found));
  if (found.files.get(CHECKSUM_FILE) !== sha256(sums)) problems.push(`${CHECKSUM_FILE} 与要发布的不一致`);
  for (const [name, text] of Object.entries(expected?.beside ?? {})) if (found.files.get(name) !== sha256(text)) problems.push(`${name} 与要发布的不一致`);
  return problems;
}

// --- publish ----------------------------------------------------------------------------------

export interface PublishOptions extends Common {
  dist: string;
  commit: string;
  keep: number;
  key: SigningKey | null;
  now?: Date;
}

export interface Published {
  release: string;
  previous: string | null;
  pruned: string[];
  signed: boolean;
  files: number;
  warnings: string[];
}

export function publish(o: PublishOptions): Outcome<Published> {
  const dist = checkDist(o.dist, o.key);
  if (!dist.ok) return dist;
  for (const w of dist.warnings) o.log(`注意：${w}`);
  const beside: Record<string, string> = o.key ? { [SIGNATURE_FILE]: signSums(o.key, dist.sums), [ALLOWED_SIGNERS_FILE]: o.key.allowedSigners } : {};
  if (o.key) o.log(`已用项目办公室的密钥签名 ${CHECKSUM_FILE}（签名身份 ${o.key.identity}，公钥指纹 ${o.key.fingerprint}）`);
  const locked = takeLock(o);
  if (!locked.ok) return locked;
  let name = '';
  try {
    const state = o.target.state();
    clearLeftovers(o, state);
    const releases = sortReleases(state.entries.filter(isReleaseName));
    const live = releaseOfLink(state.current);
    name = uniqueName(releaseName(o.now ?? new Date(), o.commit), state.entries);
    const incoming = `${INCOMING_PREFIX}${name}`;
    const liveSums = live ? o.target.read(live, CHECKSUM_FILE) : null;
    const liveList = liveSums ? parseSums(liveSums.toString('utf8')) : null;
    o.log(`复制 ${o.dist} 到 ${o.target.label}/releases/${incoming}/（${dist.list.size.toLocaleString('zh-CN')} 个文件${liveList ? '，与线上版相同的文件直接硬链接' : ''}）……`);
    o.step?.('upload');
    o.target.upload(o.dist, beside, incoming, live && liveList ? { release: live, same: (f) => liveList.get(f) !== undefined && liveList.get(f) === dist.list.get(f) } : null);
    const problems = checkAtTarget(o.target, incoming, { sums: dist.sums, beside });
    if (problems.length) {
      // which side is wrong: dist/ itself (changed after the build), or the copy
      const local = compareWithSums(dist.list, { files: new Map([...dist.list.keys()].filter((f) => existsSync(path.join(o.dist, f))).map((f) => [f, sha256(readFileSync(path.join(o.dist, f)))])), other: [] });
      const distBad = local.changed.length + local.missing.length > 0;
      o.step?.('remove incoming');
      o.target.remove(incoming);
      release(o);
      return { ok: false, reason: 'refused', message: `${distBad ? `${o.dist} 本身与它的 ${CHECKSUM_FILE} 不符（构建之后被改动过）` : `复制到 ${o.target.label} 的文件没有通过核对`}，没有上线，线上仍是${live ? ` ${live}` : '原来的样子'}：\n  ${problems.join('\n  ')}` };
    }
    o.log(`在目标处核对通过：${dist.list.size.toLocaleString('zh-CN')} 个文件与 ${CHECKSUM_FILE} 一致，没有多余的文件。`);
    o.step?.('rename incoming');
    o.target.rename(incoming, name);
    const older = live && live !== name ? shiftFallbacks(o, live, state) : releaseOfLink(state.older);
    o.step?.('link current');
    o.target.point('current', name, () => o.step?.('rename current'));
    o.log(`已上线：${name}${live ? `（上一版 ${live}）` : '（这是第一版）'}`);
    const pruned = releasesToPrune([...releases, name], o.keep, [name, live, older]);
    for (const old of pruned) {
      o.step?.(`trash ${old}`);
      o.target.rename(old, `${TRASH_PREFIX}${old}`);
      o.step?.(`remove ${old}`);
      o.target.remove(`${TRASH_PREFIX}${old}`);
    }
    if (pruned.length) o.log(`只保留最近 ${o.keep} 版：删除了 ${pruned.join('、')}`);
    release(o);
    return { ok: true, release: name, previous: live, pruned, signed: !!o.key, files: dist.list.size, warnings: dist.warnings };
  } catch (e) {
    try {
      o.target.unlock();
    } catch {
      // the message below says what failed; the next publish takes the lock over
    }
    return { ok: false, reason: 'failed', message: `发布没有完成：${(e as Error).message}\n线上的版本没有改变，除非上面已经显示“已上线”。可以查看：npm run publish -- --target ${o.target.label} --list` };
  }
}

/**
 * Before `current` moves: `older` takes the release `previous` points at, then `previous` takes
 * the live one. Two links cannot trade places in one rename, so without `older` a rollback
 * (live L, previous P → live P, previous L) would pass through a moment where the links name
 * only one of L and P, and a reader holding a page of the other would get 404 for its scripts.
 * Returns what `older` points at afterwards.
 */
function shiftFallbacks(o: Common, live: string, state: TargetState): string | null {
  const previous = releaseOfLink(state.previous);
  let older = releaseOfLink(state.older);
  if (previous && previous !== live) {
    o.step?.('link older');
    o.target.point('older', previous, () => o.step?.('rename older'));
    older = previous;
  }
  o.step?.('link previous');
  o.target.point('previous', live, () => o.step?.('rename previous'));
  return older;
}

// --- rollback ---------------------------------------------------------------------------------

export interface RolledBack {
  release: string;
  from: string;
  unchanged?: boolean;
}

export function rollback(o: Common & { to?: string }): Outcome<RolledBack> {
  const locked = takeLock(o);
  if (!locked.ok) return locked;
  try {
    const state = o.target.state();
    const releases = sortReleases(state.entries.filter(isReleaseName));
    const live = releaseOfLink(state.current);
    const to = o.to ?? rollbackTarget(releases, live);
    const fail = (message: string): Outcome<RolledBack> => {
      release(o);
      return { ok: false, reason: 'refused', message };
    };
    if (!live) return fail(`${o.target.label} 还没有上线的版本，无法回滚。`);
    if (!to) return fail(`线上的 ${live} 之前没有保留的版本，无法回滚。用 --list 查看保留的版本。`);
    if (!releases.includes(to)) return fail(`没有 ${to} 这一版。用 --list 查看保留的版本。`);
    if (to === live) {
      // asked for by name: already done (a rollback killed after its switch, run again)
      o.log(`${to} 已经是线上的版本，没有改动。`);
      release(o);
      return { ok: true, release: to, from: live, unchanged: true };
    }
    const problems = checkAtTarget(o.target, to);
    if (problems.length) return fail(`${to} 已不完整，没有回滚，线上仍是 ${live}：\n  ${problems.join('\n  ')}`);
    shiftFallbacks(o, live, state);
    o.step?.('link current');
    o.target.point('current', to, () => o.step?.('rename current'));
    o.log(`已回滚：现在上线的是 ${to}（刚才是 ${live}）。`);
    release(o);
    return { ok: true, release: to, from: live };
  } catch (e) {
    try {
      o.target.unlock();
    } catch {
      // as in publish
    }
    return { ok: false, reason: 'failed', message: `回滚没有完成：${(e as Error).message}\n可以查看：npm run publish -- --target ${o.target.label} --list` };
  }
}

// --- list -------------------------------------------------------------------------------------

export interface Listing {
  releases: string[];
  current: string | null;
  previous: string | null;
  older: string | null;
  leftovers: string[];
  lock: string | null;
}

export function list(target: Target): Listing {
  const s = target.state();
  return { releases: sortReleases(s.entries.filter(isReleaseName)), current: releaseOfLink(s.current), previous: releaseOfLink(s.previous), older: releaseOfLink(s.older), leftovers: s.entries.filter((e) => e.startsWith(INCOMING_PREFIX) || e.startsWith(TRASH_PREFIX)), lock: s.lock };
}

/** --list in Chinese, newest first. */
export function describeListing(l: Listing, label: string): string[] {
  const out = [`${label} 保留的版本（新的在前）：`];
  if (!l.releases.length) out.push('  （还没有发布过）');
  for (const r of [...l.releases].reverse()) out.push(`  ${r === l.current ? '▶' : ' '} ${r}${r === l.current ? '  当前上线' : r === l.previous ? '  上一版（刚才上线的）' : r === l.older ? '  更早一版（仍为旧页面提供样式和脚本）' : ''}`);
  if (l.current === null && l.releases.length) out.push('  注意：没有上线的版本（current 不存在）');
  for (const e of l.leftovers) out.push(`  未完成的发布留下的 releases/${e}（下次发布时清除）`);
  if (l.lock !== null) out.push(`  发布锁：${l.lock || '（内容为空）'}`);
  return out;
}
