/**
 * The site's addresses (src/lib/routes.ts): each one a page of src/pages answers (matched by
 * Astro's file routing, read here from the folder), entity addresses read back to their
 * kind and code, sorted and paged lists whose first page is the list itself, files beside a
 * page at that page's address on disk, and the shipped data's every village, unit and county
 * at the address the search index and the pages give it.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { MEASURES } from '../../src/lib/metric-catalogue.ts';
import { COUNTY_SORTS, DEFAULT_COUNTY_SORT, countyRows } from '../../src/lib/model/county-table.ts';
import { buildSiteModel } from '../../src/lib/model/read-model.ts';
import { SORT_KEYS } from '../../src/lib/model/rankings.ts';
import { UNIT_SORTS, unitListHref, unitLists } from '../../src/lib/model/unit-directory.ts';
import { buildNameIndex } from '../../src/lib/publish/name-index-write.ts';
import * as routes from '../../src/lib/routes.ts';
import { currentSection, SECTIONS } from '../../src/lib/site-config.ts';

const PAGES_DIR = path.resolve(import.meta.dirname, '../../src/pages');
const model = buildSiteModel(ingestDataDir(path.resolve(import.meta.dirname, '../../data')));

/** Astro's file routes: a page (.astro) answers an address ending in "/", an endpoint (.ts) a file's address. */
const pageFiles = (readdirSync(PAGES_DIR, { recursive: true, withFileTypes: true }) as Array<{ isFile(): boolean; parentPath: string; name: string }>)
  .filter((e) => e.isFile() && /\.(astro|ts)$/.test(e.name))
  .map((e) => {
    const rel = path.relative(PAGES_DIR, path.join(e.parentPath, e.name));
    const name = rel.replace(/\.(astro|ts)$/, '');
    const segs = name.split(path.sep);
    return { name: segs.join('/'), page: rel.endsWith('.astro'), segs: segs.at(-1) === 'index' ? segs.slice(0, -1) : segs };
  });

