/**
 * Trend (line) charts drawn straight to SVG markup, without ECharts.
 *
 * Why: ECharts SSR costs milliseconds per chart and a national build has ~350,000 trend
 * charts; this writer does the same picture in microseconds
 * (docs/decisions/0015-trend-charts-as-svg.md). It keeps the ECharts version's
 * visual language (charts.ts: palette, dash pattern and symbol per series, legend on top for
 * ≥2 series, `单位：…` over the y axis, light grid, bold last value at each line's end).
 *
 * Output is the SVG *body* only (chart-render.ts adds the accessible root). It uses
 * presentation attributes only (the site's CSP forbids style attributes), has no ids and no
 * references, escapes every text, and is deterministic (numbers rounded to 0.1 px).
 *
 * layoutTrend() computes positions (tested directly); renderTrendSvgBody() writes them out.
 */
import {
  AXIS_COLOR,
  CHART_FONT_SIZE,
  DASHES,
  GRID_LINE,
  PALETTE,
  SYMBOLS,
  TEXT_COLOR,
  formatChartNumber,
  textWidth,
  type ChartSymbol,
  type TrendData,
} from './charts.ts';

const FS = CHART_FONT_SIZE;
/** Text keeps this far from the canvas edges. */
const EDGE = 6;
/** Baseline offset that centres a line of 12 px text on a y (no dominant-baseline: renderers disagree on it). */
const BASELINE = Math.round(FS * 0.35 * 10) / 10;
const SYMBOL_R = 3.5;
const LEGEND_SYMBOL_R = 4.5;
const LEGEND_SAMPLE = 32;
const LEGEND_ITEM_GAP = 20;
const LEGEND_ROW = 20;
/** Minimum free space between two x axis labels. */
const X_LABEL_GAP = 8;
/** Vertical distance between the centres of two end labels that would otherwise overlap. */
const END_LABEL_SEP = FS + 2;
/** End label starts this far right of its point (ECharts: label distance 6 + symbol radius). */
const END_LABEL_DX = SYMBOL_R + 6;
/** Label intervals tried, in months; calendar-aligned so Januaries (which carry the year) stay. */
const X_LABEL_STEPS = [1, 2, 3, 4, 6, 12, 24, 36, 60, 120, 240, 600, 1200];

/** Escape text for an XML attribute value or element content. */
export function escapeXml(text: string): string {
  if (!/[&<>"']/.test(text)) return text;
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Bold digits run a little wider than the regular estimate. */
function boldWidth(text: string): number {
  return Math.ceil(textWidth(text, FS) * 1.1);
}

const tickFormat = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 6 });
/** One decimal, no trailing `.0`, never `-0`. (Integer arithmetic: float → string is the hot spot.) */
function n(v: number): string {
  const r = Math.round(v * 10);
  if (r % 10 === 0) return String(r / 10 || 0);
  const a = r < 0 ? -r : r;
  return `${r < 0 ? '-' : ''}${(a - (a % 10)) / 10}.${a % 10}`;
}

// ---------------------------------------------------------------- y axis

/**
 * "Nice" axis ticks: a step of 1, 2 or 5 × 10^n giving at most 5 intervals (3–5 usually),
 * always including 0 (a trend axis that does not start at 0 exaggerates change). `integer`
 * keeps the step ≥ 1 (counts of people cannot be 0.5). No data or all zero → 0…5.
 */
export function niceTicks(min: number, max: number, integer = false): number[] {
  const lo = Math.min(0, min);
  let hi = Math.max(0, max);
  if (lo === hi) hi = lo + 5;
  // Steps from just below a fifth of the range upwards; the first that needs ≤ 5 intervals wins.
  for (let exp = Math.floor(Math.log10((hi - lo) / 5)); ; exp++) {
    for (const m of [1, 2, 5]) {
      const step = Number((m * 10 ** exp).toPrecision(12));
      if (integer && step < 1) continue;
      const first = Math.floor(lo / step + 1e-9);
      const last = Math.ceil(hi / step - 1e-9);
      if (last - first > 5) continue;
      const ticks: number[] = [];
      // toPrecision: 3 × 0.1 is 0.30000000000000004.
      for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)) || 0);
      return ticks;
    }
  }
}

// ---------------------------------------------------------------- layout

export interface Point {
  x: number;
  y: number;
}

export interface PlacedText {
  text: string;
  /** Anchor x (start, middle or end depending on the element). */
  x: number;
  /** Centre y of the line of text. */
  y: number;
  width: number;
}

