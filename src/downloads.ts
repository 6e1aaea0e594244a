/**
 * The bridge from the site's read model to the open-data files of src/lib/publish/opendata.ts.
 * The site-wide downloads (per month and all months; the registry) are written once per
 * build, straight into the output folder's downloads/, piece by piece: at national scale
 * the all-months JSON is close to 1 GB, more than one JavaScript string can hold. The data
 * page (sizes) and datapackage.json (bytes, hashes) read what was written.
 */
import path from 'node:path';
import { dataPackage } from './lib/publish/opendata/datapackage.ts';
import { downloadFiles, type DownloadFileSpec } from './lib/publish/opendata/downloads.ts';
import { csvPieces, writePieces, generatedFrom, jsonPieces } from './lib/publish/opendata/serialise.ts';
import { pairingsTable, progressSources, progressTable, unitsTable, villagesTable, type Table } from './lib/publish/opendata/tables.ts';
import { PUBLISH_PERSONAL_NAMES, getDatasetInfo, getSiteModel } from './site-data.ts';
import { formatMonth } from './lib/render/format.ts';
import { exportFileCount } from './lib/filing/sources.ts';

export interface DownloadFile extends DownloadFileSpec {
  /** size in bytes (UTF-8, BOM included) */
  bytes: number;
  /** sha256 of the file, hex */
  sha256: string;
  /** data rows (header not counted) */
  rows: number;
}

/** Where Astro writes the site (astro.config.mjs reads the same variable). */
const OUT_DIR = path.resolve(process.env.ASTRO_OUT_DIR || 'dist');

let files: Promise<Map<string, DownloadFile>> | null = null;

/** Every file under /downloads/ except datapackage.json, by path relative to /downloads/ (written on first call). */
export function getDownloadFiles(): Promise<Map<string, DownloadFile>> {
  files ??= (async () => {
    const [model, dataset] = await Promise.all([getSiteModel(), getDatasetInfo()]);
    // One table at a time: the flavours of a table are consecutive in downloadFiles().
    let current: { key: string; table: Table } | null = null;
    const tableOf = (f: DownloadFileSpec): Table => {
      const key = `${f.table}:${f.month ?? ''}`;
      if (current?.key === key) return current.table;
      let t: Table;
      if (f.table === 'progress') t = progressTable(progressSources(model.pairings, f.month ? [f.month] : undefined));
      else if (f.table === 'villages') t = villagesTable([...model.villages.values()].map((v) => v.village));
      else if (f.table === 'units') t = unitsTable([...model.units.values()].map((u) => u.unit));
      else t = pairingsTable(model.pairings.map((p) => p.pairing), { publishNames: PUBLISH_PERSONAL_NAMES });
      current = { key, table: t };
      return t;
    };
    const out = new Map<string, DownloadFile>();
    for (const f of downloadFiles(model.months)) {
      const table = tableOf(f);
      const title = f.table === 'progress' ? `${table.def.title}（${f.month ? formatMonth(f.month) : '全部月份'}）` : table.def.title;
      const from = generatedFrom(f.table, f.month, f.table === 'progress' ? exportFileCount(dataset.files, f.month) : undefined);
      const pieces = f.flavour === 'json' ? jsonPieces(table, { synthetic: dataset.synthetic, generatedFrom: from, title }) : csvPieces(table, { bom: f.flavour === 'excel' });
      out.set(f.path, { ...f, ...writePieces(path.join(OUT_DIR, 'downloads', f.path), pieces), rows: table.rows.length });
    }
    return out;
  })();
  return files;
}

export async function getDataPackageJson(): Promise<string> {
  const [model, dataset, all] = await Promise.all([getSiteModel(), getDatasetInfo(), getDownloadFiles()]);
  const stats = Object.fromEntries(
    [...all.values()].filter((f) => f.flavour === 'csv').map((f) => [f.path, { bytes: f.bytes, hash: `sha256:${f.sha256}` }]),
  );
  return `${JSON.stringify(dataPackage({ synthetic: dataset.synthetic, months: model.months, publishNames: PUBLISH_PERSONAL_NAMES, files: stats }), null, 2)}\n`;
}

/** A download as the endpoint's response. */
export function fileResponse(body: string, contentType: string): Response {
  return new Response(body, { headers: { 'Content-Type': contentType } });
}

// The per-page downloads (/villages/<code>/data.csv …) are written after the build by
// src/lib/publish/entity-downloads.ts, straight from the read model.
