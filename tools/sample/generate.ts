/**
 * Deterministic synthetic dataset (`npm run sample`): registry files and monthly progress
 * exports in every layout and encoding GUIDE §3 says the ingest must read. Pure: no fs, no
 * clock, no Math.random — the same options give byte-identical files.
 *
 * Everything below the county is fictional (乡镇, 村, 单位, 人员, every number); counties are
 * the 52 real 挂牌督战县, plus synthetic `示例县NNN` counties at national scale.
 *
 * Money is handled as integer hundredths of 万元 (= 100 元) throughout and printed from
 * integers, so no value ever carries a float artefact and every 合计 is exact.
 */
import iconv from 'iconv-lite';
import { DEFAULT_AGREEMENT_VALID_UNTIL, LOCATION_COLUMNS, PAIRING_COLUMNS, UNIT_COLUMNS, VILLAGE_COLUMNS } from '../../src/lib/ingest/columns.ts';
import { MEASURES, METRIC_COLUMNS, REPORTED_METRIC_IDS, type ReportedMetricId } from '../../src/lib/metric-catalogue.ts';
import {
  EASTERN_HOME_CITIES,
  LISTED_COUNTIES,
  LISTED_GEOGRAPHY,
  provinceHomeCities,
  syntheticCounty,
  type CountyRef,
  type HomeCity,
} from './geography.ts';
import { USCC_CHARSET, makeUscc, orgCodeCheckChar } from '../../src/lib/ingest/uscc.ts';
import { withPublishing } from './publishing.ts';

// ---------------------------------------------------------------------------------------
// Public API

export type SampleScale = 'real' | 'national' | 'tiny';
export const SAMPLE_SCALES: ReadonlyArray<SampleScale> = ['real', 'national', 'tiny'];

export interface SampleOptions {
  scale: SampleScale;
  /** unsigned 32-bit integer; default DEFAULT_SEED */
  seed?: number;
}

export interface SampleFile {
  /** relative to DATA_DIR, posix separators */
  path: string;
  bytes: Uint8Array;
}

/** A deliberately planted cumulative decrease (a correction: a warning, not an error). */
export interface PlantedDecrease {
  villageCode: string;
  unitCode: string;
  metric: ReportedMetricId;
  /** the month whose value is lower than the month before */
  month: string;
}

export interface SampleSummary {
  scale: SampleScale;
  seed: number;
  counties: number;
  villages: number;
  units: number;
  pairings: number;
  months: string[];
  /** every file written, dataset.json included */
  files: number;
  /** progress data rows (one per pairing per month reported), over all export files */
  progressRows: number;
  planted: { decreases: PlantedDecrease[] };
}

export interface SamplePlan {
  summary: SampleSummary;
  /** the files one at a time (lets the CLI write national scale without holding it all) */
  files(): Generator<SampleFile>;
}

/** 2020-04-08: the day 国务院扶贫办 launched the programme. */
export const DEFAULT_SEED = 20200408;

export function generateSample(options: SampleOptions): SampleFile[] {
  return [...createSample(options).files()];
}

export function generateSampleSummary(options: SampleOptions): SampleSummary {
  return createSample(options).summary;
}

// ---------------------------------------------------------------------------------------
// Scales

interface ScaleConfig {
  villages: number;
  units: number;
  pairings: number;
  months: number;
}

const SCALES: Record<SampleScale, ScaleConfig> = {
  tiny: { villages: 12, units: 10, pairings: 14, months: 3 },
  real: { villages: 1113, units: 900, pairings: 1300, months: 8 },
  national: { villages: 128000, units: 90000, pairings: 150000, months: 8 },
};

const ALL_MONTHS = ['2020-05', '2020-06', '2020-07', '2020-08', '2020-09', '2020-10', '2020-11', '2020-12'];
const N_SERIES_MONTHS = ALL_MONTHS.length;

// ---------------------------------------------------------------------------------------
// Seeded randomness

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A well-mixed 32-bit hash of two integers: independent streams per entity. */
function mix(a: number, b: number): number {
  let h = (a ^ Math.imul((b + 0x9e3779b9) >>> 0, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function int(rng: Rng, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

function pick<T>(rng: Rng, items: ReadonlyArray<T>): T {
  return items[Math.floor(rng() * items.length)]!;
}

function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = items[i]!;
    items[i] = items[j]!;
    items[j] = t;
  }
  return items;
}

/** n integers in [min, max] summing to total (total must be reachable). */
function allocate(rng: Rng, n: number, total: number, min: number, max: number): number[] {
  const counts: number[] = [];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const c = int(rng, min, max);
    counts.push(c);
    sum += c;
  }
  const order = shuffle(rng, Array.from({ length: n }, (_, i) => i));
  while (sum !== total) {
    let moved = false;
    for (const i of order) {
      if (sum > total && counts[i]! > min) {
        counts[i]!--;
        sum--;
        moved = true;
      } else if (sum < total && counts[i]! < max) {
        counts[i]!++;
        sum++;
        moved = true;
      }
      if (sum === total) break;
    }
    if (!moved) throw new Error(`cannot allocate ${total} over ${n} in [${min}, ${max}]`);
  }
  return counts;
}

/** Largest-remainder split of total in proportion to weights, at least `floor` each. */
function proportional(total: number, weights: number[], floor: number): number[] {
  const w = weights.reduce((a, b) => a + b, 0);
  const base = weights.map((x) => Math.max(floor, Math.floor((total * x) / w)));
  let rest = total - base.reduce((a, b) => a + b, 0);
  const order = weights
    .map((x, i) => ({ i, x, r: (total * x) % w }))
    .filter((o) => o.x > 0)
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) base[order[k]!.i]!++;
  for (let k = 0; rest < 0; k = (k + 1) % order.length) {
    const i = order[order.length - 1 - k]!.i;
    if (base[i]! > floor) {
      base[i]!--;
      rest++;
    }
  }
  return base;
}

// ---------------------------------------------------------------------------------------
// Fictional names

