/**
 * Case stories (典型案例) are MDX that editors send as pull requests. Before Astro
 * compiles anything, every story is checked here: its front matter against the schema
 * and the registry, its body against the safe-MDX rules (Markdown plus a few project
 * components with literal attributes; no import/export, no {expressions}, no <script>,
 * <iframe>, event handlers or javascript: links). All problems at once, in Chinese,
 * naming the file, the field or line.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import { frontmatter } from 'micromark-extension-frontmatter';
import { mdxjs } from 'micromark-extension-mdxjs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { MEASURES, type MeasureId } from './columns.ts';

export interface StoryIssue {
  file: string;
  /** front-matter field, or null for the body */
  field: string | null;
  line: number | null;
  code: StoryIssueCode;
  message: string;
}

export type StoryIssueCode =
  | 'FRONTMATTER_MISSING'
  | 'FRONTMATTER_YAML'
  | 'FIELD_MISSING'
  | 'FIELD_INVALID'
  | 'UNKNOWN_FIELD'
  | 'UNKNOWN_VILLAGE'
  | 'UNKNOWN_UNIT'
  | 'MDX_SYNTAX'
  | 'MDX_ESM'
  | 'MDX_EXPRESSION'
  | 'MDX_COMPONENT'
  | 'MDX_ATTRIBUTE'
  | 'MDX_EVENT_HANDLER'
  | 'UNSAFE_URL'
  | 'IMAGE_MISSING';

/** Components editors may use without importing them; attributes must be plain strings. */
export const STORY_COMPONENTS: Readonly<Record<string, { attributes: ReadonlyArray<string>; required: ReadonlyArray<string> }>> = {
  Figure: { attributes: ['src', 'alt', 'caption'], required: ['src', 'alt'] },
  PullQuote: { attributes: ['cite'], required: [] },
  LiveFigure: { attributes: ['village', 'metric', 'month'], required: ['village', 'metric', 'month'] },
};

/** Figures a story may quote live from the data (<LiveFigure metric="…">). */
export const LIVE_FIGURE_METRICS = ['fundsPlan', 'fundsDone', 'materialsPlan', 'materialsDone', 'salesPlan', 'salesDone', 'jobsPlan', 'jobsDone', 'trainingPlan', 'trainingDone', 'stationedCount'] as const;

const MEASURE_NAMES = new Map<string, MeasureId>(MEASURES.flatMap((m) => [[m.id, m.id] as [string, MeasureId], [m.name, m.id] as [string, MeasureId]]));

/** Measures may be written as ids (industry) or names (产业扶贫). */
export function measureIdOf(value: unknown): MeasureId | null {
  return typeof value === 'string' ? (MEASURE_NAMES.get(value.trim()) ?? null) : null;
}

const FIELD_LABELS: Record<string, string> = {
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

/** The front matter as editors write it; the Astro collection schema mirrors it with reference() and image(). */
export const storyFrontmatterSchema = z
  .object({
    title: z.string({ error: '必填，写案例标题' }).trim().min(4, '标题太短（至少 4 个字）').max(60, '标题太长（最多 60 个字）'),
    date: z.union([z.string(), z.date()], { error: '必填，写发布日期，如 2020-09-15' }).transform((v, ctx) => {
      const s = v instanceof Date ? v.toISOString().slice(0, 10) : v.trim();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s))) {
        ctx.addIssue({ code: 'custom', message: `“${s}”不是日期，应写作 2020-09-15` });
        return z.NEVER;
      }
      return s;
    }),
    summary: z.string({ error: '必填，用一两句话概括案例' }).trim().min(10, '摘要太短（至少 10 个字）').max(200, '摘要太长（最多 200 个字）'),
    villages: z.array(z.string().regex(/^\d{12}$/, '村代码应为 12 位数字'), { error: '必填，列出案例涉及的村代码' }).min(1, '至少写一个村代码'),
    units: z.array(z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, '单位代码应为 18 位统一社会信用代码'), { error: '应为单位代码列表' }).default([]),
    measures: z
      .array(z.string(), { error: '必填，列出案例涉及的举措' })
      .min(1, '至少写一项举措')
      .transform((list, ctx) =>
        list.map((m) => {
          const id = measureIdOf(m);
          if (!id) ctx.addIssue({ code: 'custom', message: `“${m}”不是五大举措之一（可写：${MEASURES.map((x) => `${x.name}/${x.id}`).join('、')}）` });
          return id ?? 'industry';
        }),
      ),
    cover: z
      .object(
        {
          src: z.string({ error: '封面图需要 src（图片路径，如 ./images/xxx.jpg）' }).min(1),
          alt: z.string({ error: '封面图必须有 alt（替代文字），说明图中是什么' }).trim().min(4, '替代文字太短（至少 4 个字）'),
        },
        { error: '封面图应写 src 和 alt 两项' },
      )
      .strict()
      .optional(),
    author: z.string({ error: '必填，写作者姓名或单位' }).trim().min(1),
    editor: z.string().trim().min(1).optional(),
    source: z.string({ error: '必填，写信息来源（如“福贡县扶贫办”）' }).trim().min(2),
    synthetic: z.boolean({ error: '应为 true 或 false' }).default(false),
  })
  .strict();

