/**
 * Open data: the download tables and their definitions. ONE source for the CSV and JSON
 * files, the data dictionary page and `datapackage.json`, so none of them can disagree
 * with the data or with each other.
 *
 * Types, required-ness, patterns and minimums come from the Zod schemas (via
 * `z.toJSONSchema`); Chinese titles come from columns.ts (the headers staff see in 附件3
 * and in the registry). A field whose declared kind disagrees with its schema fails at
 * module load, i.e. the build fails instead of publishing a wrong dictionary.
 *
 * Values in the files: money in 万元 as an exact decimal (integer 元 → `yuanToWanString`,
 * never a float computation), counts as integers, flags 1/0, ratios recomputed with 2
 * decimals; blank (未填报) stays empty in CSV and null in JSON, never 0.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { z } from 'zod';
import { DEFAULT_AGREEMENT_VALID_UNTIL, LOCATION_COLUMNS, MEASURES, METRIC_COLUMNS, PAIRING_COLUMNS, UNIT_COLUMNS, VILLAGE_COLUMNS, type MetricColumn, type RegistryColumn } from '../ingest/columns.ts';
import { formatMonth } from '../render/format.ts';
import { metricValuesSchema, pairingSchema, progressSchema, unitSchema, villageSchema, type Pairing, type ProgressRecord, type Unit, type Village } from '../ingest/records.ts';
import { yuanToWanString } from '../ingest/cell-values.ts';

// ---------------------------------------------------------------------------------------
// Licence

export const LICENCE = {
  name: 'CC-BY-4.0',
  path: 'https://creativecommons.org/licenses/by/4.0/',
  title: '知识共享署名 4.0 国际许可协议',
} as const;

export const CITATION = '社会扶贫网宣传公示专区';

/** The licence statement used in every file, on the data page and in datapackage.json. */
export function licenceStatement(synthetic: boolean): string {
  const base = `本数据按${LICENCE.title}（CC BY 4.0，${LICENCE.path}）发布，可自由复制、分发和改编，使用时须注明来源：${CITATION}（社会力量助力挂牌督战村项目）。`;
  return synthetic ? `${base}示例数据，全部虚构：乡镇、村、结对帮扶单位和全部数字均由程序生成，不反映任何真实的帮扶情况。` : base;
}

// ---------------------------------------------------------------------------------------
// Field definitions, derived from the Zod schemas

/** How a value is written: decides the CSV text, the JSON value and the Table Schema type. */
export type ValueKind = 'text' | 'code' | 'date' | 'month' | 'money' | 'count' | 'flag' | 'ratio';
/** Table Schema (Frictionless) field types used here. */
export type FieldType = 'string' | 'integer' | 'number' | 'date' | 'yearmonth';
export type TableId = 'progress' | 'villages' | 'units' | 'pairings';

export interface FieldDef {
  /** identifier: the key in JSON rows */
  id: string;
  /** the CSV header: the Chinese column title as staff see it (with its unit) */
  title: string;
  /** the title without its bracketed unit */
  label: string;
  kind: ValueKind;
  type: FieldType;
  /** 万元, 人, %, 1/0 — or null */
  unit: string | null;
  /** 含义 */
  description: string;
  /** 规则, in Chinese */
  rules: string[];
  required: boolean;
  /** the schema's regular expression, anchored (e.g. `^\d{12}$`) */
  pattern: string | null;
  minimum: number | null;
  maximum: number | null;
  minLength: number | null;
  enum: string[] | null;
}

export interface ForeignKey {
  fields: string[];
  reference: { table: TableId; fields: string[] };
}

export interface TableDef {
  id: TableId;
  title: string;
  description: string;
  fields: FieldDef[];
  /** field ids */
  primaryKey: string[];
  foreignKeys: ForeignKey[];
}

interface JsonSchema {
  type?: string | string[];
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  pattern?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  minLength?: number;
  enum?: unknown[];
}

const SCHEMAS = {
  village: z.toJSONSchema(villageSchema) as JsonSchema,
  unit: z.toJSONSchema(unitSchema) as JsonSchema,
  pairing: z.toJSONSchema(pairingSchema) as JsonSchema,
  metrics: z.toJSONSchema(metricValuesSchema) as JsonSchema,
  progress: z.toJSONSchema(progressSchema) as JsonSchema,
};
type SchemaName = keyof typeof SCHEMAS;

/**
 * 统一社会信用代码: the Zod schema checks it with a refinement (check character, see
 * uscc.ts), which JSON Schema cannot carry; this is the character-set part of that check.
 */
export const USCC_PATTERN = '^[0-9A-HJ-NPQRTUWXY]{18}$';

interface PropInfo {
  types: string[];
  nullable: boolean;
  required: boolean;
  pattern: string | null;
  minimum: number | null;
  maximum: number | null;
  minLength: number | null;
  enum: string[] | null;
}

