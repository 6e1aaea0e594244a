/**
 * Chart builders: plain data in, a ChartSpec out (what to draw + Chinese text alternative +
 * the same data as a table). Pure: no DOM, no Astro, no ECharts runtime (type imports only).
 * Bar charts carry an ECharts option; trend (line) charts carry plain data for the small SVG
 * writer in trend-svg.ts (ECharts SSR is far too slow for ~350,000 trend charts per build).
 * Rendering to SVG lives in chart-render.ts.
 *
 * Rules every chart follows:
 * - null is a gap (未填报), never 0: it stays null in the spec and reads 未填报 in the table.
 * - no colour-only meaning: line series differ by dash pattern and symbol shape, bar series by
 *   solid fill vs. outline; a text legend whenever there is more than one series; the values
 *   that matter (last value of each line, every bar) are written on the chart.
 * - the spec is JSON-safe (no functions), so it can be hashed and cached by its JSON.
 * - animation off, system CJK fonts only.
 */
import { formatMonth } from './format.ts';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, MarkPointComponentOption } from 'echarts/components';

export type ChartOption = ComposeOption<BarSeriesOption | GridComponentOption | LegendComponentOption | MarkPointComponentOption>;

export type ChartUnit = '万元' | '人' | '个' | '%';

export interface ChartSeries {
  name: string;
  values: Array<number | null>;
  /**
   * Per value, what the table says instead of the number where the chart leaves a gap for a
   * reason other than 未填报: a partial sum (部分合计) is not drawn (no false dip) and its
   * table cell carries the sum and who is missing from it.
   */
  notes?: Array<string | null>;
}

export interface ChartTable {
  caption: string;
  columns: string[];
  rows: string[][];
}

/** What the trend SVG writer draws (JSON-safe: specs are hashed by their JSON). */
export interface TrendData {
  /** 'YYYY-MM', in order. */
  months: string[];
  /** Axis label per month: `2020年5月`, `6月`, … (the first month and each January carry the year). */
  axisLabels: string[];
  /** Values stay null where not reported: a gap in the line, never 0. */
  series: ChartSeries[];
  unit: ChartUnit;
}

interface ChartSpecBase {
  /** Chart title: the page shows it as the figure caption; it is not drawn inside the SVG. */
  title: string;
  /** Chinese text alternative (aria-label): what the chart shows and its key figures. */
  summary: string;
  /** The same data as a table; numbers formatted for zh-CN, null as 未填报. */
  table: ChartTable;
  width: number;
  height: number;
  /** Set when not one point of any series can be drawn: why, shown instead of empty axes. */
  undrawn?: string;
}

/** Exactly one of `option` (bar chart, drawn by ECharts) and `trend` (drawn by trend-svg.ts). */
export type ChartSpec = ChartSpecBase & ({ option: ChartOption; trend?: never } | { trend: TrendData; option?: never });

export interface TrendChartInput {
  title: string;
  /** 'YYYY-MM', in order. */
  months: string[];
  series: ChartSeries[];
  unit: ChartUnit;
  width?: number;
  height?: number;
}

export interface BarChartInput {
  title: string;
  categories: string[];
  series: ChartSeries[];
  unit: ChartUnit;
  /** Bars grow to the right, categories read top to bottom (good for long names). */
  horizontal?: boolean;
  /** Header of the table's first column. Default 类别. */
  categoryLabel?: string;
  width?: number;
  height?: number;
}

/** System CJK stack; no web fonts. (Single quotes so it can sit inside an XML attribute.) */
export const CHART_FONT_FAMILY =
  "system-ui, -apple-system, 'PingFang SC', 'Hiragino Sans GB', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif";

const UNREPORTED = '未填报';

