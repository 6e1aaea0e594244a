/**
 * How a correction of published data reads on a page: the caption over its changes
 * (「2020年9月18日更正2020年8月数据（县扶贫办报送更正）」) and each change as a row of
 * 项目, 原数据 and 更正为, whatever its kind (a changed figure, a row sent late, a row taken out).
 */
import { metricLabel } from '../ingest/columns.ts';
import type { Change } from '../ingest/revisions.ts';
import { formatDate, formatMonth } from './format.ts';
import { metricValueText } from './presentation.ts';

/** The caption of one correction's changes, with the correction's note after it in brackets when it has one. */
export function correctionCaption(r: { date: string; month: string; note?: string | null }): string {
  return `${formatDate(r.date)}更正${formatMonth(r.month)}数据${r.note ? `（${r.note}）` : ''}`;
}

/** One change's 项目, 原数据 and 更正为 cells. */
export function changeCells(c: Change): { item: string; before: string; after: string } {
  if (c.kind === 'changed') return { item: metricLabel(c.metric!), before: metricValueText(c.metric!, c.old), after: metricValueText(c.metric!, c.new) };
  if (c.kind === 'added') return { item: '补报', before: '（未上报）', after: '（整行）' };
  return { item: '撤回', before: '（整行）', after: '（删除）' };
}
