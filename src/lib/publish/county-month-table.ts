/**
 * The county-month 附件3 table as a file people can open in Excel: the same rows, 合计 and
 * source as the page (src/pages/counties/[code]/[month].astro), in the template's layout
 * (title line, group row, metric row). Written beside the page as `table.csv` (routes.ts) by
 * entity-downloads.ts, and linked from the page together with its previous/next months.
 */
import { MEASURES, METRIC_COLUMNS } from '../metric-catalogue.ts';
import { formatMonth } from '../render/format.ts';
import { csvDocument, csvNumber, type CsvCell } from '../csv-field.ts';
import type { Table3 } from '../render/presentation.ts';

/** "1,000.5" → the number 1000.5, so a spreadsheet reads a number; other text (未填报, 49.8%, 无计划) as shown, formula-safe. */
const plain = (cell: string): CsvCell => (/^-?[\d,]+(\.\d+)?$/.test(cell) ? csvNumber(cell.replaceAll(',', '')) : cell);

export interface CountyTableLabel {
  province: string;
  prefecture: string;
  county: string;
}

/** The 附件3 header's group row: each measure's group name over its metric columns. */
export function county3Groups(): Array<{ name: string; span: number }> {
  return MEASURES.map((m) => ({ name: m.group, span: METRIC_COLUMNS.filter((c) => c.measure === m.id).length }));
}

/** The received files the table's rows come from, each once, in row order. */
export function county3Sources(table: Table3): string[] {
  return [...new Set(table.rows.flatMap((r) => (r.source ? [r.source.file] : [])))];
}

/** CSV (UTF-8 with BOM, CRLF) of one county's 附件3 table for one month. */
export function county3Csv(label: CountyTableLabel, table: Table3, sources: readonly string[], synthetic: boolean): string {
  const width = 3 + METRIC_COLUMNS.length;
  const pad = (cells: CsvCell[]) => [...cells, ...Array<CsvCell>(Math.max(0, width - cells.length)).fill('')];
  const groupRow: CsvCell[] = ['序号', '帮扶村', '结对帮扶单位'];
  for (const g of county3Groups()) groupRow.push(g.name, ...Array<string>(g.span - 1).fill(''));
  const rows: CsvCell[][] = [
    pad([`${label.county}社会力量助力挂牌督战村项目结对帮扶项目进展统计表（截至${formatMonth(table.month)}底，累计）`]),
    pad([`${label.province}${label.prefecture}${label.county} · 金额单位：万元${synthetic ? ' · 示例数据（虚构）' : ''}`]),
    groupRow,
    ['', '', '', ...METRIC_COLUMNS.map((c) => c.header)],
    ...table.rows.map((r) => [r.serial, r.villageName, r.unitName, ...(r.cells ? r.cells.map(plain) : pad(['本月未上报']).slice(0, METRIC_COLUMNS.length))]),
    ['合计', '', '', ...table.total.map(plain)],
    pad(['说明：1 表示有，0 表示无；计划为 0 的完成比例记为“无计划”；“未填报”不计入合计；合计只计本月已上报的结对。']),
    pad([`来源：${sources.join('、')}`]),
  ];
  return csvDocument(rows, { bom: true });
}

/** A CSS string literal safe inside an inline <style>: quotes, backslashes, <, > and line breaks escaped. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/[<>\r\n]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

/**
 * The print rules of one county-month page: landscape A4 with the table's title at the top
 * of every sheet, and its month, source and page number at the bottom (CSS page margin
 * boxes; the column headers repeat as the table's <thead>).
 */
export function county3PrintCss(title: string, footer: string): string {
  return `@media print{@page{size:A4 landscape;margin:12mm 8mm 12mm;@top-left{content:${cssString(title)};font-size:8pt}@bottom-left{content:${cssString(footer)};font-size:7pt}@bottom-right{content:"第 " counter(page) " / " counter(pages) " 页";font-size:7pt}}}`;
}
