/**
 * The registry staff keep in Excel: villages, units and pairings (附件1 agreement and
 * 附件2 plan). Headers in Chinese, any order; extra columns are warned and ignored.
 */
import type { z } from 'zod';
import { DEFAULT_AGREEMENT_VALID_UNTIL, PAIRING_COLUMNS, UNIT_COLUMNS, UNIT_TYPES, VILLAGE_COLUMNS, type RegistryColumn } from './columns.ts';
import { IssueSink } from './issues.ts';
import { zodIssueText } from '../zod-messages.ts';
import { pairingId, pairingSchema, unitSchema, villageSchema, type Pairing, type Unit, type Village } from './records.ts';
import { cellAt, displayHeader, isBlankRow, loadRows, matchHeader, newSummary, skip, type FileSummary } from './read-table.ts';
import { INVISIBLE_CHARS, invisibleCharsIn } from './names.ts';
import { usccProblem } from './uscc.ts';
import { normalizeCell, normalizeName, parseCount, parseDate, parseFlag, parseMoney, type CellProblem, type CellResult } from './cell-values.ts';

export interface RegistryTableResult<T> {
  records: T[];
  summary: FileSummary;
  issues: IssueSink['issues'];
}

type RawRow = Record<string, string | number | boolean | null>;

/** Read one registry table into raw typed cells; rows with any error are rejected. */
function readRegistryTable(
  file: string,
  bytes: Uint8Array,
  kind: 'villages' | 'units' | 'pairings',
  columns: ReadonlyArray<RegistryColumn>,
  onRow: (raw: RawRow, rowNumber: number, sink: IssueSink, columnIndex: (id: string) => number | null) => boolean,
): { summary: FileSummary; sink: IssueSink } {
  const sink = new IssueSink(file);
  const summary = newSummary(file, kind);
  summary.layout = 'registry';
  const rows = loadRows(bytes, sink, summary);
  if (!rows) return { summary, sink };

  const headerIndex = rows.findIndex((r) => !isBlankRow(r));
  if (headerIndex < 0) {
    sink.error('EMPTY_FILE', '文件为空：没有任何内容');
    summary.rows.skipped = summary.rows.read;
    return { summary, sink };
  }
  for (let i = 0; i < headerIndex; i++) skip(summary, 'blank');
  const header = rows[headerIndex]!;
  const headerRow = headerIndex + 1;
  skip(summary, 'header');
  const match = matchHeader(
    header,
    columns.map((c) => ({ id: c.id, names: [c.header] })),
    sink,
    headerRow,
  );
  for (const u of match.unknown) {
    sink.warn('UNKNOWN_COLUMN', `未知的列“${displayHeader(header[u] ?? '')}”，已忽略（${kind === 'villages' ? '村名录' : kind === 'units' ? '单位名录' : '结对名录'}的列见数据说明）`, headerRow, u);
  }
  const missing = columns.filter((c) => c.required && match.columns[c.id] === undefined);
  for (const c of missing) {
    sink.error('MISSING_COLUMN', `缺少必需的列“${c.header}”`, headerRow, null);
  }
  const columnIndex = (id: string): number | null => match.columns[id] ?? null;

  for (let i = headerIndex + 1; i < rows.length; i++) {
    const row = rows[i]!;
    const rowNumber = i + 1;
    if (isBlankRow(row)) {
      skip(summary, 'blank');
      continue;
    }
    if (missing.length > 0) {
      summary.rows.rejected++;
      continue;
    }
    const raw: RawRow = {};
    let bad = false;
    for (const col of columns) {
      const index = match.columns[col.id];
      const cell = cellAt(row, index);
      const result = parseRegistryCell(col, cell);
      if (!result.ok) {
        sink.error(result.code, `${col.header}：${result.reason}`, rowNumber, index ?? null);
        bad = true;
        continue;
      }
      if (result.value === null && col.required) {
        sink.error('MISSING_VALUE', `${col.header}：必填项为空`, rowNumber, index ?? null);
        bad = true;
        continue;
      }
      raw[col.id] = result.value;
    }
    if (bad) {
      summary.rows.rejected++;
      continue;
    }
    if (onRow(raw, rowNumber, sink, columnIndex)) summary.rows.accepted++;
    else summary.rows.rejected++;
  }
  return { summary, sink };
}

type RegistryCellResult = { ok: true; value: string | number | boolean | null } | { ok: false; code: IssueCodeForCell; reason: string };
type IssueCodeForCell = CellProblem | 'BAD_VILLAGE_CODE' | 'BAD_UNIT_CODE' | 'BAD_UNIT_TYPE' | 'INVISIBLE_CHARACTER';
const INVISIBLE_GLOBAL = new RegExp(INVISIBLE_CHARS.source, 'gu');

function fromCell<T>(r: CellResult<T>): RegistryCellResult {
  return r.ok ? { ok: true, value: r.value as string | number | boolean | null } : { ok: false, code: r.code, reason: r.reason };
}

