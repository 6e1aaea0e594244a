/**
 * Bytes → text. Counties send CSV as Excel writes it: UTF-8 with or without BOM,
 * GB18030/GBK (Excel's default on Chinese Windows), or UTF-16LE "Unicode 文本".
 * We detect the encoding; staff are never asked which one it is.
 */
import iconv from 'iconv-lite';

export type Encoding = 'utf-8-bom' | 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export type DecodeResult =
  | { ok: true; text: string; encoding: Encoding }
  | { ok: false; reason: 'empty' | 'binary' | 'unknown-encoding' | 'too-large'; detail: string };

/**
 * Bytes of a text table. A JavaScript string holds at most about 512 million characters, and
 * a text table is decoded whole; far below that, no honest progress export comes near it.
 */
const TEXT_TABLE_BYTES = 256 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export const ENCODING_LABELS: Record<Encoding, string> = {
  'utf-8-bom': 'UTF-8（带 BOM）',
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16LE（Unicode 文本）',
  'utf-16be': 'UTF-16BE',
  gb18030: 'GB18030/GBK',
};

export function decodeTable(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return { ok: false, reason: 'empty', detail: '文件大小为 0 字节' };
  if (bytes.length > TEXT_TABLE_BYTES) {
    const mb = (n: number) => `${Math.round(n / 1024 / 1024).toLocaleString('zh-CN')} MB`;
    return { ok: false, reason: 'too-large', detail: `文件有 ${mb(bytes.length)}，超过文本表格的上限 ${mb(TEXT_TABLE_BYTES)}，未读取` };
  }

  let text: string;
  let encoding: Encoding;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    encoding = 'utf-8-bom';
    try {
      text = utf8.decode(bytes.subarray(3));
    } catch {
      return { ok: false, reason: 'unknown-encoding', detail: '文件以 UTF-8 BOM 开头，但内容不是有效的 UTF-8' };
    }
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf-16le';
    text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset + 2, bytes.length - 2), 'utf-16le');
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    encoding = 'utf-16be';
    text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset + 2, bytes.length - 2), 'utf-16be');
  } else if (looksLikeUtf16le(bytes)) {
    encoding = 'utf-16le';
    text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), 'utf-16le');
  } else {
    if (bytes.includes(0)) {
      return { ok: false, reason: 'binary', detail: '文件中含有空字节，既不是文本表格，也不是 Excel 工作簿（.xlsx），可能是图片、Word 文档或损坏的文件；请向报送单位要回进展统计表本身' };
    }
    try {
      text = utf8.decode(bytes);
      encoding = 'utf-8';
    } catch {
      text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), 'gb18030');
      encoding = 'gb18030';
      if (text.includes('\ufffd')) {
        return { ok: false, reason: 'unknown-encoding', detail: '既不是 UTF-8，也不是 GB18030/GBK 编码' };
      }
    }
  }

  if (text.trim() === '') return { ok: false, reason: 'empty', detail: '文件中没有任何内容' };
  if (looksBinary(text)) {
    return { ok: false, reason: 'binary', detail: '文件中含有大量控制字符，既不是文本表格，也不是 Excel 工作簿（.xlsx），可能是图片、Word 文档或损坏的文件；请向报送单位要回进展统计表本身' };
  }
  return { ok: true, text, encoding };
}

/**
 * UTF-16LE without BOM: the delimiters and line breaks (tab, comma, CR, LF) are ASCII, so
 * their high bytes are zeros at odd offsets, while mostly-Chinese text has few zeros. A file
 * whose zero bytes sit only at odd offsets and that decodes to clean text with delimiters is
 * UTF-16LE; other files with zero bytes are binary.
 */
function looksLikeUtf16le(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 65536) & ~1;
  if (n < 4) return false;
  let oddZeros = 0;
  let evenZeros = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 1) oddZeros++;
      else evenZeros++;
    }
  }
  if (oddZeros === 0 || evenZeros > oddZeros / 8) return false;
  const sample = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, n), 'utf-16le');
  return /[\t,\r\n]/.test(sample) && !looksBinary(sample);
}

/** Control characters other than tab, CR and LF are not in any honest table. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) control++;
  }
  return control > 0 && control >= Math.max(1, sample.length / 200);
}
