/**
 * npm run preview:stories [-- --base REF | --story FILE… ] [--out DIR] [--site DIR]
 *
 * Previews of new or changed case stories, for editors and for the pull request:
 * 1. which stories: `--story content/stories/x.mdx` (repeatable); or `--base origin/main`, the
 *    stories the branch adds or changes against that base (`git diff --name-only base...HEAD`);
 *    else those changed in the working tree (modified or new, committed or not: `git status`).
 *    A changed image counts for the stories that use it.
 * 2. the content check, as `npm run content:check` does it (every story and bulletin text):
 *    on any problem the preview says so in Chinese, writes it to the summary and exits 1;
 * 3. the site, built as `npm run build` builds it (into a temporary folder, its own cache in
 *    node_modules/.astro-preview), or an already built one (`--site dist`: the pull-request
 *    workflow builds the site in its own step);
 * 4. for each story, `preview/<slug>/index.html`: its page, with the files it uses (CSS, its
 *    images in _astro/) copied beside it and their addresses made relative, so the page opens
 *    from disk or from any static server; links to other pages of the site point at the site
 *    (SITE_ORIGIN when set, else they stay site-relative);
 * 5. screenshots of each, full page, at 390 px (a phone) and 1366 px (a laptop), device scale
 *    factor 1, by headless Chromium (scripts/chromium.ts) over the copy on a local server: a file
 *    the copy misses fails the preview;
 * 6. `preview/summary.md`: in Chinese, each story, its address in the site, its screenshots and
 *    the check's result. The pull-request workflow appends it to the job summary and uploads
 *    preview/ as the artifact `story-previews`.
 * Exit 0 all previewed, 1 a story failed the check or a preview could not be made, 2 usage.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkEditorFolder } from '../src/lib/content/editor-content.ts';
import { checkStory, storyReport, type StoryIssue } from '../src/lib/content/stories.ts';
import { ingestSummaryCached } from '../src/lib/ingest/ingest-cache.ts';
import { defaultDataDir } from '../src/lib/ingest/ingest-fs.ts';
import { formatCount } from '../src/lib/render/format.ts';
import { storyUrl } from '../src/lib/routes.ts';
import { SITE } from '../src/lib/site-config.ts';
import { launchChromium, serve } from './chromium.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const USAGE = '用法：npm run preview:stories [-- --story content/stories/文件名.mdx …] [--base origin/main] [--out preview] [--site dist]';
/** The two screenshot widths: a phone (390 × 844) and a laptop (1366 × 768). */
const WIDTHS = [
  { width: 390, height: 844, label: '手机', mobile: true },
  { width: 1366, height: 768, label: '电脑', mobile: false },
] as const;
/** Files a page uses that the preview copies beside it. */
const ASSET = /\.(css|js|mjs|png|jpe?g|webp|avif|gif|svg|ico|woff2?)$/i;

let values: { story?: string[]; base?: string; out?: string; site?: string };
try {
  values = parseArgs({ options: { story: { type: 'string', multiple: true }, base: { type: 'string' }, out: { type: 'string' }, site: { type: 'string' } } }).values;
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.story && values.base) {
  console.error(`--story 和 --base 只能用一个\n${USAGE}`);
  process.exit(2);
}

// real paths: git names files by them (a temporary folder may be reached through a symlink)
const real = (p: string) => (existsSync(p) ? realpathSync(p) : p);
const storiesDir = real(path.resolve(process.env.STORIES_DIR || 'content/stories'));
const bulletinsDir = path.resolve(process.env.BULLETINS_DIR || 'content/bulletins');
const outDir = path.resolve(values.out ?? 'preview');
const shown = (p: string) => path.relative(process.cwd(), p).split(path.sep).join('/') || '.';
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

interface Preview {
  file: string;
  slug: string;
  title: string;
  issues: StoryIssue[];
  /** screenshot files under outDir, with their pixel sizes */
  shots: Array<{ file: string; label: string; width: number; height: number }>;
  /** what went wrong making the preview, in Chinese */
  problems: string[];
}

