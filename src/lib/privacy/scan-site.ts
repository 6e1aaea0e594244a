/**
 * The personal-data gate's walk over a built site: every regular file under the folder (by
 * the directory's own entry types, which are lstat's: no link followed, and a file opened with
 * O_NOFOLLOW; a link or any other kind of file is itself a finding), each read for what it
 * holds rather than what its name says:
 * - a zip (a download, an .xlsx) entry by entry, inflated as a stream, entries inside entries
 *   too (an .xlsx in a zip), and a document's properties (docProps: author, last modified by,
 *   manager) checked as owner fields;
 * - gzip (Pagefind's fragments, index and metadata) decompressed as a stream;
 * - an image (JPEG, PNG, WebP, GIF, TIFF, AVIF) by its metadata: GPS position, owner fields,
 *   and its texts scanned like any other text;
 * - everything else as text (UTF-8, UTF-16 with a BOM, or GB18030 where UTF-8 fails), a small
 *   file whole, a large one in pieces with the line counted across them.
 * One file at a time, so memory stays flat whatever the size of the site.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { PersonalDataScanner, kindLabel, maskHit, type ScannerOptions, type TextHit, type TextHitKind } from './personal-data.ts';
import { personNames } from './personal-names.ts';
import { imageMetadata, isImageBytes } from './image-metadata.ts';
import { bufferSource, entryPieces, fileSource, isZipBytes, zipEntries, type ByteSource } from './zip-entries.ts';
import { machineNumberBlanking } from './machine-numbers.ts';

export type FindingKind = TextHitKind | 'gps' | 'image-owner' | 'document-owner' | 'not-a-file' | 'unreadable';

export interface Finding {
  /** the file, relative to the site folder, with '/' */
  file: string;
  /** inside it: the zip entries on the way (an .xlsx in a zip: both), and gzip when it was one */
  inside: string[];
  /** 1-based line (and column, on a long line) of a text hit */
  line?: number;
  column?: number;
  /** the metadata field of an image or a document */
  field?: string;
  kind: FindingKind;
  /** what was found, masked */
  found: string;
  /** for a name: where the name comes from */
  source?: string;
}

export interface ScanOptions {
  /** what the scanner looks for and allows (each worker makes its own scanner from it) */
  scanner: ScannerOptions;
  /** owner values that are the programme's own (its name as a copyright holder or a document's author) */
  allowedOwners?: ReadonlyArray<string>;
  /** worker threads reading the files (default 1: this thread alone) */
  workers?: number;
}

export interface ScanResult {
  findings: Finding[];
  files: number;
  bytes: number;
  /** zip entries and decompressed streams read besides the files */
  inner: number;
  seconds: number;
}

/** A file up to this size is read whole; a larger one in pieces of this size. */
const WHOLE_FILE = 8 << 20;
const PIECE = 4 << 20;
/** Characters kept on each side of a piece so that the rules see their boundaries. */
const CONTEXT = 1024;
/** Inflated bytes one zip entry or gzip stream may give, and what an inner zip or image may be held in memory. */
const INFLATE_LIMIT = 8 * 1024 ** 3;
const HOLD_LIMIT = 512 << 20;
const MAX_DEPTH = 4;

const KIND_TEXT: Record<Exclude<FindingKind, TextHitKind>, string> = {
  gps: '图片中的 GPS 位置',
  'image-owner': '图片中的作者或所有者',
  'document-owner': '文档属性中的作者或修改者',
  'not-a-file': '不是普通文件',
  unreadable: '无法检查',
};

/** One line of the report, in Chinese: file, where in it, what was found (masked), and whose name it is. */
export function findingMessage(f: Finding): string {
  const where = [f.inside.length ? `（${f.inside.join(' › ')}）` : '', f.line !== undefined ? ` 第 ${f.line} 行${f.column !== undefined ? `第 ${f.column} 个字符` : ''}` : '', f.field ? ` ${f.field}` : ''].join('');
  const what = f.kind in KIND_TEXT ? KIND_TEXT[f.kind as keyof typeof KIND_TEXT] : kindLabel(f.kind as TextHitKind);
  return `${f.file}${where}：${what}${f.found ? ` ${f.found}` : ''}${f.source ? `（来自${f.source}）` : ''}`;
}

interface LinePosition {
  base: number;
  line: number;
  lineStart: number;
}

interface Place {
  file: string;
  inside: string[];
}

class SiteScan {
  readonly findings: Finding[] = [];
  files = 0;
  bytes = 0;
  inner = 0;
  private readonly scanner: PersonalDataScanner;
  private readonly allowedOwners: ReadonlySet<string>;

