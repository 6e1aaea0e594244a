/**
 * The site folder is rebuilt where it stands, so nearly every file a build writes already
 * exists. Opening it with truncation (`'w'`, what `writeFile` does) frees its blocks first, and
 * on ext4 a file truncated to nothing is flushed to the disk on close (auto_da_alloc); on a
 * disk mounted with `discard`, as these machines' are, each freed block is also trimmed.
 * Written over in place instead, a file keeps its blocks. Two rules keep the kernel from
 * reading the old file back from the disk (at national scale it is long gone from memory):
 * the new bytes go out in whole pages, and before the last, partial page is written the file
 * is cut to its new length if it was longer. Written piece by piece, a write that covers part
 * of a page makes the kernel read that page back first, which costs more than truncating. The
 * bytes left are the same every way. The old last block is still read when the new bytes end
 * inside it: cutting the file at that block's start instead saves that read but frees (and
 * trims) a block and takes one anew for every file, which costs more. The micro-benchmark and
 * the national runs behind these rules: docs/decisions/0004-incremental-build-in-place.md.
 */
import { closeSync, constants, ftruncateSync, fstatSync, openSync, writeSync } from 'node:fs';

/** What goes out at once: whole pages of the file system (4 KB), so none is read back. */
export const WRITE_CHUNK = 64 * 1024;

/** Opens `file` for writing from its start, creating it if absent, without truncating it; its folder must exist. Also its old length. */
export function openInPlace(file: string | URL): { fd: number; oldSize: number } {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT, 0o666);
  return { fd, oldSize: fstatSync(fd).size };
}

/** `bytes` written at `at` (a write may take fewer bytes than given; the rest follow). */
export function writeAt(fd: number, bytes: Uint8Array, at: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
}

/**
 * The file's last bytes, written at `at`, after everything before them. A file that was longer
 * is cut first, so the last page is not read from disk for bytes that are about to go; an empty
 * file is cut too, so that it gets this build's modification time (the prune goes by it).
 */
export function writeLast(fd: number, oldSize: number, bytes: Uint8Array, at: number): void {
  const end = at + bytes.length;
  if (oldSize > end || bytes.length === 0) ftruncateSync(fd, end);
  writeAt(fd, bytes, at);
}

/**
 * `fs.promises.writeFile(file, bytes)` for astro build's pages, in place by the same rules and
 * synchronously: a page is one write, and the promise round trips of opening, writing and
 * closing cost several times more than the write itself (docs/decisions/0004).
 */
export async function writeFileInPlace(file: string | URL, bytes: Uint8Array): Promise<void> {
  const { fd, oldSize } = openInPlace(file);
  try {
    writeLast(fd, oldSize, bytes, 0);
  } finally {
    closeSync(fd);
  }
}
