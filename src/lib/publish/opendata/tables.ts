/** The open-data tables: which fields each has and how a row is read from the records (progress, villages, units, pairings). */
import { DEFAULT_AGREEMENT_VALID_UNTIL, LOCATION_COLUMNS, PAIRING_COLUMNS, UNIT_COLUMNS, VILLAGE_COLUMNS, type RegistryColumn } from '../../ingest/columns.ts';
import { MEASURES, METRIC_COLUMNS, PLAN_PAIRS, metric, type MetricColumn } from '../../metric-catalogue.ts';
import { type Pairing, type ProgressRecord, type Unit, type Village } from '../../ingest/records.ts';
import { ratioDecimal } from '../../ratio.ts';
import { labelOf, makeField, type Blank, type FieldSpec, type TableDef, type TableId, type Raw } from './fields.ts';

// Rows


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
      get: (s) => ratioDecimal(s.record.values[plan] as number | null, s.record.values[done] as number | null),
    };
  }
  const id = m.id as keyof ProgressRecord['values'];
  const rules: string[] = m.kind === 'flag' ? [] : ['截至当月底的累计数'];
  if (isPlanMetric(m.id)) rules.push('计划为 0 表示无计划（无计划填零），不计算完成比例');
  if (isDoneMetric(m.id)) rules.push('可以超过计划（超额）；比上月减少时按数据更正处理并在页面注明');
  const flagPlan = PLAN_PAIRS.find((p) => p.done === m.id && m.kind === 'flag' && metric(p.plan).kind === 'flag');
  if (flagPlan) rules.push(`${labelOf(metric(flagPlan.plan).header)}为 0 时，本列没有意义`);
  return {
    id: m.id,
    title: m.header,
    kind: m.kind === 'money' ? 'money' : m.kind === 'flag' ? 'flag' : 'count',
    from: ['metrics', m.id],
    unit: m.kind === 'count' ? '人' : undefined,
    description: `${measure}：${m.description ?? labelOf(m.header)}`,
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
    { id: 'sourceRow', title: '来源行号', kind: 'count', from: ['progress', 'source', 'row'], unit: null, description: '该行在原始报表公开副本（sourceFile）中的行号，与电子表格软件显示的行号一致', get: (s) => s.record.source.row },
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
  trainingPlan: ['plan', 'trainingText'],
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

/** 驻村人员 names are personal data: published only when the site is built with PUBLISH_PERSONAL_NAMES=1. */
export function publishPersonalNames(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.PUBLISH_PERSONAL_NAMES === '1';
}

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
