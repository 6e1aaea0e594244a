/**
 * Property test: for random registries and months (blanks, 无计划, 超额, corrections, several
 * units per village, units paired across counties, pairings that send nothing some months),
 * every figure the read model exposes equals a plain, slow reference computed from the
 * records, and totals add up villages → county → province → national.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLAN_COUNTS, change, figure, ratioFigure } from '../../src/lib/model/aggregate.ts';
import { buildBulletin, buildPublishedBulletin } from '../../src/lib/model/bulletin.ts';
import { diffRecords, recordsAsOf, type RevisionWithChanges } from '../../src/lib/ingest/revisions.ts';
import { METRIC_COLUMNS, PAIR, REPORTED_METRIC_IDS, type RatioMetricId, type ReportedMetricId } from '../../src/lib/metric-catalogue.ts';
import { formatFigure, formatRatio } from '../../src/lib/render/format.ts';
import { ratio } from '../../src/lib/ratio.ts';
import { buildSiteModel, type ModelInput, type SiteModel } from '../../src/lib/model/read-model.ts';
import { measureSummaries } from '../../src/lib/model/overview.ts';
import { distribution, sortAreas } from '../../src/lib/model/rankings.ts';
import { planDoneTrend } from '../../src/lib/model/trends.ts';
import type { MetricValues, Pairing, ProgressRecord, Unit, Village } from '../../src/lib/ingest/records.ts';

const ALL_MONTHS = ['2020-05', '2020-06', '2020-07', '2020-08'];
const FLAGS = new Set<ReportedMetricId>(['hasIndustryPlan', 'industryPlanDone', 'stationed']);
const RATIOS = METRIC_COLUMNS.filter((m) => m.kind === 'ratio' && m.ratioOf).map((m) => ({ id: m.id as RatioMetricId, ...m.ratioOf! }));

/** A value: mostly small numbers (0 = 无计划 for plans; done may exceed plan = 超额), sometimes blank. */
const numberValue = fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant(0) }, { weight: 5, arbitrary: fc.integer({ min: 0, max: 2_000_000 }) });
const flagValue = fc.oneof({ weight: 1, arbitrary: fc.constant(null) }, { weight: 4, arbitrary: fc.boolean() });
const valuesArb: fc.Arbitrary<MetricValues> = fc.record(Object.fromEntries(REPORTED_METRIC_IDS.map((id) => [id, FLAGS.has(id) ? flagValue : numberValue])) as Record<ReportedMetricId, fc.Arbitrary<number | boolean | null>>) as fc.Arbitrary<MetricValues>;

const PROVINCES = [
  { code: '45', name: '广西壮族自治区' },
  { code: '52', name: '贵州省' },
];

interface World {
  input: ModelInput;
  months: string[];
}

/** A registry: 1–4 counties over 2 provinces, 1–4 villages each, 1–5 units; pairings may cross counties. */
const worldArb: fc.Arbitrary<World> = fc
  .record({
    counties: fc.array(fc.record({ province: fc.integer({ min: 0, max: 1 }), villages: fc.integer({ min: 1, max: 4 }) }), { minLength: 1, maxLength: 4 }),
    units: fc.integer({ min: 1, max: 5 }),
    monthCount: fc.integer({ min: 1, max: ALL_MONTHS.length }),
  })
  .chain(({ counties, units, monthCount }) => {
    const villages: Village[] = [];
    counties.forEach((c, ci) => {
      const p = PROVINCES[c.province]!;
      const countyCode = `${p.code}${String(ci + 1).padStart(4, '0')}`;
      for (let v = 0; v < c.villages; v++) {
        villages.push({ code: `${countyCode}${String(v + 1).padStart(6, '0')}`, name: `村${ci}-${v}`, province: p.name, provinceCode: p.code, prefecture: '某市', county: `县${ci}`, countyCode, township: '某镇', source: { file: 'registry/villages.csv', row: villages.length + 2 } });
      }
    });
    const unitList: Unit[] = Array.from({ length: units }, (_, i) => ({ code: `91450000MA5U${String(i).padStart(6, '0')}`, name: `单位${i}`, type: '民营企业', province: '广西壮族自治区', prefecture: null, source: { file: 'registry/units.csv', row: i + 2 } }) as Unit);
    const months = ALL_MONTHS.slice(0, monthCount);
    const candidates = villages.flatMap((v) => unitList.map((u) => [v, u] as const));
    return fc.subarray(candidates, { minLength: 1 }).chain((pairs) => {
      const pairings: Pairing[] = pairs.map(([v, u], i) => ({ id: `${v.code}-${u.code}`, villageCode: v.code, unitCode: u.code, signedOn: '2020-05-01', validUntil: '2021-05-01', pledgedFunds: 0, plan: {} as Pairing['plan'], stationedStaff: null, source: { file: 'registry/pairings.csv', row: i + 2 } }));
      // each pairing, each month: no row (未上报) or a row of values (blanks, zeros, decreases = corrections)
      const cells = pairings.flatMap((p) => months.map((m) => [p, m] as const));
      return fc.tuple(...cells.map(() => fc.option(valuesArb, { freq: 4 }))).map((vals) => {
        const progress: ProgressRecord[] = [];
        cells.forEach(([p, m], i) => {
          const values = vals[i];
          if (values) progress.push({ id: `${m}-${p.id}`, month: m, pairingId: p.id, villageCode: p.villageCode, unitCode: p.unitCode, values, decreases: [], source: { file: `exports/${m}/x.csv`, row: i + 2 } });
        });
        return { input: { villages, units: unitList, pairings, progress }, months };
      });
    });
  });

