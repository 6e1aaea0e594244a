/**
 * Charts: spec builders (nulls are gaps, text alternative, data table) and the build-time
 * SVG renderers — the plain trend (line) writer and ECharts for bars (accessible root, no
 * external references, deterministic, cached, series told apart by more than colour).
 */
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { barChart, chartMonthLabel, chartMonthRange, trendChart, type ChartSpec, type TrendData } from '../../src/lib/render/charts.ts';
import { RecentCache, chartRenderCount, clearChartCache, escapeXml, renderChartSvg } from '../../src/lib/render/chart-render.ts';
import { layoutTrend, niceTicks } from '../../src/lib/render/trend-svg.ts';

const MONTHS = ['2020-05', '2020-06', '2020-07', '2020-08', '2020-09', '2020-10', '2020-11', '2020-12'];

function twoSeries(): ChartSpec {
  return trendChart({
    title: '资金到位趋势',
    months: MONTHS,
    series: [
      { name: '计划投入', values: [50, 80, 120, 150, 180, 200, 240, 280] },
      { name: '实际到位', values: [12.5, 40, 95.25, null, 160, 190, 230, 1260] },
    ],
    unit: '万元',
  });
}

/** Series k's values as drawn: the trend data, or the ECharts `data` array (items unwrapped). */
function seriesValues(spec: ChartSpec, k: number): unknown[] {
  if (spec.trend) return spec.trend.series[k]!.values;
  const series = spec.option.series as Array<{ data: unknown[] }>;
  return series[k]!.data.map((d) => (d !== null && typeof d === 'object' && 'value' in d ? (d as { value: unknown }).value : d));
}

/** The trend data of a trend spec (fails the test otherwise). */
function trendOf(spec: ChartSpec): TrendData {
  expect(spec.trend).toBeDefined();
  return spec.trend!;
}

/** `d` of each drawn line (stroke-width 2, not a legend sample `M x yh32`). */
function linePaths(svg: string): string[] {
  return [...svg.matchAll(/<path d="(M[^"]*)"[^>]*stroke-width="2"/g)].map((m) => m[1]!).filter((d) => !/^M[\d.]+ [\d.]+h32$/.test(d));
}

/** 36 months from 2020-05. */
const MONTHS_36 = Array.from({ length: 36 }, (_, i) => {
  const t = 2020 * 12 + 4 + i;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
});

describe('month labels', () => {
  it('reads months the Chinese way', () => {
    expect(chartMonthLabel('2020-07')).toBe('2020年7月');
    expect(chartMonthRange('2020-05', '2020-12')).toBe('2020年5月至12月');
    expect(chartMonthRange('2020-11', '2021-02')).toBe('2020年11月至2021年2月');
    expect(chartMonthRange('2020-05', '2020-05')).toBe('2020年5月');
  });

  it('rejects malformed or unordered months with a Chinese message', () => {
    expect(() => trendChart({ title: 'X', months: ['2020-7'], series: [{ name: 'a', values: [1] }], unit: '人' })).toThrow(/YYYY-MM/);
    expect(() => trendChart({ title: 'X', months: ['2020-08', '2020-07'], series: [{ name: 'a', values: [1, 2] }], unit: '人' })).toThrow(/顺序/);
    expect(() => trendChart({ title: 'X', months: ['2020-07'], series: [{ name: 'a', values: [1, 2] }], unit: '人' })).toThrow(/有 2 个值/);
  });
});

