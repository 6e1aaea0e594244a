/**
 * "Download what you see": every village, unit, county and province page links its own
 * progress rows, all months, as `data.csv` (Excel flavour, with BOM) and `data.json`.
 *
 * At national scale these are ~440,000 files. As Astro endpoints each cost about 1 ms of
 * routing and response handling (7 minutes in all); written here, straight from the read
 * model after `astro build`, they cost a fraction of that. Same tables, same bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PairingView, SiteModel } from './model.ts';
import { generatedFrom, progressSources, progressTable, toCsv, toJson } from './opendata.ts';

export const ENTITY_KINDS = ['villages', 'units', 'counties', 'provinces'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];
export const ENTITY_EXTS = ['csv', 'json'] as const;
export type EntityExt = (typeof ENTITY_EXTS)[number];

export interface EntityRows {
  title: string;
  pairings: PairingView[];
}

/** The rows behind one page, and how the JSON names them; null for an unknown code. */
export function entityRows(model: SiteModel, kind: EntityKind, code: string): EntityRows | null {
  if (kind === 'villages') {
    const v = model.villages.get(code);
    return v ? { title: `${v.village.county}${v.village.township}${v.village.name}（村代码 ${code}）`, pairings: v.pairings } : null;
  }
  if (kind === 'units') {
    const u = model.units.get(code);
    return u ? { title: `${u.unit.name}（单位代码 ${code}）`, pairings: u.pairings } : null;
  }
  if (kind === 'counties') {
    const c = model.counties.get(code);
    return c ? { title: `${c.province}${c.prefecture}${c.name}（县代码 ${code}）`, pairings: c.pairings } : null;
  }
  const p = model.provinces.get(code);
  return p ? { title: `${p.name}（省代码 ${code}）`, pairings: p.counties.flatMap((c) => c.pairings) } : null;
}

/** Both files of one entity: CSV in the Excel flavour (BOM), and JSON with its licence and provenance. */
export function entityFiles(rows: EntityRows, synthetic: boolean): Record<EntityExt, string> {
  const table = progressTable(progressSources(rows.pairings));
  return {
    csv: toCsv(table, { bom: true }),
    json: toJson(table, { synthetic, generatedFrom: generatedFrom('progress', null), title: `${rows.title} · ${table.def.title}（全部月份）` }),
  };
}

/** Write every entity's files under `site`; returns how many files were written. */
export function writeEntityDownloads(model: SiteModel, site: string, synthetic: boolean): number {
  let written = 0;
  for (const kind of ENTITY_KINDS) {
    for (const code of model[kind].keys()) {
      const files = entityFiles(entityRows(model, kind, code)!, synthetic);
      const dir = path.join(site, kind, code);
      mkdirSync(dir, { recursive: true });
      for (const ext of ENTITY_EXTS) {
        writeFileSync(path.join(dir, `data.${ext}`), files[ext]);
        written++;
      }
    }
  }
  return written;
}
