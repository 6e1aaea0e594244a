/**
 * aggregate.ts, the one figure rule, checked against the shipped files' own cells: every
 * province-level flat export of every month is summed here from its CSV cells (papaparse,
 * 万元 → 元 by string arithmetic) and compared with totals() over the records the ingest made
 * of it; then the rule's edges (未填报, 未上报, 无计划, 超额, flags, other months) on real
 * records with chosen values.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { PLAN_COUNTS, change, figure, pairingsFigure, ratioFigure, reportedMonths, totals, type Figure } from '../../src/lib/model/aggregate.ts';
import { formatFigure, formatRatioFigure } from '../../src/lib/render/format.ts';
import { ingest } from '../../src/lib/ingest/ingest.ts';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { buildSiteModel } from '../../src/lib/model/read-model.ts';
import type { MetricValues, ProgressRecord } from '../../src/lib/ingest/records.ts';
import { DATA, REPORTED_HEADERS, cellValue, readFlatExport, readRegistry, shippedFlatExports, wanToYuan } from './shipped-cells.ts';

const data = ingestDataDir(DATA);
const model = buildSiteModel(data);
const IDS = Object.keys(REPORTED_HEADERS) as Array<keyof typeof REPORTED_HEADERS>;

/** Sums of one file's cells, made here: sum, reported and blank per metric. */
function cellSums(rows: Array<Record<string, string>>) {
  return Object.fromEntries(
    IDS.map((id) => {
      const values = rows.map((r) => cellValue(id, r));
      const given = values.filter((v): v is number => v !== null);
      return [id, { sum: given.reduce((a, b) => a + b, 0), reported: given.length, missing: values.length - given.length }];
    }),
  );
}

