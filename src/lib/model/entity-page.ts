/**
 * What the village, unit, county and corrections pages say about an entity beyond its
 * totals (which come from aggregate.ts): the month its data stand at, the funds its
 * agreements promise, how many units or counties it spans, the cumulative figures that went
 * down (shown as corrections), and which months a county reported.
 */
import type { Decrease, ProgressRecord } from '../ingest/records.ts';
import type { Totals } from './aggregate.ts';
import type { PairingView } from './read-model.ts';

/** The latest month any of these pairings reported; null when none has. */
export function latestReportedMonth(pairings: readonly PairingView[]): string | null {
  return pairings.map((p) => p.latest?.month ?? '').sort().at(-1) || null;
}

/** An area's totals for a month it reported in (at least one pairing sent a row); undefined for a month it did not (未上报), or no month. */
export function reportedTotals(byMonth: ReadonlyMap<string, Totals> | undefined, month: string | null): Totals | undefined {
  const t = month ? byMonth?.get(month) : undefined;
  return t && t.records > 0 ? t : undefined;
}

/** A village's own totals card: only where several units help it (with one, the pairing's table says it all), as of its latest reported month. */
export function villageTotalsShown(v: { pairings: readonly PairingView[]; byMonth: ReadonlyMap<string, Totals> }): Totals | undefined {
  const month = latestReportedMonth(v.pairings);
  return month && v.pairings.length > 1 ? v.byMonth.get(month) : undefined;
}

/** The funds the pairings' agreements (附件1) promise, in 元; null when there is no pairing. */
export function pledgedFunds(pairings: readonly PairingView[]): number | null {
  return pairings.length ? pairings.reduce((sum, p) => sum + p.pairing.pledgedFunds, 0) : null;
}

/** How many different units help these pairings' villages. */
export const unitCount = (pairings: readonly PairingView[]) => new Set(pairings.map((p) => p.unit.code)).size;
/** How many different counties these pairings' villages lie in. */
export const countyCount = (pairings: readonly PairingView[]) => new Set(pairings.map((p) => p.village.countyCode)).size;

export interface DecreaseLine {
  pairing: PairingView;
  /** the month whose cumulative figure is lower than the month before */
  record: ProgressRecord;
  decrease: Decrease;
}

/** Every cumulative figure lower than the pairing's previous report, by pairing, then month. */
export function decreasesOf(pairings: readonly PairingView[]): DecreaseLine[] {
  return pairings.flatMap((pairing) => [...pairing.byMonth.values()].flatMap((record) => record.decreases.map((decrease) => ({ pairing, record, decrease }))));
}

/** The programme's months, each marked whether the area reported in it (its 附件3 table exists). */
export function monthsReported(months: readonly string[], reported: readonly string[]): Array<{ month: string; reported: boolean }> {
  const has = new Set(reported);
  return months.map((month) => ({ month, reported: has.has(month) }));
}
