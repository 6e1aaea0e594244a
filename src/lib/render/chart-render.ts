/**
 * Build-time chart rendering: ChartSpec → accessible, self-contained inline SVG string.
 * Trend (line) charts are written by trend-svg.ts (hundreds of thousands per build; ECharts
 * would take minutes). Bar charts use ECharts server-side rendering (no DOM): tree-shaken
 * echarts/core + SVGRenderer, ssr: true.
 *
 * The trend writer's output already meets the rules below; the raw ECharts SVG is
 * post-processed so that it is
 * - accessible: role="img", aria-label (the spec's summary) and a <title> on the root;
 * - scalable: viewBox plus width/height attributes (intrinsic size; pages shrink it with
 *   `max-width:100%; height:auto`);
 * - light and static: no hover <style>, classes, pointer-events or ecmeta_* attributes, one
 *   font-family and font-size on the root instead of on every <text>;
 * - safe: nothing that could make a request (href/url() to anything but a local #id, <image>,
 *   <script>, <foreignObject>);
 * - deterministic: ECharts numbers its instances (zr0, zr1 …); ids are rewritten to a prefix
 *   derived from the spec's digest, so equal specs give equal SVG and different charts on one
 *   page never share an id.
 * Identical bar charts are rendered once (a cache of the most recent, keyed by the spec's JSON).
 * Trend charts are not cached: they take microseconds to write, and a national build's
 * ~350,000 are nearly all distinct.
 */
import { createHash } from 'node:crypto';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkPointComponent } from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { SVGRenderer } from 'echarts/renderers';
import { CHART_FONT_FAMILY, CHART_FONT_SIZE, type ChartOption, type ChartSpec } from './charts.ts';
import { escapeXml, renderTrendSvgBody } from './trend-svg.ts';

export { escapeXml };

echarts.use([BarChart, GridComponent, LegendComponent, MarkPointComponent, LabelLayout, SVGRenderer]);

/** A map that keeps only its `limit` most recently used entries. */
export class RecentCache<V> {
  readonly #entries = new Map<string, V>();
  readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Most recently used goes last (Map keeps insertion order), so eviction drops the least recent.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    if (this.#entries.size >= this.limit) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, value);
  }

  clear(): void {
    this.#entries.clear();
  }
}

/**
 * Recently rendered bar charts (ECharts, a few ms each) by the spec's JSON. Trend charts are
 * left out: caching them cost more than writing them again (the JSON of every spec), and each
 * SVG kept for a while outlived V8's young generation, so that holding the most recent 2,000
 * made up about a quarter of what village pages left for full GCs of the national read model.
 */
const cache = new RecentCache<string>(2000);
let renders = 0;

/** How many charts were actually rendered in this process (every trend chart, bar charts not found in the cache). */
export function chartRenderCount(): number {
  return renders;
}

/** Forget cached SVGs (tests). */
export function clearChartCache(): void {
  cache.clear();
}

/** The spec's chart as an inline SVG string (bar charts cached by the spec's JSON). */
export function renderChartSvg(spec: ChartSpec): string {
  if (spec.trend) {
    renders++;
    return wrap(renderTrendSvgBody(spec.trend, spec.width, spec.height), spec);
  }
  const key = JSON.stringify(spec);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  renders++;
  const digest = createHash('sha1').update(key).digest('hex');
  const svg = wrap(cleanEcharts(renderEcharts(spec.option, spec.width, spec.height), `c${digest.slice(0, 8)}`), spec);
  cache.set(key, svg);
  return svg;
}

function renderEcharts(option: ChartOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString({ useViewBox: true });
  } finally {
    chart.dispose();
  }
}

const LOCAL_REF = /^#[\w.-]+$/;

/** ECharts' SVG → a static, safe body with ids prefixed by `idPrefix` (root element removed). */
function cleanEcharts(raw: string, idPrefix: string): string {
  let body = raw
    // Strip the root element; wrap() rebuilds it.
    .replace(/^\s*<svg\b[^>]*>/, '')
    .replace(/<\/svg>\s*$/, '')
    // Hover/emphasis CSS is useless in a static picture.
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
    // Anything that could fetch or run something.
    .replace(/<(script|foreignObject|image|use)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<(script|foreignObject|image|use)\b[^>]*\/>/gi, '')
    // Interaction-only attributes.
    .replace(/ (?:class|pointer-events|ecmeta_[a-z_]+)="[^"]*"/g, '')
    // The transparent full-size background rect.
    .replace(/<rect width="[\d.]+" height="[\d.]+" x="0" y="0" fill="none"><\/rect>/, '')
    // One font-family on the root instead of on every text.
    .replace(/font-family:[^;"]*;?/g, '')
    .replaceAll(`font-size:${CHART_FONT_SIZE}px;`, '')
    // A CSP without 'unsafe-inline' blocks style attributes: turn what is left into presentation attributes.
    .replace(/ style="([^"]*)"/g, (_m, css: string) =>
      css
        .split(';')
        .map((d) => d.split(':').map((x) => x.trim()))
        .filter(([k, v]) => k && v && /^[a-z-]+$/.test(k))
        .map(([k, v]) => ` ${k}="${v}"`)
        .join(''),
    )
    .replace(/<(\w+) >/g, '<$1>')
    // Per-instance ids (zr0-c0, zr1-c0 …) → digest prefix.
    .replace(/\bzr\d+-/g, `${idPrefix}-`)
    .replace(/>\s*\n\s*</g, '><')
    .trim();

  // Remove any reference that is not to a local #id.
  body = body.replace(/ (?:xlink:)?href="([^"]*)"/g, (m, ref: string) => (LOCAL_REF.test(ref) ? m : ''));
  body = body.replace(/url\(\s*(['"]?)([^)'"]*)\1\s*\)/g, (m, _q: string, ref: string) => (LOCAL_REF.test(ref) ? m : 'none'));
  return body.replace(/@import[^;]*;?/g, '');
}

/** The shared accessible root around either kind of body. */
function wrap(body: string, spec: ChartSpec): string {
  const label = escapeXml(spec.summary);
  const w = spec.width;
  const h = spec.height;
  const xlink = body.includes('xlink:') ? ' xmlns:xlink="http://www.w3.org/1999/xlink"' : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg"${xlink} width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"` +
    ` role="img" aria-label="${label}" font-family="${CHART_FONT_FAMILY}" font-size="${CHART_FONT_SIZE}">` +
    `<title>${label}</title>${body}</svg>`
  );
}