describe('trendChart', () => {
  it('keeps null as a gap, never 0, and the table says 未填报', () => {
    const spec = twoSeries();
    const values = seriesValues(spec, 1);
    expect(values[3]).toBeNull();
    expect(values).not.toContain(0);
    // Drawn by the trend writer, not ECharts.
    expect(spec.option).toBeUndefined();
    expect(trendOf(spec).axisLabels).toEqual(['2020年5月', '6月', '7月', '8月', '9月', '10月', '11月', '12月']);
    expect(spec.table.columns).toEqual(['月份', '计划投入', '实际到位']);
    expect(spec.table.rows[3]).toEqual(['2020年8月', '150', '未填报']);
    expect(spec.table.rows[7]).toEqual(['2020年12月', '280', '1,260']);
    expect(spec.table.caption).toBe('资金到位趋势（单位：万元）');
  });

  it('summarises the range and the first and last values in Chinese', () => {
    const single = trendChart({
      title: '资金到位趋势',
      months: MONTHS,
      series: [{ name: '到位资金', values: [12.5, 40, 95, 120, 160, 190, 230, 260] }],
      unit: '万元',
    });
    expect(single.summary).toBe('资金到位趋势，2020年5月至12月，从 12.5 万元增至 260 万元。');

    const spec = twoSeries();
    expect(spec.summary).toContain('2020年5月至12月');
    expect(spec.summary).toContain('计划投入从 50 万元增至 280 万元');
    expect(spec.summary).toContain('实际到位从 12.5 万元增至 1,260 万元');
    expect(spec.summary).toContain('实际到位2020年8月未填报');
  });

  it('names the months where a series starts late or stops early, and all-missing series', () => {
    const spec = trendChart({
      title: '帮扶人数',
      months: ['2020-11', '2020-12', '2021-01', '2021-02'],
      series: [
        { name: '就业', values: [null, 30, 20, null] },
        { name: '培训', values: [null, null, null, null] },
      ],
      unit: '人',
    });
    expect(spec.summary).toContain('2020年11月至2021年2月');
    expect(spec.summary).toContain('就业从 2020年12月的 30 人降至 2021年1月的 20 人');
    expect(spec.summary).toContain('培训均未填报');
    expect(spec.table.rows[0]).toEqual(['2020年11月', '未填报', '未填报']);
  });

  it('does not call a series 未填报 when its months are partial sums that are not drawn', () => {
    const spec = trendChart({
      title: '资金',
      months: ['2020-05', '2020-06', '2020-07'],
      series: [
        { name: '计划', values: [null, null, null], notes: ['100 万元（部分合计：1 个结对未填报，未计入）', null, '120 万元（部分合计：2 个结对未填报，未计入）'] },
        { name: '完成', values: [null, null, null], notes: ['5 万元（部分合计）', '6 万元（部分合计）', '7 万元（部分合计）'] },
      ],
      unit: '万元',
    });
    expect(spec.summary).not.toContain('计划均未填报');
    expect(spec.summary).not.toContain('完成均未填报');
    expect(spec.summary).toContain('计划各月均未画出；完成各月均未画出');
    expect(spec.summary).toContain('计划2020年6月未填报');
    expect(spec.summary).toContain('计划2020年5月100 万元（部分合计：1 个结对未填报，未计入），2020年7月120 万元（部分合计：2 个结对未填报，未计入），图中未画出');
    expect(spec.table.rows[1]).toEqual(['2020年6月', '未填报', '6 万元（部分合计）']);
    // nothing to draw: the page says why instead of showing empty axes
    expect(spec.undrawn).toMatch(/^各月数字都是部分合计.*不画折线.*见下表。$/);
  });

  it('says why nothing is drawn only when no point of any series is drawn', () => {
    const months = ['2020-05', '2020-06'];
    expect(trendChart({ title: 'a', months, series: [{ name: '计划', values: [null, null] }], unit: '人' }).undrawn).toBe('各月均未填报，没有可画的数字。');
    expect(trendChart({ title: 'a', months, series: [{ name: '计划', values: [null, 3] }, { name: '完成', values: [null, null], notes: ['1 人（部分合计）', null] }], unit: '人' }).undrawn).toBeUndefined();
  });

  it('tells series apart by dash and symbol, labels the last values, and has a text legend', () => {
    const svg = renderChartSvg(twoSeries());
    const lines = [...svg.matchAll(/<path d="M[^"]*L[^"]*"([^>]*)\/>/g)].map((m) => m[1]!);
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toContain('stroke-dasharray');
    expect(lines[1]).toContain('stroke-dasharray="8 4"');
    // Symbols: circles (arcs) for the first series, squares for the second.
    expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+a3\.5 3\.5 [^"]*" fill="#1f5fa8"\/>/);
    expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+h7v7h-7z[^"]*" fill="#b3471b"\/>/);
    // Legend on top: both names, above the plot.
    const legend = layoutTrend(trendOf(twoSeries()), 480, 300).legend;
    expect(legend.map((l) => l.text)).toEqual(['计划投入', '实际到位']);
    expect(Math.max(...legend.map((l) => l.y))).toBeLessThan(30);
    // Bold end labels with the last values.
    expect(svg).toMatch(/<g fill="#333333" font-weight="bold">.*>280<\/text>.*>1,260<\/text><\/g>/);
  });
});

