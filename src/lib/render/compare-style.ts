/**
 * How the compare chart tells its entities apart, shared by the SVG writer (compare-svg.ts)
 * and the island's HTML legend: a colour (dark enough for 3:1 on white), a symbol shape and,
 * in the ratio view, a dash pattern, so no meaning rests on colour alone. A hollow symbol is
 * a partial month, so no entity has a hollow shape of its own. Plain data: the island's first
 * chunk carries it.
 */
const COMPARE_COLOURS = ['#0b57d0', '#b3261e', '#1a7f37', '#8250df', '#9a6700'] as const;
export const COMPARE_SYMBOLS = ['circle', 'rect', 'triangle', 'diamond', 'triangleDown'] as const;
export type CompareSymbol = (typeof COMPARE_SYMBOLS)[number];
/** Ratio view: one dash per entity (solid first). Amount view: plan dashed, done solid. */
const COMPARE_DASHES = ['', '8 4', '2 3', '8 3 2 3', '14 4'] as const;
export const PLAN_DASH = '6 4';

export const colourOf = (entity: number) => COMPARE_COLOURS[entity % COMPARE_COLOURS.length]!;
export const symbolOf = (entity: number): CompareSymbol => COMPARE_SYMBOLS[entity % COMPARE_SYMBOLS.length]!;
export const dashOf = (entity: number) => COMPARE_DASHES[entity % COMPARE_DASHES.length]!;

/** A symbol's outline as SVG path data, centred on (x, y), radius r. */
export function symbolPath(kind: CompareSymbol, x: number, y: number, r: number): string {
  const f = (v: number) => String(Math.round(v * 10) / 10);
  switch (kind) {
    case 'circle':
      return `M${f(x - r)} ${f(y)}a${f(r)} ${f(r)} 0 1 0 ${f(2 * r)} 0a${f(r)} ${f(r)} 0 1 0 ${f(-2 * r)} 0z`;
    case 'rect': {
      const s = r * 0.9;
      return `M${f(x - s)} ${f(y - s)}h${f(2 * s)}v${f(2 * s)}h${f(-2 * s)}z`;
    }
    case 'triangle':
      return `M${f(x)} ${f(y - r * 1.15)}L${f(x + r * 1.1)} ${f(y + r * 0.85)}H${f(x - r * 1.1)}z`;
    case 'triangleDown':
      return `M${f(x)} ${f(y + r * 1.15)}L${f(x + r * 1.1)} ${f(y - r * 0.85)}H${f(x - r * 1.1)}z`;
    case 'diamond':
      return `M${f(x)} ${f(y - r * 1.2)}L${f(x + r * 1.2)} ${f(y)}L${f(x)} ${f(y + r * 1.2)}L${f(x - r * 1.2)} ${f(y)}z`;
  }
}
