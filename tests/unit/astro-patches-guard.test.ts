/**
 * The guard of src/build/patches/: each run-time patch relies on the shape of an Astro internal,
 * pinned here as it is in the installed Astro. When Astro changes that code this test fails:
 * then read the patch's header, check whether the upstream change it links has made it
 * unnecessary (remove it), or adapt it and pin the new shape.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ASTRO_PAGE_COPIES } from '../../src/build/patches/astro-writes.ts';

const astro = path.dirname(createRequire(import.meta.url).resolve('astro/package.json'));
const source = (file: string) => readFileSync(path.join(astro, 'dist', file), 'utf8');
/** A method's or function's text, from its head to the first line that closes it at its own indent. */
function block(text: string, head: string): string {
  const start = text.indexOf(head);
  expect(start, `${head} not found`).toBeGreaterThanOrEqual(0);
  const indent = /[\t ]*$/.exec(text.slice(0, start))![0];
  const end = text.indexOf(`\n${indent}}`, start);
  return text.slice(start, end + indent.length + 2);
}

describe('astro-writes.ts: Astro writes each page through node:fs promises, in core/build/generate.js', () => {
  const generate = source('core/build/generate.js');

  it('through the node:fs module object (whose `promises` the patch wraps)', () => {
    expect(generate).toMatch(/^import nodeFs from "node:fs";$/m);
  });

  it('the page\'s folder with mkdir({ recursive: true }) alone, then its bytes with writeFile(file, body) and no options', () => {
    expect(generate).toContain('\tawait nodeFs.promises.mkdir(result.outFolder, { recursive: true });\n\tawait nodeFs.promises.writeFile(result.outFile, result.body);\n');
  });

  it('and then the copy for the incremental cache through IncrementalBuildCache.writeOutputFile', () => {
    expect(generate).toContain('await cache.writeOutputFile(options.settings, relativeOutFile, result.body);');
  });
});

describe('astro-writes.ts: the incremental cache keeps its page copies as core/build/incremental.js does', () => {
  const incremental = source('core/build/incremental.js');

  it('under <cacheDir>/dist/ (the folder the incremental test finds empty)', () => {
    expect(incremental).toContain(`const INCREMENTAL_OUTPUT_DIR = "${ASTRO_PAGE_COPIES}/";`);
  });

  it('written by writeOutputFile alone (the method the patch replaces), exactly as pinned', () => {
    expect(block(incremental, 'async writeOutputFile(settings, outputFile, body) {')).toBe(
      ['async writeOutputFile(settings, outputFile, body) {', '\t\tconst cachedOutputFile = getCachedOutputFile(settings, outputFile);', '\t\tawait this.#ensureDir(new URL("./", cachedOutputFile));', '\t\tawait fs.promises.writeFile(cachedOutputFile, body);', '\t}'].join('\n'),
    );
  });

  it('and read back only by restoreOutputFile, which answers false for a copy that is not there (the page is then rendered)', () => {
    expect(block(incremental, 'async restoreOutputFile(settings, outputFile, destination) {')).toContain('if (!fs.existsSync(cachedOutputFile)) return false;');
    expect(incremental.match(/getCachedOutputFile\(/g)).toHaveLength(4); // its definition, write, restore, delete
  });

  it('with the method on the class\'s prototype, where the patch replaces it', async () => {
    const { IncrementalBuildCache } = (await import(pathToFileURL(path.join(astro, 'dist/core/build/incremental.js')).href)) as { IncrementalBuildCache: { prototype: Record<string, unknown> } };
    expect(typeof IncrementalBuildCache.prototype.writeOutputFile).toBe('function');
  });
});