describe('totals() equal the sums of the shipped CSV cells', () => {
  const files = shippedFlatExports();

  it('the shipped data has province-level flat exports in every month, with blanks', () => {
    expect(new Set(files.map((f) => f.month)).size).toBe(model.months.length);
    expect(files.length).toBeGreaterThanOrEqual(model.months.length * 7);
    const blanks = files.flatMap((f) => readFlatExport(path.join(DATA, f.file))).filter((r) => IDS.some((id) => cellValue(id, r) === null));
    expect(blanks.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [f.file, f] as const))('%s', (_name, { month, file }) => {
    const rows = readFlatExport(path.join(DATA, file));
    const records = data.progress.filter((p) => p.source.file === file);
    // every data row became one record: nothing dropped on the way to the figures
    expect(records).toHaveLength(rows.length);
    const t = totals(month, records);
    const expected = cellSums(rows);
    for (const id of IDS) expect(t.metrics[id], `${file} ${id}`).toEqual(expected[id]);
    expect(t.records).toBe(rows.length);
    expect(t.absent).toBe(0);
  });
});

describe('a whole province: 宁夏回族自治区 (64), every month', () => {
  // 宁夏 sends one flat file a month and no county tables: its figures are that file's cells
  const pairingsIn64 = readRegistry('pairings').filter((r) => r['村代码']!.startsWith('64')).length;
  const province = model.provinces.get('64')!;

  it('the registry and the model agree on how many pairings the province has', () => {
    expect(pairingsIn64).toBeGreaterThan(5);
    expect(province.pairingCount).toBe(pairingsIn64);
  });

  it.each(model.months)('%s: sums, 未填报 and 未上报 as the cells say; partial exactly when someone is missing', (month) => {
    const rows = readFlatExport(path.join(DATA, `exports/${month}/宁夏回族自治区.csv`));
    const t = province.byMonth.get(month)!;
    const absent = pairingsIn64 - rows.length;
    expect(t.absent).toBe(absent);
    expect(t.expected).toBe(pairingsIn64);
    const sums = cellSums(rows);
    for (const id of IDS) {
      const f = figure(t, id);
      const s = sums[id]!;
      expect(f, `${month} ${id}`).toEqual({ value: s.reported > 0 ? s.sum : null, blank: s.missing, absent, partial: s.reported > 0 && s.missing + absent > 0 });
      const text = formatFigure(f, '人');
      expect(text.includes('部分合计'), `${month} ${id}: ${text}`).toBe(f.partial);
      if (f.partial && s.missing > 0) expect(text).toContain(`${s.missing}\u00a0个结对未填报`);
    }
  });

  it.each(model.months)('%s: completion ratios over the rows that gave both plan and done; completed plans counted by row', (month) => {
    const rows = readFlatExport(path.join(DATA, `exports/${month}/宁夏回族自治区.csv`));
    const t = province.byMonth.get(month)!;
    const pairs = [
      ['fundsRatio', 'fundsPlan', 'fundsDone'],
      ['materialsRatio', 'materialsPlan', 'materialsDone'],
      ['salesRatio', 'salesPlan', 'salesDone'],
      ['jobsRatio', 'jobsPlan', 'jobsDone'],
      ['trainingRatio', 'trainingPlan', 'trainingDone'],
    ] as const;
    for (const [ratioId, planId, doneId] of pairs) {
      const both = rows.map((r) => [cellValue(planId, r), cellValue(doneId, r)] as const).filter((x): x is readonly [number, number] => x[0] !== null && x[1] !== null);
      const plan = both.reduce((a, x) => a + x[0], 0);
      const done = both.reduce((a, x) => a + x[1], 0);
      const rf = ratioFigure(t, ratioId);
      expect(rf.blank, `${month} ${ratioId}`).toBe(rows.length - both.length);
      if (both.length === 0) expect(rf.ratio).toEqual({ kind: 'unreported' });
      else if (plan === 0) expect(rf.ratio).toEqual({ kind: 'noPlan' });
      else {
        expect(rf.ratio.kind).toBe('value');
        if (rf.ratio.kind === 'value') {
          expect(rf.ratio.percent).toBeCloseTo((done / plan) * 100, 9);
          expect(rf.ratio.over).toBe(done > plan);
        }
      }
    }
    for (const pc of PLAN_COUNTS) {
      const withPlan = rows.filter((r) => (cellValue(pc.plan, r) ?? 0) > 0);
      const completed = withPlan.filter((r) => {
        const d = cellValue(pc.done, r);
        return d !== null && (pc.id === 'industry' ? d === 1 : d >= cellValue(pc.plan, r)!);
      });
      expect(t.completed[pc.id], `${month} ${pc.id}`).toMatchObject({ withPlan: withPlan.length, completed: completed.length, planMissing: rows.filter((r) => cellValue(pc.plan, r) === null).length });
    }
  });
});

describe('the 附件3 template as a county fills it in: totals() equal the county’s own 合计 row', () => {
  const DIR = path.resolve(import.meta.dirname, '../fixtures/workbooks');
  // 附件3's nineteen metric columns after 序号, 帮扶村, 结对帮扶单位 (GUIDE §3), ratios included
  const COLUMNS = ['fundsPlan', 'fundsDone', 'fundsRatio', 'materialsPlan', 'materialsDone', 'materialsRatio', 'hasIndustryPlan', 'industryPlanDone', 'salesPlan', 'salesDone', 'salesRatio', 'jobsPlan', 'jobsDone', 'jobsRatio', 'trainingPlan', 'trainingDone', 'trainingRatio', 'stationed', 'stationedCount'] as const;
  const rows = Papa.parse<string[]>(new TextDecoder('gb18030').decode(readFileSync(path.join(DIR, '附件3-福贡县.csv'))), { skipEmptyLines: true }).data;
  const total = rows.find((r) => r[0] === '合计')!;
  const cell = (id: (typeof COLUMNS)[number]) => total[3 + COLUMNS.indexOf(id)]!;

  it.each(['附件3-福贡县.csv', '附件3-福贡县.xlsx'])('%s', (name) => {
    const r = ingest({
      villages: { path: 'registry/villages.csv', bytes: new Uint8Array(readFileSync(path.join(DIR, 'registry/villages.csv'))) },
      units: { path: 'registry/units.csv', bytes: new Uint8Array(readFileSync(path.join(DIR, 'registry/units.csv'))) },
      pairings: { path: 'registry/pairings.csv', bytes: new Uint8Array(readFileSync(path.join(DIR, 'registry/pairings.csv'))) },
      exports: [{ path: `exports/2020-07/云南省/怒江傈僳族自治州/福贡县.${name.split('.').pop()}`, bytes: new Uint8Array(readFileSync(path.join(DIR, name))), month: '2020-07' }],
    });
    expect(r.ok).toBe(true);
    const t = totals('2020-07', r.progress);
    expect(t.records).toBe(2);
    for (const id of IDS) {
      const kind = REPORTED_HEADERS[id][1];
      expect(t.metrics[id].sum, id).toBe(kind === 'money' ? wanToYuan(cell(id)) : Number(cell(id)));
    }
    // the county's ratio cells (two decimals) are the ratios of its sums
    for (const id of ['fundsRatio', 'materialsRatio', 'salesRatio', 'jobsRatio', 'trainingRatio'] as const) {
      const rf = ratioFigure(t, id);
      expect(rf.ratio.kind, id).toBe('value');
      if (rf.ratio.kind === 'value') expect(rf.ratio.percent.toFixed(2), id).toBe(Number(cell(id)).toFixed(2));
    }
  });
});

// ------------------------------------------------------------ the rule's edges on real records

/** Two real records of 2020-08 from one village's pairings, values replaced. */
const base = data.progress.find((p) => p.month === '2020-08')!;
const rec = (over: Partial<MetricValues>, month = '2020-08', id = 'a'): ProgressRecord => ({ ...base, id, pairingId: id, month, values: { ...base.values, ...over } });

describe('the one figure rule, edge by edge', () => {
  it('a blank is 未填报, not 0: left out of the sum, counted as missing, and the sum is partial', () => {
    const t = totals('2020-08', [rec({ jobsDone: 7 }, '2020-08', 'a'), rec({ jobsDone: null }, '2020-08', 'b')]);
    expect(figure(t, 'jobsDone')).toEqual({ value: 7, blank: 1, absent: 0, partial: true });
    expect(formatFigure(figure(t, 'jobsDone'), '人')).toBe('7\u00a0人（部分合计：1\u00a0个结对未填报，未计入）');
  });

  it('all blank: nothing reported is 未填报, never 0 and never partial', () => {
    const t = totals('2020-08', [rec({ jobsDone: null }, '2020-08', 'a'), rec({ jobsDone: null }, '2020-08', 'b')]);
    const f = figure(t, 'jobsDone');
    expect(f).toEqual({ value: null, blank: 2, absent: 0, partial: false });
    expect(formatFigure(f, '人')).toBe('未填报');
  });

  it('a pairing that sent no row is 未上报; an area where nobody reported says 未上报', () => {
    const t = totals('2020-08', [rec({ salesDone: 1_000_000 })], 3);
    expect(t).toMatchObject({ records: 1, expected: 3, absent: 2 });
    expect(formatFigure(figure(t, 'salesDone'), '万元')).toBe('100.00\u00a0万元（部分合计：2\u00a0个结对未上报，未计入）');
    const none = totals('2020-08', [], 4);
    expect(figure(none, 'salesDone')).toEqual({ value: null, blank: 0, absent: 4, partial: false });
    expect(formatFigure(figure(none, 'salesDone'), '万元')).toBe('未上报');
    // a month the area has no totals for at all
    expect(figure(undefined, 'salesDone')).toEqual({ value: null, blank: 0, absent: 0, partial: false });
  });

  it('records of other months are not counted; more records than expected never gives a negative 未上报', () => {
    const t = totals('2020-08', [rec({ fundsDone: 5 }, '2020-07', 'a'), rec({ fundsDone: 9 }, '2020-08', 'b'), rec({ fundsDone: 11 }, '2020-08', 'c')], 1);
    expect(t.records).toBe(2);
    expect(t.absent).toBe(0);
    expect(t.metrics.fundsDone.sum).toBe(20);
  });

  it('flags count the pairings that said 1; a 0 is reported, a blank is not', () => {
    const t = totals('2020-08', [rec({ stationed: true }, '2020-08', 'a'), rec({ stationed: false }, '2020-08', 'b'), rec({ stationed: null }, '2020-08', 'c'), rec({ stationed: true }, '2020-08', 'd')]);
    expect(t.metrics.stationed).toEqual({ sum: 2, reported: 3, missing: 1 });
  });

  it('ratios: plan 0 everywhere is 无计划; done over plan is 超额 with its real percent; a blank plan or done leaves the pairing out, marked 部分', () => {
    const noPlan = totals('2020-08', [rec({ salesPlan: 0, salesDone: 0 }, '2020-08', 'a'), rec({ salesPlan: 0, salesDone: 30_000 }, '2020-08', 'b')]);
    expect(noPlan.ratios.salesRatio).toEqual({ kind: 'noPlan' });
    expect(formatRatioFigure(ratioFigure(noPlan, 'salesRatio'))).toBe('无计划');

    const over = totals('2020-08', [rec({ jobsPlan: 4, jobsDone: 3 }, '2020-08', 'a'), rec({ jobsPlan: 0, jobsDone: 3 }, '2020-08', 'b')]);
    expect(over.ratios.jobsRatio).toEqual({ kind: 'value', percent: 150, over: true });
    expect(formatRatioFigure(ratioFigure(over, 'jobsRatio'))).toBe('150.0%（超额）');

    const blank = totals('2020-08', [rec({ fundsPlan: 1_000_000, fundsDone: 250_000 }, '2020-08', 'a'), rec({ fundsPlan: 2_000_000, fundsDone: null }, '2020-08', 'b'), rec({ fundsPlan: null, fundsDone: 9_000_000 }, '2020-08', 'c')], 4);
    const rf = ratioFigure(blank, 'fundsRatio');
    // only the pairing that gave both is in the ratio: 25 / 100
    expect(rf).toEqual({ ratio: { kind: 'value', percent: 25, over: false }, blank: 2, absent: 1, partial: true });
    expect(formatRatioFigure(rf)).toBe('25.0%（部分：2\u00a0个结对未填报、1\u00a0个结对未上报）');

    const nothing = totals('2020-08', [rec({ trainingPlan: null, trainingDone: 3 })]);
    expect(ratioFigure(nothing, 'trainingRatio')).toEqual({ ratio: { kind: 'unreported' }, blank: 1, absent: 0, partial: false });
  });

  it('completed plans: done ≥ plan counts (超额 too), a blank done is unknown, a blank plan is neither', () => {
    const t = totals('2020-08', [
      rec({ jobsPlan: 5, jobsDone: 5 }, '2020-08', 'a'),
      rec({ jobsPlan: 5, jobsDone: 9 }, '2020-08', 'b'),
      rec({ jobsPlan: 5, jobsDone: 4 }, '2020-08', 'c'),
      rec({ jobsPlan: 5, jobsDone: null }, '2020-08', 'd'),
      rec({ jobsPlan: 0, jobsDone: 2 }, '2020-08', 'e'),
      rec({ jobsPlan: null, jobsDone: 2 }, '2020-08', 'f'),
    ]);
    expect(t.completed.jobs).toEqual({ withPlan: 4, completed: 2, unknown: 1, planMissing: 1 });
  });

  it('the 产业扶贫计划 flag: 有 counts as a plan, 已完成 1 as completed, a blank 已完成 as unknown', () => {
    const t = totals('2020-08', [
      rec({ hasIndustryPlan: true, industryPlanDone: true }, '2020-08', 'a'),
      rec({ hasIndustryPlan: true, industryPlanDone: false }, '2020-08', 'b'),
      rec({ hasIndustryPlan: true, industryPlanDone: null }, '2020-08', 'c'),
      rec({ hasIndustryPlan: false, industryPlanDone: true }, '2020-08', 'd'),
      rec({ hasIndustryPlan: null, industryPlanDone: true }, '2020-08', 'e'),
    ]);
    expect(t.completed.industry).toEqual({ withPlan: 3, completed: 1, unknown: 1, planMissing: 1 });
  });

  it('money stays exact: ten thousand 0.01 万元 cells sum to exactly 100 万元', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => rec({ fundsDone: 100 }, '2020-08', `p${i}`));
    const t = totals('2020-08', many);
    expect(t.metrics.fundsDone.sum).toBe(1_000_000);
    expect(formatFigure(figure(t, 'fundsDone'), '万元')).toBe('100.00\u00a0万元');
  });
});

