/**
 * Writing to DATA_DIR so that a kill at any moment leaves it unchanged or complete, and
 * only one writer at a time (`data:import`, `data:import --withdraw`).
 *
 * - The lock: `DATA_DIR/.import.lock`, created exclusively, holding the writer's pid. A lock
 *   whose process is gone (killed, crashed) is stale and is taken over.
 * - A change is a list of files to write (and files to delete). Each new file is written
 *   whole to `DATA_DIR/.import-staging/` and fsynced. Then the journal (the list of moves)
 *   is written, fsynced and renamed to `DATA_DIR/.import-journal.json`: that rename is the
 *   commit point. Then every staged file is renamed onto its place (a rename within one file
 *   system is atomic), deletions are done, directories fsynced, and the journal removed.
 * - A kill before the commit point leaves every published file as it was (only the staging
 *   folder, a dotfile that nothing reads, remains; the next run clears it). A kill after it
 *   is finished by `recoverInterrupted`, which every later import runs first, and which
 *   `data:check` and the build ask for (IMPORT_INTERRUPTED) until then.
 * - The journal is never trusted: it is read only as a regular file, its shape checked
 *   (zod), every path in it must be a plain relative path inside DATA_DIR (moves from
 *   `.import-staging/N` to `exports/…`, `revisions/…`, `weekly/…` or `manifest.json`), and no folder on
 *   the way may be a symbolic link. A journal that fails any check is refused whole, with
 *   what to do in Chinese, before a single file is moved or deleted.
 *
 * Tests kill the process at every step: `GPDZC_KILL_AT_STEP=N` sends SIGKILL to this process
 * just before its N-th write step.
 */
import { closeSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import '../zod-messages.ts';
import { foldersProblem, notRegularReason, readInside, recordIssuesText, relativePathProblem } from './safe-fs.ts';

export const LOCK_FILE = '.import.lock';
export const JOURNAL_FILE = '.import-journal.json';
const STAGING_DIR = '.import-staging';

export interface FileChange {
  /** path under DATA_DIR (posix separators) */
  path: string;
  /** the new content; null deletes the file */
  bytes: Uint8Array | null;
}

/** Why `p` is not a place an import may write or delete (null: it may). */
function targetPathProblem(p: string): string | null {
  const problem = relativePathProblem(p);
  if (problem) return problem;
  if (p !== 'manifest.json' && !p.startsWith('exports/') && !p.startsWith('revisions/') && !p.startsWith('weekly/')) return '不在 exports/、revisions/、weekly/ 之下，也不是 manifest.json';
  return null;
}

const targetPath = z.string().superRefine((p, ctx) => {
  const problem = targetPathProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: `路径“${p}”${problem}` });
});

const journalSchema = z.object({
  pid: z.number().int(),
  /** staged file → its place, with the SHA-256 of its content */
  moves: z.array(
    z.object({
      from: z.string().regex(/^\.import-staging\/\d+$/, { message: `应是 ${STAGING_DIR}/ 中的暂存文件` }),
      to: targetPath,
      sha256: z.string().regex(/^[0-9a-f]{64}$/, { message: '应是 64 位十六进制的 SHA-256 指纹' }),
    }),
  ),
  deletes: z.array(targetPath),
});
type Journal = z.infer<typeof journalSchema>;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let stepCount = 0;
/** One write step: where the tests' injected kill can strike. */
function step(): void {
  stepCount++;
  const at = Number(process.env.GPDZC_KILL_AT_STEP);
  if (at > 0 && stepCount === at) process.kill(process.pid, 'SIGKILL');
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some file systems cannot fsync a directory; the rename is still atomic
  }
}

