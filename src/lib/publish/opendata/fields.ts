/**
 * Open data: the download tables and their definitions. ONE source for the CSV and JSON
 * files, the data dictionary page and `datapackage.json` (this folder: fields.ts, tables.ts,
 * serialise.ts, downloads.ts, datapackage.ts, licence.ts), so none of them can disagree with
 * the data or with each other.
 *
 * Here, the field definitions: types, required-ness, patterns and minimums come from the Zod
 * schemas (via `z.toJSONSchema`); Chinese titles come from the metric catalogue and columns.ts
 * (the headers staff see in 附件3 and in the registry). A field whose declared kind disagrees
 * with its schema fails at module load, i.e. the build fails instead of publishing a wrong
 * dictionary.
 *
 * Values in the files: money in 万元 as an exact decimal (integer 元 → `yuanToWanString`,
 * never a float computation), counts as integers, flags 1/0, ratios recomputed with 2
 * decimals; blank (未填报) stays empty in CSV and null in JSON, never 0.
 */
import { z } from 'zod';
import { USCC_PATTERN } from '../../patterns.ts';
import { metricValuesSchema, pairingSchema, progressSchema, unitSchema, villageSchema } from '../../ingest/records.ts';

// Field definitions, derived from the Zod schemas

/** How a value is written: decides the CSV text, the JSON value and the Table Schema type. */
/** A cell before it is written: 元 for money, booleans for flags, a 2-decimal string for ratios. */
export type Raw = string | number | boolean | null;

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
/** The datapackage's pattern for a 统一社会信用代码 (the one pattern, as JSON Schema's string). */
export const USCC_SCHEMA_PATTERN = USCC_PATTERN.source;

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
export type Blank = '未填报' | '未填写';

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

export interface FieldSpec<S> {
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

export function labelOf(title: string): string {
  return title.replace(/（[^）]*）$/, '');
}

/** 统一社会信用代码 fields: unit.code and every *.unitCode. */
function isUnitCode(from: FieldSpec<unknown>['from']): boolean {
  if (!from) return false;
  const [schema, ...path] = from;
  return path.at(-1) === 'unitCode' || (schema === 'unit' && path.join('.') === 'code');
}

export function makeField<S>(spec: FieldSpec<S>, blank: Blank): FieldDef {
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
  if (spec.kind === 'code' && !p.pattern && isUnitCode(spec.from)) p = { ...p, pattern: USCC_SCHEMA_PATTERN };
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