describe('change since last month', () => {
  const whole = (value: number | null): Figure => ({ value, blank: 0, absent: 0, partial: false });
  const part = (value: number): Figure => ({ value, blank: 1, absent: 0, partial: true });
  it('the difference of two whole sums, negative when a correction lowered it', () => {
    expect(change(whole(120), whole(100))).toEqual({ value: 20, partial: false });
    expect(change(whole(90), whole(100))).toEqual({ value: -10, partial: false });
  });
  it('partial when either month is partial; none when either month has nothing', () => {
    expect(change(part(120), whole(100))).toEqual({ value: 20, partial: true });
    expect(change(whole(120), part(100))).toEqual({ value: 20, partial: true });
    expect(change(whole(null), whole(100))).toEqual({ value: null, partial: false });
    expect(change(whole(5), whole(null))).toEqual({ value: null, partial: false });
  });
  it('on the shipped data: every county’s month-over-month 资金已到位 is its CSV-backed sums’ difference', () => {
    for (const c of model.counties.values()) {
      for (let i = 1; i < model.months.length; i++) {
        const now = figure(c.byMonth.get(model.months[i]!), 'fundsDone');
        const before = figure(c.byMonth.get(model.months[i - 1]!), 'fundsDone');
        const d = change(now, before);
        if (now.value === null || before.value === null) expect(d.value).toBeNull();
        else expect(d.value).toBe(now.value - before.value);
        expect(d.partial).toBe(d.value !== null && (now.partial || before.partial));
      }
    }
  });
});

