import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { importMonth } from '../../src/lib/filing/import.ts';
import { ingest, type IngestResult } from '../../src/lib/ingest/ingest.ts';
import { collectInput } from '../../src/lib/ingest/ingest-fs.ts';
import { jsonReport, textReport } from '../../src/lib/ingest/report.ts';
import { readWorkbook, WORKBOOK_LIMITS } from '../../src/lib/ingest/workbook.ts';
import { countsAddUp, issuesOf } from './helpers.ts';
import { sheetXml, xlsx } from './xlsx-helpers.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/workbooks');
const fixture = (name: string) => new Uint8Array(readFileSync(path.join(FIXTURES, name)));
const registry = (name: string) => ({ path: `registry/${name}`, bytes: fixture(`registry/${name}`) });
/** Where a county files it: the county comes from the path (the template's title names none). */
const COUNTY_PATH = (month: string, ext: string) => `exports/${month}/云南省/怒江傈僳族自治州/福贡县.${ext}`;

function check(bytes: Uint8Array, ext: string, month = '2020-07'): IngestResult {
  return ingest({
    villages: registry('villages.csv'),
    units: registry('units.csv'),
    pairings: registry('pairings.csv'),
    exports: [{ path: COUNTY_PATH(month, ext), bytes, month }],
  });
}

const exportFile = (r: IngestResult) => r.files.find((f) => f.kind === 'export')!;
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the 附件3 template as shipped (title, two-row header, A村 B村, 合计, legend under the metric columns)', () => {
  for (const [what, name, ext] of [
    ['as GBK CSV', '附件3-福贡县.csv', 'csv'],
    ['as an Excel workbook', '附件3-福贡县.xlsx', 'xlsx'],
  ] as const) {
    it(`validates ${what}: the legend row is skipped, the placeholder rows are template rows`, () => {
      const r = check(fixture(name), ext);
      expect(r.issues).toEqual([]);
      expect(r.ok).toBe(true);
      const f = exportFile(r);
      expect(f).toMatchObject({ layout: 'county-table', county: '云南省怒江傈僳族自治州福贡县' });
      expect(f.rows).toEqual({ read: 15, accepted: 2, rejected: 0, skipped: 13 });
      expect(f.skipped).toEqual({ title: 2, header: 2, template: 7, total: 1, legend: 1 });
      expect(countsAddUp(r)).toBe(true);
      const a = r.progress.find((p) => p.villageCode === '533323102001')!;
      expect(a.values).toMatchObject({ fundsPlan: 1_000_000, fundsDone: 600_000, hasIndustryPlan: true, industryPlanDone: false, stationedCount: 2 });
      const b = r.progress.find((p) => p.villageCode === '533323102002')!;
      expect(b.values).toMatchObject({ materialsPlan: 0, salesPlan: 0, jobsDone: 5 });
    });
  }

  it('the CSV fixture is GBK, as Excel on Chinese Windows saves it', () => {
    const r = check(fixture('附件3-福贡县.csv'), 'csv');
    expect(exportFile(r).encoding).toBe('gb18030');
  });

  it('a real data row is never taken for the legend, even when a note sits in it', () => {
    const text = new TextDecoder('gb18030').decode(fixture('附件3-福贡县.csv'));
    const lines = text.split('\r\n');
    // The legend row with a village and numbers in it: a data row with bad cells, not a legend.
    const legend = lines[14]!.split(',');
    legend[1] = 'A村';
    legend[2] = '示例甲农业有限公司';
    legend[3] = '100';
    lines[14] = legend.join(',');
    const r = check(new Uint8Array(Buffer.from(lines.join('\r\n'), 'utf8')), 'csv');
    const f = exportFile(r);
    expect(f.skipped.legend).toBeUndefined();
    expect(f.rows.rejected).toBe(1);
    expect(r.issues.filter((i) => i.row === 15 && i.severity === 'error').map((i) => i.column)).toEqual(expect.arrayContaining(['J', 'K', 'L', 'U']));
  });
});

