/**
 * The ingest snapshot (src/lib/ingest/ingest-cache.ts): reused only for exactly the same input
 * bytes, replaced when the data changes, never written for invalid data.
 */
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
    // no snapshot and no summary; only the exports' own readings are kept (below)
    expect(existsSync(cache) ? readdirSync(cache) : []).toEqual(['exports']);
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

describe('each export read once', () => {
  const entriesDir = () => path.join(cache, 'exports', readdirSync(path.join(cache, 'exports'))[0]!);
  const entries = () => new Map(readdirSync(entriesDir()).map((f) => [f, statSync(path.join(entriesDir(), f)).mtimeMs]));
  const exportFiles = () => readdirSync(path.join(data, 'exports'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.csv')).sort();
  const touch = (rel: string) => appendFileSync(path.join(data, 'exports', rel), '\r\n');

  it('a month added: the earlier files are read back, only the new one is read, and the result equals a fresh ingest', () => {
    const files = exportFiles();
    const last = files.filter((f) => f.startsWith(files.at(-1)!.slice(0, 7)));
    const parked = path.join(work, 'parked');
    renameSync(path.join(data, 'exports', last[0]!.slice(0, 7)), parked);
    expect(ingestDataDirCached(data, cache).result.ok).toBe(true);
    const before = entries();
    expect(before.size).toBe(files.length - last.length);
    renameSync(parked, path.join(data, 'exports', last[0]!.slice(0, 7)));
    const added = ingestDataDirCached(data, cache);
    expect(added.fromSnapshot).toBe(false);
    expect(added.result).toEqual(ingestDataDir(data));
    const after = entries();
    expect(after.size).toBe(files.length);
    // the earlier months' entries are the same files, not written again
    for (const [name, mtime] of before) expect(after.get(name), name).toBe(mtime);
  });

  it('the checks across rows still run on read-back files: a duplicate pairing is counted once, not again', () => {
    const [first, second] = exportFiles();
    const text = readFileSync(path.join(data, 'exports', first!), 'utf8').trimEnd().split(/\r?\n/);
    writeFileSync(path.join(data, 'exports', first!), [...text, text[1]!].join('\r\n') + '\r\n');
    const fresh = ingestDataDir(data);
    expect(fresh.issues.some((i) => i.code === 'DUPLICATE_PAIRING')).toBe(true);
    expect(ingestDataDirCached(data, cache).result).toEqual(fresh);
    // another file changes: the first is read back, its counts adjusted once again from its reading
    touch(second!);
    const again = ingestDataDirCached(data, cache);
    expect(again.fromSnapshot).toBe(false);
    expect(again.result).toEqual(ingestDataDir(data));
    expect(again.result.files.find((f) => f.file.endsWith(first!))!.rows).toEqual(fresh.files.find((f) => f.file.endsWith(first!))!.rows);
  });

  it('a changed file is read again and its old entry deleted; a changed registry means every file is read again', () => {
    const files = exportFiles();
    ingestDataDirCached(data, cache);
    const before = entries();
    touch(files[0]!);
    ingestDataDirCached(data, cache);
    const after = entries();
    expect(after.size).toBe(files.length);
    expect([...after.keys()].filter((k) => !before.has(k))).toHaveLength(1);
    appendFileSync(path.join(data, 'registry', 'villages.csv'), '\r\n');
    const registryChanged = ingestDataDirCached(data, cache);
    expect(registryChanged.result).toEqual(ingestDataDir(data));
    const third = entries();
    expect(third.size).toBe(files.length);
    expect([...third.keys()].filter((k) => after.has(k))).toEqual([]);
  });

  it('deletes unused entries only, never another process’s file still being written', () => {
    const files = exportFiles();
    ingestDataDirCached(data, cache);
    const writing = path.join(entriesDir(), `${[...entries().keys()][0]}.4242.tmp`);
    writeFileSync(writing, 'half written');
    touch(files[0]!);
    ingestDataDirCached(data, cache);
    expect(existsSync(writing)).toBe(true);
    expect([...entries().keys()].filter((k) => k.endsWith('.v8'))).toHaveLength(files.length);
  });

  it('an entry that cannot be read back is read afresh, not trusted', () => {
    const files = exportFiles();
    ingestDataDirCached(data, cache);
    for (const name of entries().keys()) writeFileSync(path.join(entriesDir(), name), 'not a v8 value');
    touch(files[0]!);
    const result = ingestDataDirCached(data, cache);
    expect(result.result).toEqual(ingestDataDir(data));
    for (const name of entries().keys()) expect(readFileSync(path.join(entriesDir(), name), 'utf8')).not.toBe('not a v8 value');
  });
});
