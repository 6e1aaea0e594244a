/**
 * The rules pages used to compute in their templates, now in src/lib and tested here on the
 * shipped data and stories: which stories a page lists, an entity's latest month, promised
 * funds, units and counties, decreases shown as corrections, a county's reported months,
 * paging, corrections' captions and rows, sources by month, the 附件3 group row and
 * sources, the bulletin's named villages, a chart's percentage, the units directory's words.
 * Expectations are computed from the files themselves (CSV, front matter) where they can be.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LATEST_STORIES, storyPlaces, measureName, provincesWithStories, relatedStories, RELATED_STORIES, storiesOfMeasure, storiesOfMonth, storiesOfProvince, storiesOfUnit, storiesOfVillage, storyDate, type StoryLinks } from '../../src/lib/content/story-links.ts';
import { measureIdOf } from '../../src/lib/content/stories.ts';
import { exportFileCount, planSources, sourcesByMonth } from '../../src/lib/filing/sources.ts';
import { MEASURES, METRIC_COLUMNS } from '../../src/lib/metric-catalogue.ts';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { buildBulletin, reachedPlanNamed } from '../../src/lib/model/bulletin.ts';
import { county3Groups, county3Sources } from '../../src/lib/publish/county-month-table.ts';
import { countyCount, decreasesOf, latestReportedMonth, monthsReported, pledgedFunds, reportedTotals, unitCount, villageTotalsShown } from '../../src/lib/model/entity-page.ts';
import { buildSiteModel } from '../../src/lib/model/read-model.ts';
import { findUnitList, UNIT_SORTS, unitFilterText, unitLists } from '../../src/lib/model/unit-directory.ts';
import { reportedMonths } from '../../src/lib/model/aggregate.ts';
import { firstOnPage, laterPages, pageCount, pageItems } from '../../src/lib/paging.ts';
import { changeCells, correctionCaption } from '../../src/lib/render/corrections.ts';
import { chartPercent } from '../../src/lib/render/format.ts';
import { county3Table } from '../../src/lib/render/presentation.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DATA = path.join(ROOT, 'data');
const result = ingestDataDir(DATA);
const model = buildSiteModel(result);

/** The shipped stories' front matter, read as YAML (not through the site's schema). */
const stories: Array<StoryLinks & { rawDate: string }> = readdirSync(path.join(ROOT, 'content/stories'))
  .filter((f) => f.endsWith('.mdx'))
  .sort()
  .map((f) => {
    const text = readFileSync(path.join(ROOT, 'content/stories', f), 'utf8');
    const fm = parseYaml(/^---\n([\s\S]*?)\n---/.exec(text)![1]!, { schema: 'failsafe' }) as Record<string, unknown>;
    const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
    // measures as the site reads the field (an id or its Chinese name)
    return { id: f.replace(/\.mdx$/, ''), rawDate: String(fm.date), data: { villages: list(fm.villages), units: list(fm.units), measures: list(fm.measures).map((m) => measureIdOf(m) ?? m), date: new Date(`${String(fm.date)}T00:00:00Z`) } };
  });

/** pairings.csv as the registry file says it: village → unit, promised 万元. */
const pairingRows = Papa.parse<Record<string, string>>(readFileSync(path.join(DATA, 'registry/pairings.csv'), 'utf8').replace(/^\ufeff/, ''), { header: true, skipEmptyLines: true }).data;
const promisedColumn = Object.keys(pairingRows[0]!).find((k) => k.startsWith('承诺投入资金'))!;

