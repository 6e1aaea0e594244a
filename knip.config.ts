/**
 * knip: exports nobody imports, and files nobody loads, across the whole project — what
 * ESLint cannot see file by file. Importers counted: src (.ts, .tsx, .astro), astro.config.mjs,
 * scripts/, tools/ and tests/ (vitest's test files and setup are entries through knip's
 * vitest plugin; the Astro plugin makes src/pages and src/content.config.ts entries).
 * A type or interface used in its own module's signatures may stay exported.
 */
import type { KnipConfig } from 'knip';

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---/;
const SCRIPT = /<script\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/script>/gi;
const SRC = /\bsrc\s*=\s*["']([^"']+)["']/;

/**
 * An .astro file's imports: its frontmatter, its <script> bodies, and its
 * `<script src="../client/x.ts">` tags (Astro bundles those too; knip's built-in Astro
 * compiler reads only script bodies, so it called src/client/table-sort.ts unused).
 */
function astro(text: string): string {
  const parts = [text.match(FRONTMATTER)?.[1] ?? ''];
  for (const [, attrs, body] of text.matchAll(SCRIPT)) {
    const src = attrs!.match(SRC)?.[1];
    if (src) parts.push(`import ${JSON.stringify(src)};`);
    else if (body) parts.push(body);
  }
  return parts.join('\n;\n');
}

export default {
  // tests/unit/hostile-child.ts is run as a child process by its test, not imported; src/build/steps/ are the build's step processes
  entry: ['scripts/*.ts', 'src/build/steps/*.ts', 'tests/site/global-setup.ts', 'tests/unit/hostile-child.ts', 'tests/fixtures/**/*.ts', 'content/**/*.mdx'],
  project: ['src/**/*.{ts,tsx,astro}', 'content/**/*.mdx', 'scripts/**/*.ts', 'tools/**/*.ts', 'tests/**/*.ts'],
  include: ['files', 'exports', 'types', 'nsExports', 'nsTypes', 'duplicates'],
  ignoreExportsUsedInFile: { interface: true, type: true },
  compilers: { astro },
} satisfies KnipConfig;
