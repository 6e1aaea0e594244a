/**
 * Sources anyone can open. Every received export (and every archived copy a revision
 * replaced) is published under a stable URL, `/sources/<YYYY-MM>/<code>.csv`, named by the
 * county (6-digit code) or province (2-digit code) whose rows it holds. What is published is
 * the file's public copy (public-copy.ts): its header, data and 合计 rows in the contract's
 * columns, written fresh, never the received bytes, which may carry sign-off lines, other
 * sheets or document properties naming people. The list gives the SHA-256 of the received
 * original (whoever holds it can check it), the SHA-256 of the copy, and what the copy leaves
 * out. Pages name a figure's source in words — 「融水苗族自治县 2020年12月报表 第 4 行」 — and
 * link the copy; the row is the copy's row, and the downloads' sourceFile/sourceRow are the
 * same. The weekly tables a later one of the same county and month superseded (weekly/, in
 * the manifest's `superseded`) are published the same way, as 「被取代的周报版本」.
 */
import path from 'node:path';
import { formatDate, formatMonth } from '../render/format.ts';
import type { IngestResult } from '../ingest/ingest.ts';
import { sha256 } from '../ingest/revisions.ts';
import type { ProgressRecord } from '../ingest/records.ts';
import { sourceFileUrl } from '../routes.ts';
import { makePublicCopy, type LeftOut } from './public-copy.ts';

export interface PublishedSource {
  /** path under DATA_DIR (exports/… or revisions/…) */
  file: string;
  month: string;
  /** `/sources/2020-12/450225.csv`; null when no public copy can be made */
  url: string | null;
  /** 「融水苗族自治县 2020年12月报表」 */
  label: string;
  /** SHA-256 of the file as received */
  sha256: string;
  /** SHA-256 of the public copy */
  publishedSha256: string | null;
  /** YYYY-MM-DD from the publishing record, null when not filed with data:import */
  publishedOn: string | null;
  /** bytes of the file as received */
  size: number;
  /** bytes of the public copy */
  publishedSize: number | null;
  /** what the public copy leaves out of the received file */
  leftOut: LeftOut | null;
  /** the revision that replaced this copy (archived copies only), and its date */
  replacedBy: string | null;
  replacedOn: string | null;
  /** for a superseded weekly version: the path under DATA_DIR of the month's table that superseded it */
  supersededBy?: string;
}

export interface SourceIndex {
  list: PublishedSource[];
  /** by path under DATA_DIR */
  byFile: Map<string, PublishedSource>;
  /** by URL */
  byUrl: Map<string, PublishedSource>;
  /** by path under DATA_DIR: received row → the public copy's row (0: not in the copy) */
  copyRows: Map<string, Int32Array>;
}

/** Received row → copy row, as a dense array (a national month has 150,000 rows: no Map per row). */
function rowArray(rows: Map<number, number>): Int32Array {
  let last = 0;
  for (const r of rows.keys()) if (r > last) last = r;
  const out = new Int32Array(last + 1);
  for (const [from, to] of rows) out[from] = to;
  return out;
}

/**
 * Plans the published sources from the ingest result: names, URLs, hashes, the public copies'
 * row numbers. `read(file)` returns the bytes of a file under DATA_DIR.
 */
export function planSources(result: Pick<IngestResult, 'files' | 'progress' | 'manifest' | 'villages'>, read: (file: string) => Uint8Array): { index: SourceIndex; contents: Map<string, () => Uint8Array> } {
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
  const manifest = result.manifest;
  const entries: Array<{ file: string; month: string; replacedBy: string | null; replacedOn: string | null; base: string; area: string | null; weekly?: { by: string; tag: string; label: string; filedOn: string } }> = [];
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
  // weekly versions superseded before publication: named after the table, with their date or week
  for (const w of manifest?.superseded ?? []) {
    const by = entries.find((e) => e.file === w.supersededBy);
    const tag = w.date ? `w${w.date}` : `w${w.week ?? 0}`;
    const when = w.date ? `${w.basis === 'asOf' ? '截至' : w.basis === 'filledOn' ? '填报于' : ''}${formatDate(w.date)}` : `第${w.week}周`;
    entries.push({ file: w.file, month: w.month, replacedBy: null, replacedOn: null, base: path.posix.basename(w.file).replace(/\.[^.]+$/, ''), area: by?.area ?? null, weekly: { by: w.supersededBy, tag, label: `被取代的周报版本，${when}`, filedOn: w.filedOn } });
  }
  entries.sort((a, b) => a.month.localeCompare(b.month) || (a.replacedBy === null ? 0 : 1) - (b.replacedBy === null ? 0 : 1) || a.file.localeCompare(b.file, 'en'));

  const list: PublishedSource[] = [];
  const contents = new Map<string, () => Uint8Array>();
  const copyRows = new Map<string, Int32Array>();
  const taken = new Set<string>();
  for (const e of entries) {
    const bytes = read(e.file);
    const copy = makePublicCopy(bytes, e.file);
    // a stable safe name: the area code, else a short hash of the path; a revision's copy carries its id
    const stem = e.area ?? `f-${sha256(Buffer.from(e.file, 'utf8')).slice(0, 10)}`;
    const suffix = e.replacedBy ? `.${e.replacedBy}` : e.weekly ? `.${e.weekly.tag}` : '';
    let name = `${stem}${suffix}`;
    for (let k = 2; taken.has(`${e.month}/${name}.csv`); k++) name = `${stem}-${k}${suffix}`;
    taken.add(`${e.month}/${name}.csv`);
    const url = copy ? sourceFileUrl(e.month, `${name}.csv`) : null;
    // the copy is made again when it is published, not held meanwhile (236 MB nationally)
    if (url && copy) {
      contents.set(url, () => makePublicCopy(read(e.file), e.file)!.bytes);
      copyRows.set(e.file, rowArray(copy.rows));
    }
    list.push({
      file: e.file,
      month: e.month,
      url,
      label: `${e.base} ${formatMonth(e.month)}报表${e.replacedOn ? `（${formatDate(e.replacedOn)}更正之前的版本）` : e.weekly ? `（${e.weekly.label}）` : ''}`,
      sha256: manifest?.published[e.file]?.sha256 ?? sha256(bytes),
      publishedSha256: copy ? sha256(copy.bytes) : null,
      publishedOn: manifest?.published[e.file]?.publishedOn ?? e.weekly?.filedOn ?? null,
      size: bytes.length,
      publishedSize: copy ? copy.bytes.length : null,
      leftOut: copy?.leftOut ?? null,
      replacedBy: e.replacedBy,
      replacedOn: e.replacedOn,
      ...(e.weekly ? { supersededBy: e.weekly.by } : {}),
    });
  }
  const byFile = new Map(list.map((s) => [s.file, s]));
  const byUrl = new Map(list.flatMap((s) => (s.url ? [[s.url, s] as const] : [])));
  return { index: { list, byFile, byUrl, copyRows }, contents };
}

/**
 * The records with `source` as published: the public copy's URL and its row (what pages link
 * and downloads carry). The received workbook's sheet name is not carried: the copy has none.
 */
export function withPublishedSources<R extends Pick<ProgressRecord, 'source'>>(records: ReadonlyArray<R>, index: SourceIndex): R[] {
  return records.map((r) => {
    const s = index.byFile.get(r.source.file);
    const row = index.copyRows.get(r.source.file)?.[r.source.row];
    return s?.url && row ? { ...r, source: { file: s.url, row } } : r;
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
