/**
 * Personal data in text: Chinese mobile and fixed-line phone numbers, 18-digit ID numbers
 * (居民身份证号码, GB 11643) with a valid check character, e-mail addresses and the names of
 * the people the programme's files name (驻村人员, whoever signed a received table off). Pure:
 * text in, hits out, so the gate over the built site (scan-site.ts) and the tests share it.
 *
 * The rules are precise rather than eager, because the site is full of numbers that are not
 * phones: 12-digit village codes, 18-character unit codes, dates, money, SHA-256 hex, hashed
 * asset names, JSON numbers and SVG paths. So a number counts only when it stands alone: not
 * inside a longer run of digits or letters, not after a decimal point, not one of a run of
 * numbers separated by spaces or commas (an SVG path, a list of figures); a fixed-line number
 * needs a plausible area code and a separator, brackets or a 电话/Tel label in front of it
 * (a bare run of 10–12 digits starting with 0 is not taken for one); an ID number needs a
 * real birth date, a province code that exists and the right check character.
 */

export type TextHitKind = 'mobile' | 'landline' | 'id-number' | 'email' | 'name';

export interface TextHit {
  kind: TextHitKind;
  /** offset of the match in the text */
  index: number;
  /** the matched text, unmasked (for the caller to mask when it reports) */
  text: string;
  /** for a name: where the name comes from (附件2 驻村人员, a sign-off line, document properties) */
  source?: string;
}

/** A name to look for, and whether its publication was consented to (驻村人员 under PUBLISH_PERSONAL_NAMES=1). */
export interface PersonalName {
  name: string;
  /** where it was found, in words, e.g. 「附件2 驻村人员（registry/pairings.csv 第 2 行）」 */
  source: string;
  /** a 驻村人员 name: published on consent (PUBLISH_PERSONAL_NAMES=1) */
  stationed: boolean;
}

export interface ScannerOptions {
  names: ReadonlyArray<PersonalName>;
  /** PUBLISH_PERSONAL_NAMES=1: the 驻村人员 names are allowed, and nothing else is */
  consentedNames: boolean;
  /** texts the programme publishes on purpose (the 监督与反馈 contacts): whatever is found in them is allowed */
  publishedContacts: ReadonlyArray<string>;
  /** codes that look like ID numbers and are not (registered 18-digit unit codes) */
  notIdNumbers?: ReadonlySet<string>;
}

const KIND_LABELS: Record<TextHitKind, string> = {
  mobile: '手机号码',
  landline: '固定电话号码',
  'id-number': '身份证号码',
  email: '电子邮箱地址',
  name: '姓名',
};

export function kindLabel(kind: TextHitKind): string {
  return KIND_LABELS[kind];
}

// Left of a number: not a digit, letter, underscore or decimal point, and not a digit with a
// dash or slash (a date, a range, a code with parts). Right: the same, and no decimal part.
const L = String.raw`(?<![0-9A-Za-z_.])(?<!\d[-/])`;
const R = String.raw`(?![0-9A-Za-z_])(?!\.\d)(?![-/]\d)`;
// A number written in groups must not be one of a run of numbers (an SVG path, a list).
const LS = String.raw`(?<!\d[ ,])`;
const RS = String.raw`(?![ ,]\d)`;
/** Area codes: 010, 020–029, and four digits 03xx–09xx. */
const AREA = String.raw`0(?:10|2\d|[3-9]\d{2})`;
const AREA_INTL = String.raw`(?:10|2\d|[3-9]\d{2})`;
const CC = String.raw`(?:(?:\+|00)86[ -]?|86[ -])`;
const PHONE_LABEL = String.raw`(?:联系电话|电话|手机|座机|传真|联系方式|Tel|TEL|tel|Phone|PHONE|phone)`;

// The rules that start at a digit or '+' share one left boundary, tested once per position and
// only where such a character stands (30 % less time on the shipped pages than each rule
// testing its own).
const NUMBER_RULES = new RegExp(
  String.raw`(?=[0-9+])${L}(?:` +
    [
      // mobile: 13800138000, +86 13800138000
      String.raw`(?<mobile>${CC}?1[3-9]\d{9}${R})`,
      // mobile in groups: 138-0013-8000, 138 0013 8000
      String.raw`(?<mobileGrouped>${LS}${CC}?1[3-9]\d(?<sep>[- ])\d{4}\k<sep>\d{4}${R}${RS})`,
      // fixed line with a separator: 0771-1234567, 0771 1234 5678, 010-12345678
      String.raw`(?<landline>${LS}${AREA}[- ][1-9]\d{2,3}[- ]?\d{4}(?:[-转]\d{1,5})?${R}${RS})`,
      // fixed line, international: +86-771-1234567
      String.raw`(?<landlineIntl>(?:\+|00)86[ -]?${AREA_INTL}[ -][1-9]\d{6,7}${R})`,
      // ID number: region, birth date, sequence, check character
      String.raw`(?<idNumber>[1-8]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]${R})`,
    ].join('|') +
    ')|' +
    [
      // fixed line in brackets: (0771)12345678, （0771）1234567
      String.raw`(?<landlineBracket>[(（]${AREA}[)）][ -]?[1-9]\d{6,7}(?:[-转]\d{1,5})?${R})`,
      // fixed line written solid after a label: 电话：07711234567
      String.raw`${PHONE_LABEL}[:：]?[ \t]*(?:号码)?[:：]?[ \t]*(?<landlineLabelled>${AREA}[1-9]\d{6,7}${R})`,
    ].join('|'),
  'g',
);

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';
/** Province-level codes an ID number can begin with (GB/T 2260, and 71/81/82/83 for Taiwan, Hong Kong, Macao). */
const ID_PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83]);

