/**
 * A release checked against its SHA256SUMS: every file it lists is there with that hash, and
 * nothing else is there but the files published beside the list (its signature, the public
 * key, the build's mark). Used on the copy at the target (local hashing or `sha256sum` over
 * SSH: the hashes are compared here, the same way for both) and by the tests.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { BUILD_OK_FILE, CHECKSUM_FILE } from '../publish/checksums.ts';
import { ALLOWED_SIGNERS_FILE, SIGNATURE_FILE } from './signing.ts';

/** Files a release holds beside the ones SHA256SUMS lists. */
const BESIDE_SUMS: ReadonlySet<string> = new Set([CHECKSUM_FILE, SIGNATURE_FILE, ALLOWED_SIGNERS_FILE, BUILD_OK_FILE]);

/** SHA256SUMS text → path → hash. Throws on a line that is not `<64 hex>  <path>`. */
export function parseSums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [i, line] of text.split('\n').entries()) {
    if (!line) continue;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) throw new Error(`SHA256SUMS 第 ${i + 1} 行格式不对：“${line.slice(0, 80)}”`);
    out.set(m[2]!, m[1]!);
  }
  return out;
}

/** What a folder holds: each regular file's SHA-256, and whatever is neither a file nor a folder (links, devices…). */
export interface FolderHashes {
  files: Map<string, string>;
  other: string[];
}

export const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** Hash every regular file under `dir` (paths relative, '/'); links inside it are not followed, only listed (`dir` itself may be one). */
export function hashFolder(dir: string): FolderHashes {
  const files = new Map<string, string>();
  const other: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) files.set(r, sha256(readFileSync(path.join(dir, r))));
      else other.push(r);
    }
  };
  if (statSync(dir).isDirectory()) walk('');
  return { files, other: other.sort() };
}

export interface SumsProblems {
  /** listed, not there */
  missing: string[];
  /** there with another hash */
  changed: string[];
  /** there, not listed (and not published beside the list) */
  extra: string[];
  /** links and other non-files */
  other: string[];
}

/** How `found` differs from what `sums` lists (empty lists: it is exactly the release). */
export function compareWithSums(sums: Map<string, string>, found: FolderHashes): SumsProblems {
  const missing: string[] = [];
  const changed: string[] = [];
  for (const [file, hash] of sums) {
    const h = found.files.get(file);
    if (h === undefined) missing.push(file);
    else if (h !== hash) changed.push(file);
  }
  const extra = [...found.files.keys()].filter((f) => !sums.has(f) && !BESIDE_SUMS.has(f)).sort();
  return { missing, changed, extra, other: found.other };
}

export const sumsOk = (p: SumsProblems) => !p.missing.length && !p.changed.length && !p.extra.length && !p.other.length;

/** The problems in Chinese, a few names of each kind. */
export function describeProblems(p: SumsProblems, max = 5): string[] {
  const list = (xs: string[]) => xs.slice(0, max).join('、') + (xs.length > max ? ` 等 ${xs.length} 个` : '');
  const out: string[] = [];
  if (p.missing.length) out.push(`缺少 ${p.missing.length} 个文件：${list(p.missing)}`);
  if (p.changed.length) out.push(`${p.changed.length} 个文件的 SHA-256 与 SHA256SUMS 不符：${list(p.changed)}`);
  if (p.extra.length) out.push(`多出 ${p.extra.length} 个 SHA256SUMS 没有列出的文件：${list(p.extra)}`);
  if (p.other.length) out.push(`有 ${p.other.length} 个不是普通文件（符号链接等）：${list(p.other)}`);
  return out;
}
