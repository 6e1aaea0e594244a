/**
 * What browser code reaches: every file under src/client is bundled for the browser with
 * esbuild (the bundler Astro's toolchain ships), following every import — src/lib modules
 * and packages alike. A Node builtin (`node:crypto`, `fs`, …) reached on any path is a
 * problem, named with the chain of imports that leads to it. ESLint's no-restricted-imports
 * only sees a file's own imports; this sees all of them.
 */
import { readdirSync } from 'node:fs';
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
    jsxImportSource: 'preact',
    alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
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
