/**
 * Releases for the publishing tests, made from the fixture site that global-setup built (a
 * rebuild per release would be too slow): a copy, or a copy whose stylesheets carry another
 * content-hash name (new bytes, new name, every page's reference changed with it), with its
 * SHA256SUMS and build mark written again, so each release's pages and assets are its own,
 * as after a real rebuild. And the real publish CLI, run as staff run it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

/** A copy of `src` whose stylesheets are renamed `<name>.<tag>.css` with `tag` in their bytes; every page refers to the new names. */
export async function variant(src: string, dst: string, tag: string): Promise<{ assets: string[] }> {
  cpSync(src, dst, { recursive: true });
  const renames = new Map<string, string>();
  for (const f of readdirSync(path.join(dst, '_astro')).filter((f) => f.endsWith('.css'))) {
    const to = f.replace(/\.[^.]+\.css$/, `.${tag}.css`);
    writeFileSync(path.join(dst, '_astro', f), `${readFileSync(path.join(dst, '_astro', f), 'utf8')}\n/* ${tag} */\n`);
    renameSync(path.join(dst, '_astro', f), path.join(dst, '_astro', to));
    renames.set(`/_astro/${f}`, `/_astro/${to}`);
  }
  for (const f of siteFiles(dst).filter((x) => x.endsWith('.html'))) {
    const file = path.join(dst, f);
    let html = readFileSync(file, 'utf8');
    for (const [from, to] of renames) html = html.replaceAll(from, to);
    writeFileSync(file, html);
  }
  await resum(dst);
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
