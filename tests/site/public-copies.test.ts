/**
 * Figures, never people: a workbook as counties send it — signed off under the table (填报人、
 * 联系电话、审核人), with a hidden sheet of contacts (names, phones, ID numbers, e-mail) and
 * document properties naming its authors — written by LibreOffice (tests/fixtures/workbooks/
 * make-workbooks.py), is imported with data:import as staff do and built. Afterwards not one of
 * those names, numbers or addresses is in any file of dist/, inside zips and compressed search
 * fragments included; /sources/ lists the original's SHA-256, the public copy's, and what the
 * copy left out.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const WORKBOOKS = path.join(ROOT, 'tests/fixtures/workbooks');
const RECEIVED = path.join(WORKBOOKS, '落款-福贡县.xlsx');
/** Everything of a person the received workbook holds: sign-off lines, the hidden sheet, the document properties. */
const PEOPLE = ['李建国', '王秀英', '13912345678', '0886-3621234', '533323198001011232', '533323197506120042', 'lijianguo@example.com', 'wangxiuying@example.com', '福贡县扶贫办'];

let work: string;
let dist: string;
let checkOutput: string;
let importOutput: string;

const node = (script: string, args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [path.join(ROOT, script), ...args], { cwd: ROOT, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env }, encoding: 'utf8' });

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-public-copies-'));
  const data = path.join(work, 'data');
  cpSync(path.join(WORKBOOKS, 'registry'), path.join(data, 'registry'), { recursive: true });
  const inbox = path.join(work, '收文/2020-07');
  mkdirSync(inbox, { recursive: true });
  cpSync(RECEIVED, path.join(inbox, '福贡县.xlsx'));
  for (const d of ['stories', 'bulletins']) mkdirSync(path.join(work, d));
  const env = { DATA_DIR: data, STORIES_DIR: path.join(work, 'stories'), BULLETINS_DIR: path.join(work, 'bulletins'), ASTRO_OUT_DIR: path.join(work, 'dist'), ASTRO_CACHE_DIR: path.join(work, 'cache') };
  // as the staff guide says: check the inbox, then import, then build
  const checked = node('scripts/data-check.ts', [inbox], env);
  checkOutput = checked.stdout + checked.stderr;
  if (checked.status !== 0) throw new Error(`data:check failed:\n${checkOutput}`);
  const imported = node('scripts/data-import.ts', ['--month', '2020-07', path.join(inbox, '福贡县.xlsx')], env);
  importOutput = imported.stdout + imported.stderr;
  if (imported.status !== 0) throw new Error(`data:import failed:\n${importOutput}`);
  const built = node('scripts/build.ts', [], env);
  if (built.status !== 0) throw new Error(`build failed:\n${built.stdout}\n${built.stderr}`);
  dist = env.ASTRO_OUT_DIR;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));

/** The entries of a zip (an .xlsx or a download bundle), inflated: read from its central directory. */
function zipEntries(bytes: Buffer): Array<{ name: string; data: Buffer }> {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) return [];
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const out: Array<{ name: string; data: Buffer }> = [];
  for (let i = 0; i < count; i++) {
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(dataAt, dataAt + size);
    out.push({ name, data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw) });
    at += 46 + nameLength + extra;
  }
  return out;
}

/** Every readable text of a built file: itself, gunzipped if gzip, each zip entry inflated. */
function readable(file: string): Array<{ where: string; text: string }> {
  const bytes = readFileSync(file);
  const where = path.relative(dist, file);
  if (bytes.length >= 4 && bytes[0] === 0x1f && bytes[1] === 0x8b) return [{ where, text: gunzipSync(bytes).toString('utf8') }];
  if (bytes.length >= 4 && bytes.readUInt32LE(0) === 0x04034b50) return zipEntries(bytes).map((e) => ({ where: `${where} → ${e.name}`, text: e.data.toString('utf8') }));
  return [{ where, text: bytes.toString('utf8') }];
}

describe('a workbook with sign-off lines, a hidden contacts sheet and authors in its properties', () => {
  it('is imported (the hidden sheet reported, not read) and built', () => {
    expect(checkOutput).toContain('隐藏的工作表“联系人”未读取');
    expect(importOutput).toContain('已导入 2020年7月：1 个文件');
    expect(walk(dist).length).toBeGreaterThan(20);
  });

  it('leaves no name, phone number, ID number or e-mail address of it in any file of dist/, zips and compressed fragments included', () => {
    const hits: string[] = [];
    let files = 0;
    for (const f of walk(dist)) {
      files++;
      for (const { where, text } of readable(f)) for (const p of PEOPLE) if (text.includes(p)) hits.push(`${where}: ${p}`);
    }
    expect(files).toBeGreaterThan(20);
    expect(hits).toEqual([]);
  });

  it('is published as its public copy: /sources/ gives the original’s SHA-256, the copy’s, and what the copy left out', () => {
    const list = readFileSync(path.join(dist, 'sources/index.html'), 'utf8');
    const original = createHash('sha256').update(readFileSync(RECEIVED)).digest('hex');
    expect(list).toContain(original);
    const url = /<tr data-url="([^"]+)"/.exec(list)![1]!;
    expect(url).toBe('/sources/2020-07/533323.csv');
    const copy = readFileSync(path.join(dist, url));
    expect(list).toContain(createHash('sha256').update(copy).digest('hex'));
    for (const words of ['落款行 2 行', '其他工作表 1 个', '填表说明 1 行', '工作簿的批注、文档属性']) expect(list).toContain(words);
    // the copy is the table: header rows, the villages' rows and 合计, as Excel shows them
    const text = copy.toString('utf8');
    expect(text).toContain('A村,示例甲农业有限公司');
    expect(text).toMatch(/\r\n合计,/);
    // the village page cites a row of the copy, and that row holds the village
    const village = readFileSync(path.join(dist, 'villages/533323102001/index.html'), 'utf8');
    const row = Number(/第 (\d+) 行/.exec(village)![1]);
    expect(text.replace(/^\ufeff/, '').split(/\r\n(?=(?:[^"]*"[^"]*")*[^"]*$)/)[row - 1]).toContain('A村');
  });
});
