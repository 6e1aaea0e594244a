/** Quoting input in messages without echoing it whole (shared by the ingest and by the browser-side code that formats values). */

export const CLIP = 60;

/**
 * A cell's text as a message may quote it: the first 60 characters (code points, so a
 * character outside the BMP is never cut in half) and “…（共 N 字）” when it is longer. A
 * hostile 200 MB cell must not be echoed whole into the report.
 */
export function clip(text: string, max: number = CLIP): string {
  if (text.length <= max) return text;
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n === max) return `${out}…（共 ${new Intl.NumberFormat('zh-CN').format(text.length)} 字）`;
    out += ch;
    n++;
  }
  return out;
}
