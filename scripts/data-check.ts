/**
 * npm run data:check -- [--json] [PATH…]
 * Validates the registry and the monthly exports (default: all of DATA_DIR).
 * Exit 0 valid (warnings allowed), 1 invalid, 2 usage.
 */
import { ingestDataDirCached } from '../src/lib/ingest/ingest-cache.ts';
import { defaultDataDir, ingestDataDir } from '../src/lib/ingest/ingest-fs.ts';
import { jsonReport, writeTextReport } from '../src/lib/ingest/report.ts';

const USAGE = `用法：npm run data:check -- [--json] [路径…]
  校验 DATA_DIR（默认 ./data）中的名录和月度进展表；给出路径时只校验这些文件或目录。
  --json   输出一个 JSON 对象 { ok, files, rows, issues }
退出码：0 通过（可有警告），1 有错误，2 用法错误`;

const args = process.argv.slice(2);
let json = false;
const paths: string[] = [];
for (const a of args) {
  if (a === '--json') json = true;
  else if (a === '--help' || a === '-h') {
    console.log(USAGE);
    process.exit(0);
  } else if (a.startsWith('-')) {
    console.error(`未知的选项：${a}\n\n${USAGE}`);
    process.exit(2);
  } else paths.push(a);
}

// The whole of DATA_DIR is checked through the snapshot cache, so a build that follows
// (or a second check of unchanged data) does not ingest it again. (npm run build checks
// the data in its own first step, src/build/steps/data.ts.)
const result = paths.length === 0 ? ingestDataDirCached(defaultDataDir()).result : ingestDataDir(defaultDataDir(), paths);
if (json) process.stdout.write(JSON.stringify(jsonReport(result), null, 2) + '\n');
else writeTextReport(result, (text) => process.stdout.write(text));
process.exitCode = result.ok ? 0 : 1;
