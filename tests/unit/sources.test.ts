/**
 * Published sources: stable names by area, the SHA-256 of the file as received, and a public
 * copy (header, data and 合计 rows in the contract's columns, written fresh) whose rows are the
 * rows pages cite.
 */
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { sha256 } from '../../src/lib/ingest/revisions.ts';
import { planSources, sourceRef, withPublishedSources } from '../../src/lib/filing/sources.ts';
import { describeLeftOut, makePublicCopy } from '../../src/lib/filing/public-copy.ts';
import { COUNTY_GROUP_ROW, COUNTY_METRIC_ROW, FLAT_HEADER, flatRow, ingestExports, utf8bom, gbk } from './helpers.ts';
import { sheetXml, xlsx, type XCell } from './xlsx-helpers.ts';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const csvCells = (line: string) => line.split(',');

describe('published sources', () => {
  it('a flat file: the copy is its header and data rows, under its county code, and records point at the copy', () => {
    const bytes = utf8bom(`${FLAT_HEADER}\n${flatRow()}\n`);
    const result = ingestExports([{ path: 'exports/2020-07/云南省/怒江傈僳族自治州/福贡县.csv', bytes }]);
    expect(result.ok).toBe(true);
    const { index, contents } = planSources(result, () => bytes);
    const s = index.list[0]!;
    expect(s).toMatchObject({ url: '/sources/2020-07/533323.csv', label: '福贡县 2020年7月报表', sha256: sha256(bytes), size: bytes.length });
    const published = contents.get(s.url!)!();
    expect(s.publishedSha256).toBe(sha256(published));
    expect(text(published)).toBe(`\ufeff${FLAT_HEADER}\r\n${flatRow()}\r\n`);
    expect(describeLeftOut(s.leftOut!)).toBe('');
    const [r] = withPublishedSources(result.progress, index);
    expect(r!.source).toEqual({ file: '/sources/2020-07/533323.csv', row: 2 });
    expect(sourceRef(index, r!.source)).toEqual({ text: '福贡县 2020年7月报表 第 2 行', href: '/sources/2020-07/533323.csv' });
  });

  it('a column outside the contract is left out of the copy, and the list says which', () => {
    const bytes = utf8bom(`${FLAT_HEADER},联系人电话\n${flatRow()},13800000000\n`);
    const result = ingestExports([{ path: 'exports/2020-07/福贡县.csv', bytes }]);
    expect(result.issues.some((i) => i.code === 'UNKNOWN_COLUMN')).toBe(true);
    const { index, contents } = planSources(result, () => bytes);
    const s = index.list[0]!;
    expect(s.leftOut!.columns).toEqual(['AB']);
    expect(describeLeftOut(s.leftOut!)).toContain('数据约定以外的列 1 列（AB 列）');
    const published = text(contents.get(s.url!)!());
    expect(published).not.toContain('13800000000');
    expect(published).not.toContain('联系人电话');
    expect(published.replace(/^\ufeff/, '').split('\r\n')[1]).toBe(flatRow());
  });

  it('a county table (GBK, as Excel saves it): title, legend, blank template rows and the sign-off lines are left out; the copy reads as the same records, row for row as cited', () => {
    const data = ['1,青松村,示例云岭农业科技有限公司,120.5,60,49.79,30,10,33.33,1,0,50,10,20,10,2,20,40,10,25,1,2'];
    const total = '合计,,,120.5,60,49.79,30,10,33.33,1,0,50,10,20,10,2,20,40,10,25,1,2';
    const received = [
      '福贡县社会力量助力挂牌督战村项目结对帮扶项目进展统计表（截至2020年7月31日）,,,,,,,,,,,,,,,,,,,,,',
      COUNTY_GROUP_ROW,
      COUNTY_METRIC_ROW,
      ...data,
      total,
      '注：1：有 0：无；无计划填零,,,,,,,,,,,,,,,,,,,,,',
      '2,,,,,,,,,,,,,,,,,,,,,',
      ',,,,,,,,,,,,,,,,,,,,,',
      '填报人：李建国,,联系电话：13912345678,,审核人：王秀英,,,,,,,,,,,,,,,,,',
      '填报日期：2020年8月3日,,,,,,,,,,,,,,,,,,,,,',
    ].join('\n') + '\n';
    const bytes = gbk(received);
    const file = 'exports/2020-07/云南省/怒江傈僳族自治州/福贡县.csv';
    const result = ingestExports([{ path: file, bytes }]);
    expect(result.ok).toBe(true);
    const copy = makePublicCopy(bytes, file)!;
    const out = text(copy.bytes);
    for (const leak of ['李建国', '13912345678', '王秀英', '填报', '截至', '注：']) expect(out).not.toContain(leak);
    const rows = Papa.parse<string[]>(out.replace(/^\ufeff/, ''), { skipEmptyLines: true }).data;
    expect(rows).toHaveLength(4); // group row, metric row, one data row, 合计
    expect(rows[2]!.join(',')).toBe(data[0]);
    expect(rows[3]!.join(',')).toBe(total);
    expect(copy.leftOut).toMatchObject({ title: 1, footer: 2, legend: 1, blank: 2, columns: [], sheets: 0, workbook: false });
    expect(describeLeftOut(copy.leftOut)).toBe('标题行 1 行、落款行 2 行（填报人、联系电话、审核人、填报日期等）、填表说明 1 行、空行和空白模板行 2 行');
    // the copy, read again where the county is named by its path, gives the same records, and
    // each record's cited row is its row in the copy
    const again = ingestExports([{ path: file, bytes: copy.bytes }]);
    expect(again.ok).toBe(true);
    const { index } = planSources(result, () => bytes);
    const cited = withPublishedSources(result.progress, index);
    expect(again.progress.map((r) => [r.pairingId, r.values, r.source.row])).toEqual(cited.map((r) => [r.pairingId, r.values, r.source.row]));
    expect(cited[0]!.source.row).toBe(3);
  });

  it('a workbook: only its 附件3 sheet, fresh as CSV; the hidden contacts sheet, hidden notes and the rest of the package are left out', () => {
    const metrics = csvCells(COUNTY_METRIC_ROW.replace(/"[^"]*"/g, (m) => m.replace(/,/g, '\u0000'))).map((c) => c.replace(/\u0000/g, ',').replace(/^"|"$/g, ''));
    const group: XCell[] = csvCells(COUNTY_GROUP_ROW);
    const row: XCell[] = ['1', '青松村', '示例云岭农业科技有限公司', 120.5, 60, 49.79, 30, 10, 33.33, 1, 0, 50, 10, 20, 10, 2, 20, 40, 10, 25, 1, 2];
    const sheet = sheetXml([['福贡县项目进展统计表'], group, metrics, row, ['合计', null, null, ...row.slice(3)], [], ['联系人：赵晓明 13700001111']], '');
    const hiddenNote = sheet.replace('<row r="7">', '<row r="7" hidden="1">');
    const bytes = xlsx([
      { name: '附件3', xml: hiddenNote },
      { name: '联系人', xml: sheetXml([['姓名', '电话'], ['赵晓明', '13700001111']]), state: 'hidden' },
    ]);
    const file = 'exports/2020-07/云南省/怒江傈僳族自治州/福贡县.xlsx';
    const result = ingestExports([{ path: file, bytes }]);
    expect(result.ok).toBe(true);
    const { index, contents } = planSources(result, () => bytes);
    const s = index.list[0]!;
    expect(s.url).toBe('/sources/2020-07/533323.csv');
    const out = text(contents.get(s.url!)!());
    expect(out).not.toContain('赵晓明');
    expect(out).not.toContain('13700001111');
    expect(out.startsWith('\ufeff序号,帮扶村,结对帮扶单位,')).toBe(true);
    expect(s.leftOut).toMatchObject({ title: 1, sheets: 1, hiddenRows: 1, workbook: true });
    expect(describeLeftOut(s.leftOut!)).toContain('其他工作表 1 个');
    const [r] = withPublishedSources(result.progress, index);
    expect(r!.source).toEqual({ file: '/sources/2020-07/533323.csv', row: 3 });
  });

  it('a file with no 附件3 header has no public copy (it never passes the check)', () => {
    expect(makePublicCopy(utf8bom('姓名,电话\n张三,13800000000\n'))).toBeNull();
  });
});
