/**
 * Editors' documents — case stories (典型案例) and the editorial text of monthly bulletins —
 * are MDX sent as pull requests. Each is checked before anything is compiled, and every
 * problem is reported at once, in Chinese, naming the file and the field or line:
 *
 * - the file itself: size, line ends, front matter split exactly as Astro's MDX compiler
 *   splits it (the same function), YAML read strictly (no tags, no silent date roll-over);
 * - the front matter against the document's schema (one schema per document type, also used
 *   by src/content.config.ts), the registry and the images folder;
 * - the body: parsed by the compiler's own parser with the compiler's features and walked by
 *   the allowlist of src/lib/content/story-mdx.ts — the walk that also guards the compiler itself.
 */
import { parseFrontmatter } from '@astrojs/internal-helpers/frontmatter';
import { mdxToMdast } from 'satteri';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { MEASURES, type MeasureId } from '../metric-catalogue.ts';
import { USCC_PATTERN, isCalendarDate } from '../patterns.ts';
import { checkStoryTree, imageProblem, MAX_BODY_CHARS, MDX_FEATURES, plainTree, type SafetyCode, type TreeNode } from './story-mdx.ts';
import { zodIssueText } from '../zod-messages.ts';

export interface StoryIssue {
  file: string;
  /** front-matter field, or null for the body */
  field: string | null;
  line: number | null;
  code: StoryIssueCode;
  message: string;
}

export type StoryIssueCode =
  | SafetyCode
  | 'FILE_TOO_LARGE'
  | 'FILE_PLACE'
  | 'LINE_ENDINGS'
  | 'FRONTMATTER_MISSING'
  | 'FRONTMATTER_YAML'
  | 'FIELD_MISSING'
  | 'FIELD_INVALID'
  | 'UNKNOWN_FIELD'
  | 'UNKNOWN_VILLAGE'
  | 'UNKNOWN_UNIT'
  | 'PLACEHOLDER'
  | 'MDX_SYNTAX';

/** Largest file read at all (bytes of UTF-8 ≈ 3 per character): refused before parsing. */
const MAX_FILE_BYTES = 200_000;

/** Text `npm run new:story` leaves for the editor to replace (its hints and its example heading included). */
const PLACEHOLDER_TEXT = /请填写|请改写|这里写正文|这里写引语|某某|可以用 Markdown：|可以引用村民的话：|也可以引用网站上的数据|^## 小标题$/m;

const MEASURE_NAMES = new Map<string, MeasureId>(MEASURES.flatMap((m) => [[m.id, m.id] as [string, MeasureId], [m.name, m.id] as [string, MeasureId]]));

/** Measures may be written as ids (industry) or names (产业扶贫). */
export function measureIdOf(value: unknown): MeasureId | null {
  return typeof value === 'string' ? (MEASURE_NAMES.get(value.trim()) ?? null) : null;
}

const text = (label: string, min: number, max: number, required = true) => {
  const s = z.string({ error: (iss) => (iss.input === undefined ? (required ? `必填，写${label}` : undefined) : `${label}应为文字`) }).trim();
  return s.min(min, `${label}太短（至少 ${min} 个字）`).max(max, `${label}太长（最多 ${max} 个字）`);
};

/** A date as YAML gives it: a string (strict check) or, from Astro's reader, a Date. */
const isoDate = (example: string) =>
  z.union([z.string(), z.date()], { error: `必填，写日期，如 ${example}` }).transform((v, ctx) => {
    const s = v instanceof Date ? v.toISOString().slice(0, 10) : v.trim();
    if (!isCalendarDate(s)) {
      ctx.addIssue({ code: 'custom', message: `“${s}”不是存在的日期，应写作 ${example}` });
      return z.NEVER;
    }
    return s;
  });

/**
 * The story front matter. `image` is the content layer's image() helper; the check passes
 * none (the cover path is then checked as a file in the images folder).
 */