describe('barChart', () => {
  it('keeps null as a gap and writes 未填报 in the table and summary', () => {
    const spec = barChart({
      title: '各省帮扶村数',
      categories: ['广西', '四川', '贵州', '云南', '甘肃', '宁夏', '新疆'],
      series: [{ name: '村数', values: [120, 300, 250, null, 180, 40, 2230] }],
      unit: '个',
      categoryLabel: '省份',
    });
    expect(seriesValues(spec, 0)[3]).toBeNull();
    expect(spec.table.columns).toEqual(['省份', '村数']);
    expect(spec.table.rows[3]).toEqual(['云南', '未填报']);
    expect(spec.table.rows[6]).toEqual(['新疆', '2,230']);
    expect(spec.summary).toContain('广西 120 个');
    expect(spec.summary).toContain('云南未填报');
  });

  it('summarises many bars by highest and lowest', () => {
    const categories = Array.from({ length: 20 }, (_, i) => `县${i + 1}`);
    const spec = barChart({ title: '各县完成率', categories, series: [{ name: '完成率', values: categories.map((_, i) => i * 5.5) }], unit: '%', horizontal: true });
    expect(spec.summary).toContain('最高 县20 104.5%');
    expect(spec.summary).toContain('最低 县1 0%');
    expect(spec.height).toBeGreaterThan(20 * 20);
  });
});

