/**
 * The compare tool's rules, in plain TypeScript (the island in src/client/compare
 * only renders them): what a selection is and how it reads and writes in the URL, the
 * table of plan against done by month built from the entities' series.json, and that
 * table as CSV. Figures are the series' own totals (entity-series.ts), formatted as every
 * page formats them; nothing is summed here.
 */
import type { MeasureId } from '../metric-catalogue.ts';
import { entityFromUrl, type EntityKind } from '../routes.ts';
import type { EntitySeries } from './entity-series.ts';
import type { Figure } from './aggregate.ts';
import { formatCount, formatFigure, formatMonth, formatRatio } from '../render/format.ts';
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

export interface Selection {
  entities: EntityRef[];
  measure: MeasureId;
}

export const refKey = (r: EntityRef) => `${KIND_LETTERS[r.kind]}:${r.code}`;

/** `/villages/533323101001/` → the entity, or null for any other link. */
export function refFromHref(href: string): EntityRef | null {
  const ref = entityFromUrl(href);
  return ref && CODE.test(ref.code) ? ref : null;
}

/** Read `?e=v:533323101001,c:520525&m=employment`; unknown, repeated or surplus parts are dropped. */
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
  return { entities, measure: MEASURE_PAIRS.some((p) => p.id === m) ? (m as MeasureId) : DEFAULT_MEASURE };
}

/** The query string of a selection (`?e=…&m=…`), readable in the address bar. */
export function selectionSearch(s: Selection): string {
  const parts: string[] = [];
  if (s.entities.length) parts.push(`e=${s.entities.map(refKey).join(',')}`);
  parts.push(`m=${s.measure}`);
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
  const m = MEASURE_PAIRS.find((p) => p.id === measure)!;
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

export interface ChartLine {
  /** legend name: the entity's (its plan and done lines share it) */
  name: string;
  entity: number;
  role: 'plan' | 'done';
  /** per month; null = not reported or a partial sum (a gap, never 0 or a false dip); money in 万元 */
  values: Array<number | null>;
}

/** Chart lines over the union of months: each entity's plan and done. */
export function chartLines(series: ReadonlyArray<EntitySeries>, measure: MeasureId): { months: string[]; lines: ChartLine[]; unit: string; pair: MeasurePair } {
  const pair = MEASURE_PAIRS.find((p) => p.id === measure)!;
  const months = [...new Set(series.flatMap((s) => s.months))].sort();
  const scale = (v: number | null | undefined, unit: string) => (v === null || v === undefined ? null : unit === '万元' ? v / 10000 : v);
  const lines: ChartLine[] = [];
  series.forEach((s, i) => {
    const ms = s.measures[measure];
    // A partial month is a gap, never a false dip (the table beside the chart says why).
    const at = (list: Array<number | null>, blanks: number[], unit: string) => months.map((mo) => {
      const j = s.months.indexOf(mo);
      if (j < 0 || (s.records[j] ?? 0) === 0) return null;
      return figureAt(list[j] ?? null, blanks[j] ?? 0, s.absent[j] ?? 0).partial ? null : scale(list[j], unit);
    });
    // One legend entry per entity (ECharts groups series of the same name): its plan and done lines.
    const name = series.some((o, j) => j !== i && o.name === s.name) ? `${s.name}（${s.code}）` : s.name;
    lines.push({ name, entity: i, role: 'plan', values: at(ms.plan, ms.planMissing, pair.unit) });
    lines.push({ name, entity: i, role: 'done', values: at(ms.done, ms.doneMissing, pair.doneUnit ?? pair.unit) });
  });
  return { months, lines, unit: pair.unit, pair };
}
