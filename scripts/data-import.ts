/**
 * npm run data:import -- --month YYYY-MM [--date YYYY-MM-DD] [--note 说明] FILE…
 * Validates the files with everything in DATA_DIR and files them under exports/YYYY-MM/.
 * Refuses on errors (nothing written); a month that already has files gets a recorded
 * revision instead of being overwritten. Exit 0 filed, 1 refused, 2 usage.
 */
import { parseArgs } from 'node:util';
import { formatMonth } from '../src/lib/format.ts';
import { importMonth } from '../src/lib/import.ts';
import { defaultDataDir } from '../src/lib/ingest-fs.ts';
import { metricLabel } from '../src/lib/columns.ts';
import { metricValueText } from '../src/lib/presentation.ts';
import { textReport } from '../src/lib/report.ts';

const USAGE = '用法：npm run data:import -- --month 2020-09 [--date 2020-10-05] [--note "福贡县更正8月资金数"] 文件1.csv 文件2.csv …';
let parsed: ReturnType<typeof parseArgs<{ options: { month: { type: 'string' }; date: { type: 'string' }; note: { type: 'string' } }; allowPositionals: true }>>;
try {
  parsed = parseArgs({ options: { month: { type: 'string' }, date: { type: 'string' }, note: { type: 'string' } }, allowPositionals: true });
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!parsed.values.month) {
  console.error(`缺少 --month\n${USAGE}`);
  process.exit(2);
}
const started = Date.now();
const outcome = importMonth({
  dataDir: defaultDataDir(),
  month: parsed.values.month,
  date: parsed.values.date,
  note: parsed.values.note,
  files: parsed.positionals,
  log: (line) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`),
});
if (!outcome.ok) {
  if (outcome.reason === 'usage') {
    console.error(`${outcome.message}\n${USAGE}`);
    process.exit(2);
  }
  console.log(textReport(outcome.result));
  console.log('\n导入被拒绝：没有写入任何文件。请修改上面列出的问题后重新导入。');
  process.exit(1);
}
const { result, filed, registered, revision } = outcome;
console.log(`\n已导入 ${formatMonth(parsed.values.month)}：${filed.length} 个文件（${filed.filter((f) => f.replaced).length} 个为更正）。`);
if (registered.length > 0) console.log(`另登记了 ${registered.length} 个此前未登记的已有文件。`);
if (revision) {
  console.log(`这是对已发布月份的更正，记录为 ${revision.id}（${revision.date}），共 ${revision.changes.length} 处变化：`);
  for (const c of revision.changes.slice(0, 30)) {
    const who = `村 ${c.villageCode} × 单位 ${c.unitCode}`;
    if (c.kind === 'changed') console.log(`  ${who} ${metricLabel(c.metric!)}：${metricValueText(c.metric!, c.old)} → ${metricValueText(c.metric!, c.new)}`);
    else console.log(`  ${who}：${c.kind === 'added' ? '新增上报' : '删除'}`);
  }
  if (revision.changes.length > 30) console.log(`  ……另有 ${revision.changes.length - 30} 处，见网站“数据更正记录”页`);
}
const warnings = result.issues.filter((i) => i.severity === 'warning').length;
if (warnings) console.log(`校验有 ${warnings} 条警告（不影响导入），可运行 npm run data:check 查看。`);
console.log('下一步：npm run build 重建网站。');