/** A property of a schema, by path; required only if it and all its parents are required and it is not nullable. */
function schemaProp(name: SchemaName, path: readonly string[]): PropInfo {
  let node: JsonSchema = SCHEMAS[name];
  let required = true;
  for (const key of path) {
    const next = node.properties?.[key];
    if (!next) throw new Error(`opendata: ${name} 的数据模式中没有字段 ${path.join('.')}`);
    required &&= (node.required ?? []).includes(key);
    node = next;
  }
  const branches = node.anyOf ?? [node];
  const types: string[] = [];
  let nullable = false;
  let info: JsonSchema = {};
  for (const b of branches) {
    for (const t of Array.isArray(b.type) ? b.type : b.type ? [b.type] : []) {
      if (t === 'null') nullable = true;
      else {
        types.push(t);
        info = { ...info, ...b };
      }
    }
  }
  const minimum = info.minimum ?? (info.exclusiveMinimum !== undefined && types.includes('integer') ? info.exclusiveMinimum + 1 : null);
  return {
    types,
    nullable,
    required: required && !nullable,
    pattern: info.pattern ?? null,
    minimum,
    // Zod writes Number.MAX_SAFE_INTEGER for every .int(): not a rule of the data
    maximum: info.maximum !== undefined && info.maximum < Number.MAX_SAFE_INTEGER ? info.maximum : null,
    minLength: info.minLength ?? null,
    enum: info.enum ? info.enum.map(String) : null,
  };
}

const EXPECTED_TYPES: Record<ValueKind, string> = {
  text: 'string',
  code: 'string',
  date: 'string',
  month: 'string',
  money: 'integer',
  count: 'integer',
  flag: 'boolean',
  ratio: 'number',
};

const TABLE_TYPES: Record<ValueKind, FieldType> = {
  text: 'string',
  code: 'string',
  date: 'date',
  month: 'yearmonth',
  money: 'number',
  count: 'integer',
  flag: 'integer',
  ratio: 'number',
};

const TYPE_NAMES: Record<ValueKind, string> = {
  text: '文本',
  code: '代码（文本）',
  date: '日期',
  month: '年月',
  money: '数值（万元，精确小数）',
  count: '整数',
  flag: '标志（1/0）',
  ratio: '数值（百分比，2 位小数）',
};

/** The kind of value in Chinese, for the dictionary. */
export function typeName(f: FieldDef): string {
  return TYPE_NAMES[f.kind];
}

const MONEY_RULE = '单位万元，精确小数，最多 4 位小数（精确到元）；由整数元换算，不经浮点运算，不四舍五入';
const FLAG_RULE = '1 表示是（有），0 表示否（无）';

/** What a blank means: 未填报 in the monthly reports, 未填写 in the registry. */
type Blank = '未填报' | '未填写';

function kindRules(kind: ValueKind, p: PropInfo, blank: Blank): string[] {
  const rules: string[] = [];
  if (p.required) rules.push('必填，不为空');
  if (kind === 'money') rules.push(MONEY_RULE);
  if (kind === 'count') rules.push((p.minimum ?? 0) >= 1 ? '正整数' : '非负整数');
  if (kind === 'flag') rules.push(FLAG_RULE);
  if (kind === 'date') rules.push('日期，写作 YYYY-MM-DD');
  if (kind === 'month') rules.push('年月，写作 YYYY-MM');
  if (p.enum) rules.push(`取值：${p.enum.join('、')}`);
  if (p.pattern && kind !== 'date' && kind !== 'month') rules.push(`格式：${p.pattern}`);
  if (!p.required && kind !== 'ratio') rules.push(`空白表示${blank}（JSON 中为 null）${kind === 'text' || kind === 'date' ? '' : '，不是 0'}`);
  return rules;
}

interface FieldSpec<S> {
  id: string;
  title: string;
  kind: ValueKind;
  /** where in the Zod schemas the value is defined; null for derived fields (ratios) */
  from: readonly [SchemaName, ...string[]] | null;
  description: string;
  rules?: string[];
  unit?: string | null;
  get: (s: S) => Raw;
}

function unitOf(title: string, kind: ValueKind): string | null {
  const m = /（([^）]*)）$/.exec(title);
  if (m) return m[1]!;
  if (kind === 'money') return '万元';
  if (kind === 'count' && /人数|用工|就业|岗位/.test(title)) return '人';
  if (kind === 'flag') return '1/0';
  return null;
}

function labelOf(title: string): string {
  return title.replace(/（[^）]*）$/, '');
}

/** 统一社会信用代码 fields: unit.code and every *.unitCode. */
function isUnitCode(from: FieldSpec<unknown>['from']): boolean {
  if (!from) return false;
  const [schema, ...path] = from;
  return path.at(-1) === 'unitCode' || (schema === 'unit' && path.join('.') === 'code');
}

function makeField<S>(spec: FieldSpec<S>, blank: Blank): FieldDef {
  let p: PropInfo;
  if (spec.from) {
    const [schema, ...path] = spec.from;
    p = schemaProp(schema, path);
    const expected = EXPECTED_TYPES[spec.kind];
    if (p.types.length !== 1 || p.types[0] !== expected) {
      throw new Error(`opendata: 字段 ${spec.id}（${spec.title}）声明为 ${spec.kind}，但数据模式中的类型是 ${p.types.join('|') || '无'}`);
    }
  } else {
    p = { types: ['number'], nullable: true, required: false, pattern: null, minimum: 0, maximum: null, minLength: null, enum: null };
  }
  if (spec.kind === 'code' && !p.pattern && isUnitCode(spec.from)) p = { ...p, pattern: USCC_PATTERN };
  if (spec.kind === 'flag') p = { ...p, minimum: 0, maximum: 1 };
  if (spec.kind === 'money' || spec.kind === 'count') p = { ...p, minimum: p.minimum ?? 0 };
  return {
    id: spec.id,
    title: spec.title,
    label: labelOf(spec.title),
    kind: spec.kind,
    type: TABLE_TYPES[spec.kind],
    unit: spec.unit !== undefined ? spec.unit : unitOf(spec.title, spec.kind),
    description: spec.description,
    rules: [...(spec.rules ?? []), ...kindRules(spec.kind, p, blank)],
    required: p.required,
    pattern: p.pattern,
    minimum: p.minimum,
    maximum: p.maximum,
    minLength: p.minLength,
    enum: p.enum,
  };
}

