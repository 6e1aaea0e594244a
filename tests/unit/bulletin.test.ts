/**
 * bulletin.ts, the monthly bulletin (月度通报), on the shipped data: each fact it states —
 * national figures and their change, the province table, completed plans, counties that did
 * not report, the five largest gains, pairings that reached their funds plan, cumulative
 * decreases, the corrections it lists — is computed here again from the progress records
 * and the registry CSV with plain loops (no aggregate.ts), and its text is checked as a
 * reader sees it. Then hostile months: a province that sent nothing, a bulletin with no
 * publish dates, a month that did not exist.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBulletin, buildPublishedBulletin, bulletinTitle, type Bulletin } from '../../src/lib/model/bulletin.ts';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { buildSiteModel, type SiteModel } from '../../src/lib/model/read-model.ts';
import { monthPublishedOn, recordsAsOf } from '../../src/lib/ingest/revisions.ts';
import type { ProgressRecord } from '../../src/lib/ingest/records.ts';
import { DATA, readRegistry } from './shipped-cells.ts';

/** A province row's cell by the metric of its column. */
const provinceCell = (b: Bulletin, p: Bulletin['provinces'][number], key: string) => p.cells[b.provinceColumns.findIndex((c) => c.key === key)];

const data = ingestDataDir(DATA);
const model = buildSiteModel(data);
const publishedOn = (m: string) => monthPublishedOn(data.manifest!, m);
const bulletins = new Map(model.months.map((m) => [m, buildBulletin(model, m, publishedOn, data.revisions)]));

// ------------------------------------------------------------------ the reference, by hand

const registryPairings = readRegistry('pairings').map((r) => ({ id: `${r['村代码']}-${r['单位代码']}`, village: r['村代码']!, unit: r['单位代码']! }));
const registryVillages = readRegistry('villages');
const byMonthAndPairing = new Map(data.progress.map((p) => [`${p.month}|${p.pairingId}`, p]));
const recordsOf = (month: string) => data.progress.filter((p) => p.month === month);
const recordOf = (month: string, pairingId: string) => byMonthAndPairing.get(`${month}|${pairingId}`);

/** A sum as a reader must see it: value, and whether someone is missing from it. */
function sumOf(pairingIds: string[], month: string, metric: keyof ProgressRecord['values']) {
  let value: number | null = null;
  let missing = 0;
  for (const id of pairingIds) {
    const r = recordOf(month, id);
    const v = r?.values[metric];
    if (v === undefined || v === null) missing++;
    else value = (value ?? 0) + Number(v);
  }
  return { value, missing };
}

/** 万元 text of integer 元: 2 decimals at least, up to 4, thousands separated, no-break space before the unit. */
const wan = (yuan: number) => `${(yuan / 10_000).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}\u00a0万元`;
const people = (n: number) => `${n.toLocaleString('en-US')}\u00a0人`;

const allIds = registryPairings.map((p) => p.id);
const FIGURES = [
  ['fundsDone', '资金已到位', wan],
  ['materialsDone', '物资已到位', wan],
  ['salesDone', '已完成销售', wan],
  ['jobsDone', '已解决就业', people],
  ['trainingDone', '已完成培训', people],
  ['stationedCount', '已驻村人数', people],
] as const;

