/**
 * The one thing the build's steps exchange: a typed manifest, written once by scripts/build.ts
 * after its first step (the data check, which also writes the site-wide /downloads/ files) and
 * before every step that reads it (astro build, the per-page downloads, the index and
 * checksums, the privacy gate). Each step process is given its path in one variable,
 * HANDOFF_ENV, and reads it through readHandoff(). No other variable and no file polled for
 * carries data from one step to another.
 *
 * The first step, which runs before the manifest exists, gets the same variable: it reports
 * its parts to the build (build-log.ts) through the events file beside the manifest
 * (stepEventsFile), and hands its results (the snapshot, the /downloads/ list) back in its
 * report, from which the build writes the manifest.
 *
 * A plain object: options of the build extend it with fields of their own (`shard`: a sharded
 * build's shard and its skipped-pages file).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseShardSpec, type ShardSpec } from '../lib/shard/shard-rule.ts';

/** Names the manifest file, in each step process scripts/build.ts starts. */
export const HANDOFF_ENV = 'GPDZC_BUILD_HANDOFF';

/** A file under /downloads/ as the data step wrote it (src/lib/publish/opendata/site-downloads.ts, DownloadFile). */
const downloadFile = z.strictObject({
  path: z.string(),
  file: z.string(),
  table: z.enum(['progress', 'villages', 'units', 'pairings']),
  month: z.string().nullable(),
  flavour: z.enum(['csv', 'excel', 'json']),
  contentType: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rows: z.number().int().nonnegative(),
});

export const buildHandoffSchema = z.strictObject({
  version: z.literal(1),
  /** the site folder, absolute (ASTRO_OUT_DIR or dist/) */
  outDir: z.string(),
  /** the ingest snapshot the data check wrote or found for DATA_DIR: the later steps read it instead of DATA_DIR (null: none was stored) */
  snapshot: z.string().nullable(),
  /** every file under /downloads/ but datapackage.json, written by the data step, in downloadFiles() order: /data/ and datapackage.json show them */
  siteDownloads: z.array(downloadFile),
  /** files where SHA256SUMS lines are left as files are made, read by the index step (checksums.ts) */
  sums: z.strictObject({
    /** the per-page downloads' lines (the downloads step, src/build/steps/site-extras.ts) */
    downloads: z.string(),
    /** the rendered pages' lines (astro build's middleware, src/build/page-sums.ts) */
    pages: z.string(),
  }),
  /** astro build leaves the site folder as it is and writes over the last build (src/build/patches/); the build prunes afterwards */
  keepOutDir: z.boolean(),
  /** pages astro build renders at once (build.concurrency) */
  concurrency: z.number().int().positive(),
  /** `npm run build -- --verbose`: Astro's logger hands on every page's line too */
  verbose: z.boolean(),
  /**
   * `npm run build -- --shard I/N | shared/N` (sharded builds, issue 34; docs/sharded-build.md),
   * null for an unsharded build and for the merge (`--merge`). Read through handoffShard().
   */
  shard: z
    .strictObject({
      /** `I/N` (slice I of N: its village and unit pages and their downloads) or `shared/N` (every other page) */
      spec: z.string().refine((s) => {
        try {
          parseShardSpec(s);
          return true;
        } catch {
          return false;
        }
      }, 'I/N 或 shared/N'),
      /** where astro build lists the pages it answered with a stub (another shard's, src/middleware.ts); the shard's last step deletes them (src/build/shard.ts) */
      skipped: z.string(),
    })
    .nullable(),
});

export type BuildHandoff = z.infer<typeof buildHandoffSchema>;

/** Where a step reports its parts (build-log.ts): one file beside the manifest for the whole build, each line naming its process. */
export function stepEventsFile(handoffFile: string): string {
  return `${handoffFile}.events`;
}

/** The manifest's file named to this process by the build, or null (not a step of scripts/build.ts). */
export function handoffFile(env: NodeJS.ProcessEnv = process.env): string | null {
  const file = env[HANDOFF_ENV];
  return file ? path.resolve(file) : null;
}

/** Written once, whole or not at all (aside, then renamed). */
export function writeHandoff(file: string, handoff: BuildHandoff): void {
  const checked = buildHandoffSchema.parse(handoff);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(checked, null, 2)}\n`);
  renameSync(tmp, file);
}

const read = new Map<string, BuildHandoff>();

/**
 * The manifest this process was given, or null outside scripts/build.ts (astro dev, check,
 * preview) and in the step that runs before it is written. A manifest that does not parse
 * stops the step.
 */
export function readHandoff(env: NodeJS.ProcessEnv = process.env): BuildHandoff | null {
  const file = handoffFile(env);
  if (!file || !existsSync(file)) return null;
  let handoff = read.get(file);
  if (!handoff) {
    const parsed = buildHandoffSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new Error(`构建步骤之间的交接清单不合格式（${file}）：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
    handoff = parsed.data;
    read.set(file, handoff);
  }
  return handoff;
}

/** The shard this build renders (`npm run build -- --shard …`), or null: unsharded, a merge, or outside scripts/build.ts. */
export function handoffShard(handoff: BuildHandoff | null = readHandoff()): ShardSpec | null {
  return handoff?.shard ? parseShardSpec(handoff.shard.spec) : null;
}