// ---------------------------------------------------------------------------------------
// Rows

/** A cell before it is written: 元 for money, booleans for flags, a 2-decimal string for ratios. */
export type Raw = string | number | boolean | null;

export interface Table {
  def: TableDef;
  /** aligned with def.fields */
  rows: Raw[][];
}

interface TableSpec<S> {
  def: TableDef;
  getters: Array<(s: S) => Raw>;
}

function tableSpec<S>(base: Omit<TableDef, 'fields'>, specs: Array<FieldSpec<S>>, blank: Blank = '未填写'): TableSpec<S> {
  const ids = new Set<string>();
  const titles = new Set<string>();
  for (const s of specs) {
    if (ids.has(s.id) || titles.has(s.title)) throw new Error(`opendata: ${base.id} 表中字段重复：${s.id}（${s.title}）`);
    ids.add(s.id);
    titles.add(s.title);
  }
  return { def: { ...base, fields: specs.map((s) => makeField(s, blank)) }, getters: specs.map((s) => s.get) };
}

/** The ratio done/plan × 100, rounded half up to 2 decimals, exactly (BigInt); null = 无计划 or 未填报. */
export function ratioText(plan: number | null, done: number | null): string | null {
  if (plan === null || done === null || plan === 0) return null;
  const p = BigInt(plan);
  const hundredths = (BigInt(done) * 20000n + p) / (2n * p);
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
}

const header = (list: ReadonlyArray<RegistryColumn>, id: string) => {
  const c = list.find((x) => x.id === id);
  if (!c) throw new Error(`opendata: columns.ts 中没有列 ${id}`);
  return c.header;
};

// --- progress -------------------------------------------------------------------------

export interface ProgressSource {
  village: Village;
  unit: Unit;
  record: ProgressRecord;
}

const METRIC_DESCRIPTIONS: Record<string, string> = {
  fundsPlan: '结对帮扶单位计划投入的扶贫资金总额',
  fundsDone: '已到位的扶贫资金，截至当月底的累计数',
  materialsPlan: '计划投入物资的市场价值',
  materialsDone: '已到位物资的市场价值，截至当月底的累计数',
  hasIndustryPlan: '是否有促进产业扶贫的计划',
  industryPlanDone: '产业扶贫计划是否已完成',
  salesPlan: '计划帮助销售扶贫产品的金额（帮扶单位自购与链接市场销售）',
  salesDone: '已完成销售的金额，截至当月底的累计数',
  jobsPlan: '计划解决就业的人数',
  jobsDone: '已解决就业的人数，截至当月底的累计数',
  trainingPlan: '计划培训的人数',
  trainingDone: '已完成培训的人数，截至当月底的累计数',
  stationed: '是否派工作组驻村',
  stationedCount: '已驻村的人数，截至当月底',
};

const isPlanMetric = (id: string) => METRIC_COLUMNS.some((m) => m.ratioOf?.plan === id);
const isDoneMetric = (id: string) => METRIC_COLUMNS.some((m) => m.ratioOf?.done === id);
const measureName = (m: MetricColumn) => MEASURES.find((x) => x.id === m.measure)!.name;

function metricSpec(m: MetricColumn): FieldSpec<ProgressSource> {
  const measure = measureName(m);
  if (m.kind === 'ratio') {
    const { plan, done } = m.ratioOf!;
    const planLabel = labelOf(METRIC_COLUMNS.find((c) => c.id === plan)!.header);
    const doneLabel = labelOf(METRIC_COLUMNS.find((c) => c.id === done)!.header);
    return {
      id: m.id,
      title: m.header,
      kind: 'ratio',
      from: null,
      unit: '%',
      description: `${measure}：${doneLabel} ÷ ${planLabel} × 100`,
      rules: [
        '比例由系统用计划数和完成数重新计算，四舍五入保留 2 位小数，不采用报表中填写的比例',
        `${planLabel}为 0 即无计划（无计划填零）时为空，页面显示“无计划”`,
        `${planLabel}或${doneLabel}未填报时为空，页面显示“未填报”`,
        '大于 100 表示超额完成（超额），照实计算',
        '空白时 JSON 中为 null；两种空白可由计划列区分：计划为 0 是无计划，计划或完成为空是未填报',
      ],
      get: (s) => ratioText(s.record.values[plan] as number | null, s.record.values[done] as number | null),
    };
  }
  const id = m.id as keyof ProgressRecord['values'];
  const rules: string[] = m.kind === 'flag' ? [] : ['截至当月底的累计数'];
  if (isPlanMetric(m.id)) rules.push('计划为 0 表示无计划（无计划填零），不计算完成比例');
  if (isDoneMetric(m.id)) rules.push('可以超过计划（超额）；比上月减少时按数据更正处理并在页面注明');
  if (m.id === 'industryPlanDone') rules.push('是否有产业扶贫计划为 0 时，本列没有意义');
  return {
    id: m.id,
    title: m.header,
    kind: m.kind === 'money' ? 'money' : m.kind === 'flag' ? 'flag' : 'count',
    from: ['metrics', m.id],
    unit: m.kind === 'count' ? '人' : undefined,
    description: `${measure}：${METRIC_DESCRIPTIONS[m.id] ?? labelOf(m.header)}`,
    rules,
    get: (s) => s.record.values[id],
  };
}

