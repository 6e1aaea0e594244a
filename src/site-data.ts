/**
 * The bridge from the data to the pages: the read model in src/lib (composed by
 * src/lib/model/compose.ts from the ingest's snapshot) once per build however many pages ask, plus Astro's
 * collections for the dataset entry, stories and bulletin texts.
 */
import { publishPersonalNames } from './lib/publish/opendata/tables.ts';
import { getCollection, getEntry, type CollectionEntry } from 'astro:content';
import { buildPublishedBulletin } from './lib/model/bulletin.ts';
import { defaultDataDir } from './lib/ingest/ingest-fs.ts';
import { reportedMonths } from './lib/model/aggregate.ts';
import { buildSiteModel, type ModelInput, type SiteModel } from './lib/model/read-model.ts';
import { entityKeyData, groupBy, pairingsKeyData, pairingsKeyDataUpTo, stableDigest } from './lib/publish/page-keys.ts';
import { untrackedImages } from './lib/publish/image-key.ts';
import { correctionsByEntity, pageUpdatedOn, type PageUpdated } from './lib/model/page-updated.ts';
import { recordsAsOf, type RevisionWithChanges } from './lib/ingest/revisions.ts';
import { SITE } from './lib/site-config.ts';
import type { PublishedSources as SourceFiles } from './lib/filing/sources-fs.ts';
import { composeReadModel, type ComposedReadModel } from './lib/model/compose.ts';
import { handoffShard, readHandoff } from './build/handoff.ts';
import type { EntityKind } from './lib/routes.ts';

let composed: Promise<ComposedReadModel> | null = null;

/**
 * The read model (src/lib/model/compose.ts), composed once per build however many pages ask:
 * inside npm run build from the snapshot its data check handed on (src/build/handoff.ts). A
 * slice of a sharded build composes only its own villages and units with their partners, and
 * the nation's months (src/lib/shard/shard-model.ts): the only pages it renders are theirs.
 */
function load(): Promise<ComposedReadModel> {
  // (the content loader has already failed the build with the full report when the data is invalid)
  composed ??= (async () => {
    const shard = handoffShard();
    // a slice's story cards name the stories' villages
    const slice = shard?.kind === 'slice' ? { index: shard.index, count: shard.count, namedVillages: (await getStories()).flatMap((s) => s.data.villages) } : undefined;
    return composeReadModel(defaultDataDir(), { snapshot: readHandoff()?.snapshot, ...(slice ? { slice } : {}) });
  })();
  return composed;
}

/** In a slice of a sharded build, whether a village or unit is the slice's own (its page is rendered here); null otherwise. */
export function getSliceOwner(): Promise<((kind: EntityKind, code: string) => boolean) | null> {
  return load().then((l) => l.inSlice ?? null);
}

/** The received exports as published under /sources/ (names, hashes, contents), planned once. */
export function getSources(): Promise<SourceFiles> {
  return load().then((l) => l.sources);
}

/** The ingest result with every record's source pointing at its published file. */
function getModelInput(): Promise<ModelInput> {
  return load().then((l) => l.input);
}

export function getSiteModel(): Promise<SiteModel> {
  return load().then((l) => l.model);
}

/** The read model of the data as published on a date (revisions after it undone), for bulletins published before a correction. */
async function siteModelsAsOf(): Promise<(date: string) => SiteModel> {
  const [data, revisions] = await Promise.all([getModelInput(), getCorrections()]);
  const cache = new Map<string, SiteModel>();
  return (date) => {
    const { undone, records } = recordsAsOf(data.progress, revisions, date);
    const key = undone.map((r) => r.id).join(',');
    let m = cache.get(key);
    if (!m) {
      m = buildSiteModel({ ...data, progress: records });
      cache.set(key, m);
    }
    return m;
  };
}

export async function getDatasetInfo() {
  const entry = await getEntry('datasets', 'current');
  if (!entry) throw new Error('数据集信息缺失（datasets/current）');
  return entry.data;
}

/** 驻村人员 names are personal data: published only when PUBLISH_PERSONAL_NAMES=1. */
export const PUBLISH_PERSONAL_NAMES = publishPersonalNames();