/** Dark enough for 3:1 against white (WCAG 1.4.11); never the only cue. */
export const PALETTE = ['#1f5fa8', '#b3471b', '#2e7d32', '#6a3d9a', '#4d4d4d'] as const;
/** Line dash per series: solid, dashed, dotted, dash-dot, long dash. */
export const DASHES: ReadonlyArray<'solid' | readonly number[]> = ['solid', [8, 4], [2, 3], [8, 3, 2, 3], [14, 4]];
export const SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'emptyCircle'] as const;
export type ChartSymbol = (typeof SYMBOLS)[number];

export const TEXT_COLOR = '#333333';
export const AXIS_COLOR = '#666666';
export const GRID_LINE = '#e3e3e3';
/** Text size in the SVG (px of the viewBox); the renderer sets it once on the root. */
export const CHART_FONT_SIZE = 12;
const FONT_SIZE = CHART_FONT_SIZE;
const LABEL_FONT_SIZE = CHART_FONT_SIZE;

/** Axis labels and names are kept inside this inset of the canvas (ECharts 6 grid.outerBounds). */
const OUTER_BOUNDS = { left: 6, right: 6, top: 4, bottom: 4 };

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

// ---------------------------------------------------------------- formatting

const formatters: Record<ChartUnit, Intl.NumberFormat> = {
  万元: new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 4 }),
  人: new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }),
  个: new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 }),
  '%': new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 }),
};

/** A number as the table shows it (no unit): `1,234.5`; null → 未填报. */
export function formatChartNumber(value: number | null, unit: ChartUnit): string {
  return value === null ? UNREPORTED : formatters[unit].format(value);
}