/** An 18-character ID number (GB 11643): a province that exists, a birth date that does, and the check character of ISO 7064 MOD 11-2. */
export function isIdNumber(text: string, today: Date = new Date()): boolean {
  if (!/^\d{17}[\dXx]$/.test(text)) return false;
  if (!ID_PROVINCES.has(Number(text.slice(0, 2)))) return false;
  const y = Number(text.slice(6, 10));
  const m = Number(text.slice(10, 12));
  const d = Number(text.slice(12, 14));
  const born = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== d || born.getTime() > today.getTime()) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(text[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === text[17]!.toUpperCase();
}

// E-mail addresses are found from their '@' outwards, which is much faster than a regex that
// would try a local part at every position of the text.
const isLocalChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
const isDomainChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 45;
/** The end of a file name, never a top-level domain: `icon@2x.png` is not an address. */
const FILE_EXTENSION = /^(png|jpe?g|gif|webp|avif|svg|ico|js|mjs|cjs|css|json|html?|xml|txt|csv|map|woff2?|ttf|wasm|ts|tsx|md|mdx|pdf|zip|xlsx?)$/i;

function findEmails(text: string, from: number, to: number, out: TextHit[]): void {
  for (let at = text.indexOf('@', from); at !== -1 && at < to; at = text.indexOf('@', at + 1)) {
    let s = at;
    while (s > 0 && at - s < 64 && isLocalChar(text.charCodeAt(s - 1))) s--;
    if (s === at || (s > 0 && isLocalChar(text.charCodeAt(s - 1)))) continue;
    let e = at + 1;
    while (e < text.length && e - at < 254 && isDomainChar(text.charCodeAt(e))) e++;
    while (e > at + 1 && (text[e - 1] === '.' || text[e - 1] === '-')) e--;
    const local = text.slice(s, at);
    const domain = text.slice(at + 1, e);
    if (local.startsWith('.') || local.endsWith('.')) continue;
    const labels = domain.split('.');
    if (labels.length < 2 || labels.some((l) => l === '' || l.startsWith('-') || l.endsWith('-'))) continue;
    const tld = labels[labels.length - 1]!;
    if (!/^[A-Za-z]{2,24}$/.test(tld) || FILE_EXTENSION.test(tld)) continue;
    out.push({ kind: 'email', index: s, text: `${local}@${domain}` });
  }
}

const isHan = (c: number) => (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff);

/**
 * Names are looked up by their first two characters (a number key in a Map): one pass over
 * the text whatever the number of names (50,000 驻村人员 nationally would make a regex
 * alternation crawl). A name of two characters counts only as a whole word, between
 * characters that are not Chinese (「驻村人员：王芳、李强」), because two characters are
 * often part of ordinary words; a longer name counts wherever it stands.
 */
class NameIndex {
  private readonly byPrefix = new Map<number, PersonalName[]>();
  private readonly firstChars = new Uint8Array(65536);
  /** names in Latin letters (document properties: zhangsan, Li Jianguo), keyed by their letters in lower case */
  private readonly latinNames = new Map<string, PersonalName>();
  private readonly latin: RegExp | null;

  constructor(names: ReadonlyArray<PersonalName>) {
    const latin: string[] = [];
    for (const n of names) {
      const c0 = n.name.charCodeAt(0);
      if (isHan(c0) && n.name.length >= 2) {
        const key = c0 * 65536 + n.name.charCodeAt(1);
        const list = this.byPrefix.get(key) ?? [];
        if (!list.some((x) => x.name === n.name)) list.push(n);
        list.sort((a, b) => b.name.length - a.name.length);
        this.byPrefix.set(key, list);
        this.firstChars[c0] = 1;
      } else if (/^[A-Za-z]+(?: [A-Za-z]+)*$/.test(n.name) && n.name.length >= 4) {
        const key = latinKey(n.name);
        if (this.latinNames.has(key)) continue;
        this.latinNames.set(key, n);
        // Li Jianguo, li.jianguo, lijianguo, LI_JIANGUO: one name
        latin.push(n.name.split(' ').join('[ ._-]?'));
      }
    }
    this.latin = latin.length ? new RegExp(`(?<![A-Za-z0-9])(?:${latin.join('|')})(?![A-Za-z0-9])`, 'gi') : null;
  }

  get size(): number {
    return this.byPrefix.size + this.latinNames.size;
  }

  find(text: string, from: number, to: number, out: TextHit[]): void {
    if (this.byPrefix.size) {
      const { firstChars, byPrefix } = this;
      for (let i = from; i < to; i++) {
        const c = text.charCodeAt(i);
        if (c < 0x3400 || firstChars[c] === 0) continue;
        const list = byPrefix.get(c * 65536 + text.charCodeAt(i + 1));
        if (!list) continue;
        for (const n of list) {
          if (!text.startsWith(n.name, i)) continue;
          if (n.name.length === 2 && ((i > 0 && isHan(text.charCodeAt(i - 1))) || isHan(text.charCodeAt(i + 2)))) continue;
          out.push({ kind: 'name', index: i, text: n.name, source: n.source });
          break;
        }
      }
    }
    if (this.latin) {
      this.latin.lastIndex = from;
      for (let m = this.latin.exec(text); m && m.index < to; m = this.latin.exec(text)) {
        const n = this.latinNames.get(latinKey(m[0]));
        out.push({ kind: 'name', index: m.index, text: m[0], ...(n ? { source: n.source } : {}) });
      }
    }
  }
}

const latinKey = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '');