function parseRegistryCell(col: RegistryColumn, cell: string): RegistryCellResult {
  switch (col.kind) {
    case 'villageCode': {
      const s = normalizeCell(cell);
      if (s === '') return { ok: true, value: null };
      if (!/^\d{12}$/.test(s)) return { ok: false, code: 'BAD_VILLAGE_CODE', reason: `“${cell.trim()}”不是 12 位数字的村代码（统计用区划代码）` };
      return { ok: true, value: s };
    }
    case 'unitCode': {
      const s = normalizeCell(cell).toUpperCase();
      if (s === '') return { ok: true, value: null };
      const problem = usccProblem(s);
      if (problem) return { ok: false, code: 'BAD_UNIT_CODE', reason: `“${cell.trim()}”不是有效的统一社会信用代码：${problem}` };
      return { ok: true, value: s };
    }
    case 'unitType': {
      const s = normalizeName(cell);
      if (s === '') return { ok: true, value: null };
      if (!(UNIT_TYPES as readonly string[]).includes(s)) return { ok: false, code: 'BAD_UNIT_TYPE', reason: `“${cell.trim()}”不是可用的单位类型（${UNIT_TYPES.join('、')}）` };
      return { ok: true, value: s };
    }
    case 'money':
      return fromCell(parseMoney(cell));
    case 'count':
      return fromCell(parseCount(cell));
    case 'flag':
      return fromCell(parseFlag(cell));
    case 'date':
      return fromCell(parseDate(cell));
    case 'text': {
      const s = cell.trim();
      if (INVISIBLE_CHARS.test(s)) return { ok: false, code: 'INVISIBLE_CHARACTER', reason: `“${s.replace(INVISIBLE_GLOBAL, '')}”中含有看不见的字符 ${invisibleCharsIn(s).join('、')}：它们会让名称看起来一样却对不上，或把文字倒过来显示。请删除这个单元格的内容后重新输入` };
      return { ok: true, value: s === '' ? null : s };
    }
  }
}

/** Zod's verdict on an assembled record, as issues on its row (a safety net after the cell checks). */
/** Each field by the header staff see: `code` → 村代码. */
const COLUMN_LABELS: Readonly<Record<string, string>> = Object.fromEntries([...VILLAGE_COLUMNS, ...UNIT_COLUMNS, ...PAIRING_COLUMNS].map((c) => [c.id, c.header]));

/** A record the schema refuses (a reader's bug, not staff's): each issue in Chinese, the one way (zod-messages.ts). */
function zodIssues(result: z.ZodSafeParseResult<unknown>, input: unknown, sink: IssueSink, rowNumber: number, what: string): boolean {
  if (result.success) return true;
  for (const issue of result.error.issues) {
    sink.error('MISSING_VALUE', `${what}：${zodIssueText(issue, input, COLUMN_LABELS).message}`, rowNumber, null);
  }
  return false;
}

export function readVillages(file: string, bytes: Uint8Array): RegistryTableResult<Village> {
  const records: Village[] = [];
  const seen = new Map<string, number>();
  const countyCodes = new Map<string, { code: string; row: number }>();
  const { summary, sink } = readRegistryTable(file, bytes, 'villages', VILLAGE_COLUMNS, (raw, rowNumber, sink, col) => {
    const code = raw.code as string;
    const first = seen.get(code);
    if (first !== undefined) {
      sink.error('DUPLICATE_VILLAGE', `村代码 ${code} 重复（第 ${first} 行已登记）`, rowNumber, col('code'));
      return false;
    }
    const countyKey = `${normalizeName(raw.province as string)}/${normalizeName(raw.county as string)}`;
    const countyCode = code.slice(0, 6);
    const known = countyCodes.get(countyKey);
    if (known && known.code !== countyCode) {
      sink.error('COUNTY_CODE_CONFLICT', `${raw.county} 的村代码前六位应为 ${known.code}（第 ${known.row} 行），此行为 ${countyCode}`, rowNumber, col('code'));
      return false;
    }
    const village = {
      code,
      name: raw.name as string,
      province: raw.province as string,
      provinceCode: code.slice(0, 2),
      prefecture: raw.prefecture as string,
      county: raw.county as string,
      countyCode,
      township: raw.township as string,
      source: { file, row: rowNumber },
    };
    if (!zodIssues(villageSchema.safeParse(village), village, sink, rowNumber, '村')) return false;
    seen.set(code, rowNumber);
    if (!known) countyCodes.set(countyKey, { code: countyCode, row: rowNumber });
    records.push(village);
    return true;
  });
  return { records, summary, issues: sink.issues };
}

export function readUnits(file: string, bytes: Uint8Array): RegistryTableResult<Unit> {
  const records: Unit[] = [];
  const seen = new Map<string, number>();
  const { summary, sink } = readRegistryTable(file, bytes, 'units', UNIT_COLUMNS, (raw, rowNumber, sink, col) => {
    const code = raw.code as string;
    const first = seen.get(code);
    if (first !== undefined) {
      sink.error('DUPLICATE_UNIT', `单位代码 ${code} 重复（第 ${first} 行已登记）`, rowNumber, col('code'));
      return false;
    }
    const unit = {
      code,
      name: raw.name as string,
      type: raw.type as Unit['type'],
      province: raw.province as string,
      prefecture: (raw.prefecture as string | null) ?? null,
      source: { file, row: rowNumber },
    };
    if (!zodIssues(unitSchema.safeParse(unit), unit, sink, rowNumber, '单位')) return false;
    seen.set(code, rowNumber);
    records.push(unit);
    return true;
  });
  return { records, summary, issues: sink.issues };
}