// ---------------------------------------------------------------- the slow reference

interface RefFigure {
  value: number | null;
  blank: number;
  absent: number;
  partial: boolean;
}

function refFigure(pairings: Pairing[], progress: ProgressRecord[], month: string, id: ReportedMetricId): RefFigure {
  let value: number | null = null;
  let blank = 0;
  let absent = 0;
  for (const p of pairings) {
    const r = progress.find((x) => x.pairingId === p.id && x.month === month);
    if (!r) {
      absent++;
      continue;
    }
    const v = r.values[id];
    if (v === null) blank++;
    else value = (value ?? 0) + (v === true ? 1 : v === false ? 0 : v);
  }
  return { value, blank, absent, partial: value !== null && blank + absent > 0 };
}

function refRatio(pairings: Pairing[], progress: ProgressRecord[], month: string, plan: ReportedMetricId, done: ReportedMetricId) {
  let p = 0;
  let d = 0;
  let any = false;
  for (const pr of pairings) {
    const r = progress.find((x) => x.pairingId === pr.id && x.month === month);
    if (!r) continue;
    const a = r.values[plan] as number | null;
    const b = r.values[done] as number | null;
    if (a === null || b === null) continue;
    p += a;
    d += b;
    any = true;
  }
  return any ? ratio(p, d) : { kind: 'unreported' as const };
}

function refCompleted(pairings: Pairing[], progress: ProgressRecord[], month: string, plan: ReportedMetricId, done: ReportedMetricId) {
  let withPlan = 0;
  let completed = 0;
  for (const pr of pairings) {
    const r = progress.find((x) => x.pairingId === pr.id && x.month === month);
    if (!r) continue;
    const a = r.values[plan];
    const b = r.values[done];
    if (a === null || a === false || a === 0) continue;
    withPlan++;
    if (b === true || (typeof b === 'number' && typeof a === 'number' && b >= a)) completed++;
  }
  return { withPlan, completed };
}

/** Every area of the model with the pairings that define it. */
function areasOf(model: SiteModel, input: ModelInput) {
  const pick = (f: (p: Pairing) => boolean) => input.pairings.filter(f);
  const village = (code: string) => input.villages.find((v) => v.code === code)!;
  return [
    ...[...model.villages].map(([code, a]) => ({ what: `村 ${code}`, area: a, pairings: pick((p) => p.villageCode === code) })),
    ...[...model.units].map(([code, a]) => ({ what: `单位 ${code}`, area: a, pairings: pick((p) => p.unitCode === code) })),
    ...[...model.counties].map(([code, a]) => ({ what: `县 ${code}`, area: a, pairings: pick((p) => village(p.villageCode).countyCode === code) })),
    ...[...model.provinces].map(([code, a]) => ({ what: `省 ${code}`, area: a, pairings: pick((p) => village(p.villageCode).provinceCode === code) })),
    { what: '全国', area: model.national, pairings: input.pairings },
  ];
}

const RUNS = { numRuns: 60, seed: 20201231 };

