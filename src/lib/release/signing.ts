/**
 * A release anyone can verify: SHA256SUMS signed with the programme office's key by a standard
 * tool, OpenSSH's `ssh-keygen -Y sign -n file` (openssh-client), and published beside it as
 * `SHA256SUMS.sig`, with the public key in OpenSSH's allowed-signers format (`allowed_signers`).
 * Anyone checks a copy with
 *   ssh-keygen -Y verify -f allowed_signers -I <identity> -n file -s SHA256SUMS.sig < SHA256SUMS
 * and then `sha256sum -c SHA256SUMS` (the /verify/ page says how).
 *
 * The private key never enters the repository: `PUBLISH_SIGNING_KEY` is the path of the key
 * file, or the key itself (an OpenSSH private key, as a CI secret holds it), written to a
 * private temporary file for ssh-keygen and removed after. The public key shown on the
 * /verify/ page comes from `PUBLISH_SIGNING_PUBLIC_KEY` at build time (one line of a .pub
 * file): the page shows its fingerprint only when it is set, and publish refuses a site whose
 * page shows another key's fingerprint than the one it signs with.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const SIGNATURE_FILE = 'SHA256SUMS.sig';
export const ALLOWED_SIGNERS_FILE = 'allowed_signers';
/** The signature's namespace: OpenSSH's convention for signing files. */
const SIGNING_NAMESPACE = 'file';
/** Whom the signature names (`-I` when verifying) unless PUBLISH_SIGNING_IDENTITY says otherwise. */
const DEFAULT_IDENTITY = 'gpdzc-release';

/** The identity from the environment (a plain principal: letters, digits, . _ @ -). */
export function signingIdentity(env: NodeJS.ProcessEnv = process.env): string {
  const v = env.PUBLISH_SIGNING_IDENTITY?.trim();
  if (!v) return DEFAULT_IDENTITY;
  if (!/^[A-Za-z0-9._@-]+$/.test(v)) throw new Error(`PUBLISH_SIGNING_IDENTITY“${v}”只能由字母、数字和 . _ @ - 组成`);
  return v;
}

export interface PublicKey {
  /** e.g. ssh-ed25519 */
  type: string;
  /** the key blob, base64 */
  blob: string;
}

/** One line of a .pub file (or of allowed_signers) → the key; null if there is none. */
export function parsePublicKey(text: string): PublicKey | null {
  for (const line of text.split(/\r?\n/)) {
    const m = /(?:^|\s)((?:ssh|ecdsa|sk)-[A-Za-z0-9@.-]+)\s+([A-Za-z0-9+/]+={0,2})(?:\s|$)/.exec(line.trim());
    if (m) return { type: m[1]!, blob: m[2]! };
  }
  return null;
}

/** The key's fingerprint as `ssh-keygen -l` prints it: SHA256:<base64 of the blob's SHA-256, unpadded>. */
export function keyFingerprint(key: PublicKey): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(key.blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}

/** The allowed_signers file: the identity, the namespace it may sign, the key. */
export function allowedSigners(identity: string, key: PublicKey): string {
  return `${identity} namespaces="${SIGNING_NAMESPACE}" ${key.type} ${key.blob}\n`;
}

/** What the /verify/ page shows, from the build's environment: the key and its fingerprint, or null (releases not signed yet). */
export function configuredSigning(env: NodeJS.ProcessEnv = process.env): { identity: string; key: PublicKey; fingerprint: string; allowedSigners: string } | null {
  const text = env.PUBLISH_SIGNING_PUBLIC_KEY?.trim();
  if (!text) return null;
  const key = parsePublicKey(text);
  if (!key) throw new Error('PUBLISH_SIGNING_PUBLIC_KEY 不是 OpenSSH 公钥（应是 .pub 文件的一行，如“ssh-ed25519 AAAA… 注释”）');
  const identity = signingIdentity(env);
  return { identity, key, fingerprint: keyFingerprint(key), allowedSigners: allowedSigners(identity, key) };
}

function sshKeygen(args: string[], input?: Buffer): { status: number | null; out: string } {
  const r = spawnSync('ssh-keygen', args, { input, encoding: 'buffer' });
  if (r.error) throw new Error(`无法运行 ssh-keygen（${r.error.message}）：请安装 openssh-client`);
  return { status: r.status, out: `${r.stdout.toString('utf8')}${r.stderr.toString('utf8')}`.trim() };
}

/** A signing key from PUBLISH_SIGNING_KEY: its file (made private and temporary if the variable held the key itself). */
export interface SigningKey {
  file: string;
  identity: string;
  key: PublicKey;
  fingerprint: string;
  allowedSigners: string;
  dispose(): void;
}

/** The key named by PUBLISH_SIGNING_KEY, or null when none is set. */
export function loadSigningKey(env: NodeJS.ProcessEnv = process.env): SigningKey | null {
  const v = env.PUBLISH_SIGNING_KEY;
  if (!v || !v.trim()) return null;
  let file = v.trim();
  let tmp: string | null = null;
  if (v.includes('PRIVATE KEY-----')) {
    tmp = mkdtempSync(path.join(tmpdir(), 'gpdzc-sign-'));
    file = path.join(tmp, 'key');
    writeFileSync(file, `${v.trim()}\n`, { mode: 0o600 });
  }
  const dispose = () => tmp && rmSync(tmp, { recursive: true, force: true });
  const pub = sshKeygen(['-y', '-f', file]);
  const key = pub.status === 0 ? parsePublicKey(pub.out) : null;
  if (!key) {
    dispose();
    throw new Error(`PUBLISH_SIGNING_KEY 不是可用的 OpenSSH 私钥${tmp ? '' : `文件（${file}）`}：${pub.out}`);
  }
  const identity = signingIdentity(env);
  return { file, identity, key, fingerprint: keyFingerprint(key), allowedSigners: allowedSigners(identity, key), dispose };
}

/** Sign SHA256SUMS' bytes; the signature (armored text). */
export function signSums(key: SigningKey, sums: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gpdzc-sig-'));
  try {
    const file = path.join(dir, 'SHA256SUMS');
    writeFileSync(file, sums);
    const r = sshKeygen(['-Y', 'sign', '-q', '-f', key.file, '-n', SIGNING_NAMESPACE, file]);
    if (r.status !== 0) throw new Error(`ssh-keygen 签名失败：${r.out}`);
    return readFileSync(`${file}.sig`, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether `sig` is a good signature of `sums` by `identity` under `signers` (allowed_signers text): ok, or ssh-keygen's reason. */
export function verifySums(signers: string, identity: string, sums: Buffer, sig: Buffer | string): { ok: boolean; message: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'gpdzc-verify-'));
  try {
    writeFileSync(path.join(dir, ALLOWED_SIGNERS_FILE), signers);
    writeFileSync(path.join(dir, SIGNATURE_FILE), sig);
    const r = sshKeygen(['-Y', 'verify', '-f', path.join(dir, ALLOWED_SIGNERS_FILE), '-I', identity, '-n', SIGNING_NAMESPACE, '-s', path.join(dir, SIGNATURE_FILE)], sums);
    return { ok: r.status === 0, message: r.out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The command the /verify/ page and publish's report give (run in the folder holding the downloaded files). */
export function verifyCommand(identity: string): string {
  return `ssh-keygen -Y verify -f ${ALLOWED_SIGNERS_FILE} -I ${identity} -n ${SIGNING_NAMESPACE} -s ${SIGNATURE_FILE} < SHA256SUMS && sha256sum -c --ignore-missing SHA256SUMS`;
}
