/**
 * A publishing target on a server: `user@host:/srv/gpdzc`, reached with the system's ssh and
 * rsync (no credentials here: ssh uses the key and known_hosts of the user running publish, as
 * ~/.ssh or ssh's own config give them; the monthly workflow writes them from the production
 * environment's secrets). The release is copied with rsync into releases/.incoming-<name>/
 * (files equal to the live release's are hard-linked there by `--link-dest`, not sent again);
 * every other step is one short POSIX shell script run over ssh: `find` and `sha256sum` for the
 * check (compared with SHA256SUMS here, as for a local folder), `mv -T` for renames and
 * `ln -s … && mv -T …` for the switch, so the server needs only sh, GNU coreutils, findutils and
 * rsync. `PUBLISH_SSH` names another ssh command (the tests put a stand-in on PATH that runs
 * the command on this machine; tests/site/fake-ssh).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CURRENT_LINK, LOCK_DIR, OLDER_LINK, PREVIOUS_LINK, RELEASES_DIR, releasePath, type ReleaseLink } from './layout.ts';
import type { FolderHashes } from './sums.ts';
import type { Target, TargetState } from './target.ts';

/** `user@host:/path` (or `host:/path`): the host part and the absolute path; null if `spec` is not one. */
export function parseSshTarget(spec: string): { host: string; root: string } | null {
  const m = /^((?:[A-Za-z0-9._-]+@)?(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])):(\/.*)$/.exec(spec);
  if (!m) return null;
  return { host: m[1]!, root: m[2]!.replace(/\/+$/, '') || '/' };
}

/** A string as one word of a POSIX shell command. */
export const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

const MAX_OUTPUT = 1 << 30;

export class SshTarget implements Target {
  readonly label: string;
  private readonly host: string;
  private readonly root: string;
  private readonly ssh: string[];

  constructor(host: string, root: string, env: NodeJS.ProcessEnv = process.env) {
    this.host = host;
    this.root = root;
    this.label = `${host}:${root}`;
    this.ssh = [...(env.PUBLISH_SSH?.trim() || 'ssh').split(/\s+/), '-o', 'BatchMode=yes'];
  }

  /** Run a shell script on the server; its exit status and output. */
  private run(script: string, allowed: number[] = [0]): { status: number; stdout: Buffer } {
    const r = spawnSync(this.ssh[0]!, [...this.ssh.slice(1), this.host, 'sh -s'], { input: `set -u\nR=${shq(this.root)}\n${script}\n`, maxBuffer: MAX_OUTPUT });
    if (r.error) throw new Error(`无法运行 ${this.ssh[0]}（${r.error.message}）：请安装 openssh-client`);
    const status = r.status ?? -1;
    if (!allowed.includes(status)) {
      const why = r.stderr.toString('utf8').trim() || r.stdout.toString('utf8').trim().slice(0, 500);
      throw new Error(`在 ${this.host} 上执行失败（退出码 ${r.status ?? r.signal}）：${why}`);
    }
    return { status, stdout: r.stdout };
  }

  private rel(dir: string): string {
    if (!dir || dir.includes('/') || dir === '.' || dir === '..') throw new Error(`不是 releases/ 下的名字：${dir}`);
    return `"$R"/${RELEASES_DIR}/${shq(dir)}`;
  }

  state(): TargetState {
    const out = this.run(
      [
        `mkdir -p "$R"/${RELEASES_DIR} && cd "$R"`,
        `for l in ${CURRENT_LINK} ${PREVIOUS_LINK} ${OLDER_LINK}; do if [ -L "$l" ]; then printf '%s %s\\n' "$l" "$(readlink "$l")"; elif [ -e "$l" ]; then echo "$l 不是符号链接：发布目录里的 $l 应是指向 releases/ 下某一版的符号链接，请先把它移走" >&2; exit 4; fi; done`,
        `if [ -d ${LOCK_DIR} ]; then printf 'lock %s\\n' "$(cat ${LOCK_DIR}/owner 2>/dev/null)"; fi`,
        `ls -A ${RELEASES_DIR} | sed 's/^/entry /'`,
      ].join('\n'),
    ).stdout.toString('utf8');
    const state: TargetState = { entries: [], current: null, previous: null, older: null, lock: null };
    for (const line of out.split('\n')) {
      const sp = line.indexOf(' ');
      if (sp < 0) continue;
      const [key, value] = [line.slice(0, sp), line.slice(sp + 1)];
      if (key === CURRENT_LINK) state.current = value;
      else if (key === PREVIOUS_LINK) state.previous = value;
      else if (key === OLDER_LINK) state.older = value;
      else if (key === 'lock') state.lock = value;
      else if (key === 'entry') state.entries.push(value);
    }
    state.entries.sort();
    return state;
  }

