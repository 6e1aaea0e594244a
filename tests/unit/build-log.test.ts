/**
 * The build's console: Astro's messages through the site's logger (src/build/astro-logger.mjs)
 * become page counts by route, and what the console prints (src/build/build-console.ts) is
 * whole lines, whatever sizes the pipe splits a step's output into.
 */
import { describe, expect, it } from 'vitest';
import { StdoutLines } from '../../src/build/build-log.ts';
import { EVENT_MARK, PageTally } from '../../src/build/astro-logger.mjs';
import { BuildConsole } from '../../src/build/build-console.ts';

/** Astro's messages for a few pages, four in flight, as its logger receives them. */
const ASTRO = [
  { label: 'build', message: 'Building static entrypoints...' },
  { label: 'SKIP_FORMAT', message: '\n generating static routes ' },
  { label: null, message: '  ├─ /404.html' },
  { label: null, message: '  ├─ /about/index.html' },
  { label: null, message: '  ├─ /villages/110101001001/index.html' },
  { label: 'SKIP_FORMAT', message: ' (+40ms) ' },
  { label: null, message: '  ├─ /counties/450225/2020-06/index.html' },
  { label: 'SKIP_FORMAT', message: ' \u001b[32m(cached)\u001b[39m' },
  { label: null, message: '  ├─ /counties/450225/2020-07/index.html' },
  { label: 'SKIP_FORMAT', message: '\u001b[2m (+1.20s)\u001b[22m' },
  { label: null, message: '  ├─ /counties/450225/2020-05/index.html' },
  { label: 'SKIP_FORMAT', message: ' (restored)' },
  { label: null, message: '  └─ /index.html' },
  { label: 'SKIP_FORMAT', message: ' (+3ms) ' },
  { label: null, message: '  ▶ /_astro/a.webp (before: 6kB, after: 5kB) (+89ms) (1/60)' },
];

describe('PageTally (the logger’s count of Astro’s pages)', () => {
  it('counts rendered and reused pages by route; only page messages are taken', () => {
    const tally = new PageTally();
    const taken = ASTRO.map((m) => tally.take(m));
    expect(taken[0]).toBe(false);
    expect(taken.slice(1).every(Boolean)).toBe(true);
    expect(tally.rendered).toBe(5);
    expect(tally.reused).toBe(2);
    expect(tally.routes['404.html']).toEqual({ rendered: 1, reused: 0, ms: 0 });
    // a time goes to the route of the page started last
    expect(tally.routes['villages']).toEqual({ rendered: 1, reused: 0, ms: 40 });
    expect(tally.routes['counties']).toEqual({ rendered: 1, reused: 2, ms: 1200 });
    expect(tally.routes['index.html']).toEqual({ rendered: 1, reused: 0, ms: 3 });
    expect(tally.routes['about']).toEqual({ rendered: 1, reused: 0, ms: 0 });
  });
});

describe('BuildConsole', () => {
  const events = (pages: number[]) => [
    ...pages.map((n) => `${EVENT_MARK}${JSON.stringify({ type: 'pages', pages: n, reused: 0 })}`),
    `${EVENT_MARK}${JSON.stringify({ type: 'log', level: 'info', label: 'build', message: 'Complete!' })}`,
    `${EVENT_MARK}${JSON.stringify({ type: 'log', level: 'warn', label: 'vite', message: '某个警告' })}`,
    `${EVENT_MARK}${JSON.stringify({ type: 'pages-done', rendered: 3, reused: 0, routes: { villages: { rendered: 3, reused: 0, ms: 5 } } })}`,
  ];

  it('prints whole lines only, however the pipe splits the output; Astro’s chatter goes, warnings stand out', () => {
    const lines = ['[数据] 校验通过，用时 0.4 秒', ...events([1, 2, 3]), '[下载] 全站开放数据：18 个文件，用时 0.3 秒', '[页面] 完成'];
    const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    for (const size of [1, 2, 3, 5, 64, bytes.length]) {
      let printed = '';
      const console = new BuildConsole((t) => (printed += t), { tty: false, verbose: false, expectedPages: null });
      const pipe = new StdoutLines((l) => console.line(l));
      for (let i = 0; i < bytes.length; i += size) pipe.push(bytes.subarray(i, i + size));
      pipe.end();
      expect(printed.split('\n')).toEqual(['[数据] 校验通过，用时 0.4 秒', '⚠ 警告 [vite] 某个警告', '[下载] 全站开放数据：18 个文件，用时 0.3 秒', '[页面] 完成', '']);
      expect(console.pagesDone?.routes).toEqual({ villages: { rendered: 3, reused: 0, ms: 5 } });
      expect(console.warnings).toBe(1);
    }
  });

  it('on a terminal draws the pages as one bar (done / total, rate, time left), cleared before every line and at the end', () => {
    let printed = '';
    let now = 0;
    const console = new BuildConsole((t) => (printed += t), { tty: true, verbose: false, expectedPages: 100, now: () => now });
    for (const [t, n] of [[0, 1], [1000, 25], [2000, 50]] as const) {
      now = t;
      console.line(`${EVENT_MARK}${JSON.stringify({ type: 'pages', pages: n, reused: 0 })}`);
    }
    expect(printed).toContain('[页面] ████████████░░░░░░░░░░░░ 50 / 约 100 · 每秒 25 个 · 约剩 2 秒');
    console.print('[下载] 完成');
    console.line(`${EVENT_MARK}${JSON.stringify({ type: 'pages-done', rendered: 100, reused: 0, routes: {} })}`);
    // every line the reader keeps is whole: the bar is erased (\r + clear line) before anything else is written
    const kept = printed.split('\n').map((l) => l.split('\r\u001b[2K').at(-1));
    expect(kept).toContain('[下载] 完成');
    expect(printed.endsWith('\r\u001b[2K')).toBe(true);
  });

  it('--verbose lists every page and Astro’s messages', () => {
    let printed = '';
    const console = new BuildConsole((t) => (printed += t), { tty: false, verbose: true, expectedPages: null });
    console.line(`${EVENT_MARK}${JSON.stringify({ type: 'log', level: 'info', label: 'page', message: '├─ /villages/1/index.html' })}`);
    console.line(`${EVENT_MARK}${JSON.stringify({ type: 'log', level: 'info', label: 'build', message: 'Complete!' })}`);
    expect(printed).toBe('  [page] ├─ /villages/1/index.html\n  [build] Complete!\n');
  });
});
