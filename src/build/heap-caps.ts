/**
 * Heap caps (V8's --max-old-space-size, in MB) for the build's steps, from the size of the data.
 *
 * The pages (astro build) and the downloads run side by side, one on each core, and each holds
 * the read model. V8 lets a heap grow towards its cap with garbage before a full collection, so
 * the caps, not the live data, set the resident peak of the process tree. Nationally (about
 * 1.2 million progress rows) astro build keeps up to about 2 GB live and the downloads step about
 * 1.25 GB, hence the ceilings. With those ceilings at programme scale (10,000 rows, 170 MB
 * live) astro build's heap grew to 1.45 GB between three full collections and the tree peaked
 * over the 1.5 GB budget; a cap that grows with the data keeps the heap near what is live and
 * spends less time in GC, not more (docs/decisions/0021-heap-caps-from-data.md).
 *
 * Each cap is a floor (what the code itself needs, with room) plus a share per progress row
 * (what the read model and the pages in flight add), up to the national ceiling. NODE_OPTIONS,
 * when set, overrides them all (scripts/build.ts).
 */
export interface HeapCaps {
  /** astro build */
  astro: number;
  /** the per-page downloads and the name index, beside astro build */
  extras: number;
  /** Pagefind and SHA256SUMS, which run alone and do not hold the read model */
  index: number;
}

/** MB of cap per 1,000 progress rows: about what each process keeps live per row nationally, less its floor. */
const ASTRO = { floor: 1024, perThousandRows: 1.6, ceiling: 2816 };
const EXTRAS = { floor: 512, perThousandRows: 1, ceiling: 1536 };
/** Pagefind and SHA256SUMS: they do not hold the read model, so their cap does not depend on the data. */
export const INDEX_HEAP_MB = 5632;

export function heapCapsFor(progressRows: number): HeapCaps {
  const rows = Number.isFinite(progressRows) && progressRows > 0 ? progressRows : 0;
  const cap = (c: { floor: number; perThousandRows: number; ceiling: number }) => Math.min(c.ceiling, Math.round(c.floor + (rows / 1000) * c.perThousandRows));
  return { astro: cap(ASTRO), extras: cap(EXTRAS), index: INDEX_HEAP_MB };
}

/** The NODE_OPTIONS value for a cap. */
export const heapOption = (mb: number) => `--max-old-space-size=${mb}`;
