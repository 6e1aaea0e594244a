/** Sharded builds (issue 34): the shard rule over the read model (which entities' downloads a shard writes). */
import { monthsOf, type ModelInput, type SiteModel } from '../model/read-model.ts';
import type { EntityKind } from '../routes.ts';
import { unitSlice, villageSlice, type ShardSpec } from './shard-rule.ts';

/**
 * Whether a shard writes an entity's downloads: a slice its villages and units, the shared
 * shard the counties (with their 附件3 month tables) and provinces; unsharded (null) all.
 */
export function entityInShard(model: SiteModel, spec: ShardSpec | null): (kind: EntityKind, code: string) => boolean {
  if (spec === null) return () => true;
  if (spec.kind === 'shared') return (kind) => kind === 'counties' || kind === 'provinces';
  const { index, count } = spec;
  return (kind, code) => {
    if (kind === 'villages') return villageSlice(code, count) === index;
    if (kind === 'units') return unitSlice(code, (model.units.get(code)?.pairings ?? []).map((p) => p.village.code), count) === index;
    return false;
  };
}

/**
 * The part of the model's input that a slice's pages and downloads are made from: the slice's
 * own villages and units (by the shard rule over the whole input), the pairings of either with
 * their progress, and the partners at the other end of those pairings as registry rows. A
 * partner is there for what the slice's pages show of it (its name, its place); its pairings
 * with others, its page and its files are another slice's. Nationally a unit's villages lie
 * across the country, so the partners are many; their other pairings are not kept.
 * `months`: the nation's months, which the slice's model must show (buildSiteModel's second
 * argument) even where its own records lack one. `namedVillages`: villages the slice's pages
 * name besides those (the places of the stories they list), kept as registry rows.
 */
export function sliceModelInput(input: ModelInput, index: number, count: number, namedVillages: Iterable<string> = []): { input: ModelInput; months: string[]; inSlice: (kind: EntityKind, code: string) => boolean } {
  const villagesOfUnit = new Map<string, string[]>();
  for (const p of input.pairings) {
    const list = villagesOfUnit.get(p.unitCode);
    if (list) list.push(p.villageCode);
    else villagesOfUnit.set(p.unitCode, [p.villageCode]);
  }
  const ownVillages = new Set(input.villages.filter((v) => villageSlice(v.code, count) === index).map((v) => v.code));
  const ownUnits = new Set(input.units.filter((u) => unitSlice(u.code, villagesOfUnit.get(u.code) ?? [], count) === index).map((u) => u.code));
  const pairings = input.pairings.filter((p) => ownVillages.has(p.villageCode) || ownUnits.has(p.unitCode));
  const units = new Set([...ownUnits, ...pairings.map((p) => p.unitCode)]);
  const villages = new Set([...ownVillages, ...namedVillages, ...pairings.map((p) => p.villageCode)]);
  const pairingIds = new Set(pairings.map((p) => p.id));
  return {
    input: {
      villages: input.villages.filter((v) => villages.has(v.code)),
      units: input.units.filter((u) => units.has(u.code)),
      pairings,
      progress: input.progress.filter((r) => pairingIds.has(r.pairingId)),
    },
    months: monthsOf(input.progress),
    inSlice: (kind, code) => (kind === 'villages' ? ownVillages.has(code) : kind === 'units' ? ownUnits.has(code) : false),
  };
}
