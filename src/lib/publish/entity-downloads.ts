/**
 * "Download what you see": every village, unit, county and province page links its own
 * progress rows, all months, as `data.csv` (Excel flavour, with BOM) and `data.json`.
 *
 * At national scale these are ~440,000 files (664,000 with series.json). As Astro endpoints each would cost about 1 ms of
 * routing and response handling; written here, straight from the read model beside
 * `astro build`, they cost a fraction of that (docs/decisions/0012). Same tables, same bytes.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PairingView, SiteModel } from '../model/read-model.ts';
import { csvPieces, csvText, generatedFrom, jsonPieces, jsonText, rowLines, type JsonMeta } from './opendata/serialise.ts';
import { progressSources, progressTable, tableDef } from './opendata/tables.ts';
import type { ProgressRecord } from '../ingest/records.ts';
import { county3Csv, county3Sources } from './county-month-table.ts';
import { county3Table } from '../render/presentation.ts';
import { entitySeriesOf } from '../model/entity-series.ts';
import { checksumLine } from './checksums.ts';
import { FileSink } from './file-sink.ts';
import { countyMonthTableUrl, entityFileUrl, fileInSite, type EntityFile, type EntityKind } from '../routes.ts';

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

/** Each progress row's CSV and JSON lines, kept while the pages that share its rows are written. */
export type RowLineCache = Map<ProgressRecord, { csv: string; json: string }>;

const PROGRESS_DEF = tableDef('progress', { publishNames: false });

/** Both files of one entity: CSV in the Excel flavour (BOM), and JSON with its licence and provenance. */
export function entityFiles(rows: EntityRows, synthetic: boolean, cache: RowLineCache = new Map()): Record<EntityExt, string> {
  const lines = progressSources(rows.pairings).map((source) => {
    let l = cache.get(source.record);
    if (!l) cache.set(source.record, (l = rowLines(PROGRESS_DEF, progressTable([source]).rows[0]!)));
    return l;
  });
  return {
    csv: csvText(PROGRESS_DEF, lines.map((l) => l.csv), { bom: true }),
    json: jsonText(PROGRESS_DEF, lines.map((l) => l.json), entityJsonMeta(rows, synthetic)),
  };
}

function entityJsonMeta(rows: EntityRows, synthetic: boolean): JsonMeta {
  return { synthetic, generatedFrom: generatedFrom('progress', null), title: `${rows.title} · ${PROGRESS_DEF.title}（全部月份）` };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Write every entity's files under `site`; returns how many files were written. `onHashed`: each
 * file's SHA256SUMS line (checksums.ts) once it is written.
 *
 * A county at a time: its villages, then the county, from one cache of row lines, so each
 * progress row is turned into text once for both. Provinces (a seventh of all rows each at
 * national scale) are written in pieces straight from their table, never as one string, and
 * units on their own. Writes are synchronous: at national scale (664,000 files) promise-based
 * writes spent more than twice the CPU on the same open/write/close, and this step runs beside
 * astro build, whose pages want that CPU. The event loop gets a turn after each county and each
 * 1,000 units, so that the step's GC observer (src/build/build-log.ts) is told of collections as
 * they happen, and a stop signal is not kept waiting.
 * `only`: which entities' files to write (a sharded build writes its own; a county's 附件3
 * month tables go with the county); all by default.
 */
export async function writeEntityDownloads(model: SiteModel, site: string, synthetic: boolean, onHashed?: (sha256sumLine: string) => void, only: (kind: EntityKind, code: string) => boolean = () => true): Promise<number> {
  let written = 0;
  const put = (file: string, data: string | Iterable<string>) => {
    let sha256: string;
    try {
      const sink = new FileSink(file);
      for (const piece of typeof data === 'string' ? [data] : data) sink.write(piece);
      sha256 = sink.close().sha256;
    } catch (e) {
      throw new Error(`写入下载文件 ${file} 失败：${(e as Error).message}`);
    }
    onHashed?.(checksumLine(sha256, path.relative(site, file).split(path.sep).join('/')));
    written++;
  };
  // Each file at its address under the site folder (routes.ts); each folder made once.
  const made = new Set<string>();
  const fileOf = (url: string) => {
    const file = path.join(site, ...fileInSite(url));
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    return file;
  };
  const putEntity = (kind: EntityKind, code: string, which: EntityFile, data: string | Iterable<string>) => put(fileOf(entityFileUrl(kind, code, which)), data);
  const write = (kind: EntityKind, code: string, cache?: RowLineCache) => {
    if (!only(kind, code)) return;
    const files = entityFiles(entityRows(model, kind, code)!, synthetic, cache);
    for (const ext of ENTITY_EXTS) putEntity(kind, code, ext, files[ext]);
    putSeries(kind, code);
  };
  // The month-by-month totals the compare tool draws (entity-series.ts).
  const putSeries = (kind: EntityKind, code: string) => putEntity(kind, code, 'series', JSON.stringify(entitySeriesOf(model, kind, code, synthetic)));
  const seen = { villages: 0, counties: 0 };
  for (const province of model.provinces.values()) {
    for (const county of province.counties) {
      const cache: RowLineCache = new Map();
      for (const v of county.villages) {
        write('villages', v.village.code, cache);
        seen.villages++;
      }
      write('counties', county.code, cache);
      for (const month of only('counties', county.code) ? model.months : []) {
        const totals = county.byMonth.get(month);
        if (!totals || totals.records === 0) continue;
        const table = county3Table(month, county.pairings, totals);
        put(fileOf(countyMonthTableUrl(county.code, month)), county3Csv({ province: county.province, prefecture: county.prefecture, county: county.name }, table, county3Sources(table), synthetic));
      }
      seen.counties++;
      await turn();
    }
    if (!only('provinces', province.code)) continue;
    const rows = entityRows(model, 'provinces', province.code)!;
    const table = progressTable(progressSources(rows.pairings));
    putEntity('provinces', province.code, 'csv', csvPieces(table, { bom: true }));
    putEntity('provinces', province.code, 'json', jsonPieces(table, entityJsonMeta(rows, synthetic)));
    putSeries('provinces', province.code);
  }
  let units = 0;
  for (const code of model.units.keys()) {
    write('units', code);
    if (++units % 1000 === 0) await turn();
  }
  // Every village sits in a county of a province; if the model ever broke that, say so.
  if (seen.villages !== model.villages.size || seen.counties !== model.counties.size) throw new Error(`下载文件：按省、县写出的村 ${seen.villages} 个、县 ${seen.counties} 个，与模型中的 ${model.villages.size}、${model.counties.size} 不符`);
  return written;
}
