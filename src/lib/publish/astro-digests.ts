/**
 * Astro hashes every page's inline styles and scripts for its Content Security Policy with
 * `crypto.subtle.digest`, one asynchronous WebCrypto job each (astro/dist/core/fetch/
 * fetch-state.js, createResult). For a few hundred bytes the job's round trip, not the
 * hashing, is the cost: nationally 18.4 s of astro build's main thread for 230,595 pages
 * (CPU profile, 2026-11-30). Inside scripts/build.ts's astro build, SHA digests of bytes are
 * computed with node:crypto at once instead; the bytes they give are the same (the unit test
 * compares them with WebCrypto's, and every page's CSP hashes are in the SHA256SUMS the site
 * tests compare). Any other call goes to WebCrypto as made.
 */
import { createHash } from 'node:crypto';

const NODE_HASH: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

const installed = Symbol.for('gpdzc.astro-digests');

export function digestSynchronously(): void {
  const g = globalThis as { [installed]?: boolean };
  if (g[installed]) return;
  g[installed] = true;
  const subtle = globalThis.crypto.subtle;
  const digest = subtle.digest.bind(subtle);
  subtle.digest = ((algorithm: AlgorithmIdentifier, data: BufferSource) => {
    const name = typeof algorithm === 'string' ? algorithm : algorithm?.name;
    const hash = typeof name === 'string' ? NODE_HASH[name.toUpperCase()] : undefined;
    const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : data instanceof ArrayBuffer ? new Uint8Array(data) : null;
    if (!hash || !bytes) return digest(algorithm, data);
    const out = createHash(hash).update(bytes).digest();
    return Promise.resolve(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength));
  }) as SubtleCrypto['digest'];
}
