/**
 * The compare chart written as SVG markup, without ECharts: pure TypeScript (no DOM), so the
 * browser draws /compare/ with it and a test can read what it draws. What it draws is
 * compareChart()'s (src/lib/model/compare.ts): one plot of completion ratios, or one small
 * plot per entity of plan and done in their units. Each entity has a colour, a symbol shape
 * and (ratio view) a dash; plan is dashed and done solid; a partial month is a hollow symbol
 * carrying its note (a <title> and data-partial), never a gap.
 *
 * panelSvg() draws one plot at the size the page gives it (the page lays out the small
 * multiples with CSS); compareSvgDocument() writes the downloadable image: title, units,
 * legend, the plots, the partial notes, source and month, all inside the one file.
 * Presentation attributes only (the site's CSP refuses style attributes), every text escaped.
 */
import type { ChartLine, ChartPanel, CompareChart } from '../model/compare.ts';
import { CHART_FONT_FAMILY, textWidth } from './charts.ts';
import { formatMonth } from './format.ts';
import { escapeXml, niceTicks } from './trend-svg.ts';
import { PLAN_DASH, colourOf, dashOf, symbolOf, symbolPath } from './compare-style.ts';

const FS = 12;
const EDGE = 6;
const BASELINE = 4.2;
const R = 4;
const TEXT = '#333333';
const AXIS = '#666666';
const GRID = '#e3e3e3';
const LABEL_STEPS = [1, 2, 3, 4, 6, 12, 24, 36, 60, 120];

const n = (v: number) => String(Math.round(v * 10) / 10);
const tick = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 4 });

export interface PanelGeometry {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  /** x of each month of the chart */
  xs: number[];
}

/** Axis label per month: the first month and each January carry the year. */
export function monthLabels(months: string[]): string[] {
  return months.map((m, i) => (i === 0 || m.endsWith('-01') ? formatMonth(m) : `${Number(m.slice(5, 7))}月`));
}

/** Which month labels fit: every k-th month (k from LABEL_STEPS, the smallest that fits), the first always. */
function shownLabels(labels: string[], xs: number[]): number[] {
  const widths = labels.map((l) => textWidth(l, FS));
  for (const k of LABEL_STEPS) {
    const idx = labels.map((_, i) => i).filter((i) => i % k === 0);
    if (idx.every((i, j) => j === 0 || xs[i]! - widths[i]! / 2 >= xs[idx[j - 1]!]! + widths[idx[j - 1]!]! / 2 + 8)) return idx;
  }
  return [0];
}

const lineStyle = (view: CompareChart['view'], line: ChartLine) => {
  const dash = view === 'ratio' ? dashOf(line.entity) : line.role === 'plan' ? PLAN_DASH : '';
  return ` fill="none" stroke="${colourOf(line.entity)}" stroke-width="2" stroke-linejoin="round"${dash ? ` stroke-dasharray="${dash}"` : ''}`;
};
const symbolFor = (view: CompareChart['view'], line: ChartLine) => (view === 'ratio' ? symbolOf(line.entity) : line.role === 'plan' ? 'rect' : 'circle');

