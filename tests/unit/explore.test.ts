/**
 * The explore pages' rules: the county table and the units directory show the read model's
 * totals (not a second sum), the directory's page count is bounded, the compare tool's
 * selection survives the URL and its table and CSV say the same, series.json is the model.
 */
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { compareCsv } from '../../src/lib/model/compare-csv.ts';
import { compareChart, compareTable, MAX_COMPARED, parseSelection, refFromHref, selectionSearch, viewOf } from '../../src/lib/model/compare.ts';
import { compareSvgDocument, panelSvg } from '../../src/lib/render/compare-svg.ts';
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
    const s = { entities: [{ kind: 'villages', code: '533323101001' }, { kind: 'counties', code: '520525' }, { kind: 'units', code: '91520500MA6K0002XC' }], measure: 'employment', view: 'ratio' } as const;
    expect(parseSelection(selectionSearch({ ...s, entities: [...s.entities] }))).toEqual(s);
    expect(selectionSearch({ ...s, entities: [...s.entities] })).toBe('?e=v:533323101001,c:520525,u:91520500MA6K0002XC&m=employment');
    expect(parseSelection(selectionSearch({ ...s, entities: [...s.entities], view: 'amount' }))).toEqual({ ...s, view: 'amount' });
    expect(parseSelection('?e=v:1,x:2,v:533323101001,v:533323101001,c:<script>&m=nope&v=log')).toEqual({ entities: [{ kind: 'villages', code: '533323101001' }], measure: 'industry', view: 'ratio' });
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
    const amounts = compareChart([v, c], 'industry', 'amount');
    expect(amounts.panels.map((p) => p.lines.length)).toEqual([2, 2]);
    const jan = { ...v, months: ['2020-04', ...v.months], records: [0, ...v.records], absent: [v.pairings, ...v.absent] };
    jan.measures = Object.fromEntries(Object.entries(v.measures).map(([k, m]) => [k, { ...m, plan: [null, ...m.plan], done: [null, ...m.done], planMissing: [0, ...m.planMissing], doneMissing: [0, ...m.doneMissing], ratio: [null, ...m.ratio], ratioMissing: [0, ...m.ratioMissing] }])) as typeof v.measures;
    expect(compareChart([jan], 'industry', 'ratio').panels[0]!.lines[0]!.points[0]).toEqual({ value: null, text: '未上报', partial: null });
    expect(compareChart([jan], 'industry', 'amount').panels[0]!.lines[0]!.points[0]!.value).toBeNull();
    expect(compareTable([jan], 'industry').rows[0]!.slice(5)).toEqual(['未上报', '未上报', '未上报']);
  });

  it('a cell that looks like a formula is escaped in the CSV', () => {
    const csv = compareCsv({ caption: '', head: ['对象'], rows: [['=1+1']], entity: [0] });
    expect(csv).toContain("'=1+1");
  });

  // The issue's own comparison: a village, its county and its province (shipped data).
  const trio = [entitySeriesOf(model, 'villages', '450225001200', true)!, entitySeriesOf(model, 'counties', '450225', true)!, entitySeriesOf(model, 'provinces', '45', true)!];

  it('draws the completion ratio by default: one axis in %, each point the series’ own ratio', () => {
    const chart = compareChart(trio, 'industry', parseSelection('?e=v:450225001200,c:450225,p:45&m=industry').view);
    expect(chart.view).toBe('ratio');
    expect(chart.panels).toHaveLength(1);
    expect(chart.panels[0]!.unit).toBe('%');
    expect(chart.panels[0]!.lines.map((l) => l.role)).toEqual(['ratio', 'ratio', 'ratio']);
    trio.forEach((s, i) => {
      const line = chart.panels[0]!.lines[i]!;
      chart.months.forEach((m, k) => {
        const j = s.months.indexOf(m);
        const r = s.measures.industry.ratio[j];
        const p = line.points[k]!;
        if (r?.kind === 'value' && s.records[j]! > 0) {
          expect(p.value).toBe(Math.round(r.percent * 10) / 10);
          expect(p.text).toMatch(/^[\d,.]+%/);
        } else expect(p.value).toBeNull();
      });
    });
    expect(chart.asOf).toBe(model.months.at(-1));
    expect(chart.units).toContain('%');
  });

  it('a partial month is drawn with its note, never dropped: the province’s months are nearly all partial', () => {
    const province = trio[2]!;
    for (const view of ['ratio', 'amount'] as const) {
      const chart = compareChart(trio, 'industry', view);
      const lines = chart.panels.flatMap((p) => p.lines).filter((l) => l.entity === 2);
      for (const line of lines) {
        province.months.forEach((m, j) => {
          const p = line.points[chart.months.indexOf(m)]!;
          const ms = province.measures.industry;
          const [blank, value] = line.role === 'ratio' ? [ms.ratioMissing[j]!, ms.ratio[j]?.kind === 'value' ? 1 : null] : line.role === 'plan' ? [ms.planMissing[j]!, ms.plan[j]] : [ms.doneMissing[j]!, ms.done[j]];
          if (value === null || value === undefined || province.records[j] === 0) return expect(p.value).toBeNull();
          expect(p.value, `${view} ${line.role} ${m}`).not.toBeNull();
          const absent = province.absent[j]!;
          if (blank + absent > 0) {
            expect(p.partial).toMatch(/^部分合计：/);
            if (blank) expect(p.partial).toContain(`${blank}\u00a0个结对未填报`);
            if (absent) expect(p.partial).toContain(`${absent}\u00a0个结对未上报`);
          } else expect(p.partial).toBeNull();
        });
      }
      // the province's done line is drawn in most months, as partial points
      const done = lines.find((l) => l.role !== 'plan')!;
      expect(done.points.filter((p) => p.value !== null && p.partial).length).toBeGreaterThan(province.months.length / 2);
      expect(chart.partials).toBeGreaterThan(0);
    }
  });

  it('plan and done in amounts: small multiples, one per entity, each on its own axis with its unit; 派驻力量 has no ratio', () => {
    const chart = compareChart(trio, 'industry', 'amount');
    expect(chart.panels.map((p) => p.entity)).toEqual([0, 1, 2]);
    expect(chart.panels.map((p) => p.unit)).toEqual(['万元', '万元', '万元']);
    const county = trio[1]!;
    const j = county.months.length - 1;
    expect(chart.panels[1]!.lines[1]!.points[chart.months.indexOf(county.months[j]!)]!.value).toBe(county.measures.industry.done[j]! / 10000);
    expect(viewOf({ measure: 'stationing', view: 'ratio' })).toBe('amount');
    const stationing = compareChart(trio, 'stationing', 'ratio');
    expect(stationing.view).toBe('amount');
    expect(stationing.panels[0]!.unit).toBe('个 / 人');
  });

  it('the SVG writer draws partial months hollow with their note; the image file carries title, units, source and month', () => {
    const chart = compareChart(trio, 'industry', 'ratio');
    const { svg, geometry } = panelSvg(chart, chart.panels[0]!, 600, 320);
    expect(geometry.xs).toHaveLength(chart.months.length);
    const hollow = [...svg.matchAll(/<path [^>]*fill="#ffffff"[^>]*data-partial="([^"]+)"[^>]*><title>([^<]+)<\/title>/g)];
    expect(hollow.length).toBe(chart.partials);
    for (const [, note, title] of hollow) {
      expect(note).toMatch(/^部分合计：\d+/);
      expect(title).toContain(note);
    }
    expect(svg).not.toMatch(/style=|<script|href=/);
    // a hidden entity is not drawn
    expect(panelSvg(chart, chart.panels[0]!, 600, 320, new Set([1])).svg).not.toContain('data-entity="1"');
    const doc = compareSvgDocument(chart, { site: '宣传公示专区', link: 'https://example.invalid/compare/?e=v:450225001200' });
    expect(doc).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 960 \d+"/);
    for (const text of [chart.title, '单位：%', '来源：宣传公示专区', `数据截至：${chart.asOf!.replace(/^(\d+)-0?(\d+)$/, '$1年$2月')}`, '合成数据', '部分合计：', trio[0]!.name]) expect(doc, text).toContain(text);
    const amounts = compareSvgDocument(compareChart(trio, 'industry', 'amount'), { site: 'x', link: 'y' });
    expect(amounts).toContain('单位：万元');
  });
});
