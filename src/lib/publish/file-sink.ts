/** A file written piece by piece and hashed on the way, so its SHA256SUMS line needs no second read (checksums.ts). */
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';

export class FileSink {
  readonly #fd: number;
  readonly #hash = createHash('sha256');
  #bytes = 0;

  /** Opens (creates or truncates) `file`; its folder must exist. */
  constructor(file: string) {
    this.#fd = openSync(file, 'w');
  }

  /** Text goes out as UTF-8, encoded once for the file and the hash. */
  write(piece: string | Buffer): void {
    const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    // a write may take fewer bytes than given; the rest follow
    for (let at = 0; at < bytes.length; ) at += writeSync(this.#fd, bytes, at);
    this.#hash.update(bytes);
    this.#bytes += bytes.length;
  }

  close(): { bytes: number; sha256: string } {
    closeSync(this.#fd);
    return { bytes: this.#bytes, sha256: this.#hash.digest('hex') };
  }
}
