/**
 * The site folder is rebuilt where it stands, so nearly every file a build writes already
 * exists. Opening it with truncation (`'w'`, what `writeFile` does) frees its blocks first, and
 * on ext4 a file truncated to nothing is flushed to the disk on close (auto_da_alloc); on a
 * disk mounted with `discard`, as these machines' are, each freed block is also trimmed.
 * Written over in place instead — the new bytes over the old ones, then cut to the new length —
 * a file keeps its blocks. This machine, 20,000 files of 30 KB: new 1.5 s, overwritten with
 * truncation 3.8 s, in place 0.5 s. The bytes left are the same either way.
 */
import { constants, ftruncateSync, openSync, promises as fsp } from 'node:fs';

/** Opens `file` for writing from its start, creating it if absent, without truncating it; its folder must exist. */
export function openInPlace(file: string): number {
  return openSync(file, constants.O_WRONLY | constants.O_CREAT, 0o666);
}

/** After the last write to a file opened with `openInPlace`: drop what is left of the old content. */
export function endInPlace(fd: number, bytes: number): void {
  ftruncateSync(fd, bytes);
}

/** `fs.promises.writeFile(file, bytes)`, written in place. */
export async function writeFileInPlace(file: string | URL, bytes: Uint8Array): Promise<void> {
  const handle = await fsp.open(file, constants.O_WRONLY | constants.O_CREAT, 0o666);
  try {
    // a write may take fewer bytes than given; the rest follow
    for (let at = 0; at < bytes.length; ) at += (await handle.write(bytes, at, bytes.length - at, at)).bytesWritten;
    await handle.truncate(bytes.length);
  } finally {
    await handle.close();
  }
}
