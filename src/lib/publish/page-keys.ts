/**
 * Cache keys for Astro's incremental build (experimental.incrementalBuild): a page whose key
 * and code are unchanged since the last build is copied, not rendered again. A key is the
 * digest of every piece of data the page shows — nothing less, or a stale page would be
 * published; the test `incremental.test.ts` compares an incremental build with a full one.
 */
import { createHash } from 'node:crypto';
import type { RevisionWithChanges } from '../ingest/revisions.ts';
import { pageUpdatedOn } from '../model/page-updated.ts';
import type { PairingView, SiteModel, UnitView, VillageView } from '../model/read-model.ts';

/** sha1 of the value's JSON; Maps and Sets are written as their entries, so order counts. */
export function stableDigest(value: unknown): string {
  const json = JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? { __map: [...v] } : v instanceof Set ? { __set: [...v] } : v instanceof Date ? v.toISOString() : v));
  return createHash('sha1').update(json ?? 'undefined').digest('hex');
}

const rowDigests = new WeakMap<object, string>();

/**
 * sha1 of a registry row's or a progress record's JSON, worked out once per build: a record
 * is in the keys of its village, its unit, its county and each later 附件3 month of its
 * county, so digesting it again for each key would be about seven times the work before the
 * first page. The rows are the ingest's plain data (its schemas: no Map, Set or Date), so plain
 * JSON is their whole content (tests/unit/page-keys.test.ts).
 */
export function rowDigest(row: object): string {
  let digest = rowDigests.get(row);
  if (digest === undefined) {
    digest = createHash('sha1').update(JSON.stringify(row)).digest('base64');
    rowDigests.set(row, digest);
  }
  return digest;
}

/** What a list of pairings contributes to a page: registry rows and records (up to a month), as their digests. */
export function pairingsKeyData(pairings: ReadonlyArray<PairingView>, upToMonth?: string): unknown[] {
  return pairingsKeyDataUpTo(pairings)(upToMonth);
}

/**
 * pairingsKeyData for one list of pairings and several months: the digests are looked up once
 * (a county's 附件3 pages, one per month, share its pairings, which need not be looked up again
 * for each month).
 */
export function pairingsKeyDataUpTo(pairings: ReadonlyArray<PairingView>): (upToMonth?: string) => unknown[] {
  const rows = pairings.map((p) => ({ head: [rowDigest(p.pairing), rowDigest(p.village), rowDigest(p.unit)], records: [...p.byMonth.values()].map((r) => ({ month: r.month, digest: rowDigest(r) })) }));
  return (upToMonth) => rows.map(({ head, records }) => [...head, records.filter((r) => upToMonth === undefined || r.month <= upToMonth).map((r) => r.digest)]);
}

/**
 * What the page of one village or unit shows of its own data: its registry row, its county's
 * name, its pairings with every record, the corrections touching it and the footer's date (as
 * entityUpdated gives it: the publication dates of the months and those corrections). One list
 * for the page's incremental-build key (src/site-data.ts entityPageKeys) and for a shard's slice
 * digest (src/build/slice-digest.ts), so what a page key gains a reused slice cannot miss. The
 * site-wide part and the stories are the callers'.
 */
export function entityKeyData(model: SiteModel, view: VillageView | UnitView, corrections: readonly RevisionWithChanges[], publishedOn: Readonly<Record<string, string | null | undefined>>): unknown[] {
  const county = 'village' in view ? model.counties.get(view.village.countyCode)?.name : null;
  const own = 'village' in view ? view.village : view.unit;
  return [own, county, pairingsKeyData(view.pairings), corrections, pageUpdatedOn(publishedOn, model.months, corrections)];
}

/** Group items by a key once, so per-page lookups stay O(1) on 128,000 pages. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => string | string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    for (const k of [key(item)].flat()) {
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
  }
  return out;
}
