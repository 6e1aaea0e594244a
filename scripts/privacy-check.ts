/**
 * npm run privacy:check -- [DIR]
 * The personal-data gate over a built site (default: ASTRO_OUT_DIR or dist/): every file,
 * inside zips, workbooks and gzip too, is searched for phone numbers, ID numbers, e-mail
 * addresses, the names of people the programme's files hold (驻村人员 of 附件2, whoever
 * signed a received table off or is named in its document properties: read from DATA_DIR),
 * and images' GPS positions and owner fields. The programme's published contacts
 * (src/lib/site-config.ts) are allowed; with PUBLISH_PERSONAL_NAMES=1 the 驻村人员 names are,
 * and nothing else. `npm run build` runs it last: a hit fails the build.
 * Exit 0 nothing found, 1 found (every hit listed, in Chinese), 2 usage.
 */
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { defaultDataDir } from '../src/lib/ingest/ingest-fs.ts';
import { publishPersonalNames } from '../src/lib/publish/opendata/tables.ts';
import { PersonalDataScanner } from '../src/lib/privacy/personal-data.ts';
import { collectPersonalNames } from '../src/lib/privacy/personal-names.ts';
import { findingMessage, scanSite } from '../src/lib/privacy/scan-site.ts';
import { SITE } from '../src/lib/site-config.ts';

const USAGE = `用法：npm run privacy:check -- [目录]
  检查构建好的网站（默认 ASTRO_OUT_DIR 或 dist/）中有没有个人信息：电话号码、身份证号码、电子邮箱、
  驻村人员和表格落款中的姓名、图片中的 GPS 位置和作者信息（zip、工作簿和 gzip 的内部也检查）。
退出码：0 未发现，1 发现个人信息，2 用法错误`;

const args = process.argv.slice(2);
if (args.some((a) => a === '--help' || a === '-h')) {
  console.log(USAGE);
  process.exit(0);
}
if (args.length > 1 || args.some((a) => a.startsWith('-'))) {
  console.error(`参数不正确：${args.join(' ')}\n\n${USAGE}`);
  process.exit(2);
}
const dir = path.resolve(args[0] ?? process.env.ASTRO_OUT_DIR ?? 'dist');
if (!existsSync(dir) || !statSync(dir).isDirectory()) {
  console.error(`没有这个目录：${dir}\n\n${USAGE}`);
  process.exit(2);
}

const started = performance.now();
const dataDir = defaultDataDir();
const consent = publishPersonalNames();
const collected = collectPersonalNames(dataDir);
const scannerOptions = {
  names: collected.names,
  consentedNames: consent,
  publishedContacts: SITE.feedback.contacts.flatMap((c) => [c.value, c.href ?? '']),
  notIdNumbers: collected.unitCodes,
};
const nameCount = new PersonalDataScanner(scannerOptions).nameCount;
// The programme itself may stand as an author or copyright holder; a person may not.
// One worker thread per core: the gate runs last, when the build's other steps are done.
const result = await scanSite(dir, { scanner: scannerOptions, allowedOwners: [SITE.name, SITE.shortName, ...SITE.feedback.contacts.map((c) => c.value)], workers: Math.min(4, availableParallelism()) });
const seconds = ((performance.now() - started) / 1000).toFixed(1);
const mb = (result.bytes / 1024 / 1024).toFixed(0);
const stationed = collected.names.filter((n) => n.stationed).length;
const scope = `${result.files.toLocaleString('zh-CN')} 个文件（${mb} MB，另有压缩包内的条目 ${result.inner.toLocaleString('zh-CN')} 个），查找姓名 ${nameCount} 个（驻村人员 ${stationed} 个${consent ? '，已同意公开，不查' : ''}，落款和文档属性 ${collected.names.length - stationed} 个）`;

if (result.findings.length === 0 && collected.problems.length === 0) {
  console.log(`[个人信息] 检查了 ${scope}，未发现个人信息，用时 ${seconds} 秒`);
  process.exit(0);
}
const lines = [
  ...result.findings.map((f) => `  ${findingMessage(f)}`),
  ...collected.problems.map((p) => `  收到的表格 ${p}：其中的姓名无法收集，检查不完整`),
];
// how many of each kind, then every one
const kinds = new Map<string, number>();
for (const f of result.findings) {
  const what = findingMessage({ ...f, inside: [], line: undefined, column: undefined, field: undefined, found: '', source: undefined }).replace(/^[^：]*：/, '');
  kinds.set(what, (kinds.get(what) ?? 0) + 1);
}
const byKind = [...kinds].map(([what, n]) => `${what} ${n.toLocaleString('zh-CN')} 处`).join('、');
console.error(`[个人信息] 网站中发现个人信息 ${result.findings.length.toLocaleString('zh-CN')} 处${byKind ? `（${byKind}）` : ''}${collected.problems.length ? `，另有 ${collected.problems.length} 个收到的表格无法读取` : ''}，不能发布（${path.relative(process.cwd(), dir) || dir}）：`);
console.error(lines.join('\n'));
console.error(`\n已检查 ${scope}，用时 ${seconds} 秒。电话、身份证号码、电子邮箱、姓名只显示一部分。公开的联系方式在 src/lib/site-config.ts；驻村人员姓名只有在 PUBLISH_PERSONAL_NAMES=1（本人已同意）时可以公开。`);
process.exit(1);