type StoryData = Exclude<CollectionEntry<'stories'>['data'], { checkFailed: true }>;
/** A story that passed the check, its date as a Date. */
export type StoryEntry = Omit<CollectionEntry<'stories'>, 'data'> & { data: Omit<StoryData, 'date'> & { date: Date } };
let stories: Promise<StoryEntry[]> | null = null;

/** All stories, newest first (then by id, so the order is stable). */
export function getStories(): Promise<StoryEntry[]> {
  // `astro dev` re-reads on every request: a story saved a moment ago must never be served stale.
  if (import.meta.env.DEV) stories = null;
  stories ??= getCollection('stories').then((list) =>
    list
      .flatMap((e): StoryEntry[] => ('checkFailed' in e.data ? [] : [{ ...e, data: { ...e.data, date: new Date(`${e.data.date}T00:00:00Z`) } }]))
      .sort((a, b) => b.data.date.getTime() - a.data.date.getTime() || a.id.localeCompare(b.id, 'en')),
  );
  return stories;
}

/** Editors' documents that failed the check (only in `astro dev`; a build stops instead), with their Chinese reports. */
export async function getFailedDocuments() {
  const [s, b] = await Promise.all([getCollection('stories'), getCollection('bulletins')]);
  return [...s, ...b].flatMap((e) => ('checkFailed' in e.data ? [{ collection: e.collection, id: e.id, file: e.filePath ?? e.id, report: e.data.report, issues: e.data.issues }] : []));
}

/** Bulletin texts that passed the check. */
async function getBulletinTexts() {
  return (await getCollection('bulletins')).flatMap((e) => ('checkFailed' in e.data ? [] : [{ ...e, data: e.data }]));
}

export const STORIES_PER_PAGE = 10;


/** Revisions of published months, oldest first. */
export async function getCorrections(): Promise<RevisionWithChanges[]> {
  return [...(await getDatasetInfo()).revisions].sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
}

async function loadBulletins() {
  const [model, dataset, corrections, texts, asOf] = await Promise.all([getSiteModel(), getDatasetInfo(), getCorrections(), getBulletinTexts(), siteModelsAsOf()]);
  const publishedOn = (m: string) => texts.find((t) => t.id === m)?.data.date ?? dataset.publishedOn[m] ?? null;
  return [...model.months].reverse().map((month) => ({ bulletin: buildPublishedBulletin(model, month, publishedOn, corrections, asOf), text: texts.find((t) => t.id === month) ?? null }));
}
let bulletins: ReturnType<typeof loadBulletins> | null = null;

/** Bulletins for every month, newest first, with their optional editorial text; built once per build. */
export function getBulletins(): ReturnType<typeof loadBulletins> {
  if (import.meta.env.DEV) bulletins = null;
  bulletins ??= loadBulletins();
  return bulletins;
}

// --- incremental builds: what each large page family shows, as one digest per page ------

type CorrectionsKey = 'villageCode' | 'unitCode' | 'countyCode';
const correctionsBy: Partial<Record<CorrectionsKey, Promise<Map<string, RevisionWithChanges[]>>>> = {};

/** Revisions touching one village, unit or county, oldest first, each with only its changes (grouped once per build). */
export async function getCorrectionsFor(field: CorrectionsKey, code: string): Promise<RevisionWithChanges[]> {
  correctionsBy[field] ??= Promise.all([getCorrections(), getSiteModel()]).then(([revisions, model]) =>
    correctionsByEntity(revisions, field === 'countyCode' ? (c) => model.villages.get(c.villageCode)?.village.countyCode ?? c.villageCode : (c) => c[field]),
  );
  return (await correctionsBy[field]).get(code) ?? [];
}

/**
 * The footer date of a page about one village, unit or county (the rule: `pageUpdatedOn`):
 * the publication dates of the months it shows and its own corrections, never the site-wide
 * date, so that a correction of another county neither changes the page nor its key.
 */
export async function entityUpdated(field: CorrectionsKey, code: string, shownMonths: readonly string[]): Promise<PageUpdated> {
  const [dataset, corrections] = await Promise.all([getDatasetInfo(), getCorrectionsFor(field, code)]);
  return pageUpdatedOn(dataset.publishedOn, shownMonths, corrections);
}

