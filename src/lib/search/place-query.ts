/**
 * Query understanding for Chinese place names, before the name index is asked
 * (src/lib/search/name-index.ts matches records that have every bigram of every term):
 *
 * - a term that runs a place into a name is cut after its administrative suffix:
 *   「融水苗族自治县羊庄村」→「融水苗族自治县」「羊庄村」, 「云口乡羊庄村」→「云口乡」「羊庄村」
 *   (the pair of characters across the cut, 县羊, is in no record);
 * - a county's everyday short forms find it: 「融水县」「融水自治县」「融水苗族县」 are cut
 *   back to 「融水」, a prefix of 融水苗族自治县 (so every bigram is in the real name); the
 *   same for 旗 and 州 (「怒江州」→「怒江」);
 * - a query that names a county (ends in 县, 旗 or 自治县) ranks counties first among the
 *   records found by name.
 *
 * Plain TypeScript with no imports from Node: the search page's script uses it.
 */

/** Suffixes after which a place ends and the next part of the query may begin. */
const PLACE_END = /(自治县|自治旗|自治州|县|旗|州|市|区|乡|镇|街道|苏木)/gu;
/** A county's (or prefecture's) suffix as people write it, with or without 自治 and the peoples' names before it. */
const COUNTY_SUFFIX = /(?:各族)?自治[县旗州]$|[县旗州]$/u;

const chars = (s: string) => [...s].length;

/**
 * Cut a term after a place suffix when both sides stay long enough to look up (two
 * characters each: 「礼县南河村」→「礼县」「南河村」). Repeats on the rest: 「柳州市融水县羊庄村」
 * gives 「柳州市」「融水县」「羊庄村」. A cut never loses a record: both parts are still in the
 * name or place of whatever the whole term was in. 「新镇村」 is left whole (「村」 is one character).
 */
export function splitPlaces(term: string): string[] {
  PLACE_END.lastIndex = 0;
  for (let m = PLACE_END.exec(term); m; m = PLACE_END.exec(term)) {
    const end = m.index + m[0].length;
    const left = term.slice(0, end);
    const right = term.slice(end);
    // 「柳州市」: not cut between 州 and 市 (the place's suffix goes on)
    if (chars(left) >= 2 && chars(right) >= 2 && !/^[县旗州市区乡镇]/u.test(right)) return [left, ...splitPlaces(right)];
  }
  return [term];
}

/**
 * The everyday short form of a county (or prefecture) name: 「融水县」「融水苗族县」
 * 「融水苗族自治县」→「融水」, 「怒江州」→「怒江」. An autonomous one (自治, or a people's name
 * before the suffix) is called by its first two characters; otherwise the suffix is dropped
 * when at least two characters remain. Anything else is returned as it is.
 */
export function shortPlaceForm(term: string): string {
  if (!COUNTY_SUFFIX.test(term)) return term;
  const list = [...term];
  if (/族|自治/u.test(term) && list.length >= 4) return list.slice(0, 2).join('');
  const stem = term.replace(COUNTY_SUFFIX, '');
  return chars(stem) >= 2 ? stem : term;
}

export interface PlaceQuery {
  /** the terms to look up, in the order typed */
  terms: string[];
  /** the query names a county: rank counties first among records found by name */
  county: boolean;
}

/** The terms the name index should look up for the terms a person typed (already split and normalised by queryTerms). */
export function understandPlaces(typed: readonly string[], isCode: (term: string) => boolean): PlaceQuery {
  const terms: string[] = [];
  let county = false;
  for (const t of typed) {
    if (isCode(t)) {
      terms.push(t);
      continue;
    }
    for (const part of splitPlaces(t)) {
      if (/(?:县|旗)$/u.test(part) && chars(part) >= 3) county = true;
      terms.push(shortPlaceForm(part));
    }
  }
  return { terms: [...new Set(terms)], county };
}

/** Records found by name, counties first when the query names a county (stable otherwise). */
export function rankByKind<T>(ids: readonly T[], kindOf: (id: T) => string, county: boolean): T[] {
  if (!county) return [...ids];
  return [...ids.filter((id) => kindOf(id) === '县'), ...ids.filter((id) => kindOf(id) !== '县')];
}

/** Why a query finds no village, unit or county by name, when the reason is its length: one character cannot be looked up. */
export function shortQueryNote(typed: readonly string[]): string | null {
  if (typed.length === 0 || typed.some((t) => chars(t) >= 2)) return null;
  return `“${typed.join(' ')}”只有一个字，无法按名称查找村、单位和县。请至少输入两个字，例如村名“羊庄村”、县名“融水”或单位名称中的一个词。`;
}

// --- stories and bulletins: keep only real matches, and cut a clean excerpt ---

/** Whether a page's text (and title) has every term the person typed, each in full or in its short place form. */
export function pageMatches(text: string, typed: readonly string[]): boolean {
  const hay = text.normalize('NFKC').toUpperCase();
  return typed.length > 0 && typed.every((t) => splitPlaces(t).every((part) => hay.includes(part) || hay.includes(shortPlaceForm(part))));
}

const SENTENCE_END = /[。！？；!?;\n]/u;

/**
 * A sentence-aligned excerpt of `text` around the first term found: from the start of its
 * sentence to the end of it, at most `max` characters (cut at a comma or with an ellipsis),
 * so an excerpt never starts mid-word. Whitespace runs (a flattened layout) become one space.
 */
export function sentenceExcerpt(text: string, typed: readonly string[], max = 90, title = ''): string {
  // Pagefind joins blocks with ". "; the page's own title comes first and is shown already
  let clean = text.replace(/[ \t\u00a0\u3000]+/g, ' ').replace(/\.\s+/g, '\n').trim();
  if (title && clean.startsWith(title)) clean = clean.slice(title.length).replace(/^\s+/, '');
  const upper = clean.toUpperCase();
  // the most specific text first: a whole term, then its parts (the last typed, usually the
  // village, first), then their short forms; the first of these found places the excerpt
  const needles = [
    ...typed,
    ...typed.flatMap((t) => splitPlaces(t).reverse()),
    ...typed.flatMap((t) => splitPlaces(t).reverse().map(shortPlaceForm)),
  ];
  let at = -1;
  for (const n of needles) {
    at = upper.indexOf(n);
    if (at >= 0) break;
  }
  // no term in the text (it was in the title): the first whole sentence, not a line of metadata
  if (at < 0) at = Math.max(0, clean.indexOf('。') - 1);
  let start = at;
  while (start > 0 && !SENTENCE_END.test(clean[start - 1]!)) start--;
  let end = at;
  while (end < clean.length && !SENTENCE_END.test(clean[end]!)) end++;
  if (end < clean.length) end++;
  let sentence = clean.slice(start, end).trim();
  let lead = '';
  if (sentence.length > max) {
    // keep the hit in view: start at the clause (，、：) before it when the sentence is long
    const offset = at - start;
    if (offset > max / 2) {
      const before = sentence.slice(0, offset);
      const clause = Math.max(before.lastIndexOf('，'), before.lastIndexOf('、'), before.lastIndexOf('：'), before.lastIndexOf(','));
      const from = clause >= 0 && offset - clause < max / 2 ? clause + 1 : Math.max(0, offset - 20);
      sentence = sentence.slice(from);
      lead = '……';
    }
    if (sentence.length > max) sentence = `${sentence.slice(0, max)}……`;
  }
  return lead + sentence;
}