const USCC_CHARS = [...USCC_CHARSET];
const PLACE_FIRST = [...'青石河山龙凤松柏竹梨桃花阳新和平安丰富兴福德宁康乐明光金银玉碧翠清泉水田林岩溪东西南北中上下大小高长红白黄三五双马牛羊鹰云雪茶杉枫'];
const PLACE_SECOND = [...'坪塘沟坝湾岩溪河山岭峰坡岗寨庄营屯堡洞箐冲田林桥口湖泉石场台坎垭梁渡埔园滩头地窝岔关门寺湾'];
const BRAND_FIRST = [...'华金鑫恒瑞嘉天宏博星锦和安长晨东润佳汇海鼎同凯永德美仁禾新明弘立惠泰远春青云盛中兴万百千福丰益康正升'];
const BRAND_SECOND = [...'信源达丰泰成图远河程润康风光方泽业通纳盛心兴安和禾德毅民航晖山穗辉诚茂隆昌宇鸿瑞联创合力峰祥瀚邦'];
const ENTERPRISE_TRADES = [
  '农业科技', '食品', '茶业', '电子商务', '建设工程', '物流', '医药', '文化旅游', '新能源', '投资', '商贸', '乳业',
  '生物科技', '服饰', '信息技术', '家居', '畜牧', '供应链管理', '餐饮管理', '新材料', '农产品开发', '生态农业', '实业', '控股',
];
const ENTERPRISE_SUFFIXES = ['有限公司', '有限公司', '股份有限公司', '集团有限公司'];
const ORGANISATION_KINDS = ['公益基金会', '慈善基金会', '慈善会', '乡村振兴促进会', '志愿服务协会', '扶贫开发协会', '教育基金会', '商会', '社会工作服务中心'];
const SURNAMES = [...'张李王刘陈杨赵黄周吴徐孙马朱胡郭何林罗高'];
const CROPS = ['花椒', '核桃', '中药材', '茶叶', '食用菌', '高山蔬菜', '柑橘', '芒果', '百香果', '马铃薯', '苹果', '红枣', '枸杞', '油茶', '魔芋', '辣椒'];
const ANIMALS = ['肉牛', '黑山羊', '生猪', '土鸡', '肉兔', '中蜂', '滩羊'];
const SKILLS = ['种植技术', '养殖技术', '电商直播', '家政服务', '建筑技能', '厨师', '汽车驾驶', '普通话', '民族刺绣'];

function placeName(rng: Rng): string {
  return pick(rng, PLACE_FIRST) + pick(rng, PLACE_SECOND);
}

// ---------------------------------------------------------------------------------------
// Dates (2020 is a leap year; day ordinals count from 2020-01-01 = 0)

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function ordinal(month: number, day: number): number {
  let o = day - 1;
  for (let m = 1; m < month; m++) o += MONTH_DAYS[m - 1]!;
  return o;
}

function fromOrdinal(o: number): { month: number; day: number } {
  let month = 1;
  while (o >= MONTH_DAYS[month - 1]!) {
    o -= MONTH_DAYS[month - 1]!;
    month++;
  }
  return { month, day: o + 1 };
}

function isoDate(o: number): string {
  const { month, day } = fromOrdinal(o);
  return `2020-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function excelDate(o: number): string {
  const { month, day } = fromOrdinal(o);
  return `2020/${month}/${day}`;
}

/** Index into ALL_MONTHS of the month a day falls in (April and earlier → 0). */
function seriesMonthOf(o: number): number {
  return Math.max(0, fromOrdinal(o).month - 5);
}

// ---------------------------------------------------------------------------------------
// Number formatting (from integers only)

/** hundredths of 万元 → `12`, `12.5`, `12.05` (or `1,234.50` in thousands style when ≥ 1000). */
function formatMoney(hundredths: number, thousands: boolean): string {
  const int = Math.floor(hundredths / 100);
  const frac = hundredths % 100;
  if (thousands && int >= 1000) {
    return `${int.toString().replace(/\B(?=(\d{3})+$)/g, ',')}.${String(frac).padStart(2, '0')}`;
  }
  if (frac === 0) return String(int);
  return frac % 10 === 0 ? `${int}.${frac / 10}` : `${int}.${String(frac).padStart(2, '0')}`;
}

/** done/plan × 100, rounded half up to 2 decimals, as `85.5` (plain) or `85.50%` (percent). */
function formatRatio(done: number, plan: number, percent: boolean): string {
  const h = Math.floor((2 * done * 10000 + plan) / (2 * plan)); // hundredths of a percent
  const int = Math.floor(h / 100);
  const frac = h % 100;
  if (percent) return `${int}.${String(frac).padStart(2, '0')}%`;
  if (frac === 0) return String(int);
  return frac % 10 === 0 ? `${int}.${frac / 10}` : `${int}.${String(frac).padStart(2, '0')}`;
}

function fullWidth(s: string): string {
  return s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + d.charCodeAt(0) - 48));
}

// ---------------------------------------------------------------------------------------
// CSV text and encodings

const NEEDS_QUOTES: Record<string, RegExp> = { ',': /[",\r\n]/, '\t': /["\t\r\n]/ };

/** One CSV line: cells holding the delimiter, a quote or a line break are quoted. */
function csvLine(cells: ReadonlyArray<string>, delimiter: string): string {
  const needs = NEEDS_QUOTES[delimiter]!;
  const out = new Array<string>(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    out[i] = needs.test(c) ? `"${c.replace(/"/g, '""')}"` : c;
  }
  return out.join(delimiter);
}

type Encoding = 'utf8bom' | 'utf8' | 'utf16le' | 'gb18030';

const utf8Encoder = new TextEncoder();

function encode(text: string, encoding: Encoding): Uint8Array {
  switch (encoding) {
    case 'utf8':
      return utf8Encoder.encode(text);
    case 'utf8bom':
      return utf8Encoder.encode(`\ufeff${text}`);
    case 'utf16le': {
      const out = new Uint8Array(2 + text.length * 2);
      out[0] = 0xff;
      out[1] = 0xfe;
      for (let i = 0; i < text.length; i++) {
        const u = text.charCodeAt(i);
        out[2 + 2 * i] = u & 0xff;
        out[3 + 2 * i] = u >>> 8;
      }
      return out;
    }
    case 'gb18030': {
      const b = iconv.encode(text, 'gb18030');
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    }
  }
}

