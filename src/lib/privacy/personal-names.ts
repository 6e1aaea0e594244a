/**
 * The names of people the programme's files hold, which the built site must not show:
 * - 驻村人员 of 附件2 (registry/pairings.csv, read by the registry's own reader); these, and
 *   only these, may be published when consent is given (PUBLISH_PERSONAL_NAMES=1);
 * - whoever signed a received table off: the sign-off lines under (or above) the exports
 *   (填报人：张三, or 填报人 | 张三 in the next cell), read with the ingest's own loaders,
 *   from every sheet of a workbook, in exports/ and in the copies revisions/ archives;
 * - the people named in a received workbook's document properties: docProps/core.xml
 *   dc:creator and cp:lastModifiedBy, docProps/app.xml Manager. Company is an organisation,
 *   not a person, and is not taken.
 * Also the registered unit codes, which the ID-number rule must not take for ID numbers.
 */
import { lstatSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { decodeTable } from '../ingest/decode.ts';
import { IssueSink } from '../ingest/issues.ts';
import { loadTable, newSummary } from '../ingest/read-table.ts';
import { readPairings, readUnits, readVillages } from '../ingest/registry.ts';
import { isZip, readWorkbook } from '../ingest/workbook.ts';
import { TABLE_FILE } from '../ingest/ingest-fs.ts';
import { SIGN_OFF_PERSON_LABELS } from '../ingest/progress-reader/sign-off-labels.ts';
import type { PersonalName } from './personal-data.ts';
import { bufferSource, readSmallEntry, zipEntries } from './zip-entries.ts';

export interface CollectedNames {
  names: PersonalName[];
  /** registered unit codes (统一社会信用代码): 18 characters that are never an ID number */
  unitCodes: Set<string>;
  /** files that could not be read, in Chinese (the gate cannot promise what it did not read) */
  problems: string[];
}

/** The labels of a sign-off line that name a person: the reader's own list (the same rows it leaves out of the data). */
const PERSON_LABELS = SIGN_OFF_PERSON_LABELS;
const LABEL = new RegExp(`(${PERSON_LABELS.map((l) => [...l].join('\\s*')).join('|')})\\s*[:：]?`, 'g');
const IS_LABEL = new RegExp(LABEL.source);
/** The end of any label (填报人 → 报人): a table without one has no sign-off line and is not parsed. */
const LABEL_HINT = new RegExp([...new Set(PERSON_LABELS.map((l) => [...l.slice(-2)].join('\\s*')))].join('|'));
const ANY_LABEL = /(填报|填表|制表|审核|审批|复核|核对|联系|经办|统计|报送|签发|负责|领导|日期|电话|单位|地址|邮箱)\s*(人|日期|电话|单位|时间)?\s*[:：]/;

/** Words written where a name belongs that are not names. */
const NOT_NAMES = new Set(['无', '暂无', '待定', '同上', '见上', '本人', '签字', '签名', '盖章', '姓名', '日期', '电话', '手机', '未填', '不详', '略', '空', '某某']);
/** A header or a label, not a name (a table's 联系人 column header beside its 联系电话 header). */
const LABEL_WORD = /(电话|手机|日期|时间|号码|方式|地址|邮箱|签字|签名|盖章|姓名|职务|人员|填报|审核)/;
/** The end of an organisation's or a place's name: 福贡县扶贫办, 某某公司. */
const ORGANISATION = /(办|局|委|厅|公司|政府|中心|办公室|合作社|委员会|村委|协会|基金会|乡|镇|县|市|省|州|盟|旗|街道|社区|组织)$/;
/** What office software writes as the author when nobody set one. */
const GENERIC_AUTHORS = /^(administrator|admin|user|owner|author|guest|unknown|microsoft office (user|用户)|windows (user|用户)|微软用户|用户|作者|未知|walkingman|lenovo|dell|hp|asus|acer|pc|apache poi|openpyxl|libreoffice|wps|kingsoft|excel)$/i;

/** A candidate for a person's name: 2–4 Chinese characters, a minority name with a middle dot, or a Latin name. */
export function personNames(value: string): string[] {
  const text = value
    .normalize('NFKC')
    .replace(/[（(【[][^）)】\]]*[）)】\]]/g, ' ')
    .replace(/[+\d][\d\s-]{5,}\d/g, ' ');
  const out: string[] = [];
  for (const part of text.split(/[、，,;；/\\|]+|\s{2,}|\t/)) {
    const words = part.trim().split(/\s+/).filter(Boolean);
    // 「张 三」: a two-character name padded to line up with three-character ones
    const joined = words.length > 1 && words.every((w) => /^[\u3400-\u9fff]$/.test(w)) ? [words.join('')] : words.every((w) => /^[A-Za-z]+$/.test(w)) ? [words.join(' ')] : words;
    for (const w of joined) {
      const name = w.replace(/^[:：]+|[:：。.]+$/g, '');
      if (NOT_NAMES.has(name) || GENERIC_AUTHORS.test(name) || ORGANISATION.test(name) || LABEL_WORD.test(name)) continue;
      if (/^[\u3400-\u9fff]{2,4}$/.test(name) || /^[\u3400-\u9fff]{1,8}[·•・][\u3400-\u9fff·•・]{1,16}$/.test(name) || /^[A-Za-z]{4,}(?: [A-Za-z]+){0,3}$/.test(name)) out.push(name);
    }
  }
  return out;
}

/**
 * The names a row's sign-off cells give, with their labels: 「填报人：张三」 in one cell,
 * 「填报人：」 or 「填报人」 with the name in the next non-blank cell, several labels in one cell.
 */
