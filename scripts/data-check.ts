/**
 * npm run data:check -- [--json] [PATH…]
 * Validates the registry and the monthly exports (default: all of DATA_DIR).
 * Exit 0 valid (warnings allowed), 1 invalid, 2 usage.
 */
import { ingestDataDirCached } from '../src/lib/ingest/ingest-cache.ts';
import { defaultDataDir, ingestDataDir } from '../src/lib/ingest/ingest-fs.ts';
import { jsonReport, textReportLines } from '../src/lib/ingest/report.ts';
import { reportStep, watchHeap } from './build-log.ts';

watchHeap();

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

// The whole of DATA_DIR is checked through the snapshot cache, so the build that follows
// (or a second check of unchanged data) does not ingest it again.
const started = performance.now();
const cached = paths.length === 0 ? ingestDataDirCached(defaultDataDir()) : null;
const result = cached ? cached.result : ingestDataDir(defaultDataDir(), paths);
reportStep('ingest', cached?.fromSnapshot ? '读取上次校验的快照' : '读取并校验', started, {
  files: result.files.length,
  progressRecords: result.progress.length,
  issues: result.issues.length,
  fromSnapshot: cached?.fromSnapshot ? 1 : 0,
}, cached?.snapshot ? { snapshot: cached.snapshot } : undefined);
if (json) process.stdout.write(JSON.stringify(jsonReport(result), null, 2) + '\n');
else {
  // Written out in pieces as it is made: a report of a million issues is never one string.
  let piece: string[] = [];
  for (const line of textReportLines(result)) {
    piece.push(line);
    if (piece.length === 10_000) {
      process.stdout.write(piece.join('\n') + '\n');
      piece = [];
    }
  }
  process.stdout.write(piece.length > 0 ? piece.join('\n') + '\n' : '');
}
process.exitCode = result.ok ? 0 : 1;
