/**
 * `target.push(...source)` passes every element as a call argument, and V8 throws
 * `RangeError: Maximum call stack size exceeded` past roughly 100,000 of them (one export of
 * 150,000 rows did). Everything that appends a list of unbounded length goes through here.
 */
export function pushAll<T>(target: T[], source: Iterable<T>): T[] {
  for (const item of source) target.push(item);
  return target;
}
