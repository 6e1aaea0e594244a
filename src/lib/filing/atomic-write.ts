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
 *
 * Tests kill the process at every step: `GPDZC_KILL_AT_STEP=N` sends SIGKILL to this process
 * just before its N-th write step.
 */
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';

export const LOCK_FILE = '.import.lock';
export const JOURNAL_FILE = '.import-journal.json';
const STAGING_DIR = '.import-staging';

export interface FileChange {
  /** path under DATA_DIR (posix separators) */
  path: string;
  /** the new content; null deletes the file */
  bytes: Uint8Array | null;
}

interface Journal {
  pid: number;
  /** staged file → its place, with the SHA-256 of its content */
  moves: Array<{ from: string; to: string; sha256: string }>;
  deletes: string[];
}

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

function writeSynced(file: string, bytes: Uint8Array, flag = 'w'): void {
  const fd = openSync(file, flag);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export type LockResult = { ok: true; release: () => void } | { ok: false; message: string };

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take DATA_DIR's import lock, or say who holds it. A lock left by a dead process is taken over. */
export function acquireLock(dataDir: string): LockResult {
  const file = path.join(dataDir, LOCK_FILE);
  const content = new TextEncoder().encode(JSON.stringify({ pid: process.pid, host: hostname(), started: new Date().toISOString() }) + '\n');
  for (let attempt = 0; attempt < 3; attempt++) {
    // The lock appears whole or not at all: written to a file of our own, then linked to its
    // name (a link fails if the name exists), so nobody ever reads a half-written lock.
    const own = `${file}.${process.pid}.tmp`;
    try {
      step();
      writeSynced(own, content);
      linkSync(own, file);
      let released = false;
      return {
        ok: true,
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
    let holder: { pid?: number; host?: string; started?: string } = {};
    try {
      holder = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile: try again
      return { ok: false, message: `导入锁 ${file} 无法读取：如确认没有别的导入在运行，请删除它后再运行` };
    }
    const sameHost = holder.host === undefined || holder.host === hostname();
    if (!sameHost || pidAlive(holder.pid ?? -1)) {
      return {
        ok: false,
        message: `另一个导入正在进行（进程 ${holder.pid}${sameHost ? '' : `，在 ${holder.host} 上`}，开始于 ${holder.started ?? '未知时间'}）：同一时间只能有一个导入。请等它结束后再运行。如确认没有别的导入在运行，可删除 ${path.join(dataDir, LOCK_FILE)}`,
      };
    }
    // Stale: move it aside under a name of our own (only one process can), then check it is the one we read.
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // someone else took it over first: try again
    }
    let moved: { pid?: number; started?: string } = {};
    try {
      moved = JSON.parse(readFileSync(aside, 'utf8'));
    } catch {
      // unreadable: not the lock we judged stale
    }
    if (moved.pid !== holder.pid || moved.started !== holder.started) {
      // a live process's fresh lock: put it back and report busy
      try {
        renameSync(aside, file);
      } catch {
        // it is gone; nothing to put back
      }
      return { ok: false, message: '另一个导入正在进行：同一时间只能有一个导入。请等它结束后再运行' };
    }
    rmSync(aside, { force: true });
  }
  return { ok: false, message: '无法取得导入锁：请稍后再试' };
}

/**
 * Finish an import that was cut short after its commit point, and clear what one cut short
 * before it left behind. Call with the lock held. Returns true when it finished one.
 */
export function recoverInterrupted(dataDir: string): boolean {
  const journalFile = path.join(dataDir, JOURNAL_FILE);
  let finished = false;
  if (existsSync(journalFile)) {
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as Journal;
    applyJournal(dataDir, journal);
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
    if (!existsSync(from)) {
      // Moved before the kill: the file in its place must be the one staged.
      if (!existsSync(to) || sha256(readFileSync(to)) !== m.sha256) {
        throw new Error(`无法完成上次被中断的导入：暂存的 ${m.from} 不见了，${m.to} 也不是要写入的内容。请从备份恢复 data/ 后重新导入`);
      }
      continue;
    }
    const created = !existsSync(path.dirname(to));
    mkdirSync(path.dirname(to), { recursive: true });
    if (created) dirs.add(path.dirname(path.dirname(to)));
    step();
    renameSync(from, to);
    dirs.add(path.dirname(to));
  }
  for (const d of journal.deletes) {
    const file = path.join(dataDir, d);
    if (!existsSync(file)) continue;
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
  const staging = path.join(dataDir, STAGING_DIR);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
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
