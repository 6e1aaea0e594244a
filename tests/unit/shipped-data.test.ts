/** The demo data shipped in data/ is valid, accounted for, marked synthetic, and is exactly what `npm run sample -- --scale real` writes. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { generateSample } from '../../tools/sample/generate.ts';

const DATA = path.resolve(import.meta.dirname, '../../data');

describe('shipped demo data (data/)', () => {
  const result = ingestDataDir(DATA);

  it('validates with no errors, and every row is accounted for', () => {
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.rows.rejected).toBe(0);
    expect(result.rows.read).toBe(result.rows.accepted + result.rows.rejected + result.rows.skipped);
  });

  it('has the programme’s size and is marked synthetic', () => {
    expect(result.dataset.synthetic).toBe(true);
    expect(result.villages).toHaveLength(1113);
    expect(new Set(result.villages.map((v) => v.countyCode)).size).toBe(52);
    expect(result.pairings.length).toBeGreaterThan(1200);
    expect(result.months).toEqual(['2020-05', '2020-06', '2020-07', '2020-08', '2020-09', '2020-10', '2020-11', '2020-12']);
    const layouts = new Set(result.files.filter((f) => f.kind === 'export').map((f) => f.layout));
    const encodings = new Set(result.files.map((f) => f.encoding));
    expect([...layouts].sort()).toEqual(['county-table', 'flat']);
    expect(encodings.size).toBeGreaterThanOrEqual(3);
  });

  it('is byte for byte what the generator writes', () => {
    for (const f of generateSample({ scale: 'real' })) {
      expect(Buffer.compare(readFileSync(path.join(DATA, f.path)), Buffer.from(f.bytes)), f.path).toBe(0);
    }
  });
});
