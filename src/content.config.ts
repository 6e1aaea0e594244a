/**
 * Typed collections of the site. The data collections are fed by one loader over the
 * ingest core (the same code `npm run data:check` runs); an invalid DATA_DIR fails the
 * build with the full Chinese report.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { defineCollection, reference } from 'astro:content';
import { glob, type Loader, type LoaderContext } from 'astro/loaders';
import { z } from 'astro/zod';
import { defaultDataDir, ingestDataDir } from './lib/ingest-fs.ts';
import type { IngestResult } from './lib/ingest.ts';
import { textReport } from './lib/report.ts';
import { pairingSchema, progressSchema, unitSchema, villageSchema, type ProgressRecord } from './lib/schemas.ts';
import { MEASURES, REPORTED_METRIC_IDS } from './lib/columns.ts';
import { checkBulletinText, checkStory, storyReport, type StoryIssue } from './lib/stories.ts';
import { monthPublishedOn } from './lib/revisions.ts';

let ingested: IngestResult | null = null;

/** Ingest DATA_DIR once per build, however many collections ask. */
function dataset(): IngestResult {
  if (!ingested) {
    const result = ingestDataDir(defaultDataDir());
    if (!result.ok) {
      throw new Error(`数据校验未通过（DATA_DIR=${defaultDataDir()}），网站未构建：\n\n${textReport(result, { maxIssues: 200 })}`);
    }
    ingested = result;
  }
  return ingested;
}

function dataLoader(name: string, entries: (d: IngestResult) => Array<{ id: string; data: Record<string, unknown> }>): Loader {
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

const villages = defineCollection({
  loader: dataLoader('villages', (d) => d.villages.map((v) => ({ id: v.code, data: v }))),
  schema: villageSchema,
});

const units = defineCollection({
  loader: dataLoader('units', (d) => d.units.map((u) => ({ id: u.code, data: u }))),
  schema: unitSchema,
});

const pairings = defineCollection({
  loader: dataLoader('pairings', (d) => d.pairings.map((p) => ({ id: p.id, data: { ...p, village: p.villageCode, unit: p.unitCode } }))),
  schema: pairingSchema.extend({ village: reference('villages'), unit: reference('units') }),
});

/**
 * Monthly progress, one entry per pairing holding its records month by month: eight times
 * fewer store entries than one per record, which is what lets large datasets fit in memory.
 */
const progress = defineCollection({
  loader: dataLoader('progress', (d) => {
    const byPairing = new Map<string, ProgressRecord[]>();
    for (const r of d.progress) {
      const list = byPairing.get(r.pairingId);
      if (list) list.push(r);
      else byPairing.set(r.pairingId, [r]);
    }
    return [...byPairing].map(([id, records]) => ({ id, data: { pairing: id, village: records[0]!.villageCode, unit: records[0]!.unitCode, records } }));
  }),
  schema: z.object({ pairing: reference('pairings'), village: reference('villages'), unit: reference('units'), records: z.array(progressSchema) }),
});

/** One entry, `current`: what the data is (synthetic or not), its months and sources. */
const datasets = defineCollection({
  loader: dataLoader('datasets', (d) => [
    {
      id: 'current',
      data: {
        synthetic: d.dataset.synthetic,
        note: d.dataset.note ?? null,
        months: d.months,
        files: d.files.map((f) => ({ file: f.file, kind: f.kind, month: f.month, accepted: f.rows.accepted })),
        warnings: d.issues.filter((i) => i.severity === 'warning').length,
        publishedOn: Object.fromEntries(d.months.map((m) => [m, d.manifest ? monthPublishedOn(d.manifest, m) : null])),
        revisions: d.revisions,
      },
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
        files: z.array(z.object({ file: z.string(), previous: z.string().nullable() })),
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
function checkedMdx(name: string, dir: string, check: (file: string, source: string, d: IngestResult) => StoryIssue[]): Loader {
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

const registryOf = (d: IngestResult) => ({ villages: new Set(d.villages.map((v) => v.code)), units: new Set(d.units.map((u) => u.code)) });
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
        villages: z.array(reference('villages')).min(1),
        units: z.array(reference('units')).default([]),
        measures: z.array(z.string().transform((m) => measureByName.get(m) ?? m).pipe(z.enum(measureIds))).min(1),
        cover: z.object({ src: image(), alt: z.string().min(4) }).optional(),
        author: z.string(),
        editor: z.string().optional(),
        source: z.string(),
        synthetic: z.boolean().default(false),
      })
      .strict(),
});

export const collections = { villages, units, pairings, progress, datasets, stories, bulletins };
