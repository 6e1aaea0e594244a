/**
 * The zip container of an .xlsx, read with Node's own zlib: the central directory, then each
 * part inflated on demand with a ceiling (zlib's maxOutputLength), so a part whose declared
 * size lies is stopped while it inflates, not after. Messages are Chinese.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export class ZipError extends Error {
  readonly reason: 'too-large' | 'corrupt' | 'encrypted';
  constructor(reason: 'too-large' | 'corrupt' | 'encrypted', message: string) {
    super(message);
    this.reason = reason;
  }
}

const nf = new Intl.NumberFormat('zh-CN');
export const mb = (n: number) => `${nf.format(Math.round(n / 1024 / 1024))} MB`;

/** The zip's central directory, in its order. */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('corrupt', '工作簿已损坏，无法解压（找不到 zip 目录）');
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder('utf-8');
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw new ZipError('corrupt', '工作簿已损坏，无法解压（zip 目录不完整）');
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    if (p + 46 + nameLength + extraLength > bytes.length) throw new ZipError('corrupt', '工作簿已损坏，无法解压（zip 目录不完整）');
    const entry: ZipEntry = {
      name: decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength)),
      flags: view.getUint16(p + 8, true),
      method: view.getUint16(p + 10, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    };
    // ZIP64: sizes and offset of 0xFFFFFFFF are in the extra field with id 1, in this order.
    for (let x = p + 46 + nameLength; x + 4 <= p + 46 + nameLength + extraLength; ) {
      const id = view.getUint16(x, true);
      const length = view.getUint16(x + 2, true);
      if (id === 1) {
        let q = x + 4;
        const next = (): number => {
          if (q + 8 > x + 4 + length) throw new ZipError('corrupt', '工作簿已损坏，无法解压（ZIP64 字段不完整）');
          const v = Number(view.getBigUint64(q, true));
          q += 8;
          return v;
        };
        if (entry.size === 0xffffffff) entry.size = next();
        if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
        if (entry.localOffset === 0xffffffff) entry.localOffset = next();
      }
      x += 4 + length;
    }
    entries.push(entry);
    p += 46 + nameLength + extraLength + view.getUint16(p + 32, true);
  }
  return entries;
}

/** One part's bytes, inflated to at most `ceiling` bytes; `limitText` says which limit that is. */
export function inflateEntry(bytes: Uint8Array, entry: ZipEntry, ceiling: number, limitText: string): Buffer {
  if (entry.flags & 1) throw new ZipError('encrypted', '工作簿中的内容已加密');
  if (entry.size > ceiling) throw new ZipError('too-large', `${limitText}（${entry.name} 声明为 ${mb(entry.size)}）`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = entry.localOffset;
  if (p + 30 > bytes.length || view.getUint32(p, true) !== 0x04034b50) throw new ZipError('corrupt', '工作簿已损坏（zip 条目位置不对）');
  const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
  if (start + entry.compressedSize > bytes.length) throw new ZipError('corrupt', `工作簿已损坏（${entry.name} 不完整）`);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) {
    if (data.length > ceiling) throw new ZipError('too-large', limitText);
    return Buffer.from(data);
  }
  if (entry.method !== 8) throw new ZipError('corrupt', `工作簿使用了不支持的压缩方式（${entry.method}）`);
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, ceiling) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw new ZipError('too-large', limitText);
    throw new ZipError('corrupt', `工作簿已损坏，无法解压 ${entry.name}（${(e as Error).message.slice(0, 120)}）`);
  }
}
