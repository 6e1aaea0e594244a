/**
 * One ingest per distinct input. A build reads DATA_DIR in up to three places (the content
 * loader, the page renderer, the post-build writers of downloads and the search index); at
 * national scale one ingest takes close to a minute and 2 GB. The first reader stores the
 * result as a V8 snapshot keyed by a digest of every input byte; the others, and the next
 * build of the same data, read the snapshot instead. A failed ingest is never stored as a
 * snapshot; each export's own reading is kept either way (ExportCache below), so a check run
 * again after one county's file is mended reads only that file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { collectInput, defaultDataDir } from './ingest-fs.ts';
import { ingest, type ExportReader, type IngestInput, type IngestResult } from './ingest.ts';
import { readExport, type ExportReadResult } from './progress-reader/index.ts';
import type { ProgressRecord } from './records.ts';
import { textReport } from './report.ts';
import { monthPublishedOn } from './revisions.ts';

/** Bump when IngestResult's shape or the ingest rules change, so old snapshots are not reused. */
const SNAPSHOT_VERSION = 4;

/** Where snapshots live: next to Astro's own cache (ASTRO_CACHE_DIR, default node_modules/.astro). */
export function defaultIngestCacheDir(): string {
  return path.resolve(process.env.ASTRO_CACHE_DIR || 'node_modules/.astro', 'gpdzc-ingest');
}

/** sha256 over every byte the ingest reads, and where it came from. */
function inputDigest(input: IngestInput): string {
  const h = createHash('sha256');
  h.update(`v${SNAPSHOT_VERSION}\0`);
  h.update(JSON.stringify({ manifest: input.manifest ?? null, complete: input.complete ?? false, dataset: input.dataset ?? null, listingIssues: input.listingIssues ?? [] }));
  for (const f of [input.villages, input.units, input.pairings, ...input.exports]) {
    if (!f) {
      h.update('\0missing\0');
      continue;
    }
    h.update(`\0${f.path}\0${'month' in f ? f.month : ''}\0${f.bytes.byteLength}\0`);
    h.update(f.bytes);
  }
  for (const [name, bytes] of [...(input.archived ?? new Map<string, Uint8Array>())].sort(([a], [b]) => a.localeCompare(b, 'en'))) {
    h.update(`\0archived\0${name}\0${bytes.byteLength}\0`);
    h.update(bytes);
  }
  return h.digest('hex');
}

export interface CachedIngest {
  result: IngestResult;
  /** the input digest: equal digests, equal results */
  digest: string;
  /** true when the result came from a snapshot rather than a fresh ingest */
  fromSnapshot: boolean;
  /** the snapshot file holding this result (null: the ingest failed and was not stored) */
  snapshot: string | null;
}

/**
 * The snapshot the build's data check wrote or found for DATA_DIR (scripts/build.ts hands it
 * to the later steps: the content loader, the pages, the downloads), read as it is instead of
 * listing, reading and hashing every input file again — every input byte is read and hashed
 * once per build. Only the snapshot of this data folder, in this cache, and only while it exists.
 */
function handedSnapshot(file: string | null | undefined, dataDir: string, cacheDir: string): { file: string; digest: string } | null {
  if (!file) return null;
  const prefix = snapshotPrefix(dataDir);
  const name = path.basename(file);
  if (path.dirname(path.resolve(file)) !== path.resolve(cacheDir) || !name.startsWith(prefix) || !name.endsWith('.v8') || !existsSync(file)) return null;
  return { file: path.resolve(file), digest: name.slice(prefix.length, -'.v8'.length) };
}

/** Ingest DATA_DIR, or read the snapshot of an earlier ingest of exactly the same bytes (`snapshot`: the one the build's data check handed on, see handedSnapshot). */
export function ingestDataDirCached(dataDir: string = defaultDataDir(), cacheDir: string = defaultIngestCacheDir(), snapshot?: string | null): CachedIngest {
  const handed = handedSnapshot(snapshot, dataDir, cacheDir);
  if (handed) {
    try {
      return { result: readSnapshot(handed.file), digest: handed.digest, fromSnapshot: true, snapshot: handed.file };
    } catch {
      // unreadable: the usual way below
    }
  }
  const { input } = collectInput(dataDir);
  return cachedIngest(input, inputDigest(input), dataDir, cacheDir);
}

