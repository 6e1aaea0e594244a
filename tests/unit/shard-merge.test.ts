/**
 * Sharded builds (issue 34): the merge refuses, in Chinese and every problem at once, shards
 * of different inputs or code, a missing or duplicated shard, a tampered file list, a page in
 * the wrong shard and overlapping files that differ; and assembles shards that fit.
 * (Byte identity with an unsharded build: tests/site/shards.test.ts.)
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MergeRefused, mergeShards } from '../../src/build/merge.ts';
import { finishShard, sitemapLocs } from '../../src/build/shard.ts';
import { reuseShard } from '../../src/build/shard-reuse.ts';
import { parseShardSpec } from '../../src/lib/shard/shard-rule.ts';

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-shard-merge-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const SITE = 'https://example.invalid';
const sitemapXml = (urls: string[]) => `<?xml version="1.0" encoding="UTF-8"?><urlset>${urls.map((u) => `<url><loc>${u}</loc></url>`).join('')}</urlset>`;

/** A shard's folder as astro build leaves it, finished into a shard output. */
async function shard(name: string, spec: string, files: Record<string, string>, opts: { input?: string; code?: string; urls?: string[]; stubs?: Record<string, string>; slice?: string } = {}): Promise<string> {
  const dir = path.join(work, name);
  for (const [f, text] of Object.entries({ ...files, ...(opts.stubs ?? {}) })) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'sitemap-0.xml'), sitemapXml(opts.urls ?? []));
  writeFileSync(path.join(dir, 'sitemap-index.xml'), sitemapXml([`${SITE}/sitemap-0.xml`]));
  await finishShard({ site: dir, spec: parseShardSpec(spec), skipped: Object.keys(opts.stubs ?? {}), known: [], inputDigest: opts.input ?? 'in-1', codeDigest: opts.code ?? 'code-1', siteUrl: SITE, sliceDigest: opts.slice ?? null });
  return dir;
}

async function refusal(dirs: string[]): Promise<string[]> {
  try {
    await mergeShards(path.join(work, 'merged'), dirs, () => {});
  } catch (e) {
    expect(e).toBeInstanceOf(MergeRefused);
    expect((e as Error).message).toMatch(/^分片合并被拒绝，共 \d+ 个问题/);
    return (e as MergeRefused).problems;
  }
  throw new Error('the merge was not refused');
}

const ASSET = { '_astro/site.abc.css': 'body{}' };

