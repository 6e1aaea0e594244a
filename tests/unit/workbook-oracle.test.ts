/**
 * Differential test of the workbook reader against exceljs, a well-kept reader used here only
 * as an oracle: on a corpus of valid workbooks both must read the same cells. The corpus:
 * workbooks exceljs writes (strings, rich text, numbers, dates, booleans, formulas with their
 * results, merged cells, empty rows, several sheets), the LibreOffice-made fixtures, and
 * hand-written XML in the variants other writers produce: namespace prefixes, Strict OOXML,
 * absolute and `../` relationship targets, a workbook part elsewhere than xl/, a lying
 * dimension, character references. exceljs reads only the plain form of each variant, so a
 * variant is compared with exceljs's reading of its plain form (the variant means the same).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { columnLetter } from '../../src/lib/ingest/issues.ts';
import { readWorkbook } from '../../src/lib/ingest/workbook.ts';
import { zip, type ZipPart } from './xlsx-helpers.ts';

type Cells = Record<string, Record<string, string>>;

/** Our reading: sheet → "A1" → text, non-empty cells only; cells in `falsy` must be 0, 0% or blank, and are left out. */
function ours(bytes: Uint8Array): Cells {
  const r = readWorkbook(bytes);
  if (!r.ok) throw new Error(r.detail);
  const out: Cells = {};
  for (const s of r.sheets) {
    const cells: Record<string, string> = {};
    s.rows.forEach((row, i) =>
      row.forEach((v, j) => {
        const ref = `${columnLetter(j)}${i + 1}`;
        if (falsy.has(`${s.name}!${ref}`)) expect(['', '0', '0%', 'FALSE']).toContain(v);
        else if (v !== '') cells[ref] = v;
      }),
    );
    out[s.name] = cells;
  }
  return out;
}

const show = (n: number) => String(Number(n.toPrecision(15)));

/** exceljs's value as Excel shows it, by the same conventions (dates as ISO days, TRUE/FALSE, percent formats). */
function text(value: ExcelJS.CellValue, numFmt: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return numFmt?.includes('%') ? `${show(value * 100)}%` : show(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return value;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.slice(11, 16) === '00:00' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  }
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('error' in value) return value.error;
  if ('result' in value) return text(value.result as ExcelJS.CellValue, numFmt);
  if ('text' in value) return String(value.text);
  return String(value);
}

/**
 * exceljs drops a formula's cached result when it is falsy (`<v>0</v>`, `<v></v>`): it gives
 * `{ formula }` alone. Such cells are listed here as sheet!address and checked apart.
 */
const falsy = new Set<string>();

async function oracle(bytes: Uint8Array): Promise<Cells> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const out: Cells = {};
  wb.eachSheet((ws) => {
    const cells: Record<string, string> = {};
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        // A merged range shows its value once, in its top-left cell (exceljs repeats it in each).
        if (cell.isMerged && cell.master.address !== cell.address) return;
        const value = cell.value;
        if (value !== null && typeof value === 'object' && 'formula' in value && !('result' in value && value.result !== undefined)) {
          falsy.add(`${ws.name}!${cell.address}`);
          return;
        }
        const v = text(cell.value, cell.numFmt);
        if (v !== '') cells[cell.address] = v;
      }),
    );
    out[ws.name] = cells;
  });
  return out;
}

async function exceljsWorkbook(): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const a = wb.addWorksheet('附件3（7月）');
  a.addRow(['福贡县项目进展统计表']);
  a.mergeCells('A1:F1');
  a.addRow(['序号', '帮扶村', '资金计划\n总投入\n（万元）', '比例', '是否', '日期']);
  a.addRow([1, 'A村', 100.5, 0.6, true, new Date(Date.UTC(2020, 7, 3))]);
  a.getCell('D3').numFmt = '0.00%';
  a.addRow([]);
  a.addRow([2, { richText: [{ text: 'B', font: { bold: true } }, { text: '村' }] }, 0.1 + 0.2, { formula: 'C3*2', result: 201 }, false, 1e-7]);
  a.getCell('H9').value = '远处的备注 & <符号>';
  a.getCell('A12').value = { formula: '1/0', result: { error: '#DIV/0!' } };
  a.getCell('B12').value = 123456789012345.67;
  const b = wb.addWorksheet('Sheet2');
  b.getCell('C3').value = '第二个表';
  b.mergeCells('C3:D5');
  b.getCell('A7').value = -0.5;
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

