/**
 * 月度通报: generated for every month from the data — national totals and the change
 * since last month, a table by province, how many pairings completed each plan, counties
 * that did not report, notable progress, the month's new stories and the corrections
 * made since the previous bulletin. Plain data; the page renders it.
 */
import { AREA_TABLE_PAIRS, PAIR, PLAN_PAIRS, RATIO_METRIC_IDS, isRatioMetricId, metric, sumUnit, type MetricId, type RatioMetricId, type ReportedMetricId } from '../metric-catalogue.ts';
import { PLAN_COUNTS, change, figure, pairingsFigure, ratioFigure, type Totals } from './aggregate.ts';
import { formatAmount, formatFigure, formatMonth, formatRatioFigure, partialNote } from '../render/format.ts';
import type { SiteModel } from './read-model.ts';
import type { RevisionWithChanges } from '../ingest/revisions.ts';
import { spreadPick } from './spread.ts';

export interface BulletinFigure {
  key: ReportedMetricId;
  label: string;
  value: string;
  /** null: nothing reported */
  raw: number | null;
  /** the sum leaves out pairings that did not report (部分合计) */
  partial: boolean;
  /** who is not in a partial sum: 「31 个结对未填报、22 个结对未上报」; null when whole */
  partialNote: string | null;
  /** change since the previous month's bulletin, or null for the first month */
  delta: string | null;
  deltaRaw: number | null;
}

export interface Bulletin {
  month: string;
  previousMonth: string | null;
  nextMonth: string | null;
  /** YYYY-MM-DD from the publishing record, or null when the files were not filed with data:import */
  publishedOn: string | null;
  reported: number;
  registered: number;
  figures: BulletinFigure[];
  ratios: Array<{ key: RatioMetricId; label: string; value: string }>;
  /** the province table's figure columns (PROVINCE_COLUMNS), one cell each per province */
  provinceColumns: ReadonlyArray<{ key: MetricId; label: string }>;
  provinces: Array<{ code: string; name: string; reported: number; registered: number; cells: string[] }>;
  /** unknown: pairings with the plan that left done blank, so are counted neither way */
  completed: Array<{ label: string; completed: number; withPlan: number; unknown: number }>;
  notReported: Array<{ code: string; name: string; province: string }>;
  notable: Array<{ villageCode: string; villageName: string; county: string; gain: string; gainRaw: number }>;
  reachedPlan: Array<{ villageCode: string; villageName: string; unitCode: string; unitName: string }>;
  corrections: RevisionWithChanges[];
  decreases: number;
  /**
   * Revisions made after this bulletin was published that change its figures: the bulletin
   * keeps the figures it was published with, and lists each change here.
   */
  amendments: BulletinAmendment[];
}

export interface BulletinAmendment {
  revisionId: string;
  /** the month whose data the revision corrected */
  month: string;
  /** YYYY-MM-DD of the revision */
  date: string;
  note: string | null;
  /** what the bulletin said, what the corrected data says */
  lines: Array<{ label: string; before: string; after: string }>;
}

/** The bulletin's figures: every pair's done figure that is an amount or a count (the 1/0 flags are counted as completed plans). */
const FIGURES = PLAN_PAIRS.map((p) => metric(p.done)).filter((m) => m.kind !== 'flag');
/** The province table: funds arrived, then the ratios of the pairs a phone has room for. */
const PROVINCE_COLUMNS = [
  { key: PAIR.funds.done, label: `${metric(PAIR.funds.done).shortLabel}（万元）` },
  ...AREA_TABLE_PAIRS.map((p) => ({ key: p.ratio, label: metric(p.ratio).shortLabel })),
] as const;

const signed = (unit: '万元' | '人', n: number) => (n >= 0 ? `+${formatAmount(n, unit)}` : `−${formatAmount(-n, unit)}`);

