/**
 * Names as people type them, in ONE form for matching: the ingest (registry ↔ exports)
 * and the search name index both call `normalizeName`, so a name the checker accepts is
 * the name search finds, and the other way round.
 *
 * Plain TypeScript with no Node imports: the search page's script uses it too.
 */

/**
 * Zero-width and direction-control characters: invisible in Excel and on the page, they make
 * two names that look the same differ (or an RTL override shows a name backwards). In a name
 * they are an error, not something to fold away silently.
 */
export const INVISIBLE_CHARS = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
const INVISIBLE_ALL = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;

/** Spaces of every kind and the middle dots that separate parts of names (·・•‧∙⋅). */
const SEPARATORS = /[\s\u3000\u00a0\u00b7\u30fb\u2022\u2027\u2219\u22c5\uff65]+/gu;

/** The registered forms of a village committee: 兰干村委会, 中寨村村民委员会, 中寨村村委会 → 兰干村, 中寨村. */
const VILLAGE_SUFFIX = /村?(村民委员会|村委会)$/u;

/**
 * The one matching form of a name: NFKC (full-width letters, digits and brackets to
 * half-width), no spaces, separators or invisible characters, 村民委员会/村委会 → 村.
 */
export function normalizeName(name: string): string {
  // Plain Chinese names and codes (most of what a national ingest sees, ~220,000 different
  // names: more than the memo holds) need no NFKC and have nothing to remove.
  if (PLAIN_HAN_NAME.test(name)) return name.replace(VILLAGE_SUFFIX, '村');
  if (PLAIN_ASCII_NAME.test(name)) return name;
  return memo(nameCache, name, (n) => n.normalize('NFKC').replace(INVISIBLE_ALL, '').replace(SEPARATORS, '').replace(VILLAGE_SUFFIX, '村'));
}
const nameCache = new Map<string, string>();
/** CJK unified ideographs only (U+4E00–U+9FFF: NFKC-stable, no separators or invisible characters) */
const PLAIN_HAN_NAME = /^[\u4e00-\u9fff]*$/;
const PLAIN_ASCII_NAME = /^[0-9A-Za-z]*$/;

/**
 * A 乡镇 for comparison: its name without the kind (扎瓦 for 扎瓦镇), since tables write
 * 萨依巴格 for 萨依巴格乡; a county never has two 乡镇 of one name that differ only by kind.
 */
export function townshipKey(name: string): string {
  const n = normalizeName(name);
  const bare = n.replace(/(街道办事处|街道|民族乡|乡|镇)$/u, '');
  return bare.length >= 2 ? bare : n;
}

/** The invisible characters in a text, named for a message (e.g. “U+202E（从右到左覆盖）”). */
export function invisibleCharsIn(text: string): string[] {
  const found = new Set<string>();
  for (const ch of text) if (INVISIBLE_CHARS.test(ch)) found.add(ch);
  return [...found].map((ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}（${INVISIBLE_NAMES[ch] ?? '不可见字符'}）`);
}
const INVISIBLE_NAMES: Record<string, string> = {
  '\u200b': '零宽空格',
  '\u200c': '零宽不连字',
  '\u200d': '零宽连字',
  '\u200e': '从左到右标记',
  '\u200f': '从右到左标记',
  '\u202a': '从左到右嵌入',
  '\u202b': '从右到左嵌入',
  '\u202c': '方向格式结束',
  '\u202d': '从左到右覆盖',
  '\u202e': '从右到左覆盖',
  '\u2066': '从左到右隔离',
  '\u2067': '从右到左隔离',
  '\u2068': '首字符方向隔离',
  '\u2069': '方向隔离结束',
  '\ufeff': '字节顺序标记/零宽不换行空格',
};

/** The characters a lossy save puts where it could not write one: `?` (GBK) and `�` (U+FFFD). */
export const LOST_CHAR = /[?\ufffd]/u;

/**
 * Edit distance between two texts counted in characters (code points, not UTF-16 units: 𡌶 is
 * one character). `wildcard(ch)` says which characters of `b` a lost character (`?`, `�`) in
 * `a` may stand for at no cost: the characters a GBK save could not hold.
 */
export function nameDistance(a: string, b: string, wildcard: (ch: string) => boolean = () => false, limit = Infinity): number {
  const x = Array.from(a);
  const y = Array.from(b);
  // Past `limit` the exact figure does not matter (a caller looking for the nearest name).
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    const xi = x[i - 1]!;
    const lost = LOST_CHAR.test(xi);
    let rowMin = i;
    for (let j = 1; j <= y.length; j++) {
      const yj = y[j - 1]!;
      const same = xi === yj || (lost && wildcard(yj));
      const d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (same ? 0 : 1));
      cur.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[y.length]!;
}

/**
 * A string function's results, remembered: the same unit, village and county names come
 * back on every row of every month, and NFKC over each of them again would be a large part
 * of a national ingest. Bounded, so hostile input cannot grow it without limit.
 */
export function memo(cache: Map<string, string>, key: string, f: (key: string) => string): string {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= 200_000) cache.clear();
    value = f(key);
    cache.set(key, value);
  }
  return value;
}
