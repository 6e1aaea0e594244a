/**
 * The one number format of the site: Intl.NumberFormat('zh-CN'), money in 万元 from exact
 * integer 元 with two decimals at least (more only where the exact value needs them, e.g.
 * 0.0001 万元 = 1 元), 亿元 for headline figures of 1 亿元 and more (the exact 万元 value
 * beside it for hover and tables), percentages with one decimal, dates 2020年5月6日, and a
 * no-break space between a number and its unit.
 */
import type { Figure } from '../model/aggregate.ts';
import type { Ratio } from '../ratio.ts';
import { yuanToWanString } from '../ingest/cell-values.ts';

const integer = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const wan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 4 });
const yi = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

export function formatCount(n: number): string {
  return integer.format(n);
}

/** Integer 元 → "1,234.5" (万元), exact: the decimal string goes to Intl, not a float. */
export function formatWan(yuan: number): string {
  return wan.format(yuanToWanString(yuan) as Intl.StringNumericLiteral);
}

export function formatRatio(r: Ratio): string {
  switch (r.kind) {
    case 'unreported':
      return '未填报';
    case 'noPlan':
      return '无计划';
    case 'value':
      return `${percent.format(r.percent)}%${r.over ? '（超额）' : ''}`;
  }
}

/** A ratio as a chart's bar: the percentage to one decimal, as written beside it; null (no bar) for 无计划 and 未填报. */
export function chartPercent(r: Ratio | undefined): number | null {
  return r && r.kind === 'value' ? Math.round(r.percent * 10) / 10 : null;
}

/** `2020-07` → `2020年7月` */
export function formatMonth(month: string): string {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

/** `2020-05-12` → `2020年5月12日` */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** No-break space: a number never breaks from its unit (「12.5 万元」 stays on one line). */
export const NBSP = '\u00a0';

export type FigureUnit = '万元' | '人' | '个' | '';

/** A number with its unit, joined by a no-break space: money from integer 元, counts as integers. */
export function formatAmount(n: number, unit: FigureUnit, options: { bare?: boolean } = {}): string {
  const text = unit === '万元' ? formatWan(n) : formatCount(n);
  return unit && !options.bare ? `${text}${NBSP}${unit}` : text;
}

/** 「1 个结对未填报、2 个结对未上报」: who is not in a partial sum. */
export function partialNote(f: { blank: number; absent: number }): string {
  const parts: string[] = [];
  if (f.blank > 0) parts.push(`${formatCount(f.blank)}${NBSP}个结对未填报`);
  if (f.absent > 0) parts.push(`${formatCount(f.absent)}${NBSP}个结对未上报`);
  return parts.join('、');
}

/**
 * The one way a summed figure is written (bare: without its unit, for table cells under a
 * header that names it): 未填报 when nothing was reported, 部分合计 with who is missing when partial. */
export function formatFigure(f: Figure, unit: FigureUnit, options: { short?: boolean; bare?: boolean } = {}): string {
  if (f.value === null) return f.blank === 0 && f.absent > 0 ? '未上报' : '未填报';
  const n = formatAmount(f.value, unit, options);
  if (!f.partial) return n;
  // short: where a note beside the figure already says who is missing (a card's note)
  return options.short ? `${n}（部分合计）` : `${n}（部分合计：${partialNote(f)}，未计入）`;
}

/** A ratio over the records that reported both plan and done; 「（部分）」 when some pairings are not in it. */
export function formatRatioFigure(f: { ratio: Ratio; partial: boolean; blank: number; absent: number }, options: { short?: boolean } = {}): string {
  const text = formatRatio(f.ratio);
  if (!f.partial) return text;
  return options.short ? `${text}（部分）` : `${text}（部分：${partialNote(f)}）`;
}

/** From 1 亿元 (10,000 万元) on, a headline figure is written in 亿元. */
const YI_THRESHOLD_YUAN = 100_000_000;

/**
 * A headline amount: 万元 below 1 亿元, else 亿元 with two decimals; `exact` is the full 万元
 * value (for a title attribute or the table beside it), null when the text already is exact.
 */
export function formatMoneyHeadline(yuan: number): { text: string; exact: string | null } {
  const exact = formatAmount(yuan, '万元');
  if (Math.abs(yuan) < YI_THRESHOLD_YUAN) return { text: exact, exact: null };
  // 元 → 亿元 from the exact decimal string, rounded half up to 0.01 亿元 by Intl
  return { text: `${yi.format(yuanToYiString(yuan) as Intl.StringNumericLiteral)}${NBSP}亿元`, exact };
}

/** Integer 元 → exact 亿元 decimal string (1 亿元 = 10^8 元). */
function yuanToYiString(yuan: number): string {
  const sign = yuan < 0 ? '-' : '';
  const digits = String(Math.abs(yuan)).padStart(9, '0');
  return `${sign}${digits.slice(0, -8)}.${digits.slice(-8)}`;
}

/** An area's latest reported month with how many of its pairings reported then: 「2020年12月（20/22）」, or 未上报. */
export function formatReportedAsOf(latestMonth: string | null, reported: number, pairings: number): string {
  return latestMonth ? `${formatMonth(latestMonth)}（${formatCount(reported)}/${formatCount(pairings)}）` : '未上报';
}

/**
 * A figure in running text: a number standing on its own (not inside a code or a name) with its
 * percent sign or its no-break-space unit, or a date 「2020年5月6日」.
 */
const FIGURE_IN_TEXT = /\d{4}年\d{1,2}月(?:\d{1,2}日)?|(?<![A-Za-z0-9_.\-/])-?\d[\d,]*(?:\.\d+)?(?:%|\u00a0(?:万元|亿元|元|人|个|家))?(?![A-Za-z0-9_])/g;

/**
 * Text cut into its figures and the words between, for markup that keeps each figure whole on
 * one line (a no-break space does not: a line may still break inside 「万元」).
 */
export function figureParts(text: string): Array<{ text: string; figure: boolean }> {
  const parts: Array<{ text: string; figure: boolean }> = [];
  let from = 0;
  for (const m of text.matchAll(FIGURE_IN_TEXT)) {
    if (m.index > from) parts.push({ text: text.slice(from, m.index), figure: false });
    parts.push({ text: m[0], figure: true });
    from = m.index + m[0].length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), figure: false });
  return parts;
}