export function signOffNames(row: ReadonlyArray<string>): Array<{ label: string; name: string }> {
  const out: Array<{ label: string; name: string }> = [];
  for (let c = 0; c < row.length; c++) {
    // every label ends in 人 or 领导: most cells are passed over without more work
    if (!(row[c] ?? '').includes('人') && !(row[c] ?? '').includes('导')) continue;
    const cell = (row[c] ?? '').normalize('NFKC');
    const labels = [...cell.matchAll(LABEL)];
    labels.forEach((m, i) => {
      const label = m[1]!.replace(/\s+/g, '');
      let value = cell.slice(m.index + m[0].length, labels[i + 1]?.index ?? cell.length);
      const stop = ANY_LABEL.exec(value);
      if (stop) value = value.slice(0, stop.index);
      if (value.trim() === '' && i === labels.length - 1) {
        let next = c + 1;
        while (next < row.length && (row[next] ?? '').trim() === '') next++;
        const nextCell = row[next] ?? '';
        if (!IS_LABEL.test(nextCell) && !ANY_LABEL.test(nextCell)) value = nextCell;
      }
      for (const name of personNames(value)) out.push({ label, name });
    });
  }
  return out;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const xmlText = (s: string) => s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[\da-f]+);/gi, (_, e: string) => XML_ENTITIES[e] ?? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))));

/** The people a workbook's document properties name: core.xml dc:creator, cp:lastModifiedBy; app.xml Manager. */
export function documentPropertyNames(workbook: Buffer): Array<{ field: string; name: string }> {
  const src = bufferSource(workbook);
  const entries = zipEntries(src);
  const out: Array<{ field: string; name: string }> = [];
  const fields: Array<[string, string, string]> = [
    ['docProps/core.xml', 'dc:creator', '作者'],
    ['docProps/core.xml', 'cp:lastModifiedBy', '最后修改者'],
    ['docProps/app.xml', 'Manager', '经理'],
  ];
  for (const [part, tag, label] of fields) {
    let xml: string;
    try {
      xml = readSmallEntry(src, entries, part, 1 << 20)?.toString('utf8') ?? '';
    } catch {
      continue;
    }
    for (const m of xml.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`, 'g'))) {
      for (const name of personNames(xmlText(m[1]!))) out.push({ field: `${tag}（${label}）`, name });
    }
  }
  return out;
}

/** Regular files under a folder (no symbolic links followed), sorted, for a stable report. */
function regularFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const full = path.join(d, name);
      const st = lstatSync(full);
      if (st.isDirectory()) walk(full);
      else if (st.isFile()) out.push(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

export function collectPersonalNames(dataDir: string): CollectedNames {
  const names = new Map<string, PersonalName>();
  const problems: string[] = [];
  const add = (name: string, source: string, stationed: boolean) => {
    const known = names.get(name);
    if (!known) names.set(name, { name, source, stationed });
    else if (stationed && !known.stationed) names.set(name, { name, source, stationed });
  };
  const rel = (f: string) => path.relative(dataDir, f).split(path.sep).join('/');

  // 驻村人员, through the registry's reader
  const reg = (f: string) => path.join(dataDir, 'registry', f);
  const unitCodes = new Set<string>();
  if (existsSync(reg('pairings.csv'))) {
    const villages = existsSync(reg('villages.csv')) ? readVillages('registry/villages.csv', readFileSync(reg('villages.csv'))).records : [];
    const units = existsSync(reg('units.csv')) ? readUnits('registry/units.csv', readFileSync(reg('units.csv'))).records : [];
    for (const u of units) unitCodes.add(u.code.toUpperCase());
    const pairings = readPairings('registry/pairings.csv', readFileSync(reg('pairings.csv')), new Map(villages.map((v) => [v.code, v])), new Map(units.map((u) => [u.code, u])));
    for (const p of pairings.records) {
      if (!p.stationedStaff) continue;
      for (const name of personNames(p.stationedStaff)) add(name, `附件2 驻村人员（registry/pairings.csv 第 ${p.source.row} 行）`, true);
    }
  }

  // sign-off lines and document properties of what counties sent
  for (const file of [...regularFiles(path.join(dataDir, 'exports')), ...regularFiles(path.join(dataDir, 'revisions'))]) {
    if (!TABLE_FILE.test(file) || path.basename(file).startsWith('~$')) continue;
    const shown = rel(file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      problems.push(`${shown}：无法读取（${(e as Error).message}）`);
      continue;
    }
    const rows: Iterable<string[]>[] = [];
    if (isZip(bytes)) {
      const wb = readWorkbook(bytes);
      if (!wb.ok) {
        problems.push(`${shown}：工作簿无法读取（${wb.detail}），其中的落款姓名未收集`);
        continue;
      }
      for (const sheet of wb.sheets) rows.push(sheet.rows);
    } else {
      // National exports are a million rows: decoding is quick, parsing is not, so only a
      // table whose text has a label is parsed.
      const decoded = decodeTable(bytes);
      if (decoded.ok && !LABEL_HINT.test(decoded.text)) continue;
      const table = loadTable(bytes, new IssueSink(shown), newSummary(shown, 'export'));
      if (table) rows.push(table.rows);
    }
    for (const sheetRows of rows) for (const row of sheetRows) for (const { label, name } of signOffNames(row)) add(name, `${shown} 的落款“${label}”`, false);
    if (isZip(bytes)) {
      try {
        for (const { field, name } of documentPropertyNames(bytes)) add(name, `${shown} 的文档属性 ${field}`, false);
      } catch (e) {
        problems.push(`${shown}：文档属性无法读取（${(e as Error).message}）`);
      }
    }
  }
  return { names: [...names.values()], unitCodes, problems };
}