/** A county's 附件3 page for one month: that month's publication and the corrections of that month that touched the county. */
export async function countyMonthUpdated(code: string, month: string): Promise<PageUpdated> {
  const [dataset, corrections] = await Promise.all([getDatasetInfo(), getCorrectionsFor('countyCode', code)]);
  return pageUpdatedOn(dataset.publishedOn, [month], corrections.filter((r) => r.month === month));
}

/**
 * Settings and layout data every entity page shows (not the site-wide 「数据更新于」: each page has its own).
 * `site`: the footer's 主办/承办单位 and record numbers and the feedback contacts, read from the
 * environment at build time: setting SITE_ICP for going live renders every page again.
 */
async function keyBase() {
  const [dataset, model] = await Promise.all([getDatasetInfo(), getSiteModel()]);
  return { synthetic: dataset.synthetic, names: PUBLISH_PERSONAL_NAMES, months: model.months, latestMonth: model.latestMonth, site: SITE };
}

/** A story as a list shows it: its front matter and the places of its villages. */
function storyKeyData(s: StoryEntry, model: SiteModel): unknown {
  return [s.id, untrackedImages(s.data), s.data.villages.map((v) => model.villages.get(v)?.village ?? null)];
}

/** cacheKey of /villages/<code>/ and /units/<code>/, by code, for the codes `include` accepts (a shard's own). */
export async function entityPageKeys(kind: 'villages' | 'units', include: (code: string) => boolean = () => true): Promise<Map<string, string>> {
  const [model, base, stories, dataset] = await Promise.all([getSiteModel(), keyBase(), getStories(), getDatasetInfo()]);
  const field = kind === 'villages' ? 'villageCode' : 'unitCode';
  const storiesOf = groupBy(stories, (s) => (kind === 'villages' ? s.data.villages : s.data.units));
  const keys = new Map<string, string>();
  for (const [code, view] of model[kind]) {
    if (!include(code)) continue;
    const own = entityKeyData(model, view, await getCorrectionsFor(field, code), dataset.publishedOn);
    keys.set(code, stableDigest([base, ...own, (storiesOf.get(code) ?? []).map((s) => storyKeyData(s, model))]));
  }
  return keys;
}

/** cacheKey of /counties/<code>/, by code: the county, its villages, its pairings with all their records, and its own date. */
export async function countyPageKeys(): Promise<Map<string, string>> {
  const [model, base, dataset] = await Promise.all([getSiteModel(), keyBase(), getDatasetInfo()]);
  const keys = new Map<string, string>();
  for (const c of model.counties.values()) {
    // the footer's own date (as entityUpdated gives it)
    const updated = pageUpdatedOn(dataset.publishedOn, model.months, await getCorrectionsFor('countyCode', c.code));
    keys.set(c.code, stableDigest([base, c.code, c.name, c.province, c.prefecture, c.provinceCode, c.villages.map((v) => v.village), pairingsKeyData(c.pairings), updated]));
  }
  return keys;
}

/**
 * cacheKey of each county's 附件3 table for each month it reported, by `<code>/<month>`: the
 * county and its records up to that month.
 */
export async function countyMonthPageKeys(): Promise<Map<string, string>> {
  const [model, dataset] = await Promise.all([getSiteModel(), getDatasetInfo()]);
  const keys = new Map<string, string>();
  for (const c of model.counties.values()) {
    const upTo = pairingsKeyDataUpTo(c.pairings);
    for (const month of reportedMonths(c.byMonth, model.months)) {
      // the page links its previous and next reported months and says when its month was last published or corrected
      const around = countyMonthNeighbours(model, c.code, month);
      keys.set(`${c.code}/${month}`, stableDigest([dataset.synthetic, PUBLISH_PERSONAL_NAMES, SITE, month, c.code, c.name, c.province, c.prefecture, c.provinceCode, upTo(month), around, await countyMonthUpdated(c.code, month)]));
    }
  }
  return keys;
}

/** The county's reported months before and after `month` (for the 附件3 page's links). */
export function countyMonthNeighbours(model: SiteModel, code: string, month: string): { previous: string | null; next: string | null } {
  const c = model.counties.get(code)!;
  const reported = model.months.filter((m) => (c.byMonth.get(m)?.records ?? 0) > 0);
  const at = reported.indexOf(month);
  return { previous: at > 0 ? reported[at - 1]! : null, next: at >= 0 && at < reported.length - 1 ? reported[at + 1]! : null };
}