/** Lines → CRLF text with a final line break, as Excel writes it. */
function crlf(lines: string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------
// The metric columns, resolved against columns.ts

function reportedIndex(id: string): number {
  const i = (REPORTED_METRIC_IDS as ReadonlyArray<string>).indexOf(id);
  if (i < 0) throw new Error(`unknown reported metric ${id}`);
  return i;
}

const NR = REPORTED_METRIC_IDS.length;
const FUNDS_PLAN = reportedIndex('fundsPlan');
const FUNDS_DONE = reportedIndex('fundsDone');
const MATERIALS_PLAN = reportedIndex('materialsPlan');
const MATERIALS_DONE = reportedIndex('materialsDone');
const HAS_INDUSTRY = reportedIndex('hasIndustryPlan');
const INDUSTRY_DONE = reportedIndex('industryPlanDone');
const SALES_PLAN = reportedIndex('salesPlan');
const SALES_DONE = reportedIndex('salesDone');
const JOBS_PLAN = reportedIndex('jobsPlan');
const JOBS_DONE = reportedIndex('jobsDone');
const TRAINING_PLAN = reportedIndex('trainingPlan');
const TRAINING_DONE = reportedIndex('trainingDone');
const STATIONED = reportedIndex('stationed');
const STATIONED_COUNT = reportedIndex('stationedCount');
const PLAN_INDICES = new Set([FUNDS_PLAN, MATERIALS_PLAN, HAS_INDUSTRY, SALES_PLAN, JOBS_PLAN, TRAINING_PLAN, STATIONED]);

interface MetricSlot {
  kind: 'money' | 'count' | 'flag' | 'ratio';
  /** reported index (money/count/flag) */
  index: number;
  /** ratio: reported indices of plan and done */
  plan: number;
  done: number;
}

const SLOTS: ReadonlyArray<MetricSlot> = METRIC_COLUMNS.map((m) =>
  m.kind === 'ratio'
    ? { kind: 'ratio', index: -1, plan: reportedIndex(m.ratioOf!.plan), done: reportedIndex(m.ratioOf!.done) }
    : { kind: m.kind, index: reportedIndex(m.id), plan: -1, done: -1 },
);
const MONEY_SLOT_POSITIONS = SLOTS.map((s, i) => (s.kind === 'money' ? i : -1)).filter((i) => i >= 0);

// ---------------------------------------------------------------------------------------
// Model

interface CountyRec extends CountyRef {
  villages: VillageRec[];
  layout: 'flat' | 'table';
  /** late[m]: the county sent nothing for month m */
  late: boolean[];
  table: TableStyle;
  pairings: PairingRec[];
}

interface VillageRec {
  code: string;
  name: string;
  township: string;
  county: CountyRec;
  units: UnitRec[];
}

interface UnitRec {
  code: string;
  name: string;
  type: '民营企业' | '社会组织';
  home: HomeCity;
}

interface PlanRec {
  signedOn: number;
  signedExcelStyle: boolean;
  /** all money in hundredths of 万元 */
  pledged: number;
  funds: number;
  materials: number;
  fundsUsePlan: string;
  industry: boolean;
  industryPlan: string;
  flagText: boolean;
  salesSelf: number;
  salesMarket: number;
  jobsUnit: number;
  jobsMigrant: number;
  jobsStartup: number;
  jobsPublic: number;
  training: number;
  trainingPlan: string;
  stationing: boolean;
  stationedPlanned: number;
  staff: string;
  stationedFrom: number;
}

interface PairingRec {
  index: number;
  village: VillageRec;
  unit: UnitRec;
  plan: PlanRec;
  /** planted decrease of fundsDone at this series month (-1: none) */
  plantedMonth: number;
}

interface TableStyle {
  percent: boolean;
  noPlan: string;
  trailing: number;
  thousands: boolean;
}

interface FlatStyle {
  encoding: Encoding;
  delimiter: string;
  headers: 'canonical' | 'spaced';
  location: { province: string; prefecture: string; county: string; township: string };
  township: boolean;
  codes: boolean;
  serial: boolean;
  percent: boolean;
  noPlan: string;
  thousands: boolean;
  /** probability that a numeric cell is written with surrounding spaces */
  spaces: number;
}

const CANONICAL_LOCATION = {
  province: LOCATION_COLUMNS.province[0],
  prefecture: LOCATION_COLUMNS.prefecture[0],
  county: LOCATION_COLUMNS.county[0],
  township: LOCATION_COLUMNS.township[0],
};

const BASE_FLAT: FlatStyle = {
  encoding: 'utf8bom',
  delimiter: ',',
  headers: 'canonical',
  location: CANONICAL_LOCATION,
  township: true,
  codes: true,
  serial: false,
  percent: false,
  noPlan: '无计划',
  thousands: false,
  spaces: 0,
};

/** How each province's flat export looks (one per province per month). */
const FLAT_STYLES: Record<string, FlatStyle> = {
  '45': BASE_FLAT,
  // names only: the reader must match 帮扶村 and 结对帮扶单位 by name within the county
  '51': { ...BASE_FLAT, codes: false, percent: true, noPlan: '' },
  '52': { ...BASE_FLAT, serial: true, thousands: true },
  '53': { ...BASE_FLAT, percent: true, spaces: 0.02 },
  // Excel "Unicode 文本": UTF-16LE with BOM, tab-separated, still named .csv
  '62': { ...BASE_FLAT, encoding: 'utf16le', delimiter: '\t', noPlan: '' },
  // UTF-8 without BOM, headers typed by hand: half-width brackets, spaces, alias names
  '64': {
    ...BASE_FLAT,
    encoding: 'utf8',
    headers: 'spaced',
    location: { province: LOCATION_COLUMNS.province[1], prefecture: LOCATION_COLUMNS.prefecture[1], county: LOCATION_COLUMNS.county[1], township: '乡（镇）' },
  },
  '65': { ...BASE_FLAT, township: false, percent: true },
};

function spacedHeader(header: string, i: number): string {
  const s = header.replace('（', ' (').replace('）', ')');
  return s === header ? (i % 2 === 0 ? `${header} ` : ` ${header}`) : i % 3 === 0 ? s.replace(' (', '  (') : s;
}

// ---------------------------------------------------------------------------------------
// Planning: geography, registry, pairings, plans (all before any file is written)

interface Model {
  scale: SampleScale;
  seed: number;
  months: string[];
  counties: CountyRec[];
  villages: VillageRec[];
  units: UnitRec[];
  pairings: PairingRec[];
  planted: PlantedDecrease[];
  /** county whose table gets the forced full-width number, and the month */
  forcedFullWidth: { county: CountyRec; month: number } | null;
}

export function createSample(options: SampleOptions): SamplePlan {
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`seed must be an integer in [0, 4294967295], got ${seed}`);
  const config = SCALES[options.scale];
  if (!config) throw new Error(`unknown scale ${String(options.scale)}`);
  const model = buildModel(options.scale, seed, config);
  const summary = summarise(model);
  // Demo data comes with its publishing record, and at real scale one planted revision.
  const revisionMonth = options.scale === 'real' ? '2020-08' : null;
  summary.files += revisionMonth ? 2 : 1; // manifest.json, and the revision's archived copy
  return { summary, files: () => withPublishing(emitFiles(model), revisionMonth) };
}

