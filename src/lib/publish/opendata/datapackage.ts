/** datapackage.json (Frictionless Data Package, tabular): the files with their schemas, sizes and hashes. */
import { formatMonth } from '../../render/format.ts';
import { downloadFiles } from './downloads.ts';
import type { FieldDef, FieldType, TableDef, TableId } from './fields.ts';
import { CITATION, LICENCE, licenceStatement } from './licence.ts';
import { tableDefs } from './tables.ts';

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

function tableSchemaField(f: FieldDef): TableSchemaField {
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
