/**
 * DATA_DIR on disk → the ingest core's input. Used by the CLI and by the content
 * loaders, so both read exactly the same files the same way.
 *
 * Only regular files inside the folder are read (safe-fs.ts): DATA_DIR, or a folder given
 * on the command line, may itself be reached through a link, but below it a symbolic link
 * (to a file or a folder, inside or outside, or dangling), a FIFO, a socket or a device is
 * never read: each is an error (NOT_REGULAR_FILE) naming it, reported with all the others.
 */
import { pushAll } from '../arrays.ts';
import { lstatSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { JOURNAL_FILE, readJournal } from '../filing/atomic-write.ts';
import { notRegularReason, readInside, recordIssuesText } from '../filing/safe-fs.ts';
import { ingest, type IngestInput, type IngestResult, type SourceFile } from './ingest.ts';
import { IssueSink, type Issue } from './issues.ts';
import { manifestSchema, type Manifest } from './revisions.ts';
import { datasetInfoSchema, type DatasetInfo } from './records.ts';

/** The files read as exports: text tables, and Excel workbooks (.xls only to say how to convert it). */
export const TABLE_FILE = /\.(csv|tsv|txt|xlsx|xls)$/i;
/** Excel's lock file beside an open workbook (~$福贡县.xlsx): a few bytes of owner name, never data. */
const EXCEL_LOCK_FILE = /^~\$/;
const MONTH_DIR = /^\d{4}-(0[1-9]|1[0-2])$/;

export function defaultDataDir(): string {
  return path.resolve(process.env.DATA_DIR || 'data');
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Where a file is shown in reports: relative to DATA_DIR when inside it. */
function displayPath(file: string, dataDir: string): string {
  const rel = path.relative(dataDir, file);
  return toPosix(rel.startsWith('..') || path.isAbsolute(rel) ? path.relative(process.cwd(), file) || file : rel);
}

/** A file to read and the folder it must stay inside. */
interface Found {
  file: string;
  root: string;
}

function refused(file: string, dataDir: string, reason: string, issues: Issue[]): void {
  const sink = new IssueSink(displayPath(file, dataDir));
  sink.error('NOT_REGULAR_FILE', reason);
  pushAll(issues, sink.issues);
}

/** Read a file found; a missing one is reported, unless `mayBeMissing` (then 'missing'). */
function readSource({ file, root }: Found, dataDir: string, issues: Issue[], mayBeMissing = false): SourceFile | 'missing' | null {
  const read = readInside(root, path.relative(root, file));
  if (read.ok) return { path: displayPath(file, dataDir), bytes: read.bytes };
  if (read.why === 'missing' && mayBeMissing) return 'missing';
  if (read.why === 'refused') refused(file, dataDir, read.reason, issues);
  else {
    const sink = new IssueSink(displayPath(file, dataDir));
    sink.error('FILE_MISSING', `无法读取文件：${read.reason}`);
    pushAll(issues, sink.issues);
  }
  return null;
}

/**
 * The table files under `dir` (sorted), walking real folders only. A link (any name: it
 * could lead to a folder) and a FIFO, socket or device named like a table are reported.
 */
function listTables(dir: string, issues: Issue[], dataDir: string, root: string): Found[] {
  const out: Found[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      const sink = new IssueSink(displayPath(d, dataDir));
      sink.error('FILE_MISSING', `无法列出文件夹中的文件（${(e as NodeJS.ErrnoException).code ?? (e as Error).message}）`);
      pushAll(issues, sink.issues);
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name, 'en'))) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.isFile()) {
        if (entry.isSymbolicLink() || TABLE_FILE.test(entry.name)) refused(full, dataDir, notRegularReason(entry), issues);
      } else if (EXCEL_LOCK_FILE.test(entry.name) && TABLE_FILE.test(entry.name)) lockFile(full, issues, dataDir);
      else if (TABLE_FILE.test(entry.name)) out.push({ file: full, root });
    }
  };
  walk(dir);
  return out;
}

