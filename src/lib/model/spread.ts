/**
 * A short list drawn fairly from a long one: at most `n` items, one per key (a village named
 * once even when two of its pairings qualify), taken in turn from each group (county) so
 * that ten names are not ten villages of the first county in code order.
 */
export function spreadPick<T>(items: readonly T[], n: number, key: (item: T) => string, group: (item: T) => string): T[] {
  const seen = new Set<string>();
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    const g = group(item);
    const list = groups.get(g);
    if (list) list.push(item);
    else groups.set(g, [item]);
  }
  const lists = [...groups.values()];
  const out: T[] = [];
  for (let round = 0; out.length < n && lists.some((l) => l.length > round); round++) {
    for (const l of lists) {
      if (out.length >= n) break;
      if (l.length > round) out.push(l[round]!);
    }
  }
  return out;
}
