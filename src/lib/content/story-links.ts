/**
 * Which stories a page lists: a village's, a unit's, a province's, a measure's, a month's
 * (the bulletin), the stories related to a story, and the provinces that have any. Pages
 * call these and render the result; the newest-first order is the collection's own.
 */
import { MEASURES } from '../metric-catalogue.ts';

/** What these rules read of a story: its id and the front matter's links and date. */
export interface StoryLinks {
  id: string;
  data: { villages: readonly string[]; units: readonly string[]; measures: readonly string[]; date: Date };
}

/** Stories on the home page and under a story ("相关案例"). */
export const LATEST_STORIES = 3;
export const RELATED_STORIES = 3;

/** The story's date as `2020-07-15` (its front matter date is a calendar day, read as UTC). */
export const storyDate = (s: StoryLinks) => s.data.date.toISOString().slice(0, 10);

/** A measure's name as the site writes it (产业扶贫 …); an unknown id as is. */
export const measureName = (id: string) => MEASURES.find((m) => m.id === id)?.name ?? id;

/** Where a story's villages are, each place once in the story's order: 「广西壮族自治区融水苗族自治县」 (county) or the province or county names alone. */
export function storyPlaces(villages: ReadonlyArray<{ province: string; county: string }>, part: 'county' | 'province' | 'countyName'): string[] {
  const name = (v: { province: string; county: string }) => (part === 'county' ? `${v.province}${v.county}` : part === 'province' ? v.province : v.county);
  return [...new Set(villages.map(name))];
}

/** A village code's county (its first 6 digits) and province (first 2). */
const countyOf = (villageCode: string) => villageCode.slice(0, 6);

export const storiesOfVillage = <S extends StoryLinks>(stories: readonly S[], code: string) => stories.filter((s) => s.data.villages.includes(code));
export const storiesOfUnit = <S extends StoryLinks>(stories: readonly S[], code: string) => stories.filter((s) => s.data.units.includes(code));
export const storiesOfProvince = <S extends StoryLinks>(stories: readonly S[], code: string) => stories.filter((s) => s.data.villages.some((v) => v.startsWith(code)));
export const storiesOfMeasure = <S extends StoryLinks>(stories: readonly S[], measure: string) => stories.filter((s) => s.data.measures.includes(measure));
/** The stories published in a month (the bulletin of that month lists them). */
export const storiesOfMonth = <S extends StoryLinks>(stories: readonly S[], month: string) => stories.filter((s) => storyDate(s).slice(0, 7) === month);

/** Other stories about a village in the same county as one of the story's villages, or about one of its units. */
export function relatedStories<S extends StoryLinks>(stories: readonly S[], story: StoryLinks, max = RELATED_STORIES): S[] {
  const counties = new Set(story.data.villages.map(countyOf));
  return stories.filter((s) => s.id !== story.id && (s.data.villages.some((v) => counties.has(countyOf(v))) || s.data.units.some((u) => story.data.units.includes(u)))).slice(0, max);
}

/** The provinces (in their given order) that at least one story is about. */
export function provincesWithStories<P extends { code: string }>(provinces: Iterable<P>, stories: readonly StoryLinks[]): P[] {
  return [...provinces].filter((p) => storiesOfProvince(stories, p.code).length > 0);
}