  lock(owner: string): boolean {
    // made aside with its owner record, then renamed into place: mv -T onto a folder that is not empty fails
    const r = this.run(`mkdir -p "$R" && cd "$R" || exit 1\nmkdir ${LOCK_DIR}.$$ && printf '%s' ${shq(owner)} > ${LOCK_DIR}.$$/owner && mv -T ${LOCK_DIR}.$$ ${LOCK_DIR} 2>/dev/null || { rm -rf ${LOCK_DIR}.$$; exit 10; }\nrm -rf ${LOCK_DIR}.*`, [0, 10]);
    return r.status === 0;
  }

  unlock(): void {
    this.run(`rm -rf "$R"/${LOCK_DIR}`);
  }

  upload(dist: string, beside: Record<string, string>, dir: string, linkFrom: { release: string } | null): void {
    const extra = mkdtempSync(path.join(tmpdir(), 'gpdzc-beside-'));
    try {
      for (const [name, text] of Object.entries(beside)) writeFileSync(path.join(extra, name), text);
      this.run(`mkdir -p ${this.rel(dir)}`);
      const args = [
        '-rl',
        '--checksum',
        '--chmod=D755,F644',
        ...(linkFrom ? [`--link-dest=${this.root}/${releasePath(linkFrom.release)}`] : []),
        '-e',
        this.ssh.join(' '),
        `${dist.replace(/\/*$/, '')}/`,
        `${extra}/`,
        `${this.host}:${this.root}/${releasePath(dir)}/`,
      ];
      const r = spawnSync('rsync', args, { encoding: 'utf8', maxBuffer: MAX_OUTPUT });
      if (r.error) throw new Error(`无法运行 rsync（${r.error.message}）：请安装 rsync（本机和服务器上都要有）`);
      if (r.status !== 0) throw new Error(`rsync 复制到 ${this.label} 失败（退出码 ${r.status ?? r.signal}）：${r.stderr.trim()}`);
    } finally {
      rmSync(extra, { recursive: true, force: true });
    }
  }

  hashes(dir: string): FolderHashes {
    const out = this.run(`cd ${this.rel(dir)} || exit 1\nfind . -mindepth 1 ! -type d ! -type f -printf 'O%P\\0'\nfind . -type f -printf '%P\\0' | xargs -0 -r sha256sum --zero --`).stdout.toString('utf8');
    const files = new Map<string, string>();
    const other: string[] = [];
    for (const rec of out.split('\0')) {
      if (!rec) continue;
      const m = /^([0-9a-f]{64}) [ *](.*)$/s.exec(rec);
      if (m) files.set(m[2]!, m[1]!);
      else if (rec.startsWith('O')) other.push(rec.slice(1));
      else throw new Error(`读不懂 ${this.host} 上 sha256sum 的输出：${rec.slice(0, 100)}`);
    }
    return { files, other: other.sort() };
  }

  read(dir: string, file: string): Buffer | null {
    const r = this.run(`f=${this.rel(dir)}/${shq(file)}\n[ -f "$f" ] || exit 11\ncat "$f"`, [0, 11]);
    return r.status === 0 ? r.stdout : null;
  }

  rename(from: string, to: string): void {
    this.run(`mv -T ${this.rel(from)} ${this.rel(to)}`);
  }

  point(link: ReleaseLink, release: string): void {
    this.rel(release);
    // one script: a kill of this process leaves the old link or the new one (mv -T is rename(2))
    this.run(`cd "$R" || exit 1\nrm -f .${link}.*.new\nln -s ${shq(releasePath(release))} .${link}.$$.new && mv -T .${link}.$$.new ${link}`);
  }

  remove(dir: string): void {
    this.run(`rm -rf -- ${this.rel(dir)}`);
  }
}