function buildModel(scale: SampleScale, seed: number, config: ScaleConfig): Model {
  const rng = mulberry32(mix(seed, 1));
  const months = ALL_MONTHS.slice(0, config.months);

  // --- counties and village counts ---
  let refs: CountyRef[];
  let villageCounts: number[];
  let layouts: Array<'flat' | 'table'>;
  if (scale === 'tiny') {
    refs = [LISTED_COUNTIES.find((c) => c.code === '533323')!, LISTED_COUNTIES.find((c) => c.code === '622921')!];
    villageCounts = [6, 6];
    layouts = ['table', 'flat'];
  } else {
    const listed = [...LISTED_COUNTIES];
    const listedCounts = allocate(rng, listed.length, SCALES.real.villages, 10, 40);
    refs = listed;
    villageCounts = listedCounts;
    if (scale === 'national') {
      const rest = config.villages - SCALES.real.villages;
      const nSynthetic = Math.round(rest / 150);
      const perProvince = proportional(nSynthetic, LISTED_GEOGRAPHY.map(() => 1), 0);
      const synthetic: CountyRef[] = [];
      LISTED_GEOGRAPHY.forEach((p, i) => {
        for (let n = 1; n <= perProvince[i]!; n++) synthetic.push(syntheticCounty(p.code, p.name, n, synthetic.length + 1));
      });
      refs = [...listed, ...synthetic];
      villageCounts = [...listedCounts, ...allocate(rng, synthetic.length, rest, 100, 200)];
    }
    // layout per county: each province's first county flat, its second a county table, then a coin
    const seen = new Map<string, number>();
    layouts = refs.map((c) => {
      const k = seen.get(c.provinceCode) ?? 0;
      seen.set(c.provinceCode, k + 1);
      return k === 0 ? 'flat' : k === 1 ? 'table' : rng() < 0.5 ? 'flat' : 'table';
    });
  }

  const counties: CountyRec[] = refs.map((ref, i) => ({
    ...ref,
    villages: [],
    layout: layouts[i]!,
    late: months.map(() => false),
    table: { percent: rng() < 0.4, noPlan: rng() < 0.5 ? '无计划' : '', trailing: rng() < 0.3 ? int(rng, 1, 3) : 0, thousands: rng() < 0.35 },
    pairings: [],
  }));

  // --- townships and villages (codes: county 6 + township 3 + village 3) ---
  const countyOrder = counties.map((c, i) => ({ c, n: villageCounts[i]! })).sort((a, b) => (a.c.code < b.c.code ? -1 : 1));
  const villages: VillageRec[] = [];
  for (const { c, n } of countyOrder) {
    const nTownships = Math.min(99, Math.max(1, Math.round(n / int(rng, 8, 14))));
    const sizes = allocate(rng, nTownships, n, 1, n);
    const townshipNames = new Set<string>();
    const villageNames = new Set<string>();
    for (let t = 0; t < nTownships; t++) {
      let township: string;
      do township = placeName(rng) + (rng() < 0.6 ? '镇' : '乡');
      while (townshipNames.has(township));
      townshipNames.add(township);
      for (let j = 0; j < sizes[t]!; j++) {
        let name: string;
        do name = `${placeName(rng)}村`;
        while (villageNames.has(name));
        villageNames.add(name);
        const v: VillageRec = { code: `${c.code}${String(t + 1).padStart(3, '0')}${200 + j}`, name, township, county: c, units: [] };
        c.villages.push(v);
        villages.push(v);
      }
    }
  }

  // --- units and pairings, province by province ---
  const provinces = LISTED_GEOGRAPHY.map((p) => p.code);
  const villagesByProvince = provinces.map((p) => villages.filter((v) => v.county.provinceCode === p));
  const provinceWeights = villagesByProvince.map((vs) => vs.length);
  const unitsPer = proportional(config.units, provinceWeights, 0).map((u, i) => Math.min(u, villagesByProvince[i]!.length));
  const extrasPer = proportional(config.pairings - config.villages, provinceWeights, 0);

  const usedCodes = new Set<string>();
  const usedNames = new Set<string>();
  const units: UnitRec[] = [];
  const unitsByProvince: UnitRec[][] = provinces.map((p, i) => {
    const list: UnitRec[] = [];
    for (let k = 0; k < unitsPer[i]!; k++) {
      const u = makeUnit(rng, p, usedCodes, usedNames);
      list.push(u);
      units.push(u);
    }
    return list;
  });

  const links: Array<{ village: VillageRec; unit: UnitRec }> = [];
  const link = (village: VillageRec, unit: UnitRec) => {
    village.units.push(unit);
    links.push({ village, unit });
  };
  provinces.forEach((_, i) => {
    const vs = villagesByProvince[i]!;
    const us = unitsByProvince[i]!;
    if (vs.length === 0) return;
    // every unit gets one village, every village one unit; big units take the rest
    const order = shuffle(rng, [...vs]);
    order.forEach((v, k) => link(v, k < us.length ? us[k]! : us[Math.floor(us.length * rng() * rng())]!));
    // second units for some villages; a few from units based on another province's list
    const second = shuffle(rng, [...vs]).slice(0, extrasPer[i]!);
    for (const v of second) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const u = rng() < 0.08 ? pick(rng, units) : us[Math.floor(us.length * rng() * rng())]!;
        if (!v.units.includes(u)) {
          link(v, u);
          break;
        }
      }
    }
  });

  links.sort((a, b) => (a.village.code < b.village.code ? -1 : a.village.code > b.village.code ? 1 : a.unit.code < b.unit.code ? -1 : a.unit.code > b.unit.code ? 1 : 0));
  const pairings: PairingRec[] = links.map((l, index) => ({ index, village: l.village, unit: l.unit, plan: makePlan(mulberry32(mix(seed ^ 0x0a77a2, index))), plantedMonth: -1 }));
  for (const p of pairings) p.village.county.pairings.push(p);
  units.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  counties.sort((a, b) => (a.code < b.code ? -1 : 1));

  // --- the quirks that must exist at every scale ---
  // a pairing with a plan over 1,000 万元 in a county table written with thousands separators
  const firstTable = counties.find((c) => c.layout === 'table' && c.pairings.length > 0) ?? null;
  if (firstTable) {
    const big = firstTable.pairings[0]!.plan;
    big.pledged = 100000;
    big.funds = 123450;
    firstTable.table.thousands = true;
  }
  const thousandsFlat = counties.find((c) => c.layout === 'flat' && FLAT_STYLES[c.provinceCode]?.thousands && c.pairings.length > 0);
  if (thousandsFlat) {
    const big = thousandsFlat.pairings[0]!.plan;
    big.pledged = 200000;
    big.funds = 246800;
  }
  const forcedFullWidth = firstTable ? { county: firstTable, month: Math.min(1, months.length - 1) } : null;

  // --- late counties: nothing at all from them for a month or two (never the last month) ---
  if (scale !== 'tiny') {
    const nLate = Math.max(3, Math.round((counties.length * 3) / 52));
    const candidates = shuffle(rng, counties.filter((c) => c !== firstTable));
    for (const c of candidates.slice(0, nLate)) {
      const start = int(rng, 0, months.length - 2);
      const length = Math.min(int(rng, 1, 2), months.length - 1 - start);
      for (let m = start; m < start + length; m++) c.late[m] = true;
    }
  }

  // --- planted corrections: fundsDone lower than the month before ---
  const planted: PlantedDecrease[] = [];
  const nPlanted = scale === 'tiny' ? 1 : Math.max(3, Math.round(pairings.length * 0.0025));
  const used = new Set<number>();
  for (let attempt = 0; planted.length < nPlanted && attempt < nPlanted * 50; attempt++) {
    const p = pairings[Math.floor(rng() * pairings.length)]!;
    const m = int(rng, 1, months.length - 1);
    const c = p.village.county;
    if (used.has(p.index) || c.late[m] || c.late[m - 1] || (firstTable && p === firstTable.pairings[0])) continue;
    used.add(p.index);
    p.plantedMonth = m;
    planted.push({ villageCode: p.village.code, unitCode: p.unit.code, metric: 'fundsDone', month: months[m]! });
  }
  planted.sort((a, b) => (a.villageCode + a.unitCode < b.villageCode + b.unitCode ? -1 : 1));

  return { scale, seed, months, counties, villages, units, pairings, planted, forcedFullWidth };
}

