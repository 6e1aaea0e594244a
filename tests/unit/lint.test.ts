/**
 * The lint rules catch what they are for: a Node builtin in browser code (directly, and
 * through a src/lib module it imports), an Astro import in the domain, an unused import.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { browserReachProblems } from '../../scripts/lint-browser-reach.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });
const lint = async (file: string, code: string) => (await eslint.lintText(code, { filePath: path.join(ROOT, file) }))[0]!.messages.map((m) => m.ruleId);

describe('ESLint: imports per file', () => {
  it('browser code may not import a Node builtin, written either way', async () => {
    expect(await lint('src/client/x.ts', "import { readFileSync } from 'node:fs';\nreadFileSync('a');\n")).toEqual(['no-restricted-imports']);
    expect(await lint('src/client/compare/x.tsx', "import path from 'path';\npath.join('a');\n")).toEqual(['no-restricted-imports']);
    expect(await lint('src/client/x.ts', "import { join } from 'path/posix';\njoin('a');\n")).toEqual(['no-restricted-imports']);
    // a src/lib module is fine (what it reaches is the browser reach check's job); a builtin outside src/client is fine
    expect(await lint('src/client/x.ts', "import { formatMonth } from '../lib/render/format.ts';\nformatMonth('2020-07');\n")).toEqual([]);
    expect(await lint('src/lib/x.ts', "import { readFileSync } from 'node:fs';\nreadFileSync('a');\n")).toEqual([]);
  });

  it('the domain (src/lib) does not import Astro', async () => {
    expect(await lint('src/lib/model/x.ts', "import { getCollection } from 'astro:content';\ngetCollection('stories');\n")).toEqual(['no-restricted-imports']);
    expect(await lint('src/pages/x.ts', "import { getCollection } from 'astro:content';\ngetCollection('stories');\n")).toEqual([]);
  });

  it('an unused import or variable is an error', async () => {
    expect(await lint('src/lib/x.ts', "import { formatMonth, formatDate } from './render/format.ts';\nformatMonth('2020-07');\n")).toEqual(['@typescript-eslint/no-unused-vars']);
  });
});

describe('browser reach: what src/client loads, through every import', () => {
  const dir = path.join(ROOT, 'tmp/lint-test-client');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a src/lib module that imports node:crypto, reached from browser code, is named with its chain', async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'nested'), { recursive: true });
    writeFileSync(path.join(dir, 'clean.ts'), "import { formatMonth } from '../../src/lib/render/format.ts';\nconsole.log(formatMonth('2020-07'));\n");
    expect(await browserReachProblems(ROOT, dir)).toEqual([]);
    // page-keys.ts hashes with node:crypto; browser code reaching it through another module is caught
    writeFileSync(path.join(dir, 'nested/keys.ts'), "export { stableDigest } from '../../../src/lib/publish/page-keys.ts';\n");
    writeFileSync(path.join(dir, 'uses.ts'), "import { stableDigest } from './nested/keys.ts';\nconsole.log(stableDigest(1));\n");
    const problems = await browserReachProblems(ROOT, dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('src/lib/publish/page-keys.ts：导入了 Node 内置模块“node:crypto”');
    expect(problems[0]).toMatch(/tmp\/lint-test-client\/(uses|nested\/keys)\.ts → .*src\/lib\/publish\/page-keys\.ts$/);
  });

  it('the site’s own browser code reaches no Node builtin', async () => {
    expect(await browserReachProblems(ROOT)).toEqual([]);
  });
});
