import { describe, expect, it } from 'vitest';
import { heapCapsFor } from '../../src/build/heap-caps.ts';

describe('heap caps from the size of the data', () => {
  it('keeps a programme-scale build well under the 1.5 GB budget and gives the national build its measured ceilings', () => {
    // the shipped sample: 10,276 progress rows; the national sample: 1,188,082
    const programme = heapCapsFor(10_276);
    expect(programme.astro).toBeGreaterThanOrEqual(1024);
    expect(programme.astro).toBeLessThan(1100);
    expect(programme.extras).toBeLessThan(600);
    const national = heapCapsFor(1_188_082);
    expect(national).toEqual({ astro: 2816, extras: 1536, index: 5632 });
  });

  it('grows with the data and never passes the ceilings', () => {
    let last = heapCapsFor(0);
    for (const rows of [1_000, 50_000, 200_000, 500_000, 1_000_000, 5_000_000]) {
      const caps = heapCapsFor(rows);
      expect(caps.astro).toBeGreaterThanOrEqual(last.astro);
      expect(caps.extras).toBeGreaterThanOrEqual(last.extras);
      expect(caps.astro).toBeLessThanOrEqual(2816);
      expect(caps.extras).toBeLessThanOrEqual(1536);
      last = caps;
    }
    expect(heapCapsFor(500_000).astro).toBeGreaterThan(heapCapsFor(10_000).astro + 500);
  });

  it('gives the floors when the row count is missing or not a number', () => {
    for (const rows of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) expect(heapCapsFor(rows)).toEqual({ astro: 1024, extras: 512, index: 5632 });
  });
});
