/**
 * The demo data's publishing record: data/manifest.json as `npm run data:import` would
 * have written it (each month published on the 5th of the next), plus one planted
 * revision (real scale) — a county-level correction of an already published month, with the
 * original copy archived under revisions/ — so the site's corrections are exercised.
 */
import Papa from 'papaparse';
import { sha256, type Manifest } from '../../src/lib/ingest/revisions.ts';
import type { SampleFile } from './generate.ts';

const BOM = [0xef, 0xbb, 0xbf];

function nextMonthFifth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-05` : `${y}-${String(m + 1).padStart(2, '0')}-05`;
}

/** Lower the 资金已到位 figure of the first two data rows: the "before" copy of a revision. */
function earlierVersion(bytes: Uint8Array): Uint8Array | null {
  const text = new TextDecoder('utf-8').decode(bytes.subarray(3));
  const rows = Papa.parse<string[]>(text, { skipEmptyLines: false }).data;
  const header = rows[0] ?? [];
  const col = header.findIndex((h) => h.replace(/\s/g, '').startsWith('资金已到位总投入'));
  if (col < 0) return null;
  let changed = 0;
  for (const row of rows.slice(1, 6)) {
    const cell = (row[col] ?? '').replace(/[,\s]/g, '');
    if (!/^\d+(\.\d{1,2})?$/.test(cell)) continue;
    const cents = Math.round(Number(cell) * 100);
    if (cents < 200) continue;
    const lower = Math.floor((cents * 8) / 10);
    row[col] = `${Math.floor(lower / 100)}.${String(lower % 100).padStart(2, '0')}`;
    if (++changed === 2) break;
  }
  if (changed === 0) return null;
  const body = Papa.unparse(rows.filter((r) => !(r.length === 1 && r[0] === '')), { newline: '\r\n' }) + '\r\n';
  return new Uint8Array([...BOM, ...new TextEncoder().encode(body)]);
}

export function* withPublishing(files: Iterable<SampleFile>, revisionMonth: string | null): Generator<SampleFile> {
  const manifest: Manifest = { published: {}, revisions: [] };
  let archived: SampleFile | null = null;
  for (const f of files) {
    yield f;
    const m = /^exports\/(\d{4}-\d{2})\//.exec(f.path);
    if (!m) continue;
    manifest.published[f.path] = { sha256: sha256(f.bytes), publishedOn: nextMonthFifth(m[1]!) };
    const isFlatUtf8 = /^exports\/\d{4}-\d{2}\/[^/]+\.csv$/.test(f.path) && f.bytes[0] === BOM[0] && f.bytes[1] === BOM[1] && f.bytes[2] === BOM[2];
    if (!archived && revisionMonth && m[1] === revisionMonth && isFlatUtf8) {
      const before = earlierVersion(f.bytes);
      if (before) {
        const date = `${nextMonthFifth(revisionMonth).slice(0, 8)}18`;
        const id = `${date}-1`;
        archived = { path: `revisions/${revisionMonth}/${id}/${f.path.split('/').pop()}`, bytes: before };
        manifest.revisions.push({ id, month: revisionMonth, date, note: '县扶贫办报送更正：资金到位数据（示例）', files: [{ file: f.path, previous: archived.path }] });
      }
    }
  }
  if (archived) yield archived;
  const published = Object.fromEntries(Object.entries(manifest.published).sort(([a], [b]) => a.localeCompare(b, 'en')));
  yield { path: 'manifest.json', bytes: new TextEncoder().encode(JSON.stringify({ published, revisions: manifest.revisions }, null, 2) + '\n') };
}