/** Is `p` a folder (through a link too: only for a folder given by name)? */
function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** What is at `p` without following a link (null: nothing). */
function lstatOrNull(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

function lockFile(file: string, issues: Issue[], dataDir: string): void {
  const sink = new IssueSink(displayPath(file, dataDir));
  sink.warn('EXCEL_LOCK_FILE', `这是 Excel 打开“${path.basename(file).slice(2)}”时留下的临时锁定文件，不是表格，已忽略：关闭 Excel 后它会消失，也可以直接删除`);
  pushAll(issues, sink.issues);
}

/** The month a file belongs to: the YYYY-MM folder it sits in. */
function monthOf(file: string): string | null {
  const parts = toPosix(file).split('/');
  for (let i = parts.length - 2; i >= 0; i--) if (MONTH_DIR.test(parts[i]!)) return parts[i]!;
  return null;
}

function readDatasetInfo(dataDir: string, issues: Issue[]): DatasetInfo {
  const read = readInside(dataDir, 'dataset.json');
  if (!read.ok) {
    if (read.why !== 'missing') refused(path.join(dataDir, 'dataset.json'), dataDir, read.reason, issues);
    return { synthetic: false };
  }
  try {
    const parsed = datasetInfoSchema.safeParse(JSON.parse(new TextDecoder().decode(read.bytes)));
    return parsed.success ? parsed.data : { synthetic: false };
  } catch {
    return { synthetic: false };
  }
}

/**
 * Build the ingest input. With no `paths`, everything in DATA_DIR. With `paths`, those
 * files or folders are checked as exports against what DATA_DIR has published: its registry
 * and its exports (read as context, for the checks across files and months, not reported
 * themselves); a file from outside DATA_DIR (an inbox such as 收文/2021-01/) stands where
 * `data:import` would file it, in place of the published file of the same name in its month.
 * A path that is a data folder itself (has registry/) replaces DATA_DIR; registry files
 * named villages.csv/units.csv/pairings.csv replace the registry's.
 */
export function collectInput(dataDir: string, paths: string[] = []): { input: IngestInput; dataDir: string } {
  const listingIssues: Issue[] = [];
  let dir = path.resolve(dataDir);
  const explicit: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    if (isFolder(abs) && lstatOrNull(path.join(abs, 'registry'))) dir = abs;
    else explicit.push(abs);
  }
  const full = explicit.length === 0;

  const registryPath: Record<'villages' | 'units' | 'pairings', Found> = {
    villages: { file: path.join(dir, 'registry', 'villages.csv'), root: dir },
    units: { file: path.join(dir, 'registry', 'units.csv'), root: dir },
    pairings: { file: path.join(dir, 'registry', 'pairings.csv'), root: dir },
  };
  const journal = readJournal(dir);
  if (journal.state !== 'none') {
    const sink = new IssueSink(JOURNAL_FILE);
    sink.error(
      'IMPORT_INTERRUPTED',
      journal.state === 'ok' ? '上次 data:import 在写入文件时被中断，数据还没有写完整：请运行 npm run data:import -- --recover 把它完成（再运行一次导入也会先完成它）' : journal.message,
    );
    listingIssues.push(...sink.issues);
  }
  let exportPaths: Found[] = [];
  const publishedPaths = full ? exportPaths : ([] as Found[]);
  {
    const exportsDir = path.join(dir, 'exports');
    const at = lstatOrNull(exportsDir);
    if (at && !at.isDirectory()) {
      const reason = at.isSymbolicLink() ? '文件夹 exports 是符号链接（快捷方式），不读取链接指向的内容：请把文件夹本身放在这里' : 'exports 应是文件夹，其中的进展表未读取';
      refused(exportsDir, dir, reason, listingIssues);
    }
    else if (at) {
      for (const entry of readdirSync(exportsDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name, 'en'))) {
        if (entry.name.startsWith('.')) continue;
        const file = path.join(exportsDir, entry.name);
        if (entry.isDirectory()) {
          if (!MONTH_DIR.test(entry.name)) {
            const sink = new IssueSink(displayPath(file, dir));
            sink.error('BAD_MONTH_DIR', `月份目录“${entry.name}”应写作 YYYY-MM（如 2020-07），其中的文件未读取`);
            if (full) pushAll(listingIssues, sink.issues);
            continue;
          }
          pushAll(publishedPaths, listTables(file, full ? listingIssues : [], dir, dir));
        } else if (!entry.isFile()) {
          if (full && (entry.isSymbolicLink() || TABLE_FILE.test(entry.name))) refused(file, dir, notRegularReason(entry), listingIssues);
        } else if (TABLE_FILE.test(entry.name)) {
          publishedPaths.push({ file, root: dir });
        }
      }
    }
  }
  for (const abs of explicit) {
    const at = lstatOrNull(abs);
    let found: Found[];
    if (!at) {
      const sink = new IssueSink(displayPath(abs, dir));
      sink.error('FILE_MISSING', '文件或目录不存在');
      pushAll(listingIssues, sink.issues);
      continue;
    } else if (at.isDirectory() || (at.isSymbolicLink() && isFolder(abs))) {
      // a folder given by name may be reached through a link; nothing below it is followed
      found = listTables(abs, listingIssues, dir, abs);
    } else if (at.isFile()) {
      found = [{ file: abs, root: path.dirname(abs) }];
    } else {
      refused(abs, dir, notRegularReason(at), listingIssues);
      continue;
    }
    for (const f of found) {
      const base = path.basename(f.file).toLowerCase();
      if (base === 'villages.csv' || base === 'units.csv' || base === 'pairings.csv') registryPath[base.replace('.csv', '') as keyof typeof registryPath] = f;
      else exportPaths.push(f);
    }
  }
  exportPaths = [...new Map(exportPaths.map((f) => [f.file, f])).values()];
  const exportFiles = new Set(exportPaths.map((f) => f.file));

  const reg = (f: Found): SourceFile | null => {
    const src = readSource(f, dir, listingIssues, true);
    return src === 'missing' ? null : src;
  };
  const exports: IngestInput['exports'] = [];
  const exportsDir = path.join(dir, 'exports') + path.sep;
  const replaced = new Set<string>();
  for (const f of exportPaths) {
    const src = readSource(f, dir, listingIssues);
    if (!src || src === 'missing') continue;
    const month = monthOf(path.relative(dir, f.file)) ?? monthOf(f.file);
    if (month === null) {
      const sink = new IssueSink(src.path);
      sink.error('MONTH_UNKNOWN', '无法确定月份：进展表应放在 exports/YYYY-MM/ 目录下（如 exports/2020-07/）');
      pushAll(listingIssues, sink.issues);
    }
    if (!full && !f.file.startsWith(exportsDir)) {
      // From an inbox: it will stand in for the month's published file of the same name.
      const same = month === null ? [] : publishedPaths.filter((p) => monthOf(path.relative(dir, p.file)) === month && path.basename(p.file) === path.basename(f.file));
      for (const p of same) replaced.add(p.file);
      exports.push({ ...src, month, role: 'inbox', replaces: same.length === 1 ? displayPath(same[0]!.file, dir) : null });
    } else exports.push({ ...src, month });
  }
  // What is published, as context for the checks across files and months.
  for (const f of publishedPaths) {
    if (full || exportFiles.has(f.file) || replaced.has(f.file)) continue;
    const src = readSource(f, dir, listingIssues);
    if (src && src !== 'missing') exports.push({ ...src, month: monthOf(path.relative(dir, f.file)), role: 'context' });
  }
  const manifest = readManifest(dir, listingIssues);
  const archived = new Map<string, Uint8Array>();
  for (const r of manifest?.revisions ?? []) {
    for (const f of r.files) {
      if (!f.previous || archived.has(f.previous)) continue;
      // a copy that is missing is the ingest's REVISION_FILE_MISSING; one that is a link or a FIFO is refused here
      const read = readInside(dir, f.previous);
      if (read.ok) archived.set(f.previous, read.bytes);
      else if (read.why !== 'missing') refused(path.join(dir, f.previous), dir, read.reason, listingIssues);
    }
  }
  // the superseded weekly versions, archived under weekly/ (a missing one is the ingest's WEEKLY_ARCHIVE_INVALID)
  for (const w of manifest?.superseded ?? []) {
    if (archived.has(w.file)) continue;
    const read = readInside(dir, w.file);
    if (read.ok) archived.set(w.file, read.bytes);
    else if (read.why !== 'missing') refused(path.join(dir, w.file), dir, read.reason, listingIssues);
  }
  return {
    dataDir: dir,
    input: {
      manifest,
      archived,
      complete: full,
      villages: reg(registryPath.villages),
      units: reg(registryPath.units),
      pairings: reg(registryPath.pairings),
      exports,
      dataset: readDatasetInfo(dir, listingIssues),
      listingIssues,
    },
  };
}

