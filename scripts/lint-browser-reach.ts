/**
 * What browser code reaches: every file under src/client is bundled for the browser with
 * esbuild (the bundler Astro's toolchain ships), following every import — src/lib modules
 * and packages alike. A Node builtin (`node:crypto`, `fs`, …) reached on any path is a
 * problem, named with the chain of imports that leads to it. ESLint's no-restricted-imports
 * only sees a file's own imports; this sees all of them. browserEntriesOutsideClient() checks
 * that pages hand the browser nothing from outside src/client.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m.replace(/^node:/, '')}`]));
const isBuiltin = (spec: string) => BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]!) || spec.startsWith('node:');

function browserFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** The import chain from an entry to `target` in esbuild's metafile (breadth first: the shortest). */
function chainTo(meta: Metafile, entry: string, target: string): string[] {
  const previous = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  while (queue.length > 0) {
    const at = queue.shift()!;
    if (at === target) break;
    for (const imp of meta.inputs[at]?.imports ?? []) {
      if (imp.external || previous.has(imp.path)) continue;
      previous.set(imp.path, at);
      queue.push(imp.path);
    }
  }
  if (!previous.has(target)) return [];
  const chain: string[] = [];
  for (let at: string | null | undefined = target; at; at = previous.get(at)) chain.unshift(at);
  return chain;
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---/;
const SCRIPT = /<script\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/script>/gi;
const DEFAULT_IMPORT = /import\s+([A-Za-z_$][\w$]*)\s+from\s+['"]([^'"]+)['"]/g;

/**
 * The check above bundles src/client only, so every way a page hands code to the browser must
 * lead there: a `<script>` that Astro bundles (not `is:inline`) names a file in src/client with
 * `src=` instead of holding code, and a component hydrated with `client:*` is imported from
 * src/client. One line per .astro file that does otherwise.
 */
export function browserEntriesOutsideClient(root: string, srcDir = path.join(root, 'src')): string[] {
  const client = path.join(root, 'src/client') + path.sep;
  const problems: string[] = [];
  const astroFiles = readdirSync(srcDir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && e.name.endsWith('.astro'));
  for (const e of astroFiles) {
    const file = path.join(e.parentPath, e.name);
    const shown = path.relative(root, file).split(path.sep).join('/');
    const text = readFileSync(file, 'utf8');
    const outside = (spec: string) => spec.startsWith('.') && !path.resolve(path.dirname(file), spec).startsWith(client);
    for (const [, attrs, body] of text.matchAll(SCRIPT)) {
      if (/\bis:inline\b/.test(attrs!)) continue;
      const src = attrs!.match(/\bsrc\s*=\s*["']([^"']+)["']/)?.[1];
      if (src === undefined && body!.trim() !== '') problems.push(`${shown}：<script> 里直接写了代码，Astro 会把它打包给浏览器：请把代码放进 src/client，用 <script src="…"> 引用`);
      else if (src !== undefined && outside(src)) problems.push(`${shown}：<script src="${src}"> 不在 src/client 里`);
    }
    const imports = new Map([...(text.match(FRONTMATTER)?.[1] ?? '').matchAll(DEFAULT_IMPORT)].map((m) => [m[1]!, m[2]!]));
    for (const [, name] of text.matchAll(/<([A-Z][\w$]*)\b[^>]*\sclient:(?:load|idle|visible|media|only)\b/g)) {
      const spec = imports.get(name!);
      if (spec === undefined || outside(spec)) problems.push(`${shown}：<${name} client:…> 在浏览器里运行，但它不是从 src/client 导入的（${spec ?? '找不到导入'}）`);
    }
  }
  return problems.sort();
}

/** One line per Node builtin that browser code reaches, with how; empty when none. */
export async function browserReachProblems(root: string, clientDir = path.join(root, 'src/client')): Promise<string[]> {
  const entries = browserFiles(clientDir).map((f) => path.relative(root, f).split(path.sep).join('/'));
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries,
    bundle: true,
    write: false,
    outdir: 'lint-out',
    platform: 'browser',
    format: 'esm',
    splitting: true,
    jsx: 'automatic',
    jsxImportSource: 'react',
    loader: { '.css': 'empty' },
    // builtins stay external so that every place that imports one is listed, with its chain
    external: [...BUILTINS, 'node:*'],
    metafile: true,
    logLevel: 'silent',
  });
  const meta = result.metafile;
  const problems: string[] = [];
  for (const [file, input] of Object.entries(meta.inputs)) {
    for (const imp of input.imports) {
      if (!imp.external || !isBuiltin(imp.path)) continue;
      const chain = entries.map((e) => chainTo(meta, e, file)).find((c) => c.length > 0) ?? [file];
      problems.push(`${file}：导入了 Node 内置模块“${imp.original ?? imp.path}”，而浏览器代码会加载它：${chain.join(' → ')}`);
    }
  }
  return problems;
}
