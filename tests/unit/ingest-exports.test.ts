import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeUscc } from '../../src/lib/ingest/uscc.ts';
import {
  FLAT_HEADER,
  SMALL,
  countsAddUp,
  countyTable,
  flatColumn,
  flatRow,
  gbk,
  ingestExports,
  issuesOf,
  utf16le,
  utf8,
  utf8bom,
} from './helpers.ts';

const flat = (...rows: string[]) => [FLAT_HEADER, ...rows].join('\n') + '\n';
const NAYONG_A = '1,安乐村,示例乌蒙山食品有限公司,200,100,50,50,20,40,1,0,80,30,37.5,20,8,40,60,20,33.33,1,1';
const NAYONG_B = '2,石桥村,示例乌蒙山食品有限公司,80,40,50,20,0,0,1,0,30,10,33.33,8,2,25,30,0,0,0,0';
const NAYONG_TOTAL = '合计,,,280,140,50,70,20,28.57,2,0,110,40,36.36,28,10,35.71,90,20,22.22,1,1';

describe('reading every encoding Excel writes', () => {
  const text = flat(flatRow());
  for (const [name, bytes, encoding] of [
    ['UTF-8 with BOM', utf8bom(text), 'utf-8-bom'],
    ['UTF-8 without BOM', utf8(text), 'utf-8'],
    ['GB18030/GBK', gbk(text), 'gb18030'],
    ['UTF-16LE tab-separated with BOM', utf16le(text.replace(/,/g, '\t')), 'utf-16le'],
    ['UTF-16LE tab-separated without BOM', utf16le(text.replace(/,/g, '\t'), false), 'utf-16le'],
  ] as const) {
    it(`reads ${name}`, () => {
      const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes }]);
      expect(r.issues).toEqual([]);
      expect(r.files.find((f) => f.kind === 'export')?.encoding).toBe(encoding);
      expect(r.progress).toHaveLength(1);
      expect(r.progress[0]!.values.fundsPlan).toBe(1_205_000); // 120.5 万元, exact
      expect(countsAddUp(r)).toBe(true);
    });
  }
});

