/**
 * The one CSV field writer (src/lib/csv-field.ts): formula-leading text is neutralised with a
 * leading `'` (also after leading whitespace or line breaks, and for the full-width ＝＋－＠),
 * numbers the code knows are numbers stay bare, and every field reads back through papaparse
 * as the text written (minus the neutralising `'`). Then each writer that goes through it —
 * the open-data downloads, a page's data.csv, the county's table.csv and the compare
 * download — is given a formula-leading name and must write it neutralised.
 */
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvDocument, csvField, csvLine, csvNumber, csvNumberField, csvTextField, FORMULA_START } from '../../src/lib/csv-field.ts';
import { METRIC_COLUMNS } from '../../src/lib/metric-catalogue.ts';
import { compareCsv } from '../../src/lib/model/compare-csv.ts';
import { buildSiteModel } from '../../src/lib/model/read-model.ts';
import { entityFiles } from '../../src/lib/publish/entity-downloads.ts';
import { county3Csv } from '../../src/lib/publish/county-month-table.ts';
import { rowLines, toCsv } from '../../src/lib/publish/opendata/serialise.ts';
import { progressSources, progressTable, tableDef, unitsTable, villagesTable } from '../../src/lib/publish/opendata/tables.ts';
import type { Table3 } from '../../src/lib/render/presentation.ts';
import { FLAT_HEADER, flatRow, ingestExports, utf8 } from './helpers.ts';

/** Rows of a CSV text as papaparse reads it (BOM and the last line break dropped). */
function readCsv(text: string): string[][] {
  const body = text.replace(/^\ufeff/, '');
  expect(body.endsWith('\r\n')).toBe(true);
  return Papa.parse<string[]>(body.slice(0, -2), { delimiter: ',', newline: '\r\n' }).data;
}

/** What a neutralised cell reads back as. */
const neutralised = (text: string) => `'${text}`;

/** Text a spreadsheet would run as a formula: each must come back with a leading `'`. */
const FORMULA_TEXT = [
  '=1+1',
  '\n=1+1',
  "\r\n=cmd|' /C calc'!A0",
  ' =x',
  '   =x',
  '\u3000=SUM(A1)',
  '\ufeff=1',
  '\u200b=1',
  '＝SUM(A1)',
  '＋1',
  '－1',
  '＠SUM(A1)',
  '﹦1',
  '+1',
  '-1',
  '-12.5',
  '@SUM(A1)',
  '\t=x',
  '\tx',
  '\rx',
  '=1+1\n第二行',
  '=HYPERLINK("http://x.invalid","点我")',
  '\n\n-2+3',
];

/**
 * Text that stays as written: nothing a spreadsheet runs. `a\n=1+1` is one quoted field that
 * starts with `a`; a conforming reader never sees a cell starting with `=`, so it keeps its text.
 */
const PLAIN_TEXT = ['正常村', 'a\n=1+1', '1=1', 'x-1', 'a＝b', '—', '', ' ', 'x ', "'=1", '49.80%', '未填报', '1,000.5', '\nx'];

