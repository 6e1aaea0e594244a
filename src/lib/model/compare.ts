/**
 * The compare tool's rules, in plain TypeScript (the island in src/client/compare
 * only renders them): what a selection is and how it reads and writes in the URL, the
 * table of plan against done by month built from the entities' series.json, and what the
 * chart draws (compareChart: the completion ratio by default, so entities of any size share
 * one axis; plan and done in their units as small multiples on request; a partial month a
 * hollow point with its note, never a gap). Figures are the series' own totals
 * (entity-series.ts), formatted as every page formats them; nothing is summed here.
 */
import type { MeasureId } from '../metric-catalogue.ts';
import { entityFromUrl, type EntityKind } from '../routes.ts';
import type { EntitySeries } from './entity-series.ts';
import type { Figure } from './aggregate.ts';
import { formatAmount, formatCount, formatFigure, formatMonth, formatRatio, partialNote } from '../render/format.ts';
import { MEASURE_PAIRS, type MeasurePair } from './measure-pairs.ts';

export const MAX_COMPARED = 5;
const DEFAULT_MEASURE: MeasureId = 'industry';

/** Kinds as the URL writes them (short, stable). */
const KIND_LETTERS: Record<EntityKind, string> = { villages: 'v', units: 'u', counties: 'c', provinces: 'p' };
export const KIND_NAMES: Record<EntityKind, string> = { villages: '村', units: '单位', counties: '县', provinces: '省' };
const CODE = /^[0-9A-Z]{2,18}$/;

export interface EntityRef {
  kind: EntityKind;
  code: string;
}

/** What the chart shows: the completion ratio (%) or plan and done in their own units. */
export type CompareView = 'ratio' | 'amount';

export interface Selection {
  entities: EntityRef[];
  measure: MeasureId;
  view: CompareView;
}

const pairOf = (measure: MeasureId) => MEASURE_PAIRS.find((p) => p.id === measure)!;

/** The view drawn: 派驻力量 has no ratio (个结对 against 人), so it is always drawn in amounts. */
export const viewOf = (s: Pick<Selection, 'measure' | 'view'>): CompareView => (pairOf(s.measure).ratio ? s.view : 'amount');

export const refKey = (r: EntityRef) => `${KIND_LETTERS[r.kind]}:${r.code}`;

/** `/villages/533323101001/` → the entity, or null for any other link. */
export function refFromHref(href: string): EntityRef | null {
  const ref = entityFromUrl(href);
  return ref && CODE.test(ref.code) ? ref : null;
}

/** Read `?e=v:533323101001,c:520525&m=employment[&v=amount]`; unknown, repeated or surplus parts are dropped. */
export function parseSelection(search: string): Selection {
  const params = new URLSearchParams(search);
  const byLetter = new Map(Object.entries(KIND_LETTERS).map(([k, l]) => [l, k as EntityKind]));
  const entities: EntityRef[] = [];
  for (const part of (params.get('e') ?? '').split(',')) {
    const [letter, code] = part.split(':');
    const kind = byLetter.get(letter ?? '');
    if (!kind || !code || !CODE.test(code)) continue;
    const ref = { kind, code };
    if (!entities.some((e) => refKey(e) === refKey(ref)) && entities.length < MAX_COMPARED) entities.push(ref);
  }
  const m = params.get('m');
  return { entities, measure: MEASURE_PAIRS.some((p) => p.id === m) ? (m as MeasureId) : DEFAULT_MEASURE, view: params.get('v') === 'amount' ? 'amount' : 'ratio' };
}

/** The query string of a selection (`?e=…&m=…`), readable in the address bar. */
export function selectionSearch(s: Selection): string {
  const parts: string[] = [];
  if (s.entities.length) parts.push(`e=${s.entities.map(refKey).join(',')}`);
  parts.push(`m=${s.measure}`);
  if (s.view === 'amount') parts.push('v=amount');
  return `?${parts.join('&')}`;
}

export interface CompareTable {
  caption: string;
  head: string[];
  rows: string[][];
  /** per row: which entity it belongs to (index into the selection) */
  entity: number[];
}

