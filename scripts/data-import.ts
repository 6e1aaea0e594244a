/**
 * npm run data:import -- --month YYYY-MM [--date YYYY-MM-DD] [--note 说明] FILE…
 * npm run data:import -- --withdraw exports/YYYY-MM/FILE.csv|REVISION-ID … [--date] [--note]
 * npm run data:import -- --recover
 * Validates the files with everything in DATA_DIR and files them under exports/YYYY-MM/.
 * Refuses on errors (nothing written); a month that already has files gets a recorded
 * revision instead of being overwritten; --withdraw undoes a mistaken import as a recorded
 * revision. One import at a time (lock); a kill leaves DATA_DIR unchanged or complete.
 * Exit 0 done, 1 refused (errors, hand-edited published file, another import running), 2 usage.
 */
import { parseArgs } from 'node:util';
import { formatMonth } from '../src/lib/render/format.ts';
import { importMonth, withdrawImport } from '../src/lib/filing/import.ts';
import { acquireLock, recoverInterrupted } from '../src/lib/filing/atomic-write.ts';
import { defaultDataDir } from '../src/lib/ingest/ingest-fs.ts';
import { metricLabel } from '../src/lib/ingest/columns.ts';
import { metricValueText } from '../src/lib/render/presentation.ts';
import { textReport } from '../src/lib/ingest/report.ts';
import type { Change } from '../src/lib/ingest/revisions.ts';

const USAGE = `用法：
  npm run data:import -- --month 2020-09 [--date 2020-10-05] [--note "福贡县更正8月资金数"] 文件1.csv 文件2.csv …
  npm run data:import -- --withdraw exports/2020-09/福贡县.csv [--note "误导入"]    撤回误导入的文件
  npm run data:import -- --withdraw 2020-10-05-1 [--note "更正有误"]               撤回一次更正（恢复更正前的文件）
  npm run data:import -- --recover                                                 完成上次被中断的导入`;
const options = { month: { type: 'string' }, date: { type: 'string' }, note: { type: 'string' }, withdraw: { type: 'string', multiple: true }, recover: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

/** node:util's parseArgs errors, in Chinese: which option, and what is wrong with it. */
function argsProblem(e: unknown): string {
  const { code, message } = e as NodeJS.ErrnoException;
  const option = /'(-[^']*)'/.exec(message)?.[1] ?? /(--?[\w-]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `未知的选项：${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return /argument missing/.test(message) ? `选项 ${option.split(' ')[0]} 后面要写它的值` : `选项 ${option.split(' ')[0]} 不带值`;
  return `命令行有误（${message}）`;
}

let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
try {
  parsed = parseArgs({ options, allowPositionals: true });
} catch (e) {
  console.error(`${argsProblem(e)}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const { values } = parsed;
const dataDir = defaultDataDir();
const started = Date.now();
const log = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);

function printChanges(changes: Change[]): void {
  for (const c of changes.slice(0, 30)) {
    const who = `村 ${c.villageCode} × 单位 ${c.unitCode}`;
    if (c.kind === 'changed') console.log(`  ${who} ${metricLabel(c.metric!)}：${metricValueText(c.metric!, c.old)} → ${metricValueText(c.metric!, c.new)}`);
    else console.log(`  ${who}：${c.kind === 'added' ? '新增上报' : '删除'}`);
  }
  if (changes.length > 30) console.log(`  ……另有 ${changes.length - 30} 处，见网站“数据更正记录”页`);
}

function refused(outcome: { reason: string; message?: string; result?: Parameters<typeof textReport>[0] }): never {
  if (outcome.reason === 'usage') {
    console.error(`${outcome.message}\n${USAGE}`);
    process.exit(2);
  }
  if (outcome.result) {
    console.log(textReport(outcome.result));
    console.log('\n导入被拒绝：没有写入任何文件。请修改上面列出的问题后重新导入。');
  } else console.error(outcome.message);
  process.exit(1);
}

if (values.recover) {
  if (values.month || values.withdraw || parsed.positionals.length > 0) refused({ reason: 'usage', message: '--recover 不与 --month、--withdraw 或要导入的文件一起使用' });
  const lock = acquireLock(dataDir);
  if (!lock.ok) {
    console.error(lock.message);
    process.exit(1);
  }
  try {
    if (lock.tookOver) console.log(lock.tookOver);
    console.log(recoverInterrupted(dataDir) ? '上次被中断的导入已完成。' : '没有被中断的导入，什么也不用做。');
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  } finally {
    lock.release();
  }
  process.exit(process.exitCode ?? 0);
}

if (values.withdraw) {
  if (values.month || parsed.positionals.length > 0) refused({ reason: 'usage', message: '--withdraw 不与 --month 或要导入的文件一起使用' });
  const outcome = withdrawImport({ dataDir, targets: values.withdraw, date: values.date, note: values.note, log });
  if (!outcome.ok) refused(outcome);
  const { revision, removed, restored } = outcome;
  console.log(`\n已撤回（${formatMonth(revision.month)}），记录为 ${revision.id}（${revision.date}）：`);
  for (const f of removed) console.log(`  撤下 ${f}（原文件存档于 revisions/${revision.month}/${revision.id}/）`);
  for (const f of restored) console.log(`  恢复 ${f} 为更正前的文件`);
  console.log(`共 ${revision.changes.length} 处变化：`);
  printChanges(revision.changes);
  console.log('网站的“数据更正记录”页会列出这次撤回。下一步：npm run build 重建网站。');
  process.exit(0);
}

if (!values.month) {
  console.error(`缺少 --month\n${USAGE}`);
  process.exit(2);
}
const outcome = importMonth({ dataDir, month: values.month, date: values.date, note: values.note, files: parsed.positionals, log });
if (!outcome.ok) refused(outcome);
const { result, filed, registered, revision, superseded } = outcome;
console.log(`\n已导入 ${formatMonth(values.month)}：${filed.length} 个文件（${filed.filter((f) => f.replaced).length} 个为更正）。`);
if (superseded.length > 0) {
  for (const w of result.weekly) console.log(w.message);
  console.log(`被取代的 ${superseded.length} 份周报版本不进入本月数据，存档并登记在 data/manifest.json 的发布记录中（不是更正）：`);
  for (const w of superseded) console.log(`  ${w.source} → ${w.file}`);
}
if (registered.length > 0) console.log(`另登记了 ${registered.length} 个此前未登记的已有文件。`);
if (revision) {
  console.log(`这是对已发布月份的更正，记录为 ${revision.id}（${revision.date}），共 ${revision.changes.length} 处变化：`);
  printChanges(revision.changes);
}
const warnings = result.issues.filter((i) => i.severity === 'warning').length;
if (warnings) console.log(`校验有 ${warnings} 条警告（不影响导入），可运行 npm run data:check 查看。`);
console.log('下一步：npm run build 重建网站。');
