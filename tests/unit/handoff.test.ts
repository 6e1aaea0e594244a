/**
 * The build's handoff manifest (src/build/handoff.ts): written once, read through one function,
 * checked against its schema; and the step events beside it, told apart by process.
 */
import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HANDOFF_ENV, handoffShard, readHandoff, stepEventsFile, writeHandoff, type BuildHandoff } from '../../src/build/handoff.ts';
import { readParts, reportRecord } from '../../src/build/build-log.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'gpdzc-handoff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const handoff: BuildHandoff = {
  version: 1,
  outDir: '/srv/site/dist',
  snapshot: '/srv/cache/gpdzc-ingest/data-0123.v8',
  siteDownloads: [
    { path: 'progress/2020-07.csv', file: '2020-07.csv', table: 'progress', month: '2020-07', flavour: 'csv', contentType: 'text/csv; charset=utf-8', bytes: 1234, sha256: 'a'.repeat(64), rows: 12 },
    { path: 'registry/villages.json', file: 'villages.json', table: 'villages', month: null, flavour: 'json', contentType: 'application/json', bytes: 99, sha256: 'b'.repeat(64), rows: 5 },
  ],
  sums: { downloads: '/srv/tmp/written-sums', pages: '/srv/tmp/page-sums' },
  keepOutDir: true,
  concurrency: 4,
  verbose: false,
  shard: null,
};

describe('the handoff manifest', () => {
  it('is read back as written, whole (no temporary file left)', () => {
    const file = path.join(dir, 'handoff.json');
    writeHandoff(file, handoff);
    expect(readHandoff({ [HANDOFF_ENV]: file })).toEqual(handoff);
    expect(readdirSync(dir).filter((f) => f.startsWith('handoff.json.'))).toEqual([]);
  });

  it('is null outside npm run build, and in the step that runs before it is written', () => {
    expect(readHandoff({})).toBeNull();
    expect(readHandoff({ [HANDOFF_ENV]: path.join(dir, 'not-yet.json') })).toBeNull();
  });

  it('is refused, in Chinese and naming the field, when it does not match its schema', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ ...handoff, concurrency: 0 }));
    expect(() => readHandoff({ [HANDOFF_ENV]: file })).toThrow(/交接清单不合格式.*concurrency/);
    expect(() => writeHandoff(path.join(dir, 'bad2.json'), { ...handoff, siteDownloads: [{ ...handoff.siteDownloads[0]!, sha256: 'x' }] })).toThrow();
  });

  it('names a sharded build’s shard and its skipped-pages file (issue 34); unsharded and the merge: none', () => {
    const file = path.join(dir, 'shard.json');
    const sharded: BuildHandoff = { ...handoff, shard: { spec: '2/4', skipped: '/srv/tmp/shard-skipped' } };
    writeHandoff(file, sharded);
    const read = readHandoff({ [HANDOFF_ENV]: file });
    expect(read).toEqual(sharded);
    expect(handoffShard(read)).toEqual({ kind: 'slice', index: 2, count: 4 });
    expect(handoffShard({ ...handoff, shard: { spec: 'shared/4', skipped: 'x' } })).toEqual({ kind: 'shared', count: 4 });
    expect(handoffShard(handoff)).toBeNull();
    expect(handoffShard(null)).toBeNull();
    expect(() => writeHandoff(path.join(dir, 'bad3.json'), { ...handoff, shard: { spec: '5/4', skipped: 'x' } })).toThrow();
  });
});

describe('the step events beside it', () => {
  it('are told apart by the process that reported them (two steps run side by side)', () => {
    const file = path.join(dir, 'events-handoff.json');
    const events = stepEventsFile(file);
    writeFileSync(events, '');
    const before = process.env[HANDOFF_ENV];
    process.env[HANDOFF_ENV] = file;
    try {
      reportRecord({ id: 'mine', name: '本进程', seconds: 1, peakRssMB: null, counts: { files: 3 } });
    } finally {
      if (before === undefined) delete process.env[HANDOFF_ENV];
      else process.env[HANDOFF_ENV] = before;
    }
    appendFileSync(events, `${JSON.stringify({ pid: process.pid + 1, record: { id: 'other', name: '另一步', seconds: 2, peakRssMB: null, counts: {} } })}\n`);
    expect(readParts(events, process.pid).map((p) => p.id)).toEqual(['mine']);
    expect(readParts(events, process.pid + 1).map((p) => p.id)).toEqual(['other']);
    expect(readParts(path.join(dir, 'none'), process.pid)).toEqual([]);
  });
});
