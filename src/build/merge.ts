/**
 * Sharded builds (issue 34): `npm run build -- --merge DIR…` puts the shards' outputs
 * (src/build/shard.ts) together into one site folder, the same bytes an unsharded build of
 * the same input writes. Here: the checks and the assembly; scripts/build-merge.ts then runs
 * the steps every build ends with (Pagefind, SHA256SUMS, the personal-data gate, the mark).
 *
 * Refused, every problem at once, in Chinese: a folder that is not a shard's output, shards
 * of different inputs, code, site address or shard count, a missing or duplicated shard, a
 * file list that does not match its folder, a village's or unit's file in the wrong shard or
 * in two, and a file two shards both have (the built assets, public/) with different bytes.
 */
import { createHash } from 'node:crypto';
import { constants, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sitemap from '@astrojs/sitemap';
import { checksumLine, checksumPath } from '../lib/publish/checksums.ts';
import { allShardNames, entityOfFile } from '../lib/shard/shard-rule.ts';
import { filesUnder } from '../lib/publish/site-files.ts';
import { SHARD_DIR, SHARD_FORMAT, type ShardManifest } from './shard.ts';

export interface ShardOutput {
  dir: string;
  manifest: ShardManifest;
  /** path → sha256 */
  files: Map<string, string>;
  sitemapUrls: string[];
}

/** How many problems of one kind are listed before the rest are counted. */
const LIST_AT_MOST = 20;

export class MergeRefused extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`分片合并被拒绝，共 ${problems.length} 个问题：\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** One shard's output read back, or the problems that make it unusable. */
export function readShardOutput(dir: string): ShardOutput | string[] {
  const meta = path.join(dir, SHARD_DIR);
  const manifestFile = path.join(meta, 'manifest.json');
  if (!existsSync(manifestFile)) return [`${dir}：不是分片构建的输出（没有 ${SHARD_DIR}/manifest.json；用 npm run build -- --shard I/N 构建）`];
  let manifest: ShardManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as ShardManifest;
  } catch (e) {
    return [`${dir}：${SHARD_DIR}/manifest.json 无法读取（${(e as Error).message}）`];
  }
  if (manifest.format !== SHARD_FORMAT) return [`${dir}：分片清单格式为“${String(manifest.format)}”，本程序只认 ${SHARD_FORMAT}`];
  const problems: string[] = [];
  let listText = '';
  try {
    listText = readFileSync(path.join(meta, 'files.sha256'), 'utf8');
  } catch {
    return [`${dir}：缺少文件清单 ${SHARD_DIR}/files.sha256`];
  }
  if (createHash('sha256').update(listText).digest('hex') !== manifest.filesSha256) problems.push(`${dir}：文件清单 files.sha256 与 manifest.json 记录的摘要不符（清单被改动或不完整）`);
  const files = new Map<string, string>();
  for (const line of listText.split('\n')) if (line) files.set(checksumPath(line), line.slice(0, 64));
  // the folder holds exactly the listed files
  const present = new Set(filesUnder(dir).filter((f) => !f.startsWith(`${SHARD_DIR}/`)));
  const missing = [...files.keys()].filter((f) => !present.has(f));
  const extra = [...present].filter((f) => !files.has(f));
  if (missing.length) problems.push(`${dir}：清单中的 ${missing.length} 个文件不在目录中（${sample(missing)}）`);
  if (extra.length) problems.push(`${dir}：目录中有 ${extra.length} 个清单外的文件（${sample(extra)}）`);
  const sitemapUrls = readFileSync(path.join(meta, 'sitemap-urls.txt'), 'utf8').split('\n').filter(Boolean);
  return problems.length ? problems : { dir, manifest, files, sitemapUrls };
}

const sample = (list: string[]) => `${list.slice(0, 5).join('、')}${list.length > 5 ? ' 等' : ''}`;

/** The problems of a set of shard outputs taken together (empty: they can be merged). */
function checkShardSet(shards: ShardOutput[]): string[] {
  const problems: string[] = [];
  if (shards.length === 0) return ['没有给出分片目录：npm run build -- --merge 目录1 目录2 …'];
  const differ = (what: string, key: (m: ShardManifest) => string | number) => {
    const groups = new Map<string, string[]>();
    for (const s of shards) groups.set(String(key(s.manifest)), [...(groups.get(String(key(s.manifest))) ?? []), `${s.dir}（${s.manifest.shard}）`]);
    if (groups.size > 1) problems.push(`各分片的${what}不同，不能合并：${[...groups].map(([v, dirs]) => `${v.length > 16 ? v.slice(0, 16) : v} — ${dirs.join('、')}`).join('；')}`);
  };
  differ('输入（数据、案例、通报和网站设置的摘要）', (m) => m.inputDigest);
  differ('代码（程序和依赖的摘要）', (m) => m.codeDigest);
  differ('网站地址（SITE_URL）', (m) => m.site);
  differ('分片数 N ', (m) => m.count);
  const count = shards[0]!.manifest.count;
  const wanted = allShardNames(count);
  const byName = new Map<string, string[]>();
  for (const s of shards) byName.set(s.manifest.shard, [...(byName.get(s.manifest.shard) ?? []), s.dir]);
  for (const [name, dirs] of byName) if (dirs.length > 1) problems.push(`分片 ${name} 重复：${dirs.join('、')}`);
  const missing = wanted.filter((w) => !byName.has(w));
  if (missing.length && problems.every((p) => !p.startsWith('各分片的分片数'))) problems.push(`缺少分片：${missing.join('、')}（共 ${count} 片，另加 shared/${count}）`);
  // files: a village's or unit's only in one slice; any other file in several shards only with the same bytes
  const owner = new Map<string, ShardOutput>();
  const conflicts: string[] = [];
  const misplaced: string[] = [];
  for (const s of shards) {
    for (const [file, sha] of s.files) {
      const entity = entityOfFile(file);
      if (entity && s.manifest.kind === 'shared') misplaced.push(`${file}（在共用分片 ${s.dir}）`);
      const first = owner.get(file);
      if (!first) {
        owner.set(file, s);
        continue;
      }
      if (entity) conflicts.push(`${file} 同时在 ${first.dir}（${first.manifest.shard}）和 ${s.dir}（${s.manifest.shard}）中`);
      else if (first.files.get(file) !== sha) conflicts.push(`${file} 在 ${first.dir}（${first.manifest.shard}）和 ${s.dir}（${s.manifest.shard}）中内容不同`);
    }
  }
  const listed = (title: string, list: string[]) => {
    if (list.length) problems.push(`${title} ${list.length} 个：${list.slice(0, LIST_AT_MOST).join('；')}${list.length > LIST_AT_MOST ? `；另有 ${list.length - LIST_AT_MOST} 个` : ''}`);
  };
  listed('村或单位的文件出现在共用分片中', misplaced);
  listed('文件冲突', conflicts);
  return problems;
}

/**
 * The sitemap over the addresses of every shard, written by @astrojs/sitemap's own hook (as
 * astro build runs it, with every address as a built page): the same files as an unsharded
 * build's, where astro build lists them all.
 */
async function writeSitemap(site: string, siteUrl: string, urls: Iterable<string>): Promise<void> {
  const plugin = sitemap();
  const hooks = plugin.hooks as Record<string, (arg: unknown) => unknown>;
  await hooks['astro:routes:resolved']!({ routes: [] });
  await hooks['astro:config:done']!({ config: { site: siteUrl, base: '/', trailingSlash: 'always', build: { format: 'directory' } } });
  const problems: string[] = [];
  const logger = { info: () => {}, warn: (m: string) => problems.push(m), error: (m: string) => problems.push(m) };
  const pages = [...urls].map((u) => ({ pathname: new URL(u).pathname }));
  await hooks['astro:build:done']!({ dir: pathToFileURL(`${site}${path.sep}`), pages, logger });
  if (problems.length) throw new Error(`合并后写站点地图失败：${problems.join('；')}`);
}

/**
 * Check the shard folders and write the merged site into `out` (emptied first). Returns the
 * SHA256SUMS lines of every file merged (hashed by the shards; not read again), for the
 * SHA256SUMS step. Throws MergeRefused with every problem.
 *
 * With `move`, each file is renamed into `out` instead of copied, and the shard folders are
 * deleted once merged: for a merge whose shard folders are fresh copies used once (the
 * matrix's merge job unpacks them from the uploads), where copying 900,000 files is most of
 * the merge's time nationally. A file on another file system is copied. Without it the shard
 * folders stay as they were, to be built into again next month.
 */
export async function mergeShards(out: string, dirs: string[], log: (line: string) => void, opts: { move?: boolean; codeDigest?: string } = {}): Promise<{ known: string[]; files: number; shards: ShardOutput[] }> {
  const outAbs = path.resolve(out);
  const problems: string[] = [];
  const shards: ShardOutput[] = [];
  for (const d of dirs.map((x) => path.resolve(x))) {
    if (!existsSync(d) || !statSync(d).isDirectory()) {
      problems.push(`${d}：目录不存在`);
      continue;
    }
    if (outAbs === d || outAbs.startsWith(d + path.sep) || d.startsWith(outAbs + path.sep)) {
      problems.push(`${d}：合并的输出目录 ${outAbs} 不能是分片目录，也不能在其中或包含它`);
      continue;
    }
    const r = readShardOutput(d);
    if (Array.isArray(r)) problems.push(...r);
    else shards.push(r);
  }
  if (!problems.length) problems.push(...checkShardSet(shards));
  else if (shards.length) problems.push(...checkShardSet(shards).filter((p) => !p.startsWith('缺少分片')));
  // the code that finishes the site must be the code that built the shards (checked before any file moves)
  const otherCode = opts.codeDigest ? shards.find((s) => s.manifest.codeDigest !== opts.codeDigest) : undefined;
  if (otherCode) problems.push(`分片由另一版本的代码构建（分片的代码摘要 ${otherCode.manifest.codeDigest.slice(0, 16)}，本机 ${opts.codeDigest!.slice(0, 16)}）；请用构建分片的同一提交合并`);
  if (problems.length) throw new MergeRefused(problems);

  rmSync(outAbs, { recursive: true, force: true });
  mkdirSync(outAbs, { recursive: true });
  const made = new Set<string>();
  const known = new Map<string, string>();
  for (const s of shards) {
    for (const [file, sha] of s.files) {
      if (known.has(file)) continue;
      const to = path.join(outAbs, ...file.split('/'));
      const dir = path.dirname(to);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      const from = path.join(s.dir, ...file.split('/'));
      if (opts.move) moveFile(from, to);
      // a copy (a clone where the file system can), never a link: a shard's folder may be built into again
      else copyFileSync(from, to, constants.COPYFILE_FICLONE);
      known.set(file, checksumLine(sha, file));
    }
  }
  if (opts.move) for (const s of shards) rmSync(s.dir, { recursive: true, force: true });
  log(`已合并 ${shards.length} 个分片（${shards.map((s) => s.manifest.shard).join('、')}）：${known.size.toLocaleString('zh-CN')} 个文件${opts.move ? '（移入，分片目录已删除）' : ''}`);
  const urls = new Set(shards.flatMap((s) => s.sitemapUrls));
  await writeSitemap(outAbs, shards[0]!.manifest.site, urls);
  log(`站点地图：${urls.size.toLocaleString('zh-CN')} 个地址`);
  return { known: [...known.values()], files: known.size, shards };
}

/** A rename, or a copy and delete where the two are on different file systems. */
function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    copyFileSync(from, to);
    rmSync(from);
  }
}