// --- 1. which stories ---------------------------------------------------------------------

function git(args: string[], cwd: string): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} 失败：${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}

/** The stories a list of changed paths (absolute) amounts to: the .mdx files directly in the folder, and those that use a changed image. */
function storiesOf(changed: string[]): string[] {
  const stories = new Set<string>();
  const images: string[] = [];
  for (const p of changed) {
    if (path.dirname(p) === storiesDir && p.endsWith('.mdx')) {
      if (existsSync(p)) stories.add(p);
    } else if (p.startsWith(path.join(storiesDir, 'images') + path.sep)) images.push(path.basename(p));
  }
  if (images.length > 0 && existsSync(storiesDir)) {
    for (const name of readdirSync(storiesDir)) {
      if (!name.endsWith('.mdx')) continue;
      const text = readFileSync(path.join(storiesDir, name), 'utf8');
      if (images.some((img) => text.includes(`images/${img}`))) stories.add(path.join(storiesDir, name));
    }
  }
  return [...stories].sort();
}

function selectStories(): { files: string[]; how: string } {
  if (values.story) {
    const files = values.story.map((s) => real(path.resolve(s)));
    for (const f of files) {
      if (!existsSync(f)) fail(`找不到案例文件 ${shown(f)}`, 2);
      if (path.dirname(f) !== storiesDir || !f.endsWith('.mdx')) fail(`${shown(f)} 不是 ${shown(storiesDir)}/ 中的 .mdx 文件`, 2);
    }
    return { files: [...new Set(files)].sort(), how: '指定的案例' };
  }
  if (!existsSync(storiesDir)) return { files: [], how: '' };
  const top = git(['rev-parse', '--show-toplevel'], storiesDir).trim();
  if (values.base) {
    const names = git(['diff', '--name-only', '-z', '--no-renames', '--diff-filter=d', `${values.base}...HEAD`, '--', storiesDir], top).split('\0').filter(Boolean);
    return { files: storiesOf(names.map((n) => path.join(top, n))), how: `与 ${values.base} 相比新增或修改的案例` };
  }
  // the working tree: modified, added or new files (not deleted ones), staged or not
  const entries = git(['status', '--porcelain=v1', '-z', '--no-renames', '--untracked-files=all', '--', storiesDir], top).split('\0').filter(Boolean);
  const names = entries.filter((e) => !e.slice(0, 2).includes('D')).map((e) => e.slice(3));
  return { files: storiesOf(names.map((n) => path.join(top, n))), how: '工作区中新增或修改（尚未提交）的案例' };
}

// --- helpers ------------------------------------------------------------------------------

function writeSummary(lines: string[]): void {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'summary.md'), `${lines.join('\n')}\n`);
}

function fail(message: string, code = 1): never {
  console.error(code === 2 ? `${message}\n${USAGE}` : message);
  process.exit(code);
}

