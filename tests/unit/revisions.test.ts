/**
 * revisions.ts: corrections never change published data silently. The shipped revision of
 * 2020年8月 is checked against the two CSVs themselves (archived copy and file as it is,
 * compared cell by cell here); a withdrawal and a correction of a correction are made in
 * memory on the shipped data as `data:import` records them; then the version chain,
 * publish dates and undoing revisions (`recordsAsOf`) edge by edge.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectInput } from '../../src/lib/ingest/ingest-fs.ts';
import { ingest, type IngestInput } from '../../src/lib/ingest/ingest.ts';
import { diffRecords, manifestSchema, monthPublishedOn, recordsAsOf, revisionVersions, sha256, type Change, type Manifest, type Revision, type RevisionWithChanges } from '../../src/lib/ingest/revisions.ts';
import { DATA, REPORTED_HEADERS, cellValue, readFlatExport } from './shipped-cells.ts';

const { input } = collectInput(DATA);
const data = ingest(input);
const IDS = Object.keys(REPORTED_HEADERS) as Array<keyof typeof REPORTED_HEADERS>;
const GUANGXI = 'exports/2020-08/广西壮族自治区.csv';

/** A cell as a record holds it: 元 / count as numbers, 1/0 flags as booleans, blank as null. */
function recordValue(id: keyof typeof REPORTED_HEADERS, row: Record<string, string>): number | boolean | null {
  const v = cellValue(id, row);
  return v === null || REPORTED_HEADERS[id][1] !== 'flag' ? v : v === 1;
}

/** The changes between two versions of a flat export, found from the cells (not from records). */
function cellChanges(beforeFile: string, afterFile: string): Array<Pick<Change, 'pairingId' | 'kind' | 'metric' | 'old' | 'new'>> {
  const key = (r: Record<string, string>) => `${r['村代码']}-${r['单位代码']}`;
  const before = new Map(readFlatExport(path.join(DATA, beforeFile)).map((r) => [key(r), r]));
  const after = new Map(readFlatExport(path.join(DATA, afterFile)).map((r) => [key(r), r]));
  const out: Array<Pick<Change, 'pairingId' | 'kind' | 'metric' | 'old' | 'new'>> = [];
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b) out.push({ pairingId: id, kind: 'added', metric: null, old: null, new: null });
    else for (const m of IDS) if (recordValue(m, b) !== recordValue(m, a)) out.push({ pairingId: id, kind: 'changed', metric: m, old: recordValue(m, b), new: recordValue(m, a) });
  }
  for (const id of before.keys()) if (!after.has(id)) out.push({ pairingId: id, kind: 'removed', metric: null, old: null, new: null });
  return out;
}

const sortChanges = <T extends { pairingId: string; metric: string | null }>(list: T[]) => [...list].sort((a, b) => a.pairingId.localeCompare(b.pairingId) || (a.metric ?? '').localeCompare(b.metric ?? ''));
const strip = (c: Change) => ({ pairingId: c.pairingId, kind: c.kind, metric: c.metric, old: c.old, new: c.new });

describe('the shipped correction of 2020年8月', () => {
  const revision = data.revisions.find((r) => r.id === '2020-09-18-1')!;

  it('is read from the manifest with its archived copy, and the data is valid', () => {
    expect(data.ok).toBe(true);
    expect(revision).toMatchObject({ month: '2020-08', date: '2020-09-18', files: [{ file: GUANGXI, previous: 'revisions/2020-08/2020-09-18-1/广西壮族自治区.csv' }] });
  });

  it('its changes are exactly the cells that differ between the archived copy and the file, in 元', () => {
    const expected = cellChanges(revision.files[0]!.previous!, GUANGXI);
    expect(expected.length).toBeGreaterThan(0);
    expect(sortChanges(revision.changes.map(strip))).toEqual(sortChanges(expected));
    // each change names its village and unit as the CSV row does
    for (const c of revision.changes) expect(c.pairingId).toBe(`${c.villageCode}-${c.unitCode}`);
  });

  it('it was made after the month was published: the month’s publish date is its earliest file’s', () => {
    const published = Object.entries(input.manifest!.published).filter(([f]) => f.startsWith('exports/2020-08/'));
    const earliest = published.map(([, v]) => v.publishedOn).sort()[0]!;
    expect(monthPublishedOn(input.manifest!, '2020-08')).toBe(earliest);
    expect(revision.date > earliest).toBe(true);
  });

  it('undone, the records are those of the archived copy; redone (a date after it), those of today', () => {
    const publishedOn = monthPublishedOn(input.manifest!, '2020-08')!;
    const then = recordsAsOf(data.progress, data.revisions, publishedOn);
    expect(then.undone.map((r) => r.id)).toEqual(['2020-09-18-1']);
    expect(then.unrestorable).toEqual([]);
    const archived = readFlatExport(path.join(DATA, revision.files[0]!.previous!));
    for (const row of archived) {
      const r = then.records.find((x) => x.month === '2020-08' && x.pairingId === `${row['村代码']}-${row['单位代码']}`)!;
      for (const id of IDS) expect(r.values[id], `${r.pairingId} ${id}`).toBe(recordValue(id, row));
    }
    // the revision's own day is after it: nothing undone
    expect(recordsAsOf(data.progress, data.revisions, revision.date).records).toEqual(data.progress);
  });
});

