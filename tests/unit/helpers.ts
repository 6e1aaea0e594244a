import { readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { METRIC_COLUMNS } from '../../src/lib/metric-catalogue.ts';
import { ingest, type IngestResult } from '../../src/lib/ingest/ingest.ts';
import { columnLetter } from '../../src/lib/ingest/issues.ts';

export const SMALL = path.resolve(import.meta.dirname, '../fixtures/site-small');

const registry = (name: string) => ({ path: `registry/${name}`, bytes: new Uint8Array(readFileSync(path.join(SMALL, 'registry', name))) });

export const utf8 = (text: string) => new Uint8Array(Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8'));
export const utf8bom = (text: string) => new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8')]));
export const gbk = (text: string) => new Uint8Array(iconv.encode(text.replace(/\r?\n/g, '\r\n'), 'gb18030'));
export const utf16le = (text: string, bom = true) => new Uint8Array(Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), iconv.encode(text.replace(/\r?\n/g, '\r\n'), 'utf-16le')]));

export interface ExportInput {
  path: string;
  bytes: Uint8Array;
  month?: string | null;
}

/** Ingest the given exports against the site-small registry (registry files can be replaced). */
export function ingestExports(exports: ExportInput[], replace: Partial<Record<'villages' | 'units' | 'pairings', Uint8Array>> = {}): IngestResult {
  const reg = (name: 'villages' | 'units' | 'pairings') => (replace[name] ? { path: `registry/${name}.csv`, bytes: replace[name]! } : registry(`${name}.csv`));
  return ingest({
    villages: reg('villages'),
    units: reg('units'),
    pairings: reg('pairings'),
    exports: exports.map((e) => ({ path: e.path, bytes: e.bytes, month: e.month === undefined ? '2020-07' : e.month })),
  });
}

export const METRIC_HEADERS = METRIC_COLUMNS.map((m) => m.header);
export const FLAT_HEADER = ['省', '市', '县', '乡镇', '帮扶村', '村代码', '结对帮扶单位', '单位代码', ...METRIC_HEADERS].join(',');

/** A good flat row for pairing 青松村 × 示例云岭农业科技有限公司; override cells by header. */
export function flatRow(over: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    省: '云南省',
    市: '怒江傈僳族自治州',
    县: '福贡县',
    乡镇: '石月亮乡',
    帮扶村: '青松村',
    村代码: '533323101001',
    结对帮扶单位: '示例云岭农业科技有限公司',
    单位代码: '91533300MA6K0001XA',
  };
  const values = ['120.5', '60', '49.79', '30', '10', '33.33', '1', '0', '50', '10', '20', '10', '2', '20', '40', '10', '25', '1', '2'];
  METRIC_HEADERS.forEach((h, i) => (base[h] = values[i]!));
  const row = { ...base, ...over };
  return FLAT_HEADER.split(',')
    .map((h) => {
      const v = row[h] ?? '';
      return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    })
    .join(',');
}

/** Spreadsheet letter of a flat-export column by its header. */
export function flatColumn(header: string): string {
  const i = FLAT_HEADER.split(',').indexOf(header);
  if (i < 0) throw new Error(`no column ${header}`);
  return columnLetter(i);
}

export function countsAddUp(r: IngestResult): boolean {
  return r.rows.read === r.rows.accepted + r.rows.rejected + r.rows.skipped && r.files.every((f) => f.rows.read === f.rows.accepted + f.rows.rejected + f.rows.skipped);
}

export function issuesOf(r: IngestResult, code: string) {
  return r.issues.filter((i) => i.code === code);
}

export const COUNTY_GROUP_ROW = '序号,帮扶村,结对帮扶单位,加大资金投入，促进产业扶贫,,,,,,,,消费扶贫,,,就业扶贫,,,技能培训,,,派驻力量,';
export const COUNTY_METRIC_ROW =
  ',,,"资金计划\n总投入\n（万元）","资金已到位\n总投入\n（万元）",资金计划完成比例（%）,"物资计划总投入\n（万元）",物资已到位（万元）,物资计划完成比例（%）,是否有产业扶贫计划（1/0）,是否已完成计划（1/0）,"计划销售\n（万元）",已完成销售（万元）,销售计划完成比例（%）,计划就业人数,已解决就业人数,就业计划完成比例（%）,计划培训人数,已完成培训人数,培训计划完成比例（%）,"是否\n派驻村\n（1/0）","已驻村\n人数"';

/** 纳雍县 county table (附件3 as Excel saves it) with the given data rows and 合计 row. */
export function countyTable(dataRows: string[], totalRow: string | null, title = '纳雍县社会力量助力挂牌督战村项目结对帮扶项目进展统计表'): string {
  return [
    title + ',,,,,,,,,,,,,,,,,,,,,',
    COUNTY_GROUP_ROW,
    COUNTY_METRIC_ROW,
    ...dataRows,
    ...(totalRow ? [totalRow] : []),
    '注：1：有 0：无；无计划填零,,,,,,,,,,,,,,,,,,,,,',
    '9,,,,,,,,,,,,,,,,,,,,,',
    ',,,,,,,,,,,,,,,,,,,,,',
  ].join('\n') + '\n';
}
