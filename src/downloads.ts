/**
 * The bridge from the site's read model to the open-data files of src/lib/opendata.ts.
 * The site-wide downloads are generated once per build; their endpoints, the data page
 * (sizes) and datapackage.json (bytes, hashes) all read the same bodies.
 */
import { createHash } from 'node:crypto';
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

// The per-page downloads (/villages/<code>/data.csv …) are written after the build by
// src/lib/entity-downloads.ts, straight from the read model.