const PROGRESS = tableSpec<ProgressSource>(
  {
    id: 'progress',
    title: '项目进展',
    description: '每个结对（村 × 结对帮扶单位）每月一行：附件3《项目进展统计表》的十九项指标，截至当月底的累计数；完成比例由系统重新计算。',
    primaryKey: ['month', 'villageCode', 'unitCode'],
    foreignKeys: [
      { fields: ['villageCode'], reference: { table: 'villages', fields: ['code'] } },
      { fields: ['unitCode'], reference: { table: 'units', fields: ['code'] } },
      { fields: ['villageCode', 'unitCode'], reference: { table: 'pairings', fields: ['villageCode', 'unitCode'] } },
    ],
  },
  [
    { id: 'month', title: '月份', kind: 'month', from: ['progress', 'month'], description: '数据所属月份；各项数字为截至该月底的累计数', get: (s) => s.record.month },
    { id: 'province', title: header(VILLAGE_COLUMNS, 'province'), kind: 'text', from: ['village', 'province'], description: '村所在的省（自治区）', get: (s) => s.village.province },
    { id: 'prefecture', title: header(VILLAGE_COLUMNS, 'prefecture'), kind: 'text', from: ['village', 'prefecture'], description: '村所在的市（州）', get: (s) => s.village.prefecture },
    { id: 'county', title: header(VILLAGE_COLUMNS, 'county'), kind: 'text', from: ['village', 'county'], description: '村所在的挂牌督战县', get: (s) => s.village.county },
    { id: 'countyCode', title: '县代码', kind: 'code', from: ['village', 'countyCode'], description: '县的统计用区划代码', rules: ['村代码的前 6 位'], get: (s) => s.village.countyCode },
    { id: 'township', title: header(VILLAGE_COLUMNS, 'township'), kind: 'text', from: ['village', 'township'], description: '村所在的乡镇', get: (s) => s.village.township },
    { id: 'villageName', title: LOCATION_COLUMNS.villageName[0], kind: 'text', from: ['village', 'name'], description: '挂牌督战村（帮扶村）的名称', get: (s) => s.village.name },
    { id: 'villageCode', title: header(VILLAGE_COLUMNS, 'code'), kind: 'code', from: ['progress', 'villageCode'], description: '村的统计用区划代码', rules: ['12 位统计用区划代码；前 6 位为县代码，前 2 位为省代码'], get: (s) => s.record.villageCode },
    { id: 'unitName', title: LOCATION_COLUMNS.unitName[0], kind: 'text', from: ['unit', 'name'], description: '结对帮扶单位的名称', get: (s) => s.unit.name },
    { id: 'unitCode', title: header(UNIT_COLUMNS, 'code'), kind: 'code', from: ['progress', 'unitCode'], description: '结对帮扶单位的统一社会信用代码', rules: ['18 位统一社会信用代码（GB 32100-2015），末位校验码经逐个校验'], get: (s) => s.record.unitCode },
    ...METRIC_COLUMNS.map(metricSpec),
    { id: 'sourceFile', title: '来源文件', kind: 'text', from: ['progress', 'source', 'file'], description: '这一行数据所在的原始报表：本站公开的文件地址（/sources/月份/县或省代码.csv，见“原始报表”页）', get: (s) => s.record.source.file },
    { id: 'sourceRow', title: '来源行号', kind: 'count', from: ['progress', 'source', 'row'], unit: null, description: '原始报表中的行号，与电子表格软件显示的行号一致', get: (s) => s.record.source.row },
  ],
  '未填报',
);

// --- registry tables ------------------------------------------------------------------

const VILLAGE_DESCRIPTIONS: Record<string, string> = {
  code: '村的统计用区划代码',
  province: '所在省（自治区）',
  prefecture: '所在市（州）',
  county: '所在挂牌督战县',
  township: '所在乡镇',
  name: '挂牌督战村名称',
};

const VILLAGES = tableSpec<Village>(
  { id: 'villages', title: '挂牌督战村', description: '登记的挂牌督战村：代码、名称和所在地区。', primaryKey: ['code'], foreignKeys: [] },
  [
    ...VILLAGE_COLUMNS.map((c): FieldSpec<Village> => ({
      id: c.id,
      title: c.header,
      kind: c.kind === 'villageCode' ? 'code' : 'text',
      from: ['village', c.id],
      description: VILLAGE_DESCRIPTIONS[c.id] ?? c.header,
      rules: c.id === 'code' ? ['12 位统计用区划代码；前 6 位为县代码，前 2 位为省代码'] : [],
      get: (v) => v[c.id as keyof Village] as Raw,
    })),
    { id: 'countyCode', title: '县代码', kind: 'code', from: ['village', 'countyCode'], description: '县的统计用区划代码', rules: ['村代码的前 6 位'], get: (v) => v.countyCode },
    { id: 'provinceCode', title: '省代码', kind: 'code', from: ['village', 'provinceCode'], description: '省的统计用区划代码', rules: ['村代码的前 2 位'], get: (v) => v.provinceCode },
  ],
);

const UNIT_DESCRIPTIONS: Record<string, string> = {
  code: '统一社会信用代码',
  name: '结对帮扶单位名称',
  type: '单位类型',
  province: '单位所在省',
  prefecture: '单位所在市',
};

const UNITS = tableSpec<Unit>(
  { id: 'units', title: '结对帮扶单位', description: '登记的结对帮扶单位（民营企业、社会组织等）。', primaryKey: ['code'], foreignKeys: [] },
  UNIT_COLUMNS.map((c): FieldSpec<Unit> => ({
    id: c.id,
    title: c.header,
    kind: c.kind === 'unitCode' ? 'code' : 'text',
    from: ['unit', c.id],
    description: UNIT_DESCRIPTIONS[c.id] ?? c.header,
    rules: c.id === 'code' ? ['18 位统一社会信用代码（GB 32100-2015），末位校验码经逐个校验；不使用 I、O、Z、S、V'] : [],
    get: (u) => u[c.id as keyof Unit] as Raw,
  })),
);

