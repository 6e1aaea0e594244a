/**
 * The name index: how the search page finds villages, units and counties by name, place or
 * code without loading an index that grows with the site.
 *
 * Why not Pagefind for these: Pagefind's meta file lists every page, so a query's bytes and
 * the index's memory grow with the site, far past the budgets at national scale (218,000
 * villages and units; Pagefind issue 842; docs/decisions/0001-sharded-name-index.md).
 * Pagefind still indexes the content pages (stories, bulletins), whose text is worth
 * searching word by word.
 *
 * How it works: every village, unit and county is a record with an id (villages by code,
 * then units, then counties). Names and places are cut into overlapping pairs of characters (bigrams:
 * 西埔村 → 西埔, 埔村); each bigram has a list of the ids whose name has it and a list of those
 * whose place has it. Bigrams are spread over shard files by a hash, so a three-character
 * query fetches two small shards, whatever the size of the site. A record matches a query
 * when it has every bigram of every term (a single-character term cannot be looked up this
 * way and is left to Pagefind). Whole names and codes (县代码, 村代码, 统一社会信用代码) are
 * also keys, looked up exactly in their own shards: a code finds its record, and a query
 * that is a whole name puts the records of that name first (many villages are called 新村).
 * Records themselves (link, title, one line of context) are stored in chunks and fetched
 * only for the results shown.
 *
 * This module is plain TypeScript with no Node imports: the build writes the index with it
 * (name-index-write.ts) and the search page's script reads it with the same functions.
 */

import { rankByKind, understandPlaces } from './place-query.ts';
import { normalizeName } from '../ingest/names.ts';

/** Where the index lives in the site; `meta.json` names the directory of the current version. */
export const NAME_INDEX_DIR = 'search-index';

export interface NameIndexMeta {
  /** format version */
  v: 1;
  /** directory (under NAME_INDEX_DIR) holding this version's files; changes with the content */
  dir: string;
  /** bigram shards: g/<n>.json, n = hash(bigram) % shards */
  shards: number;
  /** key shards (whole names and codes): k/<n>.json, n = hash(key) % keyShards */
  keyShards: number;
  /** records per chunk: r/<floor(id / chunk)>.json */
  chunk: number;
  /** ids [0, villages) are villages, then `units` units, then `counties` counties */
  villages: number;
  units: number;
  counties: number;
  /** province name → its file p/<code>.txt (the ids of its villages and counties, and of units helping there) */
  provinces: Record<string, string>;
}

/** A bigram shard: bigram → [name ids, place ids] as encoded lists, or "@file" for a long list kept apart. */
export type BigramShard = Record<string, [string, string]>;
/** A key shard: whole name or code (as exactKey gives it) → ids. */
export type KeyShard = Record<string, number[]>;
/** A record: [link, title, line of context]. */
export type NameRecord = [string, string, string];

/**
 * One form for index and query alike: the checker's own name normalisation (names.ts:
 * NFKC, separators and invisible characters gone, 村民委员会/村委会 → 村), Latin letters upper case.
 */
function normaliseText(text: string): string {
  return normalizeName(text).toUpperCase();
}

/** A whole name or code as a key: normalised, without spaces and punctuation. */
export function exactKey(text: string): string {
  return normaliseText(text).replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The query's terms: split on spaces and punctuation, each normalised. */
export function queryTerms(query: string): string[] {
  return query
    .normalize('NFKC')
    .split(/[\s\p{P}\p{S}]+/u)
    .map(normaliseText)
    .filter(Boolean);
}

/** Overlapping pairs of characters (by code point), without repeats. */
export function bigrams(text: string): string[] {
  const chars = [...normaliseText(text).replace(/[\s\p{P}\p{S}]+/gu, '')];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  return [...out];
}

/** A code as people type it: 6-digit 县代码, 12-digit 村代码 or 18-character 统一社会信用代码. */
export function looksLikeCode(term: string): boolean {
  return /^(\d{6}|\d{12}|[0-9A-Z]{18})$/.test(term);
}

/** The kind of record an id is, as the search page's 类型 filter names it. */
export function kindOf(meta: Pick<NameIndexMeta, 'villages' | 'units'>, id: number): '村' | '单位' | '县' {
  return id < meta.villages ? '村' : id < meta.villages + meta.units ? '单位' : '县';
}

/** FNV-1a over UTF-16 code units: the same shard in the build and in every browser. */
export function shardOf(key: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shards;
}

/**
 * A sorted list of ids as text: comma-separated runs, each "gap" or "gap+length" in base 36,
 * the gap counted from the end of the previous run. Villages of one county have consecutive
 * ids, so a place's list is a few runs; gzip takes care of the rest.
 */
export function encodeIds(ids: readonly number[]): string {
  const parts: string[] = [];
  let prev = -1;
  for (let i = 0; i < ids.length; ) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    const gap = ids[i]! - prev - 1;
    parts.push(j > i ? `${gap.toString(36)}+${(j - i).toString(36)}` : gap.toString(36));
    prev = ids[j]!;
    i = j + 1;
  }
  return parts.join(',');
}

