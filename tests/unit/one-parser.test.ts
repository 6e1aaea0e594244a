/**
 * One parser: the story check (src/lib/content/stories.ts) and the MDX compiler (@astrojs/mdx
 * with @astrojs/markdown-satteri, and Astro's own Markdown) must load the very same installed
 * copy of satteri, and the same frontmatter helper. Two copies of a parser are how a story once
 * got past the check and ran code in the build. package.json's `overrides` keeps one copy; this
 * fails when an upgrade brings a second.
 */
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The real folder of the package at the end of `chain`, each found the way Node finds it from
 * the folder of the one before (the first from the project): ['@astrojs/mdx',
 * '@astrojs/markdown-satteri', 'satteri'] is the satteri that @astrojs/mdx's processor loads.
 */
function installed(chain: readonly string[]): string {
  let from = ROOT;
  for (const name of chain) {
    const paths = createRequire(path.join(from, 'package.json')).resolve.paths(name) ?? [];
    const found = paths.map((p) => path.join(p, name)).find((p) => existsSync(path.join(p, 'package.json')));
    if (!found) throw new Error(`${chain.join(' → ')}: ${name} is not installed`);
    from = realpathSync(found);
  }
  return from;
}

describe('one installed copy of each parser', () => {
  it('satteri: the story check and the MDX compiler (as @astrojs/mdx and astro load it) are one copy', () => {
    const copies = new Set([
      installed(['satteri']), // src/lib/content/stories.ts
      installed(['@astrojs/markdown-satteri', 'satteri']), // astro.config.mjs's processor
      installed(['@astrojs/mdx', '@astrojs/markdown-satteri', 'satteri']),
      installed(['astro', '@astrojs/markdown-satteri', 'satteri']),
    ]);
    expect([...copies]).toHaveLength(1);
  });

  it('the frontmatter helper the story check imports is the one @astrojs/mdx and astro use', () => {
    const copies = new Set([installed(['@astrojs/internal-helpers']), installed(['@astrojs/mdx', '@astrojs/internal-helpers']), installed(['astro', '@astrojs/internal-helpers'])]);
    expect([...copies]).toHaveLength(1);
  });
});
