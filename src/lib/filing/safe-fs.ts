/**
 * Only regular files inside the folder are read, and every path taken from a record
 * (manifest.json, the import journal) stays inside its folder.
 *
 * The rule for reading (DATA_DIR, an inbox folder given to data:check, a file given to
 * data:import): the folder itself may be reached through a symbolic link, but nothing below
 * it is followed. A symbolic link, a named pipe (FIFO), a socket or a device file is refused
 * with a reason in Chinese, never opened in a way that can block, never read through.
 *
 * A file is read as: lstat every folder on the way (a real folder, not a link), lstat the
 * file (a regular file), open it with O_NOFOLLOW | O_NONBLOCK (a link put there meanwhile
 * fails to open, a FIFO put there meanwhile opens without waiting for a writer), fstat the
 * open descriptor (still a regular file, the same one lstat saw), then read the descriptor.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, realpathSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';

/**
 * A file read, or why not: `missing` (it, or a folder on its way, does not exist), `refused`
 * (not a regular file, or reached through a link), `unreadable` (the system said no).
 */
export type ReadOutcome = { ok: true; bytes: Uint8Array } | { ok: false; why: 'missing' | 'refused' | 'unreadable'; reason: string };
type Why = 'missing' | 'refused' | 'unreadable';

// O_NOFOLLOW and O_NONBLOCK do not exist on Windows, which has no FIFOs to block on.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

const SYMLINK_REASON = '是符号链接（快捷方式），不读取：请把文件本身复制到这里，不要放链接';

/** Why an entry that is not a regular file is not read. */
export function notRegularReason(entry: Stats | Dirent): string {
  if (entry.isSymbolicLink()) return SYMLINK_REASON;
  if (entry.isDirectory()) return '是文件夹，不是文件';
  if (entry.isFIFO()) return '是命名管道（FIFO），不是普通文件，不读取';
  if (entry.isSocket()) return '是套接字（socket），不是普通文件，不读取';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return '是设备文件，不是普通文件，不读取';
  return '不是普通文件，不读取';
}

/** How a system error counts: a link met on open is refused, a missing name is missing. */
function errorWhy(e: unknown): Why {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
  if (code === 'ELOOP' || code === 'EISDIR') return 'refused';
  return 'unreadable';
}

/** A system error in Chinese, its code in brackets. */
function errorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (code === 'EACCES' || code === 'EPERM') return `没有读取权限（${code}）`;
  if (code === 'ELOOP') return SYMLINK_REASON;
  if (code === 'EISDIR') return '是文件夹，不是文件';
  return `无法读取（${code || (e as Error).message}）`;
}

/**
 * Why the folders between `root` and `root/rel` are not real folders inside `root` (null:
 * they are, or the first missing one and all below it do not exist yet). `rel` uses `/`.
 */
export function foldersProblem(root: string, rel: string): { why: Why; reason: string } | null {
  const parts = rel.split('/');
  let at = root;
  for (let i = 0; i < parts.length - 1; i++) {
    at = path.join(at, parts[i]!);
    let st: Stats;
    try {
      st = lstatSync(at);
    } catch (e) {
      return { why: errorWhy(e), reason: `文件夹 ${parts.slice(0, i + 1).join('/')} ${errorWhy(e) === 'missing' ? '不存在' : errorReason(e)}` };
    }
    if (st.isSymbolicLink()) return { why: 'refused', reason: `所在的文件夹 ${parts.slice(0, i + 1).join('/')} 是符号链接（快捷方式），不读取链接指向的内容：请把文件夹本身放在这里` };
    if (!st.isDirectory()) return { why: 'refused', reason: `${parts.slice(0, i + 1).join('/')} 不是文件夹` };
  }
  return null;
}

