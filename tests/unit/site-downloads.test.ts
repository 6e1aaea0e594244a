/**
 * The site-wide open-data files (src/lib/publish/opendata/site-downloads.ts): written row by
 * row into several files at once, they must be byte for byte what serialising each whole
 * table gives (toCsv / toJson over progressTable, villagesTable …), with their sizes, hashes
 * and row counts as written.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { buildSiteModel } from '../../src/lib/model/read-model.ts';
import { downloadFiles, type DownloadFileSpec } from '../../src/lib/publish/opendata/downloads.ts';
import { generatedFrom, toCsv, toJson } from '../../src/lib/publish/opendata/serialise.ts';
import { writeSiteDownloads } from '../../src/lib/publish/opendata/site-downloads.ts';
import { pairingsTable, progressSources, progressTable, unitsTable, villagesTable, type Table } from '../../src/lib/publish/opendata/tables.ts';
import { formatMonth } from '../../src/lib/render/format.ts';

// the shipped data: 8 months, so the all-months files take eight months' rows in turn
const data = ingestDataDir(path.resolve(import.meta.dirname, '../../data'));
const model = buildSiteModel(data);
const dir = mkdtempSync(path.join(tmpdir(), 'site-downloads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exportFiles = (month: string | null) => 10 + (month ? Number(month.slice(5)) : 0);
const publishNames = false;
const written = writeSiteDownloads(
  {
    months: model.months,
    pairings: model.pairings,
    villages: [...model.villages.values()].map((v) => v.village),
    units: [...model.units.values()].map((u) => u.unit),
    synthetic: true,
    publishNames,
    exportFiles,
  },
  dir,
);

/** The file as the whole-table serialisers write it. */
function expected(spec: DownloadFileSpec): { text: string; table: Table } {
  const table =
    spec.table === 'progress'
      ? progressTable(progressSources(model.pairings, spec.month ? [spec.month] : undefined))
      : spec.table === 'villages'
        ? villagesTable([...model.villages.values()].map((v) => v.village))
        : spec.table === 'units'
          ? unitsTable([...model.units.values()].map((u) => u.unit))
          : pairingsTable(model.pairings.map((p) => p.pairing), { publishNames });
  if (spec.flavour !== 'json') return { table, text: toCsv(table, { bom: spec.flavour === 'excel' }) };
  const title = spec.table === 'progress' ? `${table.def.title}（${spec.month ? formatMonth(spec.month) : '全部月份'}）` : undefined;
  const from = generatedFrom(spec.table, spec.month, spec.table === 'progress' ? exportFiles(spec.month) : undefined);
  return { table, text: toJson(table, { synthetic: true, generatedFrom: from, ...(title ? { title } : {}) }) };
}

describe('writeSiteDownloads on the shipped data', () => {
  const specs = downloadFiles(model.months);

  it('writes every download file, in downloadFiles order', () => {
    expect(model.months.length).toBe(8);
    expect([...written.keys()]).toEqual(specs.map((s) => s.path));
  });

  it.each(specs.map((s) => [s.path, s] as const))('%s is what the whole table serialises to, with its size, hash and rows', (_, spec) => {
    const bytes = readFileSync(path.join(dir, spec.path));
    const { text, table } = expected(spec);
    expect(table.rows.length).toBeGreaterThan(0);
    expect(bytes.toString('utf8')).toBe(text);
    expect(written.get(spec.path)).toEqual({ ...spec, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), rows: table.rows.length });
  });

  it('the all-months files hold each month’s rows once, month after month', () => {
    const monthRows = model.months.map((m) => written.get(`progress/${m}.csv`)!.rows);
    const csv = readFileSync(path.join(dir, 'progress/all-excel.csv'), 'utf8');
    expect(csv.startsWith('\ufeff')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1).replace(/\r\n$/, ''), { newline: '\r\n' }).data;
    expect(parsed.length - 1).toBe(monthRows.reduce((a, b) => a + b, 0));
    const json = JSON.parse(readFileSync(path.join(dir, 'progress/all.json'), 'utf8')) as { rows: Array<{ month: string }> };
    expect(json.rows.map((r) => r.month)).toEqual(model.months.flatMap((m, i) => Array<string>(monthRows[i]!).fill(m)));
  });
});