export function storySchema<I extends z.ZodType = z.ZodString>(image?: () => I) {
  const src = (image ? image() : z.string({ error: '封面图需要 src（图片路径，如 ./images/xxx.jpg）' }).min(1)) as I;
  return z
    .object({
      title: text('标题', 4, 60),
      date: isoDate('2020-09-15'),
      summary: text('摘要', 10, 200),
      villages: z
        .array(z.string().regex(/^\d{12}$/, '村代码应为 12 位数字'), { error: '必填，列出案例涉及的村代码，如 [\'520627001200\']' })
        .min(1, '至少写一个村代码')
        .max(20, '最多写 20 个村'),
      units: z.array(z.string().regex(USCC_PATTERN, '单位代码应为 18 位统一社会信用代码'), { error: '应为单位代码列表' }).max(20, '最多写 20 个单位').default([]),
      measures: z
        .array(z.string(), { error: '必填，列出案例涉及的举措，如 [产业扶贫]' })
        .min(1, '至少写一项举措')
        .max(5, '最多写五项举措')
        .transform((list, ctx) =>
          list.map((m) => {
            const id = measureIdOf(m);
            if (!id) ctx.addIssue({ code: 'custom', message: `“${m}”不是五大举措之一（可写：${MEASURES.map((x) => x.name).join('、')}）` });
            return id ?? 'industry';
          }),
        ),
      cover: z
        .object(
          {
            src,
            alt: z.string({ error: '封面图必须有 alt（替代文字），说明图中是什么' }).trim().min(4, '替代文字太短（至少 4 个字）').max(120, '替代文字太长（最多 120 个字）'),
          },
          { error: '封面图应写 src 和 alt 两项' },
        )
        .strict()
        .optional(),
      author: text('作者姓名或单位', 1, 40),
      editor: text('编辑', 1, 40, false).optional(),
      source: text('信息来源（如“福贡县扶贫办”）', 2, 80),
      synthetic: z.boolean({ error: '应为 true 或 false' }).default(false),
    })
    .strict();
}
export type StoryFrontmatter = z.output<ReturnType<typeof storySchema>>;

const STORY_LABELS: Record<string, string> = {
  title: '标题（title）',
  date: '发布日期（date）',
  summary: '摘要（summary）',
  villages: '帮扶村（villages）',
  units: '帮扶单位（units）',
  measures: '举措（measures）',
  cover: '封面图（cover）',
  author: '作者（author）',
  editor: '编辑（editor）',
  source: '来源（source）',
  synthetic: '示例标记（synthetic）',
};

/** Editorial text of a monthly bulletin: content/bulletins/YYYY-MM.mdx. */
export function bulletinSchema() {
  return z
    .object({
      title: text('通报标题', 4, 60),
      summary: text('本月情况概括', 10, 300),
      date: isoDate('2020-10-05').optional(),
      author: text('作者', 1, 40, false).optional(),
    })
    .strict();
}
export type BulletinFrontmatter = z.output<ReturnType<typeof bulletinSchema>>;
const BULLETIN_LABELS: Record<string, string> = { title: '标题（title）', summary: '摘要（summary）', date: '发布日期（date）', author: '作者（author）' };

export interface StoryRegistry {
  villages: ReadonlySet<string>;
  units: ReadonlySet<string>;
}

type AddIssue = (code: StoryIssueCode, message: string, field?: string | null, line?: number | null) => void;

/** The body exactly as Astro's MDX compiler receives it (front matter blanked, lines kept). */
export interface SplitDocument {
  frontmatterText: string | null;
  body: string;
}

