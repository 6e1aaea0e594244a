/**
 * A file written piece by piece and hashed on the way, so its SHA256SUMS line needs no second
 * read (checksums.ts). An existing file is written over in place, in whole pages
 * (in-place-write.ts): the pieces are gathered and go out 64 KB at a time.
 */
import { createHash } from 'node:crypto';
import { closeSync } from 'node:fs';
import { openInPlace, WRITE_CHUNK, writeAt, writeLast } from './in-place-write.ts';

export class FileSink {
  readonly #fd: number;
  readonly #oldSize: number;
  readonly #hash = createHash('sha256');
  /** bytes given so far */
  #bytes = 0;
  /** bytes written to the file so far (a multiple of WRITE_CHUNK) */
  #written = 0;
  #pending: Buffer[] = [];
  #pendingBytes = 0;

  /** Opens (creates, or writes over) `file`; its folder must exist. */
  constructor(file: string) {
    ({ fd: this.#fd, oldSize: this.#oldSize } = openInPlace(file));
  }

  /** Text goes out as UTF-8, encoded once for the file and the hash. */
  write(piece: string | Buffer): void {
    const bytes = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    this.#hash.update(bytes);
    this.#bytes += bytes.length;
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    if (this.#pendingBytes >= WRITE_CHUNK) {
      const all = Buffer.concat(this.#pending, this.#pendingBytes);
      const whole = all.length - (all.length % WRITE_CHUNK);
      writeAt(this.#fd, all.subarray(0, whole), this.#written);
      this.#written += whole;
      this.#pending = whole < all.length ? [all.subarray(whole)] : [];
      this.#pendingBytes = all.length - whole;
    }
  }

  close(): { bytes: number; sha256: string } {
    try {
      writeLast(this.#fd, this.#oldSize, Buffer.concat(this.#pending, this.#pendingBytes), this.#written);
    } finally {
      closeSync(this.#fd);
    }
    return { bytes: this.#bytes, sha256: this.#hash.digest('hex') };
  }
}
