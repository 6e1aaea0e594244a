/**
 * Charts: option builders (nulls are gaps, text alternative, data table) and the build-time
 * SVG renderer (accessible root, no external references, deterministic, cached, series told
 * apart by more than colour).
 */
import { describe, expect, it } from 'vitest';
import { barChart, chartMonthLabel, chartMonthRange, trendChart, type ChartSpec } from '../../src/lib/charts.ts';
import { chartRenderCount, clearChartCache, escapeXml, renderChartSvg } from '../../src/lib/chart-render.ts';

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

/** The `data` array of series k, as plain values (data items unwrapped). */
function seriesValues(spec: ChartSpec, k: number): unknown[] {
  const series = spec.option.series as Array<{ data: unknown[] }>;
  return series[k]!.data.map((d) => (d !== null && typeof d === 'object' && 'value' in d ? (d as { value: unknown }).value : d));
}

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
    const series = spec.option.series as Array<{ connectNulls?: boolean }>;
    expect(series.every((s) => s.connectNulls === false)).toBe(true);
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

  it('tells series apart by dash and symbol, labels the last values, and has a text legend', () => {
    const spec = twoSeries();
    const series = spec.option.series as Array<{ symbol: string; lineStyle: { type: unknown } }>;
    expect(series[0]!.lineStyle.type).not.toEqual(series[1]!.lineStyle.type);
    expect(series[0]!.symbol).not.toBe(series[1]!.symbol);
    expect((spec.option.legend as { data: string[] }).data).toEqual(['计划投入', '实际到位']);
    expect(spec.option.animation).toBe(false);
    expect(JSON.stringify(spec.option)).toContain('"formatter":"1,260"');
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

  it('is deterministic (a fresh ECharts instance gives the same string)', () => {
    clearChartCache();
    const again = renderChartSvg(twoSeries());
    expect(again).toBe(svg);
    // ids are per chart, not per ECharts instance: different charts never share one.
    const other = renderChartSvg(trendChart({ title: '另一个', months: MONTHS, series: [{ name: 'a', values: [1, 2, 3, 4, 5, 6, 7, 8] }], unit: '人' }));
    const ids = (s: string) => new Set([...s.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    for (const id of ids(other)) expect(ids(svg).has(id)).toBe(false);
  });

  it('renders identical specs once (digest cache)', () => {
    clearChartCache();
    const before = chartRenderCount();
    const a = renderChartSvg(twoSeries());
    const b = renderChartSvg(twoSeries());
    expect(b).toBe(a);
    expect(chartRenderCount()).toBe(before + 1);
    renderChartSvg(trendChart({ title: '资金到位趋势（不同）', months: MONTHS, series: [{ name: 'a', values: [1, 2, 3, 4, 5, 6, 7, 8] }], unit: '万元' }));
    expect(chartRenderCount()).toBe(before + 2);
  });

  it('escapes the summary for XML', () => {
    expect(escapeXml(`A&B <c> "d" 'e'`)).toBe('A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;');
    const out = renderChartSvg(trendChart({ title: '单位 <A&B> "甲"', months: ['2020-07'], series: [{ name: 'x<y', values: [1] }], unit: '人' }));
    const root = out.slice(0, out.indexOf('>') + 1);
    expect(root).toContain('aria-label="单位 &lt;A&amp;B&gt; &quot;甲&quot;');
    expect(out).not.toContain('<A&B>');
    expect(out).not.toContain('x<y');
  });

  it('stays small', () => {
    expect(Buffer.byteLength(svg)).toBeLessThan(15_000);
  });
});
