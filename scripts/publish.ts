/**
 * npm run publish -- --target DIR|user@host:/path [--dist dist] [--keep 5] [--check-url URL] [--sample 20]
 * npm run publish -- --target … --rollback [--to RELEASE] [--check-url URL]
 * npm run publish -- --target … --list [--check-url URL]
 * Puts a built, checked dist/ live as a new release behind the target's `current` link, in one
 * atomic switch; checks it over HTTP; rolls back in one command (src/lib/release/publish.ts).
 * The signing key comes from PUBLISH_SIGNING_KEY (a path, or the key itself), never from the
 * repository. Exit 0 done, 1 refused or failed (what was live stays live), 2 usage,
 * 3 switched but what the public sees differs (the rollback command is printed).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CHECKSUM_FILE } from '../src/lib/publish/checksums.ts';
import { checkLive, describeLive, type LiveItem } from '../src/lib/release/check-url.ts';
import { describeListing, killHook, list, publish, rollback, rollbackCommand, targetFor } from '../src/lib/release/publish.ts';
import { ALLOWED_SIGNERS_FILE, SIGNATURE_FILE, loadSigningKey, parsePublicKey, signingIdentity, verifyCommand, type SigningKey } from '../src/lib/release/signing.ts';
import type { Target } from '../src/lib/release/target.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const USAGE = `用法：
  npm run publish -- --target /srv/gpdzc [--check-url https://网站地址/]             发布 dist/ 为新的一版并上线
  npm run publish -- --target 用户@服务器:/srv/gpdzc [--check-url https://网站地址/]  经 SSH（rsync、ssh）发布到服务器
  npm run publish -- --target /srv/gpdzc --rollback [--to 版本名]                    回到上一版（或指定的一版）
  npm run publish -- --target /srv/gpdzc --list [--check-url https://网站地址/]      列出保留的版本、哪一版在线上（并核对线上）
选项：
  --dist 目录       要发布的网站（默认 dist/，或 ASTRO_OUT_DIR）
  --keep N          保留最近 N 版（默认 5；线上的一版和上一版总是保留）
  --check-url 地址  上线后经 HTTP 核对线上的首页、村、单位、县月表、搜索索引、SHA256SUMS、签名和随机抽查的文件
  --sample N        随机抽查的文件数（默认 20）
签名：设置 PUBLISH_SIGNING_KEY（私钥文件的路径，或私钥本身），可选 PUBLISH_SIGNING_IDENTITY（默认 gpdzc-release）。`;

const options = {
  target: { type: 'string' },
  dist: { type: 'string' },
  keep: { type: 'string' },
  rollback: { type: 'boolean' },
  to: { type: 'string' },
  list: { type: 'boolean' },
  'check-url': { type: 'string' },
  sample: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usage(problem: string): never {
  console.error(`${problem}\n\n${USAGE}`);
  process.exit(2);
}

let values: ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];
try {
  values = parseArgs({ options }).values;
} catch (e) {
  usage(`命令行有误：${(e as Error).message}`);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.target) usage('请用 --target 指定发布到哪里（本机目录，或 用户@服务器:/路径）');
if (values.rollback && values.list) usage('--rollback 和 --list 只能选一个');
if (values.to && !values.rollback) usage('--to 只用于 --rollback');
const count = (v: string | undefined, name: string, dflt: number, min: number) => {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min) usage(`${name} 应是不小于 ${min} 的整数`);
  return Number(v);
};
const keep = count(values.keep ?? process.env.PUBLISH_KEEP, '--keep', 5, 2);
const sample = count(values.sample, '--sample', 20, 0);
const checkUrl = values['check-url'];
if (checkUrl && !/^https?:\/\/[^/]/.test(checkUrl)) usage('--check-url 应是 http:// 或 https:// 开头的网站地址');

const target: Target = targetFor(values.target);
const dist = path.resolve(values.dist ?? process.env.ASTRO_OUT_DIR ?? path.join(ROOT, 'dist'));
const summary: string[] = [];
const say = (line: string) => {
  console.log(line);
  summary.push(line);
};

/** The commit being published: PUBLISH_COMMIT, GITHUB_SHA, or the checkout's HEAD. */
function commit(): string {
  const env = process.env.PUBLISH_COMMIT || process.env.GITHUB_SHA;
  if (env) return env;
  const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}

