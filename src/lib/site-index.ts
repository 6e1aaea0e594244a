/**
 * After the pages are built: the Pagefind search index (its extended binary segments
 * Chinese; pages opt in with data-pagefind-body), then SHA256SUMS — the hash of every file
 * of the site, published with it so anyone can verify a copy (`sha256sum -c SHA256SUMS`).
 * Runs as its own step after `astro build` has exited, so the two never hold memory at once.
 *
 * Village and unit pages — 218,000 of them at national scale — are not read back from disk:
 * their search documents (name, place, code, who is paired with whom) come straight from
 * the read model, as small HTML stand-ins with the page's title weight, meta and filters. Parsing their HTML would cost minutes and memory (Pagefind issue 842) for
 * words nobody searches for (the monthly figures).
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import type { SiteModel, UnitView, VillageView } from './model.ts';
import { writePieces } from './opendata.ts';

export const CHECKSUM_FILE = 'SHA256SUMS';

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/**
 * `sha256  path` lines, sorted by path, as sha256sum writes and checks them. Files are read
 * 32 at a time: at national scale the site is 660,000 files, and one at a time the per-file
 * waits alone took five minutes.
 */
export async function checksums(site: string): Promise<string> {
  const files = walk(site)
    .map((f) => path.relative(site, f).split(path.sep).join('/'))
    .filter((f) => f !== CHECKSUM_FILE)
    .sort();
  const sums = new Array<string>(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      sums[i] = `${createHash('sha256').update(await readFile(path.join(site, files[i]!))).digest('hex')}  ${files[i]}`;
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return `${sums.join('\n')}\n`;
}

/** Directories whose pages are indexed from the model instead of their HTML. */
const RECORD_DIRS = ['villages', 'units'] as const;

/** A search document: the page's URL and a small HTML stand-in that Pagefind indexes. */
export interface SearchDoc {
  url: string;
  html: string;
}

const uniq = (xs: string[]) => [...new Set(xs)];
const esc = (t: string) => t.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Title (weighted like a page's h1), text, and the same meta and filters SearchMeta gives a page. */
function searchDoc(url: string, d: { name: string; title: string; text: string; type: string; province: string[]; county: string[] }): SearchDoc {
  const filters = [...d.province.map((p) => `省:${p}`), ...d.county.map((c) => `县:${c}`)].map((f) => `<span data-pagefind-filter="${esc(f)}"></span>`).join('');
  return {
    url,
    html:
      `<html lang="zh-CN"><body><main data-pagefind-body>` +
      `<div hidden data-pagefind-meta="${esc(`title:${d.title}`)}" data-pagefind-filter="${esc(`类型:${d.type}`)}">${filters}</div>` +
      `<h1 data-pagefind-weight="10">${esc(d.name)}</h1><p>${esc(d.text)}</p></main></body></html>`,
  };
}

/** A village's search document: what its page says it is, and who helps it. */
export function villageSearchDoc(v: VillageView): SearchDoc {
  const { village } = v;
  const units = uniq(v.pairings.map((p) => p.unit.name));
  return searchDoc(`/villages/${village.code}/`, {
    name: village.name,
    title: `${village.name}（${village.province}${village.county}${village.township}）`,
    text: `${village.province}${village.prefecture}${village.county}${village.township}${village.name}，村代码 ${village.code}，挂牌督战村。${units.length ? `结对帮扶单位：${units.join('、')}。` : '暂无登记的结对帮扶单位。'}`,
    type: '村',
    province: [village.province],
    county: [village.county],
  });
}

/** A unit's search document: name, kind, home province, code, and the villages it helps. */
export function unitSearchDoc(u: UnitView): SearchDoc {
  const { unit } = u;
  const villages = uniq(u.pairings.map((p) => `${p.village.province}${p.village.county}${p.village.township}${p.village.name}`));
  return searchDoc(`/units/${unit.code}/`, {
    name: unit.name,
    title: unit.name,
    text: `${unit.type}，${unit.province}${unit.prefecture && unit.prefecture !== unit.province ? unit.prefecture : ''}，统一社会信用代码 ${unit.code}。${villages.length ? `结对帮扶：${villages.join('、')}。` : ''}`,
    type: '单位',
    province: uniq(u.pairings.map((p) => p.village.province)),
    county: uniq(u.pairings.map((p) => p.village.county)),
  });
}

/** The site's HTML files, relative, except the village and unit pages (indexed from the model). */
function htmlPages(site: string): string[] {
  const skip = (rel: string) => RECORD_DIRS.some((d) => rel.startsWith(`${d}/`) && rel.split('/').length > 2);
  return walk(site)
    .map((f) => path.relative(site, f).split(path.sep).join('/'))
    .filter((f) => f.endsWith('.html') && !skip(f))
    .sort();
}

/**
 * The village and unit search documents, one JSON line each ({ url, html }), written by the
 * process that holds the read model. Indexing them is left to a process that does not: at
 * national scale Pagefind's indexer alone needs ~5 GB, the read model ~4 GB.
 */
export function writeSearchDocs(model: SiteModel, file: string): number {
  let count = 0;
  writePieces(
    file,
    (function* () {
      const line = (doc: SearchDoc) => {
        count++;
        return `${JSON.stringify(doc)}\n`;
      };
      for (const v of model.villages.values()) yield line(villageSearchDoc(v));
      for (const u of model.units.values()) yield line(unitSearchDoc(u));
    })(),
  );
  return count;
}

/** Index the site's pages and the search documents in `docsFile`, then write SHA256SUMS. */
export async function indexSite(site: string, docsFile: string, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  const pagefind = await import('pagefind');
  const { index, errors } = await pagefind.createIndex({ forceLanguage: 'zh-cn', excludeSelectors: ['svg', '[data-pagefind-ignore]'] });
  if (!index) throw new Error(`搜索索引创建失败：${errors.join('；')}`);
  log('建立搜索索引（Pagefind）……');
  const fail = (what: string, errs: string[]) => {
    if (errs.length) throw new Error(`搜索索引出错（${what}）：${errs.join('；')}`);
  };
  let pages = 0;
  for (const rel of htmlPages(site)) {
    const content = readFileSync(path.join(site, rel), 'utf8');
    // Pagefind would drop a page without data-pagefind-body, but only after parsing and
    // segmenting it: at national scale the 7,000 county tables cost 3 minutes and 4 GB that way.
    if (!content.includes('data-pagefind-body')) continue;
    const r = await index.addHTMLFile({ sourcePath: rel, content });
    fail(rel, r.errors);
    pages++;
  }
  let records = 0;
  for await (const line of createInterface({ input: createReadStream(docsFile, 'utf8'), crlfDelay: Infinity })) {
    if (!line) continue;
    const doc = JSON.parse(line) as SearchDoc;
    const r = await index.addHTMLFile({ url: doc.url, content: doc.html });
    fail(doc.url, r.errors);
    records++;
  }
  const written = await index.writeFiles({ outputPath: path.join(site, 'pagefind') });
  fail('写入', written.errors);
  await pagefind.close();
  log(`搜索索引：${pages} 个页面 + ${records} 个村和单位，用时 ${((performance.now() - started) / 1000).toFixed(1)} 秒`);
  const summing = performance.now();
  writeFileSync(path.join(site, CHECKSUM_FILE), await checksums(site));
  log(`已写入 ${CHECKSUM_FILE}（全部文件的 SHA-256，供核验），用时 ${((performance.now() - summing) / 1000).toFixed(1)} 秒`);
}
