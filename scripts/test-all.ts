/**
 * npm test: every test, in order — type check (astro check, strict), lint, then vitest (unit,
 * build and browser). Sets up what a fresh machine lacks (Debian's chromium, a Chinese font, Java for the Nu HTML checker).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name);
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH ?? ''}` };

function step(title: string, cmd: string, args: string[], extraEnv: Record<string, string> = {}): void {
  console.log(`\n=== ${title} ===`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...env, ...extraEnv } });
  if (r.status !== 0) {
    console.error(`\n✗ ${title} 失败（退出码 ${r.status ?? r.signal}）`);
    process.exit(1);
  }
}

step('准备 Chromium、中文字体和 Java', 'bash', [path.join(ROOT, 'scripts/ensure-chromium.sh')]);
// Type check; its content sync also validates the shipped data and stories.
step('类型检查（astro check）', bin('astro'), ['check']);
// ESLint, knip (unused exports and files) and what browser code reaches (scripts/lint.ts).
step('代码检查（npm run lint）', process.execPath, [path.join(ROOT, 'scripts/lint.ts')]);
mkdirSync(path.join(ROOT, 'tmp'), { recursive: true });
const report = path.join(ROOT, 'tmp/vitest-report.json');
const vitest = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit', env });
try {
  const r = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number };
  console.log(`\nvitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed${r.numPendingTests ? `, ${r.numPendingTests} skipped` : ''}`);
} catch {
  console.error('（没有读到 vitest 的结果文件）');
}
process.exit(vitest.status ?? 1);