describe('every figure equals the slow reference (fast-check)', () => {
  it('sums, partial marks, ratios and completed counts of every area and month', () => {
    fc.assert(
      fc.property(worldArb, ({ input, months }) => {
        const model = buildSiteModel(input);
        for (const { what, area, pairings } of areasOf(model, input)) {
          expect(area.pairingCount, what).toBe(pairings.length);
          for (const m of model.months) {
            const t = area.byMonth.get(m)!;
            for (const id of REPORTED_METRIC_IDS) {
              const ref = refFigure(pairings, input.progress, m, id);
              expect(figure(t, id), `${what} ${m} ${id}`).toEqual(ref);
              // the one text rule: never a plain number for a partial sum
              const text = formatFigure(figure(t, id), '人');
              if (ref.partial) expect(text).toMatch(/部分合计/);
              else expect(text).not.toMatch(/部分合计/);
            }
            for (const r of RATIOS) expect(ratioFigure(t, r.id).ratio, `${what} ${m} ${r.id}`).toEqual(refRatio(pairings, input.progress, m, r.plan, r.done));
            for (const pc of PLAN_COUNTS) {
              const ref = refCompleted(pairings, input.progress, m, pc.plan, pc.done);
              expect({ withPlan: t.completed[pc.id].withPlan, completed: t.completed[pc.id].completed }, `${what} ${m} ${pc.id}`).toEqual(ref);
            }
          }
          // trend charts: a partial or empty month is a gap (no false dip); whole sums are drawn
          const trend = planDoneTrend(area, model.months, PAIR.jobs);
          model.months.forEach((m, i) => {
            const ref = refFigure(pairings, input.progress, m, 'jobsDone');
            expect(trend.series[1]!.values[i], `${what} ${m}`).toBe(ref.value === null || ref.partial ? null : ref.value);
            expect(trend.series[1]!.notes![i] !== null).toBe(ref.partial || (ref.value === null && ref.blank === 0 && ref.absent > 0));
          });
        }
        expect(model.months).toEqual(months.filter((m) => input.progress.some((r) => r.month === m)));
      }),
      RUNS,
    );
  });

  it('totals add up: villages → county → province → national (sums, blanks and missing rows)', () => {
    fc.assert(
      fc.property(worldArb, ({ input }) => {
        const model = buildSiteModel(input);
        for (const m of model.months) {
          for (const id of REPORTED_METRIC_IDS) {
            const add = (fs: ReturnType<typeof figure>[]) => ({ value: fs.reduce((s, f) => s + (f.value ?? 0), 0), blank: fs.reduce((s, f) => s + f.blank, 0), absent: fs.reduce((s, f) => s + f.absent, 0) });
            const whole = (f: ReturnType<typeof figure>) => ({ value: f.value ?? 0, blank: f.blank, absent: f.absent });
            for (const c of model.counties.values()) expect(add(c.villages.map((v) => figure(v.byMonth.get(m), id))), `${c.code} ${m} ${id}`).toEqual(whole(figure(c.byMonth.get(m), id)));
            for (const p of model.provinces.values()) expect(add(p.counties.map((c) => figure(c.byMonth.get(m), id)))).toEqual(whole(figure(p.byMonth.get(m), id)));
            expect(add([...model.provinces.values()].map((p) => figure(p.byMonth.get(m), id)))).toEqual(whole(figure(model.national.byMonth.get(m), id)));
            // every pairing has one unit: units add up to the nation too
            expect(add([...model.units.values()].map((u) => figure(u.byMonth.get(m), id)))).toEqual(whole(figure(model.national.byMonth.get(m), id)));
          }
        }
      }),
      RUNS,
    );
  });

  it('the home cards, the bulletin and the rankings show the model’s figures, with the same partial marks', () => {
    fc.assert(
      fc.property(worldArb, ({ input }) => {
        const model = buildSiteModel(input);
        model.months.forEach((m, i) => {
          const t = model.national.byMonth.get(m)!;
          const b = buildBulletin(model, m, () => null, []);
          const cards = measureSummaries(t).flatMap((s) => s.lines);
          for (const f of b.figures) {
            const ref = refFigure(input.pairings, input.progress, m, f.key);
            expect(f.raw, `${m} ${f.key}`).toBe(ref.value);
            expect(f.partial).toBe(ref.partial);
            expect(f.value.includes('部分合计'), `${m} ${f.key} ${f.value}`).toBe(ref.partial);
            expect(f.partialNote !== null).toBe(ref.partial);
            const card = cards.find((l) => l.key === f.key);
            if (card) {
              expect(card.raw).toBe(f.raw);
              expect(card.partial).toBe(f.partial);
            }
            const prev = i > 0 ? model.months[i - 1]! : null;
            if (prev) expect(f.deltaRaw).toBe(change(figure(t, f.key), figure(model.national.byMonth.get(prev), f.key)).value);
          }
          // completed plans: the home card and the bulletin count the same pairings
          const industry = b.completed.find((c) => c.label === '产业扶贫计划')!;
          expect(cards.find((l) => l.label === '已完成产业计划的结对')!.raw).toBe(industry.completed);
          expect(industry).toMatchObject(refCompleted(input.pairings, input.progress, m, 'hasIndustryPlan', 'industryPlanDone'));
          for (const p of b.provinces) expect(p.reported).toBe(model.provinces.get(p.code)!.byMonth.get(m)!.records);
          // rankings: sorted by the same ratio the reference gives, 无计划 and 未填报 last
          const sorted = sortAreas([...model.counties.values()], 'funds-ratio', m);
          const rank = (c: (typeof sorted)[number]) => {
            const r = refRatio(input.pairings.filter((p) => p.villageCode.startsWith(c.code)), input.progress, m, 'fundsPlan', 'fundsDone');
            return r.kind === 'value' ? r.percent : r.kind === 'noPlan' ? -1 : -2;
          };
          for (let k = 1; k < sorted.length; k++) expect(rank(sorted[k - 1]!)).toBeGreaterThanOrEqual(rank(sorted[k]!));
          expect(distribution(model.villages.values(), 'fundsRatio', m).reduce((s, d) => s + d.count, 0)).toBe(model.villages.size);
          expect(formatRatio(t.ratios.fundsRatio)).not.toMatch(/NaN|Infinity/);
        });
      }),
      RUNS,
    );
  });

  it('corrections: a bulletin published before a revision keeps the figures of the data it was published with', () => {
    const corrected = worldArb.chain((w) =>
      fc.record({
        world: fc.constant(w),
        // the corrected copy of the last month: each row kept, changed (new values) or dropped
        edits: fc.array(fc.oneof(fc.constant<'keep'>('keep'), fc.constant<'drop'>('drop'), valuesArb), { minLength: w.input.progress.length, maxLength: w.input.progress.length }),
      }),
    );
    fc.assert(
      fc.property(corrected, ({ world, edits }) => {
        const { input } = world;
        const months = [...new Set(input.progress.map((r) => r.month))].sort();
        const month = months.at(-1);
        if (!month) return; // nothing reported at all: no bulletin
        const before = input.progress;
        const after = before.flatMap((r, i) => {
          const e = edits[i]!;
          if (r.month !== month || e === 'keep') return [r];
          if (e === 'drop') return [];
          return [{ ...r, values: e }];
        });
        const changes = diffRecords(
          before.filter((r) => r.month === month),
          after.filter((r) => r.month === month),
        );
        const revision: RevisionWithChanges = { id: 'r1', month, date: '2099-01-10', files: [], changes };
        const asOf = recordsAsOf(after, [revision], '2099-01-05');
        const dropped = changes.some((c) => c.kind === 'removed');
        if (!dropped) expect(new Set(asOf.records.map((r) => JSON.stringify([r.pairingId, r.month, r.values])))).toEqual(new Set(before.map((r) => JSON.stringify([r.pairingId, r.month, r.values]))));
        else expect(asOf.unrestorable).toEqual([revision]);
        // the published bulletin of that month (a month the correction emptied has no bulletin today)
        if (!after.some((r) => r.month === month)) return;
        const model = buildSiteModel({ ...input, progress: after });
        const asOfModel = (date: string) => buildSiteModel({ ...input, progress: recordsAsOf(after, [revision], date).records });
        const published = buildPublishedBulletin(model, month, (m) => (m === month ? '2099-01-05' : null), [revision], asOfModel);
        const current = buildBulletin(model, month, () => null, [revision]);
        if (dropped) return;
        for (const f of published.figures) expect(f.raw, f.key).toBe(refFigure(input.pairings, before, month, f.key).value);
        const changed = published.figures.some((f, i) => f.value !== current.figures[i]!.value);
        if (changed) {
          expect(published.amendments).toHaveLength(1);
          expect(published.amendments[0]!.revisionId).toBe('r1');
        }
        if (changes.length === 0) expect(published.amendments).toEqual([]);
      }),
      RUNS,
    );
  });
});