export interface TrendLayout {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  axisName: PlacedText;
  /** y axis: value, its y and its label (right-aligned at x). */
  ticks: Array<{ value: number } & PlacedText>;
  /** x of each month. */
  xs: number[];
  /** The month labels that are drawn (centred at x), left to right, never overlapping. */
  xLabels: Array<{ index: number } & PlacedText>;
  /** Per series, per month: the point or null (a gap). */
  points: Array<Array<Point | null>>;
  /** Last value of each series (left-aligned at x); none for a series without data. */
  endLabels: Array<{ series: number } & PlacedText>;
  /** Legend items (sample line from x to x + 32, name left-aligned at textX); empty for one series. */
  legend: Array<{ series: number; x: number; y: number; textX: number; text: string }>;
}

function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

/** Legend items in centred rows, wrapping when they do not fit across the chart. */
function layoutLegend(names: string[], width: number): { items: TrendLayout['legend']; rows: number } {
  if (names.length < 2) return { items: [], rows: 0 };
  const widths = names.map((name) => LEGEND_SAMPLE + 5 + textWidth(name, FS));
  const rows: number[][] = [[]];
  let used = 0;
  widths.forEach((w, k) => {
    const row = rows[rows.length - 1]!;
    const need = row.length ? used + LEGEND_ITEM_GAP + w : w;
    if (row.length && need > width - 2 * EDGE) {
      rows.push([k]);
      used = w;
    } else {
      row.push(k);
      used = need;
    }
  });
  const items: TrendLayout['legend'] = [];
  rows.forEach((row, r) => {
    const total = row.reduce((sum, k) => sum + widths[k]!, 0) + LEGEND_ITEM_GAP * (row.length - 1);
    let x = Math.max(EDGE, (width - total) / 2);
    for (const k of row) {
      items.push({ series: k, x, y: 15 + r * LEGEND_ROW, textX: x + LEGEND_SAMPLE + 5, text: names[k]! });
      x += widths[k]! + LEGEND_ITEM_GAP;
    }
  });
  return { items, rows: rows.length };
}

/**
 * Which month labels to draw: every k-th calendar month (k = 1, 2, 3, 4, 6, 12, 24 …, the
 * smallest that fits) plus the first month, which carries the year. Aligned to the calendar
 * so each January — also carrying the year — is kept.
 */
function pickXLabels(months: string[], labels: string[], xs: number[], y: number, width: number): TrendLayout['xLabels'] {
  const widths = labels.map((l) => textWidth(l, FS));
  // The margins fit the first and last labels; a wide one (a January) next to the end may not fit.
  const inside = (i: number) => xs[i]! - widths[i]! / 2 >= 0 && xs[i]! + widths[i]! / 2 <= width;
  const fits = (idx: number[]) =>
    idx.every((i, j) => j === 0 || xs[i]! - widths[i]! / 2 >= xs[idx[j - 1]!]! + widths[idx[j - 1]!]! / 2 + X_LABEL_GAP);
  const isJanuary = (i: number) => months[i]!.endsWith('-01');
  const place = (idx: number[]) => idx.map((i) => ({ index: i, text: labels[i]!, x: xs[i]!, y, width: widths[i]! }));
  for (const k of X_LABEL_STEPS) {
    const aligned = months.flatMap((m, i) => (monthIndex(m) % k === 0 ? [i] : []));
    let idx = aligned;
    if (aligned[0] !== 0) {
      idx = [0, ...aligned];
      // The first month and the first aligned one collide: keep the January, else the first month.
      if (aligned.length && !fits([0, aligned[0]!])) idx = isJanuary(aligned[0]!) ? aligned : [0, ...aligned.slice(1)];
    }
    idx = idx.filter(inside);
    if (fits(idx)) return place(idx);
  }
  return place([0]);
}

/**
 * Spread labels along y so their centres are at least `gap` apart, each group of stacked
 * labels centred on where its labels want to be (pool-adjacent-violators), then kept in [min, max].
 */
function spreadY(wanted: number[], gap: number, min: number, max: number): number[] {
  const order = wanted.map((_, i) => i).sort((a, b) => wanted[a]! - wanted[b]! || a - b);
  // A block: consecutive labels (in `order`) stacked gap apart; top = sum / count.
  const blocks: Array<{ count: number; sum: number }> = [];
  for (const i of order) {
    blocks.push({ count: 1, sum: wanted[i]! });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1]!;
      const a = blocks[blocks.length - 2]!;
      if (a.sum / a.count + a.count * gap <= b.sum / b.count) break;
      a.sum += b.sum - b.count * a.count * gap;
      a.count += b.count;
      blocks.pop();
    }
  }
  const ys: number[] = [];
  for (const b of blocks) for (let k = 0; k < b.count; k++) ys.push(b.sum / b.count + k * gap);
  // Keep inside the chart (if it can be done at all).
  for (let j = 0; j < ys.length; j++) ys[j] = Math.max(ys[j]!, min + j * gap, j ? ys[j - 1]! + gap : -Infinity);
  for (let j = ys.length - 1; j >= 0; j--) ys[j] = Math.min(ys[j]!, max - (ys.length - 1 - j) * gap, j < ys.length - 1 ? ys[j + 1]! - gap : Infinity);
  const out = new Array<number>(wanted.length);
  order.forEach((i, j) => (out[i] = ys[j]!));
  return out;
}

