/**
 * Hand-made .xlsx files for hostile cases no spreadsheet program writes (a formula without a
 * cached value, a zip bomb, a sheet past the limits) and for the XML variants other writers
 * produce (namespace prefixes, Strict OOXML, relationship targets). Well-formed cases also use
 * the workbooks LibreOffice made (tests/fixtures/workbooks) and exceljs writes.
 */
import { constants as zlibConstants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  data: Buffer | string;
  /** the uncompressed size the zip claims (default: the true size) */
  declaredSize?: number;
  /** the part already deflated (data is then ignored; the CRC is left 0) */
  deflated?: Buffer;
}

export function zip(parts: ZipPart[]): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const data = Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data, 'utf8');
    const packed = p.deflated ?? deflateRawSync(data);
    const name = Buffer.from(p.name, 'utf8');
    const size = p.declaredSize ?? data.length;
    const crc = p.deflated ? 0 : crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(packed.length, 20);
    cd.writeUInt32LE(size, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    central.push(cd, name);
    offset += local.length + name.length + packed.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cdBytes, end]));
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A cell: text (inline string), a number, or a formula with or without a cached value. */
export type XCell = string | number | { f: string; v?: number | string } | null;

export function sheetXml(rows: XCell[][], extra = ''): string {
  const letter = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : String.fromCharCode(64 + Math.floor(i / 26)) + String.fromCharCode(65 + (i % 26)));
  const body = rows
    .map((row, r) => {
      const cells = row
        .map((c, i) => {
          const ref = `${letter(i)}${r + 1}`;
          if (c === null || c === '') return '';
          if (typeof c === 'number') return `<c r="${ref}"><v>${c}</v></c>`;
          if (typeof c === 'string') return `<c r="${ref}" t="inlineStr"><is><t>${esc(c)}</t></is></c>`;
          const v = c.v === undefined ? '' : `<v>${esc(String(c.v))}</v>`;
          return `<c r="${ref}"${typeof c.v === 'string' ? ' t="str"' : ''}><f>${esc(c.f)}</f>${v}</c>`;
        })
        .join('');
      return `<row r="${r + 1}">${cells}</row>`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${body}</sheetData>${extra}</worksheet>`;
}

/** A minimal workbook: one part per sheet, no styles, no shared strings. */
export function xlsx(sheets: Array<{ name: string; xml: string | Buffer; state?: 'hidden'; declaredSize?: number }>): Uint8Array {
  const workbook = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets
    .map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`)
    .join('')}</sheets></workbook>`;
  const rels = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
    .map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`)
    .join('')}</Relationships>`;
  return zip([
    { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' },
    { name: 'xl/workbook.xml', data: workbook },
    { name: 'xl/_rels/workbook.xml.rels', data: rels },
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: s.xml, declaredSize: s.declaredSize })),
  ]);
}

/**
 * A deflate stream of `prefix`, `fill` bytes of spaces and `suffix`, made without holding the
 * spaces: each piece is a byte-aligned block (a sync flush), and one compressed megabyte of
 * spaces repeats as is, since its back-references reach only into itself.
 */
export function deflatedFill(prefix: string, fill: number, suffix: string): Buffer {
  const sync = { finishFlush: zlibConstants.Z_SYNC_FLUSH };
  const mbOfSpaces = deflateRawSync(Buffer.alloc(1024 * 1024, 0x20), sync);
  const pieces = [deflateRawSync(Buffer.from(prefix), sync)];
  for (let i = 0; i < Math.floor(fill / (1024 * 1024)); i++) pieces.push(mbOfSpaces);
  pieces.push(deflateRawSync(Buffer.from(suffix)));
  return Buffer.concat(pieces);
}

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A workbook from given part texts: sheets as worksheet XML, optional shared strings and styles. */
export function workbookOf(sheets: Array<string | { deflated: Buffer; declaredSize: number }>, extra: { sharedStrings?: string; styles?: string; names?: string[] } = {}): Uint8Array {
  const names = extra.names ?? sheets.map((_, i) => `Sheet${i + 1}`);
  const workbook = `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>${names.map((n, i) => `<sheet name="${esc(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`;
  const rel = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="${REL_NS}/${type}" Target="${target}"/>`;
  const rels = [...names.map((_, i) => rel(`rId${i + 1}`, 'worksheet', `worksheets/sheet${i + 1}.xml`))];
  if (extra.sharedStrings !== undefined) rels.push(rel('rIdS', 'sharedStrings', 'sharedStrings.xml'));
  if (extra.styles !== undefined) rels.push(rel('rIdT', 'styles', 'styles.xml'));
  const parts: ZipPart[] = [
    { name: 'xl/workbook.xml', data: workbook },
    { name: 'xl/_rels/workbook.xml.rels', data: `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>` },
    ...sheets.map((s, i) => (typeof s === 'string' ? { name: `xl/worksheets/sheet${i + 1}.xml`, data: s } : { name: `xl/worksheets/sheet${i + 1}.xml`, data: '', ...s })),
  ];
  if (extra.sharedStrings !== undefined) parts.push({ name: 'xl/sharedStrings.xml', data: extra.sharedStrings });
  if (extra.styles !== undefined) parts.push({ name: 'xl/styles.xml', data: extra.styles });
  return zip(parts);
}

/** A worksheet part around `body` (rows and anything after sheetData go in as given). */
export const worksheet = (sheetData: string, after = '', before = '') => `<worksheet xmlns="${MAIN_NS}">${before}<sheetData>${sheetData}</sheetData>${after}</worksheet>`;
