/**
 * npm run new:story -- --village 村代码 --title "标题" [--unit 单位代码] [--measure 产业扶贫] [--date 2020-09-15]
 * Writes content/stories/<date>-<村代码>[-n].mdx: a story with the village's name and its
 * units filled in from the registry, and placeholders (请填写…, 这里写正文) that the check
 * names until the editor has replaced them.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir, ingestDataDir } from '../src/lib/ingest/ingest-fs.ts';
import { MEASURES, PAIR } from '../src/lib/metric-catalogue.ts';
import { measureIdOf } from '../src/lib/content/stories.ts';
import { storyUrl } from '../src/lib/routes.ts';

const USAGE = `用法：npm run new:story -- --village 村代码 --title "案例标题" [--unit 单位代码] [--measure 产业扶贫] [--date 2020-09-15]`;
let values: Record<string, string | undefined>;
try {
  values = parseArgs({ options: { village: { type: 'string' }, title: { type: 'string' }, unit: { type: 'string' }, measure: { type: 'string' }, date: { type: 'string' }, dir: { type: 'string' } } }).values;
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
const fail = (message: string, code = 2): never => {
  console.error(`${message}\n${USAGE}`);
  process.exit(code);
};
if (!values.village) fail('缺少 --village（村代码）');
if (!values.title || values.title.trim().length < 4) fail('缺少 --title（标题，至少 4 个字）');
const date = values.date ?? new Date().toISOString().slice(0, 10);
if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fail(`--date “${date}”应写作 2020-09-15`);
const measure = measureIdOf(values.measure ?? '产业扶贫') ?? fail(`--measure “${values.measure}”不是五大举措之一`);

const data = ingestDataDir(defaultDataDir());
const village = data.villages.find((v) => v.code === values.village) ?? fail(`村代码 ${values.village} 不在村名录中`, 1);
const units = values.unit ? [values.unit] : data.pairings.filter((p) => p.villageCode === village.code).map((p) => p.unitCode);
for (const u of units) if (!data.units.some((x) => x.code === u)) fail(`单位代码 ${u} 不在单位名录中`, 1);

const dir = path.resolve(values.dir ?? process.env.STORIES_DIR ?? 'content/stories');
mkdirSync(dir, { recursive: true });
let slug = `${date}-${village.code}`;
for (let n = 2; existsSync(path.join(dir, `${slug}.mdx`)); n++) slug = `${date}-${village.code}-${n}`;
const yamlString = (s: string) => JSON.stringify(s);
const text = `---
title: ${yamlString(values.title!.trim())}
date: ${date}
summary: ${yamlString(`${village.county}${village.name}的帮扶故事（请改写为一两句话的摘要）。`)}
villages: ['${village.code}']
units: [${units.map((u) => `'${u}'`).join(', ')}]
measures: [${MEASURES.find((m) => m.id === measure)!.name}]
author: 请填写作者
source: ${yamlString(`${village.county}扶贫办`)}
---

这里写正文。可以用 Markdown：空一行开始新段落，\`## 小标题\`，\`**加粗**\`，列表用 \`- \` 开头。

## 小标题

可以引用村民的话：

<PullQuote cite="村民 某某">这里写引语。</PullQuote>

也可以引用网站上的数据（会自动显示该月的数字）：<LiveFigure village="${village.code}" metric="${PAIR.funds.done}" month="${data.months.at(-1) ?? '2020-12'}" />
`;
const file = path.join(dir, `${slug}.mdx`);
writeFileSync(file, text);
console.log(`已创建 ${path.relative(process.cwd(), file)}\n下一步：把摘要、作者和正文里的占位文字（请填写…、这里写正文…）改成真实内容，运行 npm run dev 预览（http://localhost:4321${storyUrl(slug)}）；占位文字没改完时，页面顶部会列出还要改的地方。`);