// --- hand-written XML and its variants ----------------------------------------------------

const T_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const T_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const S_MAIN = 'http://purl.oclc.org/ooxml/spreadsheetml/main';
const S_REL = 'http://purl.oclc.org/ooxml/officeDocument/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';

interface Variant {
  /** prefix for SpreadsheetML elements ('' for the default namespace) */
  prefix: string;
  strict: boolean;
  /** how the workbook names its sheet parts */
  target: (n: number) => string;
  /** the workbook part's path */
  workbookPath: string;
  dimension: string;
  /** prefix of the relationships namespace (exceljs knows only r:) */
  relPrefix: string;
}

const PLAIN: Variant = { prefix: '', strict: false, target: (n) => `worksheets/sheet${n}.xml`, workbookPath: 'xl/workbook.xml', dimension: 'A1:C6', relPrefix: 'r' };

function handWritten(v: Variant): Uint8Array {
  const main = v.strict ? S_MAIN : T_MAIN;
  const rel = v.strict ? S_REL : T_REL;
  const p = v.prefix ? `${v.prefix}:` : '';
  const ns = v.prefix ? `xmlns:${v.prefix}="${main}"` : `xmlns="${main}"`;
  const dir = v.workbookPath.slice(0, v.workbookPath.lastIndexOf('/') + 1);
  const el = (xml: string) => xml.replace(/<(\/?)([a-zA-Z]+)(?=[\s/>])/g, (_, slash: string, name: string) => `<${slash}${p}${name}`);
  const sst = `<sst ${ns}>${el('<si><t>青松村</t></si><si><r><t>富</t></r><r><rPr><b/></rPr><t xml:space="preserve">裕 村</t></r><rPh sb="0" eb="1"><t>フ</t></rPh></si><si><t>&amp;lt; &#38;lt; &#x4E2D; &lt;b&gt; _x000D_</t></si>')}</sst>`.replace(`<${p}sst ${ns}>`, `<${p}sst ${ns}>`);
  const sheet1 = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<${p}worksheet ${ns} xmlns:${v.relPrefix}="${rel}">${el(`<dimension ref="${v.dimension}"/><sheetData>` +
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>内联</t></is></c><c r="C1" t="b"><v>1</v></c></row>' +
    '<row r="2" hidden="1"><c r="A2"><v>12.5</v></c><c r="B2" s="1"><v>44046</v></c><c r="C2" t="s"><v>1</v></c></row>' +
    '<row r="4"><c r="A4" t="s"><v>2</v></c><c r="C4" t="str"><f>A1&amp;"x"</f><v>青松村x</v></c></row>' +
    '<row r="6"><c r="A6" t="e"><v>#N/A</v></c><c r="B6"><v>0.30000000000000004</v></c></row>' +
    '</sheetData><mergeCells count="1"><mergeCell ref="A4:B5"/></mergeCells>')}</${p}worksheet>`;
  const sheet2 = `<${p}worksheet ${ns}>${el('<sheetData><row r="3"><c r="B3" t="inlineStr"><is><r><t>多</t></r><r><t>段</t></r></is></c></row></sheetData>')}</${p}worksheet>`;
  const styles = `<${p}styleSheet ${ns}>${el('<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>')}</${p}styleSheet>`;
  const r = v.relPrefix;
  const workbook = `<${p}workbook ${ns} xmlns:${r}="${rel}">${el(`<sheets><sheet name="第一" sheetId="1" ${r}:id="rId1"/><sheet name="第二" sheetId="2" state="hidden" ${r}:id="rId2"/></sheets>`)}</${p}workbook>`;
  const type = (t: string) => `${rel}/${t}`;
  const rels = `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${type('worksheet')}" Target="${v.target(1)}"/><Relationship Id="rId2" Type="${type('worksheet')}" Target="${v.target(2)}"/><Relationship Id="rId3" Type="${type('sharedStrings')}" Target="${v.target(0).replace(/worksheets\/sheet0\.xml$/, 'sharedStrings.xml')}"/><Relationship Id="rId4" Type="${type('styles')}" Target="${v.target(0).replace(/worksheets\/sheet0\.xml$/, 'styles.xml')}"/></Relationships>`;
  const rootRels = `<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${type('officeDocument')}" Target="${v.workbookPath}"/></Relationships>`;
  const types = '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>';
  const parts: ZipPart[] = [
    { name: '[Content_Types].xml', data: types },
    { name: '_rels/.rels', data: rootRels },
    { name: v.workbookPath, data: workbook },
    { name: `${dir}_rels/${v.workbookPath.slice(dir.length)}.rels`, data: rels },
    { name: `${dir}worksheets/sheet1.xml`, data: sheet1 },
    { name: `${dir}worksheets/sheet2.xml`, data: sheet2 },
    { name: `${dir}sharedStrings.xml`, data: sst },
    { name: `${dir}styles.xml`, data: styles },
    { name: 'docProps/core.xml', data: '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>' },
  ];
  return zip(parts);
}