/** A sum by the site's one rule (aggregate.ts): partial when some pairings left it blank or sent nothing. */
const figureAt = (v: number | null, blank: number, absent: number): Figure => ({ value: v, blank, absent, partial: v !== null && blank + absent > 0 });
const amount = (f: Figure, unit: MeasurePair['unit'] | '人') => formatFigure(f, unit, { bare: true });

/** Rows: one per entity and month (long format), in the order chosen, months ascending. */
export function compareTable(series: ReadonlyArray<EntitySeries>, measure: MeasureId): CompareTable {
  const m = pairOf(measure);
  const head = ['对象', '类型', '代码', '月份', '已上报结对', `${m.planLabel}（${m.unit}）`, `${m.doneLabel}（${m.doneUnit ?? m.unit}）`, '完成比例'];
  const rows: string[][] = [];
  const entity: number[] = [];
  series.forEach((s, i) => {
    const ms = s.measures[measure];
    s.months.forEach((month, j) => {
      const records = s.records[j] ?? 0;
      if (records === 0) {
        rows.push([s.name, KIND_NAMES[s.kind], s.code, formatMonth(month), `0 / ${formatCount(s.pairings)}`, '未上报', '未上报', '未上报']);
      } else {
        const r = ms.ratio[j] ?? null;
        rows.push([s.name, KIND_NAMES[s.kind], s.code, formatMonth(month), `${formatCount(records)} / ${formatCount(s.pairings)}`, amount(figureAt(ms.plan[j] ?? null, ms.planMissing[j] ?? 0, s.absent[j] ?? 0), m.unit), amount(figureAt(ms.done[j] ?? null, ms.doneMissing[j] ?? 0, s.absent[j] ?? 0), m.doneUnit ?? m.unit), r ? formatRatio(r) : '—']);
      }
      entity.push(i);
    });
  });
  return { caption: `${m.name}：计划与累计完成，按月（累计数）`, head, rows, entity };
}

/** One month of a line: the value drawn (null: a gap), what it reads as, and its partial note. */
export interface ChartPoint {
  /** % for the ratio view; 万元, 人 or 个 for amounts; null where nothing can be drawn */
  value: number | null;
  /** as the tooltip says it: 「45.2%」, 「12.5 万元」, 无计划, 未填报, 未上报 */
  text: string;
  /** 「部分合计：3 个结对未填报」 when some pairings are not in the figure: drawn as a hollow point */
  partial: string | null;
}

export interface ChartLine {
  /** index into the selection's loaded series (its colour and symbol) */
  entity: number;
  /** legend name: the entity's, with its code where two share a name */
  name: string;
  role: 'ratio' | 'plan' | 'done';
  /** what the line is: 完成比例, or the plan's or done's label (资金计划总投入, 资金已到位) */
  label: string;
  points: ChartPoint[];
}

/** One plot: the ratio view has one for all entities; the amount view one per entity (small multiples). */
export interface ChartPanel {
  /** the entity of a small multiple; null for the shared ratio plot */
  entity: number | null;
  title: string;
  /** the y axis unit: %, 万元, 人, or 「个 / 人」 for 派驻力量 */
  unit: string;
  lines: ChartLine[];
}

export interface CompareChart {
  view: CompareView;
  pair: MeasurePair;
  /** the union of the entities' months, ascending */
  months: string[];
  title: string;
  /** what the axes measure, in words, with units */
  units: string;
  /** legend names, per entity */
  names: string[];
  panels: ChartPanel[];
  /** the last month with any figure drawn: the image's 「数据截至」 */
  asOf: string | null;
  /** any series is synthetic (the site says so on every page; the image too) */
  synthetic: boolean;
  partials: number;
}

const partialText = (blank: number, absent: number) => `部分合计：${partialNote({ blank, absent })}`;
const percentText = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

/**
 * What the compare chart draws. The ratio view (the default): each entity's completion ratio
 * (the 附件3 ratio over the pairings that reported both plan and done) by month, so a village,
 * a county and a province share one axis. The amount view: one small plot per entity, plan
 * (dashed) and done (solid) in the measure's units on the plot's own axis. A partial month (some
 * pairings left the figure blank or sent nothing) is drawn with its note, not left out; a month
 * with nothing (未上报, 未填报, 无计划) is a gap.
 */