/** Write a new file whole and fsync it; `wx` refuses a name already there (a link planted in its place included). */
function writeSynced(file: string, bytes: Uint8Array, flag = 'wx'): void {
  const fd = openSync(file, flag);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export type LockResult = { ok: true; release: () => void; tookOver: string | null } | { ok: false; message: string };

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When process `pid` started (ms since the epoch), read from Linux's /proc; null elsewhere
 * or when unsure. /proc counts in clock ticks since boot; the tick rate (100 a second on
 * Linux) is checked against this process's own start before it is trusted.
 */
function processStartedAt(pid: number): number | null {
  try {
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    const ticks = (who: string) => {
      const stat = readFileSync(`/proc/${who}/stat`, 'utf8');
      // fields after the command name in brackets: state is field 3, starttime field 22
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    };
    const at = (t: number) => btime * 1000 + t * 10;
    const own = at(ticks('self'));
    if (!Number.isFinite(own) || Math.abs(own - (Date.now() - process.uptime() * 1000)) > 2000) return null;
    const theirs = at(ticks(String(pid)));
    return Number.isFinite(theirs) ? theirs : null;
  } catch {
    return null;
  }
}

interface LockHolder {
  pid?: number;
  host?: string;
  started?: string;
}

/**
 * Is the lock's process still the one that wrote it? Gone: no. Alive with that pid: yes,
 * unless on Linux the process with that pid started after the lock was written (the pid
 * was reused, after a crash and a restart of the machine for instance).
 */
function holderRunning(holder: LockHolder): boolean {
  if (!pidAlive(holder.pid ?? -1)) return false;
  const started = Date.parse(holder.started ?? '');
  const processStart = processStartedAt(holder.pid!);
  if (Number.isFinite(started) && processStart !== null && processStart > started + 1000) return false;
  return true;
}

/** Read the lock file as a regular file, never through a link or a FIFO. */
function readLock(dataDir: string): { state: 'gone' } | { state: 'read'; holder: LockHolder } | { state: 'bad'; reason: string } {
  const read = readInside(dataDir, LOCK_FILE);
  if (!read.ok) return read.why === 'missing' ? { state: 'gone' } : { state: 'bad', reason: read.reason };
  try {
    const holder = JSON.parse(new TextDecoder().decode(read.bytes)) as unknown;
    if (holder === null || typeof holder !== 'object') return { state: 'bad', reason: '内容不是导入锁' };
    return { state: 'read', holder: holder as LockHolder };
  } catch (e) {
    return { state: 'bad', reason: `内容不是有效的 JSON（${(e as Error).message}）` };
  }
}

/**
 * Take DATA_DIR's import lock, or say who holds it and what to do. A lock left by a process
 * that is gone (killed, crashed, out of memory) is stale and is taken over; `tookOver` says so.
 */
export function acquireLock(dataDir: string): LockResult {
  const file = path.join(dataDir, LOCK_FILE);
  const content = new TextEncoder().encode(JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() }) + '\n');
  let tookOver: string | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    // The lock appears whole or not at all: written to a file of our own, then linked to its
    // name (a link fails if the name exists), so nobody ever reads a half-written lock.
    const own = `${file}.${process.pid}.tmp`;
    try {
      step();
      rmSync(own, { force: true });
      writeSynced(own, content);
      linkSync(own, file);
      let released = false;
      return {
        ok: true,
        tookOver,
        release: () => {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(own, { force: true });
    }
    const lock = readLock(dataDir);
    if (lock.state === 'gone') continue; // released meanwhile: try again
    if (lock.state === 'bad') return { ok: false, message: `导入锁 ${file} 无法读取：它${lock.reason}。如确认没有别的导入在运行，请删除它后再运行（删除后先运行 npm run data:import -- --recover，完成可能被中断的导入）` };
    const holder = lock.holder;
    const sameHost = holder.host === undefined || holder.host === hostname();
    if (!sameHost || holderRunning(holder)) {
      return {
        ok: false,
        message: `另一个导入正在进行（进程 ${holder.pid}${sameHost ? '' : `，在 ${holder.host} 上`}，开始于 ${holder.started ?? '未知时间'}）：同一时间只能有一个导入。请等它结束后再运行。如确认没有别的导入在运行（例如上次导入被强行结束），可删除 ${file}，再运行 npm run data:import -- --recover 完成可能被中断的导入`,
      };
    }
    // Stale: move it aside under a name of our own (only one process can), then check it is the one we read.
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // someone else took it over first: try again
    }
    const moved = readInside(dataDir, path.basename(aside));
    let movedHolder: LockHolder = {};
    if (moved.ok) {
      try {
        movedHolder = JSON.parse(new TextDecoder().decode(moved.bytes)) as LockHolder;
      } catch {
        // unreadable: not the lock we judged stale
      }
    }
    if (movedHolder.pid !== holder.pid || movedHolder.started !== holder.started) {
      // a live process's fresh lock: put it back and report busy
      try {
        renameSync(aside, file);
      } catch {
        // it is gone; nothing to put back
      }
      return { ok: false, message: '另一个导入正在进行：同一时间只能有一个导入。请等它结束后再运行' };
    }
    rmSync(aside, { force: true });
    tookOver = `上次的导入（进程 ${holder.pid}，开始于 ${holder.started ?? '未知时间'}）没有正常结束（被中断、被强行结束或内存不足），它留下的导入锁已由这次导入接管。`;
  }
  return { ok: false, message: `无法取得导入锁 ${file}：请稍后再试` };
}