describe('which stories a page lists', () => {
  it('the shipped stories are enough to say something', () => {
    expect(stories.length).toBeGreaterThan(10);
  });

  it("a village's and a unit's stories are those that name it", () => {
    for (const v of model.villages.values()) {
      const expected = stories.filter((s) => s.data.villages.includes(v.village.code)).map((s) => s.id);
      expect(storiesOfVillage(stories, v.village.code).map((s) => s.id)).toEqual(expected);
    }
    const units = new Set(stories.flatMap((s) => s.data.units));
    expect(units.size).toBeGreaterThan(0);
    for (const u of units) for (const s of storiesOfUnit(stories, u)) expect(s.data.units).toContain(u);
  });

  it("a province's stories are those about one of its villages (by the registry's province)", () => {
    for (const p of model.provinces.values()) {
      const expected = stories.filter((s) => s.data.villages.some((v) => model.villages.get(v)?.village.provinceCode === p.code)).map((s) => s.id);
      expect(storiesOfProvince(stories, p.code).map((s) => s.id)).toEqual(expected);
    }
    const withStories = provincesWithStories(model.provinces.values(), stories).map((p) => p.code);
    const expected = [...model.provinces.values()].map((p) => p.code).filter((code) => stories.some((s) => s.data.villages.some((v) => model.villages.get(v)?.village.provinceCode === code)));
    expect(withStories).toEqual(expected);
    expect(withStories.length).toBeGreaterThan(1);
  });

  it("every story is in exactly one month's list, the month its front matter names, and its date is that text", () => {
    const months = [...new Set(stories.map((s) => s.rawDate.slice(0, 7)))];
    const listed = months.flatMap((m) => storiesOfMonth(stories, m).map((s) => [m, s.id]));
    expect(listed).toHaveLength(stories.length);
    for (const s of stories) {
      expect(listed.filter(([, id]) => id === s.id)).toEqual([[s.rawDate.slice(0, 7), s.id]]);
      expect(storyDate(s)).toBe(s.rawDate);
    }
    expect(storiesOfMonth(stories, '2019-01')).toEqual([]);
  });

  it('a measure lists the stories that name it; its name is the programme\'s', () => {
    for (const m of MEASURES) {
      expect(measureName(m.id)).toBe(m.name);
      for (const s of storiesOfMeasure(stories, m.id)) expect(s.data.measures).toContain(m.id);
    }
    expect(MEASURES.reduce((n, m) => n + storiesOfMeasure(stories, m.id).length, 0)).toBe(stories.reduce((n, s) => n + s.data.measures.length, 0));
    expect(measureName('unknown')).toBe('unknown');
  });

  it("a story's places: each once, in its villages' order", () => {
    const places = [
      { province: '广西壮族自治区', county: '融水苗族自治县' },
      { province: '广西壮族自治区', county: '三江侗族自治县' },
      { province: '广西壮族自治区', county: '融水苗族自治县' },
      { province: '云南省', county: '福贡县' },
    ];
    expect(storyPlaces(places, 'county')).toEqual(['广西壮族自治区融水苗族自治县', '广西壮族自治区三江侗族自治县', '云南省福贡县']);
    expect(storyPlaces(places, 'province')).toEqual(['广西壮族自治区', '云南省']);
    expect(storyPlaces(places, 'countyName')).toEqual(['融水苗族自治县', '三江侗族自治县', '福贡县']);
    for (const s of stories) {
      const villages = s.data.villages.map((v) => model.villages.get(v)!.village);
      expect(storyPlaces(villages, 'county').length).toBe(new Set(s.data.villages.map((v) => v.slice(0, 6))).size);
    }
  });

  it('related stories share a county or a unit, never the story itself, at most three, none left out below three', () => {
    const county = (v: string) => model.villages.get(v)!.village.countyCode;
    let some = 0;
    for (const story of stories) {
      const related = relatedStories(stories, story);
      const shares = (s: StoryLinks) => s.data.villages.some((v) => story.data.villages.some((x) => county(x) === county(v))) || s.data.units.some((u) => story.data.units.includes(u));
      const all = stories.filter((s) => s.id !== story.id && shares(s));
      expect(related.length).toBeLessThanOrEqual(RELATED_STORIES);
      expect(related.map((s) => s.id)).toEqual(all.slice(0, RELATED_STORIES).map((s) => s.id));
      if (related.length > 0) some++;
    }
    expect(some).toBeGreaterThan(0);
    expect(LATEST_STORIES).toBe(3);
  });
});

