/**
 * Figures written for machines, blanked before the personal-data scan: the numbers of a JSON
 * file outside its strings, and the whole-number values of an HTML page's data-* attributes
 * (the raw figures the in-page sort reads). At national scale a province's sums in 元 are
 * eleven digits and start with 1 (18723033700), so the mobile rule would take them for phone
 * numbers. Nothing a person typed is lost: a phone number typed into a figure's cell stands
 * in the public copy of that table (a CSV, scanned as it is), and text in JSON strings and
 * everywhere else in a page is scanned as before. Blanking keeps every offset, so the lines
 * and columns the gate reports are unchanged.
 */

/** Text in, the same text with figures blanked out. */
export type Blanker = (text: string) => string;

/**
 * How one file's figures are blanked: `piece` for each decoded piece of the file in order (a
 * JSON file's state carries from piece to piece), `scanned` for the text about to be scanned
 * (an HTML attribute may straddle two pieces, so it is blanked where the scan sees it whole).
 * Null for a file of another kind, scanned as it is.
 */
export interface NumberBlanking {
  piece: Blanker;
  scanned: Blanker;
  /** a file's whole text at once */
  whole: Blanker;
}

const same: Blanker = (text) => text;
/** What the mobile rule could take: most texts have no such run, and their figures need no blanking (a quick test first). */
const MOBILE_LIKE = /1[3-9]\d{9}/;

/** `whole` is `piece` then `scanned`, skipped for a text without a mobile-like run (one blanking per file: `piece` may hold state). */
function blanking(piece: Blanker, scanned: Blanker): NumberBlanking {
  return { piece, scanned: (text) => (MOBILE_LIKE.test(text) ? scanned(text) : text), whole: (text) => (MOBILE_LIKE.test(text) ? scanned(piece(text)) : text) };
}

export function machineNumberBlanking(name: string): NumberBlanking | null {
  if (/\.json$/i.test(name)) return blanking(jsonNumbersBlanker(), same);
  if (/\.html?$/i.test(name)) return blanking(same, dataAttributeNumbersBlanked);
  return null;
}

const isNumberChar = (c: number) => (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;

/** JSON numbers outside strings as spaces; the state (inside a string, after a backslash) carries over from one piece to the next. */
function jsonNumbersBlanker(): Blanker {
  let inString = false;
  let escaped = false;
  return (text) => {
    let out: string[] | null = null;
    let last = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === 92) escaped = true;
        else if (c === 34) inString = false;
      } else if (c === 34) {
        inString = true;
      } else if (isNumberChar(c)) {
        let j = i + 1;
        while (j < text.length && isNumberChar(text.charCodeAt(j))) j++;
        (out ??= []).push(text.slice(last, i), ' '.repeat(j - i));
        last = j;
        i = j - 1;
      }
    }
    return out === null ? text : out.join('') + text.slice(last);
  };
}

const DATA_ATTRIBUTE_NUMBER = /(\sdata-[\w-]+=")(-?\d+(?:\.\d+)?)(?=")/g;

/** The whole-number values of data-* attributes as spaces (stateless: a piece is blanked whole, with its context). */
function dataAttributeNumbersBlanked(text: string): string {
  return text.replace(DATA_ATTRIBUTE_NUMBER, (_m, head: string, digits: string) => head + ' '.repeat(digits.length));
}