/** The bulletin's publish date: when its month was published; corrections since the previous one belong to it. */
export function buildBulletin(model: SiteModel, month: string, publishedOnOf: (month: string) => string | null, revisions: ReadonlyArray<RevisionWithChanges>): Bulletin {
  const i = model.months.indexOf(month);
  const previousMonth = i > 0 ? model.months[i - 1]! : null;
  const nextMonth = i >= 0 && i < model.months.length - 1 ? model.months[i + 1]! : null;
  const t = model.national.byMonth.get(month)!;
  const p: Totals | null = previousMonth ? model.national.byMonth.get(previousMonth)! : null;
  const publishedOn = publishedOnOf(month);
  const previousPublishedOn = previousMonth ? publishedOnOf(previousMonth) : null;

  const figures = FIGURES.map(({ id, shortLabel: label }) => {
    const key = id as ReportedMetricId;
    const unit = sumUnit(key) as '万元' | '人';
    const f = figure(t, key);
    const d = p ? change(f, figure(p, key)) : null;
    return {
      key,
      label,
      value: formatFigure(f, unit, { short: true }),
      raw: f.value,
      partial: f.partial,
      partialNote: f.partial ? partialNote(f) : null,
      delta: d && d.value !== null ? `${signed(unit, d.value)}${d.partial ? '（部分合计之差）' : ''}` : null,
      deltaRaw: d ? d.value : null,
    };
  });
  const ratioText = (tt: Totals, key: RatioMetricId) => formatRatioFigure(ratioFigure(tt, key));
  const ratios: Bulletin['ratios'] = RATIO_METRIC_IDS.map((key) => ({ key, label: metric(key).shortLabel, value: ratioText(t, key) }));

  const provinces = [...model.provinces.values()].map((pv) => {
    const pt = pv.byMonth.get(month)!;
    return {
      code: pv.code,
      name: pv.name,
      reported: pt.records,
      registered: pv.pairingCount,
      cells: PROVINCE_COLUMNS.map(({ key }) => (isRatioMetricId(key) ? formatRatioFigure(ratioFigure(pt, key), { short: true }) : formatFigure(figure(pt, key as ReportedMetricId), '万元', { bare: true }))),
    };
  });

  const records = model.pairings.flatMap((pv) => {
    const r = pv.byMonth.get(month);
    return r ? [{ pv, r }] : [];
  });
  const completed = PLAN_COUNTS.map((pc) => ({ label: pc.planName, completed: t.completed[pc.id].completed, withPlan: t.completed[pc.id].withPlan, unknown: t.completed[pc.id].unknown }));

  const notReported = [...model.counties.values()]
    .filter((c) => c.pairingCount > 0 && c.byMonth.get(month)!.records === 0)
    .map((c) => ({ code: c.code, name: c.name, province: c.province }));

  const notable = previousMonth
    ? [...model.villages.values()]
        .flatMap((v) => {
          // only whole sums compare: a village with a blank or a missing row in either month is left out
          const d = change(pairingsFigure(v.pairings, month, PAIR.funds.done), pairingsFigure(v.pairings, previousMonth, PAIR.funds.done));
          const gain = d.value;
          return gain !== null && !d.partial && gain > 0 ? [{ villageCode: v.village.code, villageName: v.village.name, county: `${v.village.province}${v.village.county}`, gain: formatAmount(gain, '万元'), gainRaw: gain }] : [];
        })
        .sort((a, b) => b.gainRaw - a.gainRaw || a.villageCode.localeCompare(b.villageCode))
        .slice(0, 5)
    : [];

  const reachedPlan = previousMonth
    ? records
        .filter(({ pv, r }) => {
          const before = pv.byMonth.get(previousMonth);
          const { plan, done } = PAIR.funds;
          const reached = (x: typeof r | undefined) => {
            const [p, d] = [x?.values[plan] ?? null, x?.values[done] ?? null];
            return p !== null && p > 0 && d !== null && d >= p;
          };
          return reached(r) && before !== undefined && !reached(before);
        })
        .map(({ pv }) => ({ villageCode: pv.village.code, villageName: pv.village.name, unitCode: pv.unit.code, unitName: pv.unit.name }))
    : [];

  // Corrections made since the previous bulletin (by publish dates), else revisions of the previous month.
  const corrections = revisions.filter((r) => {
    if (publishedOn) return r.date <= publishedOn && (previousPublishedOn === null || r.date > previousPublishedOn) && r.month < month;
    return r.month === previousMonth;
  });
  const decreases = records.reduce((n, { r }) => n + r.decreases.length, 0);

  return { month, previousMonth, nextMonth, publishedOn, reported: t.records, registered: model.national.pairingCount, figures, ratios, provinceColumns: PROVINCE_COLUMNS, provinces, completed, notReported, notable, reachedPlan, corrections, decreases, amendments: [] };
}