/** One plot's body (no root element) and where its months are. `hidden`: entities the legend hides. */
export function panelBody(chart: CompareChart, panel: ChartPanel, width: number, height: number, hidden: ReadonlySet<number> = new Set()): { body: string; geometry: PanelGeometry } {
  const lines = panel.lines.filter((l) => !hidden.has(l.entity));
  const values = lines.flatMap((l) => l.points.flatMap((p) => (p.value === null ? [] : [p.value])));
  const ratio = chart.view === 'ratio';
  const lo = Math.min(0, ...values);
  const hi = Math.max(ratio ? 100 : 0, ...values);
  const ticks = niceTicks(lo, hi, !ratio && panel.unit !== '万元');
  const tickText = ticks.map((t) => (ratio ? `${tick.format(t)}%` : tick.format(t)));
  const labels = monthLabels(chart.months);
  const titled = panel.entity !== null;
  const left = Math.max(EDGE + Math.max(...tickText.map((t) => textWidth(t, FS))) + 8, EDGE + textWidth(labels[0] ?? '', FS) / 2);
  const right = width - Math.max(16, EDGE + textWidth(labels.at(-1) ?? '', FS) / 2);
  const top = titled ? 46 : 28;
  const bottom = height - 24;
  const count = chart.months.length;
  const xs = chart.months.map((_, i) => (count === 1 ? (left + right) / 2 : left + ((right - left) * i) / (count - 1)));
  const y0 = ticks[0]!;
  const y1 = ticks.at(-1)!;
  const yOf = (v: number) => bottom - ((v - y0) / (y1 - y0 || 1)) * (bottom - top);
  const crisp = (v: number) => Math.floor(v) + 0.5;
  const out: string[] = [];

  if (titled) out.push(`<text x="${EDGE}" y="${14 + BASELINE}" font-weight="bold" fill="${TEXT}">${escapeXml(panel.title)}</text>`);
  out.push(`<text x="${EDGE}" y="${(titled ? 32 : 14) + BASELINE}" fill="${TEXT}">${escapeXml(`单位：${panel.unit}`)}</text>`);
  out.push(`<path d="${ticks.map((t) => `M${n(left)} ${n(crisp(yOf(t)))}H${n(right)}`).join('')}" fill="none" stroke="${GRID}"/>`);
  out.push(`<path d="M${n(left)} ${n(crisp(bottom))}H${n(right)}${shownLabels(labels, xs).map((i) => `M${n(crisp(xs[i]!))} ${n(crisp(bottom))}v5`).join('')}" fill="none" stroke="${AXIS}"/>`);
  if (ratio) out.push(`<path d="M${n(left)} ${n(crisp(yOf(100)))}H${n(right)}" fill="none" stroke="${AXIS}" stroke-dasharray="4 3" data-target="100"/>`);
  out.push(`<g fill="${TEXT}" text-anchor="end">${ticks.map((t, k) => `<text x="${n(left - 8)}" y="${n(yOf(t) + BASELINE)}">${escapeXml(tickText[k]!)}</text>`).join('')}</g>`);
  out.push(`<g fill="${TEXT}" text-anchor="middle">${shownLabels(labels, xs).map((i) => `<text x="${n(xs[i]!)}" y="${n(bottom + 14 + BASELINE)}">${escapeXml(labels[i]!)}</text>`).join('')}</g>`);

  for (const line of lines) {
    const pts = line.points.map((p, i) => (p.value === null ? null : { x: xs[i]!, y: yOf(p.value), partial: p.partial, text: p.text, month: chart.months[i]! }));
    let d = '';
    pts.forEach((p, i) => {
      if (!p) return;
      const prev = i > 0 ? pts[i - 1] : null;
      if (prev) d += `L${n(p.x)} ${n(p.y)}`;
      else if (pts[i + 1]) d += `M${n(p.x)} ${n(p.y)}`;
    });
    const data = ` data-entity="${line.entity}" data-role="${line.role}"`;
    if (d) out.push(`<path d="${d}"${lineStyle(chart.view, line)}${data}/>`);
    const kind = symbolFor(chart.view, line);
    const full = pts.filter((p) => p && !p.partial);
    if (full.length) out.push(`<path d="${full.map((p) => symbolPath(kind, p!.x, p!.y, R)).join('')}" fill="${colourOf(line.entity)}"${data}/>`);
    // A partial month: hollow, with its note (a <title> a pointer shows, and data-partial a test reads).
    for (const p of pts) {
      if (!p?.partial) continue;
      const note = `${line.name} ${line.label} ${formatMonth(p.month)}：${p.text}（${p.partial}，未计入）`;
      out.push(`<path d="${symbolPath(kind, p.x, p.y, R)}" fill="#ffffff" stroke="${colourOf(line.entity)}" stroke-width="2"${data} data-month="${p.month}" data-partial="${escapeXml(p.partial)}"><title>${escapeXml(note)}</title></path>`);
    }
  }
  return { body: out.join(''), geometry: { width, height, plot: { left, right, top, bottom }, xs } };
}

/** One plot as an SVG element for the page (the box around it carries the text alternative). */
export function panelSvg(chart: CompareChart, panel: ChartPanel, width: number, height: number, hidden?: ReadonlySet<number>): { svg: string; geometry: PanelGeometry } {
  const { body, geometry } = panelBody(chart, panel, width, height, hidden);
  return { svg: `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="${CHART_FONT_FAMILY}" font-size="${FS}" aria-hidden="true" focusable="false">${body}</svg>`, geometry };
}

/** Text broken into lines of at most `width` px (by characters: Chinese has no spaces to break at). */
export function wrapText(text: string, width: number, size = FS): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (line && textWidth(line + ch, size) > width) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

export interface ImageText {
  /** the site's name, for the source line */
  site: string;
  /** the page's address with the selection */
  link: string;
}

/**
 * The chart as a file of its own (download as SVG, or drawn onto a canvas for PNG): the title,
 * the entities, the units, a legend, the plots, every partial month's note, the source and the
 * month the data run to, in the image itself.
 */