// ------------------------------------------------------ revisions made in memory, as data:import records them

/** The shipped input with one more revision: the month's files replaced as `exports` says, the old copies archived. */
function withRevision(revision: Revision, replace: Map<string, Uint8Array | null>): IngestInput {
  const manifest: Manifest = structuredClone(input.manifest!);
  const archived = new Map(input.archived ?? []);
  for (const f of revision.files) {
    const now = input.exports.find((e) => e.path === f.file);
    if (f.previous && now) archived.set(f.previous, now.bytes);
    const bytes = replace.get(f.file);
    if (bytes) manifest.published[f.file] = { sha256: sha256(bytes), publishedOn: manifest.published[f.file]?.publishedOn ?? revision.date };
    else delete manifest.published[f.file];
  }
  manifest.revisions.push(revision);
  const exports = input.exports.flatMap((e) => (replace.has(e.path) ? (replace.get(e.path) ? [{ ...e, bytes: replace.get(e.path)! }] : []) : [e]));
  return { ...input, exports, manifest, archived, complete: true };
}

describe('a withdrawal (data:import --withdraw) of a whole published file', () => {
  const file = 'exports/2020-12/宁夏回族自治区.csv';
  const revision: Revision = { id: '2021-01-05-1', month: '2020-12', date: '2021-01-05', note: '撤回误导入的数据', withdrawal: true, files: [{ file, previous: `revisions/2020-12/2021-01-05-1/宁夏回族自治区.csv`, removed: true }] };
  const result = ingest(withRevision(revision, new Map([[file, null]])));
  const withdrawn = result.revisions.find((r) => r.id === revision.id)!;
  const rows = readFlatExport(path.join(DATA, file));

  it('is valid data: a removed file is not “missing”, it is recorded', () => {
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(withdrawn.withdrawal).toBe(true);
  });

  it('every row of the withdrawn file is a removed pairing, and its records are gone from the month', () => {
    expect(sortChanges(withdrawn.changes.map(strip))).toEqual(sortChanges(rows.map((r) => ({ pairingId: `${r['村代码']}-${r['单位代码']}`, kind: 'removed' as const, metric: null, old: null, new: null }))));
    expect(result.progress.filter((p) => p.month === '2020-12' && p.villageCode.startsWith('64'))).toEqual([]);
  });

  it('the version chain: before is the archived copy, after is nothing', () => {
    const chain = revisionVersions(result.manifest!.revisions).find((v) => v.revision.id === revision.id)!;
    expect(chain.pairs).toEqual([{ file, before: revision.files[0]!.previous, after: null }]);
  });

  it('a removed row cannot be brought back from the change list: undoing it says so instead of guessing', () => {
    const asOf = recordsAsOf(result.progress, result.revisions, '2021-01-01');
    expect(asOf.unrestorable.map((r) => r.id)).toEqual([revision.id]);
    expect(asOf.records.filter((p) => p.month === '2020-12' && p.villageCode.startsWith('64'))).toEqual([]);
  });
});

