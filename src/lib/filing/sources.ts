/**
 * Sources anyone can open. Every received export (and every archived copy a revision
 * replaced) is published under a stable URL, `/sources/<YYYY-MM>/<code>.<ext>`, named by the
 * county (6-digit code) or province (2-digit code) whose rows it holds, with its SHA-256 and
 * publish date. Pages name a figure's source in words — 「融水苗族自治县 2020年12月报表 第 4 行」
 * — and link that file; the downloads' sourceFile is its URL, sourceRow its row.
 *
 * A file that holds a column outside the data contract (an UNKNOWN_COLUMN / UNNAMED_COLUMN
 * warning at ingest: it may hold what was never meant to be published) is published as a
 * copy reduced to the contract's columns, rows unchanged (so row numbers still hold), and the
 * list says so. An Excel workbook with such a column is not published (it cannot be reduced
 * byte for byte); the list says that too.
 */
import path from 'node:path';
import { decodeTable } from '../ingest/decode.ts';
import { parseCsv } from '../ingest/csv.ts';
import { formatDate, formatMonth } from '../render/format.ts';
import type { IngestResult } from '../ingest/ingest.ts';
import { sha256 } from '../ingest/revisions.ts';
import type { ProgressRecord } from '../ingest/records.ts';
import { sourceFileUrl } from '../routes.ts';

export interface PublishedSource {
  /** path under DATA_DIR (exports/… or revisions/…) */
  file: string;
  month: string;
  /** `/sources/2020-12/450225.csv`; null when the file cannot be published (see note) */
  url: string | null;
  /** 「融水苗族自治县 2020年12月报表」 */
  label: string;
  /** SHA-256 of the file as received */
  sha256: string;
  /** SHA-256 of what is published (the reduced copy when reduced) */
  publishedSha256: string | null;
  /** YYYY-MM-DD from the publishing record, null when not filed with data:import */
  publishedOn: string | null;
  size: number;
  /** columns left out of the published copy (headers as received, or the column letters) */
  removedColumns: string[];
  /** the revision that replaced this copy (archived copies only), and its date */
  replacedBy: string | null;
  replacedOn: string | null;
}

export interface SourceIndex {
  list: PublishedSource[];
  /** by path under DATA_DIR */
  byFile: Map<string, PublishedSource>;
  /** by URL */
  byUrl: Map<string, PublishedSource>;
}

const EXTRA_COLUMN_CODES = new Set(['UNKNOWN_COLUMN', 'UNNAMED_COLUMN']);

