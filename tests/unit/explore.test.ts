/**
 * The explore pages' rules: the county table and the units directory show the read model's
 * totals (not a second sum), the directory's page count is bounded, the compare tool's
 * selection survives the URL and its table and CSV say the same, series.json is the model.
 */
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { compareCsv } from '../../src/lib/model/compare-csv.ts';
import { chartLines, compareTable, MAX_COMPARED, parseSelection, refFromHref, selectionSearch } from '../../src/lib/model/compare.ts';
import { COUNTY_SORTS, countyRows, sortCountyRows } from '../../src/lib/model/county-table.ts';
import { entitySeriesOf } from '../../src/lib/model/entity-series.ts';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { MEASURE_PAIRS } from '../../src/lib/model/measure-pairs.ts';
import { buildSiteModel } from '../../src/lib/model/read-model.ts';
import { rankValue } from '../../src/lib/model/rankings.ts';
import { MAX_PAGES, PER_PAGE, UNIT_SORTS, unitListHref, unitLists } from '../../src/lib/model/unit-directory.ts';

const model = buildSiteModel(ingestDataDir(path.resolve(import.meta.dirname, '../../data')));
const small = buildSiteModel(ingestDataDir(path.resolve(import.meta.dirname, '../fixtures/site-small')));

describe('the county table', () => {
  const rows = countyRows(model);
  it('has every county once, with the model’s totals of its latest reported month', () => {
    expect(rows.map((r) => r.code).sort()).toEqual([...model.counties.keys()].sort());
    for (const r of rows) {
      const c = model.counties.get(r.code)!;
      expect(r.villages).toBe(c.villages.length);
      expect(r.pairings).toBe(c.pairingCount);
      const reported = model.months.filter((m) => c.byMonth.get(m)!.records > 0);
      expect(r.monthsReported).toBe(reported.length);
      expect(r.latestMonth).toBe(reported.at(-1) ?? null);
      if (!r.latestMonth) continue;
      const t = c.byMonth.get(r.latestMonth)!;
      for (const m of MEASURE_PAIRS) {
        const cells = r.measures[m.id];
        expect(cells.plan.raw).toBe(t.metrics[m.plan].reported ? t.metrics[m.plan].sum : null);
        // partial by the one rule: some pairings left it blank or sent nothing that month
        const blank = t.metrics[m.done].missing;
        const partial = t.metrics[m.done].reported > 0 && blank + t.absent > 0;
        expect(cells.done.partial !== '', `${r.code} ${m.id}`).toBe(partial);
        if (partial) expect(cells.done.partial).toContain('部分合计');
        if (m.ratio) expect(cells.ratio).toEqual(t.ratios[m.ratio]);
      }
    }
  });

  it('sorts: codes ascending by default, ratios largest first with 无计划 and 未填报 last', () => {
    expect(sortCountyRows(rows, 'code').map((r) => r.code)).toEqual([...rows.map((r) => r.code)].sort());
    for (const s of COUNTY_SORTS.filter((s) => s.key.endsWith('-ratio'))) {
      const id = s.key.replace(/-ratio$/, '') as (typeof MEASURE_PAIRS)[number]['id'];
      const values = sortCountyRows(rows, s.key).map((r) => rankValue(r.measures[id].ratio));
      expect(values).toEqual([...values].sort((a, b) => b - a));
    }
  });
});