describe('the month a file states', () => {
  const template = () => new TextDecoder('gb18030').decode(fixture('附件3-福贡县.csv')).split('\r\n');
  const asCsv = (lines: string[]) => new Uint8Array(Buffer.from(lines.join('\r\n'), 'utf8'));

  it('a title 「2020年6月……」 in a July folder is an error on the title cell; 截至 decides over other dates', () => {
    const lines = template();
    lines[1] = `福贡县2020年6月项目进展统计表${','.repeat(21)}`;
    const r = check(asCsv(lines), 'csv');
    expect(issuesOf(r, 'PERIOD_MISMATCH')).toMatchObject([{ severity: 'error', row: 2, column: 'A' }]);
    lines[1] = `福贡县项目进展统计表（2020年6月1日起，截至2020年7月31日）${','.repeat(21)}`;
    expect(issuesOf(check(asCsv(lines), 'csv'), 'PERIOD_MISMATCH')).toEqual([]);
  });

  it('a 填报日期 footer under the table is skipped as a footer and checked: before the month is an error', () => {
    const lines = template();
    const footer = (date: string) => [...lines.slice(0, 15), `填报人：张三,,,,,,,,,,,,,,,,,,填报日期：,${date},,`, ''];
    const ok = check(asCsv(footer('2020-08-03')), 'csv');
    expect(ok.issues).toEqual([]);
    expect(exportFile(ok).skipped).toMatchObject({ footer: 1, legend: 1 });
    const early = check(asCsv(footer('2020年6月28日')), 'csv');
    expect(issuesOf(early, 'PERIOD_MISMATCH')).toMatchObject([{ severity: 'error', row: 16, column: 'T' }]);
  });
});

