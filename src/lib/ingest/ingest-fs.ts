/**
 * DATA_DIR on disk → the ingest core's input. Used by the CLI and by the content
 * loaders, so both read exactly the same files the same way.
 */
import { pushAll } from '../arrays.ts';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { JOURNAL_FILE } from '../filing/atomic-write.ts';
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

function readSource(file: string, dataDir: string, issues: Issue[]): SourceFile | null {
  try {
    return { path: displayPath(file, dataDir), bytes: new Uint8Array(readFileSync(file)) };
  } catch (e) {
    const sink = new IssueSink(displayPath(file, dataDir));
    sink.error('FILE_MISSING', `无法读取文件：${(e as Error).message}`);
    pushAll(issues, sink.issues);
    return null;
  }
}

function listTables(dir: string, issues: Issue[], dataDir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name, 'en'))) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (EXCEL_LOCK_FILE.test(entry.name) && TABLE_FILE.test(entry.name)) lockFile(full, issues, dataDir);
      else if (TABLE_FILE.test(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
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

function readDatasetInfo(dataDir: string): DatasetInfo {
  const file = path.join(dataDir, 'dataset.json');
  if (!existsSync(file)) return { synthetic: false };
  try {
    const parsed = datasetInfoSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
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
    if (existsSync(abs) && statSync(abs).isDirectory() && existsSync(path.join(abs, 'registry'))) dir = abs;
    else explicit.push(abs);
  }

  const registryPath = { villages: path.join(dir, 'registry', 'villages.csv'), units: path.join(dir, 'registry', 'units.csv'), pairings: path.join(dir, 'registry', 'pairings.csv') };
  if (existsSync(path.join(dir, JOURNAL_FILE))) {
    const sink = new IssueSink(JOURNAL_FILE);
    sink.error('IMPORT_INTERRUPTED', '上次 data:import 在写入文件时被中断，数据还没有写完整：请运行 npm run data:import -- --recover 把它完成（再运行一次导入也会先完成它）');
    listingIssues.push(...sink.issues);
  }
  let exportPaths: string[] = [];
  const publishedPaths = explicit.length === 0 ? exportPaths : ([] as string[]);
  {
    const exportsDir = path.join(dir, 'exports');
    if (existsSync(exportsDir)) {
      for (const entry of readdirSync(exportsDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name, 'en'))) {
        if (entry.name.startsWith('.')) continue;
        const full = path.join(exportsDir, entry.name);
        if (entry.isDirectory()) {
          if (!MONTH_DIR.test(entry.name)) {
            const sink = new IssueSink(displayPath(full, dir));
            sink.error('BAD_MONTH_DIR', `月份目录“${entry.name}”应写作 YYYY-MM（如 2020-07），其中的文件未读取`);
            if (explicit.length === 0) pushAll(listingIssues, sink.issues);
            continue;
          }
          pushAll(publishedPaths, listTables(full, explicit.length === 0 ? listingIssues : [], dir));
        } else if (TABLE_FILE.test(entry.name)) {
          publishedPaths.push(full);
        }
      }
    }
  }
  if (explicit.length > 0) {
    for (const abs of explicit) {
      if (!existsSync(abs)) {
        const sink = new IssueSink(displayPath(abs, dir));
        sink.error('FILE_MISSING', '文件或目录不存在');
        pushAll(listingIssues, sink.issues);
        continue;
      }
      const found = statSync(abs).isDirectory() ? listTables(abs, listingIssues, dir) : [abs];
      for (const f of found) {
        const base = path.basename(f).toLowerCase();
        if (base === 'villages.csv' || base === 'units.csv' || base === 'pairings.csv') registryPath[base.replace('.csv', '') as keyof typeof registryPath] = f;
        else exportPaths.push(f);
      }
    }
  }
  exportPaths = [...new Set(exportPaths)];

  const reg = (p: string): SourceFile | null => (existsSync(p) ? readSource(p, dir, listingIssues) : null);
  const exports: IngestInput['exports'] = [];
  const exportsDir = path.join(dir, 'exports') + path.sep;
  const replaced = new Set<string>();
  for (const f of exportPaths) {
    const src = readSource(f, dir, listingIssues);
    if (!src) continue;
    const month = monthOf(path.relative(dir, f)) ?? monthOf(f);
    if (month === null) {
      const sink = new IssueSink(src.path);
      sink.error('MONTH_UNKNOWN', '无法确定月份：进展表应放在 exports/YYYY-MM/ 目录下（如 exports/2020-07/）');
      pushAll(listingIssues, sink.issues);
    }
    if (explicit.length > 0 && !f.startsWith(exportsDir)) {
      // From an inbox: it will stand in for the month's published file of the same name.
      const same = month === null ? [] : publishedPaths.filter((p) => monthOf(path.relative(dir, p)) === month && path.basename(p) === path.basename(f));
      for (const p of same) replaced.add(p);
      exports.push({ ...src, month, role: 'inbox', replaces: same.length === 1 ? displayPath(same[0]!, dir) : null });
    } else exports.push({ ...src, month });
  }
  // What is published, as context for the checks across files and months.
  for (const f of publishedPaths) {
    if (explicit.length === 0 || exportPaths.includes(f) || replaced.has(f)) continue;
    const src = readSource(f, dir, listingIssues);
    if (src) exports.push({ ...src, month: monthOf(path.relative(dir, f)), role: 'context' });
  }
  const manifest = readManifest(dir, listingIssues);
  const archived = new Map<string, Uint8Array>();
  for (const r of manifest?.revisions ?? []) {
    for (const f of r.files) {
      if (f.previous && existsSync(path.join(dir, f.previous))) archived.set(f.previous, new Uint8Array(readFileSync(path.join(dir, f.previous))));
    }
  }
  return {
    dataDir: dir,
    input: {
      manifest,
      archived,
      complete: explicit.length === 0,
      villages: reg(registryPath.villages),
      units: reg(registryPath.units),
      pairings: reg(registryPath.pairings),
      exports,
      dataset: readDatasetInfo(dir),
      listingIssues,
    },
  };
}

export const MANIFEST_FILE = 'manifest.json';

function readManifest(dataDir: string, issues: Issue[]): Manifest | null {
  const file = path.join(dataDir, MANIFEST_FILE);
  if (!existsSync(file)) return null;
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
    const sink = new IssueSink(MANIFEST_FILE);
    sink.error('MANIFEST_INVALID', `data/manifest.json 格式错误：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
    pushAll(issues, sink.issues);
  } catch (e) {
    const sink = new IssueSink(MANIFEST_FILE);
    sink.error('MANIFEST_INVALID', `data/manifest.json 不是有效的 JSON：${(e as Error).message}`);
    pushAll(issues, sink.issues);
  }
  return null;
}

export function ingestDataDir(dataDir: string = defaultDataDir(), paths: string[] = []): IngestResult {
  return ingest(collectInput(dataDir, paths).input);
}