describe('the field writer', () => {
  it('neutralises formula-leading text with a leading apostrophe, quoted', () => {
    for (const text of FORMULA_TEXT) {
      expect(FORMULA_START.test(text), JSON.stringify(text)).toBe(true);
      expect(csvTextField(text), JSON.stringify(text)).toBe(`"'${text.replaceAll('"', '""')}"`);
      expect(csvField(text)).toBe(csvTextField(text));
    }
  });

  it('leaves other text as written, quoting only where needed (a line break before = is documented as plain)', () => {
    for (const text of PLAIN_TEXT) expect(FORMULA_START.test(text), JSON.stringify(text)).toBe(false);
    expect(csvTextField('正常村')).toBe('正常村');
    expect(csvTextField('a\n=1+1')).toBe('"a\n=1+1"');
    expect(csvTextField('a"b')).toBe('"a""b"');
    expect(csvTextField('a,b')).toBe('"a,b"');
    expect(csvTextField(' x')).toBe('" x"');
    expect(csvTextField('x ')).toBe('"x "');
    expect(csvTextField('\nx')).toBe('"\nx"');
    expect(csvTextField('1,000.5')).toBe('"1,000.5"');
  });

  it('keeps numbers the code knows are numbers bare, negative or signed', () => {
    expect(csvField(-12.5)).toBe('-12.5');
    expect(csvField(-0.3)).toBe('-0.3');
    expect(csvField(0)).toBe('0');
    expect(csvField(1e21)).toBe('1e+21');
    expect(csvField(csvNumber('+1'))).toBe('+1');
    expect(csvField(csvNumber('-0.30'))).toBe('-0.30');
    expect(csvNumberField('-1234.5')).toBe('-1234.5');
    expect(csvNumberField('.5')).toBe('.5');
    // the same characters as text are neutralised: only the code's knowledge makes them numbers
    expect(csvField('-12.5')).toBe(`"'-12.5"`);
    expect(csvField('+1')).toBe(`"'+1"`);
  });

  it('writes text given as a number as text when it is not a plain number', () => {
    expect(csvNumberField('=1+1')).toBe(`"'=1+1"`);
    expect(csvNumberField('-1,000')).toBe(`"'-1,000"`);
    expect(csvNumberField('－1')).toBe(`"'－1"`);
    expect(csvNumberField('1 ')).toBe('"1 "');
    expect(csvNumberField('1\n=2')).toBe('"1\n=2"');
    expect(csvField(Number.NEGATIVE_INFINITY)).toBe(`"'-Infinity"`);
    expect(csvField(Number.NaN)).toBe('NaN');
  });

  it('writes blanks empty, lines joined by commas, a document with CRLF after every row and a BOM when asked', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvLine(['a', 1, null, '=x', csvNumber('-2')])).toBe(`a,1,,"'=x",-2`);
    expect(csvDocument([['a'], ['b']], { bom: true })).toBe('\ufeffa\r\nb\r\n');
    expect(csvDocument([['a'], ['b']], { bom: false })).toBe('a\r\nb\r\n');
    expect(csvDocument([], { bom: false })).toBe('');
  });

  it('reads back through papaparse as the text written, minus the neutralising apostrophe', () => {
    const rows = [FORMULA_TEXT, PLAIN_TEXT.filter((t) => t !== '')];
    const back = readCsv(csvDocument(rows, { bom: true }));
    expect(back[0]).toEqual(FORMULA_TEXT.map(neutralised));
    expect(back[1]).toEqual(rows[1]);
  });

  it('any text and any number read back as written (text that is formula-leading with its apostrophe)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '村', ' ', '\u3000', ',', '"', '\r', '\n', '\t', '\ufeff', '=', '+', '-', '@', '＝', '＋', '－', '＠', "'", '0', '.'), maxLength: 8 });
    const cell = fc.oneof(text, fc.double({ noNaN: true, noDefaultInfinity: true }));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }), (rows) => {
        // papaparse reads a line that is one empty field as an empty row; give each row a last field
        const written = rows.map((r) => [...r, 'end']);
        const back = readCsv(csvDocument(written, { bom: false }));
        const expected = written.map((r) => r.map((c) => (typeof c === 'number' ? String(c) : FORMULA_START.test(c) ? neutralised(c) : c)));
        expect(back).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('every writer goes through it', () => {
  const FORMULA_NAME = '=HYPERLINK("http://x.invalid","点我")示例';
  const FULL_WIDTH_NAME = '＝SUM(A1)';
  const LINE_BREAK_NAME = '\r\n=cmd|\' /C calc\'!A0';

  /** A site model of one pairing (青松村 × 云岭) reporting 2020-07, from the site-small registry. */
  const model = buildSiteModel(ingestExports([{ path: 'exports/2020-07/福贡县.csv', bytes: utf8(`${FLAT_HEADER}\n${flatRow()}\n`) }]));
  const pairing = model.pairings.find((p) => p.village.code === '533323101001' && p.latest)!;
  const hostile = { ...pairing, village: { ...pairing.village, name: LINE_BREAK_NAME }, unit: { ...pairing.unit, name: FORMULA_NAME } };

  it('the open-data registry downloads (units.csv, villages.csv)', () => {
    const units = readCsv(toCsv(unitsTable([hostile.unit, { ...pairing.unit, code: '91533300MA6K0002XA', name: FULL_WIDTH_NAME }]), { bom: true }));
    const nameCol = units[0]!.indexOf('单位名称');
    expect(nameCol).toBeGreaterThanOrEqual(0);
    expect(units.slice(1).map((r) => r[nameCol])).toEqual(expect.arrayContaining([neutralised(FORMULA_NAME), neutralised(FULL_WIDTH_NAME)]));
    const villages = readCsv(toCsv(villagesTable([hostile.village]), { bom: false }));
    expect(villages[1]).toContain(neutralised(LINE_BREAK_NAME));
  });

  it('the progress download and a page’s data.csv: names neutralised, figures bare numbers even when negative', () => {
    const def = tableDef('progress', { publishNames: false });
    const table = progressTable(progressSources([hostile]));
    const fundsDone = def.fields.findIndex((f) => f.id === 'fundsDone');
    const row = [...table.rows[0]!];
    row[fundsDone] = -1234500; // 元: a negative figure, as a correction could show
    const line = rowLines(def, row).csv;
    expect(line).toContain(`"'${FORMULA_NAME.replaceAll('"', '""')}"`);
    expect(line.split(',')).toContain('-123.45');
    expect(readCsv(`${line}\r\n`)[0]![fundsDone]).toBe('-123.45');

    const data = readCsv(entityFiles({ title: '测试', pairings: [hostile] }, true).csv);
    const head = data[0]!;
    expect(data[1]![head.indexOf('结对帮扶单位')]).toBe(neutralised(FORMULA_NAME));
    expect(data[1]![head.indexOf('帮扶村')]).toBe(neutralised(LINE_BREAK_NAME));
  });

  it('the county’s 附件3 table.csv: names neutralised, figures as numbers', () => {
    const cells = METRIC_COLUMNS.map((_, i) => (i === 0 ? '1,234.5' : i === 1 ? '-12.5' : i === 2 ? '49.80%' : '未填报'));
    const table: Table3 = {
      month: '2020-07',
      rows: [{ serial: 1, villageCode: '533323101001', villageName: FULL_WIDTH_NAME, unitCode: '91533300MA6K0001XA', unitName: FORMULA_NAME, cells, source: null, corrected: false }],
      total: cells,
      reported: 1,
    };
    const text = county3Csv({ province: '云南省', prefecture: '怒江傈僳族自治州', county: '福贡县' }, table, ['exports/2020-07/福贡县.csv'], true);
    expect(text.startsWith('\ufeff')).toBe(true);
    const rows = readCsv(text);
    const data = rows.find((r) => r[0] === '1')!;
    expect(data.slice(0, 3)).toEqual(['1', neutralised(FULL_WIDTH_NAME), neutralised(FORMULA_NAME)]);
    expect(data.slice(3, 7)).toEqual(['1234.5', '-12.5', '49.80%', '未填报']);
    expect(text).toContain(',1234.5,-12.5,49.80%,');
    expect(rows.find((r) => r[0] === '合计')!.slice(3, 5)).toEqual(['1234.5', '-12.5']);
  });

  it('the compare download: neutralised also when the cell holds a line break (papaparse’s escapeFormulae did not)', () => {
    const text = compareCsv({ caption: '', head: ['对象', '代码'], rows: [[FORMULA_NAME, '1'], ['=1+1\n第二行', '2'], [LINE_BREAK_NAME, '3'], [FULL_WIDTH_NAME, '4']], entity: [0, 1, 2, 3] });
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(readCsv(text)).toEqual([['对象', '代码'], [neutralised(FORMULA_NAME), '1'], [neutralised('=1+1\n第二行'), '2'], [neutralised(LINE_BREAK_NAME), '3'], [neutralised(FULL_WIDTH_NAME), '4']]);
  });
});
