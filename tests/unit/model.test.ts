/** Aggregates add up across levels (county → province → national) and ratios mean what they say. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORTED_METRIC_IDS } from '../../src/lib/metric-catalogue.ts';
import { formatRatio } from '../../src/lib/render/format.ts';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { ratio } from '../../src/lib/ratio.ts';
import { buildSiteModel } from '../../src/lib/model/read-model.ts';
import { recordMeasureRows, table3Cell } from '../../src/lib/render/presentation.ts';
import { completionBand, distribution, sortAreas } from '../../src/lib/model/rankings.ts';

const data = ingestDataDir(path.resolve(import.meta.dirname, '../../data'));
const model = buildSiteModel(data);

describe('aggregates over the shipped data', () => {
  it('every month: the counties of a province sum to the province, the provinces to the nation', () => {
    for (const month of model.months) {
      const national = model.national.byMonth.get(month)!;
      let nationalRecords = 0;
      for (const province of model.provinces.values()) {
        const p = province.byMonth.get(month)!;
        nationalRecords += p.records;
        for (const id of REPORTED_METRIC_IDS) {
          const countySum = province.counties.reduce((s, c) => s + c.byMonth.get(month)!.metrics[id].sum, 0);
          const countyMissing = province.counties.reduce((s, c) => s + c.byMonth.get(month)!.metrics[id].missing, 0);
          expect(countySum, `${province.name} ${month} ${id}`).toBe(p.metrics[id].sum);
          expect(countyMissing).toBe(p.metrics[id].missing);
        }
      }
      expect(nationalRecords).toBe(national.records);
      for (const id of REPORTED_METRIC_IDS) {
        const provinceSum = [...model.provinces.values()].reduce((s, p) => s + p.byMonth.get(month)!.metrics[id].sum, 0);
        expect(provinceSum, `${month} ${id}`).toBe(national.metrics[id].sum);
      }
    }
  });

  it('national totals equal a direct sum of the progress records; sums stay exact integers', () => {
    const month = model.latestMonth!;
    const direct = data.progress.filter((p) => p.month === month).reduce((s, p) => s + (p.values.fundsDone ?? 0), 0);
    expect(model.national.byMonth.get(month)!.metrics.fundsDone.sum).toBe(direct);
    expect(Number.isInteger(direct)).toBe(true);
  });

  it('units’ totals sum to the national totals (every pairing has exactly one unit)', () => {
    const month = model.latestMonth!;
    const unitSum = [...model.units.values()].reduce((s, u) => s + u.byMonth.get(month)!.metrics.salesDone.sum, 0);
    expect(unitSum).toBe(model.national.byMonth.get(month)!.metrics.salesDone.sum);
  });

  it('a late reporter: a county missing a month has no records that month, not zeros', () => {
    const late = [...model.counties.values()].find((c) => model.months.some((m) => c.byMonth.get(m)!.records === 0));
    expect(late, 'the demo data plants late reporters').toBeDefined();
    const month = model.months.find((m) => late!.byMonth.get(m)!.records === 0)!;
    expect(late!.byMonth.get(month)!.ratios.fundsRatio).toEqual({ kind: 'unreported' });
  });
});

describe('ratio semantics', () => {
  it('plan 0 is 无计划, a blank is 未填报, done over plan is 超额 with its real ratio', () => {
    expect(formatRatio(ratio(0, 0))).toBe('无计划');
    expect(formatRatio(ratio(0, 5))).toBe('无计划');
    expect(formatRatio(ratio(null, 5))).toBe('未填报');
    expect(formatRatio(ratio(10, null))).toBe('未填报');
    expect(formatRatio(ratio(200, 250))).toBe('125.0%（超额）');
    expect(formatRatio(ratio(3, 1))).toBe('33.3%');
    for (const text of [ratio(0, 0), ratio(null, 1), ratio(0, 7)].map(formatRatio)) expect(text).not.toMatch(/NaN|Infinity|∞|^0(\.0)?%/);
  });
  it('the 附件3 cells and the measure rows use the same semantics', () => {
    const values = { ...data.progress[0]!.values, fundsPlan: 0, fundsDone: 0, salesPlan: 100_000, salesDone: null, jobsPlan: 4, jobsDone: 6 };
    expect(table3Cell('fundsRatio', values)).toBe('无计划');
    expect(table3Cell('salesDone', values)).toBe('未填报');
    expect(table3Cell('salesRatio', values)).toBe('未填报');
    expect(table3Cell('jobsRatio', values)).toBe('150.0%（超额）');
    const rows = recordMeasureRows(values);
    expect(rows.find((r) => r.key === 'fundsPlan')!.ratioText).toBe('无计划');
    expect(rows.find((r) => r.key === 'jobsPlan')!.ratio).toEqual({ kind: 'value', percent: 150, over: true });
  });
  it('completion bands and rankings put 无计划 and 未填报 apart from real ratios', () => {
    expect(completionBand({ kind: 'noPlan' })).toBe('无计划');
    expect(completionBand({ kind: 'unreported' })).toBe('未填报');
    expect(completionBand({ kind: 'value', percent: 100, over: false })).toBe('完成（100%）');
    expect(completionBand({ kind: 'value', percent: 130, over: true })).toBe('超额（>100%）');
    const month = model.latestMonth!;
    const bands = distribution(model.villages.values(), 'fundsRatio', month);
    expect(bands.reduce((s, b) => s + b.count, 0)).toBe(model.villages.size);
    const sorted = sortAreas([...model.provinces.values()], 'funds-ratio', month);
    const values = sorted.map((p) => p.byMonth.get(month)!.ratios.fundsRatio).map((r) => (r.kind === 'value' ? r.percent : -1));
    expect(values).toEqual([...values].sort((a, b) => b - a));
  });
});