export function compareSvgDocument(chart: CompareChart, text: ImageText, hidden: ReadonlySet<number> = new Set(), width = 960): string {
  const pad = 16;
  const inner = width - 2 * pad;
  const out: string[] = [];
  let y = pad;
  const para = (s: string, opts: { size?: number; bold?: boolean; fill?: string } = {}) => {
    const size = opts.size ?? FS;
    for (const l of wrapText(s, inner, size)) {
      y += size + 6;
      out.push(`<text x="${pad}" y="${n(y)}"${size !== FS ? ` font-size="${size}"` : ''}${opts.bold ? ' font-weight="bold"' : ''} fill="${opts.fill ?? TEXT}">${escapeXml(l)}</text>`);
    }
  };
  const shown = chart.names.map((_, i) => i).filter((i) => !hidden.has(i));
  para(chart.title, { size: 18, bold: true });
  para(`对比对象：${shown.map((i) => chart.names[i]).join('、')}`);
  para(chart.units);
  y += 8;

  // Legend: each entity's line sample and symbol (the ratio view; small multiples are titled).
  if (chart.view === 'ratio') {
    let x = pad;
    y += 10;
    for (const i of shown) {
      const w = 40 + textWidth(chart.names[i]!, FS);
      if (x > pad && x + w > width - pad) {
        x = pad;
        y += 20;
      }
      const dash = dashOf(i);
      out.push(`<path d="M${n(x)} ${n(y)}h28" fill="none" stroke="${colourOf(i)}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/><path d="${symbolPath(symbolOf(i), x + 14, y, R)}" fill="${colourOf(i)}"/><text x="${n(x + 34)}" y="${n(y + BASELINE)}" fill="${TEXT}">${escapeXml(chart.names[i]!)}</text>`);
      x += w + 16;
    }
    y += 14;
  } else {
    y += 10;
    out.push(`<path d="M${pad} ${n(y)}h28" fill="none" stroke="${TEXT}" stroke-width="2" stroke-dasharray="${PLAN_DASH}"/><path d="${symbolPath('rect', pad + 14, y, R)}" fill="${TEXT}"/><text x="${pad + 34}" y="${n(y + BASELINE)}" fill="${TEXT}">${escapeXml(chart.pair.planLabel)}</text>`);
    const x = pad + 34 + textWidth(chart.pair.planLabel, FS) + 24;
    out.push(`<path d="M${n(x)} ${n(y)}h28" fill="none" stroke="${TEXT}" stroke-width="2"/><path d="${symbolPath('circle', x + 14, y, R)}" fill="${TEXT}"/><text x="${n(x + 34)}" y="${n(y + BASELINE)}" fill="${TEXT}">${escapeXml(chart.pair.doneLabel)}</text>`);
    y += 14;
  }

  // The plots: the ratio view's one, or the small multiples two to a row.
  const panels = chart.panels.filter((p) => p.entity === null || !hidden.has(p.entity));
  const cols = chart.view === 'ratio' ? 1 : Math.min(2, panels.length);
  const gap = 16;
  const pw = cols ? (inner - gap * (cols - 1)) / cols : inner;
  const ph = chart.view === 'ratio' ? 360 : 240;
  panels.forEach((p, k) => {
    const { body } = panelBody(chart, p, Math.floor(pw), ph, hidden);
    out.push(`<g transform="translate(${n(pad + (k % cols) * (pw + gap))} ${n(y + Math.floor(k / cols) * (ph + gap))})">${body}</g>`);
  });
  y += Math.ceil(panels.length / Math.max(1, cols)) * (ph + gap);

  // Every partial month, with its note.
  const notes = panels.flatMap((p) => p.lines.filter((l) => !hidden.has(l.entity)).flatMap((l) => l.points.flatMap((pt, i) => (pt.value !== null && pt.partial ? [`${l.name} ${l.label} ${formatMonth(chart.months[i]!)}：${pt.partial}`] : []))));
  if (notes.length) {
    y += 10;
    out.push(`<path d="${symbolPath('circle', pad + 5, y + 6, R)}" fill="#ffffff" stroke="${TEXT}" stroke-width="2"/>`);
    y -= 12;
    para('　 空心点：部分合计，有结对未填报或未上报，未计入该月数字：');
    para(notes.join('；'), { fill: '#555555' });
  }
  y += 8;
  para(`来源：${text.site}，各对象页面公开的数据文件 series.json（与页面表格的数字相同）${chart.synthetic ? '；演示用合成数据，不是真实项目数据' : ''}`);
  para(`数据截至：${chart.asOf ? formatMonth(chart.asOf) : '—'}（累计数）　链接：${text.link}`);
  const height = Math.ceil(y + pad);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="${CHART_FONT_FAMILY}" font-size="${FS}" role="img">` +
    `<title>${escapeXml(`${chart.title}（${shown.map((i) => chart.names[i]).join('、')}）`)}</title>` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>${out.join('')}</svg>`
  );
}
