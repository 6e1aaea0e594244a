/**
 * The story check walks the tree the MDX compiler compiles. Each input is compiled by the
 * site's own MDX processor (the Sätteri processor with the options astro.config.mjs gives
 * it, driven the way @astrojs/mdx drives it); the guard inside it hands over the tree it
 * walks, which must equal the tree the check parsed. Hostile bodies never compile.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseFrontmatter } from '@astrojs/internal-helpers/frontmatter';
import { satteri } from '@astrojs/markdown-satteri';
import { afterAll, describe, expect, it } from 'vitest';
import { compilerTree } from '../../src/lib/content/stories.ts';
import { MDX_FEATURES, observeGuard, STORY_MDX_PROCESSOR, type TreeNode } from '../../src/lib/content/story-mdx.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HOSTILE = path.join(ROOT, 'tests/fixtures/stories-hostile');

/** Bodies chosen where Markdown parsers disagree: GFM tables, code spans, entities, line ends, autolinks, comments. */
const TRICKY = [
  '| a | b |\n| --- | --- |\n| `x \\| y` | z |\n',
  '| `code | split` | <b>x</b> |\n| --- | --- |\n',
  'Text `x | <b data-x={1}>` y\n',
  '`` `{not}` `` and `{also not}`\n',
  '&lt;script&gt; &amp; &#123;x&#125; &#x7B;\n',
  'line one\r\nline two\r\n\r\n- item\r\n- item\r\n',
  'www.example.org and https://example.org/path_(x)\n',
  '[link](https://example.org "title") ![alt](./images/ok.png)\n',
  '[ref]\n\n[ref]: https://example.org\n',
  '~~struck~~ **bold** _em_ footnote[^1]\n\n[^1]: note\n',
  '- [ ] task\n- [x] done\n',
  '> quote\n> <PullQuote cite="某人">内文 **粗体**</PullQuote>\n',
  '<Figure src="./images/ok.png" alt="图" caption="说明" />\n',
  '正文 <LiveFigure village="533323101001" metric="fundsDone" month="2020-07" /> 完\n',
  '"quotes" -- dashes... \'single\'\n',
  '\\{escaped\\} \\<tag\\>\n',
  '    indented code {x}\n',
  '```\nfenced <b>{x}</b>\n```\n',
  '# 标题 {#id}\n\n## 小标题\n',
  '1. one\n2. two\n   - nested\n',
];

const HOSTILE_BODIES = readdirSync(HOSTILE)
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => ({ file: f, source: readFileSync(path.join(HOSTILE, f), 'utf8') }));

/** The site's MDX renderer, created as @astrojs/mdx creates it from astro.config.mjs. */
async function siteMdxRenderer() {
  const processor = satteri(STORY_MDX_PROCESSOR);
  return processor.createMdxRenderer!(
    { syntaxHighlight: false, gfm: MDX_FEATURES.gfm, smartypants: MDX_FEATURES.smartPunctuation },
    { optimize: false, srcDir: new URL(`file://${ROOT}/src/`), sourcemap: false },
  ) as Promise<{ process(content: string, filePath: string, frontmatter: Record<string, unknown>): Promise<{ code: string }> }>;
}

const seen: Array<{ file: string; tree: TreeNode }> = [];
observeGuard((file, tree) => seen.push({ file, tree }));
afterAll(() => observeGuard(null));

describe('the check walks the tree the compiler compiles', () => {
  it('for every tricky body, the guard inside the compiler saw exactly the tree the check parsed', async () => {
    const renderer = await siteMdxRenderer();
    for (const body of TRICKY) {
      seen.length = 0;
      const file = path.join(HOSTILE, 'parity.mdx');
      let compiled = true;
      try {
        await renderer.process(body, file, {});
      } catch {
        compiled = false; // refused by the guard (the tree was handed over first), or a syntax error
      }
      let checked: TreeNode | null = null;
      try {
        checked = compilerTree(body);
      } catch {
        // the check's syntax error is the compiler's: nothing reached the guard, nothing compiled
        expect(compiled, JSON.stringify(body)).toBe(false);
        expect(seen, JSON.stringify(body)).toHaveLength(0);
        continue;
      }
      expect(seen, JSON.stringify(body)).toHaveLength(1);
      expect(seen[0]!.tree, JSON.stringify(body)).toEqual(checked);
      if (!compiled) expect(body).toMatch(/<b|\{x\}|images\/ok\.png/);
    }
  });

  it('for every hostile story, the same tree, and the compiler refuses it with a Chinese report', async () => {
    const renderer = await siteMdxRenderer();
    for (const { file, source } of HOSTILE_BODIES) {
      let body: string;
      try {
        body = parseFrontmatter(source, { frontmatter: 'empty-with-spaces' }).content;
      } catch {
        continue; // front matter Astro cannot read (a YAML tag): the check refuses it before the compiler is reached
      }
      let parsedByCheck: TreeNode | null = null;
      try {
        parsedByCheck = compilerTree(body);
      } catch {
        // a syntax error for the check is a syntax error for the compiler
      }
      seen.length = 0;
      let error: Error | null = null;
      try {
        await renderer.process(body, path.join(HOSTILE, file), {});
      } catch (e) {
        error = e as Error;
      }
      if (parsedByCheck === null) {
        expect(error, file).not.toBeNull();
        expect(seen, file).toHaveLength(0);
        continue;
      }
      expect(seen[0]?.tree, file).toEqual(parsedByCheck);
      const bodyHostile = !['missing-field.mdx', 'unknown-village.mdx', 'unknown-measure.mdx', 'cover-without-alt.mdx', 'cover-outside.mdx', 'yaml-js-tag.mdx', 'impossible-date.mdx', 'title-too-long.mdx', 'placeholder.mdx', 'bare-cr.mdx', 'layout-import.mdx'].includes(file);
      if (bodyHostile) {
        expect(error, `${file} compiled`).not.toBeNull();
        expect(error!.message).toMatch(/不能编译/);
        expect(error!.message).toContain(file);
      }
    }
  });

  it('a layout in the front matter (which the compiler would import) is refused inside the compiler too', async () => {
    const renderer = await siteMdxRenderer();
    await expect(renderer.process('正文。\n', path.join(HOSTILE, 'layout-import.mdx'), { layout: './helper.mjs' })).rejects.toThrow(/不允许 layout 字段/);
  });

  it('a safe story compiles, with its images as assets', async () => {
    const renderer = await siteMdxRenderer();
    const result = await renderer.process('正文 ![教室](./images/ok.png)\n\n<PullQuote cite="村民">好</PullQuote>\n', path.join(HOSTILE, 'safe.mdx'), {});
    expect(result.code).toContain('./images/ok.png');
    expect(result.code).not.toMatch(/helper\.mjs|etc\/passwd/);
  });
});
