/**
 * Where a file states its period — a title 「截至2020年7月底」 or 「2020年7月……」, a 填报日期 —
 * it must agree with the month it is filed under (its exports/YYYY-MM/ folder, or
 * data:import's --month). A title naming another month is an error; so is a 填报日期 before
 * the month began (a July table cannot be filled in June). A 填报日期 more than a month after
 * is a warning only: a late correction is filled in later.
 *
 * The full dates are kept as well — the 「截至2020年7月24日」 of a title (`asOf`) and the
 * 填报日期 (`filledOn`) — so that of several weekly tables of one county for one month the
 * latest can be told apart (weekly.ts).
 */
import { clip, type IssueSink } from '../issues.ts';
import { normalizeCell, parseDate } from '../cell-values.ts';

const FILLED_ON = /^(填报日期|填表日期|报送日期)[:：]?(.*)$/;

/** The month a title states: 「截至2020年7月底」, or the one 「2020年7月」 it names; null when none or unclear. */
function statedMonth(text: string): string | null {
  const s = normalizeCell(text);
  const asOf = /截[至止](\d{4})年(\d{1,2})月/.exec(s);
  const months = asOf ? [asOf] : [...s.matchAll(/(\d{4})年(\d{1,2})月/g)];
  const found = new Set(months.flatMap((m) => (Number(m[2]) >= 1 && Number(m[2]) <= 12 ? [`${m[1]}-${m[2]!.padStart(2, '0')}`] : [])));
  return found.size === 1 ? [...found][0]! : null;
}

/**
 * The day a title's 「截至…」 names: 「截至2020年7月24日」, 「截至7月24日」 (the year of the file's
 * month), 「截至2020年7月底」 or 「截至2020年7月」 (the month's last day); null when none or not a real day.
 */
export function statedAsOf(text: string, month: string | null): string | null {
  const m = /截[至止](?:(\d{4})年)?(\d{1,2})月(?:(\d{1,2})[日号]|底|末)?/.exec(normalizeCell(text));
  if (!m) return null;
  const year = m[1] ?? month?.slice(0, 4);
  if (!year) return null;
  const mo = Number(m[2]);
  if (mo < 1 || mo > 12) return null;
  const last = new Date(Date.UTC(Number(year), mo, 0)).getUTCDate();
  const day = m[3] === undefined ? last : Number(m[3]);
  if (day < 1 || day > last) return null;
  return `${year}-${String(mo).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const monthText = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5))}月`;
const nextMonth = (m: string) => {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5));
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

export class PeriodCheck {
  private readonly month: string | null;
  private readonly sink: IssueSink;
  /** the 「截至…」 day of the title (YYYY-MM-DD), the first one found */
  asOf: string | null = null;
  /** the 填报日期 (YYYY-MM-DD), the first one found, in the title lines or under the table */
  filledOn: string | null = null;
  constructor(month: string | null, sink: IssueSink) {
    this.month = month;
    this.sink = sink;
  }

  scanTitle(row: string[], rowNumber: number): void {
    for (let c = 0; c < row.length; c++) {
      const cell = row[c] ?? '';
      if (normalizeCell(cell) === '') continue;
      if (this.readFilledOn(row, c, rowNumber)) continue;
      this.asOf ??= statedAsOf(cell, this.month);
      const stated = statedMonth(cell);
      if (stated && this.month && stated !== this.month) {
        this.sink.error(
          'PERIOD_MISMATCH',
          `标题写明的是${monthText(stated)}（“${clip(cell.trim())}”），但这个文件按${monthText(this.month)}检查（所在的 ${this.month} 文件夹，或 --month ${this.month}）：请核对是哪个月的表——是${monthText(stated)}的，就按 --month ${stated} 导入；否则改正标题`,
          rowNumber,
          c,
        );
      }
    }
  }

  scanFooter(row: string[], rowNumber: number): void {
    for (let c = 0; c < row.length; c++) this.readFilledOn(row, c, rowNumber);
  }

  /** A 填报日期 cell (the date in it, or in the next non-blank cell of the row); true when cell c is one. */
  private readFilledOn(row: string[], c: number, rowNumber: number): boolean {
    const m = FILLED_ON.exec(normalizeCell(row[c] ?? ''));
    if (!m) return false;
    let text = m[2] ?? '';
    let at = c;
    if (text === '') {
      for (let k = c + 1; k < row.length; k++) {
        if (normalizeCell(row[k] ?? '') !== '') {
          text = normalizeCell(row[k]!);
          at = k;
          break;
        }
      }
    }
    const date = parseDate(text.replace(/[日号]$/, '日'));
    if (date.ok && date.value !== null) this.filledOn ??= date.value;
    if (!this.month || !date.ok || date.value === null) return true;
    const filled = date.value.slice(0, 7);
    if (filled < this.month) {
      this.sink.error('PERIOD_MISMATCH', `填报日期是 ${date.value}，早于这个文件所属的${monthText(this.month)}（所在的 ${this.month} 文件夹，或 --month ${this.month}）：${monthText(this.month)}的进展表不可能在此之前填报。请核对是哪个月的表，或改正填报日期`, rowNumber, at);
    } else if (filled > nextMonth(this.month)) {
      this.sink.warn('PERIOD_MISMATCH', `填报日期是 ${date.value}，比这个文件所属的${monthText(this.month)}晚一个多月：如不是补报或更正，请核对是哪个月的表`, rowNumber, at);
    }
    return true;
  }
}