describe('renderChartSvg', () => {
  const spec = twoSeries();
  const svg = renderChartSvg(spec);

  it('is an accessible, scalable SVG root', () => {
    expect(svg.startsWith('<svg')).toBe(true);
    const root = svg.slice(0, svg.indexOf('>') + 1);
    expect(root).toContain('role="img"');
    expect(root).toContain(`aria-label="${spec.summary}"`);
    expect(root).toContain(`viewBox="0 0 ${spec.width} ${spec.height}"`);
    expect(root).toContain('font-family="system-ui, -apple-system, \'PingFang SC\'');
    expect(svg).toContain(`<title>${spec.summary}</title>`);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('makes no requests and runs nothing', () => {
    const urls = svg.match(/https?:\/\/[^"'\s)]*/g) ?? [];
    expect(urls.filter((u) => u !== 'http://www.w3.org/2000/svg')).toEqual([]);
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toMatch(/<image|<foreignObject|@import/i);
    for (const ref of svg.match(/url\([^)]*\)/g) ?? []) expect(ref).toMatch(/^url\(#[\w-]+\)$/);
    expect(svg).not.toMatch(/\son[a-z]+=/i);
    // The CSP has no 'unsafe-inline' for styles.
    expect(svg).not.toMatch(/ style=|<style/);
    expect(XMLValidator.validate(svg)).toBe(true);
  });

  it('draws the text and the values that matter', () => {
    expect(svg).toContain('>计划投入</text>');
    expect(svg).toContain('>实际到位</text>');
    expect(svg).toContain('>2020年5月</text>');
    expect(svg).toContain('>7月</text>');
    expect(svg).toContain('>1,260</text>');
    expect(svg).toContain('>280</text>');
    expect(svg).not.toContain('font-family:sans-serif');
  });

  it('leaves the null month as a gap in the drawn line', () => {
    // A line broken by a gap is one path with two subpaths (M … L … M … L …).
    const lines = (svg.match(/ d="M[^"]*"/g) ?? []).filter((d) => /L.*M.*L/.test(d));
    expect(lines).toHaveLength(1);
    const noGap = renderChartSvg(trendChart({ title: 'T', months: MONTHS, series: [{ name: 'a', values: [1, 2, 3, 4, 5, 6, 7, 8] }], unit: '人' }));
    expect((noGap.match(/ d="M[^"]*"/g) ?? []).filter((d) => /L.*M.*L/.test(d))).toHaveLength(0);
  });

  it('distinguishes series by dash pattern, not colour alone', () => {
    const dashes = new Set((svg.match(/stroke-dasharray="[^"]*"/g) ?? []).map((s) => s));
    expect(dashes.size).toBeGreaterThanOrEqual(1);
    // Solid and dashed lines both appear, legend included.
    const strokes = svg.match(/<path [^>]*stroke-width="2"[^>]*>/g) ?? [];
    expect(strokes.some((p) => p.includes('stroke-dasharray'))).toBe(true);
    expect(strokes.some((p) => !p.includes('stroke-dasharray'))).toBe(true);
  });

  it('distinguishes bar series by fill vs outline', () => {
    const bars = renderChartSvg(
      barChart({
        title: '五项措施',
        categories: ['产业帮扶', '就业帮扶'],
        series: [
          { name: '计划', values: [100, 50] },
          { name: '完成', values: [120, null] },
        ],
        unit: '万元',
        horizontal: true,
      }),
    );
    expect(bars).toContain('fill="#ffffff"');
    expect(bars).toContain('>完成未填报</text>');
  });

  it('still draws bar charts with ECharts, post-processed to the same rules', () => {
    const before = chartRenderCount();
    const bars = renderChartSvg(barChart({ title: '各省村数（柱）', categories: ['广西', '四川'], series: [{ name: '村数', values: [120, null] }], unit: '个' }));
    expect(chartRenderCount()).toBe(before + 1);
    // ECharts' way of placing text; the trend writer never uses transforms.
    expect(bars).toMatch(/<text [^>]*transform="translate\(/);
    expect(svg).not.toContain('transform=');
    expect(bars).toContain('>未填报</text>');
    expect(bars).toContain('role="img"');
    expect(bars).not.toMatch(/ style=|<style|class=/);
    expect(XMLValidator.validate(bars)).toBe(true);
  });

  it('is deterministic (a fresh ECharts instance gives the same string)', () => {
    clearChartCache();
    const again = renderChartSvg(twoSeries());
    expect(again).toBe(svg);
    // ids are per chart, not per ECharts instance: different charts never share one.
    const other = renderChartSvg(trendChart({ title: '另一个', months: MONTHS, series: [{ name: 'a', values: [1, 2, 3, 4, 5, 6, 7, 8] }], unit: '人' }));
    const ids = (s: string) => new Set([...s.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    for (const id of ids(other)) expect(ids(svg).has(id)).toBe(false);
  });

  it('renders identical bar charts once (cache by the spec), trend charts every time', () => {
    clearChartCache();
    const before = chartRenderCount();
    const bars = () => barChart({ title: '各省村数（缓存）', categories: ['广西', '四川'], series: [{ name: '村数', values: [120, 80] }], unit: '个' });
    const a = renderChartSvg(bars());
    const b = renderChartSvg(bars());
    expect(b).toBe(a);
    expect(chartRenderCount()).toBe(before + 1);
    renderChartSvg(barChart({ title: '各省村数（不同）', categories: ['广西', '四川'], series: [{ name: '村数', values: [1, 2] }], unit: '个' }));
    expect(chartRenderCount()).toBe(before + 2);
    expect(renderChartSvg(twoSeries())).toBe(renderChartSvg(twoSeries()));
    expect(chartRenderCount()).toBe(before + 4);
  });

  it('keeps only the most recently used entries in a RecentCache', () => {
    const cache = new RecentCache<number>(3);
    for (const k of ['a', 'b', 'c']) cache.set(k, k.charCodeAt(0));
    expect(cache.get('a')).toBe(97); // now the most recently used
    cache.set('d', 100); // evicts the least recently used: b
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([97, 99, 100]);
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
  });

  it('escapes the summary for XML', () => {
    expect(escapeXml(`A&B <c> "d" 'e'`)).toBe('A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;');
    const out = renderChartSvg(trendChart({ title: '单位 <A&B> "甲"', months: ['2020-07'], series: [{ name: 'x<y', values: [1] }], unit: '人' }));
    const root = out.slice(0, out.indexOf('>') + 1);
    expect(root).toContain('aria-label="单位 &lt;A&amp;B&gt; &quot;甲&quot;');
    expect(out).not.toContain('<A&B>');
    expect(out).not.toContain('x<y');
    // Series names are drawn in the legend (two series): escaped there too.
    const named = renderChartSvg(trendChart({ title: 'T', months: ['2020-07', '2020-08'], series: [{ name: 'x<y&"z"', values: [1, 2] }, { name: "'b'", values: [2, 1] }], unit: '人' }));
    expect(named).toContain('>x&lt;y&amp;&quot;z&quot;</text>');
    expect(named).toContain('>&apos;b&apos;</text>');
    expect(XMLValidator.validate(named)).toBe(true);
  });

  it('stays small', () => {
    expect(Buffer.byteLength(svg)).toBeLessThan(15_000);
  });
});

describe('trend SVG writer', () => {
  it('picks nice y ticks: steps of 1, 2 or 5 × 10^n, at most 6 ticks, from 0', () => {
    expect(niceTicks(12.5, 1260)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(50, 280)).toEqual([0, 100, 200, 300]);
    expect(niceTicks(0, 1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(12.5, 95)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 0.3)).toEqual([0, 0.1, 0.2, 0.3]);
    expect(niceTicks(0, 1e9)).toEqual([0, 2e8, 4e8, 6e8, 8e8, 1e9]);
    expect(niceTicks(7, 7)).toEqual([0, 2, 4, 6, 8]);
    // No data / all zero: a plain 0…5 axis.
    expect(niceTicks(0, 0)).toEqual([0, 1, 2, 3, 4, 5]);
    // Negative values: 0 stays on the axis.
    expect(niceTicks(-30, 80)).toEqual([-50, 0, 50, 100]);
    expect(niceTicks(-5, -1)).toEqual([-5, -4, -3, -2, -1, 0]);
    // Counts of people: no fractional steps.
    expect(niceTicks(0, 1, true)).toEqual([0, 1]);
    expect(niceTicks(0, 2, true)).toEqual([0, 1, 2]);
    for (const [lo, hi] of [[0, 1], [3, 17], [0, 123456], [-0.004, 0.013], [-999, 1001], [1, 1e12]] as const) {
      const t = niceTicks(lo, hi);
      expect(t.length).toBeGreaterThanOrEqual(3);
      expect(t.length).toBeLessThanOrEqual(7);
      expect(t).toContain(0);
      expect(t[0]).toBeLessThanOrEqual(lo);
      expect(t[t.length - 1]).toBeGreaterThanOrEqual(hi);
    }
  });

  it('labels the y axis with zh-CN numbers and the unit', () => {
    const svg = renderChartSvg(twoSeries());
    expect(svg).toContain('>单位：万元</text>');
    expect(svg).toContain('>1,500</text>');
    expect(svg).toContain('>0</text>');
  });

  it('draws nothing for an all-null series, without failing', () => {
    const both = renderChartSvg(
      trendChart({ title: '空', months: MONTHS, series: [{ name: '计划', values: MONTHS.map((_, i) => i + 1) }, { name: '完成', values: MONTHS.map(() => null) }], unit: '人' }),
    );
    expect(linePaths(both)).toHaveLength(1);
    expect(both).toContain('>完成</text>'); // still in the legend
    const none = renderChartSvg(trendChart({ title: '全空', months: MONTHS, series: [{ name: '完成', values: MONTHS.map(() => null) }], unit: '万元' }));
    expect(linePaths(none)).toHaveLength(0);
    expect(none).not.toContain('font-weight="bold"'); // no end label
    expect(none).toContain('>5</text>'); // a plain 0…5 axis
    expect(XMLValidator.validate(none)).toBe(true);
  });

  it('draws a single month as a point in the middle, with its label and value', () => {
    const spec = trendChart({ title: '单月', months: ['2021-01'], series: [{ name: 'a', values: [3] }], unit: '个' });
    const layout = layoutTrend(trendOf(spec), spec.width, spec.height);
    expect(layout.xs[0]).toBeCloseTo((layout.plot.left + layout.plot.right) / 2);
    const svg = renderChartSvg(spec);
    expect(linePaths(svg)).toHaveLength(0);
    expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+a3\.5/); // its symbol
    expect(svg).toContain('>2021年1月</text>');
    expect(svg).toMatch(/font-weight="bold"><text [^>]*>3<\/text>/);
  });

  it('gives a lone point between gaps its symbol but no line', () => {
    const spec = trendChart({ title: '孤点', months: MONTHS.slice(0, 5), series: [{ name: 'a', values: [1, 2, null, 4, null] }], unit: '人' });
    const svg = renderChartSvg(spec);
    expect(linePaths(svg)).toEqual([expect.stringMatching(/^M[\d.]+ [\d.]+L[\d.]+ [\d.]+$/)]);
    expect(svg.match(/a3\.5 3\.5 0 1 0 7 0/g)).toHaveLength(3);
  });

  it('drops month labels that would overlap, keeping the first month and each January', () => {
    const spec = trendChart({ title: '三年', months: MONTHS_36, series: [{ name: '计划', values: MONTHS_36.map((_, i) => i * 37.5) }], unit: '人' });
    const { xLabels, width } = layoutTrend(trendOf(spec), spec.width, spec.height);
    expect(xLabels.length).toBeGreaterThanOrEqual(4);
    expect(xLabels.length).toBeLessThan(36);
    for (let j = 1; j < xLabels.length; j++) {
      const a = xLabels[j - 1]!;
      const b = xLabels[j]!;
      expect(b.x - b.width / 2).toBeGreaterThan(a.x + a.width / 2);
    }
    for (const l of xLabels) {
      expect(l.x - l.width / 2).toBeGreaterThanOrEqual(0);
      expect(l.x + l.width / 2).toBeLessThanOrEqual(width);
    }
    const texts = xLabels.map((l) => l.text);
    expect(texts[0]).toBe('2020年5月');
    expect(texts).toEqual(expect.arrayContaining(['2021年1月', '2022年1月', '2023年1月']));
    const svg = renderChartSvg(spec);
    expect(svg.match(/<g text-anchor="middle">(.*?)<\/g>/)![1]!.match(/<text /g)).toHaveLength(xLabels.length);
    // Eight months fit in full.
    expect(layoutTrend(trendOf(twoSeries()), 480, 300).xLabels).toHaveLength(8);
  });

  it('moves end labels apart when two lines end at the same value', () => {
    const spec = trendChart({
      title: '同值',
      months: MONTHS,
      series: [
        { name: '计划', values: [1, 2, 3, 4, 5, 6, 7, 9] },
        { name: '完成', values: [0, 1, 2, 3, 4, 5, 6, 9] },
      ],
      unit: '万元',
    });
    const { endLabels, points } = layoutTrend(trendOf(spec), spec.width, spec.height);
    expect(endLabels).toHaveLength(2);
    const [a, b] = endLabels;
    expect(Math.abs(a!.y - b!.y)).toBeGreaterThanOrEqual(12);
    // Centred on the shared point: one above, one below.
    const y = points[0]![7]!.y;
    expect(Math.min(a!.y, b!.y)).toBeLessThan(y);
    expect(Math.max(a!.y, b!.y)).toBeGreaterThan(y);
    const svg = renderChartSvg(spec);
    const ys = [...svg.matchAll(/<text x="[\d.]+" y="([\d.]+)">9<\/text>/g)].map((m) => m[1]);
    expect(new Set(ys).size).toBe(2);
    // Labels at different x (one line ends early) stay where they are.
    const apart = layoutTrend(
      trendOf(trendChart({ title: '错开', months: MONTHS, series: [{ name: 'a', values: [9, 9, 9, null, null, null, null, null] }, { name: 'b', values: [1, 2, 3, 4, 5, 6, 7, 9] }], unit: '人' })),
      480,
      300,
    );
    expect(apart.endLabels[0]!.y).toBeCloseTo(apart.points[0]![2]!.y);
    expect(apart.endLabels[1]!.y).toBeCloseTo(apart.points[1]![7]!.y);
  });

  it('handles negative values: ticks below 0, a darker zero line, points inside the plot', () => {
    const spec = trendChart({ title: '增减', months: MONTHS, series: [{ name: '增减', values: [-30, -12, 5, 20, null, 45, 60, -8.5] }], unit: '%' });
    const layout = layoutTrend(trendOf(spec), spec.width, spec.height);
    expect(layout.ticks.map((t) => t.value)).toEqual([-40, -20, 0, 20, 40, 60]);
    for (const p of layout.points[0]!) {
      if (!p) continue;
      expect(p.y).toBeGreaterThanOrEqual(layout.plot.top);
      expect(p.y).toBeLessThanOrEqual(layout.plot.bottom);
    }
    const svg = renderChartSvg(spec);
    expect(svg).toContain('>-40</text>');
    expect(svg).toContain('>-8.5</text>');
    // The axis path carries the zero line as a second horizontal.
    expect(svg).toMatch(/<path d="M[\d.]+ [\d.]+H[\d.]+M[\d.]+ [\d.]+H[\d.]+M[^"]*" fill="none" stroke="#666666"\/>/);
  });

  it('keeps every text inside the canvas, even with huge values', () => {
    const specs = [
      twoSeries(),
      trendChart({ title: '大', months: MONTHS, series: [{ name: '计划', values: [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 123456789.5] }, { name: '完成', values: [0, 0, 0, 0, 0, 0, 0, 0] }], unit: '万元' }),
      trendChart({ title: '三年', months: MONTHS_36, series: [{ name: '计划', values: MONTHS_36.map((_, i) => i * 1000.25) }], unit: '万元' }),
      trendChart({ title: '五个', months: MONTHS, series: ['一', '二', '三', '四', '五'].map((name) => ({ name, values: MONTHS.map(() => 9) })), unit: '人' }),
    ];
    for (const spec of specs) {
      const L = layoutTrend(trendOf(spec), spec.width, spec.height);
      for (const t of L.ticks) expect(t.x - t.width).toBeGreaterThanOrEqual(0);
      for (const t of L.endLabels) {
        expect(t.x + t.width).toBeLessThanOrEqual(spec.width);
        expect(t.y - 6).toBeGreaterThanOrEqual(0);
        expect(t.y + 6).toBeLessThanOrEqual(spec.height);
      }
      for (const t of L.xLabels) expect(t.x + t.width / 2).toBeLessThanOrEqual(spec.width);
      const ends = [...L.endLabels].sort((a, b) => a.y - b.y);
      for (let j = 1; j < ends.length; j++) expect(ends[j]!.y - ends[j - 1]!.y).toBeGreaterThanOrEqual(12);
      expect(XMLValidator.validate(renderChartSvg(spec))).toBe(true);
    }
  });
});
