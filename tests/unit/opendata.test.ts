/**
 * Open data (src/lib/publish/opendata.ts): CSV safety and flavours, exact values, blanks, personal
 * names, and that the dictionary, datapackage.json and the files come from one definition.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { PAIRING_COLUMNS } from '../../src/lib/ingest/columns.ts';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { buildSiteModel } from '../../src/lib/model/read-model.ts';
import { dataPackage, type DataPackage } from '../../src/lib/publish/opendata/datapackage.ts';
import { downloadFiles } from '../../src/lib/publish/opendata/downloads.ts';
import { USCC_SCHEMA_PATTERN, type TableId } from '../../src/lib/publish/opendata/fields.ts';
import { CITATION, LICENCE, licenceStatement } from '../../src/lib/publish/opendata/licence.ts';
import { csvField, csvLine, FORMULA_START } from '../../src/lib/csv-field.ts';
import { csvPieces, csvText, generatedFrom, jsonRowsText, jsonText, rowLines, jsonPieces, toCsv, toJson } from '../../src/lib/publish/opendata/serialise.ts';
import { TABLE_IDS, pairingsTable, progressSources, progressTable, tableDef, tableDefs, unitsTable, villagesTable, type ProgressSource, type Table } from '../../src/lib/publish/opendata/tables.ts';
import { ratioDecimal } from '../../src/lib/ratio.ts';
import type { MetricValues } from '../../src/lib/ingest/records.ts';
import { entityFiles, entityRows, type RowLineCache } from '../../src/lib/publish/entity-downloads.ts';
import { ENTITY_KINDS } from '../../src/lib/routes.ts';
import { isValidUscc } from '../../src/lib/ingest/uscc.ts';
import { yuanToWanString } from '../../src/lib/ingest/cell-values.ts';
import { SMALL, ingestExports, utf8 } from './helpers.ts';

const data = ingestDataDir(SMALL);
const model = buildSiteModel(data);
const meta = { synthetic: true, generatedFrom: '测试' };

/** Rows of a CSV text as cells (header first), read back with papaparse. */
function readCsv(text: string): string[][] {
  const body = text.replace(/^\ufeff/, '');
  expect(body.endsWith('\r\n')).toBe(true);
  return Papa.parse<string[]>(body.slice(0, -2), { delimiter: ',', newline: '\r\n' }).data;
}

/** The CSV of a table as objects keyed by field id. */
function csvObjects(table: Table, options = { bom: false }): Array<Record<string, string>> {
  const [head, ...rows] = readCsv(toCsv(table, options));
  expect(head).toEqual(table.def.fields.map((f) => f.title));
  return rows.map((r) => Object.fromEntries(table.def.fields.map((f, i) => [f.id, r[i]!])));
}

const json = (table: Table) => JSON.parse(toJson(table, meta)) as { table: string; licence: string; synthetic: boolean; generated_from: string; fields: string[]; rows: Array<Record<string, unknown>> };

/** One progress row for 青松村 × 云岭 with the given values. */
function progressWith(values: Partial<MetricValues>): Table {
  const base = model.pairings.find((p) => p.village.code === '533323101001')!;
  const record = { ...base.latest!, values: { ...base.latest!.values, ...values } };
  const source: ProgressSource = { village: base.village, unit: base.unit, record };
  return progressTable([source]);
}

