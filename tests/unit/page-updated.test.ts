/**
 * page-updated.ts: a village, unit or county page says when ITS data was last published or
 * corrected — the publication of the months it shows and the corrections that touched its
 * records — never an older date than a correction it lists, and a correction of another
 * county leaves it alone. Checked edge by edge, then on the shipped data with one more
 * correction of one county's rows made as data:import records it.
 */
import { describe, expect, it } from 'vitest';
import { collectInput } from '../../src/lib/ingest/ingest-fs.ts';
import { ingest } from '../../src/lib/ingest/ingest.ts';
import { monthPublishedOn, type Change, type RevisionWithChanges } from '../../src/lib/ingest/revisions.ts';
import { buildSiteModel } from '../../src/lib/model/read-model.ts';
import { dataUpdatedOn } from '../../src/lib/model/entity-summary.ts';
import { correctionsByEntity, pageUpdatedOn } from '../../src/lib/model/page-updated.ts';
import { DATA } from './shipped-cells.ts';

const PUBLISHED = { '2020-06': '2020-07-05', '2020-07': '2020-08-06', '2020-08': '2020-09-04' };

function change(villageCode: string, unitCode: string, metric: Change['metric'] = 'fundsDone'): Change {
  return { pairingId: `${villageCode}-${unitCode}`, villageCode, unitCode, kind: 'changed', metric, old: 1, new: 2 };
}
function revision(id: string, month: string, date: string, changes: Change[]): RevisionWithChanges {
  return { id, month, date, files: [{ file: `exports/${month}/x.csv`, previous: `revisions/${month}/${id}/x.csv` }], changes };
}

describe('pageUpdatedOn', () => {
  it('without corrections: the publication of the newest month shown, and that month as "through"', () => {
    expect(pageUpdatedOn(PUBLISHED, ['2020-06', '2020-07', '2020-08'], [])).toEqual({ on: '2020-09-04', through: '2020-08' });
  });

  it('a correction that touched the page, filed after the last publication, is its date', () => {
    expect(pageUpdatedOn(PUBLISHED, ['2020-06', '2020-07', '2020-08'], [{ date: '2020-09-18' }]).on).toBe('2020-09-18');
  });

  it('a correction older than the newest publication does not pull the date back', () => {
    expect(pageUpdatedOn(PUBLISHED, ['2020-06', '2020-07', '2020-08'], [{ date: '2020-07-20' }]).on).toBe('2020-09-04');
  });

  it('a month the page does not show does not count (a 附件3 page of June ignores July and August)', () => {
    expect(pageUpdatedOn(PUBLISHED, ['2020-06'], [])).toEqual({ on: '2020-07-05', through: '2020-06' });
  });

  it('a shown month published later than a newer one (imported out of order) counts', () => {
    expect(pageUpdatedOn({ ...PUBLISHED, '2020-06': '2020-10-01' }, ['2020-06', '2020-07', '2020-08'], []).on).toBe('2020-10-01');
  });

  it('nothing filed with data:import: no date, only the month; a date that is not ISO is not taken', () => {
    expect(pageUpdatedOn({ '2020-06': null, '2020-07': null }, ['2020-06', '2020-07'], [])).toEqual({ on: null, through: '2020-07' });
    expect(pageUpdatedOn({}, ['2020-06'], [{ date: '2020年9月' }]).on).toBeNull();
    expect(pageUpdatedOn(PUBLISHED, [], [])).toEqual({ on: null, through: null });
  });
});

describe('correctionsByEntity', () => {
  const a = revision('2020-09-18-1', '2020-08', '2020-09-18', [change('450225001200', 'U1'), change('450225001201', 'U2'), change('520525001001', 'U1')]);
  const b = revision('2020-10-02-1', '2020-08', '2020-10-02', [change('520525001001', 'U2', 'jobsDone')]);

  it('each village gets the revisions that touched it, with only its own changes, oldest first', () => {
    const byVillage = correctionsByEntity([a, b], (c) => c.villageCode);
    expect(byVillage.get('450225001200')!.map((r) => [r.id, r.changes.length])).toEqual([['2020-09-18-1', 1]]);
    expect(byVillage.get('520525001001')!.map((r) => r.id)).toEqual(['2020-09-18-1', '2020-10-02-1']);
    expect(byVillage.get('520525001001')![0]!.changes).toEqual([change('520525001001', 'U1')]);
    expect(byVillage.has('450225001202')).toBe(false);
  });

  it('by unit and by county: a revision touching two counties is listed under each, with that county’s changes', () => {
    const byUnit = correctionsByEntity([a, b], (c) => c.unitCode);
    expect(byUnit.get('U1')!.map((r) => r.changes.map((c) => c.villageCode))).toEqual([['450225001200', '520525001001']]);
    const byCounty = correctionsByEntity([a, b], (c) => c.villageCode.slice(0, 6));
    expect(byCounty.get('450225')!.map((r) => [r.id, r.changes.length])).toEqual([['2020-09-18-1', 2]]);
    expect(byCounty.get('520525')!.map((r) => r.id)).toEqual(['2020-09-18-1', '2020-10-02-1']);
    // the revision itself (files, note, date) is kept as recorded
    expect(byCounty.get('450225')![0]!.files).toEqual(a.files);
  });
});

