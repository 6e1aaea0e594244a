/**
 * The steps of reading a progress export (src/lib/ingest/progress-reader/), each on its own,
 * on the 附件3 template as a county fills it in (the GBK CSV of tests/fixtures/workbooks):
 * the header found under its title lines and group row, every column where the template has
 * it, each row's kind (title, data, blank template rows, 合计, the legend under the metric
 * columns), sign-off lines, repeated headers, the county from the path or the title, and a
 * title or 填报日期 that names another month.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { IssueSink } from '../../src/lib/ingest/issues.ts';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { buildRegistryIndex } from '../../src/lib/ingest/registry-index.ts';
import { newSummary } from '../../src/lib/ingest/read-table.ts';
import { METRIC_COLUMNS } from '../../src/lib/metric-catalogue.ts';
import { hasExportHeader, layoutOf, missingColumns, readHeader } from '../../src/lib/ingest/progress-reader/header.ts';
import { rowKind } from '../../src/lib/ingest/progress-reader/row-kinds.ts';
import { SIGN_OFF_PERSON_LABELS } from '../../src/lib/ingest/progress-reader/sign-off-labels.ts';
import { signOffNames } from '../../src/lib/privacy/personal-names.ts';
import { readTitleLines, resolveFileCounty } from '../../src/lib/ingest/progress-reader/title.ts';
import { PeriodCheck } from '../../src/lib/ingest/progress-reader/period.ts';

const DIR = path.resolve(import.meta.dirname, '../fixtures/workbooks');
const template = Papa.parse<string[]>(new TextDecoder('gb18030').decode(readFileSync(path.join(DIR, '附件3-福贡县.csv'))), { skipEmptyLines: false }).data.filter((r) => r.length > 1);
const registryData = ingestDataDir(DIR);
const registry = buildRegistryIndex(registryData.villages, registryData.units, registryData.pairings);
const FILE = 'exports/2020-07/云南省/怒江傈僳族自治州/福贡县.csv';

describe('the header of the 附件3 template', () => {
  const sink = new IssueSink(FILE);
  const header = readHeader(template.slice(0, 12), sink)!;

  it('is the metric row under the group row, after two title lines', () => {
    expect(hasExportHeader(template.slice(0, 12))).toBe(true);
    expect(header.index).toBe(3);
    expect(header.groupRow?.[0]).toBe('序号');
    expect(header.rowNumber).toBe(4);
  });

  it('finds 序号, 帮扶村 and 结对帮扶单位 in the merged cells above, and each metric where the template has it', () => {
    expect(header.col.serial).toBe(0);
    expect(header.col.villageName).toBe(1);
    expect(header.col.unitName).toBe(2);
    for (const [i, m] of METRIC_COLUMNS.entries()) expect(header.col[m.id as keyof typeof header.col], m.id).toBe(3 + i);
    expect(layoutOf(header.col)).toBe('county-table');
    expect(missingColumns(header.col, header.rowNumber, sink)).toEqual([]);
    expect(sink.issues).toEqual([]);
  });

  it('a file without a village or unit column, or a metric, says each one on the header row', () => {
    const s = new IssueSink(FILE);
    const { villageName: _v, unitName: _u, fundsDone: _f, ...rest } = header.col;
    const missing = missingColumns(rest, 4, s);
    expect(missing).toEqual(['帮扶村（或村代码）', '结对帮扶单位（或单位代码）', METRIC_COLUMNS.find((m) => m.id === 'fundsDone')!.header]);
    expect(s.issues.map((i) => [i.code, i.row])).toEqual(missing.map(() => ['MISSING_COLUMN', 4]));
  });

  it('a flat export (with 县 and 村代码 columns) is read as one', () => {
    expect(layoutOf({ ...header.col, county: 0 })).toBe('flat');
    expect(layoutOf({ ...header.col, villageCode: 22 })).toBe('flat');
  });

  it('a table without the 附件3 headers has none', () => {
    expect(readHeader([['村代码', '省', '市', '县', '乡镇', '村'], ['1', '2', '3', '4', '5', '6']], new IssueSink(FILE))).toBeNull();
    expect(hasExportHeader([['a', 'b']])).toBe(false);
  });
});

describe('what each row of the template is', () => {
  const header = readHeader(template.slice(0, 12), new IssueSink(FILE))!;
  const kinds = template.slice(header.index + 1).map((r) => rowKind(r, header.col));

  it('two data rows, the numbered blank rows (C村 … I村) as template, the 合计 row, then the legend under the metric columns', () => {
    expect(kinds).toEqual(['data', 'data', ...Array(7).fill('template'), 'total', 'legend']);
  });

  it('sign-off lines, a repeated header, a note in column A and a blank row are not data', () => {
    const width = template[header.index]!.length;
    const pad = (cells: string[]) => [...cells, ...Array<string>(width - cells.length).fill('')];
    expect(rowKind(pad(['填报人：张三', '', '', '审核人：', '李四', '', '填报日期：', '2020年8月3日']), header.col)).toBe('footer');
    expect(rowKind(template[header.index]!, header.col)).toBe('header');
    // every label the personal-data gate reads a name after makes a sign-off row here too (one list)
    for (const label of SIGN_OFF_PERSON_LABELS) {
      const row = pad([`${label}：王五`]);
      expect(rowKind(row, header.col), label).toBe('footer');
      expect(signOffNames(row), label).toEqual([{ label, name: '王五' }]);
    }
    expect(rowKind(pad(['审批人：', '赵六', '复核人：', '钱七']), header.col)).toBe('footer');
    expect(rowKind(pad(['注：无计划填零；1 表示有，0 表示无']), header.col)).toBe('legend');
    expect(rowKind(pad([]), header.col)).toBe('blank');
    expect(rowKind(pad(['总计']), header.col)).toBe('total');
  });

  it('a row with a village and numbers is data even where it looks like a placeholder or a legend', () => {
    const data = template[header.index + 1]!;
    expect(rowKind(data.map((c, i) => (i === 1 ? 'A村' : c)), header.col)).toBe('data');
    expect(rowKind(['', '', '', ...data.slice(3)], header.col)).toBe('data');
  });
});

describe('the title lines and the county', () => {
  it('the template\'s two title lines are skipped as titles; a wide row above the header is rejected', () => {
    const summary = newSummary(FILE, 'export', '2020-07');
    const sink = new IssueSink(FILE);
    const text = readTitleLines(template, 2, 3, summary, sink);
    expect(text).toBe('附件3 社会力量助力挂牌督战村项目结对帮扶所在县结对帮扶项目进展统计表');
    expect(summary.skipped).toEqual({ title: 2 });
    const wide = [['1', 'A村', '示例甲', '100', '60'], ...template.slice(1)];
    const s2 = new IssueSink(FILE);
    const sum2 = newSummary(FILE, 'export', '2020-07');
    readTitleLines(wide, 2, 3, sum2, s2);
    expect(sum2.rows.rejected).toBe(1);
    expect(s2.issues.map((i) => [i.code, i.row])).toEqual([['ROW_BEFORE_HEADER', 1]]);
  });

  it('the county from the path, or the title; a title and a path naming two counties is an error', () => {
    const sink = new IssueSink(FILE);
    expect(resolveFileCounty(FILE, '', registry, sink)?.name).toBe('福贡县');
    expect(resolveFileCounty('exports/2020-07/表.csv', '福贡县社会力量助力挂牌督战村项目统计表', registry, sink)?.name).toBe('福贡县');
    expect(resolveFileCounty('exports/2020-07/表.csv', '统计表', registry, sink)).toBeNull();
    expect(sink.issues).toEqual([]);
    const other = [...registry.counties.values()].find((c) => c.name !== '福贡县');
    if (other) {
      expect(resolveFileCounty(FILE, `${other.name}统计表`, registry, sink)).toBeNull();
      expect(sink.issues.map((i) => i.code)).toEqual(['COUNTY_CONFLICT']);
    }
  });
});

describe('the period a file states', () => {
  it('a title naming another month is an error; the same month is not', () => {
    const sink = new IssueSink(FILE);
    const period = new PeriodCheck('2020-07', sink);
    period.scanTitle(['福贡县项目进展统计表（截至2020年7月底）'], 1);
    expect(sink.issues).toEqual([]);
    period.scanTitle(['福贡县项目进展统计表（截至2020年6月底）'], 2);
    expect(sink.issues.map((i) => [i.code, i.severity, i.row])).toEqual([['PERIOD_MISMATCH', 'error', 2]]);
  });

  it('a 填报日期 before the month is an error, more than a month after a warning, in the cell after its label too', () => {
    const sink = new IssueSink(FILE);
    const period = new PeriodCheck('2020-07', sink);
    period.scanFooter(['填报日期：2020年8月3日'], 20);
    expect(sink.issues).toEqual([]);
    period.scanFooter(['填报人：张三', '填报日期：', '2020年6月30日'], 21);
    period.scanFooter(['填报日期：2020-10-09'], 22);
    expect(sink.issues.map((i) => [i.code, i.severity, i.row])).toEqual([
      ['PERIOD_MISMATCH', 'error', 21],
      ['PERIOD_MISMATCH', 'warning', 22],
    ]);
  });

  it('a file checked without a month states nothing wrong', () => {
    const sink = new IssueSink(FILE);
    const period = new PeriodCheck(null, sink);
    period.scanTitle(['截至2019年1月底'], 1);
    period.scanFooter(['填报日期：2019-01-02'], 9);
    expect(sink.issues).toEqual([]);
  });
});