export function decodeIds(text: string): number[] {
  const ids: number[] = [];
  if (!text) return ids;
  let prev = -1;
  for (const part of text.split(',')) {
    const plus = part.indexOf('+');
    const start = prev + 1 + parseInt(plus < 0 ? part : part.slice(0, plus), 36);
    const extra = plus < 0 ? 0 : parseInt(part.slice(plus + 1), 36);
    for (let id = start; id <= start + extra; id++) ids.push(id);
    prev = start + extra;
  }
  return ids;
}

/** Sorted union and intersection of sorted id lists. */
function union(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else if (i >= a.length || b[j]! < a[i]!) out.push(b[j++]!);
    else {
      out.push(a[i++]!);
      j++;
    }
  }
  return out;
}

function intersect(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i]! < b[j]!) i++;
    else if (b[j]! < a[i]!) j++;
    else {
      out.push(a[i++]!);
      j++;
    }
  }
  return out;
}

/** What the index needs to answer one query: the whole query as a key, and each term's lookups. */
export interface QueryPlan {
  /** the whole query as a whole name or code ('' when empty) */
  key: string;
  /** codes are looked up as keys; other terms by their bigrams */
  terms: Array<{ term: string; code: boolean; bigrams: string[] }>;
  /** terms of one character: the index cannot look them up */
  skipped: string[];
}

export function planQuery(query: string): QueryPlan {
  const plan: QueryPlan = { key: exactKey(query), terms: [], skipped: [] };
  for (const term of queryTerms(query)) {
    if (looksLikeCode(term)) plan.terms.push({ term, code: true, bigrams: [] });
    else {
      const grams = bigrams(term);
      if (grams.length) plan.terms.push({ term, code: false, bigrams: grams });
      else plan.skipped.push(term);
    }
  }
  return plan;
}

/** The keys a plan looks up: the whole query, and each code. */
function planKeys(plan: QueryPlan): string[] {
  return [...new Set([plan.key, ...plan.terms.filter((t) => t.code).map((t) => t.term)].filter(Boolean))];
}

/** The lists the index holds for one bigram: ids whose name has it, ids whose place has it. */
export interface BigramLists {
  name: number[];
  place: number[];
}

export interface Matches {
  /** records named exactly as the query (or with its code) */
  exact: number[];
  /** other records whose name matches every term */
  byName: number[];
  /** records that match by place only */
  byPlace: number[];
}

/**
 * The ids matching a plan, in three groups, each in id order. `lookup` gives a bigram's
 * lists and a key's ids. A record matches a term when it has all the term's bigrams (in its
 * name or its place) or, for a code, when it has that code; it matches the query when it
 * matches every term. With no term the index can answer, only the whole-name key counts.
 */
export function matchPlan(plan: QueryPlan, lookup: { bigram(b: string): BigramLists; key(k: string): number[] }): Matches {
  const exact = plan.key ? lookup.key(plan.key) : [];
  if (plan.terms.length === 0) return { exact, byName: [], byPlace: [] };
  let all: number[] | null = null;
  let named: number[] = [];
  for (const t of plan.terms) {
    let any: number[];
    let inName: number[];
    if (t.code) any = inName = lookup.key(t.term);
    else {
      let nameIds: number[] | null = null;
      let anyIds: number[] | null = null;
      for (const b of t.bigrams) {
        const l = lookup.bigram(b);
        nameIds = nameIds === null ? l.name : intersect(nameIds, l.name);
        const either = union(l.name, l.place);
        anyIds = anyIds === null ? either : intersect(anyIds, either);
      }
      any = anyIds ?? [];
      inName = nameIds ?? [];
    }
    all = all === null ? any : intersect(all, any);
    named = union(named, inName);
  }
  const matched = union(all ?? [], exact);
  const exactSet = new Set(exact);
  const byName = intersect(matched, named).filter((id) => !exactSet.has(id));
  const nameSet = new Set(byName);
  return { exact, byName, byPlace: matched.filter((id) => !exactSet.has(id) && !nameSet.has(id)) };
}