/** Chinese for the parser's most common complaints; the parser's own words follow in brackets. */
function mdxSyntaxMessage(reason: string): string {
  const hints: Array<[RegExp, string]> = [
    [/closing tag/i, '标签没有闭合（<PullQuote> 要有 </PullQuote>，<Figure … /> 要以 /> 结尾）'],
    [/expected a valid JSX tag|Unexpected character after `<`/i, '出现了单独的 <：要显示小于号请写 &lt;；链接请写成 [文字](网址)'],
    [/expression|`\{`|`\}`/i, '花括号 { } 没有成对或无法识别：要显示花括号请写 \\{ \\}'],
    [/import|export/i, '不允许 import / export'],
  ];
  const hint = hints.find(([re]) => re.test(reason))?.[1] ?? '常见原因：正文中的 { } 或 < > 要写成 \\{ \\} 或 &lt; &gt;';
  return `MDX 语法错误：${hint}（解析器原文：${reason.replace(/^\d+:\d+(-\d+:\d+)?:\s*/, '').slice(0, 160)}）`;
}

/** The compiler's tree of a body; throws what the parser throws. */
export function compilerTree(body: string): TreeNode {
  return plainTree(mdxToMdast(body, { features: MDX_FEATURES }) as unknown as Record<string, unknown>);
}

/**
 * Check one MDX document: file, front matter against `schema` (messages name the field by
 * `labels`), then `extra` checks on the parsed front matter, then the safe-MDX body rules.
 * `file` is the path shown to editors; `absolutePath` locates the images folder.
 */
