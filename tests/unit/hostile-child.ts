/**
 * Child process of tests/unit/hostile-workbooks.test.ts: reads one file as the ingest reads an
 * export (the whole check with the fixtures' registry, timed) and prints one JSON line: what
 * came out (the reader's result again, in detail, for a workbook), the time the check took and
 * the process's own peak memory. Run as
 * `node tests/unit/hostile-child.ts FILE EXT`; a V8 crash shows as a non-zero exit and no JSON.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ingest } from '../../src/lib/ingest/ingest.ts';
import { isZip, readWorkbook } from '../../src/lib/ingest/workbook.ts';

const [file, ext] = process.argv.slice(2) as [string, string];
const REGISTRY = path.resolve(import.meta.dirname, '../fixtures/workbooks/registry');
const registry = (name: string) => ({ path: `registry/${name}`, bytes: new Uint8Array(readFileSync(path.join(REGISTRY, name))) });
const bytes = new Uint8Array(readFileSync(file));
const started = performance.now();
const result = ingest({
  villages: registry('villages.csv'),
  units: registry('units.csv'),
  pairings: registry('pairings.csv'),
  exports: [{ path: `exports/2020-07/云南省/怒江傈僳族自治州/福贡县.${ext}`, bytes, month: '2020-07' }],
});
const ms = Math.round(performance.now() - started);
// What the reader made of a workbook, in detail: read again after the timing.
let workbook: unknown = null;
if (isZip(bytes)) {
  const r = readWorkbook(bytes);
  workbook = r.ok ? { ok: true, sheets: r.sheets.map((s) => ({ name: s.name, rows: s.rows.length, columns: Math.max(0, ...s.rows.map((x) => x.length)), head: s.rows.slice(0, 3), problems: s.problems.length })) } : r;
}
const errors = result.issues.filter((i) => i.severity === 'error').slice(0, 3).map((i) => `${i.code} ${i.message}`);
const usage = process.resourceUsage();
const cpuMs = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
process.stdout.write(`${JSON.stringify({ ms, cpuMs, maxRssMB: Math.round(usage.maxRSS / 1024), workbook, errors })}\n`);
