/**
 * The staff's monthly step (`npm run data:import -- --month YYYY-MM FILE…`): validate the
 * new files together with everything already in DATA_DIR, then file them under
 * exports/YYYY-MM/. A month that already has files is never overwritten in place: the
 * previous copies are archived under revisions/ and the revision is recorded in
 * manifest.json, so the site can show what changed and when. On any error nothing is written.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { collectInput, MANIFEST_FILE, TABLE_FILE } from './ingest-fs.ts';
import { ingest, type IngestResult } from './ingest.ts';
import { EMPTY_MANIFEST, sha256, type Change, type Manifest, type Revision } from './revisions.ts';

export interface ImportOptions {
  dataDir: string;
  month: string;
  files: string[];
  /** publish/revision date, YYYY-MM-DD (default: today) */
  date?: string;
  note?: string;
  /** progress lines for the terminal */
  log?: (line: string) => void;
}

export type ImportOutcome =
  | { ok: false; reason: 'usage'; message: string }
  | { ok: false; reason: 'invalid'; result: IngestResult }
  | { ok: true; result: IngestResult; filed: Array<{ source: string; target: string; replaced: boolean }>; registered: string[]; revision: (Revision & { changes: Change[] }) | null };

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function importMonth(options: ImportOptions): ImportOutcome {
  const log = options.log ?? (() => {});
  const { month } = options;
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  if (!MONTH.test(month)) return { ok: false, reason: 'usage', message: `--month “${month}”应写作 YYYY-MM（如 2020-09）` };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { ok: false, reason: 'usage', message: `--date “${date}”应写作 2020-09-05` };
  if (options.files.length === 0) return { ok: false, reason: 'usage', message: '请给出要导入的文件' };
  for (const f of options.files) {
    if (!existsSync(f)) return { ok: false, reason: 'usage', message: `文件不存在：${f}` };
    if (!TABLE_FILE.test(f)) return { ok: false, reason: 'usage', message: `只能导入 Excel 工作簿（.xlsx）或 .csv/.tsv/.txt 表格文件：${f}` };
  }

  log(`读取 DATA_DIR（${options.dataDir}）中的名录和已有进展表……`);
  const { input, dataDir } = collectInput(options.dataDir);
  // A file replaces the month's file of the same name wherever it sits (exports/月/省/市/县.csv too).
  const targets = new Map<string, string>();
  for (const f of options.files) {
    const name = path.basename(f);
    const same = input.exports.filter((e) => e.month === month && path.posix.basename(e.path) === name);
    if (same.length > 1) return { ok: false, reason: 'usage', message: `${month} 已有 ${same.length} 个名为 ${name} 的文件（${same.map((e) => e.path).join('、')}），无法判断更正哪一个：请把文件改名为要更正的那个县的名称` };
    const target = same[0]?.path ?? `exports/${month}/${name}`;
    if (targets.has(target)) return { ok: false, reason: 'usage', message: `两个文件同名（${name}），请改名后再导入` };
    targets.set(target, f);
  }
  const manifest: Manifest = structuredClone(input.manifest ?? EMPTY_MANIFEST);
  const monthHadFiles = input.exports.some((e) => e.month === month);
  const existing = new Map(input.exports.map((e) => [e.path, e]));

  // The new state: current exports with the imported files added or replacing theirs.
  const incoming = [...targets].map(([target, source]) => ({ path: target, bytes: new Uint8Array(readFileSync(source)), month }));
  const exports = [...input.exports.filter((e) => !targets.has(e.path)), ...incoming];
  const revisionId = uniqueRevisionId(manifest, date);
  const archived = new Map(input.archived ?? []);
  const revisionFiles: Revision['files'] = [];
  for (const f of incoming) {
    const old = existing.get(f.path);
    if (old) {
      const archivedAs = `revisions/${month}/${revisionId}/${path.basename(f.path)}`;
      archived.set(archivedAs, old.bytes);
      revisionFiles.push({ file: f.path, previous: archivedAs });
    } else if (monthHadFiles) {
      revisionFiles.push({ file: f.path, previous: null });
    }
  }
  const registered: string[] = [];
  for (const e of input.exports) {
    if (!manifest.published[e.path] && !targets.has(e.path)) {
      manifest.published[e.path] = { sha256: sha256(e.bytes), publishedOn: date };
      registered.push(e.path);
    }
  }
  for (const f of incoming) manifest.published[f.path] = { sha256: sha256(f.bytes), publishedOn: monthHadFiles && manifest.published[f.path] ? manifest.published[f.path]!.publishedOn : date };
  const revision: Revision | null = revisionFiles.length > 0 ? { id: revisionId, month, date, ...(options.note ? { note: options.note } : {}), files: revisionFiles } : null;
  if (revision) manifest.revisions.push(revision);

  log(`校验 ${incoming.length} 个新文件，连同已有的 ${input.exports.length} 个进展表一起核对……`);
  const result = ingest({ ...input, exports, manifest, archived, complete: true });
  if (!result.ok) return { ok: false, reason: 'invalid', result };

  log('校验通过，写入文件……');
  for (const f of revisionFiles) {
    if (!f.previous) continue;
    const target = path.join(dataDir, f.previous);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(dataDir, f.file), target);
    log(`  存档原文件 ${f.file} → ${f.previous}`);
  }
  const filed: Array<{ source: string; target: string; replaced: boolean }> = [];
  for (const [target, source] of targets) {
    mkdirSync(path.dirname(path.join(dataDir, target)), { recursive: true });
    copyFileSync(source, path.join(dataDir, target));
    filed.push({ source, target, replaced: existing.has(target) });
    log(`  ${existing.has(target) ? '更正' : '新增'} ${target}`);
  }
  writeManifest(dataDir, manifest);
  log(`  更新 ${MANIFEST_FILE}`);
  const withChanges = revision ? (result.revisions.find((r) => r.id === revision.id) ?? { ...revision, changes: [] }) : null;
  return { ok: true, result, filed, registered, revision: withChanges };
}

function uniqueRevisionId(manifest: Manifest, date: string): string {
  let n = 1;
  while (manifest.revisions.some((r) => r.id === `${date}-${n}`)) n++;
  return `${date}-${n}`;
}

/** Stable, readable JSON: sorted file keys, revisions in order. */
export function writeManifest(dataDir: string, manifest: Manifest): void {
  const published = Object.fromEntries(Object.entries(manifest.published).sort(([a], [b]) => a.localeCompare(b, 'en')));
  writeFileSync(path.join(dataDir, MANIFEST_FILE), JSON.stringify({ published, revisions: manifest.revisions }, null, 2) + '\n');
}