  constructor(scanner: PersonalDataScanner, allowedOwners: ReadonlyArray<string>) {
    this.scanner = scanner;
    this.allowedOwners = new Set(allowedOwners);
  }

  private add(place: Place, f: Omit<Finding, 'file' | 'inside'>): void {
    this.findings.push({ file: place.file, inside: [...place.inside], ...f });
  }

  /**
   * The hits starting in text[from, to), with their line and column. `at` is where the text
   * stands in the file: `base` the offset of text[0], `line` the line at `from` and
   * `lineStart` the offset where that line begins; it is moved to `to`.
   */
  private textHits(place: Place, text: string, from: number, to: number, at: LinePosition): void {
    const hits = this.scanner.scan(text, from, to);
    let pos = from;
    const advance = (until: number) => {
      for (let nl = text.indexOf('\n', pos); nl !== -1 && nl < until; nl = text.indexOf('\n', nl + 1)) {
        at.line++;
        at.lineStart = at.base + nl + 1;
      }
      pos = until;
    };
    for (const h of hits) {
      if (h.kind === 'email' && isCredit(place, text, h)) continue;
      advance(h.index);
      const column = at.base + h.index - at.lineStart + 1;
      this.add(place, { kind: h.kind, line: at.line, ...(column > 80 ? { column } : {}), found: maskHit(h.kind, h.text), ...(h.source ? { source: h.source } : {}) });
    }
    advance(to);
  }

  /** A text whole: its hits with line numbers. */
  private scanText(place: Place, text: string): void {
    const blanking = machineNumberBlanking(innermostName(place));
    const scanned = blanking ? blanking.whole(text) : text;
    this.textHits(place, scanned, 0, scanned.length, { base: 0, line: 1, lineStart: 0 });
  }

  /** Text arriving in pieces: each scanned with context around it; lines counted across pieces. */
  private async scanTextPieces(place: Place, head: Buffer, rest: AsyncIterator<Buffer> | null): Promise<void> {
    const decoder = textDecoder(head);
    const blanking = machineNumberBlanking(innermostName(place));
    const piece = blanking?.piece ?? ((t: string) => t);
    let pending = piece(decoder.decode(head, { stream: true }));
    let lo = 0;
    const at: LinePosition = { base: 0, line: 1, lineStart: 0 };
    const flush = (final: boolean) => {
      let cut = pending.length;
      if (!final) {
        const nl = pending.lastIndexOf('\n');
        cut = nl >= lo + CONTEXT ? nl + 1 : Math.max(lo, pending.length - CONTEXT);
      }
      if (blanking) pending = blanking.scanned(pending);
      this.textHits(place, pending, lo, cut, at);
      const keep = Math.max(0, cut - CONTEXT);
      pending = pending.slice(keep);
      at.base += keep;
      lo = cut - keep;
    };
    while (rest) {
      const next = await rest.next();
      if (next.done) break;
      pending += piece(decoder.decode(next.value, { stream: true }));
      if (pending.length - lo > PIECE) flush(false);
    }
    pending += piece(decoder.decode());
    flush(true);
  }