/** Where each registry column of a pairing lives in the Pairing schema. */
const PAIRING_PATHS: Record<string, readonly string[]> = {
  villageCode: ['villageCode'],
  unitCode: ['unitCode'],
  signedOn: ['signedOn'],
  pledgedFunds: ['pledgedFunds'],
  validUntil: ['validUntil'],
  planFunds: ['plan', 'funds'],
  planMaterials: ['plan', 'materials'],
  fundsUsePlan: ['plan', 'fundsUsePlan'],
  hasIndustryProject: ['plan', 'hasIndustryProject'],
  industryPlan: ['plan', 'industryPlan'],
  planSales: ['plan', 'sales'],
  planSalesSelfPurchase: ['plan', 'salesSelfPurchase'],
  planSalesMarket: ['plan', 'salesMarket'],
  planJobs: ['plan', 'jobs'],
  planJobsUnit: ['plan', 'jobsUnit'],
  planJobsMigrant: ['plan', 'jobsMigrant'],
  planJobsStartup: ['plan', 'jobsStartup'],
  planJobsPublic: ['plan', 'jobsPublic'],
  planTraining: ['plan', 'training'],
  trainingPlan: ['plan', 'trainingPlan'],
  stationing: ['plan', 'stationing'],
  planStationed: ['plan', 'stationedPlanned'],
  stationedStaff: ['stationedStaff'],
  stationedFrom: ['plan', 'stationedFrom'],
};

const PAIRING_DESCRIPTIONS: Record<string, string> = {
  villageCode: '结对的挂牌督战村',
  unitCode: '结对帮扶单位',
  signedOn: '结对帮扶协议（附件1）签署日期',
  pledgedFunds: '协议（附件1）中承诺至少投入的扶贫资金',
  validUntil: '协议（附件1）有效期的截止日期',
  planFunds: '帮扶计划书（附件2）：计划投入资金',
  planMaterials: '附件2：计划投入物资（市场价值）',
  fundsUsePlan: '附件2：资金、物资用途规划',
  hasIndustryProject: '附件2：有无产业项目',
  industryPlan: '附件2：促进产业扶贫计划',
  planSales: '附件2：计划销售收入（消费扶贫）',
  planSalesSelfPurchase: '附件2：计划销售收入中由帮扶单位自购的部分',
  planSalesMarket: '附件2：计划销售收入中链接市场销售的部分',
  planJobs: '附件2：计划解决就业人数',
  planJobsUnit: '附件2：其中帮扶单位用工人数',
  planJobsMigrant: '附件2：其中外出就业人数（不含帮扶单位用工）',
  planJobsStartup: '附件2：其中创业就业人数',
  planJobsPublic: '附件2：其中公益岗位人数',
  planTraining: '附件2：计划培训人数',
  trainingPlan: '附件2：培训计划',
  stationing: '附件2：是否派驻村力量',
  planStationed: '附件2：计划驻村人数',
  stationedStaff: '附件2：驻村人员姓名（个人信息）',
  stationedFrom: '附件2：驻村人员入村时间',
};

const PAIRING_RULES: Record<string, string[]> = {
  validUntil: [`协议未写明时为 ${DEFAULT_AGREEMENT_VALID_UNTIL}`],
  planSales: ['应等于帮扶单位自购与链接市场销售之和（不一致时校验给出警告）'],
  planJobs: ['应等于帮扶单位用工、外出就业、创业就业、公益岗位之和（不一致时校验给出警告）'],
  stationedStaff: ['个人姓名，只在站点配置公开（PUBLISH_PERSONAL_NAMES=1）时发布；否则下载文件中没有这一列'],
  villageCode: ['对应挂牌督战村表的村代码'],
  unitCode: ['对应结对帮扶单位表的单位代码'],
};

function pairingTable(publishNames: boolean): TableSpec<Pairing> {
  const cols = PAIRING_COLUMNS.filter((c) => publishNames || c.id !== 'stationedStaff');
  return tableSpec<Pairing>(
    {
      id: 'pairings',
      title: '结对帮扶协议与计划',
      description: '每个结对（村 × 结对帮扶单位）一行：结对帮扶协议（附件1）和结对帮扶计划书（附件2）。',
      primaryKey: ['villageCode', 'unitCode'],
      foreignKeys: [
        { fields: ['villageCode'], reference: { table: 'villages', fields: ['code'] } },
        { fields: ['unitCode'], reference: { table: 'units', fields: ['code'] } },
      ],
    },
    cols.map((c): FieldSpec<Pairing> => {
      const path = PAIRING_PATHS[c.id];
      if (!path) throw new Error(`opendata: 结对表的列 ${c.id}（${c.header}）没有对应的数据模式字段`);
      return {
        id: c.id,
        title: c.header,
        kind: c.kind === 'villageCode' || c.kind === 'unitCode' ? 'code' : c.kind === 'unitType' ? 'text' : c.kind,
        from: ['pairing', ...path],
        unit: c.kind === 'count' ? '人' : undefined,
        description: PAIRING_DESCRIPTIONS[c.id] ?? c.header,
        rules: PAIRING_RULES[c.id] ?? [],
        get: (p) => path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], p) as Raw,
      };
    }),
  );
}

const PAIRINGS_PUBLIC = pairingTable(false);
const PAIRINGS_WITH_NAMES = pairingTable(true);