describe('the units directory', () => {
  const { rows, lists, provinces, types } = unitLists(model);
  it('promised is the sum of the unit’s agreements; arrived is the model’s total, partial when blanks', () => {
    for (const r of rows) {
      const u = model.units.get(r.code)!;
      expect(r.promised).toBe(u.pairings.reduce((s, p) => s + p.pairing.pledgedFunds, 0));
      // its latest month is the last month in which the unit's totals count a report
      expect(r.latestMonth, r.code).toBe(model.months.filter((m) => u.byMonth.get(m)!.records > 0).at(-1) ?? null);
      if (!r.latestMonth) continue;
      const t = u.byMonth.get(r.latestMonth)!;
      expect(r.arrived.partial !== '', r.code).toBe(t.metrics.fundsDone.reported > 0 && t.metrics.fundsDone.missing + t.absent > 0);
    }
  });

  it('every list is bounded: (provinces + 1) × (types + 1) + measures lists, 3 sorts, ≤ MAX_PAGES pages', () => {
    expect(lists).toHaveLength(((provinces.length + 1) * (types.length + 1) + MEASURE_PAIRS.length) * UNIT_SORTS.length);
    for (const l of lists) expect(l.pages).toBeLessThanOrEqual(MAX_PAGES);
    const all = lists.find((l) => !l.filter.province && !l.filter.type && !l.filter.measure && l.sort === 'promised')!;
    expect(all.total).toBe(model.units.size);
    expect(all.rows).toHaveLength(Math.min(all.total, MAX_PAGES * PER_PAGE));
    expect(all.pages).toBe(Math.min(MAX_PAGES, Math.ceil(model.units.size / PER_PAGE)));
    const promised = all.rows.map((r) => r.promised);
    expect(promised).toEqual([...promised].sort((a, b) => b - a));
  });

  it('filters keep only units that help in the province / are of the type', () => {
    for (const l of lists) {
      for (const r of l.rows) {
        if (l.filter.province) expect(r.provinces.map((p) => p.code)).toContain(l.filter.province);
        if (l.filter.type) expect(r.type).toBe(l.filter.type);
        if (l.filter.measure) expect(r.measures[l.filter.measure].plan.raw).toBeGreaterThan(0);
      }
    }
  });

  it('URLs: the default list is /units/, the others under /units/list/', () => {
    expect(unitListHref({ province: null, type: null, measure: null }, 'promised')).toBe('/units/');
    expect(unitListHref({ province: null, type: null, measure: null }, 'promised', 2)).toBe('/units/list/all/all/all/promised/2/');
    expect(unitListHref({ province: '52', type: '社会组织', measure: null }, 'ratio')).toBe('/units/list/52/social/all/ratio/');
  });
});

describe('the compare tool', () => {
  it('a selection survives the URL; junk, repeats and a sixth entity are dropped', () => {
    const s = { entities: [{ kind: 'villages', code: '533323101001' }, { kind: 'counties', code: '520525' }, { kind: 'units', code: '91520500MA6K0002XC' }], measure: 'employment' } as const;
    expect(parseSelection(selectionSearch({ ...s, entities: [...s.entities] }))).toEqual(s);
    expect(parseSelection('?e=v:1,x:2,v:533323101001,v:533323101001,c:<script>&m=nope')).toEqual({ entities: [{ kind: 'villages', code: '533323101001' }], measure: 'industry' });
    const many = Array.from({ length: 7 }, (_, i) => `c:52052${i}`).join(',');
    expect(parseSelection(`?e=${many}`).entities).toHaveLength(MAX_COMPARED);
    expect(refFromHref('/units/91520500MA6K0002XC/')).toEqual({ kind: 'units', code: '91520500MA6K0002XC' });
    expect(refFromHref('/stories/x/')).toBeNull();
  });

  it('series.json is the model’s totals; the table and its CSV say the same; gaps stay gaps', () => {
    const v = entitySeriesOf(small, 'villages', '533323101001', true)!;
    const c = entitySeriesOf(small, 'counties', '520525', true)!;
    const county = small.counties.get('520525')!;
    small.months.forEach((m, i) => {
      const t = county.byMonth.get(m)!;
      expect(c.measures.industry.done[i]).toBe(t.metrics.fundsDone.reported ? t.metrics.fundsDone.sum : null);
      expect(c.records[i]).toBe(t.records);
    });
    const table = compareTable([v, c], 'industry');
    expect(table.rows).toHaveLength(v.months.length + c.months.length);
    const parsed = Papa.parse<string[]>(compareCsv(table).replace(/^\ufeff/, ''), { skipEmptyLines: true }).data;
    expect(parsed).toEqual([table.head, ...table.rows]);
    const lines = chartLines([v, c], 'industry');
    expect(lines.lines).toHaveLength(4);
    const jan = { ...v, months: ['2020-05', ...v.months], records: [0, ...v.records] };
    jan.measures = Object.fromEntries(Object.entries(v.measures).map(([k, m]) => [k, { ...m, plan: [null, ...m.plan], done: [null, ...m.done], planMissing: [0, ...m.planMissing], doneMissing: [0, ...m.doneMissing], ratio: [null, ...m.ratio] }])) as typeof v.measures;
    expect(chartLines([jan], 'industry').lines[0]!.values[0]).toBeNull();
    expect(compareTable([jan], 'industry').rows[0]!.slice(5)).toEqual(['未上报', '未上报', '未上报']);
  });

  it('a cell that looks like a formula is escaped in the CSV', () => {
    const csv = compareCsv({ caption: '', head: ['对象'], rows: [['=1+1']], entity: [0] });
    expect(csv).toContain("'=1+1");
  });
});
