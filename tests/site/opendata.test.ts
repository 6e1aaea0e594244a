/**
 * The built downloads read back and compared with values parsed here, independently of
 * src/lib, from the fixture's own CSV files; the data package describes files that exist.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { describe, expect, inject, it } from 'vitest';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/site-small');
const site = () => inject('siteDir');
const bytes = (url: string) => readFileSync(path.join(site(), url));
const BOM = [0xef, 0xbb, 0xbf];

/** A fixture export as objects keyed by its header without units and spaces: `资金计划总投入`. */
function fixture(file: string, encoding: 'utf8' | 'utf16le'): Array<Record<string, string>> {
  const text = iconv.decode(readFileSync(path.join(FIXTURE, file)), encoding).replace(/^\ufeff/, '');
  const [head, ...rows] = Papa.parse<string[]>(text.trim(), { delimiter: encoding === 'utf16le' ? '\t' : ',' }).data;
  const key = (h: string) => h.replace(/\s/g, '').replace(/[（(].*$/, '');
  return rows.map((r) => Object.fromEntries(r.map((c, i) => [key(head![i]!), c.trim()])));
}

/**
 * A county table (附件3 as saved from Excel, GB18030): title line, group row holding
 * 序号/帮扶村/结对帮扶单位, metric row, data rows numbered 1, 2, …, then 合计 and a legend.
 */
function countyTable(file: string, province: string): Array<Record<string, string>> {
  const text = iconv.decode(readFileSync(path.join(FIXTURE, file)), 'gb18030');
  const rows = Papa.parse<string[]>(text.trim(), { delimiter: ',' }).data;
  const group = rows.findIndex((r) => r.includes('帮扶村'));
  const key = (h: string) => h.replace(/\s/g, '').replace(/[（(].*$/, '');
  const keys = rows[group]!.map((h, i) => (i < 3 ? key(h) : key(rows[group + 1]![i] ?? '')));
  return rows
    .slice(group + 2)
    .filter((r) => /^\d+$/.test(r[0]!.trim()) && r[1]!.trim() !== '')
    .map((r) => ({ ...Object.fromEntries(r.map((c, i) => [keys[i]!, c.trim()])), 省: province }));
}

/** A download as objects keyed by its header, the same way. */
function download(url: string): { head: string[]; rows: Array<Record<string, string>> } {
  const text = bytes(url).toString('utf8').replace(/^\ufeff/, '');
  expect(text.endsWith('\r\n')).toBe(true);
  const [head, ...rows] = Papa.parse<string[]>(text.slice(0, -2), { delimiter: ',', newline: '\r\n' }).data;
  const key = (h: string) => h.replace(/（.*$/, '');
  return { head: head!, rows: rows.map((r) => Object.fromEntries(r.map((c, i) => [key(head![i]!), c]))) };
}

/** `' 30 '` → `30`, `120.50` → `120.5`, `1,000.5` → `1000.5`, `１２.５` → `12.5`: a decimal as text, canonical, no arithmetic. */
function decimal(cell: string): string {
  let s = cell.normalize('NFKC').replace(/[\s,]/g, '');
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s.replace(/^0+(?=\d)/, '');
}

const MONEY = ['资金计划总投入', '资金已到位总投入', '物资计划总投入', '物资已到位', '计划销售', '已完成销售'];
const COUNTS = ['计划就业人数', '已解决就业人数', '计划培训人数', '已完成培训人数', '已驻村人数'];
const FLAGS = ['是否有产业扶贫计划', '是否已完成计划', '是否派驻村'];
const RATIOS: Array<[string, string, string]> = [
  ['资金计划完成比例', '资金计划总投入', '资金已到位总投入'],
  ['物资计划完成比例', '物资计划总投入', '物资已到位'],
  ['销售计划完成比例', '计划销售', '已完成销售'],
  ['就业计划完成比例', '计划就业人数', '已解决就业人数'],
  ['培训计划完成比例', '计划培训人数', '已完成培训人数'],
];

function compareMonth(month: string, sources: Array<Record<string, string>>) {
  const csv = download(`downloads/progress/${month}.csv`);
  expect(csv.rows).toHaveLength(sources.length);
  for (const src of sources) {
    const where = `${month} ${src['帮扶村']} × ${src['结对帮扶单位']}`;
    const row = csv.rows.find((r) => r['帮扶村'] === src['帮扶村'] && r['结对帮扶单位'] === src['结对帮扶单位']);
    expect(row, where).toBeDefined();
    expect(row!['月份']).toBe(month);
    expect(row!['省']).toBe(src['省']);
    for (const k of MONEY) expect(row![k], `${where} ${k}`).toBe(src[k] === '' ? '' : decimal(src[k]!));
    for (const k of [...COUNTS, ...FLAGS]) expect(row![k], `${where} ${k}`).toBe(src[k] === '' ? '' : String(Number(src[k])));
    for (const [k, plan, done] of RATIOS) {
      const p = src[plan]!;
      const d = src[done]!;
      if (p === '' || d === '' || Number(decimal(p)) === 0) expect(row![k], `${where} ${k}`).toBe('');
      else {
        expect(row![k], `${where} ${k}`).toMatch(/^\d+\.\d{2}$/);
        expect(Math.abs(Number(row![k]) - (Number(decimal(d)) / Number(decimal(p))) * 100), `${where} ${k}`).toBeLessThanOrEqual(0.005 + 1e-9);
      }
    }
  }
  return csv;
}

describe('monthly progress downloads', () => {
  const july = [...fixture('exports/2020-07/云南省.csv', 'utf16le'), ...fixture('exports/2020-07/贵州省.csv', 'utf8')];

  it('2020-07.csv: every pairing’s figures equal the fixture’s cells exactly (decimal text, not float sums)', () => {
    expect(july).toHaveLength(6);
    const csv = compareMonth('2020-07', july);
    expect(csv.head.slice(0, 10)).toEqual(['月份', '省', '市', '县', '县代码', '乡镇', '帮扶村', '村代码', '结对帮扶单位', '单位代码']);
    const qingsong = csv.rows.find((r) => r['帮扶村'] === '青松村')!;
    expect(qingsong['资金计划总投入']).toBe('120.5');
    expect(qingsong['资金计划完成比例']).toBe('74.69');
    // the published copy of the file as received (原始报表), not a path inside the data folder
    expect(qingsong['来源文件']).toBe('/sources/2020-07/53.csv');
    expect(qingsong['来源行号']).toBe('2');
  });

  it('2020-06.csv: a blank cell (未填报) stays blank, plan 0 gives an empty ratio, 1,000.5 stays 1000.5', () => {
    const yunnan = fixture('exports/2020-06/云南省.csv', 'utf8');
    const csv = download('downloads/progress/2020-06.csv');
    const baihe = csv.rows.find((r) => r['帮扶村'] === '白河村')!;
    expect(yunnan.find((r) => r['帮扶村'] === '白河村')!['已完成销售']).toBe('');
    expect(baihe['已完成销售']).toBe('');
    expect(baihe['销售计划完成比例']).toBe('');
    expect(baihe['计划销售']).toBe('20');
    expect(baihe['物资计划总投入']).toBe('0');
    expect(baihe['物资计划完成比例']).toBe('');
    compareMonth('2020-06', [...yunnan, ...countyTable('exports/2020-06/贵州省/毕节市/纳雍县.csv', '贵州省')]);
    const anle = csv.rows.find((r) => r['帮扶村'] === '安乐村')!;
    expect(anle['资金已到位总投入']).toBe('1000.5'); // the county table writes "1,000.5"
  });

  it('the Excel flavour starts with the BOM bytes, the machine one does not, and they hold the same text', () => {
    for (const month of ['2020-06', '2020-07', 'all']) {
      const excel = bytes(`downloads/progress/${month}-excel.csv`);
      const machine = bytes(`downloads/progress/${month}.csv`);
      expect([...excel.subarray(0, 3)]).toEqual(BOM);
      expect([...machine.subarray(0, 3)]).not.toEqual(BOM);
      expect(excel.subarray(3).equals(machine)).toBe(true);
    }
  });

  it('2020-07.json has the same rows, money as the exact decimals, blanks as null', () => {
    const text = bytes('downloads/progress/2020-07.json').toString('utf8');
    const j = JSON.parse(text) as { table: string; synthetic: boolean; licence: string; generated_from: string; fields: string[]; rows: Array<Record<string, string | number | null>> };
    expect(j.table).toBe('progress');
    expect(j.synthetic).toBe(true);
    expect(j.licence).toContain('CC BY 4.0');
    expect(j.licence).toContain('示例数据，全部虚构');
    expect(j.generated_from).toContain('2020年7月');
    expect(j.rows).toHaveLength(july.length);
    for (const src of july) {
      const row = j.rows.find((r) => r.villageName === src['帮扶村'] && r.unitName === src['结对帮扶单位'])!;
      expect(row.fundsPlan).toBe(Number(decimal(src['资金计划总投入']!)));
      expect(row.fundsDone).toBe(Number(decimal(src['资金已到位总投入']!)));
      expect(row.salesPlan).toBe(Number(decimal(src['计划销售']!)));
      expect(row.jobsDone).toBe(Number(src['已解决就业人数']));
      expect(row.stationed).toBe(Number(src['是否派驻村']));
      expect(text).toContain(`"villageName":"${src['帮扶村']}"`);
    }
    expect(text).toContain('"fundsPlan":120.5,');
    expect(text).toContain('"fundsPlan":30.25,');
    const xinfeng = j.rows.find((r) => r.villageName === '新丰村')!;
    expect(xinfeng.salesPlan).toBe(0);
    expect(xinfeng.salesRatio).toBeNull();
    const june = JSON.parse(bytes('downloads/progress/2020-06.json').toString('utf8')) as typeof j;
    expect(june.rows.find((r) => r.villageName === '白河村')!.salesDone).toBeNull();
  });

  it('all.csv is every month’s rows', () => {
    const all = download('downloads/progress/all.csv');
    const june = download('downloads/progress/2020-06.csv');
    const julyCsv = download('downloads/progress/2020-07.csv');
    expect(all.rows).toEqual([...june.rows, ...julyCsv.rows]);
  });
});

describe('registry downloads', () => {
  it('villages, units and pairings equal the registry; no personal names', () => {
    const villages = download('downloads/registry/villages.csv').rows;
    const registry = fixture('registry/villages.csv', 'utf8');
    expect(villages).toHaveLength(registry.length);
    for (const v of registry) expect(villages.find((r) => r['村代码'] === v['村代码'])!['村']).toBe(v['村']);
    const pairings = download('downloads/registry/pairings.csv');
    expect(pairings.head).not.toContain('驻村人员');
    const reg = fixture('registry/pairings.csv', 'utf8');
    for (const p of reg) {
      const row = pairings.rows.find((r) => r['村代码'] === p['村代码'] && r['单位代码'] === p['单位代码'])!;
      expect(row['承诺投入资金']).toBe(decimal(p['承诺投入资金']!));
      expect(row['计划投入资金']).toBe(decimal(p['计划投入资金']!));
    }
    expect(download('downloads/registry/units.csv').rows).toHaveLength(fixture('registry/units.csv', 'utf8').length);
  });

  it('no download anywhere carries the names of 驻村人员', () => {
    const pkg = JSON.parse(bytes('downloads/datapackage.json').toString('utf8')) as { resources: Array<{ path: string }> };
    const urls = pkg.resources.flatMap((r) => [r.path, r.path.replace(/\.csv$/, '-excel.csv'), r.path.replace(/\.csv$/, '.json')]);
    for (const url of urls) {
      const text = bytes(`downloads/${url}`).toString('utf8');
      expect(text, url).not.toContain('张示例');
      expect(text, url).not.toContain('王示例');
    }
  });
});

describe('download what you see', () => {
  it('a village page’s data.json has that village’s rows, all months, equal to the site-wide files', () => {
    const j = JSON.parse(bytes('villages/533323101001/data.json').toString('utf8')) as { rows: Array<Record<string, unknown>>; fields: string[] };
    expect(j.rows.map((r) => r.month)).toEqual(['2020-06', '2020-07']);
    expect(j.rows.every((r) => r.villageCode === '533323101001')).toBe(true);
    const all = JSON.parse(bytes('downloads/progress/all.json').toString('utf8')) as typeof j;
    expect(j.fields).toEqual(all.fields);
    expect(j.rows).toEqual(all.rows.filter((r) => r.villageCode === '533323101001'));
    expect(j.rows[1]!.fundsDone).toBe(90);
  });

  it('every village, unit, county and province has data.csv (Excel flavour) and data.json', () => {
    const villages = fixture('registry/villages.csv', 'utf8');
    const pages = [
      ...villages.map((v) => `villages/${v['村代码']}`),
      ...villages.map((v) => `counties/${v['村代码']!.slice(0, 6)}`),
      ...villages.map((v) => `provinces/${v['村代码']!.slice(0, 2)}`),
      ...fixture('registry/units.csv', 'utf8').map((u) => `units/${u['单位代码']}`),
    ];
    for (const p of pages) {
      expect([...bytes(`${p}/data.csv`).subarray(0, 3)], p).toEqual(BOM);
      expect(() => JSON.parse(bytes(`${p}/data.json`).toString('utf8')), p).not.toThrow();
      expect(existsSync(path.join(site(), p, 'index.html')), p).toBe(true);
    }
    const county = download('counties/520525/data.csv').rows;
    expect(new Set(county.map((r) => r['县代码']))).toEqual(new Set(['520525']));
    expect(county).toHaveLength(6); // 3 pairings × 2 months
    const unit = download('units/91520500MA6K0002XC/data.csv').rows;
    expect(unit.every((r) => r['单位代码'] === '91520500MA6K0002XC')).toBe(true);
    expect(unit).toHaveLength(4);
  });
});

describe('datapackage.json and the data pages', () => {
  const pkg = JSON.parse(bytes('downloads/datapackage.json').toString('utf8')) as {
    profile: string;
    licenses: Array<{ name: string; path: string }>;
    resources: Array<{ name: string; path: string; bytes: number; hash: string; schema: { fields: Array<{ name: string }> } }>;
  };

  it('parses, and lists files that exist with their sizes, hashes and headers', () => {
    expect(pkg.profile).toBe('tabular-data-package');
    expect(pkg.licenses[0]!.name).toBe('CC-BY-4.0');
    expect(pkg.resources.length).toBe(6);
    for (const r of pkg.resources) {
      const file = path.join(site(), 'downloads', r.path);
      expect(existsSync(file), r.path).toBe(true);
      const body = readFileSync(file);
      expect(body.length, r.path).toBe(r.bytes);
      expect(`sha256:${createHash('sha256').update(body).digest('hex')}`, r.path).toBe(r.hash);
      expect(download(`downloads/${r.path}`).head, r.path).toEqual(r.schema.fields.map((f) => f.name));
    }
  });

  it('the data page links every download (which exists) with its size, and states the licence', () => {
    const html = readFileSync(path.join(site(), 'data/index.html'), 'utf8');
    const links = [...html.matchAll(/href="(\/downloads\/[^"]+)"/g)].map((m) => m[1]!);
    expect(links).toContain('/downloads/progress/2020-07-excel.csv');
    expect(links).toContain('/downloads/progress/all.json');
    expect(links).toContain('/downloads/datapackage.json');
    expect(links).toHaveLength(3 * 3 + 3 * 3 + 1);
    for (const l of links) expect(existsSync(path.join(site(), l)), l).toBe(true);
    expect(html).toContain('CC BY 4.0');
    expect(html).toContain('社会扶贫网宣传公示专区');
    expect(html).toContain('带 BOM');
    expect(html).toMatch(/\d+(\.\d)? (B|KB)</);
  });

  it('the dictionary lists every column of every download, in order', () => {
    const html = readFileSync(path.join(site(), 'data/dictionary/index.html'), 'utf8');
    const tables: Record<string, string> = { progress: 'progress/all.csv', villages: 'registry/villages.csv', units: 'registry/units.csv', pairings: 'registry/pairings.csv' };
    for (const [id, file] of Object.entries(tables)) {
      const section = new RegExp(`<section id="${id}"[\\s\\S]*?</section>`).exec(html)![0];
      const names = [...section.matchAll(/<tr data-field="[^"]+"><th scope="row">([^<]+)<\/th>/g)].map((m) => m[1]);
      const head = bytes(`downloads/${file}`).toString('utf8').split('\r\n')[0]!.split(',');
      expect(names, id).toEqual(head);
    }
    expect(html).not.toContain('stationedStaff');
  });
});
