/**
 * The compare chart: ECharts, tree-shaken (core + SVG renderer + line chart + the tooltip,
 * legend and grid components only), no animation when the reader asks for reduced motion.
 */
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { ChartLine } from '../../lib/compare.ts';
import { formatMonth } from '../../lib/format.ts';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** Eight colours that tell lines apart for most colour vision; plan lines are also dashed. */
const COLOURS = ['#0b57d0', '#b3261e', '#1a7f37', '#8250df', '#9a6700'];
const number = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 4 });

export interface ChartHandle {
  draw(months: string[], lines: ChartLine[], unit: string): void;
  dispose(): void;
}

export function mountChart(el: HTMLElement): ChartHandle {
  const chart = echarts.init(el, undefined, { renderer: 'svg' });
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)');
  return {
    draw(months, lines, unit) {
      chart.setOption(
        {
          animation: !reduced.matches,
          aria: { enabled: false },
          color: COLOURS,
          tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? `${number.format(v)} ${unit}` : '未上报') },
          legend: { type: 'scroll', top: 0 },
          grid: { top: 56, left: 8, right: 16, bottom: 8, containLabel: true },
          xAxis: { type: 'category', data: months.map(formatMonth), boundaryGap: false },
          yAxis: { type: 'value', name: unit, nameTextStyle: { align: 'left' } },
          series: lines.map((l) => ({
            type: 'line',
            name: l.name,
            data: l.values,
            connectNulls: false,
            symbol: l.role === 'plan' ? 'rect' : 'circle',
            symbolSize: 7,
            color: COLOURS[l.entity % COLOURS.length],
            lineStyle: { type: l.role === 'plan' ? 'dashed' : 'solid', width: 2 },
          })),
        },
        { notMerge: true },
      );
    },
    dispose() {
      window.removeEventListener('resize', resize);
      chart.dispose();
    },
  };
}