/** What the journal holds: nothing, a journal that passed every check, or why it is refused. */
export type JournalState = { state: 'none' } | { state: 'ok'; journal: Journal } | { state: 'invalid'; message: string };

/** How staff get out of a journal that cannot be trusted. */
function journalRefusal(dataDir: string, what: string): string {
  const shown = (name: string) => {
    const abs = path.join(dataDir, name);
    return (path.relative(process.cwd(), abs) || abs) + (name === '' ? '/' : '');
  };
  return [
    `无法完成上次被中断的导入：导入记录 ${shown(JOURNAL_FILE)} ${what}。没有按它移动、写入或删除任何文件。`,
    '这个文件只由 data:import 写入，不应手工编辑。请这样处理：',
    `  1. 用 git status 和 git diff 查看 ${shown('')} 中有哪些改动（或与备份比较）；`,
    `  2. 若其中的文件都是对的（npm run data:check 除这一条外没有别的错误），删除 ${shown(JOURNAL_FILE)} 和 ${shown(STAGING_DIR)} 即可；`,
    `  3. 否则先把 ${shown('')} 恢复为上次提交或备份时的样子（git checkout -- 文件夹路径），再删除这两项，重新运行那次导入。`,
  ].join('\n');
}

/** Why a path of the journal leads out of DATA_DIR through a link, or onto something that is not a file (null: it does not). */
function placeProblem(dataDir: string, rel: string): string | null {
  const folders = foldersProblem(dataDir, rel);
  if (folders && folders.why !== 'missing') return folders.reason;
  if (folders) return null;
  try {
    const st = lstatSync(path.join(dataDir, rel));
    return st.isFile() ? null : notRegularReason(st);
  } catch {
    return null; // not there (yet)
  }
}

/**
 * Read and check the journal: a regular file, valid JSON of the journal's shape, every path
 * a plain relative path of the kind the import writes, reached through real folders only.
 */
export function readJournal(dataDir: string): JournalState {
  const read = readInside(dataDir, JOURNAL_FILE);
  if (!read.ok) return read.why === 'missing' ? { state: 'none' } : { state: 'invalid', message: journalRefusal(dataDir, read.reason) };
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(read.bytes));
  } catch (e) {
    return { state: 'invalid', message: journalRefusal(dataDir, `不是完整有效的 JSON，可能被截断或被手工改坏（${(e as Error).message}）`) };
  }
  const parsed = journalSchema.safeParse(raw);
  if (!parsed.success) return { state: 'invalid', message: journalRefusal(dataDir, `内容不对：${recordIssuesText(parsed.error.issues)}`) };
  const journal = parsed.data;
  const problems: string[] = [];
  journal.moves.forEach((m, i) => {
    const from = placeProblem(dataDir, m.from);
    if (from) problems.push(`moves 第 ${i + 1} 项的 from（${m.from}）${from}`);
    const to = placeProblem(dataDir, m.to);
    if (to) problems.push(`moves 第 ${i + 1} 项的 to（${m.to}）${to}`);
  });
  journal.deletes.forEach((d, i) => {
    const problem = placeProblem(dataDir, d);
    if (problem) problems.push(`deletes 第 ${i + 1} 项（${d}）${problem}`);
  });
  if (problems.length > 0) return { state: 'invalid', message: journalRefusal(dataDir, `指向 data/ 之外或不是普通文件：${problems.join('；')}`) };
  return { state: 'ok', journal };
}