export interface TableOptions {
  /** publish 驻村人员 (personal names); otherwise the column is absent */
  publishNames: boolean;
}

export const TABLE_IDS: readonly TableId[] = ['progress', 'villages', 'units', 'pairings'];

function spec(id: TableId, options: TableOptions): TableSpec<never> {
  const s = id === 'progress' ? PROGRESS : id === 'villages' ? VILLAGES : id === 'units' ? UNITS : options.publishNames ? PAIRINGS_WITH_NAMES : PAIRINGS_PUBLIC;
  return s as unknown as TableSpec<never>;
}

export function tableDef(id: TableId, options: TableOptions): TableDef {
  return spec(id, options).def;
}

export function tableDefs(options: TableOptions): TableDef[] {
  return TABLE_IDS.map((id) => tableDef(id, options));
}

function build<S>(s: TableSpec<S>, items: Iterable<S>): Table {
  const rows: Raw[][] = [];
  for (const item of items) rows.push(s.getters.map((g) => g(item)));
  return { def: s.def, rows };
}

/** Progress rows, in the order given (see `progressSources`). */
export function progressTable(items: Iterable<ProgressSource>): Table {
  return build(PROGRESS, items);
}

export function villagesTable(villages: Iterable<Village>): Table {
  return build(VILLAGES, [...villages].sort((a, b) => a.code.localeCompare(b.code, 'en')));
}

export function unitsTable(units: Iterable<Unit>): Table {
  return build(UNITS, [...units].sort((a, b) => a.code.localeCompare(b.code, 'en')));
}

export function pairingsTable(pairings: Iterable<Pairing>, options: TableOptions): Table {
  const s = options.publishNames ? PAIRINGS_WITH_NAMES : PAIRINGS_PUBLIC;
  return build(s, [...pairings].sort((a, b) => a.villageCode.localeCompare(b.villageCode, 'en') || a.unitCode.localeCompare(b.unitCode, 'en')));
}

/**
 * The progress records of some pairings (a village's, a unit's, an area's or all), for
 * the given months (all when omitted), ordered by month, village code, unit code.
 */
export function progressSources(
  pairings: Iterable<{ village: Village; unit: Unit; byMonth: ReadonlyMap<string, ProgressRecord> }>,
  months?: ReadonlyArray<string>,
): ProgressSource[] {
  const want = months ? new Set(months) : null;
  const out: ProgressSource[] = [];
  for (const p of pairings) {
    for (const [month, record] of p.byMonth) if (!want || want.has(month)) out.push({ village: p.village, unit: p.unit, record });
  }
  return out.sort((a, b) => a.record.month.localeCompare(b.record.month) || a.record.villageCode.localeCompare(b.record.villageCode, 'en') || a.record.unitCode.localeCompare(b.record.unitCode, 'en'));
}

// ---------------------------------------------------------------------------------------
// Writing

/** The CSV text of a cell: 万元 exact, 1/0, ratio with 2 decimals, blank = empty. */
export function csvCell(kind: ValueKind, v: Raw): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (kind === 'money') return yuanToWanString(v as number);
  return String(v);
}

const rawJSON = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;