describe("what an entity page says besides its totals", () => {
  it("a village's data stand at the latest month any of its pairings reported", () => {
    let none = 0;
    for (const v of model.villages.values()) {
      const months = v.pairings.flatMap((p) => [...p.byMonth.keys()]).sort();
      expect(latestReportedMonth(v.pairings)).toBe(months.at(-1) ?? null);
      if (!months.length) none++;
    }
    expect(latestReportedMonth([])).toBeNull();
    expect(none).toBeLessThan(model.villages.size);
  });

  it("a village's totals card: only with several units, as of the latest month any of them reported", () => {
    let shown = 0;
    for (const v of model.villages.values()) {
      const t = villageTotalsShown(v);
      if (v.pairings.length < 2) expect(t).toBeUndefined();
      else {
        const latest = v.pairings.flatMap((p) => [...p.byMonth.keys()]).sort().at(-1);
        expect(t).toBe(latest ? v.byMonth.get(latest) : undefined);
        if (t) shown++;
      }
    }
    expect(shown).toBeGreaterThan(0);
  });

  it('promised funds are the sum of pairings.csv, exact to the 元', () => {
    const byVillage = new Map<string, number>();
    const byUnit = new Map<string, number>();
    for (const r of pairingRows) {
      const yuan = Math.round(Number(r[promisedColumn]) * 10000);
      byVillage.set(r['村代码']!, (byVillage.get(r['村代码']!) ?? 0) + yuan);
      byUnit.set(r['单位代码']!, (byUnit.get(r['单位代码']!) ?? 0) + yuan);
    }
    for (const v of model.villages.values()) expect(pledgedFunds(v.pairings)).toBe(byVillage.get(v.village.code) ?? null);
    for (const u of model.units.values()) expect(pledgedFunds(u.pairings)).toBe(byUnit.get(u.unit.code) ?? null);
  });

  it("a county's units and a unit's counties, counted from pairings.csv", () => {
    for (const c of model.counties.values()) {
      const units = new Set(pairingRows.filter((r) => r['村代码']!.startsWith(c.code)).map((r) => r['单位代码']));
      expect(unitCount(c.pairings)).toBe(units.size);
    }
    for (const u of model.units.values()) {
      const counties = new Set(pairingRows.filter((r) => r['单位代码'] === u.unit.code).map((r) => r['村代码']!.slice(0, 6)));
      expect(countyCount(u.pairings)).toBe(counties.size);
    }
  });

  it('decreases: every record\'s, pairing by pairing and month by month, each lower than the month before', () => {
    const all = decreasesOf(model.pairings);
    expect(all.length).toBe(result.progress.reduce((n, r) => n + r.decreases.length, 0));
    expect(all.length).toBeGreaterThan(0);
    for (const d of all) {
      expect(d.pairing.byMonth.get(d.record.month)).toBe(d.record);
      expect(d.decrease.previousMonth < d.record.month).toBe(true);
      expect(Number(d.decrease.current)).toBeLessThan(Number(d.decrease.previous));
    }
    const order = all.map((d) => `${model.pairings.indexOf(d.pairing).toString().padStart(6, '0')} ${d.record.month}`);
    expect(order).toEqual([...order].sort());
    const one = all[0]!.pairing;
    expect(decreasesOf([one]).every((d) => d.pairing === one)).toBe(true);
  });

  it("an area's totals for a month only when it reported in it: villages, units, counties, provinces", () => {
    let unreported = 0;
    const areas = [...model.villages.values(), ...model.units.values(), ...model.counties.values(), ...model.provinces.values()];
    for (const a of areas) {
      const reported = new Set(reportedMonths(a.byMonth, model.months));
      for (const month of model.months) {
        const t = reportedTotals(a.byMonth, month);
        expect(t).toBe(reported.has(month) ? a.byMonth.get(month) : undefined);
        if (!t) unreported++;
      }
      expect(reportedTotals(a.byMonth, null)).toBeUndefined();
      expect(reportedTotals(a.byMonth, '2019-01')).toBeUndefined();
    }
    expect(reportedTotals(undefined, model.months[0]!)).toBeUndefined();
    expect(unreported).toBeGreaterThan(0);
  });

  it("a county's months: every programme month, marked where a 附件3 table exists", () => {
    for (const c of model.counties.values()) {
      const reported = reportedMonths(c.byMonth, model.months);
      const marked = monthsReported(model.months, reported);
      expect(marked.map((m) => m.month)).toEqual(model.months);
      expect(marked.filter((m) => m.reported).map((m) => m.month)).toEqual(reported);
      for (const m of marked) expect(m.reported).toBe((c.byMonth.get(m.month)?.records ?? 0) > 0);
    }
  });
});