describe('shard merge', () => {
  it('assembles fitting shards: every file once, stubs gone, one sitemap over all addresses', async () => {
    const shared = await shard('shared', 'shared/2', { 'index.html': 'home', ...ASSET }, { urls: [`${SITE}/`], stubs: { 'villages/520525101001/index.html': 'stub' } });
    const one = await shard('one', '1/2', { 'villages/520525101001/index.html': 'v1', 'villages/520525101001/data.csv': 'csv', ...ASSET }, { urls: [`${SITE}/`, `${SITE}/villages/520525101001/`], stubs: { 'index.html': 'stub' } });
    const two = await shard('two', '2/2', { 'units/91533300MA6K0001XA/index.html': 'u1', ...ASSET }, { urls: [`${SITE}/units/91533300MA6K0001XA/`] });
    const out = path.join(work, 'merged');
    const r = await mergeShards(out, [two, shared, one], () => {});
    expect(r.known.map((l) => l.slice(66)).sort()).toEqual(['_astro/site.abc.css', 'index.html', 'units/91533300MA6K0001XA/index.html', 'villages/520525101001/data.csv', 'villages/520525101001/index.html']);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toBe('home');
    expect(readFileSync(path.join(out, 'villages/520525101001/index.html'), 'utf8')).toBe('v1');
    expect(sitemapLocs(readFileSync(path.join(out, 'sitemap-0.xml'), 'utf8'))).toEqual([`${SITE}/`, `${SITE}/units/91533300MA6K0001XA/`, `${SITE}/villages/520525101001/`]);
    expect(readFileSync(path.join(out, 'sitemap-index.xml'), 'utf8')).toContain(`${SITE}/sitemap-0.xml`);
  });

  it('refuses different inputs and code, a missing and a duplicated shard, all at once', async () => {
    const shared = await shard('shared', 'shared/3', { 'index.html': 'home' });
    const one = await shard('one', '1/3', {}, { input: 'in-2' });
    const oneAgain = await shard('one-again', '1/3', {}, { code: 'code-2' });
    const problems = await refusal([shared, one, oneAgain]);
    expect(problems.find((p) => p.startsWith('各分片的输入'))).toContain(one);
    expect(problems.find((p) => p.startsWith('各分片的代码'))).toContain(oneAgain);
    expect(problems).toContain(`分片 1/3 重复：${one}、${oneAgain}`);
    expect(problems).toContain('缺少分片：2/3、3/3（共 3 片，另加 shared/3）');
  });

  it('refuses shards of different N, and a folder that is no shard output', async () => {
    const shared = await shard('shared', 'shared/2', {});
    const one = await shard('one', '1/3', {});
    const plain = path.join(work, 'plain');
    mkdirSync(plain);
    const problems = await refusal([shared, one, plain, path.join(work, 'nowhere')]);
    expect(problems.join('\n')).toMatch(/各分片的分片数 N 不同/);
    expect(problems).toContain(`${plain}：不是分片构建的输出（没有 .gpdzc-shard/manifest.json；用 npm run build -- --shard I/N 构建）`);
    expect(problems).toContain(`${path.join(work, 'nowhere')}：目录不存在`);
  });

  it('refuses overlapping files that differ, a village page in two shards or in the shared one, and a folder that does not match its list', async () => {
    const shared = await shard('shared', 'shared/2', { '_astro/site.abc.css': 'body{color:red}', 'villages/520525101001/index.html': 'v' });
    const one = await shard('one', '1/2', { ...ASSET, 'villages/520525101001/index.html': 'v' });
    const two = await shard('two', '2/2', { 'villages/520525101001/index.html': 'v', 'units/X/index.html': 'u' });
    writeFileSync(path.join(two, 'extra.html'), 'not listed');
    rmSync(path.join(two, 'units/X/index.html'));
    const problems = await refusal([shared, one, two]);
    const text = problems.join('\n');
    expect(text).toContain(`${two}：清单中的 1 个文件不在目录中（units/X/index.html）`);
    expect(text).toContain(`${two}：目录中有 1 个清单外的文件（extra.html）`);
    // with `two` unreadable, the others are still checked together
    expect(text).toContain(`_astro/site.abc.css 在 ${shared}（shared/2）和 ${one}（1/2）中内容不同`);
    expect(text).toContain('村或单位的文件出现在共用分片中 1 个：villages/520525101001/index.html');
    expect(text).toContain(`villages/520525101001/index.html 同时在 ${shared}（shared/2）和 ${one}（1/2）中`);
  });

  it('refuses a file list changed after the shard was built', async () => {
    const one = await shard('one', '1/1', { 'villages/520525101001/index.html': 'v' });
    const shared = await shard('shared', 'shared/1', {});
    writeFileSync(path.join(one, '.gpdzc-shard/files.sha256'), '');
    rmSync(path.join(one, 'villages'), { recursive: true });
    const problems = await refusal([one, shared]);
    expect(problems).toContain(`${one}：文件清单 files.sha256 与 manifest.json 记录的摘要不符（清单被改动或不完整）`);
  });

  it('with move, gives the same site as a copy, leaves no shard folder, and moves nothing when it refuses', async () => {
    const make = async (tag: string) => [
      await shard(`shared-${tag}`, 'shared/2', { 'index.html': 'home', ...ASSET }, { urls: [`${SITE}/`], stubs: { 'villages/520525101001/index.html': 'stub' } }),
      await shard(`one-${tag}`, '1/2', { 'villages/520525101001/index.html': 'v1', ...ASSET }, { urls: [`${SITE}/villages/520525101001/`], stubs: { 'index.html': 'stub' } }),
      await shard(`two-${tag}`, '2/2', { 'units/91533300MA6K0001XA/index.html': 'u1' }, { urls: [`${SITE}/units/91533300MA6K0001XA/`] }),
    ];
    const copied = await mergeShards(path.join(work, 'copied'), await make('c'), () => {});
    const dirs = await make('m');
    // another checkout's code: refused before a single file moves
    await expect(mergeShards(path.join(work, 'moved'), dirs, () => {}, { move: true, codeDigest: 'code-2' })).rejects.toThrow(/分片由另一版本的代码构建/);
    for (const d of dirs) expect(readFileSync(path.join(d, '.gpdzc-shard/files.sha256'), 'utf8')).not.toBe('');
    expect(readFileSync(path.join(dirs[1]!, 'villages/520525101001/index.html'), 'utf8')).toBe('v1');
    const moved = await mergeShards(path.join(work, 'moved'), dirs, () => {}, { move: true, codeDigest: 'code-1' });
    expect(moved.known.sort()).toEqual(copied.known.sort());
    for (const line of moved.known) {
      const file = line.slice(66);
      expect(readFileSync(path.join(work, 'moved', file), 'utf8')).toBe(readFileSync(path.join(work, 'copied', file), 'utf8'));
    }
    expect(readFileSync(path.join(work, 'moved', 'sitemap-0.xml'), 'utf8')).toBe(readFileSync(path.join(work, 'copied', 'sitemap-0.xml'), 'utf8'));
    for (const d of dirs) expect(existsSync(d)).toBe(false);
  });

  it('never merges into a shard folder', async () => {
    const one = await shard('one', '1/1', {});
    const shared = await shard('shared', 'shared/1', {});
    await expect(mergeShards(path.join(one, 'site'), [one, shared], () => {})).rejects.toThrow(/不能是分片目录，也不能在其中或包含它/);
  });

  it('keeps only the addresses of pages the shard rendered for the sitemap', async () => {
    const one = await shard('one', '1/1', { 'villages/520525101001/index.html': 'v' }, { urls: [`${SITE}/`, `${SITE}/counties/520525/`, `${SITE}/villages/520525101001/`] });
    expect(readFileSync(path.join(one, '.gpdzc-shard/sitemap-urls.txt'), 'utf8')).toBe(`${SITE}/villages/520525101001/\n`);
  });

  it('reuses a slice only with the same slice digest and an intact folder, taking the new input digest', async () => {
    const spec = parseShardSpec('1/2');
    const one = await shard('one', '1/2', { 'villages/520525101001/index.html': 'v' }, { slice: 'slice-a' });
    expect(reuseShard(one, spec, 'slice-b', 'in-2')).toBeNull();
    expect(reuseShard(one, parseShardSpec('2/2'), 'slice-a', 'in-2')).toBeNull();
    const reused = reuseShard(one, spec, 'slice-a', 'in-2');
    expect(reused?.inputDigest).toBe('in-2');
    expect(JSON.parse(readFileSync(path.join(one, '.gpdzc-shard/manifest.json'), 'utf8')).inputDigest).toBe('in-2');
    // a page lost from the folder: built again
    rmSync(path.join(one, 'villages/520525101001/index.html'));
    expect(reuseShard(one, spec, 'slice-a', 'in-3')).toBeNull();
  });
});
