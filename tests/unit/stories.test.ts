/** Hostile stories each fail with the expected Chinese message; good ones pass. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStory } from '../../src/lib/stories.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HOSTILE = path.join(ROOT, 'tests/fixtures/stories-hostile');
const GOOD = path.join(ROOT, 'tests/fixtures/stories-small');
const registry = { villages: new Set(['533323101001', '533323101002', '520525101001', '520525101002']), units: new Set(['91533300MA6K0001XA', '91520500MA6K0002XC']), imageExists: () => false };
const check = (dir: string, name: string) => checkStory(name, readFileSync(path.join(dir, name), 'utf8'), registry);

const EXPECTED: Array<[string, string, RegExp, number | null, string | null]> = [
  ['import-node-module.mdx', 'MDX_ESM', /不允许 import \/ export/, 13, null],
  ['export-statement.mdx', 'MDX_ESM', /不允许 import \/ export/, 13, null],
  ['expression.mdx', 'MDX_EXPRESSION', /不允许 \{ \} 表达式.*process\.exit/, 13, null],
  ['script-tag.mdx', 'MDX_COMPONENT', /不允许使用 <script>/, 15, null],
  ['iframe.mdx', 'MDX_COMPONENT', /不允许使用 <iframe>/, 13, null],
  ['event-attribute.mdx', 'MDX_EVENT_HANDLER', /不允许事件属性 onClick/, 13, null],
  ['javascript-link.mdx', 'UNSAFE_URL', /不允许 javascript: 链接/, 13, null],
  ['attribute-expression.mdx', 'MDX_EXPRESSION', /属性 village 不能用 \{…\} 表达式/, 13, null],
  ['missing-field.mdx', 'FIELD_MISSING', /摘要（summary）：缺少此项/, null, 'summary'],
  ['unknown-village.mdx', 'UNKNOWN_VILLAGE', /村代码 533323999999 不在村名录/, null, 'villages.0'],
  ['unknown-measure.mdx', 'FIELD_INVALID', /“扶志”不是五大举措之一/, null, 'measures'],
  ['cover-without-alt.mdx', 'FIELD_MISSING', /封面图必须有 alt/, null, 'cover.alt'],
];

describe('safe MDX for case stories', () => {
  it('every hostile fixture is covered by a case below', () => {
    expect(readdirSync(HOSTILE).filter((f) => f.endsWith('.mdx')).sort()).toEqual(EXPECTED.map((e) => e[0]).sort());
  });
  for (const [file, code, message, line, field] of EXPECTED) {
    it(`${file} → ${code}`, () => {
      const { issues } = check(HOSTILE, file);
      const hit = issues.find((i) => i.code === code);
      expect(hit, JSON.stringify(issues)).toBeDefined();
      expect(hit!.message).toMatch(message);
      expect(hit!.file).toBe(file);
      expect(hit!.line).toBe(line);
      expect(hit!.field).toBe(field);
    });
  }
  it('the good fixtures pass', () => {
    for (const f of readdirSync(GOOD)) expect(check(GOOD, f).issues).toEqual([]);
  });
  it('a story whose braces break MDX gets a syntax message, not a crash', () => {
    const { issues } = checkStory('x.mdx', '---\ntitle: 标题标题\n---\n\n{ 未闭合\n', registry);
    expect(issues.map((i) => i.code)).toEqual(['MDX_SYNTAX']);
  });
});

describe('the build refuses hostile stories', () => {
  it('fails with one Chinese report naming every bad file', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-hostile-'));
    try {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts')], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: path.join(ROOT, 'tests/fixtures/site-small'), STORIES_DIR: HOSTILE, BULLETINS_DIR: path.join(ROOT, 'tests/fixtures/bulletins-small'), ASTRO_OUT_DIR: path.join(work, 'dist'), ASTRO_CACHE_DIR: path.join(work, 'cache'), ASTRO_TELEMETRY_DISABLED: '1' },
        encoding: 'utf8',
      });
      const out = r.stdout + r.stderr;
      expect(r.status).not.toBe(0);
      expect(out).toContain('校验未通过');
      for (const [file] of EXPECTED) expect(out).toContain(`stories-hostile/${file}`);
      expect(existsSync(path.join(work, 'dist', 'index.html'))).toBe(false);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('npm run new:story', () => {
  it('scaffolds a story that passes the checks and builds without edits', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-newstory-'));
    try {
      const dir = path.join(work, 'stories');
      const env = { ...process.env, DATA_DIR: path.join(ROOT, 'tests/fixtures/site-small'), BULLETINS_DIR: path.join(ROOT, 'tests/fixtures/bulletins-small'), ASTRO_TELEMETRY_DISABLED: '1' };
      const made = spawnSync(process.execPath, [path.join(ROOT, 'scripts/new-story.ts'), '--village', '533323101002', '--title', '白河村的新故事', '--date', '2020-10-01', '--dir', dir], { cwd: ROOT, env, encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      const file = readdirSync(dir)[0]!;
      expect(file).toBe('2020-10-01-533323101002.mdx');
      expect(checkStory(file, readFileSync(path.join(dir, file), 'utf8'), registry).issues).toEqual([]);
      const built = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts')], {
        cwd: ROOT,
        env: { ...env, STORIES_DIR: dir, ASTRO_OUT_DIR: path.join(work, 'dist'), ASTRO_CACHE_DIR: path.join(work, 'cache') },
        encoding: 'utf8',
      });
      expect(built.status, built.stdout + built.stderr).toBe(0);
      expect(readFileSync(path.join(work, 'dist/stories/2020-10-01-533323101002/index.html'), 'utf8')).toContain('白河村的新故事');
      const unknown = spawnSync(process.execPath, [path.join(ROOT, 'scripts/new-story.ts'), '--village', '533323999999', '--title', '不存在的村', '--dir', dir], { cwd: ROOT, env, encoding: 'utf8' });
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain('不在村名录中');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