/**
 * Finish an import that was cut short after its commit point, and clear what one cut short
 * before it left behind. Call with the lock held. Returns true when it finished one; throws
 * (a Chinese message saying what to do) when the journal cannot be trusted, having touched nothing.
 */
export function recoverInterrupted(dataDir: string): boolean {
  const state = readJournal(dataDir);
  if (state.state === 'invalid') throw new Error(state.message);
  let finished = false;
  if (state.state === 'ok') {
    applyJournal(dataDir, state.journal);
    finished = true;
  }
  rmSync(path.join(dataDir, STAGING_DIR), { recursive: true, force: true });
  return finished;
}

function applyJournal(dataDir: string, journal: Journal): void {
  const dirs = new Set<string>();
  for (const m of journal.moves) {
    const from = path.join(dataDir, m.from);
    const to = path.join(dataDir, m.to);
    let staged = true;
    try {
      lstatSync(from);
    } catch {
      staged = false;
    }
    if (!staged) {
      // Moved before the kill: the file in its place must be the one staged.
      const there = readInside(dataDir, m.to);
      if (!there.ok || sha256(there.bytes) !== m.sha256) {
        throw new Error(`无法完成上次被中断的导入：暂存的 ${m.from} 不见了，${m.to} 也不是要写入的内容。请从备份恢复 data/ 后重新导入`);
      }
      continue;
    }
    let created = false;
    try {
      lstatSync(path.dirname(to));
    } catch {
      created = true;
    }
    mkdirSync(path.dirname(to), { recursive: true });
    if (created) dirs.add(path.dirname(path.dirname(to)));
    step();
    renameSync(from, to);
    dirs.add(path.dirname(to));
  }
  for (const d of journal.deletes) {
    const file = path.join(dataDir, d);
    try {
      lstatSync(file);
    } catch {
      continue;
    }
    step();
    unlinkSync(file);
    dirs.add(path.dirname(file));
  }
  for (const d of dirs) fsyncDir(d);
  step();
  unlinkSync(path.join(dataDir, JOURNAL_FILE));
  fsyncDir(dataDir);
}

/** Write a set of files (and deletions) into DATA_DIR atomically. Call with the lock held. */
export function commitChanges(dataDir: string, changes: ReadonlyArray<FileChange>): void {
  const targets = changes.map((c) => c.path);
  if (new Set(targets).size !== targets.length) throw new Error(`commitChanges: a file written twice (${targets.join(', ')})`);
  // The same checks the journal gets on recovery, before anything is staged.
  const problems = targets.flatMap((t) => {
    const problem = targetPathProblem(t) ?? placeProblem(dataDir, t);
    return problem ? [`${t}：${problem}`] : [];
  });
  if (problems.length > 0) throw new Error(`没有写入任何文件：要写入的位置不在 data/ 之内或不是普通文件（${problems.join('；')}）`);
  const staging = path.join(dataDir, STAGING_DIR);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  const journal: Journal = { pid: process.pid, moves: [], deletes: [] };
  changes.forEach((c, i) => {
    if (c.bytes === null) {
      journal.deletes.push(c.path);
      return;
    }
    const staged = `${STAGING_DIR}/${i}`;
    step();
    writeSynced(path.join(dataDir, staged), c.bytes);
    journal.moves.push({ from: staged, to: c.path, sha256: sha256(c.bytes) });
  });
  fsyncDir(staging);
  const tmp = path.join(staging, 'journal.json');
  step();
  writeSynced(tmp, new TextEncoder().encode(JSON.stringify(journal, null, 2) + '\n'));
  step();
  renameSync(tmp, path.join(dataDir, JOURNAL_FILE)); // the commit point
  fsyncDir(dataDir);
  applyJournal(dataDir, journal);
  rmSync(staging, { recursive: true, force: true });
}