export const MANIFEST_FILE = 'manifest.json';

/**
 * manifest.json: a regular file, valid JSON of the manifest's shape, every path in it a plain
 * path under exports/, revisions/ or weekly/ (revisions.ts). Anything else is MANIFEST_INVALID saying
 * what is wrong and where, and the manifest is not used.
 */
function readManifest(dataDir: string, issues: Issue[]): Manifest | null {
  const read = readInside(dataDir, MANIFEST_FILE);
  if (!read.ok && read.why === 'missing') return null;
  const invalid = (message: string) => {
    const sink = new IssueSink(MANIFEST_FILE);
    sink.error('MANIFEST_INVALID', `${message}。这个文件只由 data:import 写入，不要手工编辑：请从备份或 git 取回上一个正确的版本（git checkout -- data/manifest.json）`);
    pushAll(issues, sink.issues);
    return null;
  };
  if (!read.ok) return invalid(`data/manifest.json ${read.reason}`);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(read.bytes));
  } catch (e) {
    return invalid(`data/manifest.json 不是完整有效的 JSON，可能被截断或被手工改坏（${(e as Error).message}）`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  return invalid(`data/manifest.json 格式错误：${recordIssuesText(parsed.error.issues)}`);
}

export function ingestDataDir(dataDir: string = defaultDataDir(), paths: string[] = []): IngestResult {
  return ingest(collectInput(dataDir, paths).input);
}