export function bulletinTitle(month: string): string {
  return `${formatMonth(month)}帮扶项目进展通报`;
}

/** The figures of a bulletin a reader compares, as label → text. */
function comparable(b: Bulletin): Array<{ label: string; text: string }> {
  // the figures without their partial notes: the note beside the bulletin says what changed, the bulletin says who is missing
  return comparableWithNotes(b).map((x) => ({ label: x.label, text: x.text.replace(/（(部分|含未填报)[^）]*）/g, '') }));
}

function comparableWithNotes(b: Bulletin): Array<{ label: string; text: string }> {
  return [
    { label: '已上报结对', text: `${b.reported}` },
    ...b.figures.flatMap((f) => [
      { label: f.label, text: f.value },
      ...(f.delta !== null ? [{ label: `${f.label}比上月`, text: f.delta }] : []),
    ]),
    ...b.ratios.map((r) => ({ label: r.label, text: r.value })),
    ...b.provinces.flatMap((p) => [
      // funds arrived and their ratio: what a reader checks a province by
      ...PROVINCE_COLUMNS.slice(0, 2).map((c, i) => ({ label: `${p.name}${c.label}`, text: p.cells[i]! })),
    ]),
    ...b.completed.map((c) => ({ label: `已完成${c.label}的结对`, text: `${c.completed} / ${c.withPlan}` })),
  ];
}

/**
 * A bulletin as published: when revisions made after its publish date change its figures,
 * it keeps the figures it was published with (`modelAsOf(date)`: the data with every
 * revision after `date` undone) and lists, per revision, what changed.
 */
export function buildPublishedBulletin(
  model: SiteModel,
  month: string,
  publishedOnOf: (month: string) => string | null,
  revisions: ReadonlyArray<RevisionWithChanges>,
  modelAsOf: (date: string) => SiteModel,
): Bulletin {
  const current = buildBulletin(model, month, publishedOnOf, revisions);
  const publishedOn = current.publishedOn;
  if (!publishedOn) return current;
  const later = revisions
    .filter((r) => r.date > publishedOn && (r.month === month || r.month === current.previousMonth))
    .sort((a, b) => a.date.localeCompare(b.date) || a.id.localeCompare(b.id));
  if (later.length === 0) return current;
  const original = buildBulletin(modelAsOf(publishedOn), month, publishedOnOf, revisions);
  const amendments: BulletinAmendment[] = [];
  let before = original;
  for (const r of later) {
    const after = r === later.at(-1) && !revisions.some((x) => x.date > r.date) ? current : buildBulletin(modelAsOf(r.date), month, publishedOnOf, revisions);
    const was = new Map(comparable(before).map((x) => [x.label, x.text]));
    const lines = comparable(after).flatMap((x) => (was.has(x.label) && was.get(x.label) !== x.text ? [{ label: x.label, before: was.get(x.label)!, after: x.text }] : []));
    if (lines.length > 0) amendments.push({ revisionId: r.id, month: r.month, date: r.date, note: r.note ?? null, lines });
    before = after;
  }
  return { ...original, amendments };
}

/** The villages the bulletin names among the pairings that reached their funds plan: each once, counties in turn; `more` when some are left out. */
export function reachedPlanNamed(b: Pick<Bulletin, 'reachedPlan'>, max = 10): { villages: Bulletin['reachedPlan']; more: boolean } {
  const villages = spreadPick(b.reachedPlan, max, (r) => r.villageCode, (r) => r.villageCode.slice(0, 6));
  return { villages, more: new Set(b.reachedPlan.map((r) => r.villageCode)).size > max };
}
