/**
 * The national county table (/counties/): one row per county with its villages, pairings,
 * the five measures (plan, done, ratio) as of the county's latest reported month, how many
 * months it reported and which was the latest. Figures are the read model's totals
 * (read-model.ts → aggregate.ts), never summed again here; a sum some records left blank is
 * marked partial with how many did (SumCell.missing).
 */
import { reportedMonths } from './aggregate.ts';
import type { CountyView, SiteModel } from './read-model.ts';
import { MEASURE_PAIRS } from './measure-pairs.ts';
import { pairCells, type PairCells } from './pair-cells.ts';
import { rankValue } from './rankings.ts';
import type { MeasureId } from '../metric-catalogue.ts';
import { countyUrl } from '../routes.ts';

export interface CountyRow {
  code: string;
  name: string;
  province: string;
  provinceCode: string;
  prefecture: string;
  href: string;
  villages: number;
  pairings: number;
  /** months in which at least one of its pairings reported */
  monthsReported: number;
  /** the latest such month; the measures are as of its end */
  latestMonth: string | null;
  /** pairings that reported in latestMonth */
  reported: number;
  measures: Record<MeasureId, PairCells>;
}

function countyRow(c: CountyView, months: readonly string[]): CountyRow {
  const reported = reportedMonths(c.byMonth, months);
  const latestMonth = reported.at(-1) ?? null;
  const t = latestMonth ? c.byMonth.get(latestMonth) : undefined;
  return {
    code: c.code,
    name: c.name,
    province: c.province,
    provinceCode: c.provinceCode,
    prefecture: c.prefecture,
    href: countyUrl(c.code),
    villages: c.villages.length,
    pairings: c.pairingCount,
    monthsReported: reported.length,
    latestMonth,
    reported: t?.records ?? 0,
    measures: Object.fromEntries(MEASURE_PAIRS.map((m) => [m.id, pairCells(t, m)])) as Record<MeasureId, PairCells>,
  };
}

export function countyRows(model: SiteModel): CountyRow[] {
  return [...model.counties.values()].map((c) => countyRow(c, model.months));
}

/** Sort orders offered as links (each its own page) and by the in-page script. */
export const COUNTY_SORTS = [
  { key: 'code', label: '按省和区划代码' },
  { key: 'villages', label: '按村数' },
  ...MEASURE_PAIRS.filter((m) => m.ratio).map((m) => ({ key: `${m.id}-ratio`, label: `按${m.name.replace(/（.*）/, '')}完成比例` })),
  { key: 'funds-done', label: '按资金已到位' },
] as const satisfies ReadonlyArray<{ key: string; label: string }>;
export type CountySortKey = (typeof COUNTY_SORTS)[number]['key'];

export const DEFAULT_COUNTY_SORT: CountySortKey = 'code';

/** The value a row sorts by for a key: larger first, except the code order (ascending). */
export function countySortValue(row: CountyRow, key: string): number | string {
  if (key === 'code') return row.code;
  if (key === 'villages') return row.villages;
  if (key === 'funds-done') return row.measures.industry.done.raw ?? -1;
  const measure = key.replace(/-ratio$/, '') as MeasureId;
  return rankValue(row.measures[measure]?.ratio);
}

export function sortCountyRows(rows: readonly CountyRow[], key: string): CountyRow[] {
  if (key === 'code') return [...rows].sort((a, b) => a.code.localeCompare(b.code, 'en'));
  return [...rows].sort((a, b) => (countySortValue(b, key) as number) - (countySortValue(a, key) as number) || a.code.localeCompare(b.code, 'en'));
}
