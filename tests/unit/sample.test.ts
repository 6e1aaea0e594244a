/**
 * The synthetic dataset generator (npm run sample): deterministic, the programme's size,
 * valid codes, and monthly exports whose numbers hang together. The exports are read back
 * here with a small independent reader (decode → parse → map headers), so these tests
 * check the bytes, not the generator's internals.
 */
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { LOCATION_COLUMNS, headerStem, normalizeHeader } from '../../src/lib/ingest/columns.ts';
import { METRIC_COLUMNS, REPORTED_METRIC_IDS, type ReportedMetricId } from '../../src/lib/metric-catalogue.ts';
import { generateSample, generateSampleSummary, type SampleFile, type SampleScale } from '../../tools/sample/generate.ts';
import { LISTED_COUNTIES } from '../../tools/sample/geography.ts';
import { isValidUscc, makeUscc, orgCodeCheckChar, usccCheckChar } from '../../src/lib/ingest/uscc.ts';

// ---------------------------------------------------------------------------------------
// A small reader for what the generator writes

type Encoding = 'utf-8-bom' | 'utf-8' | 'utf-16le' | 'gb18030';

function decode(bytes: Uint8Array): { text: string; encoding: Encoding } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(buf.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(buf, 'gb18030'), encoding: 'gb18030' };
  }
}

function parse(text: string): string[][] {
  const firstLine = text.slice(0, text.indexOf('\n'));
  const result = Papa.parse<string[]>(text, { delimiter: firstLine.includes('\t') ? '\t' : ',', skipEmptyLines: false });
  expect(result.errors).toEqual([]);
  const rows = result.data;
  if (rows.length > 0 && rows[rows.length - 1]!.length === 1 && rows[rows.length - 1]![0] === '') rows.pop();
  return rows;
}

function read(file: SampleFile) {
  const { text, encoding } = decode(file.bytes);
  return { rows: parse(text), encoding, text };
}

const clean = (cell: string) => cell.normalize('NFKC').replace(/[\s\u3000]+/g, '');

