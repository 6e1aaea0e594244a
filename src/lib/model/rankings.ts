/**
 * Rankings and distributions for the province and home pages: pre-sorted views (so
 * tables sort without JS) and how many villages fall in each completion band.
 */
import { AREA_TABLE_PAIRS, metric, type RatioMetricId } from '../metric-catalogue.ts';
import type { AreaTotals } from './read-model.ts';
import type { Ratio } from '../ratio.ts';

export const SORT_KEYS = [
  { key: 'code', label: '按区划代码', ratio: null },
  ...AREA_TABLE_PAIRS.map((p) => ({ key: `${p.id}-ratio` as const, label: `按${metric(p.ratio).shortLabel}`, ratio: p.ratio })),
] as const satisfies ReadonlyArray<{ key: string; label: string; ratio: RatioMetricId | null }>;
export type SortKey = (typeof SORT_KEYS)[number]['key'];

/** Rank value of a ratio: real ratios high to low, then 无计划, then 未填报. */
export function rankValue(r: Ratio | null | undefined): number {
  if (!r || r.kind === 'unreported') return -2;
  if (r.kind === 'noPlan') return -1;
  return r.percent;
}

export function sortAreas<T extends AreaTotals & { code: string }>(areas: T[], key: SortKey, month: string | null): T[] {
  const spec = SORT_KEYS.find((k) => k.key === key)!;
  if (!spec.ratio || !month) return [...areas].sort((a, b) => a.code.localeCompare(b.code, 'en'));
  const ratioId = spec.ratio;
  return [...areas].sort((a, b) => rankValue(b.byMonth.get(month)?.ratios[ratioId]) - rankValue(a.byMonth.get(month)?.ratios[ratioId]) || a.code.localeCompare(b.code, 'en'));
}

export const COMPLETION_BANDS = ['未填报', '无计划', '不足 25%', '25%–50%', '50%–75%', '75%–100%', '完成（100%）', '超额（>100%）'] as const;
export type CompletionBand = (typeof COMPLETION_BANDS)[number];

export function completionBand(r: Ratio | undefined): CompletionBand {
  if (!r || r.kind === 'unreported') return '未填报';
  if (r.kind === 'noPlan') return '无计划';
  if (r.percent > 100) return '超额（>100%）';
  if (r.percent === 100) return '完成（100%）';
  if (r.percent >= 75) return '75%–100%';
  if (r.percent >= 50) return '50%–75%';
  if (r.percent >= 25) return '25%–50%';
  return '不足 25%';
}

/** How many areas (e.g. villages) fall in each band of one ratio for one month. */
export function distribution(areas: Iterable<AreaTotals>, ratioId: RatioMetricId, month: string): Array<{ band: CompletionBand; count: number }> {
  const counts = new Map<CompletionBand, number>(COMPLETION_BANDS.map((b) => [b, 0]));
  for (const a of areas) {
    const band = completionBand(a.byMonth.get(month)?.ratios[ratioId]);
    counts.set(band, counts.get(band)! + 1);
  }
  return COMPLETION_BANDS.map((band) => ({ band, count: counts.get(band)! }));
}