describe('Excel workbooks (.xlsx) as counties send them', () => {
  const multi = () => check(fixture('多表-福贡县.xlsx'), 'xlsx');

  it('reads the one sheet whose header is 附件3, names it, and warns about the hidden sheet and the hidden row', () => {
    const r = multi();
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const f = exportFile(r);
    expect(f.sheet).toBe('附件3（7月）');
    expect(f.rows).toEqual({ read: 15, accepted: 2, rejected: 0, skipped: 13 });
    expect(issuesOf(r, 'SHEET_HIDDEN').map((i) => i.message)).toEqual([expect.stringContaining('隐藏的工作表“6月（旧）”未读取')]);
    expect(issuesOf(r, 'ROW_HIDDEN')).toMatchObject([{ severity: 'warning', sheet: '附件3（7月）', row: 6 }]);
    const report = textReport(r);
    expect(report).toContain('读取工作表“附件3（7月）”');
    expect(report).toContain('工作表“附件3（7月）” 第 6 行');
    expect(jsonReport(r).files.find((x) => x.kind === 'export')).toMatchObject({ sheet: '附件3（7月）', encoding: 'xlsx' });
  });

  it('numbers stored as text, formulas by their cached value, percent-formatted ratios and merged cells read as Excel shows them', () => {
    const r = multi();
    const a = r.progress.find((p) => p.villageCode === '533323102001')!;
    expect(a.values.fundsPlan).toBe(1_000_000); // '100' stored as text
    expect(a.source).toEqual({ file: COUNTY_PATH('2020-07', 'xlsx'), sheet: '附件3（7月）', row: 5 });
    const b = r.progress.find((p) => p.villageCode === '533323102002')!;
    expect(b.values.jobsDone).toBe(5); // '5' stored as text
    expect(issuesOf(r, 'RATIO_MISMATCH')).toEqual([]); // =E5/D5 shown as 60.00%
    expect(issuesOf(r, 'TOTAL_MISMATCH')).toEqual([]); // =SUM(…) cached values
  });

  it('a title and a 填报日期 that state another month are errors, with sheet, row and column', () => {
    const june = check(fixture('多表-福贡县.xlsx'), 'xlsx', '2020-06');
    const title = issuesOf(june, 'PERIOD_MISMATCH').filter((i) => i.severity === 'error');
    expect(title).toMatchObject([{ sheet: '附件3（7月）', row: 2, column: 'A' }]);
    expect(title[0]!.message).toContain('2020年7月');
    // 填报日期 2020-08-03 is more than a month after June: a warning only (late corrections exist)
    expect(issuesOf(june, 'PERIOD_MISMATCH').filter((i) => i.severity === 'warning')).toMatchObject([{ row: 1, column: 'V' }]);
    const september = check(fixture('多表-福贡县.xlsx'), 'xlsx', '2020-09');
    expect(issuesOf(september, 'PERIOD_MISMATCH').filter((i) => i.severity === 'error').map((i) => `${i.row}${i.column}`).sort()).toEqual(['1V', '2A']);
    expect(september.ok).toBe(false);
  });

  it('the same table as CSV and as a workbook in one month: duplicates named with the sheet', () => {
    const r = ingest({
      villages: registry('villages.csv'),
      units: registry('units.csv'),
      pairings: registry('pairings.csv'),
      exports: [
        { path: COUNTY_PATH('2020-07', 'csv'), bytes: fixture('附件3-福贡县.csv'), month: '2020-07' },
        { path: COUNTY_PATH('2020-07', 'xlsx'), bytes: fixture('附件3-福贡县.xlsx'), month: '2020-07' },
      ],
    });
    const dup = issuesOf(r, 'DUPLICATE_PAIRING');
    expect(dup).toMatchObject([
      { file: COUNTY_PATH('2020-07', 'xlsx'), sheet: 'Sheet1', row: 5 },
      { file: COUNTY_PATH('2020-07', 'xlsx'), sheet: 'Sheet1', row: 6 },
    ]);
    expect(dup[0]!.message).toContain(`${COUNTY_PATH('2020-07', 'csv')} 第 5 行`);
    expect(countsAddUp(r)).toBe(true);
  });

  it('several sheets with the 附件3 header is an error naming them; nothing is read', () => {
    const r = check(fixture('两个附件3.xlsx'), 'xlsx');
    expect(issuesOf(r, 'SHEET_AMBIGUOUS')).toMatchObject([{ severity: 'error', row: null }]);
    expect(issuesOf(r, 'SHEET_AMBIGUOUS')[0]!.message).toContain('“福贡县”、“福贡县 (2)”');
    expect(r.progress).toEqual([]);
    expect(countsAddUp(r)).toBe(true);
  });

  it('no sheet with the 附件3 header is an error listing the sheets', () => {
    const r = check(fixture('无附件3.xlsx'), 'xlsx');
    expect(issuesOf(r, 'SHEET_NOT_FOUND')[0]!.message).toMatch(/“汇总”（2 行）.*“Sheet2”/);
    expect(r.ok).toBe(false);
  });

  it('a hidden sheet is read when it is the only 附件3 sheet, with a warning', () => {
    const template = readWorkbook(fixture('附件3-福贡县.xlsx'));
    expect(template.ok).toBe(true);
    const rows = template.ok ? template.sheets[0]!.rows : [];
    const bytes = xlsx([
      { name: '封面', xml: sheetXml([['福贡县']]) },
      { name: '附件3', xml: sheetXml(rows), state: 'hidden' },
    ]);
    const r = check(bytes, 'xlsx');
    expect(exportFile(r).sheet).toBe('附件3');
    expect(issuesOf(r, 'SHEET_HIDDEN')[0]!.message).toContain('读取的工作表“附件3”在 Excel 中是隐藏的');
    expect(r.ok).toBe(true);
    expect(r.progress).toHaveLength(2);
  });

  it('a formula without a cached value is an error on its cell, and its row is rejected', () => {
    const template = readWorkbook(fixture('附件3-福贡县.xlsx'));
    const rows: Array<Array<string | number | { f: string; v?: number }>> = template.ok ? template.sheets[0]!.rows.map((r) => [...r]) : [];
    rows[4]![4] = { f: 'D5*0.6' }; // 资金已到位 of A村, never calculated
    rows[5]![4] = { f: 'D6', v: 50 }; // B村, calculated
    const r = check(xlsx([{ name: '附件3', xml: sheetXml(rows) }]), 'xlsx');
    expect(issuesOf(r, 'FORMULA_NO_VALUE')).toMatchObject([{ severity: 'error', sheet: '附件3', row: 5, column: 'E' }]);
    expect(issuesOf(r, 'FORMULA_NO_VALUE')[0]!.message).toContain('=D5*0.6');
    expect(exportFile(r).rows).toMatchObject({ accepted: 1, rejected: 1 });
    expect(countsAddUp(r)).toBe(true);
  });

  it('an old .xls workbook (or a password-protected one) gets a clear error advising 另存为 .xlsx', () => {
    const cfb = new Uint8Array(4096);
    cfb.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const r = check(cfb, 'xls');
    expect(issuesOf(r, 'OLD_EXCEL_FORMAT')[0]!.message).toContain('另存为');
    expect(r.ok).toBe(false);
  });

  it('a damaged workbook is an error, not a crash', () => {
    const good = fixture('附件3-福贡县.xlsx');
    const r = check(good.subarray(0, Math.floor(good.length / 2)), 'xlsx');
    expect(issuesOf(r, 'WORKBOOK_CORRUPT')).toHaveLength(1);
  });
});