function letterIndex(letter: string): number {
  let n = 0;
  for (const ch of letter) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** A copy of a delimited text file without the given columns (0-based), as UTF-8 with BOM; rows unchanged. */
export function reduceColumns(bytes: Uint8Array, drop: ReadonlySet<number>): Uint8Array | null {
  const decoded = decodeTable(bytes);
  if (!decoded.ok) return null;
  const table = parseCsv(decoded.text);
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const text = table.rows.map((row) => row.filter((_, i) => !drop.has(i)).map(cell).join(',')).join('\r\n') + '\r\n';
  return new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
}

/** The bytes published for a received file: as received, or without its extra columns (null: no such copy can be made). */
function publishedBytes(bytes: Uint8Array, drop: ReadonlySet<number> | undefined): Uint8Array | null {
  return drop && drop.size > 0 ? reduceColumns(bytes, drop) : bytes;
}

/**
 * Plans the published sources from the ingest result: names, URLs, hashes and reductions.
 * `read(file)` returns the bytes of a file under DATA_DIR.
 */
export function planSources(result: Pick<IngestResult, 'files' | 'progress' | 'issues' | 'manifest' | 'villages'>, read: (file: string) => Uint8Array): { index: SourceIndex; contents: Map<string, () => Uint8Array> } {
  // which area a file is: named after a county or province of its rows → that code; else the
  // one county or province all its rows are in; else (below) a short hash of its path
  const codes = new Map<string, Set<string>>();
  for (const r of result.progress) {
    let s = codes.get(r.source.file);
    if (!s) codes.set(r.source.file, (s = new Set()));
    s.add(r.villageCode.slice(0, 6));
  }
  const areaNames = new Map<string, string>();
  for (const v of result.villages) {
    areaNames.set(`${v.countyCode}|${v.county}`, v.countyCode);
    areaNames.set(`${v.provinceCode}|${v.province}`, v.provinceCode);
  }
  const areaOf = (file: string): string | null => {
    const c = [...(codes.get(file) ?? [])];
    if (c.length === 0) return null;
    const base = path.posix.basename(file).replace(/\.[^.]+$/, '');
    for (const x of c) if (areaNames.get(`${x}|${base}`)) return x;
    for (const x of c) if (areaNames.get(`${x.slice(0, 2)}|${base}`)) return x.slice(0, 2);
    if (c.length === 1) return c[0]!;
    return new Set(c.map((x) => x.slice(0, 2))).size === 1 ? c[0]!.slice(0, 2) : null;
  };
  const extra = new Map<string, Set<number>>();
  const extraNames = new Map<string, string[]>();
  for (const i of result.issues) {
    if (!EXTRA_COLUMN_CODES.has(i.code) || i.column === null) continue;
    const s = extra.get(i.file) ?? new Set<number>();
    s.add(letterIndex(i.column));
    extra.set(i.file, s);
    extraNames.set(i.file, [...(extraNames.get(i.file) ?? []), `${i.column} 列`]);
  }
  const manifest = result.manifest;
  const entries: Array<{ file: string; month: string; replacedBy: string | null; replacedOn: string | null; base: string; area: string | null }> = [];
  for (const f of result.files) {
    if (f.kind !== 'export' || !f.month) continue;
    entries.push({ file: f.file, month: f.month, replacedBy: null, replacedOn: null, base: path.posix.basename(f.file).replace(/\.[^.]+$/, ''), area: areaOf(f.file) });
  }
  // archived copies that revisions replaced: named after the file they were, with the revision
  for (const rev of manifest?.revisions ?? []) {
    for (const x of rev.files) {
      if (!x.previous) continue;
      const now = entries.find((e) => e.file === x.file);
      entries.push({ file: x.previous, month: rev.month, replacedBy: rev.id, replacedOn: rev.date, base: path.posix.basename(x.file).replace(/\.[^.]+$/, ''), area: now?.area ?? null });
    }
  }
  entries.sort((a, b) => a.month.localeCompare(b.month) || (a.replacedBy === null ? 0 : 1) - (b.replacedBy === null ? 0 : 1) || a.file.localeCompare(b.file, 'en'));

  const list: PublishedSource[] = [];
  const contents = new Map<string, () => Uint8Array>();
  const taken = new Set<string>();
  for (const e of entries) {
    const bytes = read(e.file);
    const ext = (path.posix.extname(e.file) || '.csv').toLowerCase();
    const drop = extra.get(e.file);
    const out = drop && drop.size > 0 && (ext === '.xlsx' || ext === '.xls') ? null : publishedBytes(bytes, drop);
    const outExt = drop && drop.size > 0 ? '.csv' : ext;
    // a stable safe name: the area code, else a short hash of the path; a revision's copy carries its id
    const stem = e.area ?? `f-${sha256(Buffer.from(e.file, 'utf8')).slice(0, 10)}`;
    let name = `${stem}${e.replacedBy ? `.${e.replacedBy}` : ''}`;
    for (let k = 2; taken.has(`${e.month}/${name}${outExt}`); k++) name = `${stem}-${k}${e.replacedBy ? `.${e.replacedBy}` : ''}`;
    taken.add(`${e.month}/${name}${outExt}`);
    const url = out ? sourceFileUrl(e.month, `${name}${outExt}`) : null;
    // the bytes are read again when the file is published, not held meanwhile (236 MB nationally)
    if (url && out) contents.set(url, () => publishedBytes(read(e.file), drop)!);
    list.push({
      file: e.file,
      month: e.month,
      url,
      label: `${e.base} ${formatMonth(e.month)}报表${e.replacedOn ? `（${formatDate(e.replacedOn)}更正之前的版本）` : ''}`,
      sha256: manifest?.published[e.file]?.sha256 ?? sha256(bytes),
      publishedSha256: out ? sha256(out) : null,
      publishedOn: manifest?.published[e.file]?.publishedOn ?? null,
      size: bytes.length,
      removedColumns: drop ? (extraNames.get(e.file) ?? []) : [],
      replacedBy: e.replacedBy,
      replacedOn: e.replacedOn,
    });
  }
  const byFile = new Map(list.map((s) => [s.file, s]));
  const byUrl = new Map(list.flatMap((s) => (s.url ? [[s.url, s] as const] : [])));
  return { index: { list, byFile, byUrl }, contents };
}

/** The records with `source.file` as the published URL (what pages link and downloads carry). */
export function withPublishedSources<R extends Pick<ProgressRecord, 'source'>>(records: ReadonlyArray<R>, index: SourceIndex): R[] {
  return records.map((r) => {
    const s = index.byFile.get(r.source.file);
    return s?.url ? { ...r, source: { ...r.source, file: s.url } } : r;
  });
}

/** The published sources by month, newest month first, each month's files in the index's order. */
export function sourcesByMonth(index: SourceIndex): Array<{ month: string; files: PublishedSource[] }> {
  const months = [...new Set(index.list.map((s) => s.month))].sort().reverse();
  return months.map((month) => ({ month, files: index.list.filter((s) => s.month === month) }));
}

/** How many received exports a month's figures come from (all months: null). */
export function exportFileCount(files: ReadonlyArray<{ kind: string; month: string | null }>, month: string | null): number {
  return files.filter((f) => f.kind === 'export' && (month === null || f.month === month)).length;
}

/** 「融水苗族自治县 2020年12月报表 第 4 行」 and its link, for a record's source (file = path or URL). */
export function sourceRef(index: SourceIndex, source: { file: string; row?: number }): { text: string; href: string | null } {
  const s = index.byUrl.get(source.file) ?? index.byFile.get(source.file);
  const row = source.row !== undefined ? ` 第 ${source.row} 行` : '';
  if (!s) return { text: `原始报表${row}`, href: null };
  return { text: `${s.label}${row}`, href: s.url };
}