function cachedIngest(input: IngestInput, digest: string, dataDir: string, cacheDir: string): CachedIngest {
  const file = snapshotFile(dataDir, cacheDir, digest);
  if (existsSync(file)) {
    try {
      return { result: readSnapshot(file), digest, fromSnapshot: true, snapshot: file };
    } catch {
      // A truncated or foreign snapshot: ingest again and overwrite it.
    }
  }
  const exports = ExportCache.open(path.join(cacheDir, 'exports', snapshotPrefix(dataDir).slice(0, -1)), input);
  const result = ingest(input, exports?.read ?? readExport);
  exports?.keepOnlyUsed();
  if (result.ok) {
    // One snapshot per data folder: a new month replaces the old snapshot instead of piling up.
    const prefix = snapshotPrefix(dataDir);
    mkdirSync(cacheDir, { recursive: true });
    for (const old of readdirSync(cacheDir)) if (old.startsWith(prefix)) rmSync(path.join(cacheDir, old), { force: true });
    writeAtomically(file, serialize(result));
    writeAtomically(summaryFile(file), JSON.stringify(summarise(result)));
  }
  return { result, digest, fromSnapshot: false, snapshot: result.ok ? file : null };
}

/**
 * Each export's reading, kept from one ingest to the next. Adding a month changes one month's
 * files; the other months' files (nationally 7 of 8, and reading exports is most of the
 * check; docs/decisions/0016-export-readings-kept.md) are then read back as readExport returned them instead of being decoded,
 * parsed and checked row by row again. The checks across files and months still run on every
 * ingest, on all the records. An entry is keyed by all that readExport's result depends on: the
 * file's path, month and bytes, the registry files (every village and unit a row names) and
 * the ingest code itself, so that a changed rule cannot hide behind an earlier result; an entry
 * that cannot be read back is read afresh. Entries this ingest did not use are deleted after it.
 */
class ExportCache {
  private readonly used = new Set<string>();
  private readonly dir: string;
  /** the snapshot version, the ingest code and the registry files */
  private readonly registryAndCode: string;

  private constructor(dir: string, registryAndCode: string) {
    this.dir = dir;
    this.registryAndCode = registryAndCode;
  }

  /** null when the ingest code cannot be found to key by (inside a bundle): then exports are read as usual. */
  static open(dir: string, input: IngestInput): ExportCache | null {
    const code = ingestCodeDigest();
    if (code === null) return null;
    const h = createHash('sha256');
    h.update(`v${SNAPSHOT_VERSION}\0${code}\0`);
    for (const f of [input.villages, input.units, input.pairings]) {
      h.update(f ? `\0${f.path}\0${f.bytes.byteLength}\0` : '\0missing\0');
      if (f) h.update(f.bytes);
    }
    return new ExportCache(dir, h.digest('hex'));
  }

  readonly read: ExportReader = (options) => {
    const key = createHash('sha256').update(`${this.registryAndCode}\0${options.file}\0${options.month ?? ''}\0`).update(options.bytes).digest('hex');
    this.used.add(key);
    const file = path.join(this.dir, `${key}.v8`);
    try {
      return deserialize(readFileSync(file)) as ExportReadResult;
    } catch {
      // not kept yet, or unreadable: read the file below
    }
    const result = readExport(options);
    // kept before the checks across files adjust its counts (ingest.ts crossCheck)
    writeAtomically(file, serialize(result));
    return result;
  };

  /** Entries only (another process's file being written is left alone). */
  keepOnlyUsed(): void {
    for (const name of existsSync(this.dir) ? readdirSync(this.dir) : []) {
      if (name.endsWith('.v8') && !this.used.has(name.slice(0, -'.v8'.length))) rmSync(path.join(this.dir, name), { force: true });
    }
  }
}

/**
 * A digest of the ingest's own code (every .ts file of src/lib, where it is read from source),
 * or null inside a bundle, where those files are not beside it.
 */
function ingestCodeDigest(): string | null {
  // undefined where a module runner does not set it
  const here = import.meta.dirname as string | undefined;
  if (!here || !existsSync(path.join(here, 'ingest-cache.ts'))) return null;
  const lib = path.resolve(here, '..');
  const h = createHash('sha256');
  const files = readdirSync(lib, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && statSync(path.join(lib, f)).isFile())
    .sort();
  for (const f of files) h.update(`\0${f}\0`).update(readFileSync(path.join(lib, f)));
  return h.digest('hex');
}