/** 万元 text → integer hundredths, exactly; at most two decimals. */
function money(cell: string): number | null {
  const s = clean(cell).replace(/,/g, '');
  if (s === '') return null;
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) throw new Error(`not a money value with ≤ 2 decimals: “${cell}”`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

function count(cell: string): number | null {
  const s = clean(cell);
  if (s === '') return null;
  if (!/^\d+$/.test(s)) throw new Error(`not an integer: “${cell}”`);
  return Number(s);
}

function flag(cell: string): number | null {
  const s = clean(cell);
  if (s === '') return null;
  if (['1', '是', '有'].includes(s)) return 1;
  if (['0', '否', '无'].includes(s)) return 0;
  throw new Error(`not a flag: “${cell}”`);
}

/** null = blank; 'none' = 无计划; else the percentage. */
function ratio(cell: string): number | null | 'none' {
  const s = clean(cell);
  if (s === '') return null;
  if (s === '无计划') return 'none';
  const m = /^(\d+(?:\.\d{1,2})?)%?$/.exec(s);
  if (!m) throw new Error(`not a ratio: “${cell}”`);
  return Number(m[1]);
}

const METRIC_STEMS = new Map(METRIC_COLUMNS.map((m) => [headerStem(normalizeHeader(m.header)), m]));
const LOCATION_NAMES = new Map<string, string>();
for (const [id, names] of Object.entries(LOCATION_COLUMNS)) for (const n of names) LOCATION_NAMES.set(normalizeHeader(n), id);

type Values = Record<ReportedMetricId, number | null>;

/** A 合计 row sums its flag columns like Excel's SUM, so there they are counts. */
function metricValues(row: string[], columns: Map<string, number>, total = false): { values: Values; ratios: Map<string, ReturnType<typeof ratio>> } {
  const values = {} as Values;
  const ratios = new Map<string, ReturnType<typeof ratio>>();
  for (const m of METRIC_COLUMNS) {
    const cell = row[columns.get(m.id)!] ?? '';
    if (m.kind === 'ratio') ratios.set(m.id, ratio(cell));
    else values[m.id as ReportedMetricId] = m.kind === 'money' ? money(cell) : m.kind === 'count' || total ? count(cell) : flag(cell);
  }
  return { values, ratios };
}

function expectRatios(values: Values, ratios: Map<string, ReturnType<typeof ratio>>, where: string): void {
  for (const m of METRIC_COLUMNS) {
    if (m.kind !== 'ratio') continue;
    const plan = values[m.ratioOf!.plan];
    const done = values[m.ratioOf!.done];
    const r = ratios.get(m.id);
    if (plan === null || done === null) expect(r, `${where} ${m.header}`).toBeNull();
    else if (plan === 0) expect([null, 'none'], `${where} ${m.header}`).toContain(r);
    else {
      expect(typeof r, `${where} ${m.header}`).toBe('number');
      expect(Math.abs((r as number) - (done / plan) * 100), `${where} ${m.header}`).toBeLessThanOrEqual(0.005 + 1e-9);
    }
  }
}

interface Registry {
  villages: Array<Record<string, string>>;
  units: Array<Record<string, string>>;
  pairings: Array<Record<string, string>>;
  villageByName: Map<string, string>;
  unitByName: Map<string, string>;
  countyOf: Map<string, { province: string; prefecture: string; county: string }>;
}

function records(file: SampleFile | undefined): Array<Record<string, string>> {
  expect(file).toBeDefined();
  const { rows, encoding } = read(file!);
  expect(encoding).toBe('utf-8-bom');
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

function loadRegistry(files: SampleFile[]): Registry {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const villages = records(byPath.get('registry/villages.csv'));
  const units = records(byPath.get('registry/units.csv'));
  const pairings = records(byPath.get('registry/pairings.csv'));
  const villageByName = new Map<string, string>();
  const countyOf = new Map<string, { province: string; prefecture: string; county: string }>();
  for (const v of villages) {
    const key = `${v['省']}|${v['县']}|${v['村']}`;
    expect(villageByName.has(key), `village name ${key} unique in its county`).toBe(false);
    villageByName.set(key, v['村代码']!);
    countyOf.set(v['村代码']!, { province: v['省']!, prefecture: v['市']!, county: v['县']! });
  }
  const unitByName = new Map<string, string>();
  for (const u of units) {
    expect(unitByName.has(u['单位名称']!), `unit name ${u['单位名称']} unique`).toBe(false);
    unitByName.set(u['单位名称']!, u['单位代码']!);
  }
  return { villages, units, pairings, villageByName, unitByName, countyOf };
}

interface ProgressRecord {
  pairing: string;
  month: string;
  values: Values;
  file: string;
  layout: 'flat' | 'table';
}

/** Read every export back; checks ratios and 合计 rows on the way. */
function readExports(files: SampleFile[], registry: Registry) {
  const out: ProgressRecord[] = [];
  const encodings = new Set<string>();
  const layouts = new Set<string>();
  let totalsChecked = 0;
  for (const file of files) {
    const m = /^exports\/(\d{4}-\d{2})\/(.+)\.csv$/.exec(file.path);
    if (!m) continue;
    const month = m[1]!;
    const parts = m[2]!.split('/');
    const { rows, encoding } = read(file);
    encodings.add(encoding);
    if (parts.length === 3) {
      // county table: title, group row, metric row, data, 合计, legend, template rows
      layouts.add('table');
      const [province, , county] = parts as [string, string, string];
      expect(encoding).toBe('gb18030');
      expect(rows[0]![0]).toMatch(new RegExp(`^${county}社会力量助力挂牌督战村项目结对帮扶项目进展统计表（截至${month.slice(0, 4)}年\\d+月\\d+日）$`));
      expect(rows[1]!.slice(0, 3)).toEqual(['序号', '帮扶村', '结对帮扶单位']);
      const columns = new Map<string, number>();
      rows[2]!.forEach((cell, i) => {
        const metric = METRIC_STEMS.get(headerStem(normalizeHeader(cell)));
        if (metric) columns.set(metric.id, i);
      });
      expect(columns.size).toBe(19);
      const sums = Object.fromEntries(REPORTED_METRIC_IDS.map((id) => [id, 0])) as Record<ReportedMetricId, number>;
      let r = 3;
      for (; rows[r]![0] !== '合计'; r++) {
        const row = rows[r]!;
        expect(row[0]).toBe(String(r - 2));
        const village = registry.villageByName.get(`${province}|${county}|${row[1]}`);
        const unit = registry.unitByName.get(row[2]!);
        expect(village, `${file.path} row ${r + 1}`).toBeDefined();
        expect(unit, `${file.path} row ${r + 1}`).toBeDefined();
        const { values, ratios } = metricValues(row, columns);
        expectRatios(values, ratios, `${file.path} row ${r + 1}`);
        for (const id of REPORTED_METRIC_IDS) sums[id] += values[id] ?? 0;
        out.push({ pairing: `${village}-${unit}`, month, values, file: file.path, layout: 'table' });
      }
      // the 合计 row equals the column sums; its ratios are recomputed from the sums
      const { values: total, ratios: totalRatios } = metricValues(rows[r]!, columns, true);
      for (const id of REPORTED_METRIC_IDS) expect(total[id], `${file.path} 合计 ${id}`).toBe(sums[id]);
      expectRatios(total, totalRatios, `${file.path} 合计`);
      totalsChecked++;
      expect(rows[r + 1]![0]).toBe('注：1：有 0：无；无计划填零');
      const templates = rows.slice(r + 2);
      expect(templates.length).toBeGreaterThanOrEqual(3);
      expect(templates.length).toBeLessThanOrEqual(5);
      templates.forEach((t, k) => {
        expect(t[0]).toBe(String(r - 2 + k));
        expect(t.slice(1).every((c) => c === '')).toBe(true);
      });
      continue;
    }
    // flat export, one per province per month
    layouts.add('flat');
    expect(parts.length).toBe(1);
    const columns = new Map<string, number>();
    rows[0]!.forEach((cell, i) => {
      const n = normalizeHeader(cell);
      const id = LOCATION_NAMES.get(n) ?? METRIC_STEMS.get(headerStem(n))?.id;
      expect(id, `${file.path}: header “${cell}”`).toBeDefined();
      expect(columns.has(id!)).toBe(false);
      columns.set(id!, i);
    });
    for (let r = 1; r < rows.length; r++) {
      const row = rows[r]!;
      const cell = (id: string) => (columns.has(id) ? row[columns.get(id)!]! : '');
      expect(cell('province')).toBe(parts[0]);
      const village = cell('villageCode') || registry.villageByName.get(`${cell('province')}|${cell('county')}|${cell('villageName')}`);
      const unit = cell('unitCode') || registry.unitByName.get(cell('unitName'));
      expect(village, `${file.path} row ${r + 1}`).toBeTruthy();
      expect(unit, `${file.path} row ${r + 1}`).toBeTruthy();
      expect(registry.countyOf.get(village!)?.county).toBe(cell('county'));
      const { values, ratios } = metricValues(row, columns);
      expectRatios(values, ratios, `${file.path} row ${r + 1}`);
      out.push({ pairing: `${village}-${unit}`, month, values, file: file.path, layout: 'flat' });
    }
  }
  return { records: out, encodings, layouts, totalsChecked };
}

// ---------------------------------------------------------------------------------------

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts a known valid code and computes its check character', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
    expect(makeUscc('91350100M000100Y4')).toBe('91350100M000100Y43');
    expect(orgCodeCheckChar('M000100Y')).toBe('4');
  });
  it('rejects a wrong check character, wrong length and characters outside the set', () => {
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(isValidUscc('91350100M000100I43')).toBe(false);
    expect(isValidUscc('91350100m000100y43')).toBe(false);
    expect(() => makeUscc('91350100M000100O4')).toThrow();
  });
});

