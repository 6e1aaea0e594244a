/**
 * The units directory (/units/): every assisting unit with what it promised in its
 * agreements (附件1 承诺投入资金, summed over its pairings) against the funds that arrived
 * (资金已到位, the read model's total for the unit's latest reported month), filtered by
 * province (where it helps), type and measure, sorted by promised, arrived or ratio, paged.
 *
 * Without JavaScript every list is a pre-built page, so the number of pages is bounded
 * whatever the number of units: lists are province × type (each with 全部), plus one list
 * per measure over all provinces and types; three sorts each; at most MAX_PAGES pages of
 * PER_PAGE units per list (the first 1,000 of each order). At national scale (90,000 units,
 * 7 provinces) that is at most (8 × 3 + 5) × 3 × 20 = 1,740 pages; the rest are found by
 * search and are all in the units download. A page holds 50 units: a table of 100 rows took
 * a phone too long to lay out (Lighthouse mobile total blocking time).
 */
import { latestReportedMonth } from './entity-page.ts';
import type { MeasureId } from '../metric-catalogue.ts';
import { UNIT_TYPES } from '../ingest/columns.ts';
import { formatRatio, formatWan } from '../render/format.ts';
import { MEASURE_PAIRS, measurePair } from './measure-pairs.ts';
import { pairCells, type PairCells, type SumCell } from './pair-cells.ts';
import { ratio, type Ratio } from '../ratio.ts';
import type { SiteModel, UnitView } from './read-model.ts';
import { rankValue } from './rankings.ts';
import { PAGES, unitListUrl } from '../routes.ts';
import { pageCount } from '../paging.ts';

export const PER_PAGE = 50;
export const MAX_PAGES = 20;

const TYPE_SLUGS: Record<(typeof UNIT_TYPES)[number], string> = { 民营企业: 'enterprise', 社会组织: 'social', 国有企业: 'state', 其他: 'other' };

export const UNIT_SORTS = [
  { key: 'promised', label: '按承诺投入' },
  { key: 'arrived', label: '按资金已到位' },
  { key: 'ratio', label: '按到位比例' },
] as const;
export type UnitSortKey = (typeof UNIT_SORTS)[number]['key'];

export interface UnitRow {
  code: string;
  name: string;
  type: string;
  home: string;
  /** provinces of the villages it helps: code → name */
  provinces: Array<{ code: string; name: string }>;
  villages: number;
  pairings: number;
  /** 附件1: the sum of its agreements' pledged funds, integer 元 */
  promised: number;
  promisedText: string;
  /** the unit's latest month with any report, and how many of its pairings reported in it */
  latestMonth: string | null;
  reported: number;
  /** 资金已到位 in latestMonth (partial when some left it blank) */
  arrived: SumCell;
  /** arrived against promised (无计划 when nothing was promised, 超额 above it) */
  arrivedRatio: Ratio;
  arrivedRatioText: string;
  /** each measure's plan / done / ratio in latestMonth (附件3) */
  measures: Record<MeasureId, PairCells>;
}

function unitRow(u: UnitView): UnitRow {
  // from the pairings' own latest records: asking the unit's totals of every month for that was 20 s for 90,000 units
  const latestMonth = latestReportedMonth(u.pairings);
  const t = latestMonth ? u.byMonth.get(latestMonth) : undefined;
  const measures = Object.fromEntries(MEASURE_PAIRS.map((m) => [m.id, pairCells(t, m)])) as Record<MeasureId, PairCells>;
  const promised = u.pairings.reduce((s, p) => s + p.pairing.pledgedFunds, 0);
  const arrived = measures.industry.done;
  const arrivedRatio = ratio(promised, arrived.raw);
  const provinces = new Map<string, string>();
  for (const p of u.pairings) provinces.set(p.village.provinceCode, p.village.province);
  return {
    code: u.unit.code,
    name: u.unit.name,
    type: u.unit.type,
    home: `${u.unit.province}${u.unit.prefecture && u.unit.prefecture !== u.unit.province ? u.unit.prefecture : ''}`,
    provinces: [...provinces].sort(([a], [b]) => a.localeCompare(b)).map(([code, name]) => ({ code, name })),
    villages: u.villageCodes.length,
    pairings: u.pairings.length,
    promised,
    promisedText: formatWan(promised),
    latestMonth,
    reported: t?.records ?? 0,
    arrived,
    arrivedRatio,
    arrivedRatioText: formatRatio(arrivedRatio),
    measures,
  };
}