export function compareChart(series: ReadonlyArray<EntitySeries>, measure: MeasureId, view: CompareView): CompareChart {
  const pair = pairOf(measure);
  const drawn = viewOf({ measure, view });
  const months = [...new Set(series.flatMap((s) => s.months))].sort();
  const names = series.map((s) => (series.some((o) => o !== s && o.name === s.name) ? `${s.name}（${s.code}）` : s.name));
  const gap = (text: string): ChartPoint => ({ value: null, text, partial: null });
  let asOf: string | null = null;
  let partials = 0;
  const note = (p: ChartPoint, month: string) => {
    if (p.value !== null && (asOf === null || month > asOf)) asOf = month;
    if (p.value !== null && p.partial) partials++;
    return p;
  };

  /** Per month of the union: the entity's month index, or -1 (not in its series, or nothing reported). */
  const indexes = (s: EntitySeries) => months.map((mo) => {
    const j = s.months.indexOf(mo);
    return j >= 0 && (s.records[j] ?? 0) > 0 ? j : -1;
  });

  const ratioLine = (s: EntitySeries, i: number): ChartLine => {
    const ms = s.measures[measure];
    const points = indexes(s).map((j, k) => {
      if (j < 0) return gap('未上报');
      const r = ms.ratio[j];
      if (!r || r.kind !== 'value') return gap(r ? formatRatio(r) : '—');
      const blank = ms.ratioMissing?.[j] ?? 0;
      const absent = s.absent[j] ?? 0;
      return note({ value: Math.round(r.percent * 10) / 10, text: `${percentText.format(r.percent)}%${r.over ? '（超额）' : ''}`, partial: blank + absent > 0 ? partialText(blank, absent) : null }, months[k]!);
    });
    return { entity: i, name: names[i]!, role: 'ratio', label: '完成比例', points };
  };

  const amountLine = (s: EntitySeries, i: number, role: 'plan' | 'done'): ChartLine => {
    const ms = s.measures[measure];
    const unit = role === 'plan' ? pair.unit : (pair.doneUnit ?? pair.unit);
    const list = role === 'plan' ? ms.plan : ms.done;
    const blanks = role === 'plan' ? ms.planMissing : ms.doneMissing;
    const points = indexes(s).map((j, k) => {
      if (j < 0) return gap('未上报');
      const v = list[j] ?? null;
      const f = figureAt(v, blanks[j] ?? 0, s.absent[j] ?? 0);
      if (v === null) return gap(formatFigure(f, unit));
      return note({ value: unit === '万元' ? v / 10000 : v, text: formatAmount(v, unit), partial: f.partial ? partialText(f.blank, f.absent) : null }, months[k]!);
    });
    return { entity: i, name: names[i]!, role, label: role === 'plan' ? pair.planLabel : pair.doneLabel, points };
  };

  const amountUnit = pair.doneUnit ? `${pair.unit} / ${pair.doneUnit}` : pair.unit;
  const panels: ChartPanel[] =
    drawn === 'ratio'
      ? [{ entity: null, title: `${pair.name}完成比例`, unit: '%', lines: series.map(ratioLine) }]
      : series.map((s, i) => ({ entity: i, title: `${KIND_NAMES[s.kind]}：${names[i]}`, unit: amountUnit, lines: [amountLine(s, i, 'plan'), amountLine(s, i, 'done')] }));
  const units =
    drawn === 'ratio'
      ? `单位：%（${pair.doneLabel} ÷ ${pair.planLabel}，只计两项都填报的结对）`
      : pair.doneUnit
        ? `${pair.planLabel}（${pair.unit}）与${pair.doneLabel}（${pair.doneUnit}），每个对象一幅图，纵轴各自标注`
        : `单位：${pair.unit}；${pair.planLabel}（虚线）与${pair.doneLabel}（实线），每个对象一幅图，纵轴各自标注`;
  return {
    view: drawn,
    pair,
    months,
    title: drawn === 'ratio' ? `${pair.name}：完成比例，按月` : `${pair.name}：计划与累计完成，按月`,
    units,
    names,
    panels,
    asOf,
    synthetic: series.some((s) => s.synthetic),
    partials,
  };
}