describe('the national figures of every month', () => {
  it.each(model.months)('%s: each figure is the sum over every registered pairing, written with its unit; partial when one is missing', (month) => {
    const b = bulletins.get(month)!;
    expect(b.registered).toBe(registryPairings.length);
    expect(b.reported).toBe(recordsOf(month).length);
    expect(b.figures.map((f) => [f.key, f.label])).toEqual(FIGURES.map(([k, l]) => [k, l]));
    for (const [key, , text] of FIGURES) {
      const f = b.figures.find((x) => x.key === key)!;
      const s = sumOf(allIds, month, key);
      expect(f.raw, `${month} ${key}`).toBe(s.value);
      expect(f.partial).toBe(s.value !== null && s.missing > 0);
      expect(f.value).toBe(s.value === null ? '未填报' : `${text(s.value)}${f.partial ? '（部分合计）' : ''}`);
      if (f.partial) expect(f.partialNote).toMatch(/^(\d+\u00a0个结对未填报)?(、)?(\d+\u00a0个结对未上报)?$/);
    }
  });

  it.each(model.months.slice(1))('%s: the change since last month is the difference of the two sums, signed, and says when a sum is partial', (month) => {
    const b = bulletins.get(month)!;
    const prev = b.previousMonth!;
    for (const [key, , text] of FIGURES) {
      const f = b.figures.find((x) => x.key === key)!;
      const now = sumOf(allIds, month, key);
      const before = sumOf(allIds, prev, key);
      if (now.value === null || before.value === null) {
        expect(f.delta).toBeNull();
        continue;
      }
      const d = now.value - before.value;
      expect(f.deltaRaw, `${month} ${key}`).toBe(d);
      const partial = now.missing > 0 || before.missing > 0;
      expect(f.delta).toBe(`${d >= 0 ? '+' : '−'}${text(Math.abs(d))}${partial ? '（部分合计之差）' : ''}`);
    }
  });

  it('the first month has no previous month and no change; the last has no next', () => {
    const first = bulletins.get(model.months[0]!)!;
    expect(first.previousMonth).toBeNull();
    expect(first.figures.every((f) => f.delta === null && f.deltaRaw === null)).toBe(true);
    expect(first.notable).toEqual([]);
    expect(first.reachedPlan).toEqual([]);
    expect(bulletins.get(model.months.at(-1)!)!.nextMonth).toBeNull();
    expect(bulletins.get('2020-08')!).toMatchObject({ previousMonth: '2020-07', nextMonth: '2020-09' });
  });

  it('its title names the month in Chinese', () => {
    expect(bulletinTitle('2020-08')).toBe('2020年8月帮扶项目进展通报');
    expect(bulletinTitle('2020-12')).toBe('2020年12月帮扶项目进展通报');
  });
});

