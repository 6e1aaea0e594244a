/**
 * The ingest snapshot (src/lib/ingest/ingest-cache.ts): reused only for exactly the same input
 * bytes, replaced when the data changes, never written for invalid data.
 */
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestDataDirCached, ingestSummaryCached } from '../../src/lib/ingest/ingest-cache.ts';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { SMALL } from './helpers.ts';

let work: string;
let data: string;
let cache: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-snap-'));
  data = path.join(work, 'data');
  cache = path.join(work, 'cache');
  cpSync(SMALL, data, { recursive: true });
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const snapshots = () => readdirSync(cache).filter((f) => f.endsWith('.v8'));

describe('ingest snapshot', () => {
  it('the second ingest of the same bytes reads the snapshot, and equals a fresh ingest', () => {
    const first = ingestDataDirCached(data, cache);
    expect(first.fromSnapshot).toBe(false);
    expect(first.result.ok).toBe(true);
    const second = ingestDataDirCached(data, cache);
    expect(second.fromSnapshot).toBe(true);
    expect(second.digest).toBe(first.digest);
    expect(second.result).toEqual(ingestDataDir(data));
    expect(snapshots()).toHaveLength(1);
    // read back, records without decreases share one list, which nobody can change
    const none = second.result.progress.filter((r) => r.decreases.length === 0);
    expect(none.length).toBeGreaterThan(1);
    expect(new Set(none.map((r) => r.decreases)).size).toBe(1);
    expect(Object.isFrozen(none[0]!.decreases)).toBe(true);
  });

  it('one changed byte in an export means a new ingest, and the old snapshot is replaced', () => {
    const first = ingestDataDirCached(data, cache);
    const month = readdirSync(path.join(data, 'exports')).sort().at(-1)!;
    const file = readdirSync(path.join(data, 'exports', month), { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.csv'))!;
    appendFileSync(path.join(data, 'exports', month, file), '\r\n');
    const second = ingestDataDirCached(data, cache);
    expect(second.fromSnapshot).toBe(false);
    expect(second.digest).not.toBe(first.digest);
    expect(snapshots()).toHaveLength(1);
    expect(snapshots()[0]).toContain(second.digest);
  });

  it('invalid data is reported every time and never stored', () => {
    writeFileSync(path.join(data, 'registry', 'units.csv'), '这不是单位名录\n');
    const first = ingestDataDirCached(data, cache);
    expect(first.result.ok).toBe(false);
    expect(ingestDataDirCached(data, cache).fromSnapshot).toBe(false);
    const summary = ingestSummaryCached(data, cache);
    expect(summary.ok).toBe(false);
    expect(summary.report).toContain('registry/units.csv');
    expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
  });

  it('the summary carries what the content loader needs, without the records', () => {
    const full = ingestDataDir(data);
    const summary = ingestSummaryCached(data, cache);
    expect(summary.ok).toBe(true);
    expect(summary.months).toEqual(full.months);
    expect(summary.villageCodes).toEqual(full.villages.map((v) => v.code));
    expect(summary.unitCodes).toEqual(full.units.map((u) => u.code));
    expect(summary.warnings).toBe(full.issues.filter((i) => i.severity === 'warning').length);
    expect(JSON.stringify(summary)).not.toContain('"records"');
    expect(ingestSummaryCached(data, cache)).toEqual(summary);
  });
});
