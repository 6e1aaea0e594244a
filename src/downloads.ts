/**
 * The bridge from the site's read model to the open-data files of src/lib/opendata.ts.
 * The site-wide downloads are generated once per build; their endpoints, the data page
 * (sizes) and datapackage.json (bytes, hashes) all read the same bodies.
 */
import { createHash } from 'node:crypto';
import type { PairingView } from './lib/model.ts';
import { dataPackage, downloadFiles, generatedFrom, pairingsTable, progressSources, progressTable, toCsv, toJson, unitsTable, villagesTable, type DownloadFileSpec, type Table } from './lib/opendata.ts';
import { PUBLISH_PERSONAL_NAMES, getDatasetInfo, getSiteModel } from './site-data.ts';
import { formatMonth } from './lib/format.ts';

export interface DownloadFile extends DownloadFileSpec {
  body: string;
  /** size in bytes (UTF-8, BOM included) */
  bytes: number;
  /** data rows (header not counted) */
  rows: number;
}

function render(table: Table, flavour: DownloadFileSpec['flavour'], meta: { synthetic: boolean; generatedFrom: string; title: string }): string {
  return flavour === 'json' ? toJson(table, meta) : toCsv(table, { bom: flavour === 'excel' });
}

let files: Promise<Map<string, DownloadFile>> | null = null;

/** Every file under /downloads/ except datapackage.json, by path relative to /downloads/. */
export function getDownloadFiles(): Promise<Map<string, DownloadFile>> {
  files ??= (async () => {
    const [model, dataset] = await Promise.all([getSiteModel(), getDatasetInfo()]);
    const tables = new Map<string, Table>();
    const tableOf = (f: DownloadFileSpec): Table => {
      const key = `${f.table}:${f.month ?? ''}`;
      let t = tables.get(key);
      if (!t) {
        if (f.table === 'progress') t = progressTable(progressSources(model.pairings, f.month ? [f.month] : undefined));
        else if (f.table === 'villages') t = villagesTable([...model.villages.values()].map((v) => v.village));
        else if (f.table === 'units') t = unitsTable([...model.units.values()].map((u) => u.unit));
        else t = pairingsTable(model.pairings.map((p) => p.pairing), { publishNames: PUBLISH_PERSONAL_NAMES });
        tables.set(key, t);
      }
      return t;
    };
    const exportFiles = (month: string | null) => dataset.files.filter((x) => x.kind === 'export' && (month === null || x.month === month)).length;
    const out = new Map<string, DownloadFile>();
    for (const f of downloadFiles(model.months)) {
      const table = tableOf(f);
      const title = f.table === 'progress' ? `${table.def.title}（${f.month ? formatMonth(f.month) : '全部月份'}）` : table.def.title;
      const from = generatedFrom(f.table, f.month, f.table === 'progress' ? exportFiles(f.month) : undefined);
      const body = render(table, f.flavour, { synthetic: dataset.synthetic, generatedFrom: from, title });
      out.set(f.path, { ...f, body, bytes: Buffer.byteLength(body, 'utf8'), rows: table.rows.length });
    }
    return out;
  })();
  return files;
}

export async function getDataPackageJson(): Promise<string> {
  const [model, dataset, all] = await Promise.all([getSiteModel(), getDatasetInfo(), getDownloadFiles()]);
  const stats = Object.fromEntries(
    [...all.values()].filter((f) => f.flavour === 'csv').map((f) => [f.path, { bytes: f.bytes, hash: `sha256:${createHash('sha256').update(f.body, 'utf8').digest('hex')}` }]),
  );
  return `${JSON.stringify(dataPackage({ synthetic: dataset.synthetic, months: model.months, publishNames: PUBLISH_PERSONAL_NAMES, files: stats }), null, 2)}\n`;
}

/** A download as the endpoint's response. */
export function fileResponse(body: string, contentType: string): Response {
  return new Response(body, { headers: { 'Content-Type': contentType } });
}

// --- "download what you see": one entity's progress rows, all months ------------------

export type EntityKind = 'villages' | 'units' | 'counties' | 'provinces';
export const ENTITY_EXTS = ['csv', 'json'] as const;
export type EntityExt = (typeof ENTITY_EXTS)[number];

async function entity(kind: EntityKind, code: string): Promise<{ title: string; pairings: PairingView[] } | null> {
  const model = await getSiteModel();
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

/** getStaticPaths of `/<kind>/<code>/data.csv|json`. */
export async function entityPaths(kind: EntityKind): Promise<Array<{ params: { code: string; ext: EntityExt } }>> {
  const model = await getSiteModel();
  const codes = [...model[kind].keys()];
  return codes.flatMap((code) => ENTITY_EXTS.map((ext) => ({ params: { code, ext } })));
}

/** The entity's progress rows, all months: CSV in the Excel flavour (BOM), or JSON. */
export async function entityDownload(kind: EntityKind, code: string, ext: string): Promise<Response> {
  const [e, dataset] = await Promise.all([entity(kind, code), getDatasetInfo()]);
  if (!e || (ext !== 'csv' && ext !== 'json')) return new Response(null, { status: 404 });
  const table = progressTable(progressSources(e.pairings));
  if (ext === 'csv') return fileResponse(toCsv(table, { bom: true }), 'text/csv; charset=utf-8');
  const body = toJson(table, { synthetic: dataset.synthetic, generatedFrom: generatedFrom('progress', null), title: `${e.title} · ${table.def.title}（全部月份）` });
  return fileResponse(body, 'application/json; charset=utf-8');
}
