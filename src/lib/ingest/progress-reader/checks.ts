/**
 * A data row's figures: each metric cell read as its kind (money to integer 元, counts,
 * 1/0 flags), the ratio columns recomputed and compared, a plan of 0 (or 无) with something
 * done, and the 合计 row against the column sums (TotalsTracker).
 */
import { METRIC_COLUMNS, PLAN_PAIRS, metric, sumUnit, type MetricColumn, type ReportedMetricId } from '../../metric-catalogue.ts';
import type { IssueSink } from '../issues.ts';
import { zodIssueText } from '../../zod-messages.ts';
import { metricValuesSchema, type MetricValues } from '../records.ts';
import { cellAt } from '../read-table.ts';
import { isBlank, parseCount, parseFlag, parseMoney, parseRatio, yuanToWanString } from '../cell-values.ts';
import { ratio } from '../../ratio.ts';

/** A metric's column in this file. */
export type MetricIndex = (id: string) => number | undefined;

export function parseMetrics(row: string[], rowNumber: number, metricIndex: MetricIndex, sink: IssueSink, totals: TotalsTracker): MetricValues | null {
  const values: Record<string, number | boolean | null> = {};
  let ok = true;
  for (const m of METRIC_COLUMNS) {
    if (m.kind === 'ratio') continue;
    const index = metricIndex(m.id);
    const cell = cellAt(row, index);
    const r = m.kind === 'money' ? parseMoney(cell) : m.kind === 'count' ? parseCount(cell) : parseFlag(cell);
    if (!r.ok) {
      ok = false;
      totals.poison(m.id);
      sink.error(r.code, `${m.header}：${r.reason}`, rowNumber, index ?? null);
      continue;
    }
    values[m.id] = r.value;
    totals.add(m.id, r.value);
  }
  return ok ? (values as MetricValues) : null;
}

/** The checks of a row whose figures were read: ratios, plan against done, the record's schema. */
export function checkValues(row: string[], rowNumber: number, values: MetricValues, metricIndex: MetricIndex, sink: IssueSink): void {
  checkRatios(row, rowNumber, values, metricIndex, sink);
  checkConsistency(rowNumber, values, metricIndex, sink);
  const z = metricValuesSchema.safeParse(values);
  if (!z.success) for (const issue of z.error.issues) sink.error('BAD_NUMBER', zodIssueText(issue, values, METRIC_HEADERS).message, rowNumber, null);
}

/** Each metric by its 附件3 header, for messages. */
const METRIC_HEADERS: Readonly<Record<string, string>> = Object.fromEntries(METRIC_COLUMNS.map((m) => [m.id, m.header]));

/** Ratios are derived: recompute, and warn where the file's own figure disagrees beyond rounding. */
function checkRatios(row: string[], rowNumber: number, values: MetricValues, metricIndex: MetricIndex, sink: IssueSink): void {
  for (const m of METRIC_COLUMNS) {
    if (m.kind !== 'ratio' || !m.ratioOf) continue;
    const index = metricIndex(m.id);
    if (index === undefined) continue;
    const cell = cellAt(row, index);
    const r = parseRatio(cell);
    if (!r.ok) {
      sink.warn('RATIO_UNREADABLE', `${m.header}：${r.reason}；比例由系统按计划与完成数重新计算`, rowNumber, index);
      continue;
    }
    const plan = values[m.ratioOf.plan] as number | null;
    const done = values[m.ratioOf.done] as number | null;
    if (r.value === null || plan === null || done === null) continue;
    if (plan === 0) {
      if (r.value !== 0) sink.warn('RATIO_MISMATCH', `${m.header}：计划为 0（无计划），比例应为“无计划”，文件填的是 ${cell.trim()}`, rowNumber, index);
      continue;
    }
    const computed = percentOf(plan, done);
    if (computed !== null && ratioDisagrees(r.value, computed)) {
      sink.warn('RATIO_MISMATCH', `${m.header}：文件填 ${cell.trim()}，按计划与完成数计算应为 ${computed.toFixed(2)}%（以计算值为准）`, rowNumber, index);
    }
  }
}

/** The completion percentage by the one ratio rule (ratio.ts); null for 无计划 or 未填报. */
const percentOf = (plan: number, done: number) => {
  const r = ratio(plan, done);
  return r.kind === 'value' ? r.percent : null;
};