function makeUnit(rng: Rng, provinceCode: string, usedCodes: Set<string>, usedNames: Set<string>): UnitRec {
  const type: UnitRec['type'] = rng() < 0.85 ? '民营企业' : '社会组织';
  const r = rng();
  const home =
    r < 0.55
      ? pick(rng, EASTERN_HOME_CITIES)
      : r < 0.85
        ? pick(rng, provinceHomeCities(provinceCode))
        : pick(rng, provinceHomeCities(pick(rng, LISTED_GEOGRAPHY).code));
  let name = '';
  for (let attempt = 0; ; attempt++) {
    let brand = pick(rng, BRAND_FIRST) + pick(rng, BRAND_SECOND);
    if (attempt >= 6) brand += pick(rng, BRAND_SECOND);
    name = type === '民营企业' ? `示例${brand}${pick(rng, ENTERPRISE_TRADES)}${pick(rng, ENTERPRISE_SUFFIXES)}` : `示例${brand}${pick(rng, ORGANISATION_KINDS)}`;
    if (!usedNames.has(name)) break;
  }
  usedNames.add(name);
  let code = '';
  do {
    let body = '';
    for (let i = 0; i < 8; i++) body += pick(rng, USCC_CHARS);
    code = makeUscc(`${type === '民营企业' ? '91' : '53'}${home.regionCode}${body}${orgCodeCheckChar(body)}`);
  } while (usedCodes.has(code));
  usedCodes.add(code);
  return { code, name, type, home };
}

const SIGN_FROM = ordinal(4, 20);
const SIGN_TO = ordinal(6, 15);
const STATION_BY = ordinal(7, 31);
const PLEDGE_ROUND = [10, 20, 30, 50, 50, 80, 100, 100, 100, 150, 200, 200, 300, 500];

