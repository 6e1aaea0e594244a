import { describe, expect, it } from 'vitest';
import { countsAddUp, gbk, ingestExports, issuesOf, utf8 } from './helpers.ts';

const VILLAGES = '村代码,省,市,县,乡镇,村\n533323101001,云南省,怒江傈僳族自治州,福贡县,石月亮乡,青松村\n';
const UNITS = '单位代码,单位名称,单位类型,所在省,所在市\n91533300MA6K0001XA,示例云岭农业科技有限公司,民营企业,云南省,昆明市\n';
const PAIRINGS = '村代码,单位代码,协议签署日期,承诺投入资金（万元）\n533323101001,91533300MA6K0001XA,2020-05-10,100\n';

const registry = (v = VILLAGES, u = UNITS, p = PAIRINGS) => ingestExports([], { villages: utf8(v), units: utf8(u), pairings: utf8(p) });

describe('registry files', () => {
  it('reads a minimal registry; columns in any order; 附件1 validity defaults to 2020-12-31', () => {
    const r = registry(
      '村,乡镇,县,市,省,村代码\n青松村,石月亮乡,福贡县,怒江傈僳族自治州,云南省,533323101001\n',
      UNITS,
      '单位代码,村代码,承诺投入资金（万元）,协议签署日期\n91533300MA6K0001XA,533323101001,100.25,2020年5月10日\n',
    );
    expect(r.issues).toEqual([]);
    expect(r.villages[0]).toMatchObject({ code: '533323101001', name: '青松村', countyCode: '533323', provinceCode: '53' });
    expect(r.pairings[0]).toMatchObject({ signedOn: '2020-05-10', validUntil: '2020-12-31', pledgedFunds: 1_002_500 });
    expect(countsAddUp(r)).toBe(true);
  });
  it('reads a GBK registry saved by Excel', () => {
    const r = ingestExports([], { villages: gbk(VILLAGES), units: gbk(UNITS), pairings: gbk(PAIRINGS) });
    expect(r.issues).toEqual([]);
    expect(r.units[0]!.name).toBe('示例云岭农业科技有限公司');
  });
  it('checks the 统一社会信用代码 check character', () => {
    const r = registry(VILLAGES, UNITS + '91533300MA6K0001XB,示例坏代码有限公司,民营企业,云南省,\n');
    expect(issuesOf(r, 'BAD_UNIT_CODE')).toMatchObject([{ file: 'registry/units.csv', row: 3, column: 'A', severity: 'error' }]);
    expect(issuesOf(r, 'BAD_UNIT_CODE')[0]!.message).toContain('校验码错误');
    expect(r.units).toHaveLength(1);
  });
  it('rejects village codes that are not 12 digits', () => {
    const r = registry(VILLAGES + '53332310100,云南省,怒江傈僳族自治州,福贡县,石月亮乡,白河村\n');
    expect(issuesOf(r, 'BAD_VILLAGE_CODE')).toMatchObject([{ row: 3, column: 'A' }]);
  });
  it('rejects duplicate village codes, naming the first row', () => {
    const r = registry(VILLAGES + '533323101001,云南省,怒江傈僳族自治州,福贡县,石月亮乡,白河村\n');
    expect(issuesOf(r, 'DUPLICATE_VILLAGE')).toMatchObject([{ row: 3, column: 'A' }]);
    expect(issuesOf(r, 'DUPLICATE_VILLAGE')[0]!.message).toContain('第 2 行');
  });
  it('rejects a county whose villages disagree on the 6-digit county code', () => {
    const r = registry(VILLAGES + '533324101002,云南省,怒江傈僳族自治州,福贡县,石月亮乡,白河村\n');
    expect(issuesOf(r, 'COUNTY_CODE_CONFLICT')).toMatchObject([{ row: 3, column: 'A' }]);
  });
  it('rejects an unknown unit type', () => {
    const r = registry(VILLAGES, UNITS.replace('民营企业', '个人'));
    expect(issuesOf(r, 'BAD_UNIT_TYPE')).toMatchObject([{ row: 2, column: 'C' }]);
  });
  it('a missing required column and a blank required cell are errors; an extra column is a warning', () => {
    const r = registry('村代码,省,市,县,村,备注\n533323101001,云南省,怒江傈僳族自治州,福贡县,青松村,x\n');
    expect(issuesOf(r, 'MISSING_COLUMN')[0]!.message).toContain('乡镇');
    expect(issuesOf(r, 'UNKNOWN_COLUMN')).toMatchObject([{ severity: 'warning', row: 1, column: 'F' }]);
    const blank = registry(VILLAGES.replace('石月亮乡', ''));
    expect(issuesOf(blank, 'MISSING_VALUE')).toMatchObject([{ row: 2, column: 'E' }]);
  });
  it('a pairing must name registered villages and units, once', () => {
    const r = registry(VILLAGES, UNITS, PAIRINGS + '533323101009,91533300MA6K0001XA,2020-05-10,1\n533323101001,91533300MA6K0001XA,2020-05-11,2\n');
    expect(issuesOf(r, 'PAIRING_UNKNOWN_VILLAGE')).toMatchObject([{ row: 3, column: 'A' }]);
    expect(issuesOf(r, 'DUPLICATE_REGISTRY_PAIRING')).toMatchObject([{ row: 4 }]);
    expect(r.pairings).toHaveLength(1);
  });
  it('rejects impossible dates and warns when 附件2 splits do not add up', () => {
    const header = '村代码,单位代码,协议签署日期,承诺投入资金（万元）,计划销售收入（万元）,帮扶单位自购（万元）,链接市场销售（万元）\n';
    const bad = registry(VILLAGES, UNITS, header + '533323101001,91533300MA6K0001XA,2020-02-30,100,10,5,4\n');
    expect(issuesOf(bad, 'BAD_DATE')).toMatchObject([{ row: 2, column: 'C' }]);
    const split = registry(VILLAGES, UNITS, header + '533323101001,91533300MA6K0001XA,2020-05-30,100,10,5,4\n');
    expect(issuesOf(split, 'PLAN_SPLIT_MISMATCH')).toMatchObject([{ severity: 'warning', row: 2 }]);
    expect(split.ok).toBe(true);
  });
  it('a missing registry file is reported by name', () => {
    const r = ingestExports([], { villages: new Uint8Array() });
    expect(issuesOf(r, 'EMPTY_FILE')).toMatchObject([{ file: 'registry/villages.csv' }]);
    // every pairing then points at an unknown village
    expect(issuesOf(r, 'PAIRING_UNKNOWN_VILLAGE').length).toBeGreaterThan(0);
    expect(countsAddUp(r)).toBe(true);
  });
});
