/**
 * The bridge from Astro's collections to the plain read model in src/lib: loaded and
 * aggregated once per build, however many pages ask.
 */
import { getCollection, getEntry, type CollectionEntry } from 'astro:content';
import { buildBulletin } from './lib/bulletin.ts';
import { buildSiteModel, type SiteModel } from './lib/model.ts';
import type { RevisionWithChanges } from './lib/revisions.ts';

let model: Promise<SiteModel> | null = null;

export function getSiteModel(): Promise<SiteModel> {
  model ??= (async () => {
    const [villages, units, pairings, progress] = await Promise.all([getCollection('villages'), getCollection('units'), getCollection('pairings'), getCollection('progress')]);
    return buildSiteModel({
      villages: villages.map((e) => e.data),
      units: units.map((e) => e.data),
      pairings: pairings.map((e) => e.data),
      progress: progress.flatMap((e) => e.data.records),
    });
  })();
  return model;
}

export async function getDatasetInfo() {
  const entry = await getEntry('datasets', 'current');
  if (!entry) throw new Error('数据集信息缺失（datasets/current）');
  return entry.data;
}

/** 驻村人员 names are personal data: published only when PUBLISH_PERSONAL_NAMES=1. */
export const PUBLISH_PERSONAL_NAMES = process.env.PUBLISH_PERSONAL_NAMES === '1';

export type StoryEntry = CollectionEntry<'stories'>;
let stories: Promise<StoryEntry[]> | null = null;

/** All stories, newest first (then by id, so the order is stable). */
export function getStories(): Promise<StoryEntry[]> {
  stories ??= getCollection('stories').then((list) => list.sort((a, b) => b.data.date.getTime() - a.data.date.getTime() || a.id.localeCompare(b.id, 'en')));
  return stories;
}

export const STORIES_PER_PAGE = 10;

/** Revisions of published months, oldest first. */
export async function getCorrections(): Promise<RevisionWithChanges[]> {
  return [...(await getDatasetInfo()).revisions].sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
}

async function loadBulletins() {
  const [model, dataset, corrections, texts] = await Promise.all([getSiteModel(), getDatasetInfo(), getCorrections(), getCollection('bulletins')]);
  const publishedOn = (m: string) => texts.find((t) => t.id === m)?.data.date ?? dataset.publishedOn[m] ?? null;
  return [...model.months].reverse().map((month) => ({ bulletin: buildBulletin(model, month, publishedOn, corrections), text: texts.find((t) => t.id === month) ?? null }));
}
let bulletins: ReturnType<typeof loadBulletins> | null = null;

/** Bulletins for every month, newest first, with their optional editorial text; built once per build. */
export function getBulletins(): ReturnType<typeof loadBulletins> {
  bulletins ??= loadBulletins();
  return bulletins;
}