describe('a correction of a correction: the 2020年8月 file put back as it was first published', () => {
  const restore: Revision = { id: '2020-10-02-1', month: '2020-08', date: '2020-10-02', note: '恢复原报表', withdrawal: true, files: [{ file: GUANGXI, previous: 'revisions/2020-08/2020-10-02-1/广西壮族自治区.csv' }] };
  const first = input.archived!.get('revisions/2020-08/2020-09-18-1/广西壮族自治区.csv')!;
  const result = ingest(withRevision(restore, new Map([[GUANGXI, first]])));
  const [r1, r2] = ['2020-09-18-1', '2020-10-02-1'].map((id) => result.revisions.find((r) => r.id === id)!);

  it('the first revision still shows what it changed (its “after” is now the second one’s archived copy)', () => {
    expect(result.ok).toBe(true);
    expect(sortChanges(r1!.changes.map(strip))).toEqual(sortChanges(data.revisions[0]!.changes.map(strip)));
    const chain = revisionVersions(result.manifest!.revisions);
    expect(chain.map((c) => c.pairs[0])).toEqual([
      { file: GUANGXI, before: 'revisions/2020-08/2020-09-18-1/广西壮族自治区.csv', after: 'revisions/2020-08/2020-10-02-1/广西壮族自治区.csv' },
      { file: GUANGXI, before: 'revisions/2020-08/2020-10-02-1/广西壮族自治区.csv', after: GUANGXI },
    ]);
  });

  it('the second revision is the first one backwards: each old and new swapped', () => {
    const backwards = data.revisions[0]!.changes.map((c) => ({ ...strip(c), old: c.new, new: c.old }));
    expect(sortChanges(r2!.changes.map(strip))).toEqual(sortChanges(backwards));
  });

  it('as of each date, the records are the version published then', () => {
    const fundsOf = (records: typeof result.progress, pairingId: string) => records.find((r) => r.month === '2020-08' && r.pairingId === pairingId)!.values.fundsDone;
    const c = data.revisions[0]!.changes.find((x) => x.metric === 'fundsDone')!;
    expect(fundsOf(recordsAsOf(result.progress, result.revisions, '2020-09-01').records, c.pairingId)).toBe(c.old);
    expect(fundsOf(recordsAsOf(result.progress, result.revisions, '2020-09-20').records, c.pairingId)).toBe(c.new);
    expect(fundsOf(recordsAsOf(result.progress, result.revisions, '2020-10-02').records, c.pairingId)).toBe(c.old);
  });
});