describe('reported months', () => {
  it('the months in which someone reported, in the order given; unknown months are not reported', () => {
    const byMonth = new Map([
      ['2020-05', { records: 0 }],
      ['2020-06', { records: 2 }],
      ['2020-08', { records: 1 }],
    ]);
    expect(reportedMonths(byMonth, ['2020-08', '2020-07', '2020-06', '2020-05'])).toEqual(['2020-08', '2020-06']);
    expect(reportedMonths(new Map(), ['2020-05'])).toEqual([]);
  });
  it('on the shipped data: a county’s reported months are those with a row for one of its villages in the files', () => {
    const monthsWithRows = new Map<string, Set<string>>();
    for (const p of data.progress) {
      const county = p.villageCode.slice(0, 6);
      if (!monthsWithRows.has(county)) monthsWithRows.set(county, new Set());
      monthsWithRows.get(county)!.add(p.month);
    }
    let late = 0;
    for (const c of model.counties.values()) {
      const got = reportedMonths(c.byMonth, model.months);
      expect(got, c.name).toEqual(model.months.filter((m) => monthsWithRows.get(c.code)?.has(m)));
      if (got.length < model.months.length) late++;
    }
    // the demo data plants late reporters, so the rule is exercised
    expect(late).toBeGreaterThan(0);
  });
});