/** A number with its unit, as the summary says it: `12.5 万元`, `45.5%`. */
function formatChartValue(value: number | null, unit: ChartUnit): string {
  if (value === null) return UNREPORTED;
  const n = formatters[unit].format(value);
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

function parseMonth(month: string): { year: number; month: number } {
  const m = MONTH_RE.exec(month);
  if (!m) throw new Error(`图表月份格式错误：「${month}」，应为 YYYY-MM，例如 2020-07`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/** `2020-07` → `2020年7月` (formatMonth, after checking the month is well-formed) */
export function chartMonthLabel(month: string): string {
  parseMonth(month);
  return formatMonth(month);
}

/** `2020年5月至12月` (same year) or `2020年11月至2021年2月`; one month alone → `2020年5月`. */
export function chartMonthRange(first: string, last: string): string {
  if (first === last) return chartMonthLabel(first);
  const a = parseMonth(first);
  const b = parseMonth(last);
  return a.year === b.year ? `${a.year}年${a.month}月至${b.month}月` : `${chartMonthLabel(first)}至${chartMonthLabel(last)}`;
}

/**
 * Axis labels: the first month and every January carry the year (`2020年5月`), the rest are
 * short (`6月`). One year's data therefore reads `2020年5月, 6月, …, 12月`.
 */
function axisMonthLabels(months: string[]): string[] {
  return months.map((month, i) => {
    const { year, month: m } = parseMonth(month);
    return i === 0 || m === 1 ? `${year}年${m}月` : `${m}月`;
  });
}

// ---------------------------------------------------------------- validation

function checkSeries(title: string, what: string, length: number, series: ChartSeries[]): void {
  if (series.length === 0) throw new Error(`图表「${title}」没有数据系列`);
  const names = new Set<string>();
  for (const s of series) {
    if (s.values.length !== length) {
      throw new Error(`图表「${title}」的系列「${s.name}」有 ${s.values.length} 个值，但${what}有 ${length} 个`);
    }
    for (const v of s.values) {
      if (v !== null && !Number.isFinite(v)) throw new Error(`图表「${title}」的系列「${s.name}」含非数值：${String(v)}`);
    }
    if (names.has(s.name)) throw new Error(`图表「${title}」的系列名称重复：「${s.name}」`);
    names.add(s.name);
  }
}

function unitCaption(title: string, unit: ChartUnit): string {
  return `${title}（单位：${unit}）`;
}

function lastIndex(values: Array<number | null>): number {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return i;
  return -1;
}

function firstIndex(values: Array<number | null>): number {
  return values.findIndex((v) => v !== null);
}

/** Rough width in px of a label (the fallback metric ECharts uses on the server; a little wide for real fonts). */
export function textWidth(text: string, fontSize: number): number {
  let w = 0;
  for (const ch of text) w += ch.charCodeAt(0) < 0x2e80 ? fontSize * 0.6 : fontSize;
  return Math.ceil(w);
}

const baseTextStyle = { fontFamily: CHART_FONT_FAMILY, fontSize: FONT_SIZE, color: TEXT_COLOR };

function legendFor(series: ChartSeries[]): LegendComponentOption | undefined {
  if (series.length < 2) return undefined;
  return {
    show: true,
    top: 4,
    left: 'center',
    itemWidth: 32,
    itemHeight: 12,
    itemGap: 20,
    selectedMode: false,
    textStyle: { ...baseTextStyle },
    data: series.map((s) => s.name),
  };
}

// ---------------------------------------------------------------- trend (line) chart

/**
 * Monthly trend, one line per series; null months are gaps. Drawn by trend-svg.ts (dash
 * pattern and symbol per series, legend when ≥2 series, bold last value at each line's end).
 */
export function trendChart(input: TrendChartInput): ChartSpec {
  const { title, months, series, unit } = input;
  const width = input.width ?? 480;
  const height = input.height ?? 300;
  if (months.length === 0) throw new Error(`图表「${title}」没有月份`);
  months.forEach(parseMonth);
  for (let i = 1; i < months.length; i++) {
    if (months[i]! <= months[i - 1]!) throw new Error(`图表「${title}」的月份未按时间顺序排列：${months[i - 1]} 之后是 ${months[i]}`);
  }
  checkSeries(title, '月份', months.length, series);

  const trend: TrendData = {
    months: [...months],
    axisLabels: axisMonthLabels(months),
    series: series.map((s) => ({ name: s.name, values: [...s.values] })),
    unit,
  };
  const noteAt = (s: ChartSeries, i: number) => (s.values[i] === null ? (s.notes?.[i] ?? null) : null);
  const hasNotes = (s: ChartSeries) => s.values.some((_, i) => noteAt(s, i) !== null);

  const range = chartMonthRange(months[0]!, months[months.length - 1]!);
  const labels = months.map(chartMonthLabel);
  const parts = series.map((s) => {
    const a = firstIndex(s.values);
    const b = lastIndex(s.values);
    const prefix = series.length > 1 ? `${s.name}` : '';
    // No drawn point: 未填报 only if no month has a figure; partial sums are drawn nowhere but named below.
    if (a < 0) return hasNotes(s) ? `${prefix}各月均未画出` : `${prefix || '各月'}均${UNREPORTED}`;
    const va = s.values[a]!;
    const vb = s.values[b]!;
    // Months are named only where the series starts or ends away from the range's ends.
    const at = (i: number, edge: number) => (i === edge ? '' : `${labels[i]}的 `);
    if (a === b) return `${prefix}仅${labels[a]}有数据：${formatChartValue(va, unit)}`;
    const from = `${at(a, 0)}${formatChartValue(va, unit)}`;
    const to = `${at(b, months.length - 1)}${formatChartValue(vb, unit)}`;
    const verb = vb > va ? '增至' : vb < va ? '降至' : '持平于';
    return `${prefix}从 ${from}${verb} ${to}`;
  });
  const gaps = series
    .map((s) => {
      const list = (xs: string[]) => (xs.length > 4 ? `${xs.slice(0, 4).join('、')}等 ${xs.length} 个月` : xs.join('、'));
      const missing = s.values.flatMap((v, i) => (v === null && noteAt(s, i) === null ? [labels[i]!] : []));
      const noted = s.values.flatMap((_, i) => (noteAt(s, i) !== null ? [`${labels[i]!}${noteAt(s, i)!}`] : []));
      const name = series.length > 1 ? s.name : '';
      const out: string[] = [];
      if (missing.length > 0 && missing.length < months.length) out.push(`${name}${list(missing)}${UNREPORTED}`);
      if (noted.length > 0) out.push(`${name}${noted.length > 3 ? `${noted.slice(0, 3).join('，')}等 ${noted.length} 个月` : noted.join('，')}，图中未画出`);
      return out.join('；');
    })
    .filter((g) => g !== '');
  const summary = `${title}，${range}，${parts.join('；')}${gaps.length ? `。${gaps.join('；')}` : ''}。`;

  const table: ChartTable = {
    caption: unitCaption(title, unit),
    columns: ['月份', ...series.map((s) => s.name)],
    rows: months.map((_, i) => [labels[i]!, ...series.map((s) => noteAt(s, i) ?? formatChartNumber(s.values[i] ?? null, unit))]),
  };

  // Partial sums are not drawn (they would read as falls); where every month is one, say so instead of drawing empty axes.
  const drawn = series.some((s) => firstIndex(s.values) >= 0);
  const undrawn = drawn ? undefined : series.some(hasNotes) ? '各月数字都是部分合计（有结对未填报或未上报，未计入），图中不画折线，以免把未计入的部分看成下降；各月数字见下表。' : `各月均${UNREPORTED}，没有可画的数字。`;

  return { title, trend, summary, table, width, height, ...(undrawn ? { undrawn } : {}) };
}

// ---------------------------------------------------------------- bar chart

/** Values per category; several series stand side by side (first solid, then outlined …). */
export function barChart(input: BarChartInput): ChartSpec {
  const { title, categories, series, unit } = input;
  const horizontal = input.horizontal ?? false;
  if (categories.length === 0) throw new Error(`图表「${title}」没有类别`);
  checkSeries(title, '类别', categories.length, series);
  const width = input.width ?? 480;
  const bandPx = horizontal ? Math.max(28, series.length * 16 + 12) : 0;
  const legendTop = series.length > 1 ? 32 : 0;
  const height = input.height ?? (horizontal ? 48 + legendTop + categories.length * bandPx : 300);

  const legend = legendFor(series);
  const labelsFor = (s: ChartSeries) => s.values.map((v) => (v === null ? '' : formatChartNumber(v, unit)));
  const widestLabel = Math.max(0, ...series.flatMap((s) => labelsFor(s).map((l) => textWidth(l, LABEL_FONT_SIZE))));

  const barSeries: BarSeriesOption[] = series.map((s, k) => {
    const color = PALETTE[k % PALETTE.length]!;
    // Series 0 solid; series 1 outlined (white fill, thick border); series 2+ solid with a
    // dashed border on a light fill — so two series never differ by colour alone.
    const style =
      k % 3 === 0
        ? { color, borderColor: color, borderWidth: 0 }
        : k % 3 === 1
          ? { color: '#ffffff', borderColor: color, borderWidth: 2 }
          : { color: '#ffffff', borderColor: color, borderWidth: 2, borderType: [4, 3] as number[] };
    const labels = labelsFor(s);
    // A bar's value, and 未填报 where a missing bar would start, are written alike.
    const valueLabel = { show: true, position: horizontal ? ('right' as const) : ('top' as const), distance: 4, color: TEXT_COLOR, fontFamily: CHART_FONT_FAMILY, fontSize: LABEL_FONT_SIZE };
    return {
      type: 'bar',
      name: s.name,
      color,
      silent: true,
      animation: false,
      emphasis: { disabled: true },
      barMaxWidth: 36,
      itemStyle: style,
      label: valueLabel,
      data: s.values.map((v, i) => (v === null ? null : { value: v, label: { formatter: labels[i]! } })),
      // A missing bar must not read as 0: write 未填报 where it would start.
      ...(s.values.includes(null)
        ? {
            markPoint: {
              silent: true,
              animation: false,
              symbol: 'circle',
              symbolSize: 0,
              label: {
                ...valueLabel,
                formatter: series.length > 1 ? `${s.name}${UNREPORTED}` : UNREPORTED,
                offset: horizontal ? [0, Math.round((k - (series.length - 1) / 2) * 16)] : [0, -k * 16],
              },
              data: s.values.flatMap((v, i) => (v === null ? [{ name: categories[i]!, coord: horizontal ? [0, i] : [i, 0] }] : [])),
            },
          }
        : {}),
    };
  });

  const categoryAxis = {
    type: 'category' as const,
    data: [...categories],
    inverse: horizontal,
    axisLine: { lineStyle: { color: AXIS_COLOR } },
    axisTick: { alignWithLabel: true, lineStyle: { color: AXIS_COLOR } },
    axisLabel: {
      color: TEXT_COLOR,
      fontFamily: CHART_FONT_FAMILY,
      fontSize: FONT_SIZE,
      interval: 0,
      ...(horizontal ? {} : { hideOverlap: false }),
    },
  };
  const valueAxis = {
    type: 'value' as const,
    name: `单位：${unit}`,
    nameLocation: 'end' as const,
    nameGap: horizontal ? 8 : 12,
    nameTextStyle: { color: TEXT_COLOR, fontFamily: CHART_FONT_FAMILY, fontSize: FONT_SIZE, ...(horizontal ? {} : { align: 'left' as const }) },
    axisLabel: { color: TEXT_COLOR, fontFamily: CHART_FONT_FAMILY, fontSize: FONT_SIZE, hideOverlap: true },
    splitLine: { lineStyle: { color: GRID_LINE } },
  };

  const option: ChartOption = {
    animation: false,
    color: [...PALETTE],
    textStyle: { ...baseTextStyle },
    ...(legend ? { legend } : {}),
    grid: horizontal
      ? { left: 16, right: Math.max(64, widestLabel + 16), top: legendTop + 16, bottom: 28, outerBounds: OUTER_BOUNDS }
      : { left: 16, right: 24, top: legendTop + 40, bottom: 12, outerBounds: OUTER_BOUNDS },
    xAxis: horizontal ? { ...valueAxis, nameLocation: 'middle', nameGap: 26 } : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series: barSeries,
  };

  // Summary: every value when there are few, otherwise the highest and lowest per series.
  const count = categories.length * series.length;
  const parts = series.map((s) => {
    const prefix = series.length > 1 ? `${s.name}：` : '';
    const known = s.values.flatMap((v, i) => (v === null ? [] : [{ v, c: categories[i]! }]));
    const missing = s.values.flatMap((v, i) => (v === null ? [categories[i]!] : []));
    const missingText = missing.length ? `，${missing.join('、')}${UNREPORTED}` : '';
    if (known.length === 0) return `${prefix}均${UNREPORTED}`;
    if (count <= 12) {
      return `${prefix}${known.map((k) => `${k.c} ${formatChartValue(k.v, unit)}`).join('，')}${missingText}`;
    }
    let hi = known[0]!;
    let lo = known[0]!;
    for (const k of known) {
      if (k.v > hi.v) hi = k;
      if (k.v < lo.v) lo = k;
    }
    return `${prefix}最高 ${hi.c} ${formatChartValue(hi.v, unit)}，最低 ${lo.c} ${formatChartValue(lo.v, unit)}${missingText}`;
  });
  const summary = `${title}，共 ${categories.length} 项。${parts.join('；')}。`;

  const table: ChartTable = {
    caption: unitCaption(title, unit),
    columns: [input.categoryLabel ?? '类别', ...series.map((s) => s.name)],
    rows: categories.map((c, i) => [c, ...series.map((s) => formatChartNumber(s.values[i] ?? null, unit))]),
  };

  return { title, option, summary, table, width, height };
}
