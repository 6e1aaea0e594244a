/**
 * Sharded builds (issue 34): which shard renders which page. Pure rules, no Node imports.
 *
 * `npm run build -- --shard I/N` (I = 1…N) renders the village and unit pages of its slice,
 * with their data.csv / data.json / series.json; `--shard shared/N` renders everything else
 * (home, provinces, counties and their 附件3 tables, directories, stories, bulletins,
 * sources, /downloads/, the name index). `npm run build -- --merge DIR…` puts them together.
 *
 * The rule is stable from month to month: a village goes by its county (the first six digits
 * of its 12-digit 统计用区划代码), hashed (FNV-1a with a finaliser, 32 bit) modulo N. A unit goes with the county
 * of its paired village with the smallest code, so that a correction of one county mostly
 * touches one shard; a unit without pairings goes by its own code, hashed the same way. Only a
 * change of the registry (a new pairing with a smaller village code) moves a unit.
 */

export type ShardSpec = { kind: 'slice'; index: number; count: number } | { kind: 'shared'; count: number };

/** The largest N accepted (a GitHub Actions matrix holds 256 jobs). */
const MAX_SHARDS = 256;

/** `3/4` → slice 3 of 4; `shared/4` → the shared shard of a 4-shard build; anything else: a Chinese error. */
export function parseShardSpec(text: string): ShardSpec {
  const m = /^(shared|\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`--shard 的值“${text}”无效：应为 I/N（如 2/4，第 2 片，共 4 片）或 shared/N（共用页面的一片）`);
  const count = Number(m[2]);
  if (!Number.isInteger(count) || count < 1 || count > MAX_SHARDS) throw new Error(`--shard ${text}：分片数 N 应在 1 到 ${MAX_SHARDS} 之间`);
  if (m[1] === 'shared') return { kind: 'shared', count };
  const index = Number(m[1]);
  if (index < 1 || index > count) throw new Error(`--shard ${text}：第几片 I 应在 1 到 ${count} 之间`);
  return { kind: 'slice', index, count };
}

/** `3/4` or `shared/4`. */
export function shardName(spec: ShardSpec): string {
  return spec.kind === 'shared' ? `shared/${spec.count}` : `${spec.index}/${spec.count}`;
}

/** Every shard of an N-shard build, the shared one first: `shared/N`, `1/N`, …, `N/N` (the CI matrix, the merge's check). */
export function allShardNames(count: number): string[] {
  return [`shared/${count}`, ...Array.from({ length: count }, (_, i) => `${i + 1}/${count}`)];
}

/**
 * FNV-1a over the UTF-16 code units of `key` (codes are ASCII), then MurmurHash3's 32-bit
 * finaliser: FNV-1a alone leaves the low bits of codes that differ in a few digits alike
 * (two counties of the fixture fell in one slice for every N up to 4).
 */
function shardHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** The slice (1…count) a key goes to. */
export function sliceOfKey(key: string, count: number): number {
  return (shardHash(key) % count) + 1;
}

/** A village's county: the first six digits of its code (the registry checks this, registry.ts). */
function countyOfVillage(villageCode: string): string {
  return villageCode.slice(0, 6);
}

/** The slice of a village page. */
export function villageSlice(villageCode: string, count: number): number {
  return sliceOfKey(countyOfVillage(villageCode), count);
}

/** The slice of a unit page: by the county of its paired village with the smallest code, else by its own code. */
export function unitSlice(unitCode: string, pairedVillageCodes: Iterable<string>, count: number): number {
  let first: string | null = null;
  for (const v of pairedVillageCodes) if (first === null || v < first) first = v;
  return sliceOfKey(first === null ? unitCode : countyOfVillage(first), count);
}

const ENTITY_PAGE = /^\/(villages|units)\/([0-9A-Z]+)\/$/;
const ENTITY_FILE = /^(villages|units)\/([0-9A-Z]+)\//;

/** The village or unit whose page an address is (`/villages/533323101001/`), or null: every other page is the shared shard's. */
export function entityOfPage(pathname: string): { kind: 'villages' | 'units'; code: string } | null {
  const m = ENTITY_PAGE.exec(pathname);
  return m ? { kind: m[1] as 'villages' | 'units', code: m[2]! } : null;
}

/** The village or unit a site file (relative, '/') belongs to (its page and downloads), or null. */
export function entityOfFile(file: string): { kind: 'villages' | 'units'; code: string } | null {
  const m = ENTITY_FILE.exec(file);
  return m ? { kind: m[1] as 'villages' | 'units', code: m[2]! } : null;
}

/**
 * Which pages a shard renders: a slice renders only village and unit pages (its own, chosen
 * in their getStaticPaths), the shared shard every other page. `null`: an unsharded build.
 */
export function rendersPage(spec: ShardSpec | null, pathname: string): boolean {
  if (spec === null) return true;
  return (entityOfPage(pathname) !== null) === (spec.kind === 'slice');
}
