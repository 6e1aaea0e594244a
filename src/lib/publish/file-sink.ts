/**
 * A file written piece by piece and hashed on the way, so its SHA256SUMS line needs no second
 * read (checksums.ts). An existing file is written over in place (in-place-write.ts).
 */
import { createHash } from 'node:crypto';
import { closeSync, writeSync } from 'node:fs';
import { endInPlace, openInPlace } from './in-place-write.ts';

export class FileSink {
  readonly #fd: number;
  readonly #hash = createHash('sha256');
  #bytes = 0;

  /** Opens (creates, or writes over) `file`; its folder must exist. */
  constructor(file: string) {
    this.#fd = openInPlace(file);
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
    try {
      endInPlace(this.#fd, this.#bytes);
    } finally {
      closeSync(this.#fd);
    }
    return { bytes: this.#bytes, sha256: this.#hash.digest('hex') };
  }
}
