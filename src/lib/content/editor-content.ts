/**
 * Editors' folders (content/stories, content/bulletins) checked whole: the one core that the
 * content loaders of the build and `npm run content:check` (the pull-request check) call.
 * Also the report in GitHub's own forms: annotations on the story's lines and a job summary.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { checkBulletinText, checkStory, editorFiles, type StoryIssue, type StoryRegistry } from './stories.ts';

/** A path as editors see it: relative to the working folder, with forward slashes. */
function shownPath(absolute: string): string {
  return path.relative(process.cwd(), absolute).split(path.sep).join('/');
}

/** Every problem of one document, or of reading it. */
export function checkEditorFile(kind: 'stories' | 'bulletins', absolutePath: string, registry: StoryRegistry, months: ReadonlyArray<string>): StoryIssue[] {
  const file = shownPath(absolutePath);
  let source: string;
  try {
    source = readFileSync(absolutePath, 'utf8');
  } catch (e) {
    return [{ file, field: null, line: null, code: 'FILE_PLACE', message: `读不到文件：${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }];
  }
  return kind === 'stories' ? checkStory(file, absolutePath, source, registry).issues : checkBulletinText(file, absolutePath, source, registry, months).issues;
}

/** Every problem of every document in one editors' folder (a missing folder has none). */
export function checkEditorFolder(kind: 'stories' | 'bulletins', dir: string, registry: StoryRegistry, months: ReadonlyArray<string>): StoryIssue[] {
  const listing = existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }) : [];
  const { documents, issues } = editorFiles(listing, (rel) => shownPath(path.join(dir, rel)) + (rel === '' ? '/' : ''));
  for (const rel of documents) issues.push(...checkEditorFile(kind, path.join(dir, rel), registry, months));
  return issues;
}

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** GitHub Actions workflow commands: one `::error` per problem, on the file's line where known. */
export function githubAnnotations(issues: ReadonlyArray<StoryIssue>): string[] {
  return issues.map((i) => {
    const props = [`file=${escapeProperty(i.file)}`];
    if (i.line) props.push(`line=${i.line}`);
    props.push(`title=${escapeProperty(i.field ? `案例校验 · ${i.field}` : '案例校验')}`);
    return `::error ${props.join(',')}::${escapeData(`${i.message} [${i.code}]`)}`;
  });
}

/** The job summary (Markdown): what failed, file by file, and where to read how to fix it. */
export function githubSummary(issues: ReadonlyArray<StoryIssue>, checked: number): string {
  if (issues.length === 0) return `## 案例和通报文字校验：通过\n\n检查了 ${checked} 个文件，没有发现问题。\n`;
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
  const byFile = new Map<string, StoryIssue[]>();
  for (const i of issues) byFile.set(i.file, [...(byFile.get(i.file) ?? []), i]);
  const out = [`## 案例和通报文字校验：**未通过**（${byFile.size} 个文件，${issues.length} 个问题）`, ''];
  for (const [file, list] of byFile) {
    out.push(`### \`${file}\``, '', '| 位置 | 问题 | 代码 |', '| --- | --- | --- |');
    for (const i of list) out.push(`| ${i.line ? `第 ${i.line} 行` : i.field ? `字段 ${cell(i.field)}` : '整个文件'} | ${cell(i.message)} | \`${i.code}\` |`);
    out.push('');
  }
  out.push('改法见 `docs/editor-guide.md`“常见错误提示”。改好后推送到同一个分支，检查会自动重新运行。', '');
  return out.join('\n');
}