/** The form two spellings of one phone number, ID number or address share (for the allowed contacts). */
function canonical(kind: TextHitKind, text: string): string {
  if (kind === 'mobile' || kind === 'landline') return text.replace(/^(?:\+|00)?86(?=[ -]?[1-9])/, '').replace(/\D/g, '').replace(/^(?=[1-9]\d{9,10}$)(?!1[3-9])/, '0');
  if (kind === 'id-number') return text.toUpperCase();
  if (kind === 'email') return text.toLowerCase();
  return text;
}

export class PersonalDataScanner {
  private readonly names: NameIndex;
  private readonly allowed = new Set<string>();
  private readonly notIdNumbers: ReadonlySet<string>;
  private readonly today = new Date();

  constructor(options: ScannerOptions) {
    this.names = new NameIndex(options.consentedNames ? options.names.filter((n) => !n.stationed && !options.names.some((s) => s.stationed && s.name === n.name)) : options.names);
    this.notIdNumbers = options.notIdNumbers ?? new Set();
    for (const contact of options.publishedContacts) for (const hit of numbersAndEmails(contact, 0, contact.length, this.today)) this.allowed.add(`${hit.kind}:${canonical(hit.kind, hit.text)}`);
  }

  /** How many names it looks for (after the consented ones are taken out). */
  get nameCount(): number {
    return this.names.size;
  }

  /**
   * Every hit that starts in [from, to). The text around that range is read for the rules'
   * boundaries, so a caller scanning a large file in pieces passes each piece with some of
   * its neighbours on both sides and gets each hit once.
   */
  scan(text: string, from = 0, to = text.length): TextHit[] {
    const out = numbersAndEmails(text, from, to, this.today);
    this.names.find(text, from, to, out);
    return out.filter((h) => !this.allowed.has(`${h.kind}:${canonical(h.kind, h.text)}`) && !(h.kind === 'id-number' && this.notIdNumbers.has(h.text.toUpperCase()))).sort((a, b) => a.index - b.index);
  }
}

function numbersAndEmails(text: string, from: number, to: number, today: Date): TextHit[] {
  const out: TextHit[] = [];
  scanNumbers(text, from, to, today, out);
  findEmails(text, from, to, out);
  return out;
}

function scanNumbers(text: string, from: number, to: number, today: Date, out: TextHit[]): void {
  const re = NUMBER_RULES;
  re.lastIndex = from;
  for (let m = re.exec(text); m && m.index < to; m = re.exec(text)) {
    const g = m.groups!;
    if (g.idNumber !== undefined) {
      if (isIdNumber(g.idNumber, today)) out.push({ kind: 'id-number', index: m.index, text: g.idNumber });
    } else if (g.mobile !== undefined || g.mobileGrouped !== undefined) out.push({ kind: 'mobile', index: m.index, text: m[0] });
    else if (g.landlineLabelled !== undefined) out.push({ kind: 'landline', index: m.index + m[0].length - g.landlineLabelled.length, text: g.landlineLabelled });
    else out.push({ kind: 'landline', index: m.index, text: m[0] });
  }
}

/**
 * What a report shows of a hit: enough to find it, not enough to spread it further.
 * 138****8000, 077*-***4567, 5333**********1232, l***@example.com, 李**.
 */
export function maskHit(kind: TextHitKind, text: string): string {
  if (kind === 'mobile' || kind === 'landline') {
    // the first three digits and the last four stay
    const total = text.replace(/\D/g, '').length;
    let seen = 0;
    return text.replace(/\d/g, (d) => (++seen <= 3 || seen > total - 4 ? d : '*'));
  }
  if (kind === 'id-number') return `${text.slice(0, 4)}${'*'.repeat(10)}${text.slice(14)}`;
  if (kind === 'email') return `${text[0]}***${text.slice(text.indexOf('@'))}`;
  const chars = [...text];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}