describe('diffRecords, revisionVersions, recordsAsOf: the edges', () => {
  const records = data.progress.filter((p) => p.source.file === GUANGXI);

  it('the same rows in another order: no change; an added and a dropped row: one each, by pairing', () => {
    expect(diffRecords(records, [...records].reverse())).toEqual([]);
    const [dropped, ...rest] = records;
    const changes = diffRecords(rest, records);
    expect(changes).toEqual([{ pairingId: dropped!.pairingId, villageCode: dropped!.villageCode, unitCode: dropped!.unitCode, kind: 'added', metric: null, old: null, new: null }]);
    expect(diffRecords(records, rest)).toEqual([{ ...changes[0]!, kind: 'removed' }]);
  });

  it('a blank that got a value, and a value that became blank, are changes (未填报 is not 0)', () => {
    const r = records.find((x) => x.values.jobsDone !== null && x.values.jobsDone > 0)!;
    const blank = { ...r, values: { ...r.values, jobsDone: null } };
    expect(diffRecords([r], [blank])).toEqual([{ pairingId: r.pairingId, villageCode: r.villageCode, unitCode: r.unitCode, kind: 'changed', metric: 'jobsDone', old: r.values.jobsDone, new: null }]);
    const zero = { ...r, values: { ...r.values, jobsDone: 0 } };
    expect(diffRecords([blank], [zero]).map((c) => [c.old, c.new])).toEqual([[null, 0]]);
  });

  it('versions are chained by date then id, whatever the order in the manifest; a revision that added a file has no before', () => {
    const revs: Revision[] = [
      { id: '2020-09-20-1', month: '2020-08', date: '2020-09-20', files: [{ file: 'exports/2020-08/a.csv', previous: 'revisions/2020-08/2020-09-20-1/a.csv' }] },
      { id: '2020-09-10-1', month: '2020-08', date: '2020-09-10', files: [{ file: 'exports/2020-08/a.csv', previous: 'revisions/2020-08/2020-09-10-1/a.csv' }, { file: 'exports/2020-08/b.csv', previous: null }] },
    ];
    expect(revisionVersions(revs).map((v) => [v.revision.id, v.pairs])).toEqual([
      [
        '2020-09-10-1',
        [
          { file: 'exports/2020-08/a.csv', before: 'revisions/2020-08/2020-09-10-1/a.csv', after: 'revisions/2020-08/2020-09-20-1/a.csv' },
          { file: 'exports/2020-08/b.csv', before: null, after: 'exports/2020-08/b.csv' },
        ],
      ],
      ['2020-09-20-1', [{ file: 'exports/2020-08/a.csv', before: 'revisions/2020-08/2020-09-20-1/a.csv', after: 'exports/2020-08/a.csv' }]],
    ]);
  });

  it('two revisions of the same figure are undone newest first, back to the value first published; an added row goes away', () => {
    const r = records[0]!;
    const added = records[1]!;
    const a: RevisionWithChanges = { id: 'a', month: '2020-08', date: '2020-09-10', files: [], changes: [{ pairingId: r.pairingId, villageCode: r.villageCode, unitCode: r.unitCode, kind: 'changed', metric: 'salesDone', old: 100, new: 200 }] };
    const b: RevisionWithChanges = {
      id: 'b',
      month: '2020-08',
      date: '2020-09-20',
      files: [],
      changes: [
        { pairingId: r.pairingId, villageCode: r.villageCode, unitCode: r.unitCode, kind: 'changed', metric: 'salesDone', old: 200, new: r.values.salesDone },
        { pairingId: added.pairingId, villageCode: added.villageCode, unitCode: added.unitCode, kind: 'added', metric: null, old: null, new: null },
      ],
    };
    const sales = (date: string) => recordsAsOf(records, [b, a], date).records.find((x) => x.pairingId === r.pairingId)!.values.salesDone;
    expect(sales('2020-09-01')).toBe(100);
    expect(sales('2020-09-15')).toBe(200);
    expect(sales('2020-09-20')).toBe(r.values.salesDone);
    expect(recordsAsOf(records, [b, a], '2020-09-15').records.some((x) => x.pairingId === added.pairingId)).toBe(false);
    expect(recordsAsOf(records, [b, a], '2020-09-15').undone.map((x) => x.id)).toEqual(['b']);
    // a change in another month's data leaves this month's record alone
    const other = { ...a, month: '2020-07' };
    expect(recordsAsOf(records, [other], '2020-09-01').records.find((x) => x.pairingId === r.pairingId)!.values.salesDone).toBe(r.values.salesDone);
  });

  it('a month without filed files has no publish date; 2020-1 is not 2020-10', () => {
    const m: Manifest = { published: { 'exports/2020-10/a.csv': { sha256: '0'.repeat(64), publishedOn: '2020-11-05' } }, revisions: [] };
    expect(monthPublishedOn(m, '2020-10')).toBe('2020-11-05');
    expect(monthPublishedOn(m, '2020-1')).toBeNull();
    expect(monthPublishedOn(m, '2020-09')).toBeNull();
  });
});

describe('the manifest’s schema refuses a hand-edited record that would mislead', () => {
  const good = structuredClone(input.manifest!);
  it('the shipped manifest passes', () => {
    expect(manifestSchema.safeParse(good).success).toBe(true);
  });
  it.each([
    ['a revision id that is a path', (m: Manifest) => (m.revisions[0]!.id = '../../etc')],
    ['a month that does not exist', (m: Manifest) => (m.revisions[0]!.month = '2020-13')],
    ['a date written another way', (m: Manifest) => (m.revisions[0]!.date = '2020/9/18')],
    ['a hash that is not SHA-256', (m: Manifest) => (Object.values(m.published)[0]!.sha256 = 'abc')],
    ['a publish date that is not a date', (m: Manifest) => (Object.values(m.published)[0]!.publishedOn = '九月')],
  ])('%s', (_what, spoil) => {
    const m = structuredClone(good);
    spoil(m);
    expect(manifestSchema.safeParse(m).success).toBe(false);
  });
});