describe('workbooks are hostile input: limits', () => {
  it('a zip bomb is stopped while inflating, even when the zip lies about the size', () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 0x20);
    const bytes = xlsx([{ name: 'x', xml: Buffer.concat([Buffer.from('<worksheet><sheetData>'), big, Buffer.from('</sheetData></worksheet>')]), declaredSize: 100 }]);
    expect(bytes.length).toBeLessThan(64 * 1024);
    const r = readWorkbook(bytes, { ...WORKBOOK_LIMITS, unzippedBytes: 1024 * 1024 });
    expect(r).toMatchObject({ ok: false, reason: 'too-large' });
    // and through the pipeline, with the real limit but an honest declared size above it
    const honest = xlsx([{ name: 'x', xml: '<worksheet/>', declaredSize: WORKBOOK_LIMITS.unzippedBytes + 1 }]);
    const c = check(honest, 'xlsx');
    expect(issuesOf(c, 'WORKBOOK_TOO_LARGE')[0]!.message).toContain('工作簿过大');
  });

  it('too many sheets, rows or cells are refused with a Chinese reason', () => {
    const rows = Array.from({ length: 30 }, (_, i) => [i, 'x', 'y']);
    const bytes = xlsx([{ name: 'a', xml: sheetXml(rows) }, { name: 'b', xml: sheetXml(rows) }]);
    expect(readWorkbook(bytes, { ...WORKBOOK_LIMITS, sheets: 1 })).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('2 个工作表') });
    expect(readWorkbook(bytes, { ...WORKBOOK_LIMITS, rows: 20 })).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('超过上限 20 行') });
    expect(readWorkbook(bytes, { ...WORKBOOK_LIMITS, cells: 100 })).toMatchObject({ ok: false, reason: 'too-large', detail: expect.stringContaining('单元格超过上限 100 个') });
    expect(readWorkbook(bytes)).toMatchObject({ ok: true });
  });
});

describe('workbooks in DATA_DIR, data:check and data:import', () => {
  it('.xlsx files in exports/ are read; Excel lock files (~$…) are reported and ignored', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gpdzc-xlsx-'));
    temps.push(dir);
    cpSync(path.join(FIXTURES, 'registry'), path.join(dir, 'registry'), { recursive: true });
    const target = path.join(dir, COUNTY_PATH('2020-07', 'xlsx'));
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, fixture('附件3-福贡县.xlsx'));
    writeFileSync(path.join(path.dirname(target), '~$福贡县.xlsx'), 'owner');
    const { input } = collectInput(dir);
    expect(input.exports.map((e) => e.path)).toEqual([COUNTY_PATH('2020-07', 'xlsx')]);
    const r = ingest(input);
    expect(r.ok).toBe(true);
    expect(r.progress).toHaveLength(2);
    expect(issuesOf(r, 'EXCEL_LOCK_FILE')).toMatchObject([{ severity: 'warning', file: 'exports/2020-07/云南省/怒江傈僳族自治州/~$福贡县.xlsx' }]);
  });

  function dataDirWithRegistry(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'gpdzc-xlsx-'));
    temps.push(dir);
    cpSync(path.join(FIXTURES, 'registry'), path.join(dir, 'registry'), { recursive: true });
    return dir;
  }

  it('npm run data:check -- 收文/2020-07/福贡县.xlsx names the sheet and Excel positions', () => {
    const dir = dataDirWithRegistry();
    const inbox = path.join(dir, '收文', '2020-07');
    mkdirSync(inbox, { recursive: true });
    writeFileSync(path.join(inbox, '福贡县.xlsx'), fixture('多表-福贡县.xlsx'));
    const root = path.resolve(import.meta.dirname, '../..');
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/data-check.ts'), path.join(inbox, '福贡县.xlsx')], { cwd: dir, env: { ...process.env, DATA_DIR: dir }, encoding: 'utf8' });
    expect(r.stdout).toContain('工作簿 收文/2020-07/福贡县.xlsx：读取工作表“附件3（7月）”（15 行）');
    expect(r.stdout).toContain('警告  工作表“附件3（7月）” 第 6 行  这一行在 Excel 中是隐藏的');
    expect(r.stdout).not.toContain('错误');
    expect(r.status).toBe(0);
  });

  it('data:import files an .xlsx as it came', () => {
    const dir = dataDirWithRegistry();
    const source = path.join(dir, '福贡县.xlsx');
    writeFileSync(source, fixture('附件3-福贡县.xlsx'));
    const outcome = importMonth({ dataDir: dir, month: '2020-07', date: '2020-08-05', files: [source] });
    expect(outcome.ok).toBe(true);
    expect(readFileSync(path.join(dir, 'exports/2020-07/福贡县.xlsx'))).toEqual(readFileSync(source));
    const after = ingest(collectInput(dir).input);
    expect(after.ok).toBe(true);
    expect(after.progress).toHaveLength(2);
  });
});