function checkMdxDocument<S extends z.ZodType>(
  file: string,
  absolutePath: string,
  source: string,
  registry: StoryRegistry,
  schema: S,
  labels: Record<string, string>,
  extra: (fm: z.output<S>, add: AddIssue) => void = () => {},
): { issues: StoryIssue[]; frontmatter: z.output<S> | null } {
  const issues: StoryIssue[] = [];
  const add: AddIssue = (code, message, field = null, line = null) => issues.push({ file, field, line, code, message });

  // --- the file ---
  if (Buffer.byteLength(source, 'utf8') > MAX_FILE_BYTES) {
    add('FILE_TOO_LARGE', `文件太大（${Math.round(Buffer.byteLength(source, 'utf8') / 1000)} KB，最多 ${MAX_FILE_BYTES / 1000} KB）：正文最多约 ${MAX_BODY_CHARS} 个字，图片请放在 images 文件夹中`);
    return { issues, frontmatter: null };
  }
  const bareCr = /\r(?!\n)/.exec(source);
  if (bareCr) {
    add('LINE_ENDINGS', '文件使用了旧式苹果电脑的换行符（单独的 CR）：请用编辑器另存为 UTF-8、换行符 LF（或 CRLF）', null, source.slice(0, bareCr.index).split('\n').length);
    return { issues, frontmatter: null };
  }
  if (source.includes('\u0000')) {
    add('FILE_PLACE', '文件中有空字符（\\0），不是文本文件');
    return { issues, frontmatter: null };
  }

  // --- front matter, split as the compiler splits it ---
  let split: SplitDocument;
  try {
    const parsed = parseFrontmatter(source, { frontmatter: 'empty-with-spaces' });
    split = { frontmatterText: parsed.rawFrontmatter === '' ? null : parsed.rawFrontmatter, body: parsed.content };
  } catch (e) {
    const err = e as { mark?: { line?: number }; reason?: string; message: string };
    add('FRONTMATTER_YAML', `案例信息（front matter）格式错误：${yamlReason(err.reason ?? err.message)}`, null, err.mark?.line !== undefined ? err.mark.line + 1 : 1);
    return { issues, frontmatter: null };
  }
  let fm: z.output<S> | null = null;
  if (/^\uFEFF?\s*\+\+\+/.test(source)) {
    add('FRONTMATTER_YAML', '案例信息请用 --- 包围的 YAML 写法（不支持 +++ 的 TOML 写法）', null, 1);
  } else if (split.frontmatterText === null) {
    const unclosed = /^\uFEFF?\s*---/.test(source);
    add('FRONTMATTER_MISSING', unclosed ? '文件开头的案例信息没有以单独一行 --- 结束' : '文件开头缺少以 --- 包围的案例信息（front matter），可用 npm run new:story 生成模板', null, 1);
  } else {
    // Strict YAML: the core schema keeps dates as text (checked above, no roll-over), and a tag or a duplicate key is an error.
    const doc = parseDocument(split.frontmatterText, { schema: 'core', uniqueKeys: true, prettyErrors: false, customTags: [] });
    const yamlProblems = [...doc.errors, ...doc.warnings];
    // The problem's line in the file: the front matter text starts right after the opening ---
    // (its first line is the rest of that line), so its line k is the file's line k.
    const text = split.frontmatterText;
    const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
    for (const p of yamlProblems) add('FRONTMATTER_YAML', `案例信息（front matter）格式错误：${yamlReason(p.message)}`, null, p.linePos?.[0]?.line ?? lineOf(p.pos[0]));
    if (yamlProblems.length === 0) {
      const raw = doc.toJS({ maxAliasCount: 0 }) as unknown;
      const parsed = schema.safeParse(raw ?? {});
      if (parsed.success) fm = parsed.data;
      else {
        for (const issue of parsed.error.issues) {
          if (issue.code === 'unrecognized_keys') {
            for (const k of issue.keys) add('UNKNOWN_FIELD', `不认识的字段“${k}”（可用字段：${Object.keys(labels).join('、')}）`, issue.path.length ? `${issue.path.join('.')}.${k}` : k);
            continue;
          }
          const { message, missing } = zodIssueText(issue, raw, labels);
          add(missing ? 'FIELD_MISSING' : 'FIELD_INVALID', message, issue.path.join('.') || null);
        }
      }
      for (const [key, value] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
        const found = JSON.stringify(value ?? '').match(PLACEHOLDER_TEXT);
        if (found) add('PLACEHOLDER', `${labels[key] ?? key} 还是模板里的占位文字（“${found[0]}”）：请改写成真实内容`, key);
      }
      if (fm) extra(fm, add);
    }
  }

  // --- body: the compiler's tree, safe MDX only ---
  const bodyChars = Array.from(split.body.trim()).length;
  if (bodyChars > MAX_BODY_CHARS) add('BODY_TOO_LONG', `正文太长（${bodyChars} 个字，最多 ${MAX_BODY_CHARS} 个字）：请精简或分成两篇`);
  let tree: TreeNode;
  try {
    tree = compilerTree(split.body);
  } catch (e) {
    const err = e as { message: string };
    const line = /^(\d+):\d+/.exec(err.message)?.[1];
    add('MDX_SYNTAX', mdxSyntaxMessage(err.message), null, line ? Number(line) : null);
    return { issues, frontmatter: fm };
  }
  for (const i of checkStoryTree(tree, { docFile: absolutePath, villageExists: (code) => registry.villages.has(code) })) add(i.code, i.message, null, i.line);
  split.body.split('\n').forEach((text, i) => {
    const found = PLACEHOLDER_TEXT.exec(text);
    if (found) add('PLACEHOLDER', `正文还是模板里的占位文字（“${found[0]}”）：请改写成真实内容`, null, i + 1);
  });
  return { issues, frontmatter: fm };
}

/** The YAML reader's complaint, with the common cases said in Chinese. */
function yamlReason(reason: string): string {
  if (/tag/i.test(reason)) return `不允许 YAML 标签（如 !!js/function）：字段值只能是文字、数字、日期或列表（${reason.split('\n')[0]!.slice(0, 120)}）`;
  if (/duplicate|unique/i.test(reason)) return `同一个字段写了两次（${reason.split('\n')[0]!.slice(0, 120)}）`;
  if (/alias/i.test(reason)) return '不允许 YAML 别名（*name）';
  return `${reason.split('\n')[0]!.slice(0, 160)}（常见原因：冒号后少了空格，或文字中有引号没有成对）`;
}

