/**
 * Writing the site-wide open-data files under /downloads/ (every month's progress, all
 * months, the registry tables), each in the three flavours of downloads.ts.
 *
 * Each row is made and serialised once: a month's CSV text goes to its Excel and UTF-8 files
 * and to the all-months files, its JSON lines to its JSON file and the all-months one. The
 * all-months table (1.2 M rows nationally) is never held whole. The bytes are exactly those
 * of csvPieces / jsonPieces over the whole table (tests/unit/site-downloads.test.ts).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { formatMonth } from '../../render/format.ts';
import type { Pairing, ProgressRecord, Unit, Village } from '../../ingest/records.ts';
import { FLAVOURS, REGISTRY_TABLES, downloadFiles, type DownloadFileSpec, type Flavour } from './downloads.ts';
import { csvRowsText, csvHeader, generatedFrom, jsonClose, jsonOpen, jsonRowsText, PIECE_ROWS, type JsonMeta } from './serialise.ts';
import { pairingsTable, progressSources, progressTable, tableDef, unitsTable, villagesTable, type Table } from './tables.ts';
import type { TableId } from './fields.ts';
import type { SiteModel } from '../../model/read-model.ts';
import { exportFileCount } from '../../filing/sources.ts';
import { FileSink } from '../file-sink.ts';

export interface DownloadFile extends DownloadFileSpec {
  /** size in bytes (UTF-8, BOM included) */
  bytes: number;
  /** sha256 of the file, hex */
  sha256: string;
  /** data rows (header not counted) */
  rows: number;
}

export interface SiteDownloadsInput {
  months: ReadonlyArray<string>;
  pairings: Iterable<{ pairing: Pairing; village: Village; unit: Unit; byMonth: ReadonlyMap<string, ProgressRecord> }>;
  villages: Iterable<Village>;
  units: Iterable<Unit>;
  synthetic: boolean;
  /** 驻村人员 in the pairings table */
  publishNames: boolean;
  /** how many received export files a month's rows come from (null: all months), for generated_from */
  exportFiles: (month: string | null) => number;
}

/** The input from the site's read model, the dataset's received files and the names setting. */
export function siteDownloadsInput(model: SiteModel, dataset: { synthetic: boolean; files: ReadonlyArray<{ kind: string; month: string | null }> }, publishNames: boolean): SiteDownloadsInput {
  return {
    months: model.months,
    pairings: model.pairings,
    villages: [...model.villages.values()].map((v) => v.village),
    units: [...model.units.values()].map((u) => u.unit),
    synthetic: dataset.synthetic,
    publishNames,
    exportFiles: (month) => exportFileCount(dataset.files, month),
  };
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const BOM = utf8('\ufeff');

/** One table's three files (Excel CSV, UTF-8 CSV, JSON), written chunk by chunk. */
class TableFiles {
  private readonly specs: ReadonlyArray<DownloadFileSpec>;
  private readonly sinks: Record<Flavour, FileSink>;
  private jsonRows = 0;
  constructor(dir: string, specs: ReadonlyArray<DownloadFileSpec>, def: Table['def'], meta: JsonMeta) {
    this.specs = specs;
    const at = (flavour: Flavour) => {
      const file = path.join(dir, specs.find((s) => s.flavour === flavour)!.path);
      mkdirSync(path.dirname(file), { recursive: true });
      return new FileSink(file);
    };
    this.sinks = { excel: at('excel'), csv: at('csv'), json: at('json') };
    const head = utf8(`${csvHeader(def)}\r\n`);
    this.sinks.excel.write(BOM);
    this.sinks.excel.write(head);
    this.sinks.csv.write(head);
    this.sinks.json.write(jsonOpen(def, meta));
  }
  /** Rows already serialised (csvRowsText, jsonRowsText) by whoever writes them to several tables; the CSV encoded once for all its files. */
  append(csv: Buffer, json: string, rows: number): void {
    if (rows === 0) return;
    this.sinks.excel.write(csv);
    this.sinks.csv.write(csv);
    this.sinks.json.write(`${this.jsonRows === 0 ? '\n' : ',\n'}${json}`);
    this.jsonRows += rows;
  }
  close(): DownloadFile[] {
    this.sinks.json.write(jsonClose(this.jsonRows));
    return this.specs.map((spec) => ({ ...spec, ...this.sinks[spec.flavour].close(), rows: this.jsonRows }));
  }
}

/** Write a table's rows to some tables' files, PIECE_ROWS at a time. */
function appendRows(targets: TableFiles[], table: Table): void {
  for (let i = 0; i < table.rows.length; i += PIECE_ROWS) {
    const rows = table.rows.slice(i, i + PIECE_ROWS);
    const csv = utf8(csvRowsText(table.def, rows));
    const json = jsonRowsText(table.def, rows);
    for (const t of targets) t.append(csv, json, rows.length);
  }
}

/**
 * Every file under /downloads/ except datapackage.json, written into `dir` (the site's
 * downloads/ folder); by path relative to it, in downloadFiles() order.
 */
export function writeSiteDownloads(input: SiteDownloadsInput, dir: string): Map<string, DownloadFile> {
  const files = downloadFiles(input.months);
  const specsOf = (table: TableId, month: string | null) => {
    const specs = files.filter((f) => f.table === table && f.month === month);
    if (specs.length !== FLAVOURS.length) throw new Error(`opendata: ${table} ${month ?? ''} 的下载文件应有 ${FLAVOURS.length} 种格式，实有 ${specs.length} 种`);
    return specs;
  };
  const progressDef = tableDef('progress', { publishNames: input.publishNames });
  const progressFiles = (month: string | null) =>
    new TableFiles(dir, specsOf('progress', month), progressDef, {
      synthetic: input.synthetic,
      generatedFrom: generatedFrom('progress', month, input.exportFiles(month)),
      title: `${progressDef.title}（${month ? formatMonth(month) : '全部月份'}）`,
    });

  const written: DownloadFile[] = [];
  // the all-months files take each month's rows in turn (progressSources orders by month first)
  const all = progressFiles(null);
  const pairings = [...input.pairings];
  for (const month of input.months) {
    const monthFiles = progressFiles(month);
    appendRows([monthFiles, all], progressTable(progressSources(pairings, [month])));
    written.push(...monthFiles.close());
  }
  written.push(...all.close());

  for (const id of REGISTRY_TABLES) {
    const table = id === 'villages' ? villagesTable(input.villages) : id === 'units' ? unitsTable(input.units) : pairingsTable(pairings.map((p) => p.pairing), { publishNames: input.publishNames });
    const files = new TableFiles(dir, specsOf(id, null), table.def, { synthetic: input.synthetic, generatedFrom: generatedFrom(id) });
    appendRows([files], table);
    written.push(...files.close());
  }

  const order = new Map(files.map((f, i) => [f.path, i]));
  return new Map(written.sort((a, b) => order.get(a.path)! - order.get(b.path)!).map((f) => [f.path, f]));
}
