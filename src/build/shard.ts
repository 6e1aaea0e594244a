/**
 * Sharded builds (issue 34): what a shard leaves for the merge (src/build/merge.ts).
 *
 * A shard's output folder is its part of the site plus `.gpdzc-shard/`:
 *   manifest.json     which shard (I/N or shared/N), the input and code digests, the site's
 *                     address, how many files and the SHA-256 of files.sha256 — no times, so
 *                     the same input and code give the same manifest;
 *   files.sha256      every file of the part, as SHA256SUMS lines (`sha256  path`, sorted);
 *   sitemap-urls.txt  the addresses astro build's sitemap listed in this shard (the merge
 *                     writes one sitemap over all of them; the shard's own sitemap files go).
 * Pages this shard did not render (stubs, listed by src/middleware.ts) are deleted first.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checksums } from '../lib/publish/checksums.ts';
import { filesUnder, siteFiles } from '../lib/publish/site-files.ts';
import { rendersPage, shardName, type ShardSpec } from '../lib/shard/shard-rule.ts';

export const SHARD_DIR = '.gpdzc-shard';
export const SHARD_FORMAT = 'gpdzc-shard/1';

export interface ShardManifest {
  format: typeof SHARD_FORMAT;
  /** `2/4` or `shared/4` */
  shard: string;
  kind: ShardSpec['kind'];
  /** 1…count for a slice, null for the shared shard */
  index: number | null;
  count: number;
  /** the data (the data check's digest of every input byte), the editors' content and the site settings */
  inputDigest: string;
  /** the code that builds the site (src/, scripts/, public/, the config and the lockfile) and Node's version */
  codeDigest: string;
  /** the site's address (SITE_URL), for the sitemap */
  site: string;
  files: number;
  /** SHA-256 of files.sha256 */
  filesSha256: string;
  sitemapUrls: number;
  /** a slice's digest (src/build/slice-digest.ts): the same digest next time reuses this output whole; null for the shared shard */
  sliceDigest: string | null;
}

/** SHA-256 over files (each: its relative path, its length, its bytes), in order. */
function treeDigest(h: ReturnType<typeof createHash>, label: string, dir: string, files: string[]): void {
  for (const f of files) {
    const bytes = readFileSync(path.join(dir, f));
    h.update(`\0${label}/${f}\0${bytes.byteLength}\0`);
    h.update(bytes);
  }
}

/**
 * The input digest: the data check's digest (of every byte it read), the stories and bulletins
 * folders, and the settings that change pages (SITE_*, PUBLISH_PERSONAL_NAMES, the signing
 * public key and identity the /verify/ page shows; never a secret).
 */
export function inputDigest(dataDigest: string, env: NodeJS.ProcessEnv = process.env): string {
  const h = createHash('sha256');
  h.update(`data\0${dataDigest}\0`);
  for (const [label, dir] of [['stories', env.STORIES_DIR || 'content/stories'], ['bulletins', env.BULLETINS_DIR || 'content/bulletins']] as const) {
    const abs = path.resolve(dir);
    treeDigest(h, label, abs, filesUnder(abs));
  }
  h.update(JSON.stringify(settingsOf(env)));
  return h.digest('hex');
}

/** The settings that change pages, by name. */
function settingsOf(env: NodeJS.ProcessEnv): Array<[string, string | undefined]> {
  return Object.keys(env)
    .filter((k) => k.startsWith('SITE_') || ['PUBLISH_PERSONAL_NAMES', 'PUBLISH_SIGNING_PUBLIC_KEY', 'PUBLISH_SIGNING_IDENTITY'].includes(k))
    .sort()
    .map((k) => [k, env[k]]);
}

/** What a slice's pages show besides the data (src/build/slice-digest.ts): the stories and the settings (bulletins are the shared shard's). */
export function contentDigest(env: NodeJS.ProcessEnv = process.env): string {
  const h = createHash('sha256');
  const stories = path.resolve(env.STORIES_DIR || 'content/stories');
  treeDigest(h, 'stories', stories, filesUnder(stories));
  h.update(JSON.stringify(settingsOf(env)));
  return h.digest('hex');
}

/** The code digest: src/, scripts/, public/, astro.config.mjs, package.json, package-lock.json, tsconfig.json, and Node's version. */
export function codeDigest(root: string): string {
  const h = createHash('sha256');
  h.update(`node\0${process.version}\0`);
  for (const d of ['src', 'scripts', 'public']) treeDigest(h, d, path.join(root, d), filesUnder(path.join(root, d)));
  treeDigest(h, '.', root, ['astro.config.mjs', 'package.json', 'package-lock.json', 'tsconfig.json'].filter((f) => existsSync(path.join(root, f))));
  return h.digest('hex');
}