/**
 * A snapshot read back. V8's deserializer gives every record its own copy of each string, so
 * the strings records repeat (month, codes, pairing id, source file) are made one string
 * each again, and a record without decreases shares one frozen empty list: about a quarter
 * of each record (250 of ~1,000 bytes on the programme's data), nationally about 300 MB in
 * each process that holds the records (the pages and the downloads, side by side).
 */
function readSnapshot(file: string): IngestResult {
  const result = deserialize(readFileSync(file)) as IngestResult;
  const strings = new Map<string, string>();
  const one = (s: string) => {
    const kept = strings.get(s);
    if (kept !== undefined) return kept;
    strings.set(s, s);
    return s;
  };
  for (const r of result.progress) {
    r.month = one(r.month);
    r.pairingId = one(r.pairingId);
    r.villageCode = one(r.villageCode);
    r.unitCode = one(r.unitCode);
    r.source.file = one(r.source.file);
    if (r.decreases.length === 0) r.decreases = NO_DECREASES;
  }
  return result;
}

const NO_DECREASES = Object.freeze([]) as unknown as ProgressRecord['decreases'];

const snapshotPrefix = (dataDir: string) => `ingest-${createHash('sha1').update(path.resolve(dataDir)).digest('hex').slice(0, 12)}-`;
const snapshotFile = (dataDir: string, cacheDir: string, digest: string) => path.join(cacheDir, `${snapshotPrefix(dataDir)}${digest}.v8`);

const summaryFile = (snapshot: string) => snapshot.replace(/\.v8$/, '.summary.json');

function writeAtomically(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/**
 * What the content loader needs of an ingest — no records, so Astro's process does not carry
 * the whole dataset through its content sync: the dataset entry, the registry codes stories
 * are checked against, and the report when the data is invalid.
 */
export interface IngestSummary {
  ok: boolean;
  /** the Chinese report (first 200 issues) when the data is invalid */
  report: string | null;
  synthetic: boolean;
  note: string | null;
  months: string[];
  files: Array<{ file: string; kind: string; month: string | null; accepted: number }>;
  warnings: number;
  /** month → publish date from data/manifest.json (null: not filed with data:import) */
  publishedOn: Record<string, string | null>;
  revisions: IngestResult['revisions'];
  villageCodes: string[];
  unitCodes: string[];
}

function summarise(result: IngestResult): IngestSummary {
  return {
    ok: result.ok,
    report: result.ok ? null : textReport(result, { maxIssues: 200 }),
    synthetic: result.dataset.synthetic,
    note: result.dataset.note ?? null,
    months: result.months,
    files: result.files.map((f) => ({ file: f.file, kind: f.kind, month: f.month, accepted: f.rows.accepted })),
    warnings: result.issues.filter((i) => i.severity === 'warning').length,
    publishedOn: Object.fromEntries(result.months.map((m) => [m, result.manifest ? monthPublishedOn(result.manifest, m) : null])),
    revisions: result.revisions,
    villageCodes: result.villages.map((v) => v.code),
    unitCodes: result.units.map((u) => u.code),
  };
}

/** The summary of DATA_DIR's ingest: from its JSON next to the snapshot, else from an ingest (which writes both). */
export function ingestSummaryCached(dataDir: string = defaultDataDir(), cacheDir: string = defaultIngestCacheDir(), snapshot?: string | null): IngestSummary {
  const handed = handedSnapshot(snapshot, dataDir, cacheDir);
  if (handed) {
    try {
      return JSON.parse(readFileSync(summaryFile(handed.file), 'utf8')) as IngestSummary;
    } catch {
      // unreadable: the usual way below
    }
  }
  const { input } = collectInput(dataDir);
  const digest = inputDigest(input);
  const file = summaryFile(snapshotFile(dataDir, cacheDir, digest));
  if (existsSync(file)) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as IngestSummary;
    } catch {
      // unreadable: ingest again below
    }
  }
  return summarise(cachedIngest(input, digest, dataDir, cacheDir).result);
}