/** The index's files by their path under NAME_INDEX_DIR, each fetched and parsed once (see indexReader). */
export interface IndexReader {
  text(file: string): Promise<string>;
  json<T>(file: string): Promise<T>;
}

/** A reader over `load` (the browser: fetch) that loads each file once and parses each JSON file once. */
export function indexReader(load: (file: string) => Promise<string>): IndexReader {
  const texts = new Map<string, Promise<string>>();
  const parsed = new Map<string, Promise<unknown>>();
  const text = (file: string) => {
    let p = texts.get(file);
    if (!p) texts.set(file, (p = load(file)));
    return p;
  };
  return {
    text,
    json<T>(file: string) {
      let p = parsed.get(file);
      if (!p) parsed.set(file, (p = text(file).then((t) => JSON.parse(t) as unknown)));
      return p as Promise<T>;
    },
  };
}

/** The kinds of record the name index holds, as the search page's 类型 filter names them. */
const NAME_KINDS: ReadonlyArray<string> = ['村', '单位', '县'];

/** Whether the search page's filters leave anything for the name index: 举措, 案例 and 通报 are Pagefind's. */
export function nameIndexAnswers(filters: Record<string, string>): boolean {
  const type = filters['类型'];
  return !filters['举措'] && (!type || NAME_KINDS.includes(type));
}

export interface NameMatches extends Matches {
  meta: NameIndexMeta;
}

/**
 * Answer a query from the index: fetch meta.json, the query's key and bigram shards (and any
 * long list kept apart), match, then apply the search page's filters (类型, 省, 举措).
 */
export async function searchNames(query: string, filters: Record<string, string>, read: IndexReader): Promise<NameMatches> {
  const meta = await read.json<NameIndexMeta>('meta.json');
  const inDir = (file: string) => `${meta.dir}/${file}`;
  const ids = async (encoded: string) => decodeIds(encoded.startsWith('@') ? await read.text(inDir(encoded.slice(1))) : encoded);
  if (!nameIndexAnswers(filters)) return { meta, exact: [], byName: [], byPlace: [] };
  // place names as people type them (短称, 县+村 in one word): see place-query.ts
  const places = understandPlaces(queryTerms(query), looksLikeCode);
  const plan: QueryPlan = { ...planQuery(places.terms.join(' ')), key: exactKey(query) };
  const grams = new Map<string, BigramLists>();
  const keys = new Map<string, number[]>();
  await Promise.all([
    ...planKeys(plan).map(async (k) => {
      keys.set(k, (await read.json<KeyShard>(inDir(`k/${shardOf(k, meta.keyShards)}.json`)))[k] ?? []);
    }),
    ...plan.terms.flatMap((t) =>
      t.bigrams.map(async (b) => {
        const entry = (await read.json<BigramShard>(inDir(`g/${shardOf(b, meta.shards)}.json`)))[b];
        grams.set(b, entry ? { name: await ids(entry[0]), place: await ids(entry[1]) } : { name: [], place: [] });
      }),
    ),
  ]);
  const found = matchPlan(plan, { bigram: (b) => grams.get(b)!, key: (k) => keys.get(k) ?? [] });
  let groups = [found.exact, found.byName, found.byPlace];
  const type = filters['类型'];
  if (type) groups = groups.map((g) => g.filter((id) => kindOf(meta, id) === type));
  const province = filters['省'];
  if (province) {
    const file = meta.provinces[province];
    const inProvince = file ? decodeIds(await read.text(inDir(file))) : [];
    groups = groups.map((g) => intersect(g, inProvince));
  }
  const [exact, byName, byPlace] = groups as [number[], number[], number[]];
  return { meta, exact, byName: rankByKind(byName, (id) => kindOf(meta, id), places.county), byPlace };
}

/** One record: link, title and line of context. */
export async function readRecord(meta: NameIndexMeta, id: number, read: IndexReader): Promise<NameRecord> {
  const chunk = await read.json<NameRecord[]>(`${meta.dir}/r/${Math.floor(id / meta.chunk)}.json`);
  const record = chunk[id % meta.chunk];
  if (!record) throw new Error(`名称索引缺少第 ${id} 条记录`);
  return record;
}