describe('paging', () => {
  it('every item on exactly one page, in order; an empty list has one page', () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    for (const per of [1, 5, 10, 23, 100]) {
      const pages = pageCount(items.length, per);
      expect(pages).toBe(Math.ceil(23 / per));
      expect(Array.from({ length: pages }, (_, i) => pageItems(items, i + 1, per)).flat()).toEqual(items);
      expect(laterPages(items.length, per)).toEqual(Array.from({ length: pages - 1 }, (_, i) => i + 2));
      for (let p = 1; p <= pages; p++) expect(pageItems(items, p, per)[0]).toBe(firstOnPage(p, per) - 1);
    }
    expect(pageCount(0, 10)).toBe(1);
    expect(laterPages(0, 10)).toEqual([]);
    expect(pageItems([], 1, 10)).toEqual([]);
  });
});

describe('corrections as pages show them', () => {
  it('the shipped revision: its caption with its note, and without one when it has none, and every change as 项目 / 原数据 / 更正为', () => {
    expect(result.revisions.length).toBeGreaterThan(0);
    const r = result.revisions[0]!;
    expect(r.note).toBeTruthy();
    const [y, m, d] = r.date.split('-').map(Number);
    const [my, mm] = r.month.split('-').map(Number);
    expect(correctionCaption(r)).toBe(`${y}年${m}月${d}日更正${my}年${mm}月数据（${r.note}）`);
    expect(correctionCaption({ ...r, note: undefined })).toBe(`${y}年${m}月${d}日更正${my}年${mm}月数据`);
    for (const c of r.changes) {
      const cells = changeCells(c);
      expect(c.kind).toBe('changed');
      expect(METRIC_COLUMNS.find((x) => x.id === c.metric)!.header.startsWith(cells.item)).toBe(true);
      expect(cells.before).not.toBe(cells.after);
    }
  });

  it('rows sent late and rows taken out read as such', () => {
    const base = { pairingId: 'p', villageCode: '450225001200', unitCode: 'u', metric: null, old: null, new: null };
    expect(changeCells({ ...base, kind: 'added' })).toEqual({ item: '补报', before: '（未上报）', after: '（整行）' });
    expect(changeCells({ ...base, kind: 'removed' })).toEqual({ item: '撤回', before: '（整行）', after: '（删除）' });
  });
});

describe('sources and exports by month', () => {
  const { index } = planSources(result, (file) => readFileSync(path.join(DATA, file)));
  it('sources by month: newest first, every published file once, under its own month', () => {
    const byMonth = sourcesByMonth(index);
    expect(byMonth.map((m) => m.month)).toEqual([...new Set(index.list.map((s) => s.month))].sort().reverse());
    expect(byMonth.flatMap((m) => m.files)).toHaveLength(index.list.length);
    for (const m of byMonth) for (const f of m.files) expect(f.month).toBe(m.month);
  });

  it('export files per month add up to the exports folder', () => {
    const onDisk = (month: string) => readdirSync(path.join(DATA, 'exports', month), { recursive: true }).filter((f) => /\.(csv|xlsx|tsv|txt)$/i.test(String(f))).length;
    let all = 0;
    for (const month of model.months) {
      expect(exportFileCount(result.files, month)).toBe(onDisk(month));
      all += onDisk(month);
    }
    expect(exportFileCount(result.files, null)).toBe(all);
  });
});

