/**
 * Where a page's main-thread time goes on a phone: each page type of a built site (the pages
 * scripts/lighthouse.ts measures) loaded at 390 px with the CPU throttled 4× (Lighthouse's
 * mobile factor), in Debian's Chromium driven by playwright-core, with a performance trace.
 * Prints per page: DOM nodes, style recalculation and layout (wall ms under the throttle and how
 * many times; and the main thread's CPU ms from the trace, which other processes move much less),
 * how many layouts were of the whole page, paint,
 * HTML parsing, the long tasks (≥ 50 ms) and their blocking time (the part over 50 ms, what
 * Lighthouse's TBT adds up), the median of --runs N loads.
 *
 *   node scripts/profile-pages.ts DIST [--runs N] [--only 县,县的月度表] [--throttle 1] [--json FILE]
 *
 * --throttle 1 loads unthrottled, as Lighthouse's simulated throttling observes a page (it then
 * multiplies the main-thread tasks by 4): with the real 4× throttle the parser yields more often
 * and the page is laid out in more, partial, passes.
 *
 * Measured, not simulated: the figures move with the machine's load (print `uptime` with them).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { launchChromium } from './chromium.ts';
import { pagesOf, serveSite } from './lighthouse.ts';

interface TraceEvent { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; args?: Record<string, unknown>; cat?: string }
export interface PageProfile {
  what: string;
  url: string;
  nodes: number;
  /** style recalculation and layout, wall time under the throttle (Performance.getMetrics) and how many times */
  styleMs: number;
  styleCount: number;
  layoutMs: number;
  layoutCount: number;
  /** the same from the trace in the main thread's own CPU time (thread time: much less moved by other processes) */
  styleCpuMs: number;
  layoutCpuMs: number;
  /** layouts of (nearly) the whole page: more than 100 layout objects dirty */
  fullLayouts: number;
  paintMs: number;
  parseMs: number;
  longTasks: number;
  blockingMs: number;
  longestTaskMs: number;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2; };

export async function profilePages(dir: string, opts: { runs?: number; only?: string[]; throttle?: number } = {}): Promise<PageProfile[]> {
  const runs = opts.runs ?? 3;
  const throttle = opts.throttle ?? 4;
  const pages = pagesOf(dir).filter((p) => !opts.only?.length || opts.only.includes(p.what));
  const server = await serveSite(dir);
  const browser = await launchChromium();
  const out: PageProfile[] = [];
  try {
    for (const p of pages) {
      const samples: PageProfile[] = [];
      for (let i = 0; i < runs; i++) {
        const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
        await cdp.send('Performance.enable');
        await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink', 'loading'] });
        await page.goto(`${server.origin}${p.url}`, { waitUntil: 'load' });
        await page.waitForTimeout(1500);
        const metrics = Object.fromEntries(((await cdp.send('Performance.getMetrics')).metrics as Array<{ name: string; value: number }>).map((m) => [m.name, m.value]));
        const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
        const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] };
        await context.close();
        const events = trace.traceEvents;
        // the renderer main thread that parsed this page's HTML
        const parse = events.find((e) => e.name === 'ParseHTML' && String((e.args?.beginData as { url?: string } | undefined)?.url ?? '').includes(p.url.split('?')[0]!));
        const onMain = (e: TraceEvent) => parse !== undefined && e.pid === parse.pid && e.tid === parse.tid && e.ph === 'X';
        const sum = (name: string) => events.filter((e) => onMain(e) && e.name === name).reduce((a, e) => a + (e.dur ?? 0) / 1000, 0);
        const cpu = (name: string) => events.filter((e) => onMain(e) && e.name === name).reduce((a, e) => a + ((e as { tdur?: number }).tdur ?? e.dur ?? 0) / 1000, 0);
        const tasks = events.filter((e) => onMain(e) && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && (e.dur ?? 0) >= 50_000).map((e) => e.dur! / 1000);
        samples.push({
          ...p,
          nodes,
          styleMs: metrics.RecalcStyleDuration! * 1000,
          styleCount: metrics.RecalcStyleCount!,
          layoutMs: metrics.LayoutDuration! * 1000,
          layoutCount: metrics.LayoutCount!,
          styleCpuMs: cpu('UpdateLayoutTree'),
          layoutCpuMs: cpu('Layout'),
          fullLayouts: events.filter((e) => onMain(e) && e.name === 'Layout' && Number((e.args?.beginData as { dirtyObjects?: number } | undefined)?.dirtyObjects ?? 0) > 100).length,
          paintMs: sum('Paint') + sum('PrePaint') + sum('Layerize'),
          parseMs: sum('ParseHTML'),
          longTasks: tasks.length,
          blockingMs: tasks.reduce((a, d) => a + d - 50, 0),
          longestTaskMs: Math.max(0, ...tasks),
        });
      }
      const m = (k: keyof PageProfile) => median(samples.map((s) => s[k] as number));
      const row: PageProfile = { ...p, nodes: m('nodes'), styleMs: m('styleMs'), styleCount: m('styleCount'), layoutMs: m('layoutMs'), layoutCount: m('layoutCount'), styleCpuMs: m('styleCpuMs'), layoutCpuMs: m('layoutCpuMs'), fullLayouts: m('fullLayouts'), paintMs: m('paintMs'), parseMs: m('parseMs'), longTasks: m('longTasks'), blockingMs: m('blockingMs'), longestTaskMs: m('longestTaskMs') };
      const f = (n: number) => n.toFixed(0);
      console.log(`${row.what}\t${f(row.nodes)}\t${f(row.styleMs)} (${f(row.styleCount)}×)\t${f(row.layoutMs)} (${f(row.layoutCount)}×)\t${row.styleCpuMs.toFixed(1)}\t${row.layoutCpuMs.toFixed(1)}\t${samples.map((s) => s.fullLayouts).join('/')}\t${f(row.paintMs)}\t${f(row.parseMs)}\t${f(row.longTasks)}\t${f(row.blockingMs)}\t${f(row.longestTaskMs)}\t[layout ${samples.map((s) => f(s.layoutMs)).join('/')} · layout CPU ${samples.map((s) => f(s.layoutCpuMs)).join('/')} · blocking ${samples.map((s) => f(s.blockingMs)).join('/')}]\t${p.url}`);
      out.push(row);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const dir = args.find((a, i) => !a.startsWith('--') && !['--runs', '--only', '--json', '--throttle'].includes(args[i - 1] ?? ''));
  if (!dir) {
    console.error('用法：node scripts/profile-pages.ts DIST [--runs N] [--only 县,县的月度表] [--throttle 1] [--json FILE]');
    process.exit(2);
  }
  console.log(`负载 ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('页面\tDOM 节点\t样式计算 ms\t布局 ms\t样式 CPU ms\t布局 CPU ms\t整页布局次数\t绘制 ms\tHTML 解析 ms\t长任务\t阻塞 ms\t最长任务 ms（中位数；390 px）');
  const rows = await profilePages(dir, { runs: Number(opt('--runs') ?? 3), only: opt('--only')?.split(','), throttle: Number(opt('--throttle') ?? 4) });
  console.log(`负载 ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (opt('--json')) writeFileSync(opt('--json')!, JSON.stringify(rows, null, 2));
}