/** The data check's digest, from the name of the snapshot it wrote or found (`ingest-<folder>-<digest>.v8`, ingest-cache.ts). */
export function dataDigestOfSnapshot(snapshot: string | null | undefined): string {
  const m = snapshot ? /^ingest-[0-9a-f]{12}-([0-9a-f]+)\.v8$/.exec(path.basename(snapshot)) : null;
  if (!m) throw new Error(`分片构建：找不到数据校验的快照摘要（快照文件：${snapshot ?? '无'}），无法写出分片清单`);
  return m[1]!;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The <loc> addresses of a sitemap file. */
export function sitemapLocs(xml: string): string[] {
  return [...xml.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]!.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => XML_ENTITIES[e]!));
}

/** The sitemap files @astrojs/sitemap writes at the top of the site. */
const isSitemapFile = (name: string) => /^sitemap-(index|\d+)\.xml$/.test(name);

/** Delete the listed files (relative) and the folders they leave empty. */
function deleteSkipped(site: string, files: Iterable<string>): number {
  let deleted = 0;
  for (const f of files) {
    const file = path.join(site, f);
    if (!existsSync(file)) continue;
    rmSync(file);
    deleted++;
    for (let dir = path.dirname(file); dir.startsWith(site + path.sep); dir = path.dirname(dir)) {
      try {
        rmdirSync(dir);
      } catch {
        break; // not empty
      }
    }
  }
  return deleted;
}

/**
 * Turn a shard's folder (after astro build, the downloads and the prune) into its output:
 * delete the stubs, take the sitemap's addresses out, list every file with its hash
 * (`known`: lines hashed as written, not read again) and write the manifest.
 */
export async function finishShard(opts: { site: string; spec: ShardSpec; skipped: string[]; known: string[]; inputDigest: string; codeDigest: string; siteUrl: string; sliceDigest?: string | null }): Promise<ShardManifest & { stubsDeleted: number; imagesDropped: number }> {
  const { site, spec } = opts;
  rmSync(path.join(site, SHARD_DIR), { recursive: true, force: true });
  const stubsDeleted = deleteSkipped(site, new Set(opts.skipped));
  const urls = new Set<string>();
  for (const name of readdirSync(site)) {
    if (!isSitemapFile(name) || !statSync(path.join(site, name)).isFile()) continue;
    // only the addresses of pages this shard rendered: a reused slice must not bring back a shared page that is gone
    if (name !== 'sitemap-index.xml') for (const u of sitemapLocs(readFileSync(path.join(site, name), 'utf8'))) if (rendersPage(spec, new URL(u).pathname)) urls.add(u);
    rmSync(path.join(site, name));
  }
  const imagesDropped = spec.kind === 'slice' ? dropUnreferencedImages(site) : 0;
  const all = await checksums(site, opts.known);
  const sums = all === '\n' ? '' : all;
  const sitemapText = [...urls].sort().map((u) => `${u}\n`).join('');
  const manifest: ShardManifest = {
    format: SHARD_FORMAT,
    shard: shardName(spec),
    kind: spec.kind,
    index: spec.kind === 'slice' ? spec.index : null,
    count: spec.count,
    inputDigest: opts.inputDigest,
    codeDigest: opts.codeDigest,
    site: opts.siteUrl,
    files: sums === '' ? 0 : sums.split('\n').length - 1,
    filesSha256: createHash('sha256').update(sums).digest('hex'),
    sitemapUrls: urls.size,
    sliceDigest: opts.sliceDigest ?? null,
  };
  const dir = path.join(site, SHARD_DIR);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'files.sha256'), sums);
  writeFileSync(path.join(dir, 'sitemap-urls.txt'), sitemapText);
  writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { ...manifest, stubsDeleted, imagesDropped };
}

const IMAGE = /\.(png|jpe?g|webp|avif|gif|svg)$/i;

/**
 * A slice's images under /_astro/ that none of its pages and stylesheets names. Astro emits
 * the original of every image the code imports (a story's cover and photos), and deletes an
 * original once it has made the sizes pages use, unless a page uses the original itself
 * (assets/build/generate.js). A slice renders no story page, so the originals the stories'
 * pages would have replaced stay in its folder, where an unsharded build has none: they are
 * dropped here. An image a slice's page does use (a village page showing a story's cover) is
 * named in that page, and kept.
 */
function dropUnreferencedImages(site: string): number {
  const assets = path.join(site, '_astro');
  if (!existsSync(assets)) return 0;
  const images = filesUnder(assets).filter((f) => IMAGE.test(f));
  if (!images.length) return 0;
  const named = new Set<string>();
  const ref = /_astro\/([^"'()\s?#,]+)/g;
  for (const f of siteFiles(site, [SHARD_DIR]).filter((x) => /\.(html|css|xml|json|js)$/.test(x))) {
    for (const m of readFileSync(path.join(site, f), 'utf8').matchAll(ref)) named.add(m[1]!);
  }
  let dropped = 0;
  for (const f of images) {
    if (named.has(f)) continue;
    rmSync(path.join(assets, f));
    dropped++;
  }
  return dropped;
}