describe('the county 附件3 table', () => {
  it('its group row covers every metric column once, in the measures\' order', () => {
    const groups = county3Groups();
    expect(groups.map((g) => g.name)).toEqual(MEASURES.map((m) => m.group));
    expect(groups.reduce((n, g) => n + g.span, 0)).toBe(METRIC_COLUMNS.length);
    let at = 0;
    for (const [i, g] of groups.entries()) {
      for (const c of METRIC_COLUMNS.slice(at, at + g.span)) expect(c.measure).toBe(MEASURES[i]!.id);
      at += g.span;
    }
  });

  it('its sources: each received file once, in row order', () => {
    for (const c of [...model.counties.values()].slice(0, 10)) {
      for (const month of reportedMonths(c.byMonth, model.months)) {
        const table = county3Table(month, c.pairings, c.byMonth.get(month)!);
        const sources = county3Sources(table);
        const files = table.rows.flatMap((r) => (r.source ? [r.source.file] : []));
        expect(new Set(sources)).toEqual(new Set(files));
        expect(sources).toHaveLength(new Set(files).size);
        expect(sources.map((s) => files.indexOf(s))).toEqual([...sources.map((s) => files.indexOf(s))].sort((a, b) => a - b));
      }
    }
  });
});

describe('the bulletin names villages that reached their funds plan', () => {
  it('each village once, at most ten, counties in turn, 等 when some are left out', () => {
    let checked = 0;
    for (const month of model.months) {
      const b = buildBulletin(model, month, () => null, result.revisions);
      const named = reachedPlanNamed(b);
      const villages = new Set(b.reachedPlan.map((r) => r.villageCode));
      expect(named.villages.length).toBe(Math.min(10, villages.size));
      expect(new Set(named.villages.map((r) => r.villageCode)).size).toBe(named.villages.length);
      expect(named.more).toBe(villages.size > 10);
      for (const r of named.villages) expect(villages.has(r.villageCode)).toBe(true);
      const counties = new Set(b.reachedPlan.map((r) => r.villageCode.slice(0, 6)));
      if (counties.size >= 2 && named.villages.length >= 2) expect(named.villages[0]!.villageCode.slice(0, 6)).not.toBe(named.villages[1]!.villageCode.slice(0, 6));
      if (villages.size > 0) checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('a chart\'s percentage', () => {
  it('one decimal as the site writes it; no bar for 无计划 and 未填报', () => {
    expect(chartPercent({ kind: 'value', percent: 66.666, over: false })).toBe(66.7);
    expect(chartPercent({ kind: 'value', percent: 120.04, over: true })).toBe(120);
    expect(chartPercent({ kind: 'noPlan' })).toBeNull();
    expect(chartPercent({ kind: 'unreported' })).toBeNull();
    expect(chartPercent(undefined)).toBeNull();
  });
});

describe('the units directory in words', () => {
  const { lists, provinces } = unitLists(model);
  it('each list is found by its filter and sort', () => {
    for (const l of lists) expect(findUnitList(lists, l.filter, l.sort)).toBe(l);
    expect(findUnitList(lists, { province: '99', type: null, measure: null }, UNIT_SORTS[0]!.key)).toBeUndefined();
  });

  it('a filter reads as the units it keeps', () => {
    const gz = provinces.find((p) => p.code === '52')!;
    expect(unitFilterText({ province: null, type: null, measure: null }, provinces)).toBe('');
    expect(unitFilterText({ province: '52', type: '社会组织', measure: null }, provinces)).toBe(`在${gz.name}帮扶的社会组织`);
    expect(unitFilterText({ province: null, type: null, measure: 'employment' }, provinces)).toBe('有就业扶贫计划的');
  });
});