/** The page's address in the site: Astro's id of a file in a glob collection (github-slugger of the name, as the site builds it). */
function slugOf(file: string): string {
  return path.basename(file, '.mdx').toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** PNG width and height from its IHDR, or null when the bytes are not a PNG. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || sig.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

// --- 4. the page and what it uses ---------------------------------------------------------

/**
 * Copy the file at the site address `url` (root-relative) into `dest`, once; for CSS, also
 * what its url(…) names, for JavaScript its relative imports. Returns the path under `dest`,
 * or null when the address is not a file the page uses (a page, a feed, a missing file).
 */
function copyAsset(site: string, dest: string, url: string, copied: Set<string>): string | null {
  const clean = decodeURI(url.split(/[?#]/)[0]!);
  if (!ASSET.test(clean) || clean.includes('..')) return null;
  const rel = clean.replace(/^\/+/, '');
  const from = path.join(site, rel);
  if (!existsSync(from) || !statSync(from).isFile()) return null;
  if (copied.has(rel)) return rel;
  copied.add(rel);
  const to = path.join(dest, rel);
  mkdirSync(path.dirname(to), { recursive: true });
  if (/\.css$/i.test(rel)) {
    const css = readFileSync(from, 'utf8').replace(/url\(\s*(["']?)(\/[^)"']+)\1\s*\)/g, (whole, q: string, u: string) => {
      const got = u.startsWith('//') ? null : copyAsset(site, dest, u, copied);
      return got ? `url(${q}${path.posix.relative(path.posix.dirname(rel), got)}${q})` : whole;
    });
    writeFileSync(to, css);
  } else {
    copyFileSync(from, to);
    if (/\.m?js$/i.test(rel)) {
      const js = readFileSync(from, 'utf8');
      for (const m of js.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.\.?\/[^"']+)["']/g)) copyAsset(site, dest, path.posix.join('/', path.posix.dirname(rel), m[1]!), copied);
    }
  }
  return rel;
}

/** The story's page from `site` into `dest`/index.html with the files it uses; addresses of those made relative, links to other pages absolute on the site when its origin is known. */
function copyPage(site: string, slug: string, dest: string): void {
  const page = path.join(site, storyUrl(slug), 'index.html');
  const copied = new Set<string>();
  const rewrite = (url: string): string => {
    if (!url.startsWith('/') || url.startsWith('//')) return url;
    const got = copyAsset(site, dest, url, copied);
    if (got) return got;
    return SITE.origin ? `${SITE.origin}${url}` : url;
  };
  const html = readFileSync(page, 'utf8').replace(/(\s(?:src|href|poster|srcset))="([^"]*)"/g, (_whole, attr: string, value: string) => {
    const out = attr.trim() === 'srcset' ? value.split(',').map((part) => part.trim().replace(/^\S+/, (u) => rewrite(u))).join(', ') : rewrite(value);
    return `${attr}="${out}"`;
  });
  mkdirSync(dest, { recursive: true });
  writeFileSync(path.join(dest, 'index.html'), html);
}

// --- 3. the site --------------------------------------------------------------------------

async function buildSite(work: string): Promise<string> {
  const site = path.join(work, 'site');
  console.log(`构建网站（与 npm run build 相同，输出到临时文件夹 ${site}）……`);
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/build.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ASTRO_OUT_DIR: site, ASTRO_CACHE_DIR: process.env.ASTRO_CACHE_DIR || path.join(ROOT, 'node_modules/.astro-preview'), BUILD_STEPS_FILE: path.join(work, 'build-steps.json'), ASTRO_TELEMETRY_DISABLED: '1' },
  });
  let log = '';
  child.stdout.on('data', (b: Buffer) => (log += b.toString()));
  child.stderr.on('data', (b: Buffer) => (log += b.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) {
    console.error(log);
    throw new Error(`网站构建失败（退出码 ${code}），见上面的报告`);
  }
  return site;
}

// --- 5. screenshots -----------------------------------------------------------------------

async function screenshots(previews: Preview[]): Promise<void> {
  const browser = await launchChromium();
  try {
    for (const p of previews) {
      const dir = path.join(outDir, p.slug);
      const server = await serve(dir);
      try {
        for (const w of WIDTHS) {
          const context = await browser.newContext({ viewport: { width: w.width, height: w.height }, deviceScaleFactor: 1, isMobile: w.mobile, hasTouch: w.mobile, locale: 'zh-CN' });
          const page = await context.newPage();
          const missing: string[] = [];
          page.on('response', (r) => {
            if (r.status() >= 400 && r.url().startsWith(server.origin)) missing.push(`${r.url().slice(server.origin.length)}（${r.status()}）`);
          });
          page.on('requestfailed', (r) => missing.push(`${r.url()}（${r.failure()?.errorText ?? '失败'}）`));
          await page.goto(`${server.origin}/index.html`, { waitUntil: 'load' });
          // Lazy images below the fold are loaded too, so the full-page screenshot shows them.
          await page.evaluate(() => document.querySelectorAll('img[loading="lazy"]').forEach((img) => img.setAttribute('loading', 'eager')));
          await page.waitForFunction(() => [...document.images].every((img) => img.complete), undefined, { timeout: 20_000 });
          await page.evaluate(async () => {
            await document.fonts.ready;
          });
          const file = `${p.slug}/screenshot-${w.width}.png`;
          const png = await page.screenshot({ path: path.join(outDir, file), fullPage: true, animations: 'disabled' });
          const size = pngSize(png);
          p.shots.push({ file, label: w.label, width: size?.width ?? 0, height: size?.height ?? 0 });
          if (size && size.width !== w.width) p.problems.push(`${w.width} 像素宽的截图实际宽 ${size.width} 像素：页面在${w.label}上有横向溢出`);
          for (const m of new Set(missing)) p.problems.push(`页面缺少文件 ${m}`);
          await context.close();
        }
      } finally {
        await server.close();
      }
    }
  } finally {
    await browser.close();
  }
}

// --- the run ------------------------------------------------------------------------------

let selected: { files: string[]; how: string };
try {
  selected = selectStories();
} catch (e) {
  fail(`${(e as Error).message}\n找不到改动的案例（案例文件夹不在 git 仓库中？）：请用 --story content/stories/文件名.mdx 指定要预览的案例`, 2);
}
const { files, how } = selected;
// The output folder is emptied first: only when it is a previous preview (or empty), never any other folder.
if (existsSync(outDir) && readdirSync(outDir).length > 0) {
  const inside = (a: string, b: string) => !path.relative(a, b).startsWith('..');
  if (!existsSync(path.join(outDir, 'summary.md')) || [ROOT, process.cwd(), storiesDir].some((d) => inside(outDir, d))) fail(`输出文件夹 ${shown(outDir)} 不是上次的预览（没有 summary.md），不会清空它；请用 --out 指定一个新的文件夹`, 2);
}
rmSync(outDir, { recursive: true, force: true });
const title = '## 案例预览';
if (files.length === 0) {
  const hint = values.base ? '' : '。可以用 --story content/stories/文件名.mdx 指定案例，或用 --base origin/main 预览本分支与主分支相比改动的案例';
  writeSummary([title, '', `没有需要预览的案例（${how || '案例文件夹不存在'}：无）${hint}。`]);
  console.log(`没有需要预览的案例${hint}。`);
  process.exit(0);
}

// 2. the content check, as npm run content:check does it
const data = ingestSummaryCached(defaultDataDir());
if (!data.ok) {
  writeSummary([title, '', '数据校验未通过，无法核对案例中的村和单位代码，未生成预览。请先运行 `npm run data:check`。']);
  fail(`数据校验未通过，无法核对案例中的村和单位代码：\n${data.report}`);
}
const registry = { villages: new Set(data.villageCodes), units: new Set(data.unitCodes) };
const issues = [...checkEditorFolder('stories', storiesDir, registry, data.months), ...checkEditorFolder('bulletins', bulletinsDir, registry, data.months)];
const issuesOf = (file: string) => issues.filter((i) => path.resolve(i.file) === file);
const previews: Preview[] = files.map((file) => {
  const fm = checkStory(shown(file), file, readFileSync(file, 'utf8'), registry).frontmatter;
  return { file, slug: slugOf(file), title: fm?.title ?? path.basename(file), issues: issuesOf(file), shots: [], problems: [] };
});
console.log(`预览 ${formatCount(previews.length)} 篇案例（${how}）：\n${previews.map((p) => `  ${shown(p.file)}`).join('\n')}`);

const checkLine = (p: Preview) => (p.issues.length === 0 ? '通过' : `**未通过**（${formatCount(p.issues.length)} 个问题）`);
if (issues.length > 0) {
  const others = issues.filter((i) => !previews.some((p) => path.resolve(i.file) === p.file));
  writeSummary([
    title,
    '',
    `**内容校验未通过，未生成预览。** 网站要在全部案例和通报文字都通过校验后才能构建。请按下面的提示修改后再预览（写法见 docs/editor-guide.md）。`,
    '',
    '| 案例 | 文件 | 内容校验 |',
    '| --- | --- | --- |',
    ...previews.map((p) => `| ${cell(p.title)} | \`${shown(p.file)}\` | ${checkLine(p)} |`),
    ...(others.length > 0 ? ['', `其他文件也有问题（${formatCount(others.length)} 个）。`] : []),
    '',
    '```',
    storyReport(issues, 'check'),
    '```',
  ]);
  fail(storyReport(issues, 'check'));
}

const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-preview-'));
let exitCode = 0;
try {
  let site: string;
  if (values.site) {
    site = path.resolve(values.site);
    if (!existsSync(path.join(site, 'index.html'))) throw new Error(`${shown(site)} 中没有构建好的网站（找不到 index.html）。请先运行 npm run build，或不写 --site，由预览自己构建`);
  } else site = await buildSite(work);

  for (const p of previews) {
    if (!existsSync(path.join(site, storyUrl(p.slug), 'index.html'))) {
      p.problems.push(`构建好的网站里没有这篇案例的页面 ${storyUrl(p.slug)}`);
      continue;
    }
    copyPage(site, p.slug, path.join(outDir, p.slug));
  }
  const ready = previews.filter((p) => p.problems.length === 0);
  try {
    await screenshots(ready);
  } catch (e) {
    for (const p of ready) if (p.shots.length < WIDTHS.length) p.problems.push(`未生成截图：${(e as Error).message}`);
  }
} catch (e) {
  for (const p of previews) p.problems.push((e as Error).message);
} finally {
  rmSync(work, { recursive: true, force: true });
}

const address = (p: Preview) => `${SITE.origin}${storyUrl(p.slug)}`;
const shot = (p: Preview, label: string) => {
  const s = p.shots.find((x) => x.label === label);
  return s ? `[${s.file}](${s.file})（${formatCount(s.width)}×${formatCount(s.height)}）` : '未生成';
};
const failed = previews.filter((p) => p.problems.length > 0);
if (failed.length > 0) exitCode = 1;
writeSummary([
  title,
  '',
  `预览了 ${formatCount(previews.length)} 篇案例（${how}）。${SITE.origin ? '' : '网站中的地址在网站上线后可以访问。'}`,
  '',
  '| 案例 | 文件 | 网站中的地址 | 预览页面 | 手机截图（390 像素宽） | 电脑截图（1366 像素宽） | 内容校验 |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...previews.map((p) => `| ${cell(p.title)} | \`${shown(p.file)}\` | \`${address(p)}\` | ${existsSync(path.join(outDir, p.slug, 'index.html')) ? `[${p.slug}/index.html](${p.slug}/index.html)` : '未生成'} | ${shot(p, '手机')} | ${shot(p, '电脑')} | ${checkLine(p)} |`),
  '',
  '怎样查看：在拉取请求的 “Checks” → 本次检查 → “Summary” 页面底部的 Artifacts 中下载 `story-previews`，解压后用浏览器打开各案例文件夹里的 `index.html`，截图在同一文件夹中。页面里指向网站其他页面的链接要在完整的网站上才能打开。',
  ...(failed.length > 0 ? ['', '**预览没有全部完成：**', '', ...failed.flatMap((p) => p.problems.map((m) => `- ${cell(p.title)}（\`${shown(p.file)}\`）：${m}`))] : []),
]);
for (const p of previews) {
  const page = path.join(outDir, p.slug, 'index.html');
  console.log(`\n${p.title}\n  文件：${shown(p.file)}\n  网站中的地址：${address(p)}${existsSync(page) ? `\n  预览页面：${shown(page)}` : ''}`);
  for (const s of p.shots) console.log(`  ${s.label}截图：${shown(path.join(outDir, s.file))}（${s.width}×${s.height}）`);
  for (const m of p.problems) console.error(`  问题：${m}`);
}
console.log(`\n预览摘要：${shown(path.join(outDir, 'summary.md'))}`);
process.exitCode = exitCode;
