/**
 * npm run sample -- --scale real|national|tiny --out DIR [--seed N]
 *
 * Writes a deterministic synthetic dataset (GUIDE §3 layout) into DIR. Refuses to write
 * into a non-empty DIR that is not itself a synthetic dataset (no dataset.json with
 * "synthetic": true), so it cannot clobber real data; otherwise replaces its registry/,
 * exports/, revisions/ and manifest.json.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSample, DEFAULT_SEED, SAMPLE_SCALES, type SampleScale } from '../tools/sample/generate.ts';

const USAGE = `用法：npm run sample -- --scale real|national|tiny --out 目录 [--seed 整数]

  --scale   数据规模：real（约 1,113 个村，与项目实际规模相当）、national（约 128,000 个村）、tiny（2 个县，用于测试）
  --out     输出目录：须为空目录、不存在的目录，或此前生成的示例数据目录（含 dataset.json）
  --seed    随机种子（0 至 4294967295 的整数，默认 ${DEFAULT_SEED}）；同一规模、同一种子生成的文件逐字节相同`;

class UsageError extends Error {}

interface Args {
  scale: SampleScale;
  out: string;
  seed: number;
}

function parseArgs(argv: string[]): Args | 'help' {
  let scale: string | undefined;
  let out: string | undefined;
  let seed: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return 'help';
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    if (name !== '--scale' && name !== '--out' && name !== '--seed') throw new UsageError(`无法识别的参数“${arg}”`);
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`参数 ${name} 缺少取值`);
    if (name === '--scale') scale = value;
    else if (name === '--out') out = value;
    else seed = value;
  }
  if (scale === undefined) throw new UsageError('缺少 --scale（real、national 或 tiny）');
  if (!(SAMPLE_SCALES as ReadonlyArray<string>).includes(scale)) throw new UsageError(`--scale 只能是 real、national 或 tiny，而不是“${scale}”`);
  if (out === undefined || out.trim() === '') throw new UsageError('缺少 --out（输出目录）');
  let seedNumber = DEFAULT_SEED;
  if (seed !== undefined) {
    if (!/^\d+$/.test(seed) || Number(seed) > 0xffffffff) throw new UsageError(`--seed 应为 0 至 4294967295 的整数，而不是“${seed}”`);
    seedNumber = Number(seed);
  }
  return { scale: scale as SampleScale, out, seed: seedNumber };
}

/** Refuse anything that might be someone's data; clear our own previous output. */
function prepareOutDir(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new UsageError(`--out 指向的“${dir}”不是目录`);
  const entries = readdirSync(dir);
  if (entries.length === 0) return;
  const marker = join(dir, 'dataset.json');
  let synthetic = false;
  if (existsSync(marker)) {
    try {
      synthetic = (JSON.parse(readFileSync(marker, 'utf8')) as { synthetic?: unknown }).synthetic === true;
    } catch {
      synthetic = false;
    }
  }
  if (!synthetic) {
    throw new UsageError(
      `输出目录“${dir}”不是空目录，也不是此前生成的示例数据目录（没有标明 "synthetic": true 的 dataset.json）。为免覆盖真实数据，已停止；请换一个空目录。`,
    );
  }
  for (const sub of ['registry', 'exports', 'revisions', 'manifest.json']) rmSync(join(dir, sub), { recursive: true, force: true });
}

function main(argv: string[]): number {
  let args: Args | 'help';
  try {
    args = parseArgs(argv);
    if (args === 'help') {
      console.log(USAGE);
      return 0;
    }
    prepareOutDir(resolve(args.out));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`错误：${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }

  const started = performance.now();
  const out = resolve(args.out);
  const sample = createSample({ scale: args.scale, seed: args.seed });
  const made = new Set<string>();
  let files = 0;
  let bytes = 0;
  for (const file of sample.files()) {
    const target = join(out, ...file.path.split('/'));
    const dir = dirname(target);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(target, file.bytes);
    files++;
    bytes += file.bytes.byteLength;
  }
  const seconds = (performance.now() - started) / 1000;
  const s = sample.summary;
  const n = (x: number) => x.toLocaleString('en-US');
  console.log(
    [
      `已生成示例数据（全部为虚构）：${out}`,
      `  规模 ${s.scale}，种子 ${s.seed}`,
      `  县 ${n(s.counties)} 个，村 ${n(s.villages)} 个，结对帮扶单位 ${n(s.units)} 家，结对 ${n(s.pairings)} 对`,
      `  月份 ${s.months.length} 个（${s.months[0]} 至 ${s.months[s.months.length - 1]}），进展数据行 ${n(s.progressRows)} 行`,
      `  文件 ${n(files)} 个，共 ${(bytes / 1048576).toFixed(1)} MB，用时 ${seconds.toFixed(1)} 秒`,
      `  有意设置的“累计值下降”（更正）${s.planted.decreases.length} 处，校验时应报为警告`,
    ].join('\n'),
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