describe('village and unit totals, computed when asked (not kept for all 218,000 at national scale)', () => {
  const records = (pairings: ReadonlyArray<{ byMonth: ReadonlyMap<string, ProgressRecord> }>) => pairings.flatMap((p) => [...p.byMonth.values()]);

  it('every village’s and unit’s totals are totals() over its pairings’ records, month by month', () => {
    for (const area of [...model.villages.values(), ...model.units.values()]) {
      for (const m of model.months) expect(area.byMonth.get(m)).toEqual(totals(m, records(area.pairings), area.pairings.length));
      expect([...area.byMonth.keys()]).toEqual(model.months);
      expect(area.byMonth.get('1999-01')).toBeUndefined();
    }
  });

  it('pairingsFigure is figure() of those totals, for every village, unit, month and metric', () => {
    let partial = 0;
    for (const area of [...model.villages.values(), ...model.units.values()]) {
      for (const m of model.months) {
        const t = area.byMonth.get(m);
        for (const id of IDS) {
          const f = pairingsFigure(area.pairings, m, id);
          expect(f).toStrictEqual(figure(t, id));
          if (f.partial) partial++;
        }
      }
    }
    expect(partial).toBeGreaterThan(100); // blanks and missing rows are planted in the shipped data
  });

  it('asked again after every other village and unit, the same totals', () => {
    const first = model.villages.values().next().value!;
    const asked = first.byMonth;
    const before = new Map(asked);
    for (const v of model.villages.values()) void v.byMonth;
    for (const u of model.units.values()) void u.byMonth;
    expect(model.villages.size + model.units.size).toBeGreaterThan(1000);
    expect(first.byMonth).not.toBe(asked); // computed anew, not remembered
    expect(new Map(first.byMonth)).toEqual(before);
  });
});
