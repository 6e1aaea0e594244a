/** The download files: one list for the endpoints, the data page and datapackage.json. */
import type { TableId } from './fields.ts';

// The files: one list for the endpoints, the data page and datapackage.json

export type Flavour = 'csv' | 'excel' | 'json';

export const FLAVOURS: ReadonlyArray<{ id: Flavour; suffix: string; label: string; contentType: string }> = [
  { id: 'excel', suffix: '-excel.csv', label: 'CSV（Excel，带 BOM）', contentType: 'text/csv; charset=utf-8' },
  { id: 'csv', suffix: '.csv', label: 'CSV（UTF-8，无 BOM）', contentType: 'text/csv; charset=utf-8' },
  { id: 'json', suffix: '.json', label: 'JSON', contentType: 'application/json; charset=utf-8' },
];

export interface DownloadFileSpec {
  /** relative to /downloads/, e.g. `progress/2020-07-excel.csv` */
  path: string;
  /** the endpoint's [file] parameter, e.g. `2020-07-excel.csv` */
  file: string;
  table: TableId;
  /** progress: the month, or null for all months; registry tables: null */
  month: string | null;
  flavour: Flavour;
  contentType: string;
}

export const REGISTRY_TABLES: ReadonlyArray<Exclude<TableId, 'progress'>> = ['villages', 'units', 'pairings'];

export function downloadFiles(months: ReadonlyArray<string>): DownloadFileSpec[] {
  const out: DownloadFileSpec[] = [];
  for (const month of [...months, null]) {
    for (const f of FLAVOURS) {
      const file = `${month ?? 'all'}${f.suffix}`;
      out.push({ path: `progress/${file}`, file, table: 'progress', month, flavour: f.id, contentType: f.contentType });
    }
  }
  for (const table of REGISTRY_TABLES) {
    for (const f of FLAVOURS) {
      const file = `${table}${f.suffix}`;
      out.push({ path: `registry/${file}`, file, table, month: null, flavour: f.id, contentType: f.contentType });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