describe('on the shipped data, with one county corrected after the last publication', () => {
  const { input } = collectInput(DATA);
  const data = ingest(input);
  const model = buildSiteModel(data);
  const publishedOn = Object.fromEntries(model.months.map((m) => [m, monthPublishedOn(data.manifest!, m)]));
  const lastPublished = dataUpdatedOn(publishedOn, []);
  // a correction of one county's rows of a published month, dated after everything, as data:import records it
  const county = [...model.counties.values()].find((c) => c.pairings.length >= 2)!;
  const corrected = county.pairings.slice(0, 2);
  const late = revision('2099-01-02-1', model.months[1]!, '2099-01-02', corrected.map((p) => change(p.village.code, p.unit.code)));
  const revisions = [...data.revisions, late];
  const byVillage = correctionsByEntity(revisions, (c) => c.villageCode);
  const byUnit = correctionsByEntity(revisions, (c) => c.unitCode);
  const byCounty = correctionsByEntity(revisions, (c) => model.villages.get(c.villageCode)!.village.countyCode);

  it('the shipped data has its publication dates and its own correction', () => {
    expect(lastPublished).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(data.revisions.length).toBeGreaterThan(0);
  });

  it('no village, unit or county page gives a date older than a correction it lists or than its newest month', () => {
    for (const [field, views, by] of [
      ['village', model.villages, byVillage],
      ['unit', model.units, byUnit],
      ['county', model.counties, byCounty],
    ] as const) {
      for (const code of views.keys()) {
        const listed = by.get(code) ?? [];
        const { on, through } = pageUpdatedOn(publishedOn, model.months, listed);
        expect(through, `${field} ${code}`).toBe(model.latestMonth);
        for (const r of listed) expect(on! >= r.date, `${field} ${code}: ${on} < ${r.date}`).toBe(true);
        expect(on! >= publishedOn[model.latestMonth!]!, `${field} ${code}`).toBe(true);
      }
    }
  });

  it('only the corrected villages, their units and their county take the correction’s date; every other page keeps its own', () => {
    const dated = (views: ReadonlyMap<string, unknown>, by: Map<string, RevisionWithChanges[]>) =>
      [...views.keys()].filter((code) => pageUpdatedOn(publishedOn, model.months, by.get(code) ?? []).on === '2099-01-02').sort();
    expect(dated(model.villages, byVillage)).toEqual([...new Set(corrected.map((p) => p.village.code))].sort());
    expect(dated(model.units, byUnit)).toEqual([...new Set(corrected.map((p) => p.unit.code))].sort());
    expect(dated(model.counties, byCounty)).toEqual([county.code]);
    // a village of another county: the latest publication, or its own older correction
    const other = [...model.villages.values()].find((v) => v.village.countyCode !== county.code && !byVillage.has(v.village.code))!;
    expect(pageUpdatedOn(publishedOn, model.months, byVillage.get(other.village.code) ?? []).on).toBe(lastPublished);
  });

  it('a county’s 附件3 page of a month takes only that month’s corrections of that county', () => {
    const mine = byCounty.get(county.code)!;
    expect(pageUpdatedOn(publishedOn, [late.month], mine.filter((r) => r.month === late.month)).on).toBe('2099-01-02');
    const otherMonth = model.months.find((m) => m !== late.month && !mine.some((r) => r.month === m))!;
    expect(pageUpdatedOn(publishedOn, [otherMonth], mine.filter((r) => r.month === otherMonth)).on).toBe(publishedOn[otherMonth]);
  });
});
