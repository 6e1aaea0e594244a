/**
 * The hostile corpus of the table readers: workbooks (and CSV files) made to exhaust memory or
 * time through what the readers allocate rather than what the file holds. Each case is made
 * here (no binaries committed), written to a temporary file and read in a child process as
 * the ingest reads an export (tests/unit/hostile-child.ts), with V8's default heap, so an
 * out-of-memory crash shows as what it is. Each must end within 10 s and 1 GB of peak memory
 * (the child's own maxRSS) with a Chinese refusal or a correct read. Time is the child's CPU
 * time (user and system, Node's start included): on a shared machine wall time also counts
 * other processes; the wall time is reported beside it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deflatedFill, workbookOf, worksheet } from './xlsx-helpers.ts';

const CHILD = path.resolve(import.meta.dirname, 'hostile-child.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'gpdzc-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome {
  ms: number;
  cpuMs: number;
  maxRssMB: number;
  workbook: { ok: true; sheets: Array<{ name: string; rows: number; columns: number; head: string[][]; problems: number }> } | { ok: false; reason: string; detail: string } | null;
  errors: string[];
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
const table = (rows: number, cols: number) =>
  Array.from({ length: rows }, (_, r) => `<row r="${r + 1}">${Array.from({ length: cols }, (_, c) => `<c r="${String.fromCharCode(65 + c)}${r + 1}"><v>${r * cols + c}</v></c>`).join('')}</row>`).join('');
const laughs = () => {
  const entities = ['<!ENTITY a "lollollollollollollollollollol">'];
  for (let i = 1; i < 10; i++) entities.push(`<!ENTITY ${String.fromCharCode(97 + i)} "${`&${String.fromCharCode(96 + i)};`.repeat(10)}">`);
  return `<?xml version="1.0"?><!DOCTYPE worksheet [${entities.join('')}]><worksheet xmlns="${MAIN}"><sheetData><row r="1">${inline('A1', '&j;')}</row></sheetData></worksheet>`;
};

/** [attack class, how the file is made, what must come of it] */
const CASES: Array<[string, () => { bytes: Uint8Array | string; ext?: string }, (o: Outcome) => void]> = [
  [
    'dimension A1:XFD1048576 over one cell',
    () => ({ bytes: workbookOf([worksheet(`<row r="1">${inline('A1', 'x')}</row>`, '', '<dimension ref="A1:XFD1048576"/>')]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: true, sheets: [{ rows: 1, columns: 1, head: [['x']] }] }),
  ],
  [
    'empty formatted rows to row 1,048,576 and cells to XFD',
    () => ({ bytes: workbookOf([worksheet(`<row r="1">${inline('A1', 'x')}<c r="XFD1" s="1"/></row>${'<row r="1048576" ht="20" customHeight="1"/>'}`)]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: true, sheets: [{ rows: 1, columns: 1 }] }),
  ],
  [
    'one value at XFD1048576',
    () => ({ bytes: workbookOf([worksheet(`<row r="1">${inline('A1', 'x')}</row><row r="1048576">${inline('XFD1048576', 'y')}</row>`)]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('第 1,048,576 行有内容，超过上限 200,000 行') }),
  ],
  [
    'a value at XFD on each of 700 rows',
    () => ({ bytes: workbookOf([worksheet(Array.from({ length: 700 }, (_, r) => `<row r="${r + 1}">${inline(`XFD${r + 1}`, 'y')}</row>`).join(''))]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('内容分布过广') }),
  ],
  [
    'mergeCells A1:XFD1048576 over a table',
    () => ({ bytes: workbookOf([worksheet(table(3, 3), '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: true, sheets: [{ rows: 1, columns: 1, head: [['0']] }] }),
  ],
  [
    '100,000 merges of the whole sheet',
    () => ({ bytes: workbookOf([worksheet(table(30, 3), `<mergeCells>${'<mergeCell ref="A1:XFD1048576"/>'.repeat(100_000)}</mergeCells>`)]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('合并单元格覆盖的表格区域超过上限') }),
  ],
  [
    '150,000 merged ranges',
    () => ({ bytes: workbookOf([worksheet(table(3, 3), `<mergeCells>${'<mergeCell ref="B2:C3"/>'.repeat(150_000)}</mergeCells>`)]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('合并单元格超过上限 100,000 处') }),
  ],
  [
    'one 32,000-character shared string in 200,000 cells',
    () => ({
      bytes: workbookOf([worksheet(Array.from({ length: 2000 }, (_, r) => `<row r="${r + 1}">${'<c t="s"><v>0</v></c>'.repeat(100)}</row>`).join(''))], { sharedStrings: `<sst xmlns="${MAIN}"><si><t>${'长'.repeat(32_000)}</t></si></sst>` }),
    }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('文字超过上限 100,000,000 个字符') }),
  ],
  [
    '2,500,000 shared strings',
    () => ({ bytes: workbookOf([worksheet('')], { sharedStrings: `<sst xmlns="${MAIN}">${'<si><t/></si>'.repeat(2_500_000)}</sst>` }) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('共享字符串超过上限 2,000,000 个') }),
  ],
  [
    'a rich-text string of 1,000,000 runs',
    () => ({ bytes: workbookOf([worksheet(`<row r="1"><c r="A1" t="inlineStr"><is>${'<r><t>a</t></r>'.repeat(1_000_000)}</is></c></row>`)]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('超过 32,767 个字符') }),
  ],
  [
    '2,100,000 one-digit cells',
    () => ({ bytes: workbookOf([worksheet(Array.from({ length: 2100 }, () => `<row>${'<c><v>1</v></c>'.repeat(1000)}</row>`).join(''))]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('非空单元格超过上限 2,000,000 个') }),
  ],
  [
    '11,000,000 empty elements',
    () => ({ bytes: workbookOf([worksheet(Array.from({ length: 11_000 }, () => `<row>${'<c/>'.repeat(999)}</row>`).join(''))]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('XML 元素超过上限 10,000,000 个') }),
  ],
  [
    '100,000 nested elements',
    () => ({ bytes: workbookOf([worksheet(`<row r="1"><c r="A1">${'<x>'.repeat(100_000)}${'</x>'.repeat(100_000)}</c></row>`)]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'corrupt', detail: expect.stringContaining('嵌套超过 64 层') }),
  ],
  [
    'one element with 1,000,000 attributes',
    () => ({ bytes: workbookOf([worksheet(`<row r="1" ${Array.from({ length: 1_000_000 }, (_, i) => `a${i}="1"`).join(' ')}/>`)]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'corrupt', detail: expect.stringContaining('属性超过 256 个') }),
  ],
  [
    'a 100 MB cell value',
    () => ({ bytes: workbookOf([{ deflated: deflatedFill('<worksheet><sheetData><row r="1"><c r="A1" t="str"><v>', 100 * 1024 * 1024, '</v></c></row></sheetData></worksheet>'), declaredSize: 100 * 1024 * 1024 }]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('超过 32,767 个字符') }),
  ],
  [
    'a 1 MB number format (backtracking patterns)',
    () => ({ bytes: workbookOf([worksheet(`<row r="1"><c r="A1" s="0"><v>1</v></c></row>`)], { styles: `<styleSheet xmlns="${MAIN}"><numFmts><numFmt numFmtId="200" formatCode="${'h'.repeat(1024 * 1024)}"/></numFmts><cellXfs><xf numFmtId="200"/></cellXfs></styleSheet>` }) }),
    (o) => expect(o.workbook).toMatchObject({ ok: true, sheets: [{ head: [['1']] }] }),
  ],
  [
    'billion laughs (internal DTD entities)',
    () => ({ bytes: workbookOf([laughs()]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'corrupt', detail: expect.stringContaining('DTD') }),
  ],
  [
    'external entity (file:///etc/passwd)',
    () => ({ bytes: workbookOf([worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')], { sharedStrings: `<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]><sst xmlns="${MAIN}"><si><t>&x;</t></si></sst>` }) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'corrupt', detail: expect.stringContaining('DTD') }),
  ],
  [
    'zip bomb, honest sizes (1 GB declared)',
    () => ({ bytes: workbookOf([{ deflated: deflatedFill('<worksheet><sheetData>', 1024 * 1024 * 1024, '</sheetData></worksheet>'), declaredSize: 1024 * 1024 * 1024 + 50 }]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('解压后超过 200 MB') }),
  ],
  [
    'zip bomb, lying sizes (1 GB declared as 100 bytes)',
    () => ({ bytes: workbookOf([{ deflated: deflatedFill('<worksheet><sheetData>', 1024 * 1024 * 1024, '</sheetData></worksheet>'), declaredSize: 100 }]) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('解压后超过 200 MB') }),
  ],
  [
    '10,000 sheets',
    () => ({ bytes: workbookOf(Array.from({ length: 10_000 }, () => worksheet(''))) }),
    (o) => expect(o.workbook).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('10,000 个工作表，超过上限 100 个') }),
  ],
  [
    'CSV: one line of 50,000,000 commas',
    () => ({ bytes: `村代码,帮扶村\n${','.repeat(50_000_000)}\n`, ext: 'csv' }),
    (o) => expect(o.errors.join('\n')).toContain('这一行有超过 16,384 列'),
  ],
  [
    'CSV: a quote left open before 100 MB',
    () => ({ bytes: `村代码,帮扶村\n"${'青'.repeat(50 * 1024 * 1024)}\n`, ext: 'csv' }),
    (o) => expect(o.errors.join('\n')).toContain('超过 4,194,304 个字符的单元格'),
  ],
  [
    'CSV: 300 rows of 16,000 empty cells (at the column limit)',
    () => ({ bytes: `${','.repeat(16_000)}\n`.repeat(300), ext: 'csv' }),
    (o) => expect(o.errors.join('\n')).toMatch(/找不到表头|NO_HEADER/),
  ],
];

const report: string[] = ['| attack class | file | result | CPU time | wall time | peak RSS |', '| --- | --- | --- | --- | --- | --- |'];
afterAll(() => console.log(report.join('\n')));

describe('hostile workbooks and CSV files: a Chinese refusal or a correct read, within 10 s and 1 GB, never a crash', () => {
  CASES.forEach(([what, make, check], i) => {
    it(what, () => {
      const { bytes, ext = 'xlsx' } = make();
      const file = path.join(dir, `case-${i}.${ext}`);
      writeFileSync(file, bytes);
      const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
      const started = performance.now();
      const child = spawnSync(process.execPath, [CHILD, file, ext], { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
      // The process's whole life, Node's own start included.
      const wall = Math.round(performance.now() - started);
      rmSync(file);
      expect(child.stderr).not.toMatch(/FATAL ERROR|heap out of memory/);
      expect(child.status, child.stderr).toBe(0);
      const outcome = JSON.parse(child.stdout) as Outcome;
      const result = outcome.workbook && !outcome.workbook.ok ? outcome.workbook.detail : outcome.workbook ? `读取成功（${outcome.workbook.sheets.map((s) => `${s.rows} 行 × ${s.columns} 列`).join('、')}）` : (outcome.errors.find((e) => e.startsWith('CSV_MALFORMED')) ?? outcome.errors[0] ?? '读取成功');
      report.push(`| ${what} | ${(size / 1024).toFixed(0)} KB | ${result.replace(/\|/g, '¦').slice(0, 160)} | ${(outcome.cpuMs / 1000).toFixed(1)} s | ${(wall / 1000).toFixed(1)} s | ${outcome.maxRssMB} MB |`);
      check(outcome);
      for (const e of outcome.errors) expect(e).toMatch(/[\u4e00-\u9fff]/);
      expect(outcome.cpuMs).toBeLessThanOrEqual(10_000);
      expect(outcome.maxRssMB).toBeLessThanOrEqual(1024);
    }, 90_000);
  });
});
