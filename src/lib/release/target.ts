/**
 * Where releases go: a local or mounted folder (LocalTarget, plain file-system calls), or a
 * folder on a server over SSH (ssh-target.ts: the system's rsync and ssh). Both give the
 * publishing steps (publish.ts) the same few operations, each a whole step that a kill either
 * did or did not do; the hashes for the check come back to publish.ts, which compares them
 * with SHA256SUMS the same way for both.
 */
import { cpSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync, closeSync, fsyncSync, openSync } from 'node:fs';
import path from 'node:path';
import { CURRENT_LINK, LOCK_DIR, OLDER_LINK, PREVIOUS_LINK, RELEASES_DIR, releasePath, type ReleaseLink } from './layout.ts';
import { hashFolder, type FolderHashes } from './sums.ts';

export interface TargetState {
  /** names in releases/ (releases, and the .incoming-/.trash- folders of unfinished steps) */
  entries: string[];
  /** what `current`, `previous` and `older` point to (the link's text), null when there is none */
  current: string | null;
  previous: string | null;
  older: string | null;
  /** the lock's owner record when a publish holds it (or a killed one left it) */
  lock: string | null;
}

export interface Target {
  /** how staff name it: the folder, or user@host:/path */
  readonly label: string;
  /** Make the folder and releases/ if needed and say what is there. */
  state(): TargetState;
  /** Take the lock (atomically: mkdir); false when it is held. */
  lock(owner: string): boolean;
  unlock(): void;
  /**
   * Copy the built site and the files published beside SHA256SUMS into releases/<dir>/.
   * `linkFrom`: a release already there; a file it holds with the same path and hash is
   * hard-linked instead of copied (releases are never changed in place).
   */
  upload(dist: string, beside: Record<string, string>, dir: string, linkFrom: { release: string; same: (file: string) => boolean } | null): void;
  /** Every regular file's SHA-256 under releases/<dir>, and anything that is not a file or folder. */
  hashes(dir: string): FolderHashes;
  /** A small file of a release (its SHA256SUMS, signature, key): null if it is not there. */
  read(dir: string, file: string): Buffer | null;
  /** Rename releases/<from> to releases/<to> (both in releases/: atomic). */
  rename(from: string, to: string): void;
  /** Point `link` at releases/<release>: a new link renamed over the old one (atomic). `onMade`: between the two (a step). */
  point(link: ReleaseLink, release: string, onMade?: () => void): void;
  /** Delete releases/<dir> and everything in it. */
  remove(dir: string): void;
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
    // some file systems cannot fsync a folder; the rename is still atomic
  }
}

const readLink = (p: string): string | null => {
  try {
    return readlinkSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EINVAL') throw new Error(`${p} 不是符号链接：发布目录里的 ${path.basename(p)} 应是指向 releases/ 下某一版的符号链接，请先把它移走`);
    throw e;
  }
};

/** A folder on this machine (or mounted on it). */
export class LocalTarget implements Target {
  readonly root: string;
  readonly label: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.label = this.root;
  }

  private at(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  state(): TargetState {
    mkdirSync(this.at(RELEASES_DIR), { recursive: true });
    let lock: string | null = null;
    try {
      lock = readFileSync(this.at(LOCK_DIR, 'owner'), 'utf8');
    } catch {
      lock = lstatExists(this.at(LOCK_DIR)) ? '' : null;
    }
    return { entries: readdirSync(this.at(RELEASES_DIR)).sort(), current: readLink(this.at(CURRENT_LINK)), previous: readLink(this.at(PREVIOUS_LINK)), older: readLink(this.at(OLDER_LINK)), lock };
  }

  lock(owner: string): boolean {
    // the lock appears whole, owner record inside: made aside, then renamed into place (a
    // rename onto a folder that is not empty fails)
    mkdirSync(this.root, { recursive: true });
    const tmp = this.at(`${LOCK_DIR}.${process.pid}`);
    try {
      rmSync(tmp, { recursive: true, force: true });
      mkdirSync(tmp);
      writeFileSync(path.join(tmp, 'owner'), owner);
      renameSync(tmp, this.at(LOCK_DIR));
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      // held; or another publish starting at this moment cleared our half-made lock (below)
      if (['EEXIST', 'ENOTEMPTY', 'ENOTDIR', 'ENOENT'].includes((e as NodeJS.ErrnoException).code ?? '')) return false;
      throw e;
    }
    // ours now: what killed publishes left half-made goes
    for (const name of readdirSync(this.root)) if (name.startsWith(`${LOCK_DIR}.`)) rmSync(this.at(name), { recursive: true, force: true });
    return true;
  }

  unlock(): void {
    rmSync(this.at(LOCK_DIR), { recursive: true, force: true });
  }

  upload(dist: string, beside: Record<string, string>, dir: string, linkFrom: { release: string; same: (file: string) => boolean } | null): void {
    const to = this.at(RELEASES_DIR, dir);
    const from = linkFrom ? this.at(RELEASES_DIR, linkFrom.release) : null;
    const walk = (rel: string) => {
      mkdirSync(path.join(to, rel), { recursive: true });
      for (const e of readdirSync(path.join(dist, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(r);
        else if (e.isFile()) {
          if (from && linkFrom!.same(r)) {
            try {
              linkSync(path.join(from, r), path.join(to, r));
              continue;
            } catch {
              // not there, or another file system: copied below
            }
          }
          cpSync(path.join(dist, r), path.join(to, r));
        } else throw new Error(`${path.join(dist, r)} 不是普通文件（符号链接等），不能发布`);
      }
    };
    walk('');
    for (const [name, text] of Object.entries(beside)) writeFileSync(path.join(to, name), text);
    fsyncDir(to);
  }

  hashes(dir: string): FolderHashes {
    return hashFolder(this.at(RELEASES_DIR, dir));
  }

  read(dir: string, file: string): Buffer | null {
    try {
      return readFileSync(this.at(RELEASES_DIR, dir, file));
    } catch {
      return null;
    }
  }

  rename(from: string, to: string): void {
    renameSync(this.at(RELEASES_DIR, from), this.at(RELEASES_DIR, to));
    fsyncDir(this.at(RELEASES_DIR));
  }

  point(link: ReleaseLink, release: string, onMade?: () => void): void {
    // a link a killed publish was making (the lock is ours: nobody else is making one)
    for (const name of readdirSync(this.root)) if (name.startsWith(`.${link}.`) && name.endsWith('.new')) rmSync(this.at(name), { force: true });
    const tmp = this.at(`.${link}.${process.pid}.new`);
    symlinkSync(releasePath(release), tmp);
    onMade?.();
    renameSync(tmp, this.at(link));
    fsyncDir(this.root);
  }

  remove(dir: string): void {
    rmSync(this.at(RELEASES_DIR, dir), { recursive: true, force: true });
  }
}

function lstatExists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