describe('CSV', () => {
  it('neutralises cells a spreadsheet would run as a formula (=, +, -, @, tab, CR), also over several lines', () => {
    const names = ['=HYPERLINK("http://x.invalid","点我")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '=1+1\n第二行', '正常村'];
    const villages = names.map((name, i) => ({ ...data.villages[0]!, code: `53332310100${i}`, name }));
    const text = toCsv(villagesTable(villages), { bom: false });
    const rows = readCsv(text).slice(1);
    const nameCol = tableDef('villages', { publishNames: false }).fields.findIndex((f) => f.id === 'name');
    expect(rows.map((r) => r[nameCol])).toEqual(names.map((n) => (n === '正常村' ? n : `'${n}`)));
    expect(text).toContain(`"'=HYPERLINK(""http://x.invalid"",""点我"")"`);
    for (const row of readCsv(text)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('neutralises unit names in the progress table too', () => {
    const p = model.pairings[0]!;
    const t = progressTable([{ village: p.village, unit: { ...p.unit, name: '=cmd|/C calc' }, record: p.latest! }]);
    expect(csvObjects(t)[0]!.unitName).toBe("'=cmd|/C calc");
    expect(json(t).rows[0]!.unitName).toBe('=cmd|/C calc'); // JSON is data, not a spreadsheet
  });

  it('the Excel flavour starts with the UTF-8 BOM (EF BB BF), the machine flavour does not; both CRLF', () => {
    const t = villagesTable(data.villages);
    const excel = Buffer.from(toCsv(t, { bom: true }), 'utf8');
    const machine = Buffer.from(toCsv(t, { bom: false }), 'utf8');
    expect([...excel.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect([...machine.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(machine.toString('utf8').startsWith('村代码,')).toBe(true);
    expect(excel.subarray(3).equals(machine)).toBe(true);
    const text = machine.toString('utf8');
    expect(text.split('\r\n')).toHaveLength(data.villages.length + 2); // header, rows, final line break
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('one header row, the Chinese titles as staff see them', () => {
    const [head] = readCsv(toCsv(progressTable(progressSources(model.pairings)), { bom: false }));
    expect(head!.slice(0, 10)).toEqual(['月份', '省', '市', '县', '县代码', '乡镇', '帮扶村', '村代码', '结对帮扶单位', '单位代码']);
    expect(head).toContain('资金计划总投入（万元）');
    expect(head).toContain('已驻村人数');
    expect(head!.slice(-2)).toEqual(['来源文件', '来源行号']);
  });
});

describe('the CSV writer is papaparse’s, to the byte', () => {
  /** How the site wrote CSV with papaparse before its own writer: this is the reference. */
  const papaLine = (cells: string[]) => Papa.unparse([cells], { newline: '\r\n', escapeFormulae: FORMULA_START, quotes: false });
  const hostile = ['', ' ', '  x', 'x ', 'a,b', 'a"b', '"', '""', 'a\nb', 'a\r\nb', '\r', '\ufeff', '\ufeffx', '=1+1', '=1+1\nx', '+86', '-0.5', '@SUM(A1)', '\tx', '\rx', "'", "'=1", '云岭村', '“引号”', '，', '1,000.5', '0.0001', '12345678', 'x\u2028y', 'a;b', 'a\tb'];

  it('hostile cells, one by one and on one line', () => {
    for (const c of hostile) expect(csvField(c)).toBe(papaLine([c]));
    expect(csvLine(hostile)).toBe(papaLine(hostile));
  });

  it('any text made of the characters that matter', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', '村', ' ', ',', '"', '\r', '\n', '\t', '\ufeff', '=', '+', '-', '@', "'", '0', '.'), maxLength: 8 });
    fc.assert(fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (cells) => csvLine(cells) === papaLine(cells)), { numRuns: 3000 });
  });

  it('every table of the fixture, whole (its cells read back and written again by papaparse)', () => {
    const tables = [progressTable(progressSources(model.pairings)), villagesTable([...model.villages.values()].map((v) => v.village)), unitsTable([...model.units.values()].map((u) => u.unit)), pairingsTable(model.pairings.map((x) => x.pairing), { publishNames: true })];
    for (const table of tables) {
      const text = toCsv(table, { bom: false });
      const [head, ...cells] = readCsv(text);
      expect(cells).toHaveLength(table.rows.length);
      expect(cells.length).toBeGreaterThan(0);
      expect(`${Papa.unparse({ fields: head!, data: cells }, { newline: '\r\n', escapeFormulae: FORMULA_START, quotes: false })}\r\n`).toBe(text);
    }
  });
});

describe('values', () => {
  it('a blank (未填报) stays empty in CSV and null in JSON, never 0; its ratio is empty too', () => {
    const t = progressWith({ fundsDone: null, jobsPlan: null, stationed: null });
    const c = csvObjects(t)[0]!;
    const j = json(t).rows[0]!;
    expect(c.fundsDone).toBe('');
    expect(c.fundsRatio).toBe('');
    expect(c.jobsPlan).toBe('');
    expect(c.jobsRatio).toBe('');
    expect(c.stationed).toBe('');
    expect(j.fundsDone).toBeNull();
    expect(j.fundsRatio).toBeNull();
    expect(j.jobsPlan).toBeNull();
    expect(j.stationed).toBeNull();
    expect(c.fundsPlan).toBe('120.5');
  });

  it('a zero is 0, plan 0 (无计划) has an empty ratio, done above plan (超额) has its real ratio', () => {
    const t = progressWith({ materialsPlan: 0, materialsDone: 0, salesPlan: 200000, salesDone: 250000, jobsDone: 0, stationed: false });
    const c = csvObjects(t)[0]!;
    expect(c.materialsPlan).toBe('0');
    expect(c.materialsRatio).toBe('');
    expect(c.salesRatio).toBe('125.00');
    expect(c.jobsDone).toBe('0');
    expect(c.jobsRatio).toBe('0.00');
    expect(c.stationed).toBe('0');
    const j = json(t).rows[0]!;
    expect(j.materialsPlan).toBe(0);
    expect(j.materialsRatio).toBeNull();
    expect(j.salesRatio).toBe(125);
    expect(j.stationed).toBe(0);
  });

  it('money is 万元 as an exact decimal: 1 元 = 0.0001 万元, 12,345,678 元 = 1234.5678 万元, no float drift', () => {
    const t = progressWith({ fundsPlan: 12_345_678, fundsDone: 1, materialsPlan: 3, materialsDone: Number.MAX_SAFE_INTEGER, salesPlan: 1_000_000_000_0 });
    const c = csvObjects(t)[0]!;
    expect(c.fundsPlan).toBe('1234.5678');
    expect(c.fundsDone).toBe('0.0001');
    expect(c.materialsPlan).toBe('0.0003');
    expect(c.materialsDone).toBe('900719925474.0991');
    expect(c.salesPlan).toBe('1000000');
    const text = toJson(t, meta);
    expect(text).toContain('"fundsPlan":1234.5678,');
    expect(text).toContain('"fundsDone":0.0001,');
    expect(text).toContain('"materialsDone":900719925474.0991,'); // written from the decimal text, not a double
    expect(JSON.parse(text).rows[0].fundsPlan).toBe(1234.5678);
  });

  it('counts are integers and flags 1/0 in both formats', () => {
    const t = progressWith({ jobsPlan: 12, hasIndustryPlan: true, industryPlanDone: false });
    const c = csvObjects(t)[0]!;
    const j = json(t).rows[0]!;
    expect([c.jobsPlan, c.hasIndustryPlan, c.industryPlanDone]).toEqual(['12', '1', '0']);
    expect([j.jobsPlan, j.hasIndustryPlan, j.industryPlanDone]).toEqual([12, 1, 0]);
  });

  it('ratios are recomputed exactly and rounded half up to 2 decimals', () => {
    expect(ratioDecimal(1_205_000, 900_000)).toBe('74.69');
    expect(ratioDecimal(3, 2)).toBe('66.67');
    expect(ratioDecimal(3, 1)).toBe('33.33');
    expect(ratioDecimal(800, 1)).toBe('0.13');
    expect(ratioDecimal(8, 1)).toBe('12.50');
    expect(ratioDecimal(4, 5)).toBe('125.00');
    expect(ratioDecimal(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toBe('100.00');
    expect(ratioDecimal(0, 0)).toBeNull();
    expect(ratioDecimal(0, 5)).toBeNull();
    expect(ratioDecimal(null, 5)).toBeNull();
    expect(ratioDecimal(5, null)).toBeNull();
  });
});

describe('JSON', () => {
  it('has table, licence, synthetic, generated_from, fields (ids) and rows keyed by the ids', () => {
    const t = progressTable(progressSources(model.pairings, ['2020-07']));
    const j = json(t);
    expect(j.table).toBe('progress');
    expect(j.licence).toBe(licenceStatement(true));
    expect(j.synthetic).toBe(true);
    expect(j.generated_from).toBe('测试');
    expect(j.fields).toEqual(t.def.fields.map((f) => f.id));
    expect(j.rows).toHaveLength(6);
    for (const r of j.rows) expect(Object.keys(r)).toEqual(j.fields);
    expect(j.rows.every((r) => r.month === '2020-07')).toBe(true);
  });

  it('each row is the text JSON.stringify gives for its object, money and ratios as their exact decimal (JSON.rawJSON), hostile text included', () => {
    const rawJSON = (JSON as unknown as { rawJSON: (text: string) => unknown }).rawJSON;
    const p = model.pairings.find((x) => x.latest)!;
    const hostile = ['含"引号"和\\反斜杠', '两行\r\n文字\u2028', '\ud800孤立代理', '</script>', ''].map((name) => ({ village: p.village, unit: { ...p.unit, name }, record: p.latest! }));
    const tables = [
      progressTable(progressSources(model.pairings)),
      progressTable(hostile),
      villagesTable(data.villages),
      unitsTable(data.units),
      pairingsTable(model.pairings.map((x) => x.pairing), { publishNames: true }),
    ];
    const kinds = new Set<string>();
    for (const table of tables) {
      for (const row of table.rows) {
        const object = Object.fromEntries(
          table.def.fields.map((f, i) => {
            const v = row[i] ?? null;
            kinds.add(`${f.kind}:${v === null ? 'null' : typeof v}`);
            if (v === null) return [f.id, null];
            if (typeof v === 'boolean') return [f.id, v ? 1 : 0];
            if (f.kind === 'money') return [f.id, rawJSON(yuanToWanString(v as number))];
            if (f.kind === 'ratio') return [f.id, rawJSON(String(v))];
            return [f.id, v];
          }),
        );
        expect(jsonRowsText(table.def, [row])).toBe(JSON.stringify(object));
      }
    }
    // the comparison saw every kind of value, blanks among them
    for (const k of ['money:number', 'money:null', 'ratio:string', 'ratio:null', 'count:number', 'flag:boolean', 'text:string', 'code:string', 'month:string']) expect(kinds).toContain(k);
  });

  it('an empty table is still valid', () => {
    const j = json(progressTable([]));
    expect(j.rows).toEqual([]);
    expect(readCsv(toCsv(progressTable([]), { bom: true }))).toHaveLength(1);
  });
});

describe('personal names (驻村人员)', () => {
  const pairings = model.pairings.map((p) => p.pairing);
  it('are absent, column and all, unless publishNames', () => {
    const hidden = pairingsTable(pairings, { publishNames: false });
    const text = toCsv(hidden, { bom: true }) + toJson(hidden, meta);
    expect(text).not.toContain('张示例');
    expect(text).not.toContain('驻村人员');
    expect(text).not.toContain('stationedStaff');
    expect(tableDef('pairings', { publishNames: false }).fields.map((f) => f.id)).not.toContain('stationedStaff');
    const pkg = dataPackage({ synthetic: true, months: model.months, publishNames: false });
    for (const r of pkg.resources) expect(r.schema.fields.map((f) => f.name)).not.toContain('驻村人员');
    expect(JSON.stringify(pkg)).not.toContain('stationedStaff');
  });

  it('are published when publishNames', () => {
    const shown = pairingsTable(pairings, { publishNames: true });
    const rows = csvObjects(shown);
    expect(rows.find((r) => r.villageCode === '533323101001')!.stationedStaff).toBe('张示例、李示例');
    expect(rows.find((r) => r.villageCode === '533323101002')!.stationedStaff).toBe('');
    expect(json(shown).rows.find((r) => r.villageCode === '533323101002')!.stationedStaff).toBeNull();
  });

  it('the registry columns of 附件1/附件2 are all there otherwise', () => {
    expect(tableDef('pairings', { publishNames: true }).fields.map((f) => f.title)).toEqual(PAIRING_COLUMNS.map((c) => c.header));
  });
});

/** Every table, as CSV, built from the fixture. */
function fixtureTables(publishNames: boolean): Record<TableId, Table> {
  return {
    progress: progressTable(progressSources(model.pairings)),
    villages: villagesTable(data.villages),
    units: unitsTable(data.units),
    pairings: pairingsTable(data.pairings, { publishNames }),
  };
}

describe('one source for the files, the dictionary and datapackage.json', () => {
  for (const publishNames of [false, true]) {
    it(`dictionary and datapackage fields equal the CSV header (publishNames=${publishNames})`, () => {
      const tables = fixtureTables(publishNames);
      const pkg = dataPackage({ synthetic: true, months: model.months, publishNames });
      for (const def of tableDefs({ publishNames })) {
        const header = readCsv(toCsv(tables[def.id], { bom: false }))[0];
        expect(def.fields.map((f) => f.title)).toEqual(header);
        expect(JSON.parse(toJson(tables[def.id], meta)).fields).toEqual(def.fields.map((f) => f.id));
        for (const r of pkg.resources.filter((x) => x.name === def.id || x.name.startsWith(`${def.id}-`))) {
          expect(r.schema.fields.map((f) => f.name), r.name).toEqual(header);
        }
      }
    });
  }

  it('types, patterns and required-ness come from the Zod schemas', () => {
    const v = tableDef('villages', { publishNames: false });
    const code = v.fields.find((f) => f.id === 'code')!;
    expect(code.pattern).toBe('^\\d{12}$');
    expect(code.required).toBe(true);
    const u = tableDef('units', { publishNames: false });
    expect(u.fields.find((f) => f.id === 'prefecture')!.required).toBe(false); // nullable in unitSchema
    expect(u.fields.find((f) => f.id === 'type')!.enum).toEqual(['民营企业', '社会组织', '国有企业', '其他']);
    const p = tableDef('progress', { publishNames: false });
    expect(p.fields.find((f) => f.id === 'month')!.pattern).toBe('^\\d{4}-(0[1-9]|1[0-2])$');
    expect(p.fields.find((f) => f.id === 'fundsPlan')).toMatchObject({ type: 'number', unit: '万元', required: false, minimum: 0 });
    expect(p.fields.find((f) => f.id === 'jobsDone')).toMatchObject({ type: 'integer', unit: '人', required: false });
    expect(p.fields.find((f) => f.id === 'stationed')).toMatchObject({ type: 'integer', minimum: 0, maximum: 1 });
    expect(p.fields.find((f) => f.id === 'sourceRow')).toMatchObject({ type: 'integer', minimum: 1, required: true });
    const pr = tableDef('pairings', { publishNames: false });
    expect(pr.fields.find((f) => f.id === 'signedOn')).toMatchObject({ type: 'date', required: true });
    expect(pr.fields.find((f) => f.id === 'planFunds')).toMatchObject({ type: 'number', required: false });
  });

  it('the dictionary states the rules: 无计划填零, 未填报, 超额, recomputed ratios, code checks', () => {
    const p = tableDef('progress', { publishNames: false });
    const rules = (id: string) => p.fields.find((f) => f.id === id)!.rules.join('；');
    expect(rules('fundsPlan')).toContain('无计划填零');
    expect(rules('fundsDone')).toContain('超额');
    expect(rules('fundsDone')).toContain('未填报');
    expect(rules('fundsRatio')).toContain('重新计算');
    expect(rules('fundsRatio')).toContain('无计划');
    expect(rules('unitCode')).toContain('校验');
    for (const def of tableDefs({ publishNames: true })) for (const f of def.fields) expect(f.description, `${def.id}.${f.id}`).not.toBe('');
  });

  it('the unit-code pattern agrees with the check of uscc.ts on every registered unit', () => {
    const re = new RegExp(USCC_SCHEMA_PATTERN);
    for (const u of data.units) expect(isValidUscc(u.code) && re.test(u.code)).toBe(true);
    expect(re.test('91533300MA6K0001XI')).toBe(false);
  });

  it('the licence statement names CC BY 4.0, the source to cite, and says when the data is synthetic', () => {
    expect(licenceStatement(false)).toContain('CC BY 4.0');
    expect(licenceStatement(false)).toContain(CITATION);
    expect(CITATION).toBe('社会扶贫网宣传公示专区');
    expect(licenceStatement(false)).not.toContain('虚构');
    expect(licenceStatement(true)).toContain('示例数据，全部虚构');
  });
});

describe('datapackage.json', () => {
  const pkg: DataPackage = JSON.parse(JSON.stringify(dataPackage({ synthetic: true, months: model.months, publishNames: false })));
  const tables = fixtureTables(false);
  const TYPES = new Set(['string', 'integer', 'number', 'date', 'yearmonth']);

  it('is a tabular data package with the licence and one resource per CSV file', () => {
    expect(pkg.profile).toBe('tabular-data-package');
    expect(pkg.name).toMatch(/^[a-z0-9._-]+$/);
    expect(pkg.title).toMatch(/[\u4e00-\u9fff]/);
    expect(pkg.licenses).toEqual([{ name: 'CC-BY-4.0', path: 'https://creativecommons.org/licenses/by/4.0/', title: '知识共享署名 4.0 国际许可协议' }]);
    expect(LICENCE.path).toBe(pkg.licenses[0]!.path);
    const csvFiles = downloadFiles(model.months).filter((f) => f.flavour === 'csv').map((f) => f.path);
    expect(pkg.resources.map((r) => r.path)).toEqual(csvFiles);
    expect(csvFiles).toEqual(['progress/2020-06.csv', 'progress/2020-07.csv', 'progress/all.csv', 'registry/villages.csv', 'registry/units.csv', 'registry/pairings.csv']);
    expect(new Set(pkg.resources.map((r) => r.name)).size).toBe(pkg.resources.length);
  });

  it('every resource is structurally valid: relative path, csv, utf-8, header dialect, a Table Schema with keys that resolve', () => {
    const byName = new Map(pkg.resources.map((r) => [r.name, r]));
    for (const r of pkg.resources) {
      expect(r.name).toMatch(/^[a-z0-9._-]+$/);
      expect(r.path).not.toMatch(/^\/|\.\.|:/);
      expect(r).toMatchObject({ profile: 'tabular-data-resource', format: 'csv', mediatype: 'text/csv', encoding: 'utf-8' });
      expect(r.dialect.header).toBe(true);
      const names = r.schema.fields.map((f) => f.name);
      expect(new Set(names).size).toBe(names.length);
      for (const f of r.schema.fields) {
        expect(TYPES.has(f.type), `${r.name}.${f.name}`).toBe(true);
        expect(typeof f.title).toBe('string');
        expect(f.description.length).toBeGreaterThan(0);
        expect(typeof f.constraints.required).toBe('boolean');
        if (f.constraints.pattern) expect(() => new RegExp(f.constraints.pattern!)).not.toThrow();
      }
      for (const k of r.schema.primaryKey) expect(names).toContain(k);
      for (const fk of r.schema.foreignKeys ?? []) {
        const target = byName.get(fk.reference.resource);
        expect(target, fk.reference.resource).toBeDefined();
        expect(fk.fields).toHaveLength(fk.reference.fields.length);
        for (const f of fk.fields) expect(names).toContain(f);
        for (const f of fk.reference.fields) expect(target!.schema.fields.map((x) => x.name)).toContain(f);
      }
    }
    expect(byName.get('progress')!.schema.primaryKey).toEqual(['月份', '村代码', '单位代码']);
    expect(byName.get('progress')!.schema.foreignKeys!.map((k) => k.reference.resource)).toEqual(['villages', 'units', 'pairings']);
  });

  it('the fixture data satisfies its own Table Schema (types, required, patterns, minimums, keys)', () => {
    const cellOk: Record<string, RegExp> = { integer: /^\d+$/, number: /^\d+(\.\d+)?$/, date: /^\d{4}-\d{2}-\d{2}$/, yearmonth: /^\d{4}-\d{2}$/, string: /^[\s\S]*$/ };
    const rowsOf = new Map<string, string[][]>();
    for (const r of pkg.resources) {
      const id = r.name.split('-')[0] as TableId;
      const table = r.name === 'progress' ? tables.progress : r.name.startsWith('progress-') ? progressTable(progressSources(model.pairings, [r.name.slice('progress-'.length)])) : tables[id];
      const [head, ...rows] = readCsv(toCsv(table, { bom: false }));
      expect(head).toEqual(r.schema.fields.map((f) => f.name));
      expect(rows.length, r.name).toBeGreaterThan(0);
      rowsOf.set(r.name, rows);
      r.schema.fields.forEach((f, i) => {
        for (const row of rows) {
          const cell = row[i]!;
          const where = `${r.name} ${f.name} “${cell}”`;
          if (cell === '') {
            expect(f.constraints.required, where).toBe(false);
            continue;
          }
          expect(cell, where).toMatch(cellOk[f.type]!);
          if (f.constraints.pattern) expect(cell, where).toMatch(new RegExp(`^(?:${f.constraints.pattern})$`));
          if (f.constraints.minimum !== undefined) expect(Number(cell), where).toBeGreaterThanOrEqual(f.constraints.minimum);
          if (f.constraints.maximum !== undefined) expect(Number(cell), where).toBeLessThanOrEqual(f.constraints.maximum);
          if (f.constraints.enum) expect(f.constraints.enum, where).toContain(cell);
        }
      });
      const key = (row: string[], fields: string[]) => fields.map((n) => row[r.schema.fields.findIndex((f) => f.name === n)]).join('|');
      expect(new Set(rows.map((row) => key(row, r.schema.primaryKey))).size, r.name).toBe(rows.length);
    }
    for (const r of pkg.resources) {
      for (const fk of r.schema.foreignKeys ?? []) {
        const target = pkg.resources.find((x) => x.name === fk.reference.resource)!;
        const targetKeys = new Set(rowsOf.get(target.name)!.map((row) => fk.reference.fields.map((n) => row[target.schema.fields.findIndex((f) => f.name === n)]).join('|')));
        for (const row of rowsOf.get(r.name)!) expect(targetKeys.has(fk.fields.map((n) => row[r.schema.fields.findIndex((f) => f.name === n)]).join('|')), `${r.name} → ${target.name}`).toBe(true);
      }
    }
  });

  it('carries bytes and hash when given, and the licence statement in its description', () => {
    const withStats = dataPackage({ synthetic: false, months: ['2020-07'], publishNames: false, files: { 'registry/units.csv': { bytes: 10, hash: 'sha256:00' } } });
    expect(withStats.resources.find((r) => r.path === 'registry/units.csv')).toMatchObject({ bytes: 10, hash: 'sha256:00' });
    expect(withStats.resources.find((r) => r.path === 'registry/villages.csv')!.bytes).toBeUndefined();
    expect(withStats.description).toContain(licenceStatement(false));
    expect(withStats.synthetic).toBe(false);
  });
});

describe('round trip', () => {
  it('a month’s machine CSV reads back through the ingest as a flat export with the same values', () => {
    const july = progressSources(model.pairings, ['2020-07']);
    const csv = toCsv(progressTable(july), { bom: false });
    const result = ingestExports([{ path: 'exports/2020-07/download.csv', bytes: utf8(csv), month: '2020-07' }]);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.progress).toHaveLength(july.length);
    for (const s of july) {
      const back = result.progress.find((r) => r.pairingId === s.record.pairingId)!;
      expect(back.values, s.record.pairingId).toEqual(s.record.values);
    }
  });
});

describe('file list', () => {
  it('names every month’s three flavours, all months, and the three registry tables', () => {
    const files = downloadFiles(['2020-06', '2020-07']).map((f) => f.path);
    expect(files).toEqual([
      'progress/2020-06-excel.csv', 'progress/2020-06.csv', 'progress/2020-06.json',
      'progress/2020-07-excel.csv', 'progress/2020-07.csv', 'progress/2020-07.json',
      'progress/all-excel.csv', 'progress/all.csv', 'progress/all.json',
      'registry/villages-excel.csv', 'registry/villages.csv', 'registry/villages.json',
      'registry/units-excel.csv', 'registry/units.csv', 'registry/units.json',
      'registry/pairings-excel.csv', 'registry/pairings.csv', 'registry/pairings.json',
    ]);
    expect(TABLE_IDS).toEqual(['progress', 'villages', 'units', 'pairings']);
  });
});

describe('large tables are written in pieces', () => {
  // 12,345 rows: three pieces of 5,000 and a partial one, with a formula-looking name in the middle.
  const sources: ProgressSource[] = model.pairings.flatMap((p) => [...p.byMonth.values()].map((record) => ({ village: p.village, unit: p.unit, record })));
  const many = Array.from({ length: 12_345 }, (_, i) => {
    const s = sources[i % sources.length]!;
    return i === 7_000 ? { ...s, unit: { ...s.unit, name: '=HYPERLINK("x")' } } : s;
  });
  const table = progressTable(many);

  it('the CSV pieces join to one table: header once, every row once, formulas neutralised across pieces', () => {
    const pieces = [...csvPieces(table, { bom: true })];
    expect(pieces.length).toBe(4); // the header, then three pieces of rows
    const text = pieces.join('');
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines).toHaveLength(12_345 + 2); // header, rows, the empty string after the last line break
    expect(lines[0]).toBe(table.def.fields.map((f) => f.title).join(','));
    expect(lines.filter((l) => l === lines[0])).toHaveLength(1);
    const parsed = readCsv(text);
    expect(parsed).toHaveLength(12_345 + 1);
    expect(parsed.slice(1).map((r) => r[0])).toEqual(table.rows.map((r) => String(r[0])));
    expect(text).toContain(`'=HYPERLINK`);
    expect(text).toBe(toCsv(table, { bom: true }));
  });

  it('the JSON pieces join to one valid document with every row, in order', () => {
    const text = [...jsonPieces(table, meta)].join('');
    const doc = JSON.parse(text) as { rows: Array<{ villageCode: string; unitCode: string; month: string }> };
    expect(doc.rows).toHaveLength(12_345);
    expect(doc.rows.map((r) => `${r.month}|${r.villageCode}|${r.unitCode}`)).toEqual(many.map((s) => `${s.record.month}|${s.record.villageCode}|${s.record.unitCode}`));
    expect(text.endsWith(']}\n')).toBe(true);
    expect(JSON.parse([...jsonPieces(progressTable([]), meta)].join('')).rows).toEqual([]);
  });
});

describe('page downloads are written from row lines shared by village, county and province', () => {
  it('row lines joined give the table’s own CSV and JSON, hostile cells included', () => {
    const p = model.pairings.find((x) => x.latest)!;
    const hostile = ['=HYPERLINK("x")', '含"引号"，逗号', '两行\r\n文字', '@SUM(A1)', ''].map((name) => ({ village: p.village, unit: { ...p.unit, name }, record: p.latest! }));
    for (const sources of [hostile, hostile.slice(0, 1), []]) {
      const table = progressTable(sources);
      const lines = table.rows.map((r) => rowLines(table.def, r));
      expect(csvText(table.def, lines.map((l) => l.csv), { bom: true })).toBe(toCsv(table, { bom: true }));
      expect(jsonText(table.def, lines.map((l) => l.json), meta)).toBe(toJson(table, meta));
    }
  });

  it('every village, unit, county and province file equals its table written whole, with or without a shared cache', () => {
    const cache: RowLineCache = new Map();
    for (const kind of ENTITY_KINDS) {
      for (const code of model[kind].keys()) {
        const rows = entityRows(model, kind, code)!;
        const table = progressTable(progressSources(rows.pairings));
        const whole = { csv: toCsv(table, { bom: true }), json: toJson(table, { synthetic: true, generatedFrom: generatedFrom('progress', null), title: `${rows.title} · ${table.def.title}（全部月份）` }) };
        expect(entityFiles(rows, true, cache), `${kind}/${code}`).toEqual(whole);
        expect(entityFiles(rows, true)).toEqual(whole);
      }
    }
  });
});