export function checkStory(file: string, absolutePath: string, source: string, registry: StoryRegistry): { issues: StoryIssue[]; frontmatter: StoryFrontmatter | null } {
  return checkMdxDocument(file, absolutePath, source, registry, storySchema(), STORY_LABELS, (fm, add) => {
    fm.villages.forEach((code, i) => {
      if (!registry.villages.has(code)) add('UNKNOWN_VILLAGE', `帮扶村（villages）第 ${i + 1} 项：村代码 ${code} 不在村名录（registry/villages.csv）中`, `villages.${i}`);
    });
    fm.units.forEach((code, i) => {
      if (!registry.units.has(code)) add('UNKNOWN_UNIT', `帮扶单位（units）第 ${i + 1} 项：单位代码 ${code} 不在单位名录（registry/units.csv）中`, `units.${i}`);
    });
    if (fm.cover) {
      const problem = imageProblem(String(fm.cover.src), absolutePath);
      if (problem) add('IMAGE_INVALID', `封面图（cover.src）：${problem}`, 'cover.src');
    }
  });
}

export function checkBulletinText(file: string, absolutePath: string, source: string, registry: StoryRegistry, months: ReadonlyArray<string>): { issues: StoryIssue[]; frontmatter: BulletinFrontmatter | null } {
  const result = checkMdxDocument(file, absolutePath, source, registry, bulletinSchema(), BULLETIN_LABELS);
  const month = /(\d{4}-\d{2})\.mdx$/.exec(file)?.[1];
  if (!month) result.issues.push({ file, field: null, line: null, code: 'FIELD_INVALID', message: '通报文件名应为月份，如 content/bulletins/2020-09.mdx' });
  else if (!months.includes(month)) result.issues.push({ file, field: null, line: null, code: 'FIELD_INVALID', message: `数据中没有 ${month} 这个月份，通报文字无处可挂（已有月份：${months.join('、')}）` });
  return result;
}

/**
 * Where editors' files may be: directly in the folder (images in `images/`). Returns the
 * issues for files elsewhere, and the .mdx files to check.
 */
export function editorFiles(relativePaths: ReadonlyArray<string>, shown: (rel: string) => string): { documents: string[]; issues: StoryIssue[] } {
  const documents: string[] = [];
  const issues: StoryIssue[] = [];
  for (const rel of [...relativePaths].sort()) {
    const parts = rel.split(/[\\/]/);
    const name = parts.at(-1)!;
    if (parts[0] === 'images' || name.startsWith('.')) continue;
    const isDocument = /\.mdx?$/i.test(name);
    if (!isDocument) continue;
    if (parts.length > 1) issues.push({ file: shown(rel), field: null, line: null, code: 'FILE_PLACE', message: `文件应直接放在 ${shown('').replace(/\/$/, '')}/ 中，不能放在子文件夹 ${parts.slice(0, -1).join('/')}/ 里` });
    else if (!name.endsWith('.mdx')) issues.push({ file: shown(rel), field: null, line: null, code: 'FILE_PLACE', message: '文件应以 .mdx 结尾（小写）' });
    else documents.push(rel);
  }
  return { documents, issues };
}

/** The Chinese report: for a build that stops, a check, or the preview that keeps running. */
export function storyReport(issues: ReadonlyArray<StoryIssue>, mode: 'build' | 'check' | 'dev' = 'build'): string {
  const lines = issues.map((i) => `  ${i.file}${i.line ? ` 第 ${i.line} 行` : ''}${i.field ? ` 字段 ${i.field}` : ''}：${i.message}  [${i.code}]`);
  const consequence = { build: '网站未构建', check: '请修改', dev: '这些文件暂不显示' }[mode];
  const next = mode === 'dev' ? '改好并保存后刷新页面' : '请按提示修改后重新运行 npm run content:check 或 npm run build';
  return `内容（典型案例、通报文字）校验未通过（${issues.length} 个问题），${consequence}：\n${lines.join('\n')}\n${next}；案例写法见 docs/editor-guide.md。`;
}