/** Is `inner` the folder `outer` or inside it (both real paths)? */
function within(outer: string, inner: string): boolean {
  const rel = path.relative(outer, inner);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Read `root/rel` when it is a regular file inside `root`, reached through real folders only. */
export function readInside(root: string, rel: string): ReadOutcome {
  const relPosix = rel.split(path.sep).join('/');
  const folders = foldersProblem(root, relPosix);
  if (folders) return { ok: false, ...folders };
  const file = path.join(root, relPosix);
  let seen: Stats;
  try {
    seen = lstatSync(file);
  } catch (e) {
    return { ok: false, why: errorWhy(e), reason: errorWhy(e) === 'missing' ? '文件不存在' : errorReason(e) };
  }
  if (!seen.isFile()) return { ok: false, why: 'refused', reason: notRegularReason(seen) };
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch (e) {
    return { ok: false, why: errorWhy(e), reason: errorWhy(e) === 'missing' ? '文件不存在' : errorReason(e) };
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { ok: false, why: 'refused', reason: notRegularReason(opened) };
    if (opened.dev !== seen.dev || opened.ino !== seen.ino) return { ok: false, why: 'refused', reason: '读取时文件被替换了，未读取：请再运行一次' };
    // A folder on the way swapped for a link between the checks and the open: refuse what it led to.
    if (!within(realpathSync(root), realpathSync(file))) return { ok: false, why: 'refused', reason: '读取时所在的文件夹被换成了指向别处的链接，未读取' };
    return { ok: true, bytes: new Uint8Array(readFileSync(fd)) };
  } catch (e) {
    return { ok: false, why: errorWhy(e), reason: errorReason(e) };
  } finally {
    closeSync(fd);
  }
}

/** Read a file named directly (on the command line): a regular file, the name itself no link. */
export function readNamedFile(file: string): ReadOutcome {
  const abs = path.resolve(file);
  return readInside(path.dirname(abs), path.basename(abs));
}

/**
 * Why `p` is not a plain relative path with `/` separators that stays inside its folder
 * (null: it is). Refused: empty, NUL or other control characters, a backslash, an absolute
 * path or a drive letter, an empty part, `.` or `..`, a part starting with `.` (hidden).
 */
export function relativePathProblem(p: string): string | null {
  if (p === '') return '是空的';
  if (p.length > 1000) return '太长';
  if (/[\u0000-\u001f\u007f]/.test(p)) return '含有控制字符（如 NUL）';
  if (p.includes('\\')) return '含有反斜杠“\\”（路径只用“/”分隔）';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return '是绝对路径（应是 data/ 之内的相对路径）';
  for (const part of p.split('/')) {
    if (part === '') return '含有空的一段（“//”或以“/”结尾）';
    if (part === '.' || part === '..') return '含有“.”或“..”（会指到别的文件夹）';
    if (part.startsWith('.')) return `含有以“.”开头的一段“${part}”`;
  }
  return null;
}

/** Why `p` is not a path under DATA_DIR/`top`/ (null: it is). `weekly/` holds superseded weekly tables. */
export function pathUnderProblem(p: string, top: 'exports' | 'revisions' | 'weekly'): string | null {
  const problem = relativePathProblem(p);
  if (problem) return problem;
  if (!p.startsWith(`${top}/`)) return `不在 ${top}/ 之下`;
  return null;
}

/** Where in a record a zod issue sits, in words: `revisions 第 1 项的 files 第 2 项的 previous`. */
function issuePlace(at: ReadonlyArray<PropertyKey>): string {
  let out = '';
  at.forEach((k, i) => {
    if (typeof k === 'number') out += ` 第 ${k + 1} 项`;
    else if (i === 0) out = String(k);
    else out += `${typeof at[i - 1] === 'number' ? '' : ' '}的 ${String(k)}`;
  });
  return out.trim();
}

interface RecordIssue {
  path: ReadonlyArray<PropertyKey>;
  message: string;
  issues?: ReadonlyArray<RecordIssue>;
}

/** A record's schema issues in Chinese, each naming its place (an invalid key by its own reason). */
export function recordIssuesText(issues: ReadonlyArray<RecordIssue>, limit = 10): string {
  const lines = issues.map((i) => {
    const place = issuePlace(i.path);
    const message = i.issues && i.issues.length > 0 ? i.issues.map((n) => n.message).join('；') : i.message;
    return place ? `${place}：${message}` : message;
  });
  return lines.length > limit ? `${lines.slice(0, limit).join('；')}；另有 ${lines.length - limit} 处` : lines.join('；');
}
