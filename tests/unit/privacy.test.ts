/**
 * The personal-data gate's parts: each rule on what it must find and on the programme's own
 * numbers it must leave alone (village codes, unit codes, dates, money, hashes, JSON numbers,
 * SVG paths), the names it collects from the registry, sign-off lines and document properties,
 * and the walk through zips, gzip and images.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { PersonalDataScanner, isIdNumber, maskHit, type PersonalName, type ScannerOptions } from '../../src/lib/privacy/personal-data.ts';
import { collectPersonalNames, documentPropertyNames, personNames, signOffNames } from '../../src/lib/privacy/personal-names.ts';
import { findingMessage, scanSite } from '../../src/lib/privacy/scan-site.ts';
import { imageMetadata } from '../../src/lib/privacy/image-metadata.ts';
import { SITE } from '../../src/lib/site-config.ts';
import { SMALL } from './helpers.ts';
import { zip } from './xlsx-helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SIGNED_WORKBOOK = path.join(ROOT, 'tests/fixtures/workbooks/落款-福贡县.xlsx');
const NAMES: PersonalName[] = [
  { name: '张示例', source: '附件2 驻村人员（registry/pairings.csv 第 2 行）', stationed: true },
  { name: '王芳', source: '附件2 驻村人员（registry/pairings.csv 第 3 行）', stationed: true },
  { name: '李建国', source: 'exports/2020-07/福贡县.xlsx 的落款“填报人”', stationed: false },
];
const options = (opts: Partial<ScannerOptions> = {}): ScannerOptions => ({ names: NAMES, consentedNames: false, publishedContacts: SITE.feedback.contacts.map((c) => c.value), ...opts });
const scanner = (opts: Partial<ScannerOptions> = {}) => new PersonalDataScanner(options(opts));
const found = (text: string, s = scanner()) => s.scan(text).map((h) => `${h.kind}:${h.text}`);

describe('phone numbers', () => {
  it.each([
    ['联系电话：13912345678。', 'mobile:13912345678'],
    ['<td>13800138000</td>', 'mobile:13800138000'],
    ['"phone":"19912345678"', 'mobile:19912345678'],
    ['+86 138 0013 8000', 'mobile:+86 138 0013 8000'],
    ['手机 138-0013-8000', 'mobile:138-0013-8000'],
    ['0771-1234567', 'landline:0771-1234567'],
    ['(0771)12345678', 'landline:(0771)12345678'],
    ['（0886）3621234', 'landline:（0886）3621234'],
    ['0771 1234 5678', 'landline:0771 1234 5678'],
    ['北京 010-12345678 转', 'landline:010-12345678'],
    ['电话：07711234567', 'landline:07711234567'],
    ['+86-771-1234567', 'landline:+86-771-1234567'],
  ])('finds %s', (text, hit) => {
    expect(found(text)).toEqual([hit]);
  });

  it.each([
    ['a 12-digit village code', '/villages/450225001200/ 450225001200'],
    ['an 18-character unit code', '91451000DGEWJ20Y5B 53350100BGTMUR332L'],
    ['a date', '20201231 2020-12-31 2020/12/31'],
    ['money', '13800.50 万元，1,380,013,800 元'],
    ['an 11-digit run inside a longer number', '113800138000 13800138000123'],
    ['a decimal fraction', '0.13800138000 "percent":0.061412487205731836'],
    ['a SHA-256 hex digest', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 c692ebbc19523849056c6933380f2'],
    ['a hashed asset name', '/_astro/index.13800138000a.js /_astro/x_13912345678.css'],
    ['a JSON number and a bare 0-led run', '{"n":[1,2,3],"t":1606780800000} 077112345678'],
    ['an SVG path', '<path d="M138 1234 5678 L 0771 1234 5678 0 12"/>'],
    ['the hotline', '全国扶贫监督举报电话 12317 tel:12317'],
  ])('leaves %s alone', (_what, text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('ID numbers (GB 11643)', () => {
  it('accepts a valid check character and refuses a wrong one', () => {
    expect(isIdNumber('533323198001011232')).toBe(true);
    expect(isIdNumber('11010519491231002X')).toBe(true);
    expect(isIdNumber('11010519491231002x')).toBe(true);
    expect(isIdNumber('533323198001011233')).toBe(false);
    expect(isIdNumber('110105194912310021')).toBe(false);
  });

  it('wants a real birth date and province', () => {
    // check characters recomputed so only the date or region is wrong
    const withCheck = (first17: string) => {
      const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
      const sum = [...first17].reduce((a, d, i) => a + Number(d) * w[i]!, 0);
      return first17 + '10X98765432'[sum % 11];
    };
    expect(isIdNumber(withCheck('53332319800101123'))).toBe(true);
    expect(isIdNumber(withCheck('53332319800230123'))).toBe(false); // 30 February
    expect(isIdNumber(withCheck('53332318991231123'))).toBe(false); // before 1900
    expect(isIdNumber(withCheck('99332319800101123'))).toBe(false); // no province 99
    expect(isIdNumber(withCheck('53332330000101123'))).toBe(false); // born in the future
  });

  it('finds one in text only when it stands alone and is valid', () => {
    expect(found('身份证号：533323198001011232，')).toEqual(['id-number:533323198001011232']);
    expect(found('533323198001011233')).toEqual([]);
    expect(found('x533323198001011232 5333231980010112321')).toEqual([]);
  });

  it('does not take a registered all-digit unit code for one', () => {
    expect(found('533323198001011232', scanner({ notIdNumbers: new Set(['533323198001011232']) }))).toEqual([]);
  });
});

describe('e-mail addresses', () => {
  it('finds them', () => {
    expect(found('联系 lijianguo@example.com 或 <a href="mailto:Wang.XY+1@fg.gov.cn">')).toEqual(['email:lijianguo@example.com', 'email:Wang.XY+1@fg.gov.cn']);
  });
  it('leaves file names, CSS at-rules and package versions alone', () => {
    expect(found('icon@2x.png logo@3x.webp @media (min-width:1px) preact@10.29.8 @astrojs/preact a@b')).toEqual([]);
  });
  it('allows the published contacts', () => {
    const s = scanner({ publishedContacts: ['gpdzc@cpad.gov.cn', '0771-1234567'] });
    expect(found('写信到 gpdzc@cpad.gov.cn，电话 (0771)1234567', s)).toEqual([]);
    expect(found('写信到 other@cpad.gov.cn', s)).toEqual(['email:other@cpad.gov.cn']);
  });
});

describe('names', () => {
  it('finds a three-character name anywhere and a two-character one as a whole word', () => {
    expect(found('驻村人员：王芳、李建国')).toEqual(['name:王芳', 'name:李建国']);
    expect(found('第一书记李建国同志')).toEqual(['name:李建国']);
    expect(found('王芳芳 汪王芳 王芳菲')).toEqual([]);
    expect(found('<td>王芳</td>')).toEqual(['name:王芳']);
  });

  it('with consent allows exactly the 驻村人员 names', () => {
    const s = scanner({ consentedNames: true });
    expect(found('驻村人员：张示例、王芳；填报人：李建国，13912345678', s)).toEqual(['name:李建国', 'mobile:13912345678']);
  });

  it('masks what it reports', () => {
    expect(maskHit('mobile', '13800138000')).toBe('138****8000');
    expect(maskHit('landline', '0771-1234567')).toBe('077*-***4567');
    expect(maskHit('id-number', '533323198001011232')).toBe('5333**********1232');
    expect(maskHit('email', 'lijianguo@example.com')).toBe('l***@example.com');
    expect(maskHit('name', '李建国')).toBe('李**');
  });
});

describe('collecting the names', () => {
  it('reads sign-off lines in the same cell, in the next cell and several to a cell', () => {
    expect(signOffNames(['填报人：李建国', '', '联系电话：13912345678', '', '审核人：王秀英'])).toEqual([
      { label: '填报人', name: '李建国' },
      { label: '审核人', name: '王秀英' },
    ]);
    expect(signOffNames(['填 报 人', '', '张 三', '审核人:', '李四、王五'])).toEqual([
      { label: '填报人', name: '张三' },
      { label: '审核人', name: '李四' },
      { label: '审核人', name: '王五' },
    ]);
    expect(signOffNames(['填报人：赵六 审核人：钱七 联系电话：0886-3621234'])).toEqual([
      { label: '填报人', name: '赵六' },
      { label: '审核人', name: '钱七' },
    ]);
  });

  it('takes people, not offices, dates or placeholders', () => {
    expect(signOffNames(['填报单位：福贡县扶贫办', '填报日期：2020年8月3日'])).toEqual([]);
    expect(signOffNames(['负责人：福贡县扶贫办', '联系人：无', '审核人：（签字）'])).toEqual([]);
    expect(signOffNames(['序号', '联系人', '联系电话'])).toEqual([]);
    expect(personNames('阿不都·热合曼（签字）')).toEqual(['阿不都·热合曼']);
    expect(personNames('Administrator')).toEqual([]);
  });

  it('reads a workbook’s document properties (author, last modified by)', () => {
    expect(documentPropertyNames(readFileSync(SIGNED_WORKBOOK))).toEqual([
      { field: 'dc:creator（作者）', name: '李建国' },
      { field: 'cp:lastModifiedBy（最后修改者）', name: '王秀英' },
    ]);
  });

  const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-privacy-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('collects 驻村人员 from the registry, and sign-offs and properties from exports and revisions', () => {
    const data = path.join(work, 'data');
    cpSync(SMALL, data, { recursive: true });
    mkdirSync(path.join(data, 'revisions/2020-07/2020-08-20-1'), { recursive: true });
    cpSync(SIGNED_WORKBOOK, path.join(data, 'exports/2020-07/福贡县.xlsx'));
    writeFileSync(path.join(data, 'revisions/2020-07/2020-08-20-1/贵州省.csv'), `${readFileSync(path.join(SMALL, 'exports/2020-07/贵州省.csv'), 'utf8')}\n制表人：孙档案,,审核人,,周存档\n`);
    const { names, unitCodes, problems } = collectPersonalNames(data);
    const by = new Map(names.map((n) => [n.name, n]));
    expect(problems).toEqual([]);
    expect([...by.keys()].sort()).toEqual(['周存档', '孙档案', '张示例', '李建国', '李示例', '王秀英', '王示例'].sort());
    expect(by.get('张示例')).toMatchObject({ stationed: true, source: expect.stringMatching(/^附件2 驻村人员（registry\/pairings\.csv 第 \d+ 行）$/) });
    expect(by.get('李建国')).toMatchObject({ stationed: false, source: 'exports/2020-07/福贡县.xlsx 的落款“填报人”' });
    expect(by.get('周存档')!.source).toBe('revisions/2020-07/2020-08-20-1/贵州省.csv 的落款“审核人”');
    expect(unitCodes.size).toBeGreaterThan(0);
  });
});

describe('the walk over a site', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-privacy-site-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const scan = async (dir: string) => (await scanSite(dir, { scanner: options() })).findings;

  it('reads text, gzip, zip entries, an xlsx inside a zip with its docProps, and images', async () => {
    const dir = path.join(work, 'site');
    mkdirSync(path.join(dir, 'a'), { recursive: true });
    writeFileSync(path.join(dir, 'a/index.html'), '<p>one</p>\n<p>two 13912345678</p>\n');
    writeFileSync(path.join(dir, 'frag.pf_fragment'), gzipSync('{"content":"填报人：李建国"}'));
    const inner = zip([
      { name: 'xl/workbook.xml', data: '<workbook/>' },
      { name: 'docProps/core.xml', data: '<cp:coreProperties><dc:creator>周某人</dc:creator><cp:lastModifiedBy>Administrator</cp:lastModifiedBy></cp:coreProperties>' },
    ]);
    writeFileSync(path.join(dir, 'd.zip'), zip([{ name: 'x/data.csv', data: 'a,b\n1,lijianguo@example.com\n' }, { name: 'x/表.xlsx', data: Buffer.from(inner) }]));
    const jpeg = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#777' } })
      .jpeg()
      .withExif({ IFD0: { Artist: 'Li Jianguo' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '26/1 54/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '98/1 51/1 0/1' } })
      .toBuffer();
    writeFileSync(path.join(dir, 'a/photo.jpg'), jpeg);
    symlinkSync('/etc/hostname', path.join(dir, 'link.txt'));
    const messages = (await scan(dir)).map(findingMessage);
    expect(messages).toEqual([
      'a/index.html 第 2 行：手机号码 139****5678',
      'a/photo.jpg EXIF Artist：图片中的作者或所有者 L*********',
      'a/photo.jpg EXIF GPSLatitude、GPSLongitude：图片中的 GPS 位置 26.9°，98.8°',
      'd.zip（x/data.csv） 第 2 行：电子邮箱地址 l***@example.com',
      'd.zip（x/表.xlsx › docProps/core.xml） dc:creator（作者）：文档属性中的作者或修改者 周**',
      'frag.pf_fragment（gzip） 第 1 行：姓名 李**（来自exports/2020-07/福贡县.xlsx 的落款“填报人”）',
      'link.txt：不是普通文件 符号链接（未跟随，发布后会指向站点以外的内容）',
    ]);
  });

  it('counts lines across the pieces of a large file and finds a number cut by a piece edge', async () => {
    const dir = path.join(work, 'large');
    mkdirSync(dir, { recursive: true });
    const line = `${'450225001200,91451000DGEWJ20Y5B,13800.50,20201231'.padEnd(99, ' ')}\n`;
    const lines = Math.ceil((9 << 20) / line.length);
    const body = Array.from({ length: lines }, (_, i) => (i === lines - 7 ? `${line.slice(0, 60)}0771-1234567${line.slice(72)}` : line)).join('');
    // and one long line whose only phone sits astride the 4 MB piece edge
    const long = `${' '.repeat((4 << 20) - 5)}13912345678${' '.repeat(5 << 20)}`;
    writeFileSync(path.join(dir, 'big.csv'), body);
    writeFileSync(path.join(dir, 'long.txt'), long);
    const messages = (await scan(dir)).map(findingMessage);
    expect(messages).toEqual([`big.csv 第 ${lines - 6} 行：固定电话号码 077*-***4567`, `long.txt 第 1 行第 ${(4 << 20) - 4} 个字符：手机号码 139****5678`]);
  });

  it('shares a large site out to worker threads and gives the same findings in file order', async () => {
    const dir = path.join(work, 'many');
    mkdirSync(dir, { recursive: true });
    const leaks = new Map([[17, '13912345678'], [2500, 'lijianguo@example.com'], [4001, '533323198001011232']]);
    for (let i = 0; i < 4200; i++) writeFileSync(path.join(dir, `p${String(i).padStart(5, '0')}.html`), `<p>${i} 450225001200 ${leaks.get(i) ?? ''}</p>`);
    const one = await scanSite(dir, { scanner: options(), workers: 1 });
    const two = await scanSite(dir, { scanner: options(), workers: 2 });
    expect(two.findings).toEqual(one.findings);
    expect([two.files, two.bytes]).toEqual([one.files, one.bytes]);
    expect(two.findings.map(findingMessage)).toEqual(['p00017.html 第 1 行：手机号码 139****5678', 'p02500.html 第 1 行：电子邮箱地址 l***@example.com', 'p04001.html 第 1 行：身份证号码 5333**********1232']);
  });

  it('takes a national sum for a figure, not a phone: JSON numbers and data-* values are blanked, strings, text and CSV cells are not', async () => {
    const dir = path.join(work, 'figures');
    mkdirSync(path.join(dir, 'provinces/45'), { recursive: true });
    // the national build's false alarms: a province's sums in 元 (eleven digits starting with 1)
    writeFileSync(path.join(dir, 'provinces/45/series.json'), '{"months":["2020-11","2020-12"],"done":[10068876200,18723033700],"total":18171029000,"note":"联系电话,13912345678,见附件"}');
    writeFileSync(path.join(dir, 'bulletin.html'), '<tr data-key="materialsDone" data-raw="18171029000" data-delta="-15940909700"><td>18,171,029,000</td></tr>\n<p title="13812345678">电话 <a href="tel:13712345678">13612345678</a></p>');
    writeFileSync(path.join(dir, 'copy.csv'), '村代码,已驻村人数\n450225001200,13512345678\n');
    // a JSON string straddling the 4 MB piece edge keeps its state: the phone inside it is found
    writeFileSync(path.join(dir, 'big.json'), `{"pad":"${' '.repeat((4 << 20) - 20)}联系人电话 13412345678","n":[${Array.from({ length: 2000 }, () => '18723033700').join(',')}]}`);
    expect((await scan(dir)).map(findingMessage)).toEqual([
      `big.json 第 1 行第 ${(4 << 20) - 20 + 15} 个字符：手机号码 134****5678`,
      'bulletin.html 第 2 行：手机号码 138****5678',
      'bulletin.html 第 2 行：手机号码 137****5678',
      'bulletin.html 第 2 行：手机号码 136****5678',
      'copy.csv 第 2 行：手机号码 135****5678',
      'provinces/45/series.json 第 1 行第 99 个字符：手机号码 139****5678',
    ]);
  });

  it('reports a zip it cannot read instead of passing it', async () => {
    const dir = path.join(work, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'x.zip'), Buffer.from('PK\x03\x04 not really a zip'));
    expect((await scan(dir)).map(findingMessage)).toEqual(['x.zip：无法检查 zip 无法读取（找不到 zip 的中央目录（文件不完整或不是 zip））']);
  });

  it('reads XMP owner and GPS fields', async () => {
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#777' } })
      .png()
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/"><dc:creator><rdf:Seq><rdf:li>王秀英</rdf:li></rdf:Seq></dc:creator><exif:GPSLongitude>98,51.0E</exif:GPSLongitude></rdf:Description></rdf:RDF></x:xmpmeta>')
      .toBuffer();
    expect((await imageMetadata(png)).hits).toEqual([
      { kind: 'image-owner', field: 'XMP dc:creator', value: '王秀英' },
      { kind: 'gps', field: 'XMP exif:GPSLongitude', value: '98°…' },
    ]);
  });
});
