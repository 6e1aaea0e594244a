/**
 * npm run lint: ESLint (eslint.config.js: imports per file), knip (knip.config.ts: exports and
 * files nobody uses, across the project) and the browser reach check below. Exit 1 on any
 * finding. Part of `npm test` (scripts/test-all.ts, after the type check).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { browserReachProblems } from './lint-browser-reach.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(ROOT, 'node_modules/.bin', name);
let failed = false;

function run(title: string, cmd: string, args: string[]): void {
  console.log(`\n--- ${title} ---`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    failed = true;
    console.error(`✗ ${title}：有问题（退出码 ${r.status ?? r.signal}）`);
  } else console.log(`✓ ${title}`);
}

run('ESLint（每个文件的导入）', bin('eslint'), ['--max-warnings=0', '.']);
run('knip（没人用的导出和文件）', bin('knip'), ['--no-progress']);

console.log('\n--- 浏览器代码能到达的模块（esbuild 按浏览器打包 src/client） ---');
const problems = await browserReachProblems(ROOT);
if (problems.length > 0) {
  failed = true;
  for (const p of problems) console.error(p);
  console.error(`✗ 浏览器代码经导入到达了 ${problems.length} 处 Node 内置模块`);
} else console.log('✓ 浏览器代码没有到达任何 Node 内置模块');

process.exit(failed ? 1 : 0);
