/**
 * What a row below the header is: blank, the 合计 row, a repeated header, the legend the
 * template ships (in column A, or its notes under the metric columns), a sign-off line, a
 * blank template row (numbered, or A村, B村 … placeholders), or data. Every row is one of them.
 */
import { normalizeHeader } from '../columns.ts';
import { METRIC_COLUMNS } from '../../metric-catalogue.ts';
import { cellAt, isBlankRow, type SkipReason } from '../read-table.ts';
import { isBlank, normalizeName } from '../cell-values.ts';
import { HEADER_METRICS, metricHeaderCount, type Columns, type FieldId } from './header.ts';
import { SIGN_OFF_OTHER_LABELS, SIGN_OFF_PERSON_LABELS } from './sign-off-labels.ts';

export type RowKind = Exclude<SkipReason, 'title' | 'superseded'> | 'data';

const TOTAL_LABELS = new Set(['合计', '总计', '小计', '合计:', '总计:'].map(normalizeHeader));
const PLACEHOLDER_VILLAGE = /^[A-Z]村$/;
/** The notes under a county table (填表说明 and the like), given the row's normalised text. */
const isLegend = (rowText: string) => /^(注|说明|备注|填表|填报说明)/.test(rowText) || rowText.includes('1:有') || rowText.includes('无计划填零');
/**
 * One note of the template's legend row, which sits under the metric columns: 「1：有 0：无」
 * under each 1/0 column, 「无计划填零」 under the plan columns (附件3 as shipped). No number,
 * flag or name is ever one of these, so a data row cannot be taken for a legend.
 */
const LEGEND_NOTE = /^(1[:：]有[,，;；]?0[:：]无|0[:：]无[,，;；]?1[:：]有|无计划填零|无计划请?填0|(注|说明|备注|填表说明|填报说明)[:：].*)$/;
/** Lines under or above the table that sign it off: who filled it in, when, who checked it. */
const FOOTER_LABEL = new RegExp(`^(${[...SIGN_OFF_OTHER_LABELS, ...SIGN_OFF_PERSON_LABELS].map(normalizeHeader).join('|')})`);

export function rowKind(row: string[], col: Columns): RowKind {
  if (isBlankRow(row)) return 'blank';
  const identityCells = [col.serial, col.villageName, col.unitName, col.villageCode, col.unitCode, col.county, col.township].map((c) => normalizeHeader(cellAt(row, c)));
  const metricsBlank = METRIC_COLUMNS.every((m) => isBlank(cellAt(row, col[m.id as FieldId])));
  if (identityCells.some((c) => TOTAL_LABELS.has(c)) || TOTAL_LABELS.has(normalizeHeader(row[0] ?? ''))) return 'total';
  if (metricHeaderCount(row) >= HEADER_METRICS) return 'header';
  // before the legend: 「填表人：……」 starts like 「填表说明」 but names a person
  if (isFooterRow(row)) return 'footer';
  if (metricsBlank && isLegend(normalizeHeader(row.join('')))) return 'legend';
  if (identityCells.every((c) => c === '' || LEGEND_NOTE.test(c)) && isLegendRow(row)) return 'legend';
  if (metricsBlank && isTemplateRow(row, col)) return 'template';
  return 'data';
}

/** 附件3 ships blank numbered rows (and A村, B村 … placeholders) for counties to fill in: no unit, no village. */
function isTemplateRow(row: string[], col: Columns): boolean {
  const villageText = normalizeName(cellAt(row, col.villageName));
  const hasUnit = !isBlank(cellAt(row, col.unitName)) || !isBlank(cellAt(row, col.unitCode));
  const hasVillage = (villageText !== '' && !PLACEHOLDER_VILLAGE.test(villageText)) || !isBlank(cellAt(row, col.villageCode));
  return !hasUnit && !hasVillage;
}

/** The template's legend row: every non-blank cell is a legend note (and there is one). */
function isLegendRow(row: string[]): boolean {
  let notes = 0;
  for (const cell of row) {
    const n = normalizeHeader(cell);
    if (n === '') continue;
    if (!LEGEND_NOTE.test(n)) return false;
    notes++;
  }
  return notes > 0;
}

/**
 * A sign-off line under (or above) the table, wherever its cells sit: every non-blank cell is a
 * label such as 「填报人：张三」「填报日期：」 or the value right after a label that ends in a
 * colon. A data row has a village, a unit or numbers of its own, so it is never one.
 */
function isFooterRow(row: string[]): boolean {
  let labels = 0;
  let awaitingValue = false;
  for (const cell of row) {
    const n = normalizeHeader(cell);
    if (n === '') continue;
    if (FOOTER_LABEL.test(n)) {
      labels++;
      awaitingValue = /:$/.test(n);
    } else if (awaitingValue) awaitingValue = false;
    else return false;
  }
  return labels > 0;
}
