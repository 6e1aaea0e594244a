/**
 * npm run build -- --merge DIR… (scripts/build.ts hands over): the shards' outputs
 * (npm run build -- --shard I/N and --shard shared/N) into one site folder (ASTRO_OUT_DIR or
 * dist/), then the steps every build ends with, as npm run build runs them: Pagefind and
 * SHA256SUMS (scripts/site-extras.ts --index; the shards' file lists are its known lines),
 * the personal-data gate (scripts/privacy-check.ts; it reads DATA_DIR for the names to look
 * for), and last the mark npm run publish requires (dist/.build-ok.json).
 * Refused in Chinese, every problem at once (src/build/merge.ts); exit 1.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MergeRefused, mergeShards } from '../src/build/merge.ts';
import { codeDigest } from '../src/build/shard.ts';
import { WRITTEN_SUMS_ENV } from '../src/lib/publish/checksums.ts';
import { clearBuildOk, writeBuildOk } from '../src/lib/release/build-ok.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT_DIR = path.resolve(ROOT, process.env.ASTRO_OUT_DIR || 'dist');
const INDEX_HEAP = '--max-old-space-size=5632';
const seconds = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} 秒`;

const at = process.argv.indexOf('--merge');
const dirs = process.argv.slice(at + 1).filter((a) => !a.startsWith('--'));
const started = performance.now();
let t = performance.now();
clearBuildOk(OUT_DIR);
let merged: Awaited<ReturnType<typeof mergeShards>>;
try {
  merged = await mergeShards(OUT_DIR, dirs, (line) => console.log(`[合并] ${line}`));
} catch (e) {
  console.error(e instanceof MergeRefused ? e.message : `分片合并失败：${(e as Error).message}`);
  process.exit(1);
}
// the code that finishes the site must be the code that built the shards
const here = codeDigest(ROOT);
if (merged.shards[0]!.manifest.codeDigest !== here) {
  console.error(`分片合并被拒绝：分片由另一版本的代码构建（分片的代码摘要 ${merged.shards[0]!.manifest.codeDigest.slice(0, 16)}，本机 ${here.slice(0, 16)}）；请用构建分片的同一提交合并`);
  rmSync(OUT_DIR, { recursive: true, force: true });
  process.exit(1);
}
console.log(`[合并] 用时 ${seconds(t)}`);

const tmp = path.join(os.tmpdir(), `gpdzc-merge-${process.pid}`);
mkdirSync(tmp, { recursive: true });
const knownFile = path.join(tmp, 'known-sums');
writeFileSync(knownFile, `${merged.known.join('\n')}\n`);
const env = { ...process.env, ASTRO_OUT_DIR: OUT_DIR, [WRITTEN_SUMS_ENV]: knownFile };

function step(name: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): void {
  t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...env, ...extraEnv } });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    console.error(`[合并] ${name}未通过，网站不可发布`);
    process.exit(r.status ?? 1);
  }
  console.log(`[合并] ${name}用时 ${seconds(t)}`);
}
step('搜索索引和 SHA256SUMS ', [path.join(ROOT, 'scripts/site-extras.ts'), '--index'], { NODE_OPTIONS: process.env.NODE_OPTIONS ?? INDEX_HEAP });
step('个人信息检查', [path.join(ROOT, 'scripts/privacy-check.ts'), OUT_DIR]);
rmSync(tmp, { recursive: true, force: true });
writeBuildOk(OUT_DIR);
console.log(`[合并] 完成，共用时 ${seconds(started)}：${OUT_DIR}`);