export type StoryFrontmatter = z.output<typeof storyFrontmatterSchema>;

export interface StoryRegistry {
  villages: ReadonlySet<string>;
  units: ReadonlySet<string>;
  /** images that exist, as paths relative to the story file's folder */
  imageExists?: (relativePath: string) => boolean;
}

interface MdastNode {
  type: string;
  name?: string | null;
  value?: string;
  url?: string;
  attributes?: Array<{ type: string; name?: string; value?: unknown }>;
  children?: MdastNode[];
  position?: { start: { line: number } };
}

const UNSAFE_URL = /^\s*(javascript|vbscript|data):/i;

type AddIssue = (code: StoryIssueCode, message: string, field?: string | null, line?: number | null) => void;

/**
 * Check one MDX document: front matter against `schema` (messages name the field by
 * `labels`), then `extra` checks on the parsed front matter, then the safe-MDX body rules.
 */
export function checkMdxDocument<S extends z.ZodType>(
  file: string,
  source: string,
  registry: StoryRegistry,
  schema: S,
  labels: Record<string, string>,
  extra: (fm: z.output<S>, add: AddIssue) => void = () => {},
): { issues: StoryIssue[]; frontmatter: z.output<S> | null } {
  const issues: StoryIssue[] = [];
  const add = (code: StoryIssueCode, message: string, field: string | null = null, line: number | null = null) => issues.push({ file, field, line, code, message });

  // --- parse ---
  let tree: MdastNode;
  try {
    tree = fromMarkdown(source, {
      extensions: [frontmatter(['yaml']), mdxjs()],
      mdastExtensions: [frontmatterFromMarkdown(['yaml']), mdxFromMarkdown()],
    }) as unknown as MdastNode;
  } catch (e) {
    const err = e as { line?: number; reason?: string; message: string };
    add('MDX_SYNTAX', `MDX 语法错误：${err.reason ?? err.message}（常见原因：正文中的 { } 或 < > 要写成 \\{ \\} 或 &lt; &gt;）`, null, err.line ?? null);
    return { issues, frontmatter: null };
  }

  // --- front matter ---
  const yamlNode = tree.children?.[0]?.type === 'yaml' ? tree.children[0] : null;
  let fm: z.output<S> | null = null;
  if (!yamlNode) {
    add('FRONTMATTER_MISSING', '文件开头缺少以 --- 包围的案例信息（front matter），可用 npm run new:story 生成模板');
  } else {
    let raw: unknown;
    try {
      raw = parseYaml(yamlNode.value ?? '');
    } catch (e) {
      add('FRONTMATTER_YAML', `案例信息（front matter）格式错误：${(e as Error).message.split('\n')[0]}`, null, 1);
    }
    if (raw !== undefined) {
      const parsed = schema.safeParse(raw ?? {});
      if (parsed.success) fm = parsed.data;
      else {
        for (const issue of parsed.error.issues) {
          const key = String(issue.path[0] ?? '');
          if (issue.code === 'unrecognized_keys') {
            for (const k of issue.keys) add('UNKNOWN_FIELD', `不认识的字段“${k}”（可用字段：${Object.keys(labels).join('、')}）`, issue.path.length ? `${issue.path.join('.')}.${k}` : k);
            continue;
          }
          let at: unknown = raw;
          for (const k of issue.path) at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined;
          const missing = issue.code === 'invalid_type' && at === undefined;
          const sub = issue.path[1];
          const where = typeof sub === 'number' ? `${labels[key] ?? key} 第 ${sub + 1} 项` : sub !== undefined ? `${labels[key] ?? key} 的 ${String(sub)}` : (labels[key] ?? key);
          add(missing ? 'FIELD_MISSING' : 'FIELD_INVALID', `${where}：${missing ? '缺少此项，' : ''}${issue.message}`, issue.path.join('.') || null);
        }
      }
      if (fm) extra(fm, add);
    }
  }

  // --- body: safe MDX only ---
  const walk = (node: MdastNode) => {
    const line = node.position?.start.line ?? null;
    switch (node.type) {
      case 'mdxjsEsm':
        add('MDX_ESM', '不允许 import / export：案例中可直接使用 <Figure>、<PullQuote>、<LiveFigure>，无需导入', null, line);
        break;
      case 'mdxFlowExpression':
      case 'mdxTextExpression':
        add('MDX_EXPRESSION', `不允许 { } 表达式（会在构建时运行代码）：“{${(node.value ?? '').slice(0, 40)}}”；如需显示花括号，请写成 \\{ \\}`, null, line);
        break;
      case 'mdxJsxFlowElement':
      case 'mdxJsxTextElement': {
        const name = node.name ?? '';
        const spec = STORY_COMPONENTS[name];
        if (!spec) {
          const lower = name.toLowerCase();
          const why = lower === 'script' ? '<script> 会在读者浏览器中运行代码' : lower === 'iframe' ? '<iframe> 会嵌入其他网站的内容' : '只能使用 Markdown 和项目提供的组件';
          add('MDX_COMPONENT', `不允许使用 <${name || '（空）'}>：${why}（可用组件：${Object.keys(STORY_COMPONENTS).join('、')}）`, null, line);
        }
        const seen = new Set<string>();
        for (const attr of node.attributes ?? []) {
          if (attr.type === 'mdxJsxExpressionAttribute') {
            add('MDX_EXPRESSION', `<${name}> 中不允许 {...} 展开属性`, null, line);
            continue;
          }
          const attrName = attr.name ?? '';
          if (/^on/i.test(attrName)) {
            add('MDX_EVENT_HANDLER', `<${name}> 中不允许事件属性 ${attrName}（会运行代码）`, null, line);
            continue;
          }
          if (attr.value !== null && typeof attr.value === 'object') {
            add('MDX_EXPRESSION', `<${name}> 的属性 ${attrName} 不能用 {…} 表达式，请写成带引号的文字，如 ${attrName}="…"`, null, line);
            continue;
          }
          if (typeof attr.value === 'string' && UNSAFE_URL.test(attr.value)) add('UNSAFE_URL', `<${name}> 的属性 ${attrName} 含有不安全的链接（javascript:/data:）`, null, line);
          if (spec && !spec.attributes.includes(attrName)) add('MDX_ATTRIBUTE', `<${name}> 没有属性 ${attrName}（可用：${spec.attributes.join('、')}）`, null, line);
          seen.add(attrName);
        }
        if (spec) for (const r of spec.required) if (!seen.has(r)) add('MDX_ATTRIBUTE', `<${name}> 缺少必需的属性 ${r}`, null, line);
        const value = (attr: string) => {
          const a = (node.attributes ?? []).find((x) => x.name === attr);
          return typeof a?.value === 'string' ? a.value : null;
        };
        if (name === 'LiveFigure') {
          const village = value('village');
          const metric = value('metric');
          const month = value('month');
          if (village !== null && !registry.villages.has(village)) add('UNKNOWN_VILLAGE', `<LiveFigure> 的村代码 ${village} 不在村名录中`, null, line);
          if (metric !== null && !(LIVE_FIGURE_METRICS as readonly string[]).includes(metric)) add('MDX_ATTRIBUTE', `<LiveFigure> 的 metric “${metric}”不可用（可用：${LIVE_FIGURE_METRICS.join('、')}）`, null, line);
          if (month !== null && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) add('MDX_ATTRIBUTE', `<LiveFigure> 的 month “${month}”应写作 2020-07`, null, line);
        }
        if (name === 'Figure') {
          const src = value('src');
          if (src !== null && registry.imageExists && !UNSAFE_URL.test(src) && !registry.imageExists(src)) add('IMAGE_MISSING', `<Figure> 找不到图片文件 ${src}`, null, line);
        }
        break;
      }
      case 'link':
      case 'image':
      case 'definition':
        if (node.url && UNSAFE_URL.test(node.url)) add('UNSAFE_URL', `不允许 ${node.url.split(':')[0]}: 链接（会运行代码或嵌入未知内容）`, null, line);
        break;
      case 'html':
        add('MDX_COMPONENT', '不允许直接写 HTML', null, line);
        break;
    }
    for (const child of node.children ?? []) walk(child);
  };
  walk(tree);
  return { issues, frontmatter: fm };
}

