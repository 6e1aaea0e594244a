/**
 * Every address of the site, built here and nowhere else: the pages of villages, units,
 * counties (and each county's 附件3 month), provinces, bulletins and stories, the files
 * written beside a page (data.csv, data.json, series.json, a month's table.csv), the open
 * data under /downloads/, the received exports under /sources/, and the fixed pages.
 *
 * Addresses end in a slash (Astro's `trailingSlash` default with directory output); an
 * entity's address is its code, so links stay stable from one month to the next
 * (GUIDE §5). Plain TypeScript with no imports: the browser (search, the compare island)
 * reads the same rules as the build. Where a build writes a file beside a page, its path
 * on disk is this address under the output folder (`fileInSite`). Constants are plain
 * literals so that a browser bundle keeps only the functions it calls.
 */

/** The fixed pages. */
export const PAGES = {
  home: '/',
  provinces: '/provinces/',
  counties: '/counties/',
  units: '/units/',
  stories: '/stories/',
  bulletins: '/bulletins/',
  data: '/data/',
  dictionary: '/data/dictionary/',
  sources: '/sources/',
  corrections: '/corrections/',
  compare: '/compare/',
  search: '/search/',
  about: '/about/',
  verify: '/verify/',
  privacy: '/privacy/',
  notFound: '/404/',
} as const;

/** RSS feeds. */
export const FEEDS = { stories: '/stories/rss.xml', bulletins: '/bulletins/rss.xml' } as const;

/** The site's checksums (every file of dist/). */
export const CHECKSUMS_URL = '/SHA256SUMS';

// --- entities ---------------------------------------------------------------------------

/** The four kinds of entity page, as their first path segment. */
export const ENTITY_KINDS = ['villages', 'units', 'counties', 'provinces'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** What every address of a kind starts with: `/villages/` (villages have no page of their own there). */
export const entityPrefix = (kind: EntityKind) => `/${kind}/`;
/** `/villages/533323101001/`, `/units/<统一社会信用代码>/`, `/counties/<县代码>/`, `/provinces/<省代码>/`. */
export const entityUrl = (kind: EntityKind, code: string) => `${entityPrefix(kind)}${code}/`;
export const villageUrl = (code: string) => entityUrl('villages', code);
export const unitUrl = (code: string) => entityUrl('units', code);
export const countyUrl = (code: string) => entityUrl('counties', code);
export const provinceUrl = (code: string) => entityUrl('provinces', code);

/** The files every entity page has beside it (written after the build: publish/entity-downloads.ts). */
export const ENTITY_FILES = { csv: 'data.csv', json: 'data.json', series: 'series.json' } as const;
export type EntityFile = keyof typeof ENTITY_FILES;
/** `/villages/533323101001/data.csv` */
export const entityFileUrl = (kind: EntityKind, code: string, file: EntityFile) => `${entityUrl(kind, code)}${ENTITY_FILES[file]}`;

/** A county's 附件3 table of one month: `/counties/450225/2020-12/`. */
export const countyMonthUrl = (code: string, month: string) => `${countyUrl(code)}${month}/`;
/** That table as CSV, beside its page (the page links it relatively, by this name). */
export const COUNTY_TABLE_FILE = 'table.csv';
export const countyMonthTableUrl = (code: string, month: string) => `${countyMonthUrl(code, month)}${COUNTY_TABLE_FILE}`;

const ENTITY_HREF = new RegExp(`^/(${ENTITY_KINDS.join('|')})/([0-9A-Z]+)/$`);
/** `/villages/533323101001/` → its kind and code; null for any other address. */
export function entityFromUrl(href: string): { kind: EntityKind; code: string } | null {
  const m = ENTITY_HREF.exec(href);
  return m ? { kind: m[1] as EntityKind, code: m[2]! } : null;
}

// --- lists in several orders: the default order is the list's own address ----------------

/** Every area list (provinces, a province's counties, all counties) is by area code unless sorted otherwise. */
const BY_CODE = 'code';
const sortedList = (base: string, sort: string) => (sort === BY_CODE ? base : `${base}sort/${sort}/`);
/** `/provinces/` or `/provinces/sort/funds-ratio/` */
export const provincesUrl = (sort: string = BY_CODE) => sortedList(PAGES.provinces, sort);
/** `/provinces/45/` or `/provinces/45/sort/jobs-ratio/` */
export const provinceSortedUrl = (code: string, sort: string) => sortedList(provinceUrl(code), sort);
/** `/counties/` or `/counties/sort/villages/` */
export const countiesUrl = (sort: string = BY_CODE) => sortedList(PAGES.counties, sort);

/** The units directory's pre-built lists: `/units/list/<省|all>/<类型|all>/<举措|all>/<排序>/[<页>/]`. */
const UNIT_LISTS = '/units/list/';
export const unitListUrl = (parts: { province: string; type: string; measure: string; sort: string }, page = 1) =>
  `${UNIT_LISTS}${parts.province}/${parts.type}/${parts.measure}/${parts.sort}/${page === 1 ? '' : `${page}/`}`;
/** The `[...slug]` of a unit list's address; null for an address that is not one (e.g. `/units/`). */
export const unitListSlug = (href: string): string | null => (href.startsWith(UNIT_LISTS) ? href.slice(UNIT_LISTS.length, -1) : null);

// --- editors' content --------------------------------------------------------------------

/** `/stories/<slug>/` */
export const storyUrl = (slug: string) => `${PAGES.stories}${slug}/`;
/** Page n of the stories list (1 is `/stories/`). */
export const storiesPageUrl = (page: number) => (page === 1 ? PAGES.stories : `${PAGES.stories}page/${page}/`);
export const storiesByMeasureUrl = (measure: string) => `${PAGES.stories}measure/${measure}/`;
export const storiesByProvinceUrl = (code: string) => `${PAGES.stories}province/${code}/`;
/** `/bulletins/2020-12/` */
export const bulletinUrl = (month: string) => `${PAGES.bulletins}${month}/`;

// --- records and open data ---------------------------------------------------------------

/** One correction on the corrections page. */
export const correctionUrl = (revisionId: string) => `${PAGES.corrections}#revision-${revisionId}`;
/** A received export as published: `/sources/2020-12/450225.csv`. */
export const sourceFileUrl = (month: string, name: string) => `${PAGES.sources}${month}/${name}`;
/** A month's section of the sources page. */
export const sourcesMonthUrl = (month: string) => `${PAGES.sources}#m-${month}`;
/** A table's section of the data dictionary. */
export const dictionaryUrl = (tableId: string) => `${PAGES.dictionary}#${tableId}`;
/** The open-data files, by path under /downloads/ (`progress/2020-07-excel.csv`). */
const DOWNLOADS = '/downloads/';
export const downloadUrl = (pathInDownloads: string) => `${DOWNLOADS}${pathInDownloads}`;
export const DATAPACKAGE_URL = `${DOWNLOADS}datapackage.json`;

/** Where a file with this address lies in the output folder, as path segments (join them with the folder). */
export const fileInSite = (url: string): string[] => url.split('/').filter(Boolean);
