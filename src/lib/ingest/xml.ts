/**
 * A small streaming XML reader for the parts of an .xlsx: it walks the bytes once and calls
 * a handler for each start tag, text and end tag, building no tree, so memory follows what
 * the handler keeps (the cells), never the size or shape of the XML.
 *
 * What it does, and why:
 * - namespaces are resolved: a handler sees each element's and attribute's namespace URI and
 *   local name, so `<x:c>` with `xmlns:x="…spreadsheetml…"` is the same as `<c>` under a
 *   default namespace (openpyxl and the .NET Open XML SDK write prefixes).
 * - no DTD: a `<!DOCTYPE` is refused. Excel never writes one, and a DTD is what entity
 *   expansion attacks (billion laughs, external entities) need. Only the five predefined
 *   entities and character references are known; any other `&name;` is an error.
 * - every reference is decoded exactly once, in one pass: `&amp;lt;` is the text `&lt;`.
 * - line ends in text are normalised as XML requires (CR LF and CR → LF); `&#13;` stays CR.
 * - limits: nesting depth, attributes per element, and elements across a whole workbook
 *   (a shared counter), each refused with a Chinese message.
 * Errors are XmlError with a Chinese message; the part and byte offset follow in brackets.
 */

export class XmlError extends Error {
  /** a limit was reached (the XML may well be valid), rather than XML that is not well-formed */
  tooLarge = false;
}

/** What the handler is told for each attribute. */
export interface XmlAttribute {
  ns: string;
  local: string;
  value: string;
}

export interface XmlHandler {
  /** a start tag (an empty element `<a/>` is open then close) */
  open(ns: string, local: string, attrs: XmlAttribute[]): void;
  close(ns: string, local: string): void;
  /** text and CDATA inside the current element, decoded; called only while `wantText` is true */
  text(s: string): void;
  wantText: boolean;
}