/** The run's summary for GitHub Actions (GITHUB_STEP_SUMMARY), when there is one. */
function writeSummary(title: string, live: LiveItem[] | null): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  const out = [`## ${title}`, '', '```text', ...summary, '```', ''];
  if (live) {
    out.push('| 核对 | 地址 | 结果 |', '| --- | --- | --- |');
    for (const i of live) out.push(`| ${i.status === 'ok' ? '✓' : i.status === 'fail' ? '✗' : '!'} ${i.what} | ${i.url} | ${i.detail.replace(/\|/g, '\\|')} |`);
    out.push('');
  }
  out.push(`回到上一版：\`${rollbackCommand(target)}\``, '');
  appendFileSync(file, `${out.join('\n')}\n`);
}

/** --check-url against the release that is now live; exit 3 (and the rollback command) when it differs. */
async function checkOnline(release: string, key: SigningKey | null): Promise<LiveItem[] | null> {
  if (!checkUrl) return null;
  const sums = target.read(release, CHECKSUM_FILE);
  if (!sums) {
    say(`无法核对线上：${release} 没有 ${CHECKSUM_FILE}`);
    return null;
  }
  const signers = target.read(release, ALLOWED_SIGNERS_FILE);
  // the identity: the signing key's, else the one the release's allowed_signers names
  const identity = key?.identity ?? (signers ? signers.toString('utf8').split(/\s+/)[0]! : signingIdentity());
  if (key && signers && parsePublicKey(signers.toString('utf8'))?.blob !== key.key.blob) say(`注意：${release} 的 ${ALLOWED_SIGNERS_FILE} 不是本次签名密钥的公钥`);
  const r = await checkLive({ base: checkUrl, release, sums, signature: target.read(release, SIGNATURE_FILE), signers, identity, sample });
  for (const line of describeLive(checkUrl, release, r)) say(line);
  if (!r.ok) {
    say(`线上看到的与刚上线的 ${release} 不一致。如果这不是缓存或网络造成的，可以一条命令回到上一版：`);
    say(`  ${rollbackCommand(target)}`);
    process.exitCode = 3;
  } else if (signers) say(`任何人都可以核验下载的文件：${verifyCommand(identity)}`);
  return r.items;
}

if (values.list) {
  for (const line of describeListing(list(target), target.label)) say(line);
  const l = list(target);
  const live = checkUrl && l.current ? await checkOnline(l.current, null) : null;
  writeSummary('发布的版本', live);
  process.exit(process.exitCode ?? 0);
}

const step = process.env.GPDZC_KILL_AT_STEP ? killHook : undefined;

if (values.rollback) {
  const r = rollback({ target, log: say, step, to: values.to });
  if (!r.ok) {
    console.error(r.message);
    process.exit(1);
  }
  if (!r.unchanged) say(`要再回到 ${r.from}：npm run publish -- --target ${target.label} --rollback --to ${r.from}`);
  const live = await checkOnline(r.release, null);
  writeSummary(`回滚到 ${r.release}`, live);
  process.exit(process.exitCode ?? 0);
}

let key: SigningKey | null = null;
try {
  key = loadSigningKey();
} catch (e) {
  console.error(`不能发布：${(e as Error).message}`);
  process.exit(1);
}
try {
  const r = publish({ target, dist, commit: commit(), keep, key, log: say, step });
  if (!r.ok) {
    console.error(r.message);
    process.exit(1);
  }
  say(`回到上一版的命令：${r.previous ? rollbackCommand(target) : '（这是第一版，没有上一版）'}`);
  const live = await checkOnline(r.release, key);
  writeSummary(`发布 ${r.release}`, live);
} finally {
  key?.dispose();
}
process.exit(process.exitCode ?? 0);