describe('whole-file problems', () => {
  it('an empty file is an error, not a crash', () => {
    const r = ingestExports([{ path: 'exports/2020-07/空.csv', bytes: new Uint8Array() }]);
    expect(issuesOf(r, 'EMPTY_FILE')).toMatchObject([{ file: 'exports/2020-07/空.csv', row: null, column: null, severity: 'error' }]);
    expect(r.ok).toBe(false);
  });
  it('a file of only blank lines is empty', () => {
    const r = ingestExports([{ path: 'exports/2020-07/空行.csv', bytes: utf8('\n\n  \n') }]);
    expect(issuesOf(r, 'EMPTY_FILE')).toHaveLength(1);
  });
  it('a workbook is read as a workbook whatever its name; a broken one is reported, not a crash', () => {
    // The first bytes of an .xlsx (a zip) and nothing more, named .csv: read by content, found damaged.
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0x62, 0xee, 0x9d, 0x68]);
    const r = ingestExports([{ path: 'exports/2020-07/工作簿.csv', bytes: zip }]);
    expect(issuesOf(r, 'WORKBOOK_CORRUPT')).toHaveLength(1);
    expect(issuesOf(r, 'WORKBOOK_CORRUPT')[0]!.message).toMatch(/另存为/);
  });
  it('random bytes without NULs are reported as binary or unknown encoding', () => {
    let seed = 7;
    const bytes = new Uint8Array(2048).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed % 255) + 1;
    });
    const r = ingestExports([{ path: 'exports/2020-07/乱码.csv', bytes }]);
    expect(r.issues.map((i) => i.code).filter((c) => c === 'BINARY_FILE' || c === 'ENCODING_UNKNOWN')).toHaveLength(1);
    expect(r.ok).toBe(false);
  });
  it('invalid UTF-8 after a UTF-8 BOM is an encoding error', () => {
    const r = ingestExports([{ path: 'exports/2020-07/坏.csv', bytes: new Uint8Array([0xef, 0xbb, 0xbf, 0xc3, 0x28, 0x2c, 0x31]) }]);
    expect(issuesOf(r, 'ENCODING_UNKNOWN')).toHaveLength(1);
  });
  it('a table without the 附件3 header is reported, and its rows are counted as rejected', () => {
    const r = ingestExports([{ path: 'exports/2020-07/别的表.csv', bytes: utf8('姓名,电话\n张三,123\n李四,456\n') }]);
    expect(issuesOf(r, 'NO_HEADER')).toHaveLength(1);
    const f = r.files.find((x) => x.kind === 'export')!;
    expect(f.rows).toEqual({ read: 3, accepted: 0, rejected: 3, skipped: 0 });
    expect(countsAddUp(r)).toBe(true);
  });
  it('a missing metric column is named, and every data row is rejected', () => {
    const header = FLAT_HEADER.split(',').filter((h) => h !== '已完成培训人数');
    const row = flatRow().split(',');
    row.splice(FLAT_HEADER.split(',').indexOf('已完成培训人数'), 1);
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8bom(`${header.join(',')}\n${row.join(',')}\n`) }]);
    expect(issuesOf(r, 'MISSING_COLUMN')).toMatchObject([{ row: 1, column: null }]);
    expect(issuesOf(r, 'MISSING_COLUMN')[0]!.message).toContain('已完成培训人数');
    expect(r.rows.rejected).toBe(1);
    expect(r.progress).toHaveLength(0);
    expect(countsAddUp(r)).toBe(true);
  });
  it('an unclosed quote is a CSV error', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ 帮扶村: '青松村' })).replace('青松村', '"青松村')) }]);
    expect(issuesOf(r, 'CSV_MALFORMED').length).toBeGreaterThan(0);
    expect(r.ok).toBe(false);
  });
  it('an extra column is a warning and is ignored', () => {
    const text = `${FLAT_HEADER},备注\n${flatRow()},已核实\n`;
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(text) }]);
    expect(r.ok).toBe(true);
    expect(issuesOf(r, 'UNKNOWN_COLUMN')).toMatchObject([{ severity: 'warning', row: 1, column: 'AB' }]);
  });
});

describe('header cells as Excel writes them', () => {
  it('matches headers with line breaks, spaces and full-width or half-width brackets', () => {
    const header = FLAT_HEADER.replace('资金计划总投入（万元）', '"资金计划\n总投入\n（万元）"')
      .replace('资金已到位总投入（万元）', '资金已到位总投入 (万元)')
      .replace('资金计划完成比例（%）', '资金计划完成比例（％）')
      .replace('计划就业人数', ' 计划 就业人数 ');
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(`${header}\n${flatRow()}\n`) }]);
    expect(r.issues).toEqual([]);
    expect(r.progress[0]!.values.jobsPlan).toBe(10);
  });
});

