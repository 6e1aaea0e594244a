/**
 * Safe MDX for editors' documents (case stories, bulletin texts): the allowlist that the
 * MDX compiler's own tree must pass.
 *
 * The same walk runs twice, on the same tree: in `npm run build`/`dev` before anything is
 * compiled (src/lib/content/stories.ts parses with Sätteri, the parser Astro's MDX integration uses,
 * with the features below) and inside the compiler itself, as the first mdast plugin of
 * Astro's MDX pipeline (astro.config.mjs), which refuses to compile a tree that fails. So no
 * parser difference between check and compiler can exist: the guard walks the very tree
 * that is turned into code.
 *
 * Allowlist, not blocklist: only the node types below, and only the three story components,
 * each attribute at most once with a string value of its type. Images are data, never
 * modules: a Markdown image, a <Figure> or a cover must name an image file (by content) in
 * the document's own `images/` folder.
 */
import { closeSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIVE_FIGURE_METRIC_IDS } from '../metric-catalogue.ts';
import { MONTH_PATTERN } from '../patterns.ts';

/**
 * Markdown features of the MDX compiler. astro.config.mjs passes these to the processor and
 * sets markdown.gfm / markdown.smartypants from them; the check parses with the same.
 */
export const MDX_FEATURES = { gfm: true, smartPunctuation: true, frontmatter: true } as const;

export type SafetyCode = 'MDX_ESM' | 'MDX_EXPRESSION' | 'MDX_COMPONENT' | 'MDX_ATTRIBUTE' | 'MDX_EVENT_HANDLER' | 'MDX_NODE' | 'UNSAFE_URL' | 'IMAGE_INVALID' | 'ALT_MISSING' | 'BODY_TOO_LONG';

export interface SafetyIssue {
  code: SafetyCode;
  message: string;
  line: number | null;
}

/** A tree node as the check reads it: only the fields of the mdast/MDX specs. */
export interface TreeNode {
  type: string;
  value?: string;
  name?: string | null;
  url?: string;
  alt?: string | null;
  title?: string | null;
  attributes?: TreeAttribute[];
  children?: TreeNode[];
  position?: { start: { line: number } };
  [key: string]: unknown;
}
interface TreeAttribute {
  type: string;
  name?: string;
  value?: unknown;
}

/** Node types a story may contain; anything else (ESM, expressions, raw HTML, math, directives…) is refused. */
const ALLOWED_NODES = new Set([
  'root',
  'yaml',
  'paragraph',
  'heading',
  'thematicBreak',
  'blockquote',
  'list',
  'listItem',
  'text',
  'emphasis',
  'strong',
  'delete',
  'inlineCode',
  'code',
  'break',
  'link',
  'linkReference',
  'definition',
  'image',
  'table',
  'tableRow',
  'tableCell',
  'footnoteDefinition',
  'footnoteReference',
  'mdxJsxFlowElement',
  'mdxJsxTextElement',
]);

type AttributeType = 'text' | 'image' | 'village' | 'metric' | 'month';
interface ComponentSpec {
  attributes: Readonly<Record<string, AttributeType>>;
  required: ReadonlyArray<string>;
  children: boolean;
}

/** The components editors may use without importing them. */
const STORY_COMPONENTS: Readonly<Record<string, ComponentSpec>> = {
  Figure: { attributes: { src: 'image', alt: 'text', caption: 'text' }, required: ['src', 'alt'], children: false },
  PullQuote: { attributes: { cite: 'text' }, required: [], children: true },
  LiveFigure: { attributes: { village: 'village', metric: 'metric', month: 'month' }, required: ['village', 'metric', 'month'], children: false },
};

/** Longest body (characters) and attribute value: enough for a long feature, small enough for Pagefind and the build. */
export const MAX_BODY_CHARS = 20_000;
const MAX_ATTRIBUTE_CHARS = 300;
/** Deepest nesting of blocks and components a story may have (a real story needs a handful). */
const MAX_DEPTH = 40;