/** The file that answers an address, Astro's way (static segments before [param] before [...rest]), or null. */
function pageFor(url: string): string | null {
  const clean = url.replace(/[#?].*$/, '');
  const segs = clean.split('/').filter(Boolean);
  const fits = (file: (typeof pageFiles)[number]) => {
    if (file.page !== clean.endsWith('/')) return false;
    for (let i = 0; i < file.segs.length; i++) {
      const s = file.segs[i]!;
      if (s.startsWith('[...')) return segs.length > i;
      if (i >= segs.length || (!s.startsWith('[') && s !== segs[i])) return false;
    }
    return file.segs.length === segs.length;
  };
  const rank = (file: (typeof pageFiles)[number]) => file.segs.map((s) => (s.startsWith('[...') ? 0 : s.startsWith('[') ? 1 : 2)).join('');
  const found = pageFiles.filter(fits).sort((a, b) => rank(b).localeCompare(rank(a)));
  return found[0]?.name ?? null;
}

describe('every address is a page the site builds', () => {
  const v = [...model.villages.values()][0]!;
  const county = model.counties.get(v.village.countyCode)!;
  const month = model.months.at(-1)!;
  const cases: Array<[string, string]> = [
    [routes.villageUrl(v.village.code), 'villages/[code]'],
    [routes.unitUrl(v.pairings[0]!.unit.code), 'units/[code]'],
    [routes.countyUrl(county.code), 'counties/[code]/index'],
    [routes.countyMonthUrl(county.code, month), 'counties/[code]/[month]'],
    [routes.provinceUrl(county.provinceCode), 'provinces/[code]/index'],
    [routes.provinceSortedUrl(county.provinceCode, 'jobs-ratio'), 'provinces/[code]/sort/[key]'],
    [routes.provincesUrl(), 'provinces/index'],
    [routes.provincesUrl('funds-ratio'), 'provinces/sort/[key]'],
    [routes.countiesUrl(), 'counties/index'],
    [routes.countiesUrl('villages'), 'counties/sort/[key]'],
    [routes.unitListUrl({ province: '52', type: 'social', measure: 'all', sort: 'ratio' }), 'units/list/[...slug]'],
    [routes.unitListUrl({ province: 'all', type: 'all', measure: 'all', sort: 'promised' }, 3), 'units/list/[...slug]'],
    [routes.storyUrl('2020-07-sanjiang-wukou-chicken'), 'stories/[slug]'],
    [routes.storiesPageUrl(1), 'stories/index'],
    [routes.storiesPageUrl(2), 'stories/page/[page]'],
    [routes.storiesByMeasureUrl(MEASURES[0]!.id), 'stories/measure/[measure]'],
    [routes.storiesByProvinceUrl('45'), 'stories/province/[code]'],
    [routes.bulletinUrl(month), 'bulletins/[month]'],
    [routes.FEEDS.stories, 'stories/rss.xml'],
    [routes.FEEDS.bulletins, 'bulletins/rss.xml'],
    [routes.correctionUrl('R-2020-12-01'), 'corrections'],
    [routes.sourcesMonthUrl(month), 'sources/index'],
    [routes.sourceFileUrl(month, '450225.csv'), 'sources/[month]/[name]'],
    [routes.dictionaryUrl('progress'), 'data/dictionary'],
    [routes.DATAPACKAGE_URL, 'downloads/datapackage.json'],
    [routes.PAGES.home, 'index'],
  ];
  it.each(cases)('%s → src/pages/%s', (url, file) => {
    expect(pageFor(url)).toBe(file);
  });

  it('every fixed page has its file', () => {
    for (const [key, url] of Object.entries(routes.PAGES)) expect(pageFor(url), key).not.toBeNull();
  });

  it('a file beside a page is no page of its own (it is written after the build)', () => {
    expect(pageFor(routes.entityFileUrl('villages', v.village.code, 'csv'))).toBeNull();
    expect(pageFor(routes.countyMonthTableUrl(county.code, month))).toBeNull();
  });
});

describe('entity addresses', () => {
  it('read back to their kind and code, for every kind', () => {
    const codes = { villages: '450225001200', units: '91520500MA6K0002XC', counties: '450225', provinces: '45' };
    for (const kind of routes.ENTITY_KINDS) {
      const url = routes.entityUrl(kind, codes[kind]);
      expect(url.startsWith(routes.entityPrefix(kind))).toBe(true);
      expect(routes.entityFromUrl(url)).toEqual({ kind, code: codes[kind] });
    }
    expect([routes.villageUrl('1'), routes.unitUrl('1'), routes.countyUrl('1'), routes.provinceUrl('1')]).toEqual(routes.ENTITY_KINDS.map((k) => routes.entityUrl(k, '1')));
  });

  it('nothing else reads as an entity', () => {
    for (const href of ['/stories/x/', '/villages/', '/villages//', '/villages/450225001200', '/villages/450225001200/data.csv', routes.countyMonthUrl('450225', '2020-12'), 'villages/450225001200/', '/villages/4502250012ab/']) {
      expect(routes.entityFromUrl(href), href).toBeNull();
    }
  });

  it('files beside a page sit in its folder, and on disk at the same place', () => {
    const page = routes.unitUrl('91520500MA6K0002XC');
    expect(routes.entityFileUrl('units', '91520500MA6K0002XC', 'csv')).toBe(`${page}data.csv`);
    expect(routes.entityFileUrl('units', '91520500MA6K0002XC', 'json')).toBe(`${page}data.json`);
    expect(routes.entityFileUrl('units', '91520500MA6K0002XC', 'series')).toBe(`${page}series.json`);
    expect(routes.countyMonthTableUrl('450225', '2020-12')).toBe(`${routes.countyMonthUrl('450225', '2020-12')}${routes.COUNTY_TABLE_FILE}`);
    expect(path.join('/out', ...routes.fileInSite(routes.entityFileUrl('counties', '450225', 'series')))).toBe(path.join('/out', 'counties', '450225', 'series.json'));
    expect(path.join('/out', ...routes.fileInSite(routes.countyMonthTableUrl('450225', '2020-12')))).toBe(path.join('/out', 'counties', '450225', '2020-12', 'table.csv'));
  });

  it('the search index and the explore tables give every village, unit and county its address', () => {
    const records = [...buildNameIndex(model)].filter(([file]) => /^\w+\/r\/\d+\.json$/.test(file)).flatMap(([, text]) => JSON.parse(text) as Array<[string, string, string]>);
    const found = records.map(([url]) => routes.entityFromUrl(url));
    expect(found.every((r) => r !== null)).toBe(true);
    const key = (kind: string, code: string) => `${kind}:${code}`;
    const expected = [...[...model.villages.keys()].map((c) => key('villages', c)), ...[...model.units.keys()].map((c) => key('units', c)), ...[...model.counties.keys()].map((c) => key('counties', c))].sort();
    expect(found.map((r) => key(r!.kind, r!.code)).sort()).toEqual(expected);
    for (const r of countyRows(model)) expect(r.href).toBe(routes.countyUrl(r.code));
  });
});

describe('lists in several orders and pages', () => {
  it('the default order is the list itself; every other order its own address', () => {
    expect(routes.provincesUrl(SORT_KEYS[0].key)).toBe(routes.PAGES.provinces);
    expect(routes.countiesUrl(DEFAULT_COUNTY_SORT)).toBe(routes.PAGES.counties);
    expect(routes.provinceSortedUrl('52', SORT_KEYS[0].key)).toBe(routes.provinceUrl('52'));
    const provinces = SORT_KEYS.map((k) => routes.provincesUrl(k.key));
    const counties = COUNTY_SORTS.map((k) => routes.countiesUrl(k.key));
    expect(new Set(provinces).size).toBe(SORT_KEYS.length);
    expect(new Set(counties).size).toBe(COUNTY_SORTS.length);
    expect(routes.countiesUrl('funds-done')).toBe('/counties/sort/funds-done/');
  });

  it('stories: page 1 is /stories/, then /stories/page/n/', () => {
    expect(routes.storiesPageUrl(1)).toBe(routes.PAGES.stories);
    expect(routes.storiesPageUrl(4)).toBe('/stories/page/4/');
  });

  it("the units directory: every list's pages read back to the list's slug; /units/ is the default list", () => {
    const { lists } = unitLists(model);
    const slugs = new Set<string>();
    let defaults = 0;
    for (const l of lists) {
      for (let page = 1; page <= l.pages; page++) {
        const href = unitListHref(l.filter, l.sort, page);
        const slug = routes.unitListSlug(href);
        if (slug === null) {
          expect(href).toBe(routes.PAGES.units);
          defaults++;
          continue;
        }
        expect(slugs.has(slug), slug).toBe(false);
        slugs.add(slug);
        const parts = slug.split('/');
        expect(parts.length).toBe(page === 1 ? 4 : 5);
        expect(parts[0]).toBe(l.filter.province ?? 'all');
        expect(parts[2]).toBe(l.filter.measure ?? 'all');
        expect(UNIT_SORTS.map((s) => s.key)).toContain(parts[3]);
      }
    }
    expect(defaults).toBe(1);
    expect(routes.unitListSlug(unitListHref({ province: null, type: null, measure: null }, 'promised', 2))).toBe('all/all/all/promised/2');
  });
});

describe('the menu', () => {
  it('places every kind of page under one section', () => {
    expect(currentSection(routes.villageUrl('450225001200'))).toBe(routes.PAGES.provinces);
    expect(currentSection(routes.countyMonthUrl('450225', '2020-12'))).toBe(routes.PAGES.counties);
    expect(currentSection(routes.unitListUrl({ province: 'all', type: 'all', measure: 'all', sort: 'ratio' }))).toBe(routes.PAGES.units);
    expect(currentSection(routes.correctionUrl('x').replace(/#.*/, ''))).toBe(routes.PAGES.data);
    expect(currentSection(routes.sourceFileUrl('2020-12', '450225.csv'))).toBe(routes.PAGES.data);
    expect(currentSection(routes.PAGES.home)).toBe(routes.PAGES.home);
    // the compare tool spans every kind of entity: no section is marked current
    expect(currentSection(routes.PAGES.compare)).toBeNull();
    for (const s of SECTIONS) expect(pageFor(s.href), s.href).not.toBeNull();
  });
});
