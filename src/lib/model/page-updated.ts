/**
 * The footer's date: when the data a page shows was last updated.
 *
 * The rule. A page about one village, unit or county says when ITS OWN data was last updated
 * (「本页数据更新于 …」): the latest of
 *   (a) the publication date of the months it shows — the newest of them, or an older one if
 *       it was published later (files imported out of order), and
 *   (b) the date of every correction (revision of a published month) that touched its records.
 * A correction filed for another county leaves the date, and so the page, unchanged; a page
 * never gives a date older than a correction it lists. Site-wide pages (home, province lists,
 * bulletins, rankings…) say when the dataset as a whole was last updated (`dataUpdatedOn`
 * over every month and every revision, 「数据更新于 …」).
 *
 * The pages' incremental-build keys (src/site-data.ts) hold the date this gives, not the
 * site-wide one: a correction of one county's file re-renders only the pages that show it.
 */
import type { Change, RevisionWithChanges } from '../ingest/revisions.ts';
import { dataUpdatedOn } from './entity-summary.ts';
import { groupBy } from '../publish/page-keys.ts';

/** A page's own footer date: `on` (ISO, null when nothing it shows was filed with data:import) and the newest month it shows. */
export interface PageUpdated {
  on: string | null;
  through: string | null;
}

/**
 * The page's own date by the rule above: publication dates of `shownMonths` (month → date, null
 * when not filed with data:import), and the dates of `corrections`, which the caller selects as
 * those touching the page's records (`correctionsByEntity`).
 */
export function pageUpdatedOn(publishedOn: Readonly<Record<string, string | null | undefined>>, shownMonths: readonly string[], corrections: ReadonlyArray<{ date: string }>): PageUpdated {
  const published = Object.fromEntries(shownMonths.map((m) => [m, publishedOn[m] ?? null]));
  return { on: dataUpdatedOn(published, corrections.map((c) => c.date)), through: shownMonths.at(-1) ?? null };
}

/**
 * Revisions by the entity their changes touch (a village, unit or county code from `keyOf`),
 * each with only the changes that touch it, in the order given. Built once per build, so a
 * page finds its corrections in O(1) on 128,000 pages.
 */
export function correctionsByEntity(revisions: readonly RevisionWithChanges[], keyOf: (c: Change) => string): Map<string, RevisionWithChanges[]> {
  const out = new Map<string, RevisionWithChanges[]>();
  for (const r of revisions) {
    for (const [code, changes] of groupBy(r.changes, keyOf)) {
      const list = out.get(code) ?? [];
      list.push({ ...r, changes });
      out.set(code, list);
    }
  }
  return out;
}
