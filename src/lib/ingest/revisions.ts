/**
 * Published data never changes silently. `data/manifest.json` records, for every export
 * that `npm run data:import` filed, its SHA-256 and publish date, and every revision of
 * a published month: which files it replaced (the old copies are archived under
 * `data/revisions/`) and when. The figures that changed are derived from the files
 * themselves (old copy vs new), so the record cannot drift from the data.
 *
 * It also records the weekly tables a later table of the same county and month superseded
 * when they were imported together (weekly.ts): archived under `data/weekly/`, with their
 * dates and the table that is the month's. They are versions before publication, not
 * corrections: the corrections page does not list them.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { REPORTED_METRIC_IDS, type ReportedMetricId } from '../metric-catalogue.ts';
import type { ExportRecord } from './progress-reader/index.ts';
import { ISO_DATE_PATTERN } from '../patterns.ts';
import { pathUnderProblem } from '../filing/safe-fs.ts';

/**
 * A path the manifest records, which data:import reads, writes or deletes: a plain relative
 * path under DATA_DIR/`top`/, never `..`, an absolute path or a backslash (safe-fs.ts).
 */
const pathUnder = (top: 'exports' | 'revisions' | 'weekly') =>
  z.string().superRefine((p, ctx) => {
    const problem = pathUnderProblem(p, top);
    if (problem) ctx.addIssue({ code: 'custom', message: `路径“${p}”${problem}` });
  });

export const revisionSchema = z.object({
  id: z.string().regex(/^[0-9A-Za-z._-]+$/),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  date: z.string().regex(ISO_DATE_PATTERN),
  note: z.string().optional(),
  /** a mistaken import undone (`data:import --withdraw`): shown as 撤回, not 更正 */
  withdrawal: z.boolean().optional(),
  files: z.array(
    z.object({
      /** path under DATA_DIR of the file as it is now */
      file: pathUnder('exports'),
      /** path under DATA_DIR of the archived previous copy; null when the revision added the file */
      previous: pathUnder('revisions').nullable(),
      /** the revision removed the file (withdrawn): it has no current version */
      removed: z.boolean().optional(),
    }),
  ),
});
export type Revision = z.infer<typeof revisionSchema>;

/** A weekly table superseded by a later one of the same county and month, archived when imported. */
const supersededSchema = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
  /** path under DATA_DIR of the archived table: weekly/YYYY-MM/… */
  file: pathUnder('weekly'),
  /** SHA-256 of the table as received */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** its date (YYYY-MM-DD) or week, and where that comes from: the title's 截至, the 填报日期, the file name */
  date: z.string().regex(ISO_DATE_PATTERN).nullable(),
  week: z.number().int().min(1).max(6).nullable().optional(),
  basis: z.enum(['asOf', 'filledOn', 'fileName', 'week']),
  /** path under DATA_DIR of the month's table that supersedes it */
  supersededBy: pathUnder('exports'),
  /** the day it was imported (and archived) */
  filedOn: z.string().regex(ISO_DATE_PATTERN),
});
export type SupersededVersion = z.infer<typeof supersededSchema>;

export const manifestSchema = z.object({
  published: z.record(pathUnder('exports'), z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), publishedOn: z.string().regex(ISO_DATE_PATTERN) })),
  revisions: z.array(revisionSchema).default([]),
  /** weekly versions superseded before publication (absent: none) */
  superseded: z.array(supersededSchema).optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const EMPTY_MANIFEST: Manifest = { published: {}, revisions: [] };

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface Change {
  pairingId: string;
  villageCode: string;
  unitCode: string;
  kind: 'changed' | 'added' | 'removed';
  /** null for added/removed rows */
  metric: ReportedMetricId | null;
  old: number | boolean | null;
  new: number | boolean | null;
}

export interface RevisionWithChanges extends Revision {
  changes: Change[];
}

