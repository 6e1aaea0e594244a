/**
 * The columns of the programme's tables other than the metrics (those are the metric
 * catalogue's, src/lib/metric-catalogue.ts): the location/identity columns of the exports,
 * the county table's group row, and the registry columns. Header text here is the canonical form; readers match headers after
 * normalising them (see `normalizeHeader`).
 */
import { memo } from './cell-values.ts';
import { MEASURES, METRIC_COLUMNS } from '../metric-catalogue.ts';

/** Identity/location columns of the exports; the first name is canonical, the rest are accepted aliases. */
export const LOCATION_COLUMNS = {
  province: ['省', '省份', '省区', '省(区)', '省(自治区)'],
  prefecture: ['市', '市州', '地市', '市(州)', '州市', '地区'],
  county: ['县', '县区', '县市区', '县(市、区)', '县(市)', '县(区)'],
  township: ['乡镇', '乡(镇)', '乡'],
  villageName: ['帮扶村', '村', '村名', '挂牌督战村', '被帮扶村', '村名称'],
  villageCode: ['村代码', '村编码', '统计用区划代码'],
  unitName: ['结对帮扶单位', '帮扶单位', '单位名称', '帮扶单位名称'],
  unitCode: ['单位代码', '统一社会信用代码', '帮扶单位代码'],
  serial: ['序号', '编号'],
} as const;
export type LocationColumnId = keyof typeof LOCATION_COLUMNS;

/** The group row of the county table, over the metric row (merged cells come out blank). */
export const GROUP_HEADERS = MEASURES.map((m) => m.group);

/**
 * Normalise a header cell for matching: NFKC (full-width brackets, digits and % to
 * half-width), no whitespace or line breaks at all, Chinese brackets to ASCII.
 */
export function normalizeHeader(cell: string): string {
  // Most cells the identity columns pass through here are codes, serial numbers and plain
  // Chinese names: NFKC and the replacements leave them as they are. At national scale they
  // are ~600,000 different strings a month, more than the memo holds, so they skip it.
  if (PLAIN_ASCII.test(cell)) return cell.toLowerCase();
  if (PLAIN_HAN.test(cell)) return cell;
  return memo(headerCache, cell, (c) =>
    c
      .normalize('NFKC')
      .replace(/[\s\u3000\u200b\ufeff]+/g, '')
      .replace(/[【〔［]/g, '(')
      .replace(/[】〕］]/g, ')')
      .toLowerCase(),
  );
}
const headerCache = new Map<string, string>();
/** Letters and digits only (NFKC-stable, nothing to remove) */
const PLAIN_ASCII = /^[0-9A-Za-z]*$/;
/** CJK unified ideographs only (U+4E00–U+9FFF: NFKC-stable, no case, nothing to remove) */
const PLAIN_HAN = /^[\u4e00-\u9fff]*$/;

/** A header with its bracketed unit stripped, e.g. `资金计划完成比例(%)` → `资金计划完成比例`. */
export function headerStem(normalized: string): string {
  return normalized.replace(/\([^)]*\)/g, '');
}


/** Registry columns (staff edit these in Excel: order free, extra columns warned and ignored). */
export interface RegistryColumn {
  id: string;
  header: string;
  kind: 'villageCode' | 'unitCode' | 'text' | 'money' | 'count' | 'flag' | 'date' | 'unitType';
  required: boolean;
}

export const VILLAGE_COLUMNS: ReadonlyArray<RegistryColumn> = [
  { id: 'code', header: '村代码', kind: 'villageCode', required: true },
  { id: 'province', header: '省', kind: 'text', required: true },
  { id: 'prefecture', header: '市', kind: 'text', required: true },
  { id: 'county', header: '县', kind: 'text', required: true },
  { id: 'township', header: '乡镇', kind: 'text', required: true },
  { id: 'name', header: '村', kind: 'text', required: true },
];

export const UNIT_TYPES = ['民营企业', '社会组织', '国有企业', '其他'] as const;

export const UNIT_COLUMNS: ReadonlyArray<RegistryColumn> = [
  { id: 'code', header: '单位代码', kind: 'unitCode', required: true },
  { id: 'name', header: '单位名称', kind: 'text', required: true },
  { id: 'type', header: '单位类型', kind: 'unitType', required: true },
  { id: 'province', header: '所在省', kind: 'text', required: true },
  { id: 'prefecture', header: '所在市', kind: 'text', required: false },
];

export const PAIRING_COLUMNS: ReadonlyArray<RegistryColumn> = [
  { id: 'villageCode', header: '村代码', kind: 'villageCode', required: true },
  { id: 'unitCode', header: '单位代码', kind: 'unitCode', required: true },
  { id: 'signedOn', header: '协议签署日期', kind: 'date', required: true },
  { id: 'pledgedFunds', header: '承诺投入资金（万元）', kind: 'money', required: true },
  { id: 'validUntil', header: '协议有效期至', kind: 'date', required: false },
  { id: 'planFunds', header: '计划投入资金（万元）', kind: 'money', required: false },
  { id: 'planMaterials', header: '计划投入物资（万元）', kind: 'money', required: false },
  { id: 'fundsUsePlan', header: '资金物资用途规划', kind: 'text', required: false },
  { id: 'hasIndustryProject', header: '有无产业项目', kind: 'flag', required: false },
  { id: 'industryPlan', header: '产业扶贫计划', kind: 'text', required: false },
  { id: 'planSales', header: '计划销售收入（万元）', kind: 'money', required: false },
  { id: 'planSalesSelfPurchase', header: '帮扶单位自购（万元）', kind: 'money', required: false },
  { id: 'planSalesMarket', header: '链接市场销售（万元）', kind: 'money', required: false },
  { id: 'planJobs', header: '计划就业人数', kind: 'count', required: false },
  { id: 'planJobsUnit', header: '帮扶单位用工', kind: 'count', required: false },
  { id: 'planJobsMigrant', header: '外出就业', kind: 'count', required: false },
  { id: 'planJobsStartup', header: '创业就业', kind: 'count', required: false },
  { id: 'planJobsPublic', header: '公益岗位', kind: 'count', required: false },
  { id: 'planTraining', header: '计划培训人数', kind: 'count', required: false },
  { id: 'trainingPlan', header: '培训计划', kind: 'text', required: false },
  { id: 'stationing', header: '是否派驻村', kind: 'flag', required: false },
  { id: 'planStationed', header: '计划驻村人数', kind: 'count', required: false },
  { id: 'stationedStaff', header: '驻村人员', kind: 'text', required: false },
  { id: 'stationedFrom', header: '驻村时间', kind: 'date', required: false },
];

/** 附件1: agreements are valid until the end of 2020 unless the registry says otherwise. */
export const DEFAULT_AGREEMENT_VALID_UNTIL = '2020-12-31';

/** The Chinese header of a metric, without its unit (资金已到位总投入（万元） → 资金已到位总投入). */
export function metricLabel(id: string): string {
  const col = METRIC_COLUMNS.find((m) => m.id === id);
  return col ? headerStem(normalizeHeader(col.header)) : id;
}