describe('values', () => {
  it('reads full-width digits, thousands separators, spaces and % exactly', () => {
    const r = ingestExports([
      { path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ '资金计划总投入（万元）': '１,２００.５', '资金已到位总投入（万元）': ' 1 200.5 ', '资金计划完成比例（%）': '100%' }))) },
    ]);
    expect(r.issues).toEqual([]);
    expect(r.progress[0]!.values.fundsPlan).toBe(12_005_000);
    expect(r.progress[0]!.values.fundsDone).toBe(12_005_000);
  });
  it('keeps money exact where floats drift (0.1 + 0.2 万元)', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ '资金计划总投入（万元）': '0.1', '资金已到位总投入（万元）': '0.0001' }))) }]);
    expect(r.progress[0]!.values.fundsPlan).toBe(1000);
    expect(r.progress[0]!.values.fundsDone).toBe(1);
  });
  it('a blank metric is 未填报 (null), not 0; a blank ratio is fine', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ '已完成销售（万元）': '', '销售计划完成比例（%）': '' }))) }]);
    expect(r.ok).toBe(true);
    expect(r.progress[0]!.values.salesDone).toBeNull();
    expect(r.progress[0]!.values.salesPlan).toBe(500_000);
  });
  it('accepts flags as 1/0, 是/否 and 有/无', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ '是否有产业扶贫计划（1/0）': '有', '是否已完成计划（1/0）': '否', '是否派驻村（1/0）': '是' }))) }]);
    expect(r.issues).toEqual([]);
    expect(r.progress[0]!.values).toMatchObject({ hasIndustryPlan: true, industryPlanDone: false, stationed: true });
  });

  const bad: Array<[string, string, string, string]> = [
    ['text in a number', '资金已到位总投入（万元）', '六十', 'BAD_NUMBER'],
    ['a negative value', '已完成销售（万元）', '-5', 'NEGATIVE_VALUE'],
    ['a fractional head count', '已解决就业人数', '2.5', 'NOT_INTEGER'],
    ['a % sign on money', '物资已到位（万元）', '10%', 'PERCENT_NOT_ALLOWED'],
    ['more than 4 decimals of 万元', '资金计划总投入（万元）', '120.50001', 'TOO_MANY_DECIMALS'],
    ['a bad flag', '是否派驻村（1/0）', '2', 'BAD_FLAG'],
    ['a flag written as text', '是否有产业扶贫计划（1/0）', 'yes', 'BAD_FLAG'],
    ['a misplaced thousands separator', '计划销售（万元）', '1,23', 'BAD_NUMBER'],
  ];
  for (const [what, header, value, code] of bad) {
    it(`rejects ${what} with ${code} at its row and column`, () => {
      const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ [header]: value }))) }]);
      expect(r.issues).toMatchObject([{ severity: 'error', code, file: 'exports/2020-07/云南省.csv', row: 2, column: flatColumn(header) }]);
      expect(r.issues[0]!.message).toContain(header);
      expect(r.rows.rejected).toBe(1);
      expect(r.progress).toHaveLength(0);
      expect(countsAddUp(r)).toBe(true);
    });
  }

  it('reports every bad cell of a row and every bad row, all at once', () => {
    const r = ingestExports([
      {
        path: 'exports/2020-07/云南省.csv',
        bytes: utf8(flat(flatRow({ '资金计划总投入（万元）': 'abc', '已驻村人数': '-1' }), flatRow({ 帮扶村: '白河村', 村代码: '533323101002', '计划销售（万元）': '?' }))),
      },
    ]);
    expect(r.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [2, flatColumn('资金计划总投入（万元）'), 'BAD_NUMBER'],
      [2, flatColumn('已驻村人数'), 'NEGATIVE_VALUE'],
      [3, flatColumn('计划销售（万元）'), 'BAD_NUMBER'],
    ]);
    expect(r.rows.rejected).toBe(2);
  });
});

describe('derived ratios', () => {
  it('warns when the file’s ratio disagrees with done/plan beyond rounding, and accepts the row', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ '资金计划完成比例（%）': '80' }))) }]);
    expect(r.ok).toBe(true);
    expect(r.issues).toMatchObject([{ severity: 'warning', code: 'RATIO_MISMATCH', row: 2, column: flatColumn('资金计划完成比例（%）') }]);
    expect(r.progress).toHaveLength(1);
  });
  it('does not warn within rounding, nor for 无计划 where the plan is 0', () => {
    const r = ingestExports([
      { path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ '资金计划完成比例（%）': '49.8%', '物资计划总投入（万元）': '0', '物资已到位（万元）': '0', '物资计划完成比例（%）': '无计划' }))) },
    ]);
    expect(r.issues).toEqual([]);
  });
  it('warns about done without a plan', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ '计划培训人数': '0', '培训计划完成比例（%）': '' }))) }]);
    expect(issuesOf(r, 'DONE_WITHOUT_PLAN')).toMatchObject([{ severity: 'warning', row: 2, column: flatColumn('已完成培训人数') }]);
  });
  it('warns when 是否派驻村 is 0 but people are stationed', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ '是否派驻村（1/0）': '0' }))) }]);
    expect(issuesOf(r, 'FLAG_INCONSISTENT')).toMatchObject([{ severity: 'warning', row: 2, column: flatColumn('已驻村人数') }]);
  });
});

