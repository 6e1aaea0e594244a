/**
 * npm run content:check
 * Checks every story (content/stories) and bulletin text (content/bulletins) as the build
 * does, against the registry of DATA_DIR; all problems at once, in Chinese. In GitHub
 * Actions it also annotates the story's lines and writes the job summary.
 * Exit 0 all valid, 1 problems found.
 */
import { appendFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { checkEditorFolder, githubAnnotations, githubSummary } from '../src/lib/content/editor-content.ts';
import { ingestSummaryCached } from '../src/lib/ingest/ingest-cache.ts';
import { defaultDataDir } from '../src/lib/ingest/ingest-fs.ts';
import { storyReport } from '../src/lib/content/stories.ts';

const stories = path.resolve(process.env.STORIES_DIR || 'content/stories');
const bulletins = path.resolve(process.env.BULLETINS_DIR || 'content/bulletins');
const data = ingestSummaryCached(defaultDataDir());
if (!data.ok) {
  console.error(`数据校验未通过，无法核对案例中的村和单位代码：\n${data.report}`);
  process.exit(1);
}
const registry = { villages: new Set(data.villageCodes), units: new Set(data.unitCodes) };
const issues = [...checkEditorFolder('stories', stories, registry, data.months), ...checkEditorFolder('bulletins', bulletins, registry, data.months)];
const count = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.mdx')).length : 0);
const checked = count(stories) + count(bulletins);

if (process.env.GITHUB_ACTIONS === 'true') {
  for (const line of githubAnnotations(issues)) console.log(line);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, githubSummary(issues, checked));
}
console.log(issues.length === 0 ? `案例和通报文字校验通过（${checked} 个文件）。` : storyReport(issues, 'check'));
process.exitCode = issues.length === 0 ? 0 : 1;