export function checkStory(file: string, source: string, registry: StoryRegistry): { issues: StoryIssue[]; frontmatter: StoryFrontmatter | null } {
  return checkMdxDocument(file, source, registry, storyFrontmatterSchema, FIELD_LABELS, (fm, add) => {
    fm.villages.forEach((code, i) => {
      if (!registry.villages.has(code)) add('UNKNOWN_VILLAGE', `帮扶村（villages）第 ${i + 1} 项：村代码 ${code} 不在村名录（registry/villages.csv）中`, `villages.${i}`);
    });
    fm.units.forEach((code, i) => {
      if (!registry.units.has(code)) add('UNKNOWN_UNIT', `帮扶单位（units）第 ${i + 1} 项：单位代码 ${code} 不在单位名录（registry/units.csv）中`, `units.${i}`);
    });
    if (fm.cover && registry.imageExists && !registry.imageExists(fm.cover.src)) add('IMAGE_MISSING', `封面图（cover.src）：找不到图片文件 ${fm.cover.src}`, 'cover.src');
  });
}

/** Editorial text of a monthly bulletin: content/bulletins/YYYY-MM.mdx. */
export const bulletinFrontmatterSchema = z
  .object({
    title: z.string({ error: '必填，写通报标题' }).trim().min(4, '标题太短（至少 4 个字）').max(60, '标题太长（最多 60 个字）'),
    summary: z.string({ error: '必填，用一两句话概括本月情况' }).trim().min(10, '摘要太短（至少 10 个字）').max(300, '摘要太长（最多 300 个字）'),
    date: z
      .union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '发布日期应写作 2020-10-05'), z.date()])
      .transform((d) => (typeof d === 'string' ? d : d.toISOString().slice(0, 10)))
      .optional(),
    author: z.string().trim().min(1).optional(),
  })
  .strict();