describe('matching the registry', () => {
  it('matches by name within the county when codes are absent', () => {
    const header = FLAT_HEADER.replace(',村代码', '').replace(',单位代码', '');
    const row = flatRow().replace(',533323101001', '').replace(',91533300MA6K0001XA', '');
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(`${header}\n${row}\n`) }]);
    expect(r.issues).toEqual([]);
    expect(r.progress[0]).toMatchObject({ villageCode: '533323101001', unitCode: '91533300MA6K0001XA' });
  });
  it('a unit name that two registered units share is the one paired in the county, and asks for the code when neither is', () => {
    const units = readFileSync(path.join(SMALL, 'registry/units.csv'), 'utf8');
    const namesake = (name: string) => `${makeUscc('91110000MA0K00999')},${name},民营企业,北京市,北京市\n`;
    const header = FLAT_HEADER.replace(',单位代码', '');
    // 示例云岭农业科技有限公司 is paired with 青松村 (福贡县); its namesake is paired with no village
    const row = flatRow().replace(',91533300MA6K0001XA', '');
    const inCounty = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(`${header}\n${row}\n`) }], { units: utf8(units + namesake('示例云岭农业科技有限公司')) });
    expect(inCounty.issues).toEqual([]);
    expect(inCounty.progress[0]).toMatchObject({ villageCode: '533323101001', unitCode: '91533300MA6K0001XA' });
    // 示例京华物流有限公司 is not paired in 福贡县: two units of that name in the registry, so the row must give the code
    const outside = flatRow({ 结对帮扶单位: '示例京华物流有限公司' }).replace(',91533300MA6K0001XA', '');
    const ambiguous = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(`${header}\n${outside}\n`) }], { units: utf8(units + namesake('示例京华物流有限公司')) });
    expect(ambiguous.issues).toMatchObject([{ code: 'AMBIGUOUS_UNIT', row: 2, column: flatColumn('结对帮扶单位') }]);
  });
  it('an unknown village name is an error that suggests the nearest registered name', () => {
    const header = FLAT_HEADER.replace(',村代码', '');
    const row = flatRow({ 帮扶村: '青松材' }).replace(',533323101001', '');
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(`${header}\n${row}\n`) }]);
    expect(r.issues).toMatchObject([{ code: 'UNKNOWN_VILLAGE', row: 2, column: 'E' }]);
    expect(r.issues[0]!.message).toContain('“青松村”');
  });
  it('an unknown village code is an error', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ 村代码: '533323999999', 帮扶村: '' }))) }]);
    expect(r.issues).toMatchObject([{ code: 'UNKNOWN_VILLAGE', row: 2, column: flatColumn('村代码') }]);
  });
  it('a malformed village code is an error', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ 村代码: '5333231010' }))) }]);
    expect(r.issues).toMatchObject([{ code: 'BAD_VILLAGE_CODE', row: 2, column: flatColumn('村代码') }]);
  });
  it('a code that contradicts the row’s county is an error', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ 县: '泸水市' }))) }]);
    expect(r.issues).toMatchObject([{ code: 'LOCATION_MISMATCH', row: 2, column: 'C' }]);
  });
  it('an unknown unit name is an error with a suggestion', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ 单位代码: '', 结对帮扶单位: '示例云岭农业科技公司' }))) }]);
    expect(r.issues).toMatchObject([{ code: 'UNKNOWN_UNIT', row: 2, column: flatColumn('结对帮扶单位') }]);
    expect(r.issues[0]!.message).toContain('“示例云岭农业科技有限公司”');
  });
  it('an unknown county is an error with a suggestion', () => {
    const header = FLAT_HEADER.replace(',村代码', '');
    const row = flatRow({ 县: '福贡' }).replace(',533323101001', '');
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(`${header}\n${row}\n`) }]);
    expect(r.issues).toMatchObject([{ code: 'UNKNOWN_COUNTY', row: 2, column: 'C' }]);
    expect(r.issues[0]!.message).toContain('福贡县');
  });
  it('a row for a pairing that is not registered is an error', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ 结对帮扶单位: '示例春晖公益基金会', 单位代码: '53440100MJ5K0003XJ' }))) }]);
    expect(r.issues).toMatchObject([{ code: 'UNREGISTERED_PAIRING', row: 2, column: flatColumn('结对帮扶单位') }]);
  });
  it('a row without a unit is an error', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(flatRow({ 结对帮扶单位: '', 单位代码: '' }))) }]);
    expect(r.issues).toMatchObject([{ code: 'MISSING_IDENTITY', row: 2, column: flatColumn('结对帮扶单位') }]);
  });
});