describe('the tables of the bulletin', () => {
  const provinceOf = new Map(registryVillages.map((v) => [v['村代码']!, v['省']!]));

  it.each(model.months)('%s: one row per province: pairings reported of registered, 资金已到位 without its unit', (month) => {
    const b = bulletins.get(month)!;
    const names = [...new Set(registryVillages.map((v) => v['省']!))];
    expect(b.provinces.map((p) => p.name).sort()).toEqual(names.sort());
    for (const p of b.provinces) {
      const ids = registryPairings.filter((x) => provinceOf.get(x.village) === p.name).map((x) => x.id);
      expect(p.registered, p.name).toBe(ids.length);
      expect(p.reported, p.name).toBe(recordsOf(month).filter((r) => ids.includes(r.pairingId)).length);
      const s = sumOf(ids, month, 'fundsDone');
      const partial = s.value !== null && s.missing > 0;
      if (s.value === null) expect(provinceCell(b, p, 'fundsDone')).toBe(p.reported === 0 ? '未上报' : '未填报');
      else if (!partial) expect(provinceCell(b, p, 'fundsDone'), `${month} ${p.name}`).toBe(wan(s.value).replace('\u00a0万元', ''));
      else expect(provinceCell(b, p, 'fundsDone'), `${month} ${p.name}`).toMatch(new RegExp(`^${wan(s.value).replace('\u00a0万元', '')}（部分合计：.*个结对未(填|上)报.*，未计入）$`));
    }
  });

  it.each(model.months)('%s: completed plans: pairings with a plan (> 0, or 有), those whose done reached it, those that left done blank', (month) => {
    const b = bulletins.get(month)!;
    // in 附件3's column order
    const pairs = [
      ['资金投入计划', 'fundsPlan', 'fundsDone'],
      ['物资投入计划', 'materialsPlan', 'materialsDone'],
      ['产业扶贫计划', 'hasIndustryPlan', 'industryPlanDone'],
      ['销售计划', 'salesPlan', 'salesDone'],
      ['就业计划', 'jobsPlan', 'jobsDone'],
      ['培训计划', 'trainingPlan', 'trainingDone'],
    ] as const;
    expect(b.completed.map((c) => c.label)).toEqual(pairs.map((p) => p[0]));
    for (const [label, plan, done] of pairs) {
      const rows = recordsOf(month).filter((r) => r.values[plan] === true || (typeof r.values[plan] === 'number' && (r.values[plan] as number) > 0));
      const completed = rows.filter((r) => r.values[done] === true || (typeof r.values[done] === 'number' && (r.values[done] as number) >= (r.values[plan] as number))).length;
      const unknown = rows.filter((r) => r.values[done] === null).length;
      expect(b.completed.find((c) => c.label === label), `${month} ${label}`).toEqual({ label, withPlan: rows.length, completed, unknown });
    }
  });

  it.each(model.months)('%s: the counties that did not report are those with registered pairings and no row this month', (month) => {
    const b = bulletins.get(month)!;
    const reportedCounties = new Set(recordsOf(month).map((r) => r.villageCode.slice(0, 6)));
    const registeredCounties = new Set(registryPairings.map((p) => p.village.slice(0, 6)));
    const missing = [...registeredCounties].filter((c) => !reportedCounties.has(c)).sort();
    expect(b.notReported.map((c) => c.code).sort()).toEqual(missing);
    for (const c of b.notReported) {
      const v = registryVillages.find((x) => x['村代码']!.startsWith(c.code))!;
      expect(c).toEqual({ code: c.code, name: v['县'], province: v['省'] });
    }
  });

  it('the shipped data plants late reporters, decreases and plans reached, so no list is trivially empty', () => {
    const all = [...bulletins.values()];
    expect(all.some((b) => b.notReported.length > 0)).toBe(true);
    expect(all.some((b) => b.decreases > 0)).toBe(true);
    expect(all.some((b) => b.reachedPlan.length > 0)).toBe(true);
    expect(all.filter((b) => b.notable.length === 5).length).toBeGreaterThan(3);
    expect(all.some((b) => b.figures.some((f) => f.partial))).toBe(true);
  });

  it.each(model.months.slice(1))('%s: notable progress: the five largest gains in 资金已到位 among villages whose sums are whole both months', (month) => {
    const b = bulletins.get(month)!;
    const prev = b.previousMonth!;
    const gains = registryVillages.flatMap((v) => {
      const ids = registryPairings.filter((p) => p.village === v['村代码']).map((p) => p.id);
      if (ids.length === 0) return [];
      const now = sumOf(ids, month, 'fundsDone');
      const before = sumOf(ids, prev, 'fundsDone');
      if (now.value === null || before.value === null || now.missing > 0 || before.missing > 0) return [];
      const gain = now.value - before.value;
      return gain > 0 ? [{ code: v['村代码']!, name: v['村']!, county: `${v['省']}${v['县']}`, gain }] : [];
    });
    gains.sort((a, b) => b.gain - a.gain || a.code.localeCompare(b.code));
    expect(b.notable).toEqual(gains.slice(0, 5).map((g) => ({ villageCode: g.code, villageName: g.name, county: g.county, gain: wan(g.gain), gainRaw: g.gain })));
  });

  it.each(model.months.slice(1))('%s: pairings that reached their funds plan this month (and had not the month before)', (month) => {
    const b = bulletins.get(month)!;
    const reached = (r: ProgressRecord | undefined) => !!r && r.values.fundsPlan !== null && r.values.fundsPlan > 0 && r.values.fundsDone !== null && r.values.fundsDone >= r.values.fundsPlan;
    const expected = recordsOf(month)
      .filter((r) => {
        const before = recordOf(b.previousMonth!, r.pairingId);
        return reached(r) && before !== undefined && !reached(before);
      })
      .map((r) => `${r.villageCode}-${r.unitCode}`);
    expect(b.reachedPlan.map((x) => `${x.villageCode}-${x.unitCode}`).sort()).toEqual(expected.sort());
    for (const x of b.reachedPlan) expect(x.villageName).toBe(registryVillages.find((v) => v['村代码'] === x.villageCode)!['村']);
  });

  it.each(model.months)('%s: cumulative figures that went down since the pairing’s last report are counted', (month) => {
    const DONE = ['fundsDone', 'materialsDone', 'industryPlanDone', 'salesDone', 'jobsDone', 'trainingDone'] as const;
    let count = 0;
    for (const r of recordsOf(month)) {
      for (const metric of DONE) {
        const v = r.values[metric];
        if (v === null) continue;
        // the last earlier month in which this pairing reported this figure
        const earlier = model.months
          .filter((m) => m < month)
          .map((m) => recordOf(m, r.pairingId))
          .filter((p) => p !== undefined && p.values[metric] !== null)
          .at(-1);
        if (earlier && Number(v) < Number(earlier.values[metric])) count++;
      }
    }
    expect(bulletins.get(month)!.decreases).toBe(count);
  });
});