function makePlan(rng: Rng): PlanRec {
  const signedOn = int(rng, SIGN_FROM, SIGN_TO);
  const signedExcelStyle = rng() < 0.05;
  const r = rng();
  const pledged =
    r < 0.01 ? int(rng, 10, 30) * 10000 : r < 0.7 ? pick(rng, PLEDGE_ROUND) * 100 : rng() < 0.5 ? int(rng, 100, 5000) * 10 : int(rng, 1000, 50000);
  const f = rng();
  const funds = f < 0.03 ? Math.floor((pledged * int(rng, 80, 95)) / 100) : f < 0.6 ? pledged : Math.floor((pledged * int(rng, 105, 200)) / 100);
  const materials = rng() < 0.45 ? 0 : int(rng, 5, 800) * 10;
  const crop = pick(rng, CROPS);
  const animal = pick(rng, ANIMALS);
  const fundsUsePlan = pick(rng, [
    `用于${crop}种植基地建设和农户产业奖补`,
    '用于村内道路硬化和产业配套设施建设',
    `用于${animal}养殖合作社圈舍建设和种苗采购`,
    '用于村集体经济发展和贫困户产业帮扶',
    `购置农用物资和生产设备，支持${crop}产业发展`,
  ]);
  const industry = rng() < 0.78;
  const industryPlan = industry
    ? pick(rng, [`建设${crop}示范基地${int(rng, 5, 50) * 10}亩，带动贫困户${int(rng, 10, 120)}户`, `发展${animal}养殖，入股村集体合作社，带动贫困户${int(rng, 10, 80)}户增收`])
    : '';
  const flagText = rng() < 0.1;
  let salesSelf = 0;
  let salesMarket = 0;
  if (rng() >= 0.3) {
    salesSelf = int(rng, 0, 300) * 10;
    salesMarket = int(rng, 0, 800) * 10;
    if (salesSelf + salesMarket === 0) salesMarket = 500;
  }
  let jobsUnit = 0;
  let jobsMigrant = 0;
  let jobsStartup = 0;
  let jobsPublic = 0;
  if (rng() >= 0.35) {
    jobsUnit = int(rng, 0, 5);
    jobsMigrant = int(rng, 0, 20);
    jobsStartup = int(rng, 0, 3);
    jobsPublic = int(rng, 0, 6);
    if (jobsUnit + jobsMigrant + jobsStartup + jobsPublic === 0) jobsMigrant = 2;
  }
  const training = rng() < 0.25 ? 0 : int(rng, 10, 200);
  const trainingPlan = training > 0 ? `开展${pick(rng, SKILLS)}培训${int(rng, 1, 6)}期` : '';
  const stationing = rng() < 0.55;
  let stationedPlanned = 0;
  let staff = '';
  let stationedFrom = -1;
  if (stationing) {
    stationedPlanned = int(rng, 1, 3);
    staff = shuffle(rng, [...SURNAMES])
      .slice(0, stationedPlanned)
      .map((s) => `${s}示例`)
      .join('、');
    stationedFrom = Math.min(STATION_BY, signedOn + int(rng, 3, 40));
  }
  return {
    signedOn,
    signedExcelStyle,
    pledged,
    funds,
    materials,
    fundsUsePlan,
    industry,
    industryPlan,
    flagText,
    salesSelf,
    salesMarket,
    jobsUnit,
    jobsMigrant,
    jobsStartup,
    jobsPublic,
    training,
    trainingPlan,
    stationing,
    stationedPlanned,
    staff,
    stationedFrom,
  };
}

// ---------------------------------------------------------------------------------------
// Monthly series: cumulative values per pairing for all eight months (-1 = blank, 未填报)

/** Bell-shaped monthly increments: slow start in May, most work in July–September. */
const INCREMENT_PROFILE = [2, 6, 14, 22, 24, 16, 10, 6];