/** The JSON value of a cell: numbers for money (written with the exact decimal text), 1/0, null for blank. */
export function jsonCell(kind: ValueKind, v: Raw): unknown {
  if (v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (kind === 'money' || kind === 'ratio') {
    const text = kind === 'money' ? yuanToWanString(v as number) : String(v);
    return rawJSON ? rawJSON(text) : Number(text);
  }
  return v;
}

/**
 * Cells that a spreadsheet would run as a formula are prefixed with `'`. papaparse's own
 * `escapeFormulae: true` uses /^[=+\-@\t\r].*$/, whose `.` stops at a line break, so a
 * multi-line cell such as "=1+1\nx" would slip through; this pattern has no such gap.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

export function toCsv(table: Table, options: { bom: boolean }): string {
  return [...csvPieces(table, options)].join('');
}

/** Rows per piece when a table is written in pieces (a national month is 150,000 rows). */
const PIECE_ROWS = 5000;

/**
 * The CSV text in pieces of PIECE_ROWS rows, so that a table of a million rows never has to
 * be one string (V8 caps strings at ~512 MB). Joined, the pieces are toCsv's text.
 */
export function* csvPieces(table: Table, options: { bom: boolean }): Generator<string> {
  yield `${options.bom ? '\ufeff' : ''}${unparse(table.def, table.rows.slice(0, PIECE_ROWS), true)}\r\n`;
  for (let i = PIECE_ROWS; i < table.rows.length; i += PIECE_ROWS) yield `${unparse(table.def, table.rows.slice(i, i + PIECE_ROWS), false)}\r\n`;
}

function unparse(def: TableDef, rows: Raw[][], header: boolean): string {
  const kinds = def.fields.map((f) => f.kind);
  return (
    Papa.unparse({ fields: def.fields.map((f) => f.title), data: rows.map((r) => r.map((v, i) => csvCell(kinds[i]!, v))) }, { newline: '\r\n', escapeFormulae: FORMULA_START, quotes: false, header })
      // papaparse ends a header-only table with a line break (a quoted last cell never ends with one)
      .replace(/\r\n$/, '')
  );
}

/**
 * One row's CSV line and JSON object, without separators: a progress row appears in the
 * files of its village, its unit, its county and its province, and is written once for all
 * of them (see entity-downloads.ts). Joined with csvText / jsonText they give toCsv's and
 * toJson's text.
 */
export function rowLines(def: TableDef, row: Raw[]): { csv: string; json: string } {
  return { csv: unparse(def, [row], false), json: jsonRow(def, row) };
}

/** toCsv's text from rowLines' CSV lines. */
export function csvText(def: TableDef, lines: readonly string[], options: { bom: boolean }): string {
  return `${options.bom ? '\ufeff' : ''}${unparse(def, [], true)}\r\n${lines.map((l) => `${l}\r\n`).join('')}`;
}

export interface JsonMeta {
  synthetic: boolean;
  /** what the rows come from, in Chinese */
  generatedFrom: string;
  /** e.g. 项目进展（2020年7月） */
  title?: string;
}

/**
 * `{ table, title, licence, licence_url, synthetic, generated_from, dictionary, fields, rows }`,
 * one row per line (readable, diffable), keys = field ids.
 */
export function toJson(table: Table, meta: JsonMeta): string {
  return [...jsonPieces(table, meta)].join('');
}

/** Write text pieces to a file one by one (never joined into one string); its size and sha256. */
export function writePieces(file: string, pieces: Iterable<string>): { bytes: number; sha256: string } {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for (const piece of pieces) {
      const buf = Buffer.from(piece, 'utf8');
      writeSync(fd, buf);
      hash.update(buf);
      bytes += buf.length;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** The JSON text in pieces of PIECE_ROWS rows (see csvPieces); joined, they are toJson's text. */
export function* jsonPieces(table: Table, meta: JsonMeta): Generator<string> {
  yield jsonOpen(table.def, meta);
  const row = (r: Raw[]) => jsonRow(table.def, r);
  for (let i = 0; i < table.rows.length; i += PIECE_ROWS) yield `\n${table.rows.slice(i, i + PIECE_ROWS).map(row).join(',\n')}${i + PIECE_ROWS < table.rows.length ? ',' : ''}`;
  yield `${table.rows.length ? '\n' : ''}]}\n`;
}

/** toJson's text from rowLines' JSON lines. */
export function jsonText(def: TableDef, lines: readonly string[], meta: JsonMeta): string {
  return `${jsonOpen(def, meta)}${lines.length ? `\n${lines.join(',\n')}\n` : ''}]}\n`;
}

/** Everything before the first row: the table's metadata, then `"rows":[`. */
function jsonOpen(def: TableDef, meta: JsonMeta): string {
  const head = JSON.stringify({
    table: def.id,
    title: meta.title ?? def.title,
    licence: licenceStatement(meta.synthetic),
    licence_url: LICENCE.path,
    synthetic: meta.synthetic,
    generated_from: meta.generatedFrom,
    dictionary: `/data/dictionary/#${def.id}`,
    fields: def.fields.map((f) => f.id),
  });
  return `${head.slice(0, -1)},"rows":[`;
}

function jsonRow(def: TableDef, r: Raw[]): string {
  return JSON.stringify(Object.fromEntries(def.fields.map((f, i) => [f.id, jsonCell(f.kind, r[i] ?? null)])));
}

/** Where the rows come from, for `generated_from`. */
export function generatedFrom(table: TableId, month?: string | null, fileCount?: number): string {
  if (table === 'progress') {
    const when = month ? formatMonth(month) : '全部月份';
    const files = fileCount !== undefined ? `，共 ${fileCount} 个文件` : '';
    return `各挂牌督战县报送的《项目进展统计表》（附件3），${when}${files}；每行的原始文件和行号见 sourceFile、sourceRow 字段`;
  }
  if (table === 'pairings') return '结对帮扶登记（registry/pairings.csv）：结对帮扶协议（附件1）和结对帮扶计划书（附件2）';
  return `登记表 registry/${table}.csv`;
}

// ---------------------------------------------------------------------------------------
// The files: one list for the endpoints, the data page and datapackage.json

export type Flavour = 'csv' | 'excel' | 'json';

export const FLAVOURS: ReadonlyArray<{ id: Flavour; suffix: string; label: string; contentType: string }> = [
  { id: 'excel', suffix: '-excel.csv', label: 'CSV（Excel，带 BOM）', contentType: 'text/csv; charset=utf-8' },
  { id: 'csv', suffix: '.csv', label: 'CSV（UTF-8，无 BOM）', contentType: 'text/csv; charset=utf-8' },
  { id: 'json', suffix: '.json', label: 'JSON', contentType: 'application/json; charset=utf-8' },
];

export interface DownloadFileSpec {
  /** relative to /downloads/, e.g. `progress/2020-07-excel.csv` */
  path: string;
  /** the endpoint's [file] parameter, e.g. `2020-07-excel.csv` */
  file: string;
  table: TableId;
  /** progress: the month, or null for all months; registry tables: null */
  month: string | null;
  flavour: Flavour;
  contentType: string;
}

export const DOWNLOADS_BASE = '/downloads/';
export const REGISTRY_TABLES: ReadonlyArray<Exclude<TableId, 'progress'>> = ['villages', 'units', 'pairings'];

export function downloadFiles(months: ReadonlyArray<string>): DownloadFileSpec[] {
  const out: DownloadFileSpec[] = [];
  for (const month of [...months, null]) {
    for (const f of FLAVOURS) {
      const file = `${month ?? 'all'}${f.suffix}`;
      out.push({ path: `progress/${file}`, file, table: 'progress', month, flavour: f.id, contentType: f.contentType });
    }
  }
  for (const table of REGISTRY_TABLES) {
    for (const f of FLAVOURS) {
      const file = `${table}${f.suffix}`;
      out.push({ path: `registry/${file}`, file, table, month: null, flavour: f.id, contentType: f.contentType });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// datapackage.json (Frictionless Data Package, tabular)

export interface TableSchemaField {
  name: string;
  title: string;
  type: FieldType;
  format?: string;
  description: string;
  constraints: { required: boolean; pattern?: string; minimum?: number; maximum?: number; minLength?: number; enum?: string[] };
}

export interface DataResource {
  name: string;
  path: string;
  title: string;
  description: string;
  profile: 'tabular-data-resource';
  format: 'csv';
  mediatype: 'text/csv';
  encoding: 'utf-8';
  dialect: { header: true; delimiter: ','; lineTerminator: '\r\n'; quoteChar: '"'; doubleQuote: true };
  schema: {
    fields: TableSchemaField[];
    missingValues: string[];
    primaryKey: string[];
    /** absent when the table has none (the profile wants at least one key where the property is given) */
    foreignKeys?: Array<{ fields: string[]; reference: { resource: string; fields: string[] } }>;
  };
  bytes?: number;
  hash?: string;
}

export interface DataPackage {
  profile: 'tabular-data-package';
  name: string;
  title: string;
  description: string;
  licenses: Array<{ name: string; path: string; title: string }>;
  sources: Array<{ title: string }>;
  keywords: string[];
  synthetic: boolean;
  resources: DataResource[];
}

/** Table Schema pattern: implicitly anchored, so `^…$` is dropped. */
function tablePattern(p: string): string {
  return p.replace(/^\^/, '').replace(/\$$/, '');
}

export function tableSchemaField(f: FieldDef): TableSchemaField {
  const constraints: TableSchemaField['constraints'] = { required: f.required };
  // a pattern constrains strings only (Table Schema): on date and yearmonth the type is the constraint
  if (f.pattern && f.type === 'string') constraints.pattern = tablePattern(f.pattern);
  if (f.minimum !== null) constraints.minimum = f.minimum;
  if (f.maximum !== null) constraints.maximum = f.maximum;
  if (f.minLength !== null && f.kind !== 'code') constraints.minLength = f.minLength;
  if (f.enum) constraints.enum = f.enum;
  const unit = f.unit ? `单位：${f.unit}。` : '';
  return {
    name: f.title,
    title: f.label,
    type: f.type,
    ...(f.type === 'date' ? { format: 'default' } : {}),
    description: `${f.description}。${unit}${f.rules.join('；')}。JSON 字段名：${f.id}`,
    constraints,
  };
}

const idToTitle = (def: TableDef, ids: string[]) => ids.map((id) => def.fields.find((f) => f.id === id)!.title);

export interface DataPackageOptions {
  synthetic: boolean;
  months: ReadonlyArray<string>;
  publishNames: boolean;
  /** bytes and `sha256:…` hash of each CSV file, by path relative to /downloads/ */
  files?: Readonly<Record<string, { bytes: number; hash: string }>>;
}

export function dataPackage(options: DataPackageOptions): DataPackage {
  const defs = new Map(tableDefs(options).map((d) => [d.id, d]));
  const resourceName = (table: TableId, month: string | null) => (table === 'progress' && month ? `progress-${month}` : table);
  const resources = downloadFiles(options.months)
    .filter((f) => f.flavour === 'csv')
    .map((f): DataResource => {
      const def = defs.get(f.table)!;
      const when = f.table === 'progress' ? (f.month ? `（${formatMonth(f.month)}）` : '（全部月份）') : '';
      const stats = options.files?.[f.path];
      return {
        name: resourceName(f.table, f.month),
        path: f.path,
        title: `${def.title}${when}`,
        description: `${def.description}同一数据另有带 BOM 的 Excel 版（${f.path.replace(/\.csv$/, '-excel.csv')}）和 JSON 版（${f.path.replace(/\.csv$/, '.json')}）。`,
        profile: 'tabular-data-resource',
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        dialect: { header: true, delimiter: ',', lineTerminator: '\r\n', quoteChar: '"', doubleQuote: true },
        schema: {
          fields: def.fields.map(tableSchemaField),
          missingValues: [''],
          primaryKey: idToTitle(def, def.primaryKey),
          ...(def.foreignKeys.length > 0
            ? {
                foreignKeys: def.foreignKeys.map((k) => ({
                  fields: idToTitle(def, k.fields),
                  reference: { resource: k.reference.table, fields: idToTitle(defs.get(k.reference.table)!, k.reference.fields) },
                })),
              }
            : {}),
        },
        ...(stats ? { bytes: stats.bytes, hash: stats.hash } : {}),
      };
    });
  return {
    profile: 'tabular-data-package',
    name: 'gpdzc-open-data',
    title: '社会力量助力挂牌督战村项目 · 公开数据',
    description: `挂牌督战村、结对帮扶单位、结对帮扶协议与计划（附件1、附件2）和每月项目进展（附件3）。金额单位为万元（精确小数），空白表示未填报，完成比例由系统重新计算。${licenceStatement(options.synthetic)}`,
    licenses: [{ ...LICENCE }],
    sources: [{ title: '各挂牌督战县报送的《项目进展统计表》（附件3）及结对帮扶登记（附件1、附件2）' }, { title: CITATION }],
    keywords: ['挂牌督战村', '社会力量', '结对帮扶', '脱贫攻坚', '开放数据'],
    synthetic: options.synthetic,
    resources,
  };
}

/** `1234` → `1.2 KB`, for the data page. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** For the dictionary and tests: that every table's ids and titles match its CSV header. */
export function csvHeader(def: TableDef): string[] {
  return def.fields.map((f) => f.title);
}