/** Whether a unit works under a measure: a plan above 0 in its latest report. */
function hasMeasure(row: UnitRow, measure: MeasureId): boolean {
  return (row.measures[measure].plan.raw ?? 0) > 0;
}

export interface UnitFilter {
  /** province code, or null for all */
  province: string | null;
  type: string | null;
  measure: MeasureId | null;
}

function sortValue(row: UnitRow, key: UnitSortKey, measure: MeasureId | null): number {
  if (key === 'promised') return row.promised;
  if (key === 'arrived') return measure ? (row.measures[measure].done.raw ?? -1) : (row.arrived.raw ?? -1);
  return rankValue(measure ? row.measures[measure].ratio : row.arrivedRatio);
}

function filterUnits(rows: readonly UnitRow[], f: UnitFilter): UnitRow[] {
  return rows.filter((r) => (!f.province || r.provinces.some((p) => p.code === f.province)) && (!f.type || r.type === f.type) && (!f.measure || hasMeasure(r, f.measure)));
}

const collator = new Intl.Collator('zh-CN');
function sortUnits(rows: readonly UnitRow[], key: UnitSortKey, measure: MeasureId | null): UnitRow[] {
  return [...rows].sort((a, b) => sortValue(b, key, measure) - sortValue(a, key, measure) || collator.compare(a.name, b.name) || (a.code < b.code ? -1 : 1));
}

/** One pre-built list: its filter, sort and URL path pieces. */
export interface UnitList {
  filter: UnitFilter;
  sort: UnitSortKey;
  /** the first MAX_PAGES × PER_PAGE units of this list, in order (pages show PER_PAGE at a time) */
  rows: UnitRow[];
  total: number;
  pages: number;
}

const typeSlug = (type: string | null) => (type ? (TYPE_SLUGS[type as keyof typeof TYPE_SLUGS] ?? 'other') : 'all');

/** The URL of a list's page. The default list (all, by promised) is /units/. */
export function unitListHref(f: UnitFilter, sort: UnitSortKey, page = 1): string {
  if (page === 1 && !f.province && !f.type && !f.measure && sort === 'promised') return PAGES.units;
  return unitListUrl({ province: f.province ?? 'all', type: typeSlug(f.type), measure: f.measure ?? 'all', sort }, page);
}

/** The pre-built list of a filter and sort. */
export function findUnitList(lists: readonly UnitList[], f: UnitFilter, sort: UnitSortKey): UnitList | undefined {
  return lists.find((l) => l.filter.province === f.province && l.filter.type === f.type && l.filter.measure === f.measure && l.sort === sort);
}

/** A filter in words, as in 「在贵州省帮扶的社会组织」 or 「有就业扶贫计划的」; '' for every unit. */
export function unitFilterText(f: UnitFilter, provinces: ReadonlyArray<{ code: string; name: string }>): string {
  const provinceName = f.province ? provinces.find((p) => p.code === f.province)?.name : null;
  const pair = f.measure ? measurePair(f.measure) : null;
  return [provinceName ? `在${provinceName}帮扶的` : '', f.type ?? '', pair ? `有${pair.name}计划的` : ''].join('');
}

/** Every pre-built list (see the bound in the comment at the top). */
export function unitLists(model: SiteModel): { rows: UnitRow[]; lists: UnitList[]; provinces: Array<{ code: string; name: string }>; types: string[] } {
  const rows = [...model.units.values()].map((u) => unitRow(u));
  const provinces = [...model.provinces.values()].map((p) => ({ code: p.code, name: p.name }));
  const types = UNIT_TYPES.filter((t) => rows.some((r) => r.type === t));
  const filters: UnitFilter[] = [];
  for (const province of [null, ...provinces.map((p) => p.code)]) for (const type of [null, ...types]) filters.push({ province, type, measure: null });
  for (const m of MEASURE_PAIRS) filters.push({ province: null, type: null, measure: m.id });
  const lists: UnitList[] = [];
  for (const filter of filters) {
    const subset = filterUnits(rows, filter);
    for (const s of UNIT_SORTS) {
      const sorted = sortUnits(subset, s.key, filter.measure);
      lists.push({ filter, sort: s.key, rows: sorted.slice(0, MAX_PAGES * PER_PAGE), total: sorted.length, pages: Math.min(MAX_PAGES, pageCount(sorted.length, PER_PAGE)) });
    }
  }
  return { rows, lists, provinces, types };
}