describe('the county table (附件3 as saved from Excel)', () => {
  it('reads title, two-row header, data, 合计, legend and template rows, and accounts for every row', () => {
    const r = ingestExports([{ path: 'exports/2020-07/纳雍县.csv', bytes: gbk(countyTable([NAYONG_A, NAYONG_B], NAYONG_TOTAL)) }]);
    expect(r.issues).toEqual([]);
    const f = r.files.find((x) => x.kind === 'export')!;
    expect(f).toMatchObject({ layout: 'county-table', encoding: 'gb18030', county: '贵州省毕节市纳雍县' });
    expect(f.rows).toEqual({ read: 9, accepted: 2, rejected: 0, skipped: 7 });
    expect(f.skipped).toEqual({ title: 1, header: 2, total: 1, legend: 1, template: 1, blank: 1 });
    expect(r.progress.map((p) => p.villageCode)).toEqual(['520525101001', '520525101002']);
    expect(r.progress[0]!.values.fundsDone).toBe(1_000_000);
  });
  it('takes the county from the path when the title does not name it', () => {
    const r = ingestExports([{ path: 'exports/2020-07/贵州省/毕节市/纳雍县.csv', bytes: gbk(countyTable([NAYONG_A], NAYONG_TOTAL.replace('280,140,50,70,20,28.57,2,0,110,40,36.36,28,10,35.71,90,20,22.22,1,1', '200,100,50,50,20,40,1,0,80,30,37.5,20,8,40,60,20,33.33,1,1'), '项目进展统计表')) }]);
    expect(r.issues).toEqual([]);
    expect(r.progress).toHaveLength(1);
  });
  it('without a county in title or path, the rows are rejected with NO_COUNTY', () => {
    const r = ingestExports([{ path: 'exports/2020-07/表1.csv', bytes: gbk(countyTable([NAYONG_A], null, '项目进展统计表')) }]);
    expect(issuesOf(r, 'NO_COUNTY')).toHaveLength(1);
    expect(r.rows.rejected).toBe(1);
    expect(countsAddUp(r)).toBe(true);
  });
  it('title and path naming different counties is an error', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省/怒江傈僳族自治州/福贡县.csv', bytes: gbk(countyTable([NAYONG_A], null)) }]);
    expect(issuesOf(r, 'COUNTY_CONFLICT')).toMatchObject([{ row: 1, column: 'A' }]);
  });
  it('a 合计 that is not the column sum is an error on the 合计 row, in the right column', () => {
    const wrong = NAYONG_TOTAL.replace('合计,,,280,140', '合计,,,280,141');
    const r = ingestExports([{ path: 'exports/2020-07/纳雍县.csv', bytes: gbk(countyTable([NAYONG_A, NAYONG_B], wrong)) }]);
    expect(r.issues).toMatchObject([{ severity: 'error', code: 'TOTAL_MISMATCH', row: 6, column: 'E' }]);
    expect(r.issues[0]!.message).toContain('141');
    expect(r.issues[0]!.message).toContain('140');
  });
  it('a 合计 row whose flag sum is wrong is an error', () => {
    const wrong = NAYONG_TOTAL.replace(',2,0,110,', ',3,0,110,');
    const r = ingestExports([{ path: 'exports/2020-07/纳雍县.csv', bytes: gbk(countyTable([NAYONG_A, NAYONG_B], wrong)) }]);
    expect(r.issues).toMatchObject([{ code: 'TOTAL_MISMATCH', row: 6, column: 'J' }]);
  });
  it('warns when a county table has no 合计 row', () => {
    const r = ingestExports([{ path: 'exports/2020-07/纳雍县.csv', bytes: gbk(countyTable([NAYONG_A], null)) }]);
    expect(issuesOf(r, 'TOTAL_MISSING')).toMatchObject([{ severity: 'warning' }]);
    expect(r.ok).toBe(true);
  });
});

