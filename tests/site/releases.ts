/**
 * Releases for the publishing tests, made from the fixture site that global-setup built (a
 * rebuild per release would be too slow): a copy, or a copy whose stylesheets carry another
 * content-hash name (new bytes, new name, every page's reference changed with it), with its
 * SHA256SUMS and build mark written again, so each release's pages and assets are its own,
 * as after a real rebuild. And the real publish CLI, run as staff run it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CHECKSUM_FILE, checksums } from '../../src/lib/publish/checksums.ts';
import { writeBuildOk } from '../../src/lib/release/build-ok.ts';
import { siteFiles } from '../../src/lib/publish/site-files.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FAKE_SSH_DIR = path.join(ROOT, 'tests/site');

/** After editing files of a built site: its SHA256SUMS and build mark as the build would write them. */
export async function resum(site: string): Promise<void> {
  writeFileSync(path.join(site, CHECKSUM_FILE), await checksums(site));
  writeBuildOk(site);
}

/**
 * A copy of `src` as another release would be: every script or stylesheet under `_astro/` that
 * a page names is renamed `<name>.<tag>.<ext>` with `tag` in its bytes, the pages name the new
 * files, and every page carries `tag` (the CSS is inline, so most pages name no asset: without
 * the mark their bytes would be the same in every release).
 */
export async function variant(src: string, dst: string, tag: string): Promise<{ assets: string[] }> {
  cpSync(src, dst, { recursive: true });
  const pages = siteFiles(dst).filter((x) => x.endsWith('.html'));
  const named = new Set(pages.flatMap((f) => [...readFileSync(path.join(dst, f), 'utf8').matchAll(/(?:href|src)="\/(_astro\/[^"]+\.(?:css|js))"/g)].map((m) => m[1]!)));
  const renames = new Map<string, string>();
  for (const f of named) {
    const to = f.replace(/\.[^./]+\.(css|js)$/, `.${tag}.$1`);
    writeFileSync(path.join(dst, f), `${readFileSync(path.join(dst, f), 'utf8')}\n/* ${tag} */\n`);
    renameSync(path.join(dst, f), path.join(dst, to));
    renames.set(`/${f}`, `/${to}`);
  }
  for (const f of pages) {
    const file = path.join(dst, f);
    let html = readFileSync(file, 'utf8');
    for (const [from, to] of renames) html = html.replaceAll(`"${from}"`, `"${to}"`);
    writeFileSync(file, html.replace('</body>', `<!-- ${tag} --></body>`));
  }
  await resum(dst);
  if (renames.size === 0) throw new Error('the built site names no script or stylesheet under /_astro/: no asset to tell releases apart by');
  return { assets: [...renames.values()] };
}

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  out: string;
}

const cliArgs = (args: string[]) => [path.join(ROOT, 'scripts/publish.ts'), ...args];
const cliEnv = (env: Record<string, string>) => ({ ...process.env, PATH: `${FAKE_SSH_DIR}${path.delimiter}${process.env.PATH}`, PUBLISH_SSH: path.join(FAKE_SSH_DIR, 'fake-ssh'), GITHUB_STEP_SUMMARY: '', ...env });

/** `npm run publish -- args` (the fake ssh first on PATH, for user@host: targets). */
export function publishCli(args: string[], env: Record<string, string> = {}): CliRun {
  const r = spawnSync(process.execPath, cliArgs(args), { cwd: ROOT, env: cliEnv(env), encoding: 'utf8' });
  return { status: r.status, signal: r.signal, out: `${r.stdout}${r.stderr}` };
}

/** The same, without blocking (the switch-under-load test fetches meanwhile). */
export function publishCliAsync(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, cliArgs(args), { cwd: ROOT, env: cliEnv(env) });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (status, signal) => resolve({ status, signal, out }));
  });
}

/** A fresh ed25519 key pair (the programme office's key, for the test). */
export function makeKey(dir: string): { key: string; pub: string } {
  const key = path.join(dir, 'office-key');
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'office', '-f', key], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return { key, pub: readFileSync(`${key}.pub`, 'utf8') };
}
