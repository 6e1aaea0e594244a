/**
 * The shipped data read as an auditor would: a village with a blank shows a partial sum (not
 * a dip), and the home page, the bulletin, the province and the county pages agree on every
 * figure they share, for every month.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_COUNTS, figure, ratioFigure } from '../../src/lib/model/aggregate.ts';
import { buildBulletin, buildPublishedBulletin } from '../../src/lib/model/bulletin.ts';
import { monthPublishedOn, recordsAsOf } from '../../src/lib/ingest/revisions.ts';
import { trendChart } from '../../src/lib/render/charts.ts';
import { PAIR, REPORTED_METRIC_IDS } from '../../src/lib/metric-catalogue.ts';
import { formatAmount, formatFigure, formatRatioFigure } from '../../src/lib/render/format.ts';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { buildSiteModel } from '../../src/lib/model/read-model.ts';
import { measureSummaries } from '../../src/lib/model/overview.ts';
import { county3Table } from '../../src/lib/render/presentation.ts';
import { partialMonths, planDoneTrend } from '../../src/lib/model/trends.ts';

const data = ingestDataDir(path.resolve(import.meta.dirname, '../../data'));
const model = buildSiteModel(data);

describe('高田村 (520627001200), 2020年8月: one of its two units left 已解决就业 blank', () => {
  const v = model.villages.get('520627001200')!;
  it('the village sum is partial, with who is missing — not 0 and not a plain number', () => {
    expect(v.pairings.length).toBeGreaterThan(1);
    const f = figure(v.byMonth.get('2020-08'), 'jobsDone');
    expect(f.partial).toBe(true);
    expect(f.blank).toBe(1);
    expect(formatFigure(f, '人')).toMatch(/^\d[\d,]*\u00a0人（部分合计：1\u00a0个结对未填报，未计入）$/);
    expect(partialMonths(v, model.months, [PAIR.jobs]).map((p) => p.month)).toContain('2020-08');
  });
  it('its chart has no dip: 2020年8月 is a gap, and the data table says 部分合计', () => {
    const spec = trendChart(planDoneTrend(v, model.months, PAIR.jobs));
    const i = model.months.indexOf('2020-08');
    expect(spec.trend!.series[1]!.values[i]).toBeNull();
    expect(spec.table.rows[i]![2]).toMatch(/部分合计/);
    expect(spec.summary).toMatch(/2020年8月.*部分合计.*图中未画出/);
    // the drawn points never go down where nothing was corrected
    const drawn = spec.trend!.series[1]!.values.filter((x): x is number => x !== null);
    expect(drawn).toEqual([...drawn].sort((a, b) => a - b));
  });
  it('every village-month with a blank is partial (the shipped data plants many)', () => {
    let partial = 0;
    for (const village of model.villages.values()) {
      for (const m of model.months) {
        const t = village.byMonth.get(m)!;
        for (const id of REPORTED_METRIC_IDS) {
          const f = figure(t, id);
          if (t.metrics[id].missing > 0 && t.metrics[id].reported > 0) {
            expect(f.partial).toBe(true);
            partial++;
          }
        }
      }
    }
    expect(partial).toBeGreaterThan(100);
  });
});

describe('home, bulletin, province and county pages agree on every shared figure, every month', () => {
  for (const month of model.months) {
    it(month, () => {
      const national = model.national.byMonth.get(month)!;
      const home = measureSummaries(national).flatMap((s) => s.lines);
      const bulletin = buildBulletin(model, month, () => null, []);
      for (const f of bulletin.figures) {
        const card = home.find((l) => l.key === f.key);
        if (card) {
          expect(card.raw, `${month} ${f.key}`).toBe(f.raw);
          expect(card.partial).toBe(f.partial);
        }
        // provinces add up to the bulletin's national figure, blanks and missing rows too
        const provinces = [...model.provinces.values()].map((p) => figure(p.byMonth.get(month), f.key));
        expect(provinces.reduce((s, x) => s + (x.value ?? 0), 0)).toBe(f.raw ?? 0);
        const counties = [...model.counties.values()].map((c) => figure(c.byMonth.get(month), f.key));
        expect(counties.reduce((s, x) => s + (x.value ?? 0), 0)).toBe(f.raw ?? 0);
        expect(counties.reduce((s, x) => s + x.blank, 0)).toBe(national.metrics[f.key].missing);
      }
      // completed plans: the home card and the bulletin count the same pairings (was 328 vs 327)
      const industry = bulletin.completed.find((c) => c.label === '产业扶贫计划')!;
      expect(home.find((l) => l.label === '已完成产业计划的结对')!.raw).toBe(industry.completed);
      for (const pc of PLAN_COUNTS) {
        const sum = [...model.provinces.values()].reduce((s, p) => s + p.byMonth.get(month)!.completed[pc.id].completed, 0);
        expect(bulletin.completed.find((c) => c.label === pc.planName)!.completed).toBe(sum);
      }
      // the bulletin's province rows are the province pages' figures
      for (const row of bulletin.provinces) {
        const p = model.provinces.get(row.code)!.byMonth.get(month)!;
        expect(row.cells[0]).toBe(formatFigure(figure(p, 'fundsDone'), '万元', { bare: true }));
        expect(row.cells[1]).toBe(formatRatioFigure(ratioFigure(p, 'fundsRatio'), { short: true }));
        expect(row.reported).toBe(p.records);
      }
      // a county's 附件3 合计 is its page's figure
      for (const c of model.counties.values()) {
        const t = c.byMonth.get(month)!;
        if (t.records === 0) continue;
        const table = county3Table(month, c.pairings, t);
        const col = 1; // 资金已到位总投入
        const f = figure(t, 'fundsDone');
        expect(table.total[col]).toBe(f.value === null ? '未填报' : formatFigure(f, '万元', { bare: true, short: true }));
      }
    });
  }
});

describe('a published bulletin whose figures a later correction changed keeps its text and says what changed', () => {
  const publishedOn = (m: string) => monthPublishedOn(data.manifest!, m);
  const asOf = (date: string) => buildSiteModel({ ...data, progress: recordsAsOf(data.progress, data.revisions, date).records });
  const revision = data.revisions[0]!;

  it('the shipped data has a revision of 2020年8月 made after its bulletin was published', () => {
    expect(revision.month).toBe('2020-08');
    expect(revision.date > publishedOn('2020-08')!).toBe(true);
    expect(revision.changes.some((c) => c.kind === 'changed' && c.metric === 'fundsDone')).toBe(true);
  });

  it('2020年8月: the original figures, and each changed one as before → after with the revision', () => {
    const published = buildPublishedBulletin(model, '2020-08', publishedOn, data.revisions, asOf);
    const current = buildBulletin(model, '2020-08', publishedOn, data.revisions);
    const original = asOf(publishedOn('2020-08')!).national.byMonth.get('2020-08')!;
    const funds = published.figures.find((f) => f.key === 'fundsDone')!;
    expect(funds.raw).toBe(figure(original, 'fundsDone').value);
    expect(funds.raw).not.toBe(current.figures.find((f) => f.key === 'fundsDone')!.raw);
    expect(published.amendments).toHaveLength(1);
    const a = published.amendments[0]!;
    expect(a).toMatchObject({ revisionId: revision.id, month: '2020-08', date: revision.date });
    expect(a.lines).toContainEqual({ label: '资金已到位', before: formatAmount(funds.raw!, '万元'), after: formatAmount(current.figures.find((f) => f.key === 'fundsDone')!.raw!, '万元') });
  });

  it('undoing a revision and redoing it gives the data of today; bulletins after the revision need no note', () => {
    const today = recordsAsOf(data.progress, data.revisions, '9999-12-31');
    expect(today.records).toEqual(data.progress);
    expect(buildPublishedBulletin(model, '2020-09', publishedOn, data.revisions, asOf).amendments).toEqual([]);
    expect(buildPublishedBulletin(model, '2020-07', publishedOn, data.revisions, asOf).amendments).toEqual([]);
  });
});
