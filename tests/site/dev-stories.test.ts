/**
 * An editor previews with `npm run dev`: every save is checked again, a failing story shows
 * its Chinese report in the browser (never a 500, a blank or a stale page), fixing it brings
 * the story back, and the server never exits — not even when a story is broken at start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const GOOD = path.join(ROOT, 'tests/fixtures/stories-small');
const STORY = '2020-08-qingsong-walnut';

let work: string;
let stories: string;
let server: ChildProcess;
let origin: string;
let log = '';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function get(url: string): Promise<{ status: number; html: string }> {
  const r = await fetch(origin + url);
  return { status: r.status, html: await r.text() };
}

/** Polls until `ok` holds for the page (the watcher needs a moment after a save). */
async function until(url: string, ok: (p: { status: number; html: string }) => boolean, what: string): Promise<{ status: number; html: string }> {
  let last = { status: 0, html: '' };
  for (let i = 0; i < 60; i++) {
    last = await get(url);
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 1500));
  }
  const report = /<section class="dev-report"[\s\S]*?<\/section>/.exec(last.html)?.[0].replace(/<[^>]+>/g, ' ').slice(0, 1500) ?? '(no report on the page)';
  throw new Error(`${what}: ${last.status}\n${report}\n--- dev log ---\n${log.slice(-3000)}`);
}

/**
 * Saves `content` and polls until the page shows `ok`. A request that lands while the dev
 * server reloads its content store can keep the previous store (seen on CI, not by hand), and
 * saving the same bytes again changes nothing; an editor would touch the file and save again,
 * and so does this every 10 s (a trailing newline more or less: the same story).
 */
async function save(file: string, content: string, url: string, ok: (p: { status: number; html: string }) => boolean, what: string) {
  writeFileSync(file, content);
  let n = 0;
  const timer = setInterval(() => writeFileSync(file, ++n % 2 ? `${content}\n` : content), 10_000);
  try {
    return await until(url, ok, what);
  } finally {
    clearInterval(timer);
  }
}

const alert = (html: string) => /<section class="dev-report" role="alert"/.test(html);

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-dev-'));
  stories = path.join(work, 'stories');
  cpSync(GOOD, stories, { recursive: true });
  // Broken at start: the server must come up anyway and say why.
  writeFileSync(path.join(stories, 'broken-at-start.mdx'), '---\ntitle: 开始时就有错的案例\n---\n\n正文\n');
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'dev', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: ROOT,
    // As an editor runs it: not vitest's test mode (NODE_ENV=test, VITEST…), which changes how Vite serves.
    env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|NODE_ENV$|TEST$)/.test(k))), DATA_DIR: path.join(ROOT, 'tests/fixtures/site-small'), STORIES_DIR: stories, BULLETINS_DIR: path.join(ROOT, 'tests/fixtures/bulletins-small'), ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => (log += d));
  server.stderr!.on('data', (d) => (log += d));
  for (let i = 0; i < 240 && !/watching for file changes/.test(log); i++) await new Promise((r) => setTimeout(r, 500));
}, 180_000);

afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

describe('npm run dev checks every save', () => {
  it('a story broken at start: the server runs and every page shows its report', async () => {
    const home = await until('/', (p) => p.status === 200, 'home page');
    expect(alert(home.html)).toBe(true);
    expect(home.html).toContain('broken-at-start.mdx');
    expect(home.html).toContain('发布日期（date）：缺少此项');
    expect(home.html).toMatch(/<strong[^>]*>字段 date<\/strong>/);
    expect(server.exitCode).toBeNull();
  });

  it('breaking a story on save shows the Chinese report, never a 500; fixing it brings the story back', async () => {
    const file = path.join(stories, `${STORY}.mdx`);
    const good = readFileSync(file, 'utf8');
    const before = await until(`/stories/${STORY}/`, (p) => p.status === 200 && p.html.includes('核桃初加工车间建成投产'), 'story before');
    expect(before.html).toContain('<article');

    const broken = await save(file, good.replace('date: 2020-08-20', 'date: 2020-02-30').replace('在家门口就能上班', '{globalThis.process.exit(1)}在家门口就能上班'), `/stories/${STORY}/`, (p) => p.html.includes('“2020-02-30”不是存在的日期'), 'report after a bad save');
    expect(broken.status).not.toBe(500);
    expect(broken.html).toContain('不允许 { } 表达式');
    expect(broken.html).not.toContain('核桃初加工车间建成投产</h1>'); // not the stale page
    expect(server.exitCode).toBeNull();

    const fixedOnce = await save(file, good, `/stories/${STORY}/`, (p) => p.status === 200 && p.html.includes('核桃初加工车间建成投产</h1>'), 'story after the first fix');
    expect(fixedOnce.html).not.toContain('“2020-02-30”不是存在的日期'); // only broken-at-start.mdx is still reported

    const unknown = await save(file, good.replace("villages: ['533323101001']", "villages: ['533323999999']"), `/stories/${STORY}/`, (p) => p.html.includes('533323999999 不在村名录'), 'unknown village reported');
    expect(unknown.status).not.toBe(500);

    const fixed = await save(file, good, `/stories/${STORY}/`, (p) => p.status === 200 && p.html.includes('核桃初加工车间建成投产</h1>'), 'story after the fix');
    expect(fixed.html).not.toContain(STORY + '.mdx 第');
    expect(server.exitCode).toBeNull();
  }, 600_000);
});