function computeSeries(seed: number, p: PairingRec, out: Int32Array, off: number): void {
  const rng = mulberry32(mix(seed ^ 0x5e41e5, p.index));
  const plan = p.plan;
  const start = seriesMonthOf(plan.signedOn);
  const over = rng() < 0.08;
  const at = (m: number, i: number) => off + m * NR + i;
  const measures: Array<[number, number, number]> = [
    [FUNDS_PLAN, FUNDS_DONE, plan.funds],
    [MATERIALS_PLAN, MATERIALS_DONE, plan.materials],
    [SALES_PLAN, SALES_DONE, plan.salesSelf + plan.salesMarket],
    [JOBS_PLAN, JOBS_DONE, plan.jobsUnit + plan.jobsMigrant + plan.jobsStartup + plan.jobsPublic],
    [TRAINING_PLAN, TRAINING_DONE, plan.training],
  ];
  const cum = new Array<number>(N_SERIES_MONTHS);
  measures.forEach(([pi, di, planValue], k) => {
    const permille = over && (k === 0 || rng() < 0.5) ? int(rng, 1010, 1300) : rng() < 0.35 ? 1000 : int(rng, 600, 999);
    const target = Math.floor((planValue * permille) / 1000);
    const shift = int(rng, -1, 1);
    let c = 0;
    for (let m = 0; m < N_SERIES_MONTHS; m++) {
      const w = m < start ? 0 : INCREMENT_PROFILE[Math.min(7, Math.max(0, m - shift))]! * int(rng, 50, 150);
      c += w;
      cum[m] = c;
    }
    for (let m = 0; m < N_SERIES_MONTHS; m++) {
      out[at(m, pi)] = planValue;
      out[at(m, di)] = Math.floor((target * cum[m]!) / c);
    }
  });
  // 是否已完成计划: flips to 1 once the funds are in, for most industry plans
  let doneFrom = N_SERIES_MONTHS;
  if (plan.industry && rng() < 0.85) {
    for (let m = 0; m < N_SERIES_MONTHS; m++) {
      if (out[at(m, FUNDS_DONE)]! >= plan.funds) {
        doneFrom = m;
        break;
      }
    }
  }
  const stationedCount = plan.stationing ? (rng() < 0.8 ? plan.stationedPlanned : Math.max(1, plan.stationedPlanned - 1)) : 0;
  const stationedFrom = plan.stationing ? seriesMonthOf(plan.stationedFrom) : N_SERIES_MONTHS;
  for (let m = 0; m < N_SERIES_MONTHS; m++) {
    out[at(m, HAS_INDUSTRY)] = plan.industry ? 1 : 0;
    out[at(m, INDUSTRY_DONE)] = m >= doneFrom ? 1 : 0;
    out[at(m, STATIONED)] = plan.stationing ? 1 : 0;
    out[at(m, STATIONED_COUNT)] = m >= stationedFrom ? stationedCount : 0;
  }
  // a planted correction: last month's figure was overstated
  const pm = p.plantedMonth;
  if (pm > 0) {
    const v = out[at(pm, FUNDS_DONE)]!;
    out[at(pm - 1, FUNDS_DONE)] = v + Math.max(10, Math.floor((v * int(rng, 5, 20)) / 100));
  }
  // blanks: 未填报 (not 0)
  for (let m = 0; m < N_SERIES_MONTHS; m++) {
    for (let i = 0; i < NR; i++) {
      const blank = rng() < (PLAN_INDICES.has(i) ? 0.006 : 0.03);
      if (blank && !(pm > 0 && i === FUNDS_DONE && (m === pm || m === pm - 1))) out[at(m, i)] = -1;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Files

interface CellStyle {
  percent: boolean;
  noPlan: string;
  thousands: boolean;
  spaces: number;
}

function metricCells(series: ArrayLike<number>, off: number, style: CellStyle, rng: Rng): string[] {
  const cells: string[] = [];
  for (const s of SLOTS) {
    let cell: string;
    if (s.kind === 'ratio') {
      const plan = series[off + s.plan]!;
      const done = series[off + s.done]!;
      cell = plan < 0 || done < 0 ? '' : plan === 0 ? style.noPlan : formatRatio(done, plan, style.percent);
    } else {
      const v = series[off + s.index]!;
      cell = v < 0 ? '' : s.kind === 'money' ? formatMoney(v, style.thousands) : String(v);
    }
    if (style.spaces > 0 && cell !== '' && /^[\d.,%]+$/.test(cell) && rng() < style.spaces) {
      const r = rng();
      cell = r < 0.4 ? ` ${cell}` : r < 0.8 ? `${cell} ` : ` ${cell}  `;
    }
    cells.push(cell);
  }
  return cells;
}

function summarise(model: Model): SampleSummary {
  let files = 4;
  let progressRows = 0;
  model.months.forEach((_, m) => {
    const flatProvinces = new Set<string>();
    for (const c of model.counties) {
      if (c.late[m] || c.pairings.length === 0) continue;
      progressRows += c.pairings.length;
      if (c.layout === 'flat') flatProvinces.add(c.provinceCode);
      else files++;
    }
    files += flatProvinces.size;
  });
  return {
    scale: model.scale,
    seed: model.seed,
    counties: model.counties.length,
    villages: model.villages.length,
    units: model.units.length,
    pairings: model.pairings.length,
    months: [...model.months],
    files,
    progressRows,
    planted: { decreases: model.planted.map((d) => ({ ...d })) },
  };
}

function* emitFiles(model: Model): Generator<SampleFile> {
  yield { path: 'dataset.json', bytes: utf8Encoder.encode(datasetJson(model)) };
  yield { path: 'registry/villages.csv', bytes: villagesCsv(model) };
  yield { path: 'registry/units.csv', bytes: unitsCsv(model) };
  yield { path: 'registry/pairings.csv', bytes: pairingsCsv(model) };

  let fileSerial = 0;
  for (const province of LISTED_GEOGRAPHY) {
    const counties = model.counties.filter((c) => c.provinceCode === province.code && c.pairings.length > 0);
    const pairings = counties.flatMap((c) => c.pairings);
    if (pairings.length === 0) continue;
    // series for the province's pairings, indexed by position in `pairings`
    const stride = N_SERIES_MONTHS * NR;
    const series = new Int32Array(pairings.length * stride);
    const slot = new Map<PairingRec, number>();
    pairings.forEach((p, i) => {
      computeSeries(model.seed, p, series, i * stride);
      slot.set(p, i * stride);
    });
    for (let m = 0; m < model.months.length; m++) {
      const month = model.months[m]!;
      const flat = counties.filter((c) => c.layout === 'flat' && !c.late[m]);
      if (flat.length > 0) {
        const rng = mulberry32(mix(model.seed ^ 0xf1a7, fileSerial++));
        const style = FLAT_STYLES[province.code] ?? BASE_FLAT;
        yield { path: `exports/${month}/${province.name}.csv`, bytes: encode(flatCsv(flat, style, series, slot, m, rng), style.encoding) };
      }
      for (const c of counties) {
        if (c.layout !== 'table' || c.late[m]) continue;
        const rng = mulberry32(mix(model.seed ^ 0x7ab1e, fileSerial++));
        const forced = model.forcedFullWidth !== null && model.forcedFullWidth.county === c && model.forcedFullWidth.month === m;
        const fullWidthPlant = forced || rng() < 0.08;
        yield {
          path: `exports/${month}/${c.provinceName}/${c.prefectureName}/${c.name}.csv`,
          bytes: encode(countyTableCsv(c, series, slot, m, month, fullWidthPlant), 'gb18030'),
        };
      }
    }
  }
}

function datasetJson(model: Model): string {
  const info = {
    synthetic: true,
    scale: model.scale,
    seed: model.seed,
    generator: 'npm run sample',
    note: '示例数据：县及以上的区划名称和代码取自真实的挂牌督战县，乡镇、村、结对帮扶单位、人员姓名、协议、计划和全部进展数字均由程序按固定种子生成，全部为虚构，不反映任何真实的帮扶情况。',
  };
  return `${JSON.stringify(info, null, 2)}\n`;
}

/**
 * A registry file as UTF-8 with BOM, CRLF. Encoded in chunks of rows so that national
 * scale (150,000 pairings) never holds the whole file as one JS string.
 */
function registryBytes(headers: ReadonlyArray<{ id: string; header: string }>, rows: Iterable<Record<string, string>>): Uint8Array {
  const chunks: Uint8Array[] = [];
  let lines = [csvLine(headers.map((h) => h.header), ',')];
  let first = true;
  const flush = () => {
    chunks.push(encode(crlf(lines), first ? 'utf8bom' : 'utf8'));
    first = false;
    lines = [];
  };
  for (const r of rows) {
    lines.push(csvLine(headers.map((h) => r[h.id] ?? ''), ','));
    if (lines.length >= 4096) flush();
  }
  if (lines.length > 0 || first) flush();
  return concatBytes(chunks);
}

function* mapIter<T, U>(items: ReadonlyArray<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

function concatBytes(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function villagesCsv(model: Model): Uint8Array {
  return registryBytes(
    VILLAGE_COLUMNS,
    mapIter(model.villages, (v) => ({ code: v.code, province: v.county.provinceName, prefecture: v.county.prefectureName, county: v.county.name, township: v.township, name: v.name })),
  );
}

function unitsCsv(model: Model): Uint8Array {
  return registryBytes(
    UNIT_COLUMNS,
    mapIter(model.units, (u) => ({ code: u.code, name: u.name, type: u.type, province: u.home.province, prefecture: u.home.prefecture })),
  );
}

function pairingsCsv(model: Model): Uint8Array {
  return registryBytes(
    PAIRING_COLUMNS,
    mapIter(model.pairings, (p) => {
      const plan = p.plan;
      const money = (v: number) => formatMoney(v, false);
      return {
        villageCode: p.village.code,
        unitCode: p.unit.code,
        signedOn: plan.signedExcelStyle ? excelDate(plan.signedOn) : isoDate(plan.signedOn),
        pledgedFunds: money(plan.pledged),
        validUntil: DEFAULT_AGREEMENT_VALID_UNTIL,
        planFunds: money(plan.funds),
        planMaterials: money(plan.materials),
        fundsUsePlan: plan.fundsUsePlan,
        hasIndustryProject: plan.flagText ? (plan.industry ? '有' : '无') : plan.industry ? '1' : '0',
        industryPlan: plan.industryPlan,
        planSales: money(plan.salesSelf + plan.salesMarket),
        planSalesSelfPurchase: money(plan.salesSelf),
        planSalesMarket: money(plan.salesMarket),
        planJobs: String(plan.jobsUnit + plan.jobsMigrant + plan.jobsStartup + plan.jobsPublic),
        planJobsUnit: String(plan.jobsUnit),
        planJobsMigrant: String(plan.jobsMigrant),
        planJobsStartup: String(plan.jobsStartup),
        planJobsPublic: String(plan.jobsPublic),
        planTraining: String(plan.training),
        trainingPlan: plan.trainingPlan,
        stationing: plan.flagText ? (plan.stationing ? '是' : '否') : plan.stationing ? '1' : '0',
        planStationed: String(plan.stationedPlanned),
        stationedStaff: plan.staff,
        stationedFrom: plan.stationing ? isoDate(plan.stationedFrom) : '',
      };
    }),
  );
}

function flatCsv(counties: CountyRec[], style: FlatStyle, series: Int32Array, slot: Map<PairingRec, number>, m: number, rng: Rng): string {
  const loc = style.location;
  const header: string[] = [];
  if (style.serial) header.push(LOCATION_COLUMNS.serial[0]);
  header.push(loc.province, loc.prefecture, loc.county);
  if (style.township) header.push(loc.township);
  header.push(LOCATION_COLUMNS.villageName[0]);
  if (style.codes) header.push(LOCATION_COLUMNS.villageCode[0]);
  header.push(LOCATION_COLUMNS.unitName[0]);
  if (style.codes) header.push(LOCATION_COLUMNS.unitCode[0]);
  METRIC_COLUMNS.forEach((c, i) => header.push(style.headers === 'spaced' ? spacedHeader(c.header, i) : c.header));
  const d = style.delimiter;
  const lines = [csvLine(header, d)];
  let serial = 0;
  for (const c of counties) {
    for (const p of c.pairings) {
      const off = slot.get(p)! + m * NR;
      const row: string[] = [];
      if (style.serial) row.push(String(++serial));
      row.push(c.provinceName, c.prefectureName, c.name);
      if (style.township) row.push(p.village.township);
      row.push(p.village.name);
      if (style.codes) row.push(p.village.code);
      row.push(p.unit.name);
      if (style.codes) row.push(p.unit.code);
      for (const cell of metricCells(series, off, style, rng)) row.push(cell);
      lines.push(csvLine(row, d));
    }
  }
  return crlf(lines);
}

const TABLE_WIDTH = 3 + METRIC_COLUMNS.length;

function countyTableCsv(c: CountyRec, series: Int32Array, slot: Map<PairingRec, number>, m: number, month: string, fullWidthPlant: boolean): string {
  const style: CellStyle = { percent: c.table.percent, noPlan: c.table.noPlan, thousands: c.table.thousands, spaces: 0 };
  const pad = (cells: string[]) => {
    while (cells.length < TABLE_WIDTH) cells.push('');
    for (let k = 0; k < c.table.trailing; k++) cells.push('');
    return csvLine(cells, ',');
  };
  const [y, mo] = month.split('-').map(Number) as [number, number];
  const lines: string[] = [];
  lines.push(pad([`${c.name}社会力量助力挂牌督战村项目结对帮扶项目进展统计表（截至${y}年${mo}月${MONTH_DAYS[mo - 1]}日）`]));
  const group = ['序号', '帮扶村', '结对帮扶单位'];
  METRIC_COLUMNS.forEach((col, i) => group.push(i === 0 || METRIC_COLUMNS[i - 1]!.measure !== col.measure ? MEASURES.find((x) => x.id === col.measure)!.group : ''));
  lines.push(pad(group));
  lines.push(pad(['', '', '', ...METRIC_COLUMNS.map((col) => col.printHeader ?? col.header)]));

  const sums = new Array<number>(NR).fill(0);
  let pendingFullWidth = fullWidthPlant;
  const noRng: Rng = () => 1;
  c.pairings.forEach((p, k) => {
    const off = slot.get(p)! + m * NR;
    for (let i = 0; i < NR; i++) {
      const v = series[off + i]!;
      if (v >= 0) sums[i]! += v;
    }
    const cells = metricCells(series, off, style, noRng);
    if (pendingFullWidth) {
      const at = MONEY_SLOT_POSITIONS.find((i) => /^\d+\.\d+$/.test(cells[i]!));
      if (at !== undefined) {
        cells[at] = fullWidth(cells[at]!);
        pendingFullWidth = false;
      }
    }
    lines.push(pad([String(k + 1), p.village.name, p.unit.name, ...cells]));
  });

  // 合计: column sums (blank counts as nothing), ratios recomputed from the sums
  lines.push(pad(['合计', '', '', ...metricCells(sums, 0, style, noRng)]));
  lines.push(pad(['注：1：有 0：无；无计划填零']));
  const templates = 3 + (c.code.charCodeAt(5) % 3);
  for (let k = 0; k < templates; k++) lines.push(pad([String(c.pairings.length + 1 + k)]));
  return crlf(lines);
}