describe('across files and months', () => {
  it('the same pairing twice in one month is an error naming the first report', () => {
    const r = ingestExports([
      { path: 'exports/2020-07/a.csv', bytes: utf8(flat(flatRow())) },
      { path: 'exports/2020-07/b.csv', bytes: utf8(flat(flatRow())) },
    ]);
    expect(issuesOf(r, 'DUPLICATE_PAIRING')).toMatchObject([{ file: 'exports/2020-07/b.csv', row: 2 }]);
    expect(issuesOf(r, 'DUPLICATE_PAIRING')[0]!.message).toContain('exports/2020-07/a.csv 第 2 行');
    expect(r.progress).toHaveLength(1);
    const exportRows = r.files.filter((f) => f.kind === 'export').map((f) => [f.rows.accepted, f.rows.rejected]);
    expect(exportRows).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(countsAddUp(r)).toBe(true);
  });
  it('a cumulative value lower than last month is a warning, recorded as a correction', () => {
    const r = ingestExports([
      { path: 'exports/2020-06/a.csv', bytes: utf8(flat(flatRow({ '资金已到位总投入（万元）': '60' }))), month: '2020-06' },
      { path: 'exports/2020-07/a.csv', bytes: utf8(flat(flatRow({ '资金已到位总投入（万元）': '55', '资金计划完成比例（%）': '' }))), month: '2020-07' },
    ]);
    expect(r.ok).toBe(true);
    expect(r.issues).toMatchObject([{ severity: 'warning', code: 'CUMULATIVE_DECREASE', file: 'exports/2020-07/a.csv', row: 2, column: flatColumn('资金已到位总投入（万元）') }]);
    const july = r.progress.find((p) => p.month === '2020-07')!;
    expect(july.decreases).toEqual([{ metric: 'fundsDone', previousMonth: '2020-06', previous: 600_000, current: 550_000 }]);
  });
  it('a file outside a month folder cannot be filed', () => {
    const r = ingestExports([{ path: 'exports/云南省.csv', bytes: utf8(flat(flatRow())), month: null }]);
    expect(r.progress).toHaveLength(0);
  });
});

describe('columns without a header', () => {
  it('content under a blank header is a warning, once per column, and is ignored', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(`${flatRow()},备注一`, `${flatRow({ 帮扶村: '白河村', 村代码: '533323101002' })},备注二`)) }]);
    expect(r.ok).toBe(true);
    expect(issuesOf(r, 'UNNAMED_COLUMN')).toMatchObject([{ severity: 'warning', row: 2, column: 'AB' }]);
    expect(r.progress).toHaveLength(2);
  });
  it('trailing empty columns are not reported', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8(flat(`${flatRow()},,,`)) }]);
    expect(r.issues).toEqual([]);
  });
});