export interface XmlBudget {
  /** elements that may still be read, across all the parts of one workbook */
  elements: number;
  /** the limit the budget started from, for the message */
  elementLimit: number;
  depth: number;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const MAX_ATTRIBUTES = 256;
const nf = new Intl.NumberFormat('zh-CN');

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;

const isSpace = (b: number) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;

/**
 * Reads `bytes` (UTF-8, an optional BOM) and calls `handler`. `part` names the zip part in
 * messages. Throws XmlError on anything that is not well-formed or exceeds `budget`.
 */
export function readXml(bytes: Uint8Array, handler: XmlHandler, budget: XmlBudget, part: string): void {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fail = (what: string, at: number): never => {
    throw new XmlError(`${what}（${part}，第 ${nf.format(at)} 字节）`);
  };
  const n = buf.length;
  let pos = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  // Open elements: their qualified names, and the namespace declarations each made (null when none).
  const names: string[] = [];
  const scopes: Array<Map<string, string> | null> = [];
  let rootSeen = false;

  const lookup = (prefix: string, at: number): string => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const s = scopes[i];
      if (s) {
        const uri = s.get(prefix);
        if (uri !== undefined) return uri;
      }
    }
    if (prefix === '') return '';
    if (prefix === 'xml') return XML_NS;
    return fail(`XML 中使用了未声明的命名空间前缀“${prefix}”`, at);
  };

  /** bytes [s, e) as a string: latin1 when they are ASCII (the common case, and faster). */
  const str = (s: number, e: number): string => {
    for (let i = s; i < e; i++) if (buf[i]! >= 0x80) return buf.toString('utf8', s, e);
    return buf.toString('latin1', s, e);
  };
  // Element and attribute names repeat millions of times (c, r, s, t, v, row): a short ASCII
  // name is looked up by its length and first and last bytes, and compared, not decoded again.
  const cache = new Map<number, string>();
  const name = (s: number, e: number): string => {
    const len = e - s;
    if (len === 0 || len > 24) return str(s, e);
    const key = len * 65536 + buf[s]! * 256 + buf[e - 1]!;
    const hit = cache.get(key);
    if (hit !== undefined) {
      let same = true;
      for (let i = 1; i < len - 1; i++) {
        if (hit.charCodeAt(i) !== buf[s + i]) {
          same = false;
          break;
        }
      }
      if (same) return hit;
    }
    const fresh = str(s, e);
    if (fresh.length === len) cache.set(key, fresh);
    return fresh;
  };

  while (pos < n) {
    const lt = buf[pos] === LT ? pos : buf.indexOf(LT, pos);
    const end = lt < 0 ? n : lt;
    if (end > pos) {
      if (names.length > 0) {
        if (handler.wantText) handler.text(decodeText(str(pos, end), pos, fail));
      } else {
        for (let i = pos; i < end; i++) if (!isSpace(buf[i]!)) fail('XML 根元素之外有文字', i);
      }
    }
    if (lt < 0) break;
    const next = buf[lt + 1];
    if (next === QUESTION) {
      const close = buf.indexOf('?>', lt + 2, 'latin1');
      if (close < 0) fail('XML 处理指令没有结束', lt);
      pos = close + 2;
    } else if (next === BANG) {
      if (buf[lt + 2] === 0x2d && buf[lt + 3] === 0x2d) {
        const close = buf.indexOf('-->', lt + 4, 'latin1');
        if (close < 0) fail('XML 注释没有结束', lt);
        pos = close + 3;
      } else if (buf.toString('latin1', lt + 2, lt + 9) === '[CDATA[') {
        if (names.length === 0) fail('XML 根元素之外有 CDATA', lt);
        const close = buf.indexOf(']]>', lt + 9, 'latin1');
        if (close < 0) fail('XML 的 CDATA 段没有结束', lt);
        if (handler.wantText) handler.text(str(lt + 9, close).replace(/\r\n?/g, '\n'));
        pos = close + 3;
      } else if (buf.toString('latin1', lt + 2, lt + 9).toUpperCase() === 'DOCTYPE') {
        fail('工作簿的 XML 中含有 DTD 声明（<!DOCTYPE>），Excel 从不写入它，它可用于实体扩展攻击，因此不予读取', lt);
      } else {
        fail('XML 中有无法识别的 <! 标记', lt);
      }
    } else if (next === SLASH) {
      let i = lt + 2;
      while (i < n && buf[i] !== GT && !isSpace(buf[i]!)) i++;
      const qname = name(lt + 2, i);
      while (i < n && isSpace(buf[i]!)) i++;
      if (buf[i] !== GT) fail('XML 结束标记不完整', lt);
      const open = names.pop();
      if (open === undefined) fail(`XML 结束标记 </${qname.slice(0, 40)}> 没有对应的开始标记`, lt);
      if (open !== qname) fail(`XML 标记不配对：<${open!.slice(0, 40)}> 以 </${qname.slice(0, 40)}> 结束`, lt);
      const colon = qname.indexOf(':');
      const ns = lookup(colon < 0 ? '' : qname.slice(0, colon), lt);
      scopes.pop();
      handler.close(ns, colon < 0 ? qname : qname.slice(colon + 1));
      pos = i + 1;
    } else {
      // A start tag: its name, then attributes up to > or />.
      if (names.length === 0 && rootSeen) fail('XML 有不止一个根元素', lt);
      if (--budget.elements < 0) {
        const e = new XmlError(`工作簿的 XML 元素超过上限 ${nf.format(budget.elementLimit)} 个（${part}）`);
        e.tooLarge = true;
        throw e;
      }
      if (names.length >= budget.depth) fail(`工作簿的 XML 嵌套超过 ${nf.format(budget.depth)} 层`, lt);
      let i = lt + 1;
      while (i < n && buf[i] !== GT && buf[i] !== SLASH && !isSpace(buf[i]!)) i++;
      if (i === lt + 1) fail('XML 中有不成标记的“<”', lt);
      const qname = name(lt + 1, i);
      const attrs: XmlAttribute[] = [];
      let prefixed = false;
      let scope: Map<string, string> | null = null;
      let selfClosing = false;
      for (;;) {
        while (i < n && isSpace(buf[i]!)) i++;
        if (i >= n) fail('XML 开始标记没有结束', lt);
        const b = buf[i]!;
        if (b === GT) {
          i++;
          break;
        }
        if (b === SLASH) {
          if (buf[i + 1] !== GT) fail('XML 开始标记不完整', lt);
          selfClosing = true;
          i += 2;
          break;
        }
        const nameStart = i;
        while (i < n && buf[i] !== EQUALS && buf[i] !== GT && buf[i] !== SLASH && !isSpace(buf[i]!)) i++;
        const attrName = name(nameStart, i);
        while (i < n && isSpace(buf[i]!)) i++;
        if (buf[i] !== EQUALS || attrName === '') fail(`XML 属性“${attrName.slice(0, 40)}”没有值`, nameStart);
        i++;
        while (i < n && isSpace(buf[i]!)) i++;
        const quote = buf[i];
        if (quote !== 0x22 && quote !== 0x27) fail('XML 属性值没有引号', i);
        const close = buf.indexOf(quote!, i + 1);
        if (close < 0) fail('XML 属性值的引号没有闭合', i);
        const rawValue = str(i + 1, close);
        if (rawValue.includes('<')) fail('XML 属性值中有“<”', i);
        const value = decodeText(/[\t\n\r]/.test(rawValue) ? rawValue.replace(/[\t\n\r]/g, ' ') : rawValue, i, fail);
        i = close + 1;
        if (attrs.length >= MAX_ATTRIBUTES) fail(`XML 元素的属性超过 ${MAX_ATTRIBUTES} 个`, lt);
        if (attrName === 'xmlns' || attrName.startsWith('xmlns:')) {
          scope ??= new Map();
          scope.set(attrName === 'xmlns' ? '' : attrName.slice(6), value);
        } else {
          // An attribute without a prefix is in no namespace, whatever the default namespace is.
          attrs.push({ ns: '', local: attrName, value });
          if (attrName.includes(':')) prefixed = true;
        }
      }
      names.push(qname);
      scopes.push(scope);
      rootSeen = true;
      const colon = qname.indexOf(':');
      const ns = lookup(colon < 0 ? '' : qname.slice(0, colon), lt);
      const local = colon < 0 ? qname : qname.slice(colon + 1);
      if (prefixed) {
        for (const a of attrs) {
          const c = a.local.indexOf(':');
          if (c >= 0) {
            a.ns = lookup(a.local.slice(0, c), lt);
            a.local = a.local.slice(c + 1);
          }
        }
      }
      handler.open(ns, local, attrs);
      if (selfClosing) {
        names.pop();
        scopes.pop();
        handler.close(ns, local);
      }
      pos = i;
    }
  }
  if (names.length > 0) fail(`XML 没有结束：<${names[names.length - 1]!.slice(0, 40)}> 没有闭合`, n);
  if (!rootSeen) fail('XML 中没有任何元素', n);
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Raw text → its characters: CR LF and lone CR become LF, then each reference is replaced
 * once, in one pass (so `&amp;lt;` becomes `&lt;` and stays so). A character reference must
 * name a character XML allows; a named entity must be one of the five XML predefines.
 */
function decodeText(raw: string, at: number, fail: (what: string, at: number) => never): string {
  const text = raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw;
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&]{0,32})(;?)/g, (ref, body: string, semi: string) => {
    if (semi !== ';') fail(`XML 中的“&”后不是实体或字符引用（${ref.slice(0, 20)}）`, at);
    if (body[0] === '#') {
      const hex = body[1] === 'x';
      const digits = body.slice(hex ? 2 : 1);
      if (!(hex ? /^[0-9a-fA-F]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)) fail(`XML 字符引用 ${ref} 无效`, at);
      const cp = parseInt(digits, hex ? 16 : 10);
      const legal = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
      if (!legal) fail(`XML 字符引用 ${ref} 不是 XML 允许的字符`, at);
      return String.fromCodePoint(cp);
    }
    const known = PREDEFINED[body];
    if (known === undefined) fail(`XML 中有未定义的实体 ${ref.slice(0, 40)}（工作簿不应含有自定义实体）`, at);
    return known!;
  });
}
