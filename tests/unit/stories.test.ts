/** Hostile stories each fail with the expected Chinese message; good ones pass. */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStory, editorFiles } from '../../src/lib/content/stories.ts';
import { imageProblem } from '../../src/lib/content/story-mdx.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const HOSTILE = path.join(ROOT, 'tests/fixtures/stories-hostile');
const GOOD = path.join(ROOT, 'tests/fixtures/stories-small');
const registry = { villages: new Set(['533323101001', '533323101002', '520525101001', '520525101002']), units: new Set(['91533300MA6K0001XA', '91520500MA6K0002XC']) };
const check = (dir: string, name: string) => checkStory(name, path.join(dir, name), readFileSync(path.join(dir, name), 'utf8'), registry);

/** file → [code, message, line, field]: every hostile story and the first reason it is refused. */
const EXPECTED: Array<[string, string, RegExp, number | null, string | null]> = [
  ['import-node-module.mdx', 'MDX_ESM', /不允许 import \/ export/, 13, null],
  ['export-statement.mdx', 'MDX_ESM', /不允许 import \/ export/, 13, null],
  ['expression.mdx', 'MDX_EXPRESSION', /不允许 \{ \} 表达式.*process\.exit/, 13, null],
  ['expression-writes-file.mdx', 'MDX_EXPRESSION', /不允许 \{ \} 表达式/, 13, null],
  ['mdx-comment-expression.mdx', 'MDX_EXPRESSION', /不允许 \{ \} 表达式/, 13, null],
  ['script-tag.mdx', 'MDX_COMPONENT', /不允许使用 <script>/, 15, null],
  ['iframe.mdx', 'MDX_COMPONENT', /不允许使用 <iframe>/, 13, null],
  ['meta-refresh.mdx', 'MDX_COMPONENT', /不允许使用 <meta>/, 13, null],
  ['form.mdx', 'MDX_COMPONENT', /不允许使用 <form>/, 13, null],
  ['gfm-table-code-span.mdx', 'MDX_EXPRESSION', /<b> 的属性 data-x 不能用 \{…\} 表达式/, 15, null],
  ['event-attribute.mdx', 'MDX_EVENT_HANDLER', /不允许事件属性 onClick/, 13, null],
  ['javascript-link.mdx', 'UNSAFE_URL', /不允许的链接“javascript:alert\(1\)”/, 13, null],
  ['entity-javascript-link.mdx', 'UNSAFE_URL', /不允许的链接“javascript:alert\(1\)”/, 13, null],
  ['autolink.mdx', 'MDX_SYNTAX', /MDX 语法错误：出现了单独的 </, 13, null],
  ['attribute-expression.mdx', 'MDX_EXPRESSION', /属性 village 不能用 \{…\} 表达式/, 13, null],
  ['duplicate-attributes.mdx', 'MDX_ATTRIBUTE', /属性 village 写了两次/, 13, null],
  ['markdown-image-module.mdx', 'IMAGE_INVALID', /“\.\/helper\.mjs”不在 images 文件夹中/, 13, null],
  ['markdown-image-outside.mdx', 'IMAGE_INVALID', /“\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd”不在 images 文件夹中/, 13, null],
  ['markdown-image-remote.mdx', 'IMAGE_INVALID', /是网址：图片必须放在案例旁的 images 文件夹中/, 13, null],
  ['markdown-image-no-alt.mdx', 'ALT_MISSING', /缺少替代文字/, 13, null],
  ['image-not-an-image.mdx', 'IMAGE_INVALID', /内容不是 JPG 图片/, 13, null],
  ['image-reference.mdx', 'MDX_NODE', /不允许的写法（imageReference）/, 13, null],
  ['nesting-too-deep.mdx', 'MDX_NODE', /嵌套层数太多/, 13, null],
  ['cover-outside.mdx', 'IMAGE_INVALID', /封面图（cover\.src）：图片“\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd”不在 images 文件夹中/, null, 'cover.src'],
  ['layout-import.mdx', 'UNKNOWN_FIELD', /不认识的字段“layout”/, null, 'layout'],
  ['yaml-js-tag.mdx', 'FRONTMATTER_YAML', /不允许 YAML 标签/, 2, null],
  ['impossible-date.mdx', 'FIELD_INVALID', /“2020-02-30”不是存在的日期/, null, 'date'],
  ['bare-cr.mdx', 'LINE_ENDINGS', /单独的 CR/, 1, null],
  ['placeholder.mdx', 'PLACEHOLDER', /作者（author） 还是模板里的占位文字/, null, 'author'],
  ['title-too-long.mdx', 'FIELD_INVALID', /标题太长（最多 60 个字）/, null, 'title'],
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
      // Chinese for the editor: no English-only message, no stack trace.
      for (const i of issues) {
        expect(i.message).toMatch(/[\u4e00-\u9fff]/);
        expect(i.message).not.toMatch(/\n\s+at /);
      }
    });
  }
  it('the good fixtures pass', () => {
    for (const f of readdirSync(GOOD).filter((f) => f.endsWith('.mdx'))) expect(check(GOOD, f).issues).toEqual([]);
  });
  it('a story whose braces break MDX gets a syntax message with its line, not a crash', () => {
    const { issues } = checkStory('x.mdx', path.join(GOOD, 'x.mdx'), '---\ntitle: 标题标题\n---\n\n{ 未闭合\n', registry);
    expect(issues.map((i) => i.code)).toContain('MDX_SYNTAX');
    expect(issues.find((i) => i.code === 'MDX_SYNTAX')!.line).toBe(5);
  });
  it('images: only image files by content in the images folder, any case of extension', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-images-'));
    try {
      mkdirSync(path.join(work, 'images'));
      copyFileSync(path.join(HOSTILE, 'images/ok.png'), path.join(work, 'images/IMG_2041.PNG'));
      writeFileSync(path.join(work, 'images/renamed.png'), 'GIF89a not a png');
      symlinkSync('/etc/hostname', path.join(work, 'images/link.png'));
      const doc = path.join(work, 'story.mdx');
      expect(imageProblem('./images/IMG_2041.PNG', doc)).toBeNull();
      expect(imageProblem('images/IMG_2041.PNG', doc)).toBeNull();
      expect(imageProblem('./images/renamed.png', doc)).toMatch(/内容不是 PNG 图片/);
      expect(imageProblem('./images/link.png', doc)).toMatch(/不是普通文件/);
      expect(imageProblem('./images/missing.jpg', doc)).toMatch(/找不到图片文件/);
      expect(imageProblem('./images/../story.mdx', doc)).toMatch(/不在 images 文件夹中/);
      expect(imageProblem('./images/%2e%2e/x.png', doc)).toMatch(/不在 images 文件夹中/);
      expect(imageProblem('/etc/passwd', doc)).toMatch(/不在 images 文件夹中/);
      expect(imageProblem('data:image/png;base64,AAAA', doc)).toMatch(/是网址/);
      expect(imageProblem('./images/x.svg', doc)).toMatch(/不是图片文件/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
  it('stories live directly in the folder: subfolders and .md files are refused, images/ is left alone', () => {
    const { documents, issues } = editorFiles(['a.mdx', 'sub/b.mdx', 'c.md', 'images/x.png', 'images/y.mdx', '.DS_Store', 'notes.txt'], (rel) => `content/stories/${rel}`);
    expect(documents).toEqual(['a.mdx']);
    expect(issues.map((i) => [i.file, i.code])).toEqual([
      ['content/stories/c.md', 'FILE_PLACE'],
      ['content/stories/sub/b.mdx', 'FILE_PLACE'],
    ]);
    expect(issues[1]!.message).toMatch(/不能放在子文件夹 sub\/ 里/);
  });
  it('huge or deeply nested input is refused quickly, without a crash', () => {
    const head = readFileSync(path.join(GOOD, '2020-08-qingsong-walnut.mdx'), 'utf8').split('\n---\n')[0] + '\n---\n\n';
    expect(checkStory('x.mdx', path.join(GOOD, 'x.mdx'), head + '> '.repeat(20_000) + 'x\n', registry).issues.map((i) => i.code)).toEqual(['BODY_TOO_LONG', 'MDX_NODE']);
    expect(checkStory('x.mdx', path.join(GOOD, 'x.mdx'), head + '正文'.repeat(200_000), registry).issues.map((i) => i.code)).toEqual(['FILE_TOO_LARGE']);
  });
});

describe('the build refuses hostile stories', () => {
  it('fails with one Chinese report naming every bad file', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-hostile-'));
    const marker = path.join(work, 'code-ran');
    try {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts')], {
        cwd: ROOT,
        env: { ...process.env, HOSTILE_MARKER: marker, DATA_DIR: path.join(ROOT, 'tests/fixtures/site-small'), STORIES_DIR: HOSTILE, BULLETINS_DIR: path.join(ROOT, 'tests/fixtures/bulletins-small'), ASTRO_OUT_DIR: path.join(work, 'dist'), ASTRO_CACHE_DIR: path.join(work, 'cache'), ASTRO_TELEMETRY_DISABLED: '1' },
        encoding: 'utf8',
      });
      const out = r.stdout + r.stderr;
      expect(r.status).not.toBe(0);
      expect(out).toContain('校验未通过');
      for (const [file] of EXPECTED) expect(out).toContain(`stories-hostile/${file}`);
      expect(existsSync(path.join(work, 'dist', 'index.html'))).toBe(false);
      // No story's code ran, no file outside the repo was read into the output.
      expect(existsSync(marker)).toBe(false);
      expect(out).not.toMatch(/root:.*:0:0:/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('npm run new:story', () => {
  it('scaffolds a story whose placeholders the check names; filled in, it passes and builds', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-newstory-'));
    try {
      const dir = path.join(work, 'stories');
      const env = { ...process.env, DATA_DIR: path.join(ROOT, 'tests/fixtures/site-small'), BULLETINS_DIR: path.join(ROOT, 'tests/fixtures/bulletins-small'), ASTRO_TELEMETRY_DISABLED: '1' };
      const made = spawnSync(process.execPath, [path.join(ROOT, 'scripts/new-story.ts'), '--village', '533323101002', '--title', '白河村的新故事', '--measure', '就业扶贫', '--date', '2020-10-01', '--dir', dir], { cwd: ROOT, env, encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      const file = readdirSync(dir)[0]!;
      expect(file).toBe('2020-10-01-533323101002.mdx');
      const fileAt = path.join(dir, file);
      const scaffold = readFileSync(fileAt, 'utf8');
      expect(scaffold).toContain('measures: [就业扶贫]');
      const left = checkStory(file, fileAt, scaffold, registry).issues;
      expect(left.length).toBeGreaterThan(0);
      expect(left.every((i) => i.code === 'PLACEHOLDER'), JSON.stringify(left)).toBe(true);
      expect(left.map((i) => i.field ?? `line ${i.line}`)).toEqual(expect.arrayContaining(['summary', 'author']));
      // What an editor does next: replace every placeholder.
      const filled = scaffold
        .replace(/summary: .*/, 'summary: "白河村引进帮扶单位，村民在家门口就业，收入稳定增加。"')
        .replace(/author: .*/, 'author: 福贡县扶贫办 李某')
        .replace(/这里写正文。.*/, '白河村的村民在帮扶车间里上班。')
        .replace('## 小标题', '## 车间开工')
        .replace('可以引用村民的话：', '一位村民说：')
        .replace('村民 某某', '村民 王某')
        .replace('这里写引语。', '在家门口就能上班。')
        .replace('也可以引用网站上的数据（会自动显示该月的数字）：', '帮扶资金陆续到位：');
      writeFileSync(fileAt, filled);
      expect(checkStory(file, fileAt, filled, registry).issues).toEqual([]);
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

describe('npm run content:check (the pull-request check)', () => {
  it('talks to GitHub: an annotation on each story line and a Chinese job summary; exit 1', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-contentcheck-'));
    try {
      const summary = path.join(work, 'summary.md');
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/content-check.ts')], {
        cwd: ROOT,
        env: { ...process.env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, DATA_DIR: path.join(ROOT, 'tests/fixtures/site-small'), STORIES_DIR: HOSTILE, BULLETINS_DIR: path.join(ROOT, 'tests/fixtures/bulletins-small') },
        encoding: 'utf8',
      });
      expect(r.status).toBe(1);
      const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::error '));
      expect(annotations.length).toBeGreaterThanOrEqual(EXPECTED.length);
      expect(annotations).toContain('::error file=tests/fixtures/stories-hostile/expression.mdx,line=13,title=案例校验::不允许 { } 表达式（会在构建时运行代码）：“{process.exit(1)}”；如需显示花括号，请写成 \\{ \\} [MDX_EXPRESSION]');
      expect(annotations.some((l) => l.startsWith('::error file=tests/fixtures/stories-hostile/impossible-date.mdx,title=案例校验 · date::'))).toBe(true);
      // Newlines and percent signs cannot break out of an annotation.
      expect(annotations.every((l) => !l.slice(8).includes('\n'))).toBe(true);
      const md = readFileSync(summary, 'utf8');
      expect(md).toMatch(/^## 案例和通报文字校验：\*\*未通过\*\*/);
      expect(md).toContain('### `tests/fixtures/stories-hostile/bare-cr.mdx`');
      expect(md).toContain('| 第 15 行 | 不允许使用 <script>');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('passes on good stories: exit 0, a one-line summary', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/content-check.ts')], {
      cwd: ROOT,
      env: { ...process.env, GITHUB_ACTIONS: '', DATA_DIR: path.join(ROOT, 'tests/fixtures/site-small'), STORIES_DIR: GOOD, BULLETINS_DIR: path.join(ROOT, 'tests/fixtures/bulletins-small') },
      encoding: 'utf8',
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/案例和通报文字校验通过（\d+ 个文件）/);
  });
});
