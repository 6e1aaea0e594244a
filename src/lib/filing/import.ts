/**
 * The staff's monthly step (`npm run data:import -- --month YYYY-MM FILE…`): validate the
 * new files together with everything already in DATA_DIR, then file them under
 * exports/YYYY-MM/. A month that already has files is never overwritten in place: the
 * previous copies are archived under revisions/ and the revision is recorded in
 * manifest.json, so the site can show what changed and when. On any error nothing is written.
 *
 * Several tables of one county for one month (weekly tables: 福贡县-第1周.csv … 第4周.csv)
 * are weekly versions (ingest/weekly.ts): the latest is filed as the month's under
 * exports/YYYY-MM/, the earlier ones are archived under weekly/YYYY-MM/ and recorded in the
 * manifest as `superseded`, with their dates. They are not a revision: the month was not yet
 * published when they were replaced.
 *
 * `withdrawImport` undoes a mistaken import (`--withdraw`): a file is taken out of its
 * month, or a revision's files are put back as they were, as a recorded revision of its own.
 *
 * Both hold DATA_DIR's lock while they read and write, refuse when a published file is not
 * the one recorded in the manifest, and write through `commitChanges` (atomic-write.ts): a
 * kill at any moment leaves DATA_DIR unchanged or, once committed, complete.
 *
 * The files to import are read only as regular files (safe-fs.ts): a symbolic link, a FIFO,
 * a socket or a device given on the command line (or matched by a wildcard in an inbox) is
 * refused, so nothing outside the inbox is ever filed into data/.
 */
import { existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { acquireLock, commitChanges, recoverInterrupted, type FileChange } from './atomic-write.ts';
import { notRegularReason, readNamedFile } from './safe-fs.ts';
import { collectInput, MANIFEST_FILE, TABLE_FILE } from '../ingest/ingest-fs.ts';
import { ingest, type IngestInput, type IngestResult } from '../ingest/ingest.ts';
import { EMPTY_MANIFEST, sha256, type Change, type Manifest, type Revision, type SupersededVersion } from '../ingest/revisions.ts';
import { parseDate } from '../ingest/cell-values.ts';
import { ISO_DATE_PATTERN } from '../patterns.ts';

/** What both an import and a withdrawal are told. */
interface FilingOptions {
  dataDir: string;
  /** publish/revision date, YYYY-MM-DD (default: today) */
  date?: string;
  note?: string;
  /** progress lines for the terminal */
  log?: (line: string) => void;
}

/** Why an import or a withdrawal wrote nothing. */
type FilingRefusal = { ok: false; reason: 'usage' | 'busy' | 'tampered' | 'broken'; message: string } | { ok: false; reason: 'invalid'; result: IngestResult };

export interface ImportOptions extends FilingOptions {
  month: string;
  files: string[];
}

export type ImportOutcome =
  | FilingRefusal
  | {
      ok: true;
      result: IngestResult;
      filed: Array<{ source: string; target: string; replaced: boolean }>;
      registered: string[];
      revision: (Revision & { changes: Change[] }) | null;
      /** weekly versions a later table of the same county and month superseded: archived, not filed */
      superseded: Array<SupersededVersion & { source: string }>;
      recovered: boolean;
    };

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** `--date`: YYYY-MM-DD and a day that exists (2020-02-30 does not). */
function dateProblem(date: string): string | null {
  if (!ISO_DATE_PATTERN.test(date)) return `--date “${date}”应写作 2020-09-05`;
  const parsed = parseDate(date);
  if (!parsed.ok || parsed.value !== date) return `--date “${date}”不是存在的日期`;
  return null;
}

/**
 * Hold the lock, finish an interrupted import, then run `body`; the lock is released whatever
 * happens. A write that fails (disk full, a place refused) is a refusal in Chinese, not a crash.
 */
function underLock<T extends { ok: boolean }>(dataDir: string, log: (line: string) => void, body: (recovered: boolean) => T): T | { ok: false; reason: 'busy' | 'broken'; message: string } {
  const lock = acquireLock(dataDir);
  if (!lock.ok) return { ok: false, reason: 'busy', message: lock.message };
  try {
    if (lock.tookOver) log(lock.tookOver);
    let recovered: boolean;
    try {
      recovered = recoverInterrupted(dataDir);
    } catch (e) {
      return { ok: false, reason: 'broken', message: (e as Error).message };
    }
    if (recovered) log('上次导入在写入时被中断，已把它完成。');
    try {
      return body(recovered);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { ok: false, reason: 'broken', message: `导入没有完成：${(e as Error).message}${code ? `（${code}）` : ''}。data/ 保持导入前的样子，或已提交而待完成（npm run data:check 会说明）：解决问题后再运行一次同一条命令` };
    }
  } finally {
    lock.release();
  }
}

/** Why a file named for import cannot be imported (null: it can be read). */
function sourceProblem(f: string): string | null {
  let st;
  try {
    st = lstatSync(f);
  } catch {
    return '文件不存在';
  }
  if (st.isDirectory()) return '不是文件（请列出文件，不要给文件夹）';
  if (!st.isFile()) return notRegularReason(st);
  if (path.basename(f).startsWith('.')) return '文件名以“.”开头（隐藏文件）。这样的文件不会被读取，请改名后再导入';
  if (!TABLE_FILE.test(f)) return '只能导入 Excel 工作簿（.xlsx）或 .csv/.tsv/.txt 表格文件';
  return null;
}

/** Published files that are not what the manifest recorded: a hand edit, never to be archived as "previous". */
function tamperedMessage(input: IngestInput): string | null {
  const manifest = input.manifest;
  if (!manifest) return null;
  const changed = input.exports.filter((e) => manifest.published[e.path] && manifest.published[e.path]!.sha256 !== sha256(e.bytes));
  if (changed.length === 0) return null;
  return [
    `导入已停止，什么也没有写入：下列已发布的文件与 ${MANIFEST_FILE} 中登记的指纹（SHA-256）不符，发布后被直接改动过：`,
    ...changed.map((e) => `  ${e.path}（${manifest.published[e.path]!.publishedOn} 发布）`),
    '请先把它们恢复为发布时的原样（从备份，或 git checkout -- 文件路径），再导入。要更正数字，请把更正后的文件用 data:import 导入，不要直接改 data/ 里的文件。',
  ].join('\n');
}

export function importMonth(options: ImportOptions): ImportOutcome {
  const log = options.log ?? (() => {});
  const { month } = options;
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  if (!MONTH.test(month)) return { ok: false, reason: 'usage', message: `--month “${month}”应写作 YYYY-MM（如 2020-09）` };
  const badDate = dateProblem(date);
  if (badDate) return { ok: false, reason: 'usage', message: badDate };
  if (options.files.length === 0) return { ok: false, reason: 'usage', message: '请给出要导入的文件' };
  const problems = options.files.flatMap((f) => {
    const problem = sourceProblem(f);
    return problem ? [`  ${f}：${problem}`] : [];
  });
  if (problems.length > 0) return { ok: false, reason: 'usage', message: ['下列文件不能导入，什么也没有写入：', ...problems].join('\n') };
  return underLock(options.dataDir, log, (recovered) => importLocked(options, date, recovered, log));
}

function importLocked(options: ImportOptions, date: string, recovered: boolean, log: (line: string) => void): ImportOutcome {
  const { month } = options;
  log(`读取 DATA_DIR（${options.dataDir}）中的名录和已有进展表……`);
  const { input, dataDir } = collectInput(options.dataDir);
  const tampered = tamperedMessage(input);
  if (tampered) return { ok: false, reason: 'tampered', message: tampered };
  // A file replaces the month's file of the same name wherever it sits (exports/月/省/市/县.csv too).
  const targets = new Map<string, string>();
  for (const f of options.files) {
    const name = path.basename(f);
    const same = input.exports.filter((e) => e.month === month && path.posix.basename(e.path) === name);
    if (same.length > 1) return { ok: false, reason: 'usage', message: `${month} 已有 ${same.length} 个名为 ${name} 的文件（${same.map((e) => e.path).join('、')}），无法判断更正哪一个：请把文件改名为要更正的那个县的名称` };
    // A correction in another format (福贡县.xlsx for a published 福贡县.csv) would sit beside the
    // file it corrects and count every row twice: say so instead.
    const stem = (p: string) => path.posix.basename(p).replace(/\.[^.]+$/, '').toLowerCase();
    const otherFormat = same.length === 0 ? input.exports.filter((e) => e.month === month && stem(e.path) === stem(name)) : [];
    if (otherFormat.length > 0) return { ok: false, reason: 'usage', message: `${month} 已发布了 ${otherFormat.map((e) => e.path).join('、')}，而 ${name} 的格式不同：更正文件要和已发布的文件同名同格式（请另存为 ${path.posix.basename(otherFormat[0]!.path)} 后再导入）` };
    const target = same[0]?.path ?? `exports/${month}/${name}`;
    if (targets.has(target)) return { ok: false, reason: 'usage', message: `两个文件同名（${name}），请改名后再导入` };
    targets.set(target, f);
  }
  const manifest: Manifest = structuredClone(input.manifest ?? EMPTY_MANIFEST);
  const monthHadFiles = input.exports.some((e) => e.month === month);
  const existing = new Map(input.exports.map((e) => [e.path, e]));

  // The new state: current exports with the imported files added or replacing theirs. The
  // bytes validated here are the bytes written.
  const incoming: Array<{ path: string; source: string; bytes: Uint8Array; month: string }> = [];
  const unreadable: string[] = [];
  for (const [target, source] of targets) {
    // read once, as a regular file: a file swapped for a link or a FIFO since the check is refused
    const read = readNamedFile(source);
    if (read.ok) incoming.push({ path: target, source, bytes: read.bytes, month });
    else unreadable.push(`  ${source}：${read.reason}`);
  }
  if (unreadable.length > 0) return { ok: false, reason: 'usage', message: ['下列文件不能导入，什么也没有写入：', ...unreadable].join('\n') };
  const exports = [...input.exports.filter((e) => !targets.has(e.path)), ...incoming.map(({ path: p, bytes }) => ({ path: p, bytes, month }))];
  const revisionId = uniqueRevisionId(manifest, date, dataDir, month);
  const archived = new Map(input.archived ?? []);
  const revisionFiles: Revision['files'] = [];
  const writes: FileChange[] = [];
  for (const f of incoming) {
    const old = existing.get(f.path);
    if (old) {
      const archivedAs = `revisions/${month}/${revisionId}/${path.basename(f.path)}`;
      archived.set(archivedAs, old.bytes);
      revisionFiles.push({ file: f.path, previous: archivedAs });
      writes.push({ path: archivedAs, bytes: old.bytes });
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
  const result = ingest({ ...input, exports, manifest, archived, complete: true, weeklyCandidates: new Set(incoming.map((f) => f.path)) });
  if (!result.ok) return { ok: false, reason: 'invalid', result };

  // Weekly versions superseded by a later table of theirs: archived under weekly/, not filed, not a revision.
  const supersededBy = new Map(result.files.flatMap((f) => (f.supersededBy ? [[f.file, f.supersededBy] as const] : [])));
  const clash = incoming.filter((f) => supersededBy.has(f.path) && existing.has(f.path));
  if (clash.length > 0) {
    return { ok: false, reason: 'usage', message: clash.map((f) => `${f.source} 与已发布的 ${f.path} 同名，但按日期它是被 ${supersededBy.get(f.path)} 取代的周报版本：请不要导入它，或改名后再导入`).join('\n') };
  }
  const superseded: Array<SupersededVersion & { source: string }> = [];
  if (supersededBy.size > 0) {
    const versions = new Map(result.weekly.flatMap((w) => w.superseded.map((v) => [v.file, v] as const)));
    const taken = new Set((manifest.superseded ?? []).map((w) => w.file));
    for (const f of incoming) {
      const by = supersededBy.get(f.path);
      if (by === undefined) continue;
      const v = versions.get(f.path);
      const archivedAs = uniqueWeeklyPath(`weekly/${month}/${path.posix.basename(f.path)}`, taken, dataDir);
      taken.add(archivedAs);
      delete manifest.published[f.path];
      const entry: SupersededVersion = { month, file: archivedAs, sha256: sha256(f.bytes), date: v?.date ?? null, ...(v?.week ? { week: v.week } : {}), basis: v?.basis ?? 'week', supersededBy: by, filedOn: date };
      superseded.push({ ...entry, source: f.source });
      writes.push({ path: archivedAs, bytes: f.bytes });
    }
    manifest.superseded = [...(manifest.superseded ?? []), ...superseded.map(({ source: _, ...entry }) => entry)];
    if (revision) {
      revision.files = revision.files.filter((f) => !supersededBy.has(f.file));
      if (revision.files.length === 0) manifest.revisions = manifest.revisions.filter((r) => r !== revision);
    }
  }
  const recorded = revision && revision.files.length > 0 ? revision : null;

  log('校验通过，写入文件……');
  for (const f of revisionFiles) if (f.previous) log(`  存档原文件 ${f.file} → ${f.previous}`);
  for (const w of superseded) log(`  存档被取代的周报版本 ${w.source} → ${w.file}`);
  const filed: Array<{ source: string; target: string; replaced: boolean }> = [];
  for (const f of incoming) {
    if (supersededBy.has(f.path)) continue;
    writes.push({ path: f.path, bytes: f.bytes });
    filed.push({ source: f.source, target: f.path, replaced: existing.has(f.path) });
    log(`  ${existing.has(f.path) ? '更正' : '新增'} ${f.path}`);
  }
  writes.push({ path: MANIFEST_FILE, bytes: manifestBytes(manifest) });
  commitChanges(dataDir, writes);
  log(`  更新 ${MANIFEST_FILE}`);
  const withChanges = recorded ? { ...(result.revisions.find((r) => r.id === recorded.id) ?? { changes: [] }), ...recorded } : null;
  return { ok: true, result, filed, registered, revision: withChanges, superseded, recovered };
}

export interface WithdrawOptions extends FilingOptions {
  /** paths under DATA_DIR (exports/YYYY-MM/…) to take out, or revision ids to undo */
  targets: string[];
}

export type WithdrawOutcome =
  | FilingRefusal
  | { ok: true; result: IngestResult; revision: Revision & { changes: Change[] }; removed: string[]; restored: string[] };

/**
 * Undo a mistaken import, visibly: a file imported by mistake is taken out of its month
 * (its copy archived), a revision is undone by putting back the copies it archived. Either
 * is recorded as a revision marked `withdrawal`, which the corrections page lists.
 */
export function withdrawImport(options: WithdrawOptions): WithdrawOutcome {
  const log = options.log ?? (() => {});
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  const badDate = dateProblem(date);
  if (badDate) return { ok: false, reason: 'usage', message: badDate };
  if (options.targets.length === 0) return { ok: false, reason: 'usage', message: '请给出要撤回的文件（如 exports/2020-09/福贡县.csv）或更正记录编号（如 2020-10-05-1）' };
  return underLock(options.dataDir, log, () => withdrawLocked(options, date, log));
}

function withdrawLocked(options: WithdrawOptions, date: string, log: (line: string) => void): WithdrawOutcome {
  const { input, dataDir } = collectInput(options.dataDir);
  const tampered = tamperedMessage(input);
  if (tampered) return { ok: false, reason: 'tampered', message: tampered };
  const manifest: Manifest = structuredClone(input.manifest ?? EMPTY_MANIFEST);
  const current = new Map(input.exports.map((e) => [e.path, e]));
  // file → its new content (null: taken out)
  const plan = new Map<string, Uint8Array | null>();
  for (const t of options.targets) {
    const asPath = t.replace(/\\/g, '/').replace(/^(\.\/)?(data\/)?/, '');
    const revision = manifest.revisions.find((r) => r.id === t);
    if (revision) {
      for (const f of revision.files) {
        if (f.previous === null) plan.set(f.file, null);
        else {
          const bytes = input.archived?.get(f.previous);
          if (!bytes) return { ok: false, reason: 'usage', message: `更正记录 ${t} 存档的 ${f.previous} 不见了，无法撤回` };
          plan.set(f.file, bytes);
        }
      }
    } else if (current.has(asPath)) {
      plan.set(asPath, null);
    } else {
      return { ok: false, reason: 'usage', message: `“${t}”既不是已发布的文件（应写作 exports/2020-09/福贡县.csv，即 data/ 下的路径），也不是更正记录编号（见 ${MANIFEST_FILE} 的 revisions）` };
    }
  }
  const basenames = [...plan.keys()].map((f) => path.posix.basename(f));
  if (new Set(basenames).size !== basenames.length) return { ok: false, reason: 'usage', message: '要撤回的文件中有同名的（在不同的子文件夹里）：请分两次撤回' };
  const months = new Set([...plan.keys()].map((f) => current.get(f)?.month ?? null));
  if (months.size !== 1 || [...months][0] === null) return { ok: false, reason: 'usage', message: '一次只能撤回同一个月份的文件，且文件必须已在 data/exports/ 中' };
  const month = [...months][0]!;
  const id = uniqueRevisionId(manifest, date, dataDir, month);
  const archived = new Map(input.archived ?? []);
  const writes: FileChange[] = [];
  const files: Revision['files'] = [];
  const removed: string[] = [];
  const restored: string[] = [];
  for (const [file, bytes] of plan) {
    const now = current.get(file)!;
    const archivedAs = `revisions/${month}/${id}/${path.posix.basename(file)}`;
    archived.set(archivedAs, now.bytes);
    writes.push({ path: archivedAs, bytes: now.bytes });
    if (bytes === null) {
      files.push({ file, previous: archivedAs, removed: true });
      writes.push({ path: file, bytes: null });
      delete manifest.published[file];
      removed.push(file);
    } else {
      files.push({ file, previous: archivedAs });
      writes.push({ path: file, bytes });
      manifest.published[file] = { sha256: sha256(bytes), publishedOn: manifest.published[file]?.publishedOn ?? date };
      restored.push(file);
    }
  }
  const note = options.note ?? `撤回误导入的数据（${options.targets.join('、')}）`;
  const revision: Revision = { id, month, date, note, withdrawal: true, files };
  manifest.revisions.push(revision);
  const exports = input.exports.flatMap((e) => (plan.has(e.path) ? (plan.get(e.path) ? [{ ...e, bytes: plan.get(e.path)! }] : []) : [e]));
  log(`核对撤回后的数据（${exports.length} 个进展表）……`);
  const result = ingest({ ...input, exports, manifest, archived, complete: true });
  if (!result.ok) return { ok: false, reason: 'invalid', result };
  writes.push({ path: MANIFEST_FILE, bytes: manifestBytes(manifest) });
  commitChanges(dataDir, writes);
  const withChanges = result.revisions.find((r) => r.id === id) ?? { ...revision, changes: [] };
  return { ok: true, result, revision: withChanges, removed, restored };
}

function uniqueRevisionId(manifest: Manifest, date: string, dataDir: string, month: string): string {
  let n = 1;
  while (manifest.revisions.some((r) => r.id === `${date}-${n}`) || existsSync(path.join(dataDir, 'revisions', month, `${date}-${n}`))) n++;
  return `${date}-${n}`;
}

/** A free place for an archived weekly version: `weekly/2020-07/福贡县-第1周.csv`, else `…福贡县-第1周-2.csv`. */
function uniqueWeeklyPath(wanted: string, taken: ReadonlySet<string>, dataDir: string): string {
  const ext = path.posix.extname(wanted);
  const stem = wanted.slice(0, wanted.length - ext.length);
  let p = wanted;
  for (let n = 2; taken.has(p) || existsSync(path.join(dataDir, p)); n++) p = `${stem}-${n}${ext}`;
  return p;
}

/** Stable, readable JSON: sorted file keys, revisions in order, superseded weekly versions (when any) in order. */
function manifestBytes(manifest: Manifest): Uint8Array {
  const published = Object.fromEntries(Object.entries(manifest.published).sort(([a], [b]) => a.localeCompare(b, 'en')));
  const superseded = manifest.superseded && manifest.superseded.length > 0 ? { superseded: manifest.superseded } : {};
  return new TextEncoder().encode(JSON.stringify({ published, revisions: manifest.revisions, ...superseded }, null, 2) + '\n');
}