/** Where link URLs may point: the web, mail, or this site. */
const SAFE_LINK = /^(https?:\/\/|mailto:|\/(?!\/)|#|\.{0,2}\/|[^:/?#]+(?:[/?#]|$))/i;
const IMAGE_TYPES: ReadonlyArray<{ ext: ReadonlyArray<string>; magic: (b: Buffer) => boolean }> = [
  { ext: ['.jpg', '.jpeg'], magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { ext: ['.png'], magic: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { ext: ['.webp'], magic: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { ext: ['.gif'], magic: (b) => /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1')) },
  { ext: ['.avif'], magic: (b) => b.subarray(4, 12).toString('latin1') === 'ftypavif' },
];
/** Extensions the image pipeline accepts, in either case (IMG_2041.JPG). */
const IMAGE_EXTENSIONS = IMAGE_TYPES.flatMap((t) => t.ext);

/** Folder of a document's images: `images/` beside it. */
const IMAGES_FOLDER = 'images';

/**
 * Why `src` (as written in the document at `docFile`) is not an image the document may use,
 * or null when it is one. Only `./images/…` (or `images/…`) paths, never leaving that folder,
 * never a link, an image file by its first bytes. Nothing outside the folder is read.
 */
export function imageProblem(src: string, docFile: string): string | null {
  const raw = src.trim();
  if (raw === '') return '图片路径为空';
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw) || raw.startsWith('//')) return `图片“${clip(raw)}”是网址：图片必须放在案例旁的 images 文件夹中（本站不从其他网站加载内容）`;
  let decoded: string;
  try {
    decoded = decodeURI(raw);
  } catch {
    return `图片路径“${clip(raw)}”含有无法识别的 % 编码`;
  }
  if (decoded.includes('\\') || decoded.includes('\0') || /[?#]/.test(decoded)) return `图片路径“${clip(raw)}”含有不允许的字符（\\ ? # 等）`;
  const rel = decoded.replace(/^\.\//, '');
  const parts = rel.split('/');
  if (parts[0] !== IMAGES_FOLDER || parts.length !== 2 || parts.some((p) => p === '' || p === '.' || p === '..')) return `图片“${clip(raw)}”不在 images 文件夹中：应写作 ./images/文件名.jpg（图片放在 ${shownFolder(docFile)} 里）`;
  const ext = path.extname(parts[1]!).toLowerCase();
  const type = IMAGE_TYPES.find((t) => t.ext.includes(ext));
  if (!type) return `“${clip(raw)}”不是图片文件：只能用 ${IMAGE_EXTENSIONS.join('、')}（大小写均可）`;
  const folder = path.join(path.dirname(docFile), IMAGES_FOLDER);
  const file = path.join(folder, parts[1]!);
  let stat;
  try {
    stat = lstatSync(file);
  } catch {
    return `找不到图片文件 ${clip(raw)}（应放在 ${shownFolder(docFile)} 里，文件名区分大小写）`;
  }
  if (!stat.isFile()) return `图片 ${clip(raw)} 不是普通文件（不能是链接或文件夹）`;
  try {
    if (path.dirname(realpathSync(file)) !== realpathSync(folder)) return `图片 ${clip(raw)} 不在 images 文件夹中`;
  } catch {
    return `找不到图片文件 ${clip(raw)}`;
  }
  const head = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (!type.magic(head)) return `文件 ${clip(raw)} 的内容不是 ${ext.slice(1).toUpperCase()} 图片（扩展名和内容不符）`;
  return null;
}

/** The images folder as the editor sees it (relative to the project folder). */
const shownFolder = (docFile: string) => `${path.relative(process.cwd(), path.join(path.dirname(docFile), IMAGES_FOLDER)).split(path.sep).join('/')}/`;

const clip = (s: string, n = 60) => {
  const chars = Array.from(s);
  return chars.length > n ? `${chars.slice(0, n).join('')}…` : s;
};

/** Checks each JSX attribute value by its declared type. Registry lookups come from the caller. */
export interface AttributeContext {
  docFile: string;
  villageExists?: (code: string) => boolean;
}

function attributeProblem(type: AttributeType, name: string, value: string, ctx: AttributeContext): string | null {
  if (Array.from(value).length > MAX_ATTRIBUTE_CHARS) return `属性 ${name} 太长（最多 ${MAX_ATTRIBUTE_CHARS} 个字）`;
  switch (type) {
    case 'text':
      return null;
    case 'image':
      return imageProblem(value, ctx.docFile);
    case 'village':
      if (!/^\d{12}$/.test(value)) return `属性 village “${clip(value)}”应为 12 位村代码`;
      return ctx.villageExists && !ctx.villageExists(value) ? `村代码 ${value} 不在村名录中` : null;
    case 'metric':
      return (LIVE_FIGURE_METRIC_IDS as readonly string[]).includes(value) ? null : `metric “${clip(value)}”不可用（可用：${LIVE_FIGURE_METRIC_IDS.join('、')}）`;
    case 'month':
      return MONTH_PATTERN.test(value) ? null : `month “${clip(value)}”应写作 2020-07`;
  }
}

/**
 * Walks a document's tree and returns every reason it may not be compiled. The tree is the
 * one the MDX compiler builds (see the module comment); `ctx` adds what only the site knows.
 */
export function checkStoryTree(tree: TreeNode, ctx: AttributeContext): SafetyIssue[] {
  const issues: SafetyIssue[] = [];
  const add = (code: SafetyCode, message: string, node: TreeNode) => issues.push({ code, message, line: node.position?.start.line ?? null });
  const walk = (node: TreeNode, depth: number) => {
    if (depth > MAX_DEPTH) {
      add('MDX_NODE', `嵌套层数太多（超过 ${MAX_DEPTH} 层的引用、列表或组件）：请改写得简单些`, node);
      return;
    }
    switch (node.type) {
      case 'mdxjsEsm':
        add('MDX_ESM', '不允许 import / export：案例中可直接使用 <Figure>、<PullQuote>、<LiveFigure>，无需导入', node);
        return;
      case 'mdxFlowExpression':
      case 'mdxTextExpression':
        add('MDX_EXPRESSION', `不允许 { } 表达式（会在构建时运行代码）：“{${clip(node.value ?? '', 40)}}”；如需显示花括号，请写成 \\{ \\}`, node);
        return;
      case 'html':
        add('MDX_COMPONENT', '不允许直接写 HTML', node);
        return;
      case 'mdxJsxFlowElement':
      case 'mdxJsxTextElement':
        checkElement(node);
        break;
      case 'image':
        if (!node.alt || node.alt.trim() === '') add('ALT_MISSING', `图片 ${clip(node.url ?? '')} 缺少替代文字：写成 ![图中是什么](${clip(node.url ?? '')})`, node);
        {
          const problem = imageProblem(node.url ?? '', ctx.docFile);
          if (problem) add('IMAGE_INVALID', problem, node);
        }
        break;
      case 'link':
      case 'definition': {
        const url = (node.url ?? '').replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
        if (!SAFE_LINK.test(url)) add('UNSAFE_URL', `不允许的链接“${clip(node.url ?? '')}”：只能链接 https://、http://、mailto: 或本站的页面`, node);
        break;
      }
      default:
        if (!ALLOWED_NODES.has(node.type)) {
          add('MDX_NODE', `不允许的写法（${node.type}）：案例只能用 Markdown 段落、标题、列表、表格、链接、图片和三个组件`, node);
          return;
        }
    }
    for (const child of node.children ?? []) walk(child, depth + 1);
  };
  const checkElement = (node: TreeNode) => {
    const name = node.name ?? '';
    const spec = Object.hasOwn(STORY_COMPONENTS, name) ? STORY_COMPONENTS[name] : undefined;
    if (!spec) {
      const lower = name.toLowerCase();
      const why = lower === 'script' ? '<script> 会在读者浏览器中运行代码' : lower === 'iframe' ? '<iframe> 会嵌入其他网站的内容' : '只能使用 Markdown 和项目提供的组件';
      add('MDX_COMPONENT', `不允许使用 <${name || '（空）'}>：${why}（可用组件：${Object.keys(STORY_COMPONENTS).join('、')}）`, node);
    }
    const seen = new Set<string>();
    for (const attr of node.attributes ?? []) {
      if (attr.type !== 'mdxJsxAttribute' || attr.name === undefined) {
        add('MDX_EXPRESSION', `<${name}> 中不允许 {...} 展开属性`, node);
        continue;
      }
      const attrName = attr.name ?? '';
      if (/^on/i.test(attrName)) {
        add('MDX_EVENT_HANDLER', `<${name}> 中不允许事件属性 ${attrName}（会运行代码）`, node);
        continue;
      }
      if (attr.value !== null && typeof attr.value === 'object') {
        seen.add(attrName);
        add('MDX_EXPRESSION', `<${name}> 的属性 ${attrName} 不能用 {…} 表达式，请写成带引号的文字，如 ${attrName}="…"`, node);
        continue;
      }
      if (seen.has(attrName)) {
        add('MDX_ATTRIBUTE', `<${name}> 的属性 ${attrName} 写了两次：每个属性只能写一次`, node);
        continue;
      }
      seen.add(attrName);
      if (!spec) continue;
      const type = Object.hasOwn(spec.attributes, attrName) ? spec.attributes[attrName] : undefined;
      if (!type) {
        add('MDX_ATTRIBUTE', `<${name}> 没有属性 ${attrName}（可用：${Object.keys(spec.attributes).join('、')}）`, node);
        continue;
      }
      if (typeof attr.value !== 'string') {
        add('MDX_ATTRIBUTE', `<${name}> 的属性 ${attrName} 要写成 ${attrName}="…"`, node);
        continue;
      }
      const problem = attributeProblem(type, attrName, attr.value, ctx);
      if (problem) add(type === 'image' ? 'IMAGE_INVALID' : 'MDX_ATTRIBUTE', `<${name}> ${problem}`, node);
      if (type === 'text' && attrName === 'alt' && attr.value.trim().length < 2) add('ALT_MISSING', `<${name}> 的替代文字 alt 太短：用一句话说明图中是什么`, node);
    }
    if (spec) {
      for (const r of spec.required) if (!seen.has(r)) add('MDX_ATTRIBUTE', `<${name}> 缺少必需的属性 ${r}`, node);
      if (!spec.children && (node.children?.length ?? 0) > 0) add('MDX_ATTRIBUTE', `<${name}> 不能包含内容：写成 <${name} … />`, node);
    }
  };
  walk(tree, 0);
  return issues;
}

const TREE_FIELDS = ['type', 'value', 'name', 'url', 'alt', 'title', 'depth', 'ordered', 'start', 'spread', 'checked', 'lang', 'meta', 'identifier', 'label', 'referenceType', 'align'] as const;

/**
 * The tree as plain data, with only the fields of the mdast/MDX specs (the compiler's plugin
 * API hands out nodes with lazy children and internal handles).
 */
export function plainTree(node: Readonly<Record<string, unknown>>, depth = 0): TreeNode {
  const out: TreeNode = { type: String(node.type) };
  for (const key of TREE_FIELDS) if (key !== 'type' && node[key] !== undefined) (out as Record<string, unknown>)[key] = node[key];
  const position = node.position as { start?: { line?: number } } | undefined;
  if (position?.start?.line !== undefined) out.position = { start: { line: position.start.line } };
  if (Array.isArray(node.attributes)) {
    out.attributes = (node.attributes as Array<Record<string, unknown>>).map((a) => {
      const value = a.value as unknown;
      return {
        type: String(a.type),
        name: a.name as string | undefined,
        value: value !== null && typeof value === 'object' ? { type: String((value as { type?: unknown }).type), value: (value as { value?: unknown }).value } : value,
      };
    });
  }
  // Past the depth the check refuses anyway, children are not copied (no stack overflow on hostile nesting).
  if (Array.isArray(node.children)) out.children = depth > MAX_DEPTH + 1 ? [] : (node.children as Array<Record<string, unknown>>).map((c) => plainTree(c, depth + 1));
  return out;
}

/** Turns safety issues into one Chinese report naming the file and lines. */
function safetyReport(file: string, issues: ReadonlyArray<SafetyIssue>): string {
  return `${file} 不能编译（${issues.length} 个问题）：\n${issues.map((i) => `  ${file}${i.line ? ` 第 ${i.line} 行` : ''}：${i.message}  [${i.code}]`).join('\n')}`;
}

/**
 * The guard inside Astro's MDX compiler (a Sätteri mdast plugin, first in the pipeline): it
 * walks the tree about to be compiled and throws — so nothing is compiled — when the tree
 * fails the allowlist. Registry facts are not known here; src/lib/content/stories.ts checks them
 * before, with this same walk.
 */
const storyGuardPlugin = {
  name: 'gpdzc-story-guard',
  // Positions, so the guard's report names lines too.
  options: { position: true },
  before(root: unknown, context: { fileURL: URL | undefined; source: string; data: Record<string, unknown> }) {
    const docFile = context.fileURL ? fileURLToPath(context.fileURL) : '(未知文件)';
    const tree = plainTree(root as Record<string, unknown>);
    guardObserver?.(docFile, tree);
    const issues = checkStoryTree(tree, { docFile });
    // Astro's MDX compiler imports the module a `layout` front-matter field names.
    const frontmatter = (context.data.astro as { frontmatter?: Record<string, unknown> } | undefined)?.frontmatter;
    if (frontmatter && Object.hasOwn(frontmatter, 'layout')) issues.push({ code: 'MDX_ESM', message: '不允许 layout 字段（会导入其他文件）', line: 1 });
    if (context.source.length > MAX_BODY_CHARS * 4) issues.push({ code: 'BODY_TOO_LONG', message: `正文太长（最多约 ${MAX_BODY_CHARS} 个字）`, line: null });
    if (issues.length > 0) throw new Error(safetyReport(path.relative(process.cwd(), docFile), issues));
  },
};

/** The MDX processor options of the site (astro.config.mjs): the compiler's features, the guard first. */
export const STORY_MDX_PROCESSOR = { features: MDX_FEATURES, mdastPlugins: [storyGuardPlugin] };

let guardObserver: ((file: string, tree: TreeNode) => void) | null = null;
/** Tests: see every tree the guard walks (the parity test compares it with the check's). */
export function observeGuard(observer: ((file: string, tree: TreeNode) => void) | null): void {
  guardObserver = observer;
}