export type BulletinFrontmatter = z.output<typeof bulletinFrontmatterSchema>;

const BULLETIN_LABELS: Record<string, string> = { title: '标题（title）', summary: '摘要（summary）', date: '发布日期（date）', author: '作者（author）' };

export function checkBulletinText(file: string, source: string, registry: StoryRegistry, months: ReadonlyArray<string>): { issues: StoryIssue[]; frontmatter: BulletinFrontmatter | null } {
  const result = checkMdxDocument(file, source, registry, bulletinFrontmatterSchema, BULLETIN_LABELS);
  const month = /(\d{4}-\d{2})\.mdx$/.exec(file)?.[1];
  if (!month) result.issues.push({ file, field: null, line: null, code: 'FIELD_INVALID', message: '通报文件名应为月份，如 content/bulletins/2020-09.mdx' });
  else if (!months.includes(month)) result.issues.push({ file, field: null, line: null, code: 'FIELD_INVALID', message: `数据中没有 ${month} 这个月份，通报文字无处可挂（已有月份：${months.join('、')}）` });
  return result;
}

export function storyReport(issues: StoryIssue[]): string {
  const lines = issues.map((i) => `  ${i.file}${i.line ? ` 第 ${i.line} 行` : ''}${i.field ? ` 字段 ${i.field}` : ''}：${i.message}  [${i.code}]`);
  return `内容（典型案例、通报文字）校验未通过（${issues.length} 个问题），网站未构建：\n${lines.join('\n')}\n请按提示修改后重新运行 npm run dev 或 npm run build；案例写法见 docs/editor-guide.md。`;
}
