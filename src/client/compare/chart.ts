/**
 * The compare chart: ECharts, tree-shaken (core + SVG renderer + line chart + the tooltip
 * and grid components only), no animation when the reader asks for reduced motion. The
 * legend is HTML in the island (CompareApp): buttons a keyboard can reach, and 3.7 KB gzip
 * less than ECharts' legend component, which the page's 200 KB budget needs.
 */
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { ChartLine } from '../../lib/compare.ts';
import { formatMonth } from '../../lib/format.ts';
import { colourOf } from './colours.ts';

echarts.use([LineChart, GridComponent, TooltipComponent, SVGRenderer]);

const number = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 4 });

export interface ChartHandle {
  /** `lines`: those shown (the legend can hide an entity's); colours follow `ChartLine.entity`. */
  draw(months: string[], lines: ChartLine[], unit: string, roles: { plan: string; done: string; planUnit: string; doneUnit: string }): void;
  dispose(): void;
}

export function mountChart(el: HTMLElement): ChartHandle {
  const chart = echarts.init(el, undefined, { renderer: 'svg' });
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)');
  return {
    draw(months, lines, unit, roles) {
      const value = (v: unknown, u: string) => (typeof v === 'number' ? `${number.format(v)} ${u}` : '未上报');
      // Said on the element too, so a test can see it.
      el.dataset.animation = String(!reduced.matches);
      chart.setOption(
        {
          animation: !reduced.matches,
          aria: { enabled: false },
          tooltip: {
            trigger: 'axis',
            confine: true,
            // Built as DOM, not HTML: names are the registry's text, and ECharts' own markers are
            // inline style attributes, which the site's Content Security Policy refuses.
            formatter: (params: unknown) => {
              const list = params as Array<{ axisValueLabel: string; seriesIndex: number; value: unknown }>;
              const box = document.createElement('div');
              box.className = 'compare-tip';
              box.append(list[0]?.axisValueLabel ?? '');
              for (const p of list) {
                const l = lines[p.seriesIndex]!;
                const row = document.createElement('div');
                const mark = document.createElement('span');
                mark.className = `tip-mark ${l.role}`;
                mark.style.backgroundColor = colourOf(l.entity);
                row.append(mark, `${l.name} · ${l.role === 'plan' ? roles.plan : roles.done}：${value(p.value, l.role === 'plan' ? roles.planUnit : roles.doneUnit)}`);
                box.append(row);
              }
              return box;
            },
          },
          grid: { top: 32, left: 8, right: 16, bottom: 8, containLabel: true },
          xAxis: { type: 'category', data: months.map(formatMonth), boundaryGap: false },
          yAxis: { type: 'value', name: unit, nameTextStyle: { align: 'left' } },
          series: lines.map((l) => ({
            type: 'line',
            name: l.name,
            data: l.values,
            connectNulls: false,
            symbol: l.role === 'plan' ? 'rect' : 'circle',
            symbolSize: 7,
            color: colourOf(l.entity),
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