export function layoutTrend(trend: TrendData, width: number, height: number): TrendLayout {
  const { months, axisLabels, series, unit } = trend;
  const count = months.length;

  // y scale
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    for (const v of s.values) {
      if (v === null) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (min > max) min = max = 0;
  const tickValues = niceTicks(min, max, unit === '人' || unit === '个');
  const tickLabels = tickValues.map((v) => tickFormat.format(v));
  const lo = tickValues[0]!;
  const hi = tickValues[tickValues.length - 1]!;

  // End labels: the last value of each series, bold.
  const ends = series.map((s) => {
    for (let i = s.values.length - 1; i >= 0; i--) {
      const v = s.values[i];
      if (v !== null && v !== undefined) return { i, v, text: formatChartNumber(v, unit) };
    }
    return null;
  });

  // Margins: y labels and half of the first month label on the left; end labels and half of
  // the last month label on the right.
  const legend = layoutLegend(series.map((s) => s.name), width);
  const yLabelWidth = Math.max(...tickLabels.map((l) => textWidth(l, FS)));
  const left = Math.max(16, EDGE + yLabelWidth + 8, EDGE + textWidth(axisLabels[0]!, FS) / 2);
  const endWidth = Math.max(0, ...ends.map((e) => (e ? END_LABEL_DX + boldWidth(e.text) : 0)));
  const right = width - Math.max(24, EDGE + endWidth, EDGE + textWidth(axisLabels[count - 1]!, FS) / 2);
  const top = legend.rows ? 15 + (legend.rows - 1) * LEGEND_ROW + 41 : 36;
  const bottom = height - 24;

  const xs = months.map((_, i) => (count === 1 ? (left + right) / 2 : left + ((right - left) * i) / (count - 1)));
  const yOf = (v: number) => bottom - ((v - lo) / (hi - lo)) * (bottom - top);

  const ticks = tickValues.map((value, k) => ({ value, text: tickLabels[k]!, x: left - 8, y: yOf(value), width: textWidth(tickLabels[k]!, FS) }));
  const xLabels = pickXLabels(months, axisLabels, xs, bottom + 14, width);
  const points = series.map((s) => s.values.map((v, i) => (v === null || v === undefined ? null : { x: xs[i]!, y: yOf(v) })));

  // End labels that overlap along x are spread apart along y.
  const placed = ends.flatMap((e, k) => (e ? [{ series: k, text: e.text, x: xs[e.i]! + END_LABEL_DX, y: yOf(e.v), width: boldWidth(e.text) }] : []));
  const byX = [...placed].sort((a, b) => a.x - b.x || a.series - b.series);
  let group: typeof placed = [];
  let groupEnd = -Infinity;
  const flush = () => {
    const ys = spreadY(group.map((l) => l.y), END_LABEL_SEP, top - 12, bottom);
    group.forEach((l, j) => (l.y = ys[j]!));
  };
  for (const l of byX) {
    if (l.x >= groupEnd && group.length) {
      flush();
      group = [];
    }
    group.push(l);
    groupEnd = Math.max(groupEnd, l.x + l.width);
  }
  if (group.length) flush();

  return {
    width,
    height,
    plot: { left, right, top, bottom },
    axisName: { text: `单位：${unit}`, x: left, y: top - 16, width: textWidth(`单位：${unit}`, FS) },
    ticks,
    xs,
    xLabels,
    points,
    endLabels: placed,
    legend: legend.items,
  };
}

// ---------------------------------------------------------------- writing

/** Symbol outline as a path fragment with relative commands only (no `L`), centred on (x, y). */
function symbolPath(kind: ChartSymbol, x: number, y: number, r: number): string {
  const d = n(2 * r);
  switch (kind) {
    case 'circle':
    case 'emptyCircle': {
      const rr = kind === 'emptyCircle' ? r - 0.75 : r;
      return `M${n(x - rr)} ${n(y)}a${n(rr)} ${n(rr)} 0 1 0 ${n(2 * rr)} 0a${n(rr)} ${n(rr)} 0 1 0 ${n(-2 * rr)} 0z`;
    }
    case 'rect':
      return `M${n(x - r)} ${n(y - r)}h${d}v${d}h-${d}z`;
    case 'triangle':
      return `M${n(x)} ${n(y - r)}l${n(r)} ${d}h-${d}z`;
    case 'diamond':
      return `M${n(x)} ${n(y - r)}l${n(r)} ${n(r)}l${n(-r)} ${n(r)}l${n(-r)} ${n(-r)}z`;
  }
}

/** Paint attributes of series k's line (also its legend sample). */
function lineAttrs(k: number): string {
  const dash = DASHES[k % DASHES.length]!;
  return ` fill="none" stroke="${PALETTE[k % PALETTE.length]!}" stroke-width="2"${dash === 'solid' ? '' : ` stroke-dasharray="${dash.join(' ')}"`}`;
}

/** Series k's symbols: filled in the series colour, except emptyCircle (white with a coloured ring). */
function symbolsElement(k: number, at: Point[], r: number): string {
  if (at.length === 0) return '';
  const kind = SYMBOLS[k % SYMBOLS.length]!;
  const color = PALETTE[k % PALETTE.length]!;
  const paint = kind === 'emptyCircle' ? `fill="#ffffff" stroke="${color}" stroke-width="1.5"` : `fill="${color}"`;
  return `<path d="${at.map((p) => symbolPath(kind, p.x, p.y, r)).join('')}" ${paint}/>`;
}

/** The trend chart's SVG body (no root element). */
export function renderTrendSvgBody(trend: TrendData, width: number, height: number): string {
  const L = layoutTrend(trend, width, height);
  const { left, right, bottom } = L.plot;
  const crisp = (v: number) => Math.floor(v) + 0.5;
  const out: string[] = [];

  // Grid lines (the one at the bottom is the x axis); a zero line inside the plot is darker.
  const grid = L.ticks.filter((t) => crisp(t.y) !== crisp(bottom) && t.value !== 0);
  if (grid.length) out.push(`<path d="${grid.map((t) => `M${n(left)} ${n(crisp(t.y))}H${n(right)}`).join('')}" fill="none" stroke="${GRID_LINE}"/>`);
  const zero = L.ticks.find((t) => t.value === 0 && crisp(t.y) !== crisp(bottom));
  const axis =
    `M${n(left)} ${n(crisp(bottom))}H${n(right)}` +
    (zero ? `M${n(left)} ${n(crisp(zero.y))}H${n(right)}` : '') +
    L.xLabels.map((l) => `M${n(crisp(l.x))} ${n(crisp(bottom))}v5`).join('');
  out.push(`<path d="${axis}" fill="none" stroke="${AXIS_COLOR}"/>`);

  // Axis texts.
  const text = (t: PlacedText) => `<text x="${n(t.x)}" y="${n(t.y + BASELINE)}">${escapeXml(t.text)}</text>`;
  out.push(
    `<g fill="${TEXT_COLOR}">${text(L.axisName)}` +
      `<g text-anchor="end">${L.ticks.map(text).join('')}</g>` +
      `<g text-anchor="middle">${L.xLabels.map(text).join('')}</g></g>`,
  );

  // Lines: one path per series, a new subpath after each gap; single points get only a symbol.
  L.points.forEach((pts, k) => {
    let d = '';
    for (let i = 0; i < pts.length; i++) {
      const p = pts[i];
      if (!p) continue;
      const prev = i > 0 ? pts[i - 1] : null;
      const next = i + 1 < pts.length ? pts[i + 1] : null;
      if (!prev) {
        if (next) d += `M${n(p.x)} ${n(p.y)}`;
      } else d += `L${n(p.x)} ${n(p.y)}`;
    }
    if (d) out.push(`<path d="${d}"${lineAttrs(k)} stroke-linejoin="round"/>`);
  });
  L.points.forEach((pts, k) => out.push(symbolsElement(k, pts.filter((p): p is Point => p !== null), SYMBOL_R)));

  if (L.endLabels.length) out.push(`<g fill="${TEXT_COLOR}" font-weight="bold">${L.endLabels.map(text).join('')}</g>`);

  // Legend: a short sample of each line with its symbol, then the name.
  for (const item of L.legend) {
    out.push(
      `<path d="M${n(item.x)} ${n(item.y)}h${LEGEND_SAMPLE}"${lineAttrs(item.series)}/>` +
        symbolsElement(item.series, [{ x: item.x + LEGEND_SAMPLE / 2, y: item.y }], LEGEND_SYMBOL_R) +
        `<text x="${n(item.textX)}" y="${n(item.y + BASELINE)}" fill="${TEXT_COLOR}">${escapeXml(item.text)}</text>`,
    );
  }
  return out.join('');
}