  private ownerFields(place: Place, xml: string): void {
    for (const [tag, label] of [['dc:creator', '作者'], ['cp:lastModifiedBy', '最后修改者'], ['Manager', '经理']] as const) {
      for (const m of xml.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`, 'g'))) {
        for (const name of personNames(m[1]!)) if (!this.allowedOwners.has(name)) this.add(place, { kind: 'document-owner', field: `${tag}（${label}）`, found: maskHit('name', name) });
      }
    }
  }

  private async image(place: Place, input: string | Buffer): Promise<void> {
    try {
      const meta = await imageMetadata(input, [...this.allowedOwners]);
      for (const h of meta.hits) this.add(place, { kind: h.kind, field: h.field, found: h.kind === 'gps' ? h.value : maskHit('name', h.value) });
      for (const t of meta.texts) for (const h of this.scanner.scan(t)) this.add(place, { kind: h.kind, field: '图片元数据', found: maskHit(h.kind, h.text), ...(h.source ? { source: h.source } : {}) });
    } catch (e) {
      this.add(place, { kind: 'unreadable', found: `图片元数据无法读取（${(e as Error).message}）` });
    }
  }

  /** A zip's entries, each read for what it is. */
  private async zip(place: Place, src: ByteSource, depth: number): Promise<void> {
    let entries;
    try {
      entries = zipEntries(src);
    } catch (e) {
      this.add(place, { kind: 'unreadable', found: `zip 无法读取（${(e as Error).message}）` });
      return;
    }
    for (const entry of entries) {
      if (entry.name.endsWith('/') && entry.size === 0) continue;
      this.inner++;
      const inner = { file: place.file, inside: [...place.inside, entry.name] };
      try {
        await this.pieces(inner, entryPieces(src, entry, INFLATE_LIMIT), depth + 1, /^docProps\/(core|app)\.xml$/.test(entry.name));
      } catch (e) {
        this.add(inner, { kind: 'unreadable', found: (e as Error).message });
      }
    }
  }

  /** Bytes arriving in pieces (a zip entry, a gzip stream): looked at, then read for what they are. */
  private async pieces(place: Place, source: AsyncIterable<Buffer>, depth: number, documentProperties = false): Promise<void> {
    if (depth > MAX_DEPTH) {
      this.add(place, { kind: 'unreadable', found: `压缩层数超过 ${MAX_DEPTH} 层` });
      return;
    }
    const it = source[Symbol.asyncIterator]();
    let head = Buffer.alloc(0);
    let done = false;
    while (head.length < 16) {
      const next = await it.next();
      if (next.done) {
        done = true;
        break;
      }
      head = Buffer.concat([head, next.value]);
    }
    if (head.length === 0) return;
    const hold = async (): Promise<Buffer> => {
      const parts: Buffer[] = [head];
      let total = head.length;
      while (!done) {
        const next = await it.next();
        if (next.done) break;
        total += next.value.length;
        if (total > HOLD_LIMIT) throw new Error(`超过 ${HOLD_LIMIT / 1024 / 1024} MB，无法检查`);
        parts.push(next.value);
      }
      return Buffer.concat(parts);
    };
    if (isZipBytes(head)) return this.zip(place, bufferSource(await hold()), depth);
    if (isGzip(head)) {
      const rest = done ? [] : { [Symbol.asyncIterator]: () => it };
      const gunzip = Readable.from(prepend(head, rest)).pipe(createGunzip());
      return this.pieces({ file: place.file, inside: [...place.inside, 'gzip'] }, limited(gunzip, INFLATE_LIMIT), depth + 1);
    }
    if (isImageBytes(head)) return this.image(place, await hold());
    if (documentProperties) {
      const xml = (await hold()).toString('utf8');
      this.ownerFields(place, xml);
      return this.scanText(place, xml);
    }
    return this.scanTextPieces(place, head, done ? null : it);
  }

  async file(full: string, rel: string): Promise<void> {
    const place = { file: rel, inside: [] };
    const fd = openSync(full, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const size = fstatSync(fd).size;
      this.files++;
      this.bytes += size;
      if (size === 0) return;
      const head = Buffer.alloc(Math.min(size, 16));
      readSync(fd, head, 0, head.length, 0);
      if (isZipBytes(head)) return await this.zip(place, fileSource(fd, size), 0);
      if (isImageBytes(head)) return await this.image(place, full);
      if (size <= WHOLE_FILE) {
        const bytes = fileSource(fd, size).read(0, size);
        if (isGzip(head)) return await this.pieces(place, (async function* () { yield bytes; })(), 0);
        return this.scanText(place, decodeWhole(bytes));
      }
      const src = fileSource(fd, size);
      await this.pieces(place, (async function* () {
        for (let at = 0; at < size; at += PIECE) yield src.read(at, PIECE);
      })(), 0);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Pagefind's own interface scripts (pagefind/pagefind-ui.js and the like, the same bytes on
 * every site Pagefind indexes) credit their translators as 「Name <address>」: published by
 * Pagefind's authors, not by this programme, and allowed there and only there.
 */
const PAGEFIND_SCRIPT = /^pagefind\/pagefind[\w-]*\.js$/;
function isCredit(place: Place, text: string, h: TextHit): boolean {
  return place.inside.length === 0 && PAGEFIND_SCRIPT.test(place.file) && text[h.index - 1] === '<' && text[h.index + h.text.length] === '>';
}

/** The name that says what a text is: a zip entry's own, else the file's (a gzip stream inside a file is the file's text). */
function innermostName(place: Place): string {
  return place.inside.filter((n) => n !== 'gzip').at(-1) ?? place.file;
}

const isGzip = (head: Uint8Array) => head[0] === 0x1f && head[1] === 0x8b;

async function* prepend(head: Buffer, rest: AsyncIterable<Buffer> | Iterable<Buffer>): AsyncGenerator<Buffer> {
  yield head;
  yield* rest;
}

async function* limited(stream: AsyncIterable<Buffer> & { destroy(): void }, limit: number): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > limit) {
      stream.destroy();
      throw new Error(`解压后超过 ${Math.round(limit / 1024 ** 3)} GB，无法检查`);
    }
    yield chunk;
  }
}

/** UTF-16 by its BOM; UTF-8 unless the start of the file is not UTF-8 and not binary, then GB18030 (Excel's CSV on Chinese Windows). */
function textDecoder(head: Buffer): TextDecoder {
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le');
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be');
  let sample = head.subarray(0, 64 * 1024);
  if (sample.length < head.length) {
    // end the sample before a character the cut splits
    let end = sample.length;
    while (end > sample.length - 4 && ((sample[end - 1] ?? 0) & 0xc0) === 0x80) end--;
    if (end > 0 && (sample[end - 1] ?? 0) >= 0xc0) end--;
    sample = sample.subarray(0, end);
  }
  return isUtf8(sample) || sample.includes(0) ? new TextDecoder('utf-8') : new TextDecoder('gb18030');
}

/** A whole file as text: nearly always UTF-8, decoded by Buffer without a decoder made for it. */
function decodeWhole(bytes: Buffer): string {
  if (bytes[0] !== 0xff && bytes[0] !== 0xfe && isUtf8(bytes)) return bytes.toString('utf8');
  return textDecoder(bytes).decode(bytes);
}

interface Tally {
  findings: Finding[];
  files: number;
  bytes: number;
  inner: number;
}

/** Read the given files (full path, path in the site) one after another. */
async function scanFiles(files: ReadonlyArray<readonly [string, string]>, options: ScanOptions): Promise<Tally> {
  const scan = new SiteScan(new PersonalDataScanner(options.scanner), options.allowedOwners ?? []);
  for (const [full, rel] of files) {
    try {
      await scan.file(full, rel);
    } catch (e) {
      scan.findings.push({ file: rel, inside: [], kind: 'unreadable', found: (e as Error).message });
    }
  }
  return { findings: scan.findings, files: scan.files, bytes: scan.bytes, inner: scan.inner };
}

/** Below this many files one thread is quicker than starting workers. */
const FILES_PER_WORKER = 2000;
const WORKER = 'gpdzc-privacy-scan';

/**
 * Every regular file under `dir`, read for personal data; the findings in file order. The
 * folder is listed here; the files are shared out to worker threads in turn (file i to
 * worker i mod n, so each gets every kind of page), and their findings put back in order.
 */
export async function scanSite(dir: string, options: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  const files: Array<[string, string]> = [];
  const order = new Map<string, number>();
  const listed: Finding[] = [];
  const walk = (d: string, rel: string) => {
    // the entries' types as the directory gives them (lstat's: a link is a link), no stat per file
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(d, entry.name);
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      order.set(r, order.size);
      if (entry.isDirectory()) walk(full, r);
      else if (entry.isFile()) files.push([full, r]);
      else listed.push({ file: r, inside: [], kind: 'not-a-file', found: entry.isSymbolicLink() ? '符号链接（未跟随，发布后会指向站点以外的内容）' : '特殊文件' });
    }
  };
  walk(path.resolve(dir), '');
  const n = Math.max(1, Math.min(options.workers ?? 1, Math.floor(files.length / FILES_PER_WORKER)));
  const tallies =
    n === 1
      ? [await scanFiles(files, options)]
      : await Promise.all(
          Array.from({ length: n }, (_, w) => {
            const share = files.filter((_f, i) => i % n === w);
            return new Promise<Tally>((resolve, reject) => {
              const worker = new Worker(new URL(import.meta.url), { workerData: { [WORKER]: true, files: share, options } });
              worker.once('message', resolve);
              worker.once('error', reject);
              worker.once('exit', (code) => code !== 0 && reject(new Error(`检查线程异常退出（${code}）`)));
            });
          }),
        );
  const findings = [...listed, ...tallies.flatMap((t) => t.findings)];
  // stable: a file's own findings keep their order
  findings.sort((a, b) => order.get(a.file)! - order.get(b.file)!);
  const sum = (k: 'files' | 'bytes' | 'inner') => tallies.reduce((a, t) => a + t[k], 0);
  return { findings, files: sum('files'), bytes: sum('bytes'), inner: sum('inner'), seconds: (performance.now() - started) / 1000 };
}

if (!isMainThread && workerData?.[WORKER]) {
  const { files, options } = workerData as { files: Array<[string, string]>; options: ScanOptions };
  parentPort!.postMessage(await scanFiles(files, options));
}
