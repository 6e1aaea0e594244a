/**
 * A measure's plan, done and ratio as table cells (the county table, the unit directory),
 * by the site's one figure rule (aggregate.ts). Build-time only.
 */
import { figure, ratioFigure, type Totals } from './aggregate.ts';
import type { ReportedMetricId } from '../metric-catalogue.ts';
import { formatAmount, formatFigure, formatRatioFigure, partialNote } from '../render/format.ts';
import type { MeasurePair } from './measure-pairs.ts';
import type { Ratio } from '../ratio.ts';

/**
 * One summed figure for a table cell, by the site's one rule (aggregate.ts `figure`): its
 * exact value (元 or a count), the number under a header that names the unit, and — when
 * some pairings are not in it (未填报 or 未上报) — the partial note, empty otherwise.
 */
export interface SumCell {
  /** null: nobody reported it */
  raw: number | null;
  text: string;
  /** 「（部分合计：1 个结对未填报，未计入）」 or '' */
  partial: string;
}

function sumCell(t: Totals | undefined, id: ReportedMetricId, unit: MeasurePair['unit'] | '人'): SumCell {
  const f = figure(t, id);
  if (f.value === null) return { raw: null, text: formatFigure(f, unit), partial: '' };
  return { raw: f.value, text: formatAmount(f.value, unit, { bare: true }), partial: f.partial ? `（部分合计：${partialNote(f)}，未计入）` : '' };
}

export interface PairCells {
  plan: SumCell;
  done: SumCell;
  ratio: Ratio | null;
  ratioText: string;
}

/** A measure's plan, done and ratio out of one month's totals. */
export function pairCells(t: Totals | undefined, m: MeasurePair): PairCells {
  const r = m.ratio ? ratioFigure(t, m.ratio) : null;
  return { plan: sumCell(t, m.plan, m.unit), done: sumCell(t, m.done, m.doneUnit ?? m.unit), ratio: r?.ratio ?? null, ratioText: r ? formatRatioFigure(r, { short: true }) : '—' };
}