/** A file's ratio against the computed percentage: beyond rounding whether the file wrote 49.8 or 0.498. */
const ratioDisagrees = (fileValue: number, computed: number) => Math.abs(fileValue - computed) > 0.5 && Math.abs(fileValue * 100 - computed) > 0.5;

/** A metric's header without its unit, as a message names it: 是否派驻村（1/0） → 是否派驻村. */
const headerName = (id: ReportedMetricId) => metric(id).header.replace(/（[^）]*）$/, '');

function checkConsistency(rowNumber: number, v: MetricValues, metricIndex: MetricIndex, sink: IssueSink): void {
  for (const pair of PLAN_PAIRS) {
    const plan = v[pair.plan];
    const done = v[pair.done];
    if (plan === false && (done === true || (typeof done === 'number' && done > 0))) {
      // a 1/0 plan said 0 (产业扶贫计划 无, 不派驻) yet something was done
      const what = done === true ? `“${headerName(pair.done)}”为 1` : `${headerName(pair.done)}为 ${done}`;
      sink.warn('FLAG_INCONSISTENT', `“${headerName(pair.plan)}”为 0，但${what}`, rowNumber, metricIndex(pair.done) ?? null);
    } else if (plan === 0 && typeof done === 'number' && done > 0) {
      const doneText = sumUnit(pair.done) === '人' ? `${done} 人` : `${yuanToWanString(done)} 万元`;
      sink.warn('DONE_WITHOUT_PLAN', `${pair.subject}计划为 0（无计划），但已完成 ${doneText}：请核对是否漏填计划`, rowNumber, metricIndex(pair.done) ?? null);
    }
  }
}

/** Column sums of the data rows, to verify the 合计 row. */
export class TotalsTracker {
  private sums = new Map<string, number>();
  private poisoned = new Set<string>();
  add(id: string, value: number | boolean | null): void {
    if (value === null) return;
    this.sums.set(id, (this.sums.get(id) ?? 0) + (typeof value === 'boolean' ? (value ? 1 : 0) : value));
  }
  poison(id: string): void {
    this.poisoned.add(id);
  }
  verify(row: string[], rowNumber: number, metricIndex: MetricIndex, sink: IssueSink): void {
    const sum = (id: string) => this.sums.get(id) ?? 0;
    for (const m of METRIC_COLUMNS) {
      const index = metricIndex(m.id);
      if (index === undefined) continue;
      const cell = cellAt(row, index);
      if (isBlank(cell)) continue;
      if (m.kind === 'ratio') {
        checkTotalRatio(m, cell, sum, rowNumber, index, sink);
        continue;
      }
      if (this.poisoned.has(m.id)) continue; // a bad cell above: its own error says so
      const parsed = m.kind === 'money' ? parseMoney(cell) : parseCount(cell);
      if (!parsed.ok || parsed.value === null) {
        sink.error('TOTAL_MISMATCH', `合计行 ${m.header}：${parsed.ok ? '无法读取' : parsed.reason}`, rowNumber, index);
        continue;
      }
      if (parsed.value !== sum(m.id)) {
        const show = (n: number) => (m.kind === 'money' ? `${yuanToWanString(n)} 万元` : String(n));
        sink.error('TOTAL_MISMATCH', `合计行 ${m.header}：填的是 ${show(parsed.value)}，各行之和为 ${show(sum(m.id))}`, rowNumber, index);
      }
    }
  }
}

function checkTotalRatio(m: MetricColumn, cell: string, sum: (id: string) => number, rowNumber: number, index: number, sink: IssueSink): void {
  if (!m.ratioOf) return;
  const r = parseRatio(cell);
  const plan = sum(m.ratioOf.plan);
  if (!r.ok || r.value === null || plan === 0) return;
  const computed = percentOf(plan, sum(m.ratioOf.done));
  if (computed !== null && ratioDisagrees(r.value, computed)) {
    sink.warn('TOTAL_RATIO_MISMATCH', `合计行 ${m.header}：文件填 ${cell.trim()}，按合计计算应为 ${computed.toFixed(2)}%`, rowNumber, index);
  }
}