describe('corrections and the bulletin as published', () => {
  const revision = data.revisions[0]!;

  it('a correction is listed by the first bulletin published on or after it, and by no other', () => {
    const listing = model.months.filter((m) => bulletins.get(m)!.corrections.some((c) => c.id === revision.id));
    // by the manifest's publish dates: the month published on or after the revision whose previous month was published before it
    const expected = model.months.filter((m, i) => {
      const on = publishedOn(m)!;
      const before = i > 0 ? publishedOn(model.months[i - 1]!)! : null;
      return on >= revision.date && (before === null || before < revision.date) && revision.month < m;
    });
    expect(expected).toHaveLength(1);
    expect(listing).toEqual(expected);
  });

  it('a correction made on a bulletin’s publish day belongs to that bulletin, not the next', () => {
    const sameDay = { ...revision, id: 'same-day', month: '2020-07', date: publishedOn('2020-08')! };
    const listedBy = (id: string) => model.months.filter((m) => buildBulletin(model, m, publishedOn, [sameDay]).corrections.some((c) => c.id === id));
    expect(listedBy('same-day')).toEqual(['2020-08']);
  });

  it('without publish dates, a bulletin lists the corrections of the previous month', () => {
    const b = buildBulletin(model, '2020-09', () => null, data.revisions);
    expect(b.publishedOn).toBeNull();
    expect(b.corrections.map((c) => c.id)).toEqual(data.revisions.filter((r) => r.month === '2020-08').map((r) => r.id));
    expect(buildBulletin(model, '2020-10', () => null, data.revisions).corrections).toEqual([]);
  });

  it('the 2020年8月 bulletin keeps its published figures; each amended line is about what the revision touched', () => {
    const asOf = (date: string) => buildSiteModel({ ...data, progress: recordsAsOf(data.progress, data.revisions, date).records });
    const published = buildPublishedBulletin(model, '2020-08', publishedOn, data.revisions, asOf);
    const [amendment] = published.amendments;
    expect(amendment).toMatchObject({ revisionId: revision.id, date: revision.date, note: revision.note });
    // the revision changed rows in one province: no other province's line may change
    const touchedProvinces = new Set(revision.changes.map((c) => registryVillages.find((v) => v['村代码'] === c.villageCode)!['省']!));
    expect([...touchedProvinces]).toEqual(['广西壮族自治区']);
    const others = published.provinces.map((p) => p.name).filter((n) => !touchedProvinces.has(n));
    for (const line of amendment!.lines) {
      expect(others.some((n) => line.label.startsWith(n)), line.label).toBe(false);
      expect(line.before).not.toBe(line.after);
    }
    // the published 资金已到位 is the sum over the archived copy's rows; the amended line says before → after
    const original = recordsAsOf(data.progress, data.revisions, publishedOn('2020-08')!).records;
    const sum = (rs: ProgressRecord[]) => rs.filter((r) => r.month === '2020-08').reduce((s, r) => s + (r.values.fundsDone ?? 0), 0);
    const funds = published.figures.find((f) => f.key === 'fundsDone')!;
    expect(funds.raw).toBe(sum(original));
    // (a line compares the figures; who is missing from a partial sum is said beside the bulletin, not in the line)
    const bare = (text: string) => text.replace('（部分合计）', '');
    expect(amendment!.lines).toContainEqual({ label: '资金已到位', before: bare(funds.value), after: bare(bulletins.get('2020-08')!.figures.find((f) => f.key === 'fundsDone')!.value) });
    expect(amendment!.lines.find((l) => l.label === '资金已到位')!.after).toBe(wan(sum(data.progress)));
  });

  it('a bulletin whose month and previous month no revision touched is published as built', () => {
    const asOf = (date: string) => buildSiteModel({ ...data, progress: recordsAsOf(data.progress, data.revisions, date).records });
    const b = buildPublishedBulletin(model, '2020-11', publishedOn, data.revisions, asOf);
    expect(b).toEqual(bulletins.get('2020-11'));
  });
});