export function readPairings(
  file: string,
  bytes: Uint8Array,
  villages: ReadonlyMap<string, Village>,
  units: ReadonlyMap<string, Unit>,
): RegistryTableResult<Pairing> {
  const records: Pairing[] = [];
  const seen = new Map<string, number>();
  const { summary, sink } = readRegistryTable(file, bytes, 'pairings', PAIRING_COLUMNS, (raw, rowNumber, sink, col) => {
    const villageCode = raw.villageCode as string;
    const unitCode = raw.unitCode as string;
    let ok = true;
    if (!villages.has(villageCode)) {
      sink.error('PAIRING_UNKNOWN_VILLAGE', `村代码 ${villageCode} 不在村名录（registry/villages.csv）中`, rowNumber, col('villageCode'));
      ok = false;
    }
    if (!units.has(unitCode)) {
      sink.error('PAIRING_UNKNOWN_UNIT', `单位代码 ${unitCode} 不在单位名录（registry/units.csv）中`, rowNumber, col('unitCode'));
      ok = false;
    }
    const id = pairingId(villageCode, unitCode);
    const first = seen.get(id);
    if (first !== undefined) {
      sink.error('DUPLICATE_REGISTRY_PAIRING', `该结对（村 ${villageCode} × 单位 ${unitCode}）已在第 ${first} 行登记`, rowNumber, col('unitCode'));
      ok = false;
    }
    if (!ok) return false;
    const n = (k: string) => (raw[k] ?? null) as number | null;
    const t = (k: string) => (raw[k] ?? null) as string | null;
    const b = (k: string) => (raw[k] ?? null) as boolean | null;
    const pairing: Pairing = {
      id,
      villageCode,
      unitCode,
      signedOn: raw.signedOn as string,
      validUntil: t('validUntil') ?? DEFAULT_AGREEMENT_VALID_UNTIL,
      pledgedFunds: raw.pledgedFunds as number,
      plan: {
        funds: n('planFunds'),
        materials: n('planMaterials'),
        fundsUsePlan: t('fundsUsePlan'),
        hasIndustryProject: b('hasIndustryProject'),
        industryPlan: t('industryPlan'),
        sales: n('planSales'),
        salesSelfPurchase: n('planSalesSelfPurchase'),
        salesMarket: n('planSalesMarket'),
        jobs: n('planJobs'),
        jobsUnit: n('planJobsUnit'),
        jobsMigrant: n('planJobsMigrant'),
        jobsStartup: n('planJobsStartup'),
        jobsPublic: n('planJobsPublic'),
        training: n('planTraining'),
        trainingPlan: t('trainingPlan'),
        stationing: b('stationing'),
        stationedPlanned: n('planStationed'),
        stationedFrom: t('stationedFrom'),
      },
      stationedStaff: t('stationedStaff'),
      source: { file, row: rowNumber },
    };
    if (!zodIssues(pairingSchema.safeParse(pairing), pairing, sink, rowNumber, '结对')) return false;
    checkPlanSplits(pairing, rowNumber, sink, col);
    seen.set(id, rowNumber);
    records.push(pairing);
    return true;
  });
  return { records, summary, issues: sink.issues };
}

/** 附件2 splits should add up; a mismatch is worth a warning, not a rejection. */
function checkPlanSplits(p: Pairing, rowNumber: number, sink: IssueSink, col: (id: string) => number | null): void {
  const { plan } = p;
  if (plan.sales !== null && plan.salesSelfPurchase !== null && plan.salesMarket !== null && plan.salesSelfPurchase + plan.salesMarket !== plan.sales) {
    sink.warn('PLAN_SPLIT_MISMATCH', '帮扶单位自购与链接市场销售之和不等于计划销售收入', rowNumber, col('planSales'));
  }
  const jobParts = [plan.jobsUnit, plan.jobsMigrant, plan.jobsStartup, plan.jobsPublic];
  if (plan.jobs !== null && jobParts.every((v) => v !== null)) {
    const sum = jobParts.reduce<number>((a, v) => a + (v ?? 0), 0);
    if (sum !== plan.jobs) sink.warn('PLAN_SPLIT_MISMATCH', `就业分项（帮扶单位用工、外出就业、创业就业、公益岗位）之和 ${sum} 不等于计划就业人数 ${plan.jobs}`, rowNumber, col('planJobs'));
  }
  if (plan.stationing === false && (plan.stationedPlanned ?? 0) > 0) {
    sink.warn('FLAG_INCONSISTENT', `是否派驻村为“否”，但计划驻村人数为 ${plan.stationedPlanned}`, rowNumber, col('planStationed'));
  }
}
