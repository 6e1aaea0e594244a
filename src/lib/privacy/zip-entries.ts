/**
 * Reading a zip (a download, an .xlsx, an .xlsx inside a zip) entry by entry without holding
 * it whole: the central directory is read from the end of the file (zip64 too), and each
 * entry is inflated as a stream in pieces, its output counted against a limit, because a zip
 * can declare small sizes and inflate to gigabytes. Node's zlib only: no zip library.
 */
import { Readable } from 'node:stream';
import { createInflateRaw, inflateRawSync } from 'node:zlib';
import { readSync } from 'node:fs';

/** Bytes that can be read at any position: an open file, or a zip held in memory. */
export interface ByteSource {
  size: number;
  read(position: number, length: number): Buffer;
}

export function bufferSource(bytes: Buffer): ByteSource {
  return { size: bytes.length, read: (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)) };
}

export function fileSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(position, length) {
      const buf = Buffer.allocUnsafe(Math.max(0, Math.min(length, size - position)));
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, position + got);
        if (n === 0) break;
        got += n;
      }
      return buf.subarray(0, got);
    },
  };
}

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated; anything else cannot be read here */
  method: number;
  encrypted: boolean;
  compressedSize: number;
  size: number;
  /** offset of the entry's local header */
  offset: number;
}

/** A zip begins with a local file header. */
export function isZipBytes(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

const MAX_ENTRIES = 1_000_000;

/** The entries of the zip's central directory; throws (in Chinese) if there is none that can be read. */
export function zipEntries(src: ByteSource): ZipEntry[] {
  const tailLength = Math.min(src.size, 22 + 65535);
  const tail = src.read(src.size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('找不到 zip 的中央目录（文件不完整或不是 zip）');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw new Error('zip64 目录定位记录缺失');
    const recordAt = Number(tail.readBigUInt64LE(locator + 8));
    const record = src.read(recordAt, 56);
    if (record.length < 56 || record.readUInt32LE(0) !== 0x06064b50) throw new Error('zip64 目录记录缺失');
    count = Number(record.readBigUInt64LE(32));
    cdSize = Number(record.readBigUInt64LE(40));
    cdOffset = Number(record.readBigUInt64LE(48));
  }
  if (count > MAX_ENTRIES) throw new Error(`zip 声明有 ${count} 个条目，超过上限 ${MAX_ENTRIES}`);
  if (cdOffset + cdSize > src.size) throw new Error('zip 中央目录超出文件末尾');
  const cd = src.read(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new Error('zip 中央目录已损坏');
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    let offset = cd.readUInt32LE(p + 42);
    const nameBytes = cd.subarray(p + 46, p + 46 + nameLength);
    const extra = cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(e);
      const len = extra.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        const next = () => {
          const v = q + 8 <= e + 4 + len ? Number(extra.readBigUInt64LE(q)) : 0;
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = next();
        if (compressedSize === 0xffffffff) compressedSize = next();
        if (offset === 0xffffffff) offset = next();
      }
      e += 4 + len;
    }
    entries.push({ name: entryName(nameBytes, (flags & 0x800) !== 0), method, encrypted: (flags & 1) !== 0, compressedSize, size, offset });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Names are UTF-8 when the zip says so; Chinese Windows writes them in GBK otherwise. */
function entryName(bytes: Buffer, utf8: boolean): string {
  if (utf8) return bytes.toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function dataStart(src: ByteSource, entry: ZipEntry): number {
  const header = src.read(entry.offset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50) throw new Error(`条目“${entry.name}”的本地头已损坏`);
  return entry.offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
}

function* compressedPieces(src: ByteSource, start: number, length: number): Generator<Buffer> {
  const PIECE = 1 << 20;
  for (let at = 0; at < length; at += PIECE) yield src.read(start + at, Math.min(PIECE, length - at));
}

/**
 * An entry's bytes, inflated piece by piece. More than `limit` bytes out (whatever the entry
 * declares) stops it with an error, as does an encrypted entry or an unknown method.
 */
export async function* entryPieces(src: ByteSource, entry: ZipEntry, limit: number): AsyncGenerator<Buffer> {
  if (entry.encrypted) throw new Error(`条目“${entry.name}”已加密，无法检查`);
  if (entry.method !== 0 && entry.method !== 8) throw new Error(`条目“${entry.name}”的压缩方式（${entry.method}）无法读取`);
  const start = dataStart(src, entry);
  if (start + entry.compressedSize > src.size) throw new Error(`条目“${entry.name}”超出 zip 文件末尾`);
  const pieces = compressedPieces(src, start, entry.compressedSize);
  const stream = entry.method === 8 ? Readable.from(pieces).pipe(createInflateRaw()) : Readable.from(pieces);
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) {
      stream.destroy();
      throw new Error(`条目“${entry.name}”解压后超过 ${Math.round(limit / 1024 / 1024)} MB，无法检查`);
    }
    yield chunk;
  }
}

/** A small entry whole (an .xlsx's docProps/core.xml), at most `limit` bytes; null if absent. */
export function readSmallEntry(src: ByteSource, entries: ReadonlyArray<ZipEntry>, name: string, limit: number): Buffer | null {
  const entry = entries.find((e) => e.name === name);
  if (!entry || entry.encrypted || entry.compressedSize > limit) return null;
  const data = src.read(dataStart(src, entry), entry.compressedSize);
  if (entry.method === 0) return data.subarray(0, limit);
  if (entry.method !== 8) return null;
  return inflateRawSync(data, { maxOutputLength: limit });
}
