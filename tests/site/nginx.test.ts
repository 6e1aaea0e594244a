/**
 * The site as a real nginx serves it (tests/site/nginx-server.ts: deploy/nginx.conf's cache map
 * and deploy/gpdzc-site.conf's rules, from a publishing target's `current`): the headers —
 * long caching only for content-hashed files, no-cache for entry files and meta.json, the 404
 * page, dotfiles hidden — and a switch under load: a bounded loop of requests on loopback runs
 * while two releases go live and one rollback happens, and every page with the assets it
 * references comes whole from one release, none failing.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseSums, sha256 } from '../../src/lib/release/sums.ts';
import { urlPath } from '../../src/lib/release/check-url.ts';
import { startNginx, type Nginx } from './nginx-server.ts';
import { publishCli, publishCliAsync, variant } from './releases.ts';

let work: string;
let target: string;
let nginx: Nginx;
const sites: Record<string, string> = {};
const sums: Record<string, Map<string, string>> = {};

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-nginx-'));
  sites.A = path.join(work, 'A');
  cpSync(inject('siteDir'), sites.A, { recursive: true });
  sites.B = path.join(work, 'B');
  await variant(sites.A, sites.B, 'load0b');
  sites.C = path.join(work, 'C');
  await variant(sites.A, sites.C, 'load0c');
  for (const [k, dir] of Object.entries(sites)) sums[k] = parseSums(readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8'));
  target = path.join(work, 'target');
  const r = publishCli(['--dist', sites.A, '--target', target], { PUBLISH_COMMIT: 'aaaaaaa1' });
  expect(r.status, r.out).toBe(0);
  nginx = await startNginx(path.join(work, 'nginx'), target);
});
afterAll(async () => {
  await nginx?.stop();
  rmSync(work, { recursive: true, force: true });
});

const get = (p: string) => fetch(`${nginx.url}${p}`, { headers: { 'Accept-Encoding': 'gzip' } });
const files = () => [...sums.A!.keys()];

describe('headers from the production rules', () => {
  it('long caching only for content-hashed files', async () => {
    const hashed = [files().find((f) => /^_astro\/.+\.(?:css|js)$/.test(f))!, files().find((f) => /^pagefind\/(index|fragment)\//.test(f))!, files().find((f) => /^search-index\/[0-9a-f]+\//.test(f))!];
    for (const f of hashed) {
      const r = await get(urlPath(f));
      expect(r.status, f).toBe(200);
      expect(r.headers.get('cache-control'), f).toBe('public, max-age=31536000, immutable');
    }
    for (const f of ['index.html', 'villages/533323101001/index.html', 'downloads/progress/all.csv', 'favicon.svg']) {
      const r = await get(urlPath(f));
      expect(r.status, f).toBe(200);
      expect(r.headers.get('cache-control'), f).toBe('public, max-age=300, must-revalidate');
    }
  });

  it('no-cache for the entry files, meta.json and SHA256SUMS; CSV with its type and charset; the security headers', async () => {
    for (const f of ['pagefind/pagefind.js', 'pagefind/pagefind-entry.json', 'search-index/meta.json', 'SHA256SUMS']) {
      const r = await get(urlPath(f));
      expect(r.status, f).toBe(200);
      expect(r.headers.get('cache-control'), f).toBe('no-cache');
    }
    expect((await get('/SHA256SUMS')).headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const csv = await get('/downloads/progress/all.csv');
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const home = await get('/');
    expect(home.headers.get('content-encoding')).toBe('gzip');
    expect(home.headers.get('x-content-type-options')).toBe('nosniff');
    expect(home.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(sha256(Buffer.from(await home.arrayBuffer()))).toBe(sums.A!.get('index.html'));
  });

  it('the 404 page for a missing address (not cached, security headers kept); dotfiles such as the build mark are not served', async () => {
    const r = await get('/villages/999999999999/');
    expect(r.status).toBe(404);
    expect(sha256(Buffer.from(await r.arrayBuffer()))).toBe(sums.A!.get('404.html'));
    expect(r.headers.get('cache-control')).toBeNull();
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await get('/404.html')).status).toBe(404);
    const mark = await get('/.build-ok.json');
    expect(mark.status).toBe(404);
    expect(await mark.text()).not.toContain('sha256sums');
  });
});

describe('the fallbacks for content-hashed files', () => {
  it('a hashed file is looked for in current, then previous, then older (the moment of a rollback); a missing one is 404', async () => {
    // the links as a rollback from C to B leaves them for a moment: previous already moved to C,
    // current not yet back to B; only older still names B, whose pages readers may hold
    const t = path.join(work, 'fallbacks');
    mkdirSync(path.join(t, 'releases'), { recursive: true });
    for (const [site, link] of [['C', 'current'], ['C', 'previous'], ['B', 'older']] as const) {
      cpSync(sites[site]!, path.join(t, 'releases', site), { recursive: true });
      symlinkSync(`releases/${site}`, path.join(t, link));
    }
    const second = await startNginx(path.join(work, 'nginx-fallbacks'), t);
    try {
      const onlyB = [...sums.B!.keys()].filter((f) => f.startsWith('_astro/') && !sums.C!.has(f));
      expect(onlyB.length).toBeGreaterThan(0);
      for (const f of onlyB) {
        const r = await fetch(`${second.url}${urlPath(f)}`);
        expect(r.status, f).toBe(200);
        expect(sha256(Buffer.from(await r.arrayBuffer())), f).toBe(sums.B!.get(f));
      }
      expect((await fetch(`${second.url}/_astro/none.deadbeef.js`)).status).toBe(404);
      // pages come from current only
      const home = await fetch(`${second.url}/`);
      expect(sha256(Buffer.from(await home.arrayBuffer()))).toBe(sums.C!.get('index.html'));
    } finally {
      await second.stop();
    }
  });
});

describe('a switch under load', () => {
  it('every page and the assets it references come from one whole release while two releases go live and one rollback happens', { timeout: 600_000 }, async () => {
    const pages = files().filter((f) => f.endsWith('index.html'));
    const release = (file: string, hash: string) => Object.keys(sums).filter((k) => sums[k]!.get(file) === hash);
    let requests = 0;
    let failed = 0;
    let mixed = 0;
    const seen = new Set<string>();
    const problems: string[] = [];
    let switching = true;
    const fetchOk = async (p: string): Promise<Buffer | null> => {
      requests++;
      try {
        const r = await get(p);
        const body = Buffer.from(await r.arrayBuffer());
        if (r.status !== 200) {
          failed++;
          problems.push(`${p}: HTTP ${r.status}`);
          return null;
        }
        return body;
      } catch (e) {
        failed++;
        problems.push(`${p}: ${(e as Error).message}`);
        return null;
      }
    };
    const worker = async (seed: number) => {
      let i = seed;
      // bounded: stop when the switches are done (and at least 50 rounds each), never more than 4,000 rounds
      for (let round = 0; round < 4000 && (switching || round < 50); round++) {
        const file = pages[(i = (i * 7 + 13) % pages.length)]!;
        const body = await fetchOk(urlPath(file));
        if (!body) continue;
        const from = release(file, sha256(body));
        if (!from.length) {
          mixed++;
          problems.push(`${file}: matches no release`);
          continue;
        }
        from.forEach((r) => seen.add(r));
        const assets = [...new Set([...body.toString('utf8').matchAll(/(?:href|src)="(\/_astro\/[^"]+)"/g)].map((m) => m[1]!))];
        for (const a of assets) {
          const asset = await fetchOk(a);
          if (!asset) continue;
          const file = decodeURIComponent(a.slice(1));
          const h = sha256(asset);
          if (!from.some((r) => sums[r]!.get(file) === h)) {
            mixed++;
            problems.push(`${a}: not the asset of ${from.join('/')}`);
          }
        }
      }
    };
    const load = Promise.all([1, 2, 3, 4].map((s) => worker(s)));
    const steps: string[] = [];
    const run = async (args: string[], commit: string) => {
      await new Promise((r) => setTimeout(r, 300));
      const r = await publishCliAsync(args, { PUBLISH_COMMIT: commit });
      expect(r.status, r.out).toBe(0);
      steps.push(readlinkSync(path.join(target, 'current')));
    };
    try {
      await run(['--dist', sites.B!, '--target', target], 'bbbbbbb2');
      await run(['--dist', sites.C!, '--target', target], 'ccccccc3');
      await run(['--target', target, '--rollback'], 'ccccccc3');
    } finally {
      switching = false;
    }
    await load;
    console.log(`switch under load: ${requests} requests, ${failed} failed, ${mixed} mixed; pages seen from releases ${[...seen].sort().join(', ')}; live in turn: ${steps.join(' → ')}`);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(failed).toBe(0);
    expect(mixed).toBe(0);
    expect(requests).toBeGreaterThan(400);
    expect(seen).toEqual(new Set(['A', 'B', 'C']));
    expect(steps[2]).toBe(steps[0]); // the rollback put B back
  });
});
