/**
 * The compare chart: ECharts, tree-shaken to core + SVG renderer + line chart + the simple
 * grid (no axis pointer), no animation when the reader asks for reduced motion. Two parts
 * are the island's own, not ECharts' components, for the page's 200 KB budget:
 *  - the legend is HTML in CompareApp (buttons a keyboard can reach; 3.7 KB gzip less than
 *    ECharts' legend);
 *  - the tooltip is a DOM box driven by the chart's own pointer events: the month under the
 *    pointer is found with convertFromPixel, its points are emphasised, and each shown line's
 *    plan or done value is listed (ECharts' tooltip and the axis pointer it needs: 16 KB gzip).
 *    Built as DOM, not HTML: names are the registry's text, and styles are set through the
 *    CSSOM, never as style attributes, which the site's Content Security Policy refuses.
 */
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridSimpleComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import type { ChartLine } from '../../lib/model/compare.ts';
import { formatMonth } from '../../lib/render/format.ts';
import { colourOf } from './colours.ts';

echarts.use([LineChart, GridSimpleComponent, SVGRenderer]);

const number = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 4 });
const GRID = { gridIndex: 0 };

interface Roles {
  plan: string;
  done: string;
  planUnit: string;
  doneUnit: string;
}

export interface ChartHandle {
  /** `lines`: those shown (the legend can hide an entity's); colours follow `ChartLine.entity`. */
  draw(months: string[], lines: ChartLine[], unit: string, roles: Roles): void;
  dispose(): void;
}

export function mountChart(el: HTMLElement): ChartHandle {
  const chart = echarts.init(el, undefined, { renderer: 'svg' });
  const resize = () => chart.resize();
  window.addEventListener('resize', resize);
  const reduced = window.matchMedia('(prefers-reduced-motion: reduce)');
  let drawn: { months: string[]; lines: ChartLine[]; roles: Roles } = { months: [], lines: [], roles: { plan: '', done: '', planUnit: '', doneUnit: '' } };

  const tip = document.createElement('div');
  tip.className = 'compare-tip';
  tip.hidden = true;
  el.append(tip);
  let month = -1;

  const emphasise = (type: 'highlight' | 'downplay', dataIndex: number) => {
    if (dataIndex >= 0 && drawn.lines.length) chart.dispatchAction({ type, seriesIndex: drawn.lines.map((_, i) => i), dataIndex });
  };
  const hide = () => {
    emphasise('downplay', month);
    month = -1;
    tip.hidden = true;
  };
  const fill = (i: number) => {
    const { months, lines, roles } = drawn;
    const value = (v: unknown, u: string) => (typeof v === 'number' ? `${number.format(v)} ${u}` : '未上报');
    tip.replaceChildren(formatMonth(months[i]!));
    for (const l of lines) {
      const row = document.createElement('div');
      const mark = document.createElement('span');
      mark.className = `tip-mark ${l.role}`;
      mark.style.backgroundColor = colourOf(l.entity);
      row.append(mark, `${l.name} · ${l.role === 'plan' ? roles.plan : roles.done}：${value(l.values[i], l.role === 'plan' ? roles.planUnit : roles.doneUnit)}`);
      tip.append(row);
    }
  };
  // The month nearest the pointer, its values beside it, kept inside the chart's box.
  const show = (x: number, y: number) => {
    if (!drawn.lines.length || !chart.containPixel(GRID, [x, y])) return hide();
    const at = chart.convertFromPixel(GRID, [x, y]) as number[] | undefined;
    const i = Math.min(drawn.months.length - 1, Math.max(0, Math.round(at?.[0] ?? -1)));
    if (i !== month) {
      emphasise('downplay', month);
      month = i;
      emphasise('highlight', i);
      fill(i);
    }
    tip.hidden = false;
    const gap = 12;
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    const left = x + gap + w <= el.clientWidth ? x + gap : Math.max(0, x - gap - w);
    const top = Math.min(Math.max(0, y - h / 2), Math.max(0, el.clientHeight - h));
    tip.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  };
  const zr = chart.getZr();
  zr.on('mousemove', (e) => show(e.offsetX, e.offsetY));
  zr.on('globalout', hide);

  return {
    draw(months, lines, unit, roles) {
      hide();
      drawn = { months, lines, roles };
      // Said on the element too, so a test can see it.
      el.dataset.animation = String(!reduced.matches);
      chart.setOption(
        {
          animation: !reduced.matches,
          aria: { enabled: false },
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
            emphasis: { scale: 1.6 },
          })),
        },
        { notMerge: true },
      );
    },
    dispose() {
      window.removeEventListener('resize', resize);
      chart.dispose();
      tip.remove();
    },
  };
}
