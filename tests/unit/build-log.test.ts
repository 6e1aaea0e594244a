/** scripts/build-log.ts: Astro's per-page log read into counts by route, as the build's step log records them. */
import { describe, expect, it } from 'vitest';
import { AstroPageLog, StdoutLines } from '../../scripts/build-log.ts';

describe('AstroPageLog', () => {
  it('counts rendered and reused pages by route, also when pages in flight share a line', () => {
    const log = new AstroPageLog();
    for (const line of [
      '17:33:41   ├─ /404.html17:33:41   ├─ /about/index.html17:33:41   ├─ /villages/110101001001/index.html',
      '17:33:41   ├─ /bulletins/2020-11/index.html (+40ms) ',
      '17:33:41   ├─ /counties/450225/2020-06/index.html (cached)',
      '17:33:41   ├─ /counties/450225/2020-07/index.html\x1b[2m (+1.20s)\x1b[22m',
      '17:33:42   ├─ /counties/450225/2020-05/index.html (restored)',
      '17:33:42   └─ /index.html (+3ms)',
      '17:33:42   ▶ /_astro/a.webp (before: 6kB, after: 5kB) (+89ms) (1/60)',
      '[数据] 校验通过，用时 0.4 秒',
    ])
      log.line(line);
    expect(log.rendered).toBe(6);
    expect(log.reused).toBe(2);
    expect(log.routes['404.html']).toEqual({ rendered: 1, reused: 0, ms: 0 });
    expect(log.routes.villages).toEqual({ rendered: 1, reused: 0, ms: 0 });
    expect(log.routes.bulletins).toEqual({ rendered: 1, reused: 0, ms: 40 });
    // a time goes to the route of the page started last (here the 2020-07 table itself)
    expect(log.routes.counties).toEqual({ rendered: 1, reused: 2, ms: 1200 });
    expect(log.routes['index.html']).toEqual({ rendered: 1, reused: 0, ms: 3 });
    expect(Object.keys(log.routes).sort()).toEqual(['404.html', 'about', 'bulletins', 'counties', 'index.html', 'villages']);
  });
});

describe('StdoutLines', () => {
  it('a character split between two pieces of the pipe is joined, so every page is counted, whatever the piece size', () => {
    const text = Array.from({ length: 50 }, (_, i) => `08:00:00   ├─ /villages/${450225001200 + i}/index.html (+2ms)\n`).join('') + '08:00:01   └─ /index.html (+3ms)';
    const bytes = Buffer.from(text, 'utf8');
    for (const size of [1, 2, 7, 64, 1000, bytes.length]) {
      const log = new AstroPageLog();
      const lines = new StdoutLines((l) => log.line(l));
      let back = '';
      for (let i = 0; i < bytes.length; i += size) back += lines.push(bytes.subarray(i, i + size));
      back += lines.end();
      expect(back).toBe(text);
      expect(log.rendered).toBe(51);
      expect(log.routes.villages).toEqual({ rendered: 50, reused: 0, ms: 100 });
    }
  });
});
