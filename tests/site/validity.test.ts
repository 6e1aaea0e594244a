/**
 * The validity gate, over every file of the fixture build:
 *  1. every HTML page is valid HTML (html-validate, recommended + document presets; warnings count);
 *  2. every same-origin href/src/srcset/action resolves to a file of the build, and every #fragment
 *     to an id (or <a name>) on the target page; nothing is loaded from another origin;
 *  3. the RSS feeds and the sitemaps are well-formed XML, feed items have a valid pubDate and a
 *     link to a page, and every sitemap <loc> is a page of the build.
 * The same small checkers run over tests/fixtures/validity-bad, which must fail for exactly the
 * faults planted in it — so a silent checker cannot pass the gate.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { HtmlValidate, Parser, type ConfigData } from 'html-validate';
import { describe, expect, inject, it } from 'vitest';

/** astro.config.mjs `site` (the tests build without SITE_URL). */
const SITE = 'https://example.invalid';
const BAD = path.resolve(import.meta.dirname, '../fixtures/validity-bad');

const HTML_CONFIG: ConfigData = {
  root: true,
  extends: ['html-validate:recommended', 'html-validate:document'],
  // The compare page's React island (Astro's <astro-island>, flow content) is the one custom element.
  elements: ['html5', { 'astro-island': { flow: true } }],
  rules: {
    // SRI guards copies served by someone else; same-origin files come from the server that serves
    // the page (and CSP 'self' already pins them). Any cross-origin <script>/<link> still needs it.
    'require-sri': ['error', { target: 'crossorigin' }],
    // Stricter than the presets: generated pages have no excuse for custom or misspelt elements.
    'no-unknown-elements': 'error',
  },
};
const htmlvalidate = new HtmlValidate(HTML_CONFIG);
const parser = () => new Parser(htmlvalidate.getConfigForSync('page.html'));

const posix = (p: string) => p.split(path.sep).join('/');
/** Files under `dir` whose name passes `keep`, relative and with `/`, sorted. */
function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : keep(e.name) ? [path.join(d, e.name)] : []));
  return walk(dir)
    .map((f) => posix(path.relative(dir, f)))
    .sort();
}
const htmlFiles = (dir: string) => filesUnder(dir, (n) => n.endsWith('.html'));
const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(2);

// ---------------------------------------------------------------------------------------------
// Reading a page

interface Ref {
  file: string;
  tag: string;
  attr: string;
  url: string;
}
interface SvgTag {
  name: string;
  offset: number;
  attrs: Array<[string, string]>;
}
interface Page {
  source: string;
  /** URL attributes, HTML and inline SVG. */
  refs: Ref[];
  /** Every id (and <a name>) on the page, HTML and inline SVG. */
  ids: Set<string>;
  /** ids of the HTML elements, repeats kept. */
  htmlIds: string[];
  /** Inline <svg> blocks: html-validate does not look inside them, so they are checked here. */
  svgs: Array<{ offset: number; text: string; tags: SvgTag[] }>;
}

const URL_ATTRS = ['href', 'xlink:href', 'src', 'srcset', 'action', 'formaction', 'poster', 'data'];
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** html-validate hands attribute values over undecoded. */
const decodeEntities = (s: string) =>
  s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]+);/gi, (all, e: string) => {
    if (e[0] !== '#') return ENTITIES[e.toLowerCase()] ?? all;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
    return code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });

const ATTR = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
const START_TAG = /<([a-zA-Z][\w:.-]*)((?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*\/?>/g;
function inlineSvgs(source: string): Page['svgs'] {
  return [...source.matchAll(/<svg\b[\s\S]*?<\/svg>/g)].map((m) => ({
    offset: m.index,
    text: m[0],
    tags: [...m[0].matchAll(START_TAG)].map((t) => ({
      name: t[1]!,
      offset: m.index + t.index,
      attrs: [...(t[2] ?? '').matchAll(ATTR)].map((a): [string, string] => [a[1]!, decodeEntities(a[2] ?? a[3] ?? a[4] ?? '')]),
    })),
  }));
}

const pageCache = new Map<string, Page>();
function readPage(dir: string, file: string): Page {
  const key = path.join(dir, file);
  const cached = pageCache.get(key);
  if (cached) return cached;
  const source = readFileSync(key, 'utf8');
  const page: Page = { source, refs: [], ids: new Set(), htmlIds: [], svgs: inlineSvgs(source) };
  const add = (tag: string, key: string, value: string) => {
    if (key === 'id' || (key === 'name' && tag === 'a')) page.ids.add(value);
    if (URL_ATTRS.includes(key) && (key !== 'data' || tag === 'object')) page.refs.push({ file, tag, attr: key, url: value });
  };
  for (const el of parser().parseHtml(source).querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (typeof a.value !== 'string') continue;
      const key = a.key.toLowerCase();
      if (key === 'id') page.htmlIds.push(decodeEntities(a.value));
      add(el.tagName.toLowerCase(), key, decodeEntities(a.value));
    }
  }
  // The <svg> element itself is in the HTML tree above; its content is not.
  for (const svg of page.svgs) for (const t of svg.tags.slice(1)) for (const [k, v] of t.attrs) add(t.name, k.toLowerCase(), v);
  pageCache.set(key, page);
  return page;
}

// ---------------------------------------------------------------------------------------------
// 1. HTML

interface HtmlProblem {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
  /** The start tag (or text) the message points at. */
  markup: string;
}

/** The tag around [offset, offset + size) of `source`, cut to 300 characters. */
function markupAt(source: string, offset: number, size: number): string {
  const start = source.lastIndexOf('<', offset);
  const end = source.indexOf('>', offset + Math.max(size, 1) - 1);
  const from = start >= 0 && offset - start < 2000 ? start : offset;
  const to = end >= 0 ? end + 1 : offset + size;
  return source.slice(from, Math.min(to, from + 300));
}

const lineCol = (source: string, offset: number) => ({ line: source.slice(0, offset).split('\n').length, column: offset - source.lastIndexOf('\n', offset - 1) });

/** What html-validate cannot see inside inline <svg>: well-formedness, ids unique on the page, url(#id) references. */
function inlineSvgProblems(file: string, page: Page): HtmlProblem[] {
  const problems: HtmlProblem[] = [];
  const at = (offset: number, rule: string, message: string, markup: string) => problems.push({ file, ...lineCol(page.source, offset), rule, message, markup: markup.slice(0, 300) });
  const seen = new Set(page.htmlIds);
  for (const svg of page.svgs) {
    const v = XMLValidator.validate(svg.text);
    if (v !== true) {
      const { line, column } = lineCol(page.source, svg.offset);
      problems.push({ file, line: line + v.err.line - 1, column: v.err.line === 1 ? column + v.err.col - 1 : v.err.col, rule: 'svg-well-formed', message: `${v.err.code}: ${v.err.msg}`, markup: (svg.text.split('\n')[v.err.line - 1] ?? '').trim().slice(0, 300) });
    }
    for (const [i, tag] of svg.tags.entries()) {
      const markup = markupAt(page.source, tag.offset, 1);
      for (const [key, value] of tag.attrs) {
        // The <svg> element itself is in the HTML tree (its id is in htmlIds); only its content is not.
        if (key === 'id' && i > 0) {
          if (seen.has(value)) at(tag.offset, 'svg-dup-id', `Duplicate ID "${value}"`, markup);
          seen.add(value);
        }
        for (const [, id] of value.matchAll(/url\(\s*['"]?#([^'")\s]+)/g)) {
          if (!page.ids.has(id!)) at(tag.offset, 'svg-missing-reference', `${key}: no element with id "${id}" on the page`, markup);
        }
      }
    }
  }
  return problems;
}

/** html-validate over each page, then the inline-SVG checks; warnings count as problems. */
async function validateHtml(dir: string, files: string[]): Promise<HtmlProblem[]> {
  const problems: HtmlProblem[] = [];
  for (const file of files) {
    const page = readPage(dir, file);
    const report = await htmlvalidate.validateString(page.source, file);
    for (const result of report.results) {
      for (const m of result.messages) {
        problems.push({ file, line: m.line, column: m.column, rule: m.ruleId, message: m.message, markup: markupAt(page.source, m.offset, m.size) });
      }
    }
    problems.push(...inlineSvgProblems(file, page));
  }
  return problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}

// ---------------------------------------------------------------------------------------------
// 2. Links and anchors

type Broken = Ref & { reason: string };
interface LinkReport {
  /** Same-origin URLs checked (each occurrence; each srcset candidate counts). */
  checked: number;
  /** Of those, the ones with a #fragment checked against the target's ids. */
  anchors: number;
  broken: Broken[];
  /** http(s) URLs to other origins, listed, not fetched. */
  external: Ref[];
  /** External URLs the browser would fetch by itself (anything but a link the reader follows). */
  thirdParty: Ref[];
}

/** Attributes the reader follows; every other URL attribute makes the browser fetch by itself. */
const followed = (tag: string, attr: string) => ((tag === 'a' || tag === 'area') && attr === 'href') || attr === 'action' || attr === 'formaction';

/** The URL a built file is served at: `a/b/index.html` → /a/b/, `404.html` → /404.html. */
const pageUrl = (file: string) => new URL(`/${file.replace(/(^|\/)index\.html$/, '$1')}`, SITE);

/** The file of the build a same-origin path is served from, or why there is none. */
function fileFor(dir: string, pathname: string): { file: string } | { reason: string } {
  let p: string;
  try {
    p = decodeURIComponent(pathname);
  } catch {
    return { reason: `bad %-encoding in ${pathname}` };
  }
  const abs = path.resolve(dir, `.${p.endsWith('/') ? `${p}index.html` : p}`);
  if (!abs.startsWith(dir + path.sep)) return { reason: `${p} is outside the site` };
  if (existsSync(abs) && statSync(abs).isFile()) return { file: posix(path.relative(dir, abs)) };
  if (existsSync(path.join(abs, 'index.html'))) return { reason: `${p} is a folder: the link must end in “/” (trailingSlash: 'always')` };
  return { reason: `no ${posix(path.relative(dir, abs))} in the build` };
}

function checkLinks(dir: string, files: string[]): LinkReport {
  const pages = new Map(files.map((f) => [f, readPage(dir, f)]));
  const report: LinkReport = { checked: 0, anchors: 0, broken: [], external: [], thirdParty: [] };
  for (const [file, { refs }] of pages) {
    for (const ref of refs) {
      const raw = ref.url.trim();
      const candidates = ref.attr === 'srcset' ? raw.split(',').map((c) => c.trim().split(/\s+/)[0] ?? '') : [raw];
      for (const candidate of candidates) {
        const one = { ...ref, url: candidate };
        if (candidate === '') {
          report.broken.push({ ...one, reason: 'empty URL' });
          continue;
        }
        let url: URL;
        try {
          url = new URL(candidate, pageUrl(file));
        } catch {
          report.broken.push({ ...one, reason: 'not a URL' });
          continue;
        }
        if (url.protocol === 'javascript:') report.broken.push({ ...one, reason: 'javascript: URL' });
        if (url.protocol !== 'http:' && url.protocol !== 'https:') continue; // mailto:, tel:, data:
        if (url.origin !== SITE) {
          report.external.push(one);
          if (!followed(ref.tag, ref.attr)) report.thirdParty.push(one);
          continue;
        }
        report.checked++;
        const target = fileFor(dir, url.pathname);
        if ('reason' in target) {
          report.broken.push({ ...one, reason: target.reason });
          continue;
        }
        if (url.hash.length <= 1) continue;
        report.anchors++;
        const id = decodeURIComponent(url.hash.slice(1));
        const ids = pages.get(target.file)?.ids;
        if (!ids) report.broken.push({ ...one, reason: `#${id}: ${target.file} is not an HTML page` });
        else if (!ids.has(id)) report.broken.push({ ...one, reason: `no id="${id}" in ${target.file}` });
      }
    }
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// 3. Feeds and sitemaps

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, isArray: (name) => ['item', 'url', 'sitemap'].includes(name) });

/** Well-formedness: null, or where and why not. */
function xmlError(text: string): string | null {
  const v = XMLValidator.validate(text);
  return v === true ? null : `line ${v.err.line}:${v.err.col} ${v.err.code} ${v.err.msg}`;
}

/** An absolute URL of this site that is a page (or file) of the build: null, or why not. */
function siteUrlProblem(dir: string, loc: unknown, page: boolean): string | null {
  if (typeof loc !== 'string' || loc.trim() === '') return 'no URL';
  let url: URL;
  try {
    url = new URL(loc.trim());
  } catch {
    return `${loc} is not an absolute URL`;
  }
  if (url.origin !== SITE) return `${loc} is not on ${SITE}`;
  const target = fileFor(dir, url.pathname);
  if ('reason' in target) return `${loc}: ${target.reason}`;
  if (page && !target.file.endsWith('.html')) return `${loc} is not a page`;
  return null;
}

const WEEKDAY = '(Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const RFC822 = new RegExp(`^${WEEKDAY}, \\d{2} ${MONTH} \\d{4} \\d{2}:\\d{2}:\\d{2} (GMT|[+-]\\d{4})$`);
/** An RSS pubDate: RFC 822, a real date, and (in GMT) the weekday right. */
function pubDateProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return 'no pubDate';
  if (!RFC822.test(value) || Number.isNaN(Date.parse(value))) return `pubDate “${value}” is not an RFC 822 date`;
  if (value.endsWith(' GMT') && new Date(value).toUTCString() !== value) return `pubDate “${value}” is not a real date`;
  return null;
}

interface XmlReport {
  /** Feed items, or sitemap <loc>s. */
  count: number;
  problems: string[];
}

function checkFeed(dir: string, file: string): XmlReport {
  const abs = path.join(dir, file);
  if (!existsSync(abs)) return { count: 0, problems: [`${file}: missing`] };
  const text = readFileSync(abs, 'utf8');
  const bad = xmlError(text);
  if (bad) return { count: 0, problems: [`${file}: not well-formed: ${bad}`] };
  const channel = (xml.parse(text) as { rss?: { channel?: { link?: unknown; item?: Array<Record<string, unknown>> } } }).rss?.channel;
  if (!channel) return { count: 0, problems: [`${file}: no <rss><channel>`] };
  const items = channel.item ?? [];
  const home = siteUrlProblem(dir, channel.link, true);
  const problems = (home ? [`${file}: channel <link>: ${home}`] : []).concat(items.flatMap((item, i) => {
    const where = `${file}: item ${i + 1}`;
    const date = pubDateProblem(item.pubDate);
    const link = item.link === undefined ? 'no link' : siteUrlProblem(dir, item.link, true);
    return [date, link].filter((p) => p !== null).map((p) => `${where}: ${p}`);
  }));
  return { count: items.length, problems };
}

function checkSitemaps(dir: string): XmlReport {
  const index = 'sitemap-index.xml';
  const problems: string[] = [];
  let count = 0;
  const sitemaps = readdirSync(dir).filter((f) => /^sitemap-.+\.xml$/.test(f) && f !== index);
  if (!existsSync(path.join(dir, index))) return { count, problems: [`${index}: missing`] };
  const indexText = readFileSync(path.join(dir, index), 'utf8');
  const indexBad = xmlError(indexText);
  if (indexBad) problems.push(`${index}: not well-formed: ${indexBad}`);
  else {
    const entries = (xml.parse(indexText) as { sitemapindex?: { sitemap?: Array<{ loc?: unknown }> } }).sitemapindex?.sitemap ?? [];
    if (entries.length === 0) problems.push(`${index}: lists no sitemap`);
    for (const { loc } of entries) {
      const p = siteUrlProblem(dir, loc, false);
      if (p) problems.push(`${index}: ${p}`);
    }
  }
  if (sitemaps.length === 0) problems.push('no sitemap-*.xml');
  for (const file of sitemaps.sort()) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const bad = xmlError(text);
    if (bad) {
      problems.push(`${file}: not well-formed: ${bad}`);
      continue;
    }
    for (const { loc } of (xml.parse(text) as { urlset?: { url?: Array<{ loc?: unknown }> } }).urlset?.url ?? []) {
      count++;
      const p = siteUrlProblem(dir, loc, true);
      if (p) problems.push(`${file}: ${p}`);
    }
  }
  return { count, problems };
}

// ---------------------------------------------------------------------------------------------

const FEEDS = ['stories/rss.xml', 'bulletins/rss.xml'];

describe('the fixture build is valid', () => {
  const site = () => inject('siteDir');

  it('every HTML page passes html-validate (recommended + document), warnings included', async () => {
    const files = htmlFiles(site());
    expect(files.length).toBeGreaterThan(20);
    const t0 = performance.now();
    const problems = await validateHtml(site(), files);
    console.log(`html-validate: ${files.length} pages, ${problems.length} problems, ${seconds(t0)} s`);
    expect(problems).toEqual([]);
  });

  it('every internal link and #anchor resolves, and nothing loads from another origin', () => {
    const files = htmlFiles(site());
    const r = checkLinks(site(), files);
    console.log(
      `links: ${files.length} pages, ${r.checked} internal URLs checked (${r.anchors} with #anchor), ${r.external.length} external (not fetched)` +
        r.external.map((e) => `\n  external: ${e.file} <${e.tag} ${e.attr}="${e.url}">`).join(''),
    );
    expect(r.checked).toBeGreaterThan(files.length * 10);
    expect(r.anchors).toBeGreaterThanOrEqual(files.length); // every page has its skip link to #main
    expect(r.broken).toEqual([]);
    expect(r.thirdParty).toEqual([]);
  });

  it('the feeds and sitemaps are well-formed; items have a pubDate and a link; every <loc> is a page', () => {
    const feeds = FEEDS.map((f) => checkFeed(site(), f));
    const sitemaps = checkSitemaps(site());
    console.log(`feeds: ${FEEDS.map((f, i) => `${f} ${feeds[i]!.count} items`).join(', ')}; sitemaps: ${sitemaps.count} <loc>s`);
    expect([...feeds.flatMap((f) => f.problems), ...sitemaps.problems]).toEqual([]);
    for (const f of feeds) expect(f.count).toBeGreaterThan(0);
    expect(sitemaps.count).toBeGreaterThan(20);
    // Every other XML (or SVG) file of the build is well-formed too.
    const others = filesUnder(site(), (n) => n.endsWith('.xml') || n.endsWith('.svg'))
      .map((f) => [f, xmlError(readFileSync(path.join(site(), f), 'utf8'))])
      .filter(([, e]) => e !== null);
    expect(others).toEqual([]);
  });
});

describe('the gate fails on tests/fixtures/validity-bad', () => {
  const files = htmlFiles(BAD);

  it('invalid HTML: a duplicate id, <div> in <span>, <img> without alt — each where it is', async () => {
    const problems = (await validateHtml(BAD, files)).filter((p) => p.file === 'invalid/index.html');
    expect(problems.map((p) => `${p.line}:${p.column} ${p.rule} ${p.markup}`)).toEqual([
      '9:15 no-dup-id <h1 id="main">',
      '10:19 element-permitted-content <div>',
      '11:8 wcag/h37 <img src="/photo.png">',
    ]);
  });

  it('invalid HTML: an unclosed <div> (and the close tags it leaves out of order)', async () => {
    const problems = (await validateHtml(BAD, files)).filter((p) => p.file === 'unclosed/index.html');
    expect(problems).toContainEqual(expect.objectContaining({ line: 10, rule: 'close-order', message: "Unclosed element '<div>'", markup: '<div class="card">' }));
    for (const p of problems) expect(['close-order', 'no-implicit-close'], `${p.line}: ${p.message}`).toContain(p.rule);
  });

  it('the other fixture pages are valid HTML, so the checker does not just flag everything', async () => {
    const problems = await validateHtml(BAD, files);
    expect([...new Set(problems.map((p) => p.file))]).toEqual(['invalid/index.html', 'svg/index.html', 'unclosed/index.html']);
  });

  it('inside inline <svg>: an id repeated on the page, a url(#id) to nothing, an unclosed element', async () => {
    const problems = (await validateHtml(BAD, files)).filter((p) => p.file === 'svg/index.html');
    expect(problems.map((p) => `${p.line} ${p.rule} ${p.markup}`)).toEqual([
      '12 svg-dup-id <clipPath id="chart">',
      '13 svg-missing-reference <g clip-path="url(#clip-missing)">',
      '13 svg-well-formed <g clip-path="url(#clip-missing)"><rect width="5" height="5"></g>',
    ]);
    expect(problems[2]!.message).toMatch(/rect/);
  });

  it('SRI is still required of any cross-origin script or stylesheet (only same-origin ones are exempt)', async () => {
    const page = (head: string) => `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title>${head}</head><body><main><h1>t</h1></main></body></html>`;
    const rules = async (head: string) => (await htmlvalidate.validateString(page(head), 'sri.html')).results.flatMap((r) => r.messages.map((m) => m.ruleId));
    expect(await rules('<link rel="stylesheet" href="https://cdn.example.com/x.css">')).toEqual(['require-sri']);
    expect(await rules('<script src="//cdn.example.com/x.js"></script>')).toEqual(['require-sri']);
    expect(await rules('<link rel="stylesheet" href="/_astro/Base.css"><script src="/search.js"></script>')).toEqual([]);
  });

  it('a broken internal link and broken #anchors are reported, and only those', () => {
    const r = checkLinks(BAD, files);
    expect(r.broken.map((b) => `${b.file} ${b.url}: ${b.reason}`)).toEqual([
      'links/index.html /villages/000000000000/: no villages/000000000000/index.html in the build',
      'links/index.html /#no-such-anchor: no id="no-such-anchor" in index.html',
      'links/index.html #nowhere: no id="nowhere" in links/index.html',
    ]);
  });

  it('resources from another origin are third-party requests; an external <a> is only listed', () => {
    const r = checkLinks(BAD, files);
    expect(r.external.map((e) => `${e.file} <${e.tag} ${e.attr}> ${e.url}`)).toEqual([
      'links/index.html <a href> https://www.example.com/',
      'third-party/index.html <script src> https://cdn.example.com/lib.js',
      'third-party/index.html <img src> //images.example.com/photo.png',
      'third-party/index.html <img srcset> //images.example.com/photo@2x.png',
    ]);
    expect(r.thirdParty.map((e) => e.url)).toEqual(['https://cdn.example.com/lib.js', '//images.example.com/photo.png', '//images.example.com/photo@2x.png']);
  });

  it('a malformed feed, and feed items without a (valid) pubDate or link to a page', () => {
    const [stories, bulletins] = FEEDS.map((f) => checkFeed(BAD, f));
    expect(stories!.problems).toHaveLength(1);
    expect(stories!.problems[0]).toMatch(/^stories\/rss\.xml: not well-formed: line 10:/);
    expect(bulletins!.count).toBe(5);
    expect(bulletins!.problems).toEqual([
      'bulletins/rss.xml: item 2: pubDate “2020年8月6日” is not an RFC 822 date',
      'bulletins/rss.xml: item 3: no pubDate',
      'bulletins/rss.xml: item 4: no link',
      'bulletins/rss.xml: item 5: https://example.invalid/bulletins/2020-13/: no bulletins/2020-13/index.html in the build',
    ]);
    expect(pubDateProblem('Wed, 06 Aug 2020 00:00:00 GMT')).toBe('pubDate “Wed, 06 Aug 2020 00:00:00 GMT” is not a real date');
    expect(pubDateProblem('Thu, 06 Aug 2020 00:00:00 GMT')).toBeNull();
  });

  it('a sitemap that is not there and <loc>s that are not pages of the build', () => {
    const r = checkSitemaps(BAD);
    expect(r.count).toBe(4);
    expect(r.problems).toEqual([
      'sitemap-index.xml: https://example.invalid/sitemap-1.xml: no sitemap-1.xml in the build',
      'sitemap-0.xml: https://example.invalid/gone/: no gone/index.html in the build',
      'sitemap-0.xml: https://elsewhere.example.com/ is not on https://example.invalid',
    ]);
  });
});
