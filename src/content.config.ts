/**
 * Typed collections of the site. The dataset entry is fed by a loader over the ingest core
 * (the same code `npm run data:check` runs); an invalid DATA_DIR fails the build with the
 * full Chinese report.
 *
 * The registry and the monthly progress themselves are not collections: at national scale
 * (128,000 villages, 1.2 M progress records) Astro's data store took minutes to persist and
 * ran out of memory (BENCHMARKS.md). Pages read them from the same ingest through
 * src/site-data.ts, typed by the Zod schemas in src/lib/schemas.ts.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { defineCollection } from 'astro:content';
import { glob, type Loader, type LoaderContext } from 'astro/loaders';
import { z } from 'astro/zod';
import { defaultDataDir } from './lib/ingest-fs.ts';
import { ingestSummaryCached, type IngestSummary } from './lib/ingest-cache.ts';
import { MEASURES, REPORTED_METRIC_IDS } from './lib/columns.ts';
import { checkBulletinText, checkStory, storyReport, type StoryIssue } from './lib/stories.ts';

let summary: IngestSummary | null = null;

/** DATA_DIR's ingest, summarised (no records), once per build however many collections ask. */
function dataset(): IngestSummary {
  if (!summary) {
    const s = ingestSummaryCached(defaultDataDir());
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
 * Editors' MDX (stories, bulletin texts) is checked — front matter, registry codes, safe
 * MDX — before Astro's glob loader reads it, so an unsafe file never reaches the MDX
 * compiler. Every problem of every file is reported at once. Tests point the folders elsewhere.
 */
function checkedMdx(name: string, dir: string, check: (file: string, source: string, d: IngestSummary) => StoryIssue[]): Loader {
  const inner = glob({ pattern: '**/*.mdx', base: dir });
  return {
    name: `gpdzc-${name}`,
    load: async (context: LoaderContext) => {
      const d = dataset();
      const files = existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mdx') || f.endsWith('.md')).sort() : [];
      const issues = files.flatMap((f): StoryIssue[] => {
        const display = path.relative(process.cwd(), path.join(dir, f)).split(path.sep).join('/');
        if (f.endsWith('.md')) return [{ file: display, field: null, line: null, code: 'MDX_SYNTAX', message: '文件应以 .mdx 结尾' }];
        return check(display, readFileSync(path.join(dir, f), 'utf8'), d);
      });
      if (issues.length > 0) throw new Error(storyReport(issues));
      await inner.load(context);
    },
  };
}

const registryOf = (d: IngestSummary) => ({ villages: new Set(d.villageCodes), units: new Set(d.unitCodes) });
const STORIES_DIR = path.resolve(process.env.STORIES_DIR || 'content/stories');
const BULLETINS_DIR = path.resolve(process.env.BULLETINS_DIR || 'content/bulletins');

const bulletins = defineCollection({
  loader: checkedMdx('bulletins', BULLETINS_DIR, (file, source, d) => checkBulletinText(file, source, registryOf(d), d.months).issues),
  schema: z
    .object({
      title: z.string(),
      summary: z.string(),
      // YAML reads an unquoted 2020-08-06 as a date
      date: z
        .union([z.string(), z.date()])
        .transform((d) => (typeof d === 'string' ? d : d.toISOString().slice(0, 10)))
        .optional(),
      author: z.string().optional(),
    })
    .strict(),
});

const measureIds = MEASURES.map((m) => m.id) as [string, ...string[]];
const measureByName = new Map(MEASURES.flatMap((m) => [[m.id, m.id], [m.name, m.id]]));

const stories = defineCollection({
  loader: checkedMdx('stories', STORIES_DIR, (file, source, d) => checkStory(file, source, { ...registryOf(d), imageExists: (rel) => existsSync(path.resolve(STORIES_DIR, rel)) }).issues),
  schema: ({ image }) =>
    z
      .object({
        title: z.string(),
        date: z.coerce.date(),
        summary: z.string(),
        // Codes; checkStory has already matched each against the registry.
        villages: z.array(z.string()).min(1),
        units: z.array(z.string()).default([]),
        measures: z.array(z.string().transform((m) => measureByName.get(m) ?? m).pipe(z.enum(measureIds))).min(1),
        cover: z.object({ src: image(), alt: z.string().min(4) }).optional(),
        author: z.string(),
        editor: z.string().optional(),
        source: z.string(),
        synthetic: z.boolean().default(false),
      })
      .strict(),
});

export const collections = { datasets, stories, bulletins };