/** What changed between two versions of a month's rows for the same files. */
export function diffRecords(before: ReadonlyArray<ExportRecord>, after: ReadonlyArray<ExportRecord>): Change[] {
  const b = new Map(before.map((r) => [r.pairingId, r]));
  const a = new Map(after.map((r) => [r.pairingId, r]));
  const changes: Change[] = [];
  const ids = [...new Set([...b.keys(), ...a.keys()])].sort();
  for (const id of ids) {
    const old = b.get(id);
    const now = a.get(id);
    const ref = (now ?? old)!;
    const base = { pairingId: id, villageCode: ref.villageCode, unitCode: ref.unitCode };
    if (!old) {
      changes.push({ ...base, kind: 'added', metric: null, old: null, new: null });
      continue;
    }
    if (!now) {
      changes.push({ ...base, kind: 'removed', metric: null, old: null, new: null });
      continue;
    }
    for (const metric of REPORTED_METRIC_IDS) {
      if (old.values[metric] !== now.values[metric]) changes.push({ ...base, kind: 'changed', metric, old: old.values[metric], new: now.values[metric] });
    }
  }
  return changes;
}

/**
 * For each revision, the version of a file before it (its archived copy) and after it
 * (the next revision's archived copy of the same file, or the current file).
 */
export function revisionVersions(revisions: ReadonlyArray<Revision>): Array<{ revision: Revision; pairs: Array<{ file: string; before: string | null; after: string | null }> }> {
  const ordered = [...revisions].sort((x, y) => x.date.localeCompare(y.date) || x.id.localeCompare(y.id));
  return ordered.map((revision, i) => ({
    revision,
    pairs: revision.files.map((f) => {
      // the version after this revision: the next one's archived copy, else the file as it is now (none if removed)
      const next = ordered.slice(i + 1).find((r) => r.files.some((g) => g.file === f.file));
      const nextEntry = next?.files.find((g) => g.file === f.file);
      const after = f.removed ? null : nextEntry ? nextEntry.previous : f.file;
      return { file: f.file, before: f.previous, after };
    }),
  }));
}

/** Publish date of a month: the earliest publish date of its files, if the manifest has them. */
export function monthPublishedOn(manifest: Manifest, month: string): string | null {
  const dates = Object.entries(manifest.published)
    .filter(([file]) => file.startsWith(`exports/${month}/`))
    .map(([, v]) => v.publishedOn)
    .sort();
  return dates[0] ?? null;
}

/**
 * The progress records as they were published on `date`: every revision made after that
 * day is undone, newest first (a changed figure takes its old value back, an added row goes
 * away). A row a later revision removed cannot be brought back from the change list (its
 * values are not in it); such revisions are returned in `unrestorable`.
 */
export function recordsAsOf<R extends { month: string; pairingId: string; values: Record<ReportedMetricId, number | boolean | null> }>(
  records: ReadonlyArray<R>,
  revisions: ReadonlyArray<RevisionWithChanges>,
  date: string,
): { records: R[]; undone: RevisionWithChanges[]; unrestorable: RevisionWithChanges[] } {
  const later = revisions.filter((r) => r.date > date).sort((a, b) => b.date.localeCompare(a.date) || b.id.localeCompare(a.id));
  if (later.length === 0) return { records: [...records], undone: [], unrestorable: [] };
  const byKey = new Map<string, R>(records.map((r) => [`${r.month}|${r.pairingId}`, r]));
  const unrestorable: RevisionWithChanges[] = [];
  for (const rev of later) {
    for (const c of rev.changes) {
      const key = `${rev.month}|${c.pairingId}`;
      if (c.kind === 'added') byKey.delete(key);
      else if (c.kind === 'removed') {
        if (!unrestorable.includes(rev)) unrestorable.push(rev);
      } else {
        const r = byKey.get(key);
        if (r && c.metric) byKey.set(key, { ...r, values: { ...r.values, [c.metric]: c.old } });
      }
    }
  }
  return { records: [...byKey.values()], undone: later, unrestorable };
}