describe('hostile months', () => {
  /** The shipped data without any row from one province in one month. */
  const without = (provinceCode: string, month: string): SiteModel => buildSiteModel({ ...data, progress: data.progress.filter((p) => !(p.month === month && p.villageCode.startsWith(provinceCode))) });

  it('a province that sent nothing: 0 of its pairings reported, 未上报 in its row, all its counties listed, the national sums partial', () => {
    const m = without('64', '2020-09');
    const b: Bulletin = buildBulletin(m, '2020-09', publishedOn, data.revisions);
    const row = b.provinces.find((p) => p.code === '64')!;
    expect(row).toMatchObject({ name: '宁夏回族自治区', reported: 0 });
    expect([provinceCell(b, row, 'fundsDone'), provinceCell(b, row, 'fundsRatio')]).toEqual(['未上报', '未填报']);
    const counties64 = [...new Set(registryPairings.filter((p) => p.village.startsWith('64')).map((p) => p.village.slice(0, 6)))].sort();
    expect(b.notReported.filter((c) => c.code.startsWith('64')).map((c) => c.code)).toEqual(counties64);
    const funds = b.figures.find((f) => f.key === 'fundsDone')!;
    expect(funds.partial).toBe(true);
    expect(funds.value).toMatch(/（部分合计）$/);
    expect(funds.partialNote).toContain(`${registryPairings.filter((p) => p.village.startsWith('64')).length}\u00a0个结对未上报`);
    // its villages cannot be among the notable gains: their sum is not whole
    expect(b.notable.some((n) => n.villageCode.startsWith('64'))).toBe(false);
    expect(buildBulletin(m, '2020-10', publishedOn, data.revisions).notable.some((n) => n.villageCode.startsWith('64'))).toBe(false);
  });

  it('every figure of every bulletin is a number with its unit, 未填报, or 未上报 — never NaN, undefined or a bare 0 for nothing', () => {
    for (const b of bulletins.values()) {
      const texts = [...b.figures.flatMap((f) => [f.value, f.delta ?? '']), ...b.ratios.map((r) => r.value), ...b.provinces.flatMap((p) => p.cells)];
      for (const t of texts) expect(t).not.toMatch(/NaN|undefined|Infinity|null/);
      for (const f of b.figures) expect(f.value).toMatch(/^(未填报|未上报|[\d,]+(\.\d+)?\u00a0(万元|人)(（部分合计）)?)$/);
      for (const r of b.ratios) expect(r.value).toMatch(/^(未填报|无计划|\d+\.\d%(（超额）)?(（部分：.+）)?)$/);
    }
  });

  it('the data of the shipped files is what the bulletin reads: 宁夏’s 2020年8月 row equals its CSV', () => {
    // a cross-check with the file itself, not the records: 10 villages, one flat file
    const csv = path.join(DATA, 'exports/2020-08/宁夏回族自治区.csv');
    const rows = readRegistry('pairings').filter((r) => r['村代码']!.startsWith('64'));
    const row = bulletins.get('2020-08')!.provinces.find((p) => p.code === '64')!;
    expect(row.registered).toBe(rows.length);
    expect(row.reported).toBe(data.progress.filter((p) => p.source.file === path.relative(DATA, csv)).length);
  });
});
