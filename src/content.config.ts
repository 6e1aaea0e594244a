/**
 * Typed collections of the site. The dataset entry is fed by a loader over the ingest core
 * (the same code `npm run data:check` runs); an invalid DATA_DIR fails the build with the
 * full Chinese report.
 *
 * The registry and the monthly progress themselves are not collections: at national scale
 * (128,000 villages, 1.2 M progress records) Astro's data store runs out of memory
 * (docs/decisions/0002-read-model-outside-content-store.md). Pages read them from the same ingest through
 * src/site-data.ts, typed by the Zod schemas in src/lib/ingest/records.ts.
 */
import path from 'node:path';
import { defineCollection } from 'astro:content';
import { glob, type Loader, type LoaderContext } from 'astro/loaders';
import { z } from 'astro/zod';
import { defaultDataDir } from './lib/ingest/ingest-fs.ts';
import { defaultIngestCacheDir, ingestSummaryCached, type IngestSummary } from './lib/ingest/ingest-cache.ts';
import { readHandoff } from './build/handoff.ts';
import { REPORTED_METRIC_IDS } from './lib/metric-catalogue.ts';
import { checkEditorFile, checkEditorFolder } from './lib/content/editor-content.ts';
import { bulletinSchema, storyReport, storySchema } from './lib/content/stories.ts';

let summary: IngestSummary | null = null;

/** DATA_DIR's ingest, summarised (no records), once per build however many collections ask. */
function dataset(): IngestSummary {
  if (!summary) {
    // inside npm run build: the snapshot its data check wrote or found (src/build/handoff.ts)
    const s = ingestSummaryCached(defaultDataDir(), defaultIngestCacheDir(), readHandoff()?.snapshot);
    if (!s.ok) throw new Error(`数据校验未通过（DATA_DIR=${defaultDataDir()}），网站未构建：\n\n${s.report}`);
    summary = s;
  }
  return summary;
}

function dataLoader(name: string, entries: (d: IngestSummary) => Array<{ id: string; data: Record<string, unknown> }>): Loader {
  return {
    name: `gpdzc-${name}`,
    load: async ({ store, parseData, generateDigest, logger }: LoaderContext) => {
      const d = dataset();
      store.clear();
      const list = entries(d);
      for (const { id, data } of list) {
        const parsed = await parseData({ id, data });
        store.set({ id, data: parsed, digest: generateDigest(data) });
      }
      logger.info(`${name}: ${list.length} 条`);
    },
  };
}

/** One entry, `current`: what the data is (synthetic or not), its months and sources. */
const datasets = defineCollection({
  loader: dataLoader('datasets', (d) => [
    {
      id: 'current',
      data: { synthetic: d.synthetic, note: d.note, months: d.months, files: d.files, warnings: d.warnings, publishedOn: d.publishedOn, revisions: d.revisions },
    },
  ]),
  schema: z.object({
    synthetic: z.boolean(),
    note: z.string().nullable(),
    months: z.array(z.string()),
    files: z.array(z.object({ file: z.string(), kind: z.string(), month: z.string().nullable(), accepted: z.number().int() })),
    warnings: z.number().int(),
    /** month → publish date from data/manifest.json (null: not filed with data:import) */
    publishedOn: z.record(z.string(), z.string().nullable()),
    /** revisions of published months, with the figures they changed (derived from the archived files) */
    revisions: z.array(
      z.object({
        id: z.string(),
        month: z.string(),
        date: z.string(),
        note: z.string().optional(),
        withdrawal: z.boolean().optional(),
        files: z.array(z.object({ file: z.string(), previous: z.string().nullable(), removed: z.boolean().optional() })),
        changes: z.array(
          z.object({
            pairingId: z.string(),
            villageCode: z.string(),
            unitCode: z.string(),
            kind: z.enum(['changed', 'added', 'removed']),
            metric: z.enum(REPORTED_METRIC_IDS).nullable(),
            old: z.union([z.number(), z.boolean()]).nullable(),
            new: z.union([z.number(), z.boolean()]).nullable(),
          }),
        ),
      }),
    ),
  }),
});

/**
 * Editors' MDX (stories, bulletin texts) is checked — file, front matter, registry codes,
 * images, safe MDX on the compiler's own tree — before Astro's glob loader stores it, so an
 * unsafe file never reaches the MDX compiler (whose own guard, src/lib/content/story-mdx.ts, refuses
 * it again). In a build every problem of every file is reported at once and the build stops.
 * In `astro dev` every save is checked again (the glob loader calls parseData for each
 * changed file); a failing file becomes an entry that only carries its Chinese report, which
 * its page shows — the server never stops and never serves a stale or unchecked version.
 */
function checkedMdx(kind: 'stories' | 'bulletins', dir: string): Loader {
  const inner = glob({ pattern: '*.mdx', base: dir });
  return {
    name: `gpdzc-${kind}`,
    load: async (context: LoaderContext) => {
      const d = dataset();
      const registry = registryOf(d);
      const dev = context.watcher !== undefined;
      const issues = checkEditorFolder(kind, dir, registry, d.months);
      if (issues.length > 0) {
        if (!dev) throw new Error(storyReport(issues));
        context.logger.error(storyReport(issues, 'dev'));
      }
      // A build has just checked every file above; `astro dev` checks each file again on every save.
      if (!dev) return inner.load(context);
      const parseData = (async (props: Parameters<LoaderContext['parseData']>[0]) => {
        const found = props.filePath ? checkEditorFile(kind, path.resolve(props.filePath), registry, d.months) : [];
        if (found.length === 0) return context.parseData(props);
        context.logger.error(storyReport(found, 'dev'));
        const data = { checkFailed: true, report: storyReport(found, 'dev'), issues: found.map((i) => ({ line: i.line, field: i.field, code: i.code, message: i.message })) };
        return context.parseData({ ...props, data });
      }) as LoaderContext['parseData'];
      await inner.load({ ...context, parseData });
    },
  };
}

/** In `astro dev`, what a document that failed the check is stored as (its page shows the report). */
const checkFailed = z.object({
  checkFailed: z.literal(true),
  report: z.string(),
  issues: z.array(z.object({ line: z.number().nullable(), field: z.string().nullable(), code: z.string(), message: z.string() })),
});

const registryOf = (d: IngestSummary) => ({ villages: new Set(d.villageCodes), units: new Set(d.unitCodes) });
const STORIES_DIR = path.resolve(process.env.STORIES_DIR || 'content/stories');
const BULLETINS_DIR = path.resolve(process.env.BULLETINS_DIR || 'content/bulletins');

const bulletins = defineCollection({
  loader: checkedMdx('bulletins', BULLETINS_DIR),
  schema: z.union([bulletinSchema(), checkFailed]),
});

const stories = defineCollection({
  loader: checkedMdx('stories', STORIES_DIR),
  // The same schema the check applies, with the content layer's image() for the cover.
  schema: ({ image }) => z.union([storySchema(image), checkFailed]),
});

export const collections = { datasets, stories, bulletins };