describe('generateSample', () => {
  const real = generateSample({ scale: 'real' });
  const registry = loadRegistry(real);
  const summary = generateSampleSummary({ scale: 'real' });

  it('is deterministic: same options, byte-identical files; another seed, other data', () => {
    for (const scale of ['real', 'tiny'] as SampleScale[]) {
      const a = scale === 'real' ? real : generateSample({ scale });
      const b = generateSample({ scale });
      expect(b.map((f) => f.path)).toEqual(a.map((f) => f.path));
      b.forEach((f, i) => expect(Buffer.compare(Buffer.from(f.bytes), Buffer.from(a[i]!.bytes)), f.path).toBe(0));
    }
    const other = generateSample({ scale: 'tiny', seed: 7 });
    const tiny = generateSample({ scale: 'tiny' });
    const villages = (files: SampleFile[]) => Buffer.from(files.find((f) => f.path === 'registry/villages.csv')!.bytes).toString();
    expect(villages(other)).not.toBe(villages(tiny));
  });

  it('writes the GUIDE §3 layout and labels the data as synthetic', () => {
    const paths = real.map((f) => f.path);
    expect(paths.slice(0, 4)).toEqual(['dataset.json', 'registry/villages.csv', 'registry/units.csv', 'registry/pairings.csv']);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.at(-1)).toBe('manifest.json');
    expect(paths.at(-2)).toMatch(/^revisions\/2020-08\/2020-09-18-1\/[^/]+\.csv$/);
    for (const p of paths.slice(4, -2)) expect(p).toMatch(/^exports\/2020-(0[5-9]|1[0-2])\/[^/]+(\/[^/]+\/[^/]+)?\.csv$/);
    const info = JSON.parse(Buffer.from(real[0]!.bytes).toString('utf8'));
    expect(info).toMatchObject({ synthetic: true, scale: 'real', seed: summary.seed, generator: 'npm run sample' });
    expect(info.note).toMatch(/^示例数据：.*虚构/);
    expect(summary.files).toBe(real.length);
    for (const f of real.slice(1).filter((x) => x.path !== 'manifest.json')) {
      const { text } = decode(f.bytes);
      expect(text.endsWith('\r\n'), f.path).toBe(true);
      expect(/[^\r]\n(?=[^"]*$)/.test(text.split('\r\n').slice(-3).join('\r\n')), f.path).toBe(false);
    }
  });

  it('has the programme’s size at real scale', () => {
    expect(summary).toMatchObject({ scale: 'real', counties: 52, villages: 1113, months: ['2020-05', '2020-06', '2020-07', '2020-08', '2020-09', '2020-10', '2020-11', '2020-12'] });
    expect(summary.units).toBeGreaterThanOrEqual(850);
    expect(summary.units).toBeLessThanOrEqual(950);
    expect(summary.pairings).toBeGreaterThanOrEqual(1250);
    expect(summary.pairings).toBeLessThanOrEqual(1350);
    expect(registry.villages.length).toBe(summary.villages);
    expect(registry.units.length).toBe(summary.units);
    expect(registry.pairings.length).toBe(summary.pairings);
    const perCounty = new Map<string, number>();
    for (const v of registry.villages) perCounty.set(v['县']!, (perCounty.get(v['县']!) ?? 0) + 1);
    expect(perCounty.size).toBe(52);
    for (const n of perCounty.values()) {
      expect(n).toBeGreaterThanOrEqual(10);
      expect(n).toBeLessThanOrEqual(40);
    }
  });

  it('gives every village a 12-digit code that starts with its real county code', () => {
    const countyCode = new Map(LISTED_COUNTIES.map((c) => [`${c.provinceName}|${c.prefectureName}|${c.name}`, c.code]));
    const codes = new Set<string>();
    for (const v of registry.villages) {
      expect(v['村代码']).toMatch(/^\d{12}$/);
      const county = countyCode.get(`${v['省']}|${v['市']}|${v['县']}`);
      expect(county, `${v['省']}${v['市']}${v['县']}`).toBeDefined();
      expect(v['村代码']!.slice(0, 6)).toBe(county);
      expect(v['乡镇']).toMatch(/[乡镇]$/);
      expect(v['村']).toMatch(/村$/);
      expect(codes.has(v['村代码']!)).toBe(false);
      codes.add(v['村代码']!);
    }
  });

  it('gives every unit a valid 统一社会信用代码 and a plainly fictional name', () => {
    for (const u of registry.units) {
      expect(isValidUscc(u['单位代码']!), u['单位代码']).toBe(true);
      expect(u['单位名称']).toContain('示例');
      expect(['民营企业', '社会组织']).toContain(u['单位类型']);
      expect(u['单位代码']!.slice(0, 2)).toBe(u['单位类型'] === '民营企业' ? '91' : '53');
      expect(u['所在省']).not.toBe('');
      expect(u['所在市']).not.toBe('');
    }
    expect(new Set(registry.units.map((u) => u['单位代码'])).size).toBe(registry.units.length);
    const types = registry.units.map((u) => u['单位类型']);
    expect(types.filter((t) => t === '民营企业').length).toBeGreaterThan(types.length / 2);
    expect(types).toContain('社会组织');
  });

  it('pairs every village with at least one unit, and every plan adds up', () => {
    const villages = new Set(registry.villages.map((v) => v['村代码']));
    const units = new Set(registry.units.map((u) => u['单位代码']));
    const seen = new Set<string>();
    const perVillage = new Map<string, number>();
    const perUnit = new Map<string, number>();
    for (const p of registry.pairings) {
      const v = p['村代码']!;
      const u = p['单位代码']!;
      expect(villages.has(v)).toBe(true);
      expect(units.has(u)).toBe(true);
      expect(seen.has(`${v}-${u}`)).toBe(false);
      seen.add(`${v}-${u}`);
      perVillage.set(v, (perVillage.get(v) ?? 0) + 1);
      perUnit.set(u, (perUnit.get(u) ?? 0) + 1);
      expect(p['协议签署日期']).toMatch(/^2020(-0[4-6]-\d{2}|\/[4-6]\/\d{1,2})$/);
      expect(p['协议有效期至']).toBe('2020-12-31');
      expect(money(p['承诺投入资金（万元）']!)).toBeGreaterThan(0);
      expect(money(p['计划销售收入（万元）']!)).toBe(money(p['帮扶单位自购（万元）']!)! + money(p['链接市场销售（万元）']!)!);
      expect(count(p['计划就业人数']!)).toBe(['帮扶单位用工', '外出就业', '创业就业', '公益岗位'].reduce((n, h) => n + count(p[h]!)!, 0));
      const stationing = flag(p['是否派驻村']!);
      if (stationing === 1) {
        expect(count(p['计划驻村人数']!)).toBeGreaterThan(0);
        expect(p['驻村人员']!.split('、').length).toBe(count(p['计划驻村人数']!));
        expect(p['驻村时间']).toMatch(/^2020-0[4-7]-\d{2}$/);
      } else {
        expect(count(p['计划驻村人数']!)).toBe(0);
        expect(p['驻村人员']).toBe('');
      }
      if (flag(p['有无产业项目']!) === 0) expect(p['产业扶贫计划']).toBe('');
    }
    expect(perVillage.size).toBe(villages.size);
    expect(perUnit.size).toBe(units.size);
    expect([...perVillage.values()].some((n) => n >= 2)).toBe(true);
    expect([...perUnit.values()].some((n) => n >= 3)).toBe(true);
    expect(registry.pairings.some((p) => p['协议签署日期']!.includes('/'))).toBe(true);
  });

  it('writes monthly exports whose ratios, 合计 rows and plans agree, in every layout and encoding', () => {
    const { records: progress, encodings, layouts, totalsChecked } = readExports(real, registry);
    expect(progress.length).toBe(summary.progressRows);
    expect(totalsChecked).toBeGreaterThan(50);
    expect([...layouts].sort()).toEqual(['flat', 'table']);
    expect([...encodings].sort()).toEqual(['gb18030', 'utf-16le', 'utf-8', 'utf-8-bom']);

    const plans = new Map(registry.pairings.map((p) => [`${p['村代码']}-${p['单位代码']}`, p]));
    const seen = new Set<string>();
    let cells = 0;
    let blanks = 0;
    for (const r of progress) {
      const plan = plans.get(r.pairing);
      expect(plan, `${r.file}: ${r.pairing} registered`).toBeDefined();
      expect(seen.has(`${r.month}|${r.pairing}`), `${r.pairing} once in ${r.month}`).toBe(false);
      seen.add(`${r.month}|${r.pairing}`);
      const v = r.values;
      const same = (value: number | null, expected: number | null) => value === null || expect(value, `${r.file} ${r.pairing}`).toBe(expected);
      same(v.fundsPlan, money(plan!['计划投入资金（万元）']!));
      same(v.materialsPlan, money(plan!['计划投入物资（万元）']!));
      same(v.salesPlan, money(plan!['计划销售收入（万元）']!));
      same(v.jobsPlan, count(plan!['计划就业人数']!));
      same(v.trainingPlan, count(plan!['计划培训人数']!));
      same(v.hasIndustryPlan, flag(plan!['有无产业项目']!));
      same(v.stationed, flag(plan!['是否派驻村']!));
      if (v.stationedCount !== null) expect(v.stationedCount).toBeLessThanOrEqual(count(plan!['计划驻村人数']!)!);
      if (v.industryPlanDone === 1 && v.hasIndustryPlan !== null) expect(v.hasIndustryPlan).toBe(1);
      for (const id of REPORTED_METRIC_IDS) {
        cells++;
        if (v[id] === null) blanks++;
      }
    }
    // ~2% of metric cells not reported (blank, not 0)
    expect(blanks / cells).toBeGreaterThan(0.01);
    expect(blanks / cells).toBeLessThan(0.03);
    // a few counties report late: some county-months are missing
    expect(progress.length).toBeLessThan(summary.pairings * summary.months.length);
  });

  it('never lets a cumulative value fall month to month, except the planted corrections', () => {
    const { records: progress } = readExports(real, registry);
    const months = summary.months;
    const byPairing = new Map<string, Map<string, Values>>();
    for (const r of progress) {
      let m = byPairing.get(r.pairing);
      if (!m) byPairing.set(r.pairing, (m = new Map()));
      m.set(r.month, r.values);
    }
    const decreases: string[] = [];
    let over = 0;
    for (const [pairing, series] of byPairing) {
      for (const id of REPORTED_METRIC_IDS) {
        let last: number | null = null;
        for (const month of months) {
          const value = series.get(month)?.[id] ?? null;
          if (value === null) continue;
          if (last !== null && value < last) decreases.push(`${pairing}|${id}|${month}`);
          last = value;
        }
      }
      const final = series.get('2020-12');
      if (final && (['funds', 'materials', 'sales', 'jobs', 'training'] as const).some((k) => (final[`${k}Done`] ?? 0) > (final[`${k}Plan`] ?? Infinity))) over++;
    }
    const planted = summary.planted.decreases.map((d) => `${d.villageCode}-${d.unitCode}|${d.metric}|${d.month}`);
    expect(planted.length).toBeGreaterThan(0);
    expect(decreases.sort()).toEqual(planted.sort());
    // ~8% of pairings over-complete by December
    expect(over / byPairing.size).toBeGreaterThan(0.04);
    expect(over / byPairing.size).toBeLessThan(0.16);
  });

  it('plants the valid quirks the reader must cope with', () => {
    const texts = real.filter((f) => f.path.startsWith('exports/')).map((f) => decode(f.bytes).text);
    const all = texts.join('\n');
    expect(all).toMatch(/"\d{1,3}(,\d{3})+\.\d{2}"/); // thousands separators, quoted
    expect(all).toMatch(/[０-９]+\.[０-９]+/); // full-width digits
    expect(all).toMatch(/,( \d[\d.]*%?|\d[\d.]*%? ),/); // surrounding spaces
    expect(all).toContain('无计划');
    expect(all).toMatch(/,\d+\.\d{2}%,/);
    expect(all).toMatch(/资金计划总投入 +\(万元\)/); // hand-typed header
    expect(all).toMatch(/"资金计划\n总投入\n（万元）"/); // county table header with line breaks
  });

  it('plans national scale at ≈128,000 villages (counts only: the files are for npm run sample)', () => {
    const s = generateSampleSummary({ scale: 'national' });
    expect(s.villages).toBe(128000);
    expect(s.pairings).toBe(150000);
    expect(s.units).toBe(90000);
    expect(s.counties).toBeGreaterThan(800);
    expect(s.months).toHaveLength(8);
    expect(s.progressRows).toBeGreaterThan(0.95 * s.pairings * 8);
    expect(s.progressRows).toBeLessThan(s.pairings * 8);
  });

  it('makes a tiny dataset for fast tests: 2 counties, both layouts, 3 months', () => {
    const tiny = generateSample({ scale: 'tiny' });
    const s = generateSampleSummary({ scale: 'tiny' });
    expect(s).toMatchObject({ counties: 2, villages: 12, pairings: 14, months: ['2020-05', '2020-06', '2020-07'], files: tiny.length });
    const reg = loadRegistry(tiny);
    const { records: progress, layouts } = readExports(tiny, reg);
    expect([...layouts].sort()).toEqual(['flat', 'table']);
    expect(progress.length).toBe(s.progressRows);
    expect(progress.length).toBe(14 * 3);
    for (const u of reg.units) expect(isValidUscc(u['单位代码']!)).toBe(true);
  });
});