const VARIANTS: Record<string, Variant> = {
  'namespace prefix x: (openpyxl, Open XML SDK)': { ...PLAIN, prefix: 'x', relPrefix: 'rel' },
  'Strict OOXML namespaces': { ...PLAIN, strict: true },
  'Strict OOXML with prefixes': { ...PLAIN, strict: true, prefix: 'main', relPrefix: 'rel' },
  'absolute targets (/xl/worksheets/sheet1.xml)': { ...PLAIN, target: (n) => `/xl/worksheets/sheet${n}.xml` },
  "'../' and './' targets": { ...PLAIN, target: (n) => `../xl/./worksheets/sheet${n}.xml` },
  'the workbook part elsewhere than xl/workbook.xml': { ...PLAIN, workbookPath: 'book/main.xml' },
  'a dimension larger than the content': { ...PLAIN, dimension: 'A1:XFD1048576' },
  'a dimension smaller than the content': { ...PLAIN, dimension: 'A1' },
};

describe('the reader and exceljs read the same cells', () => {
  it('a workbook exceljs writes: strings, rich text, numbers, percent, dates, booleans, formulas, errors, merges, empty rows, two sheets', async () => {
    const bytes = await exceljsWorkbook();
    const expected = await oracle(bytes);
    expect(Object.keys(expected['附件3（7月）']!).length).toBeGreaterThan(15);
    expect(ours(bytes)).toEqual(expected);
  });

  const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/workbooks');
  for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.xlsx'))) {
    it(`LibreOffice's ${name}`, async () => {
      const bytes = new Uint8Array(readFileSync(path.join(FIXTURES, name)));
      const expected = await oracle(bytes);
      expect(ours(bytes)).toEqual(expected);
    });
  }

  it('hand-written XML in its plain form', async () => {
    const bytes = handWritten(PLAIN);
    const expected = await oracle(bytes);
    expect(ours(bytes)).toEqual(expected);
    // and what both read, spelled out: references decoded once, phonetic runs not shown, the merge
    expect(expected['第一']).toMatchObject({ A1: '青松村', B1: '内联', C1: 'TRUE', A2: '12.5', B2: '2020-08-03', C2: '富裕 村', A4: '&lt; &lt; 中 <b> \r', C4: '青松村x', A6: '#N/A', B6: '0.3' });
    expect(expected['第二']).toEqual({ B3: '多段' });
  });

  for (const [what, variant] of Object.entries(VARIANTS)) {
    it(`hand-written XML, ${what}: the cells of the plain form`, async () => {
      const r = readWorkbook(handWritten(variant));
      expect(r.ok ? null : r.detail).toBeNull();
      const expected = await oracle(handWritten(PLAIN));
      expect(ours(handWritten(variant))).toEqual(expected);
      expect(r.ok && r.sheets.map((s) => [s.name, s.hidden, s.hiddenRows])).toEqual([['第一', false, [2]], ['第二', true, []]]);
      expect(r.ok && r.otherParts).toEqual(['[Content_Types].xml', 'docProps/core.xml']);
    });
  }
});
