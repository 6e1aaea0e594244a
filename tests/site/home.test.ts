/**
 * The home page's national totals equal sums computed here, independently of src/lib,
 * straight from the fixture's CSV files for the latest month.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/site-small');

/** Minimal reader for the two 2020-07 fixture files (no quoted cells in them). */
function table(file: string, encoding: 'utf-16le' | 'utf-8', sep: string): Array<Record<string, string>> {
  let text = new TextDecoder(encoding).decode(readFileSync(path.join(FIXTURE, file)));
  text = text.replace(/^\ufeff/, '');
  const [head, ...rows] = text.split(/\r\n/).filter((l) => l.trim() !== '');
  const keys = head!.split(sep).map((h) => h.replace(/\s/g, '').replace(/[（(]/g, '(').replace(/[）)]/g, ')').replace(/\(.*\)$/, ''));
  return rows.map((r) => Object.fromEntries(r.split(sep).map((c, i) => [keys[i], c.trim()])));
}

const july = [...table('exports/2020-07/云南省.csv', 'utf-16le', '\t'), ...table('exports/2020-07/贵州省.csv', 'utf-8', ',')];
const yuan = (v: string) => Math.round(Number(v) * 10000);
const sum = (key: string, f: (v: string) => number = Number) => july.filter((r) => r[key] !== '' && r[key] !== undefined).reduce((a, r) => a + f(r[key]!), 0);

function ddRaw(html: string, key: string): number {
  const m = new RegExp(`<dd data-key="${key}" data-raw="(\\d+)"`).exec(html);
  if (!m) throw new Error(`no figure ${key} on the page`);
  return Number(m[1]);
}

describe('home page', () => {
  const html = readFileSync(path.join(inject('siteDir'), 'index.html'), 'utf8');

  it('is Chinese and says the data is synthetic', () => {
    expect(html).toContain('<html lang="zh-CN"');
    expect(html).toContain('data-synthetic');
    expect(html).toContain('示例数据');
  });

  it('shows the latest month', () => {
    expect(html).toContain('data-month="2020-07"');
    expect(html).toContain('2020年7月');
    expect(july).toHaveLength(6);
    expect(html).toContain('本月已上报 6 个结对');
  });

  it('totals for the five measures equal the sums of the CSV files', () => {
    expect(ddRaw(html, 'fundsPlan')).toBe(sum('资金计划总投入', yuan));
    expect(ddRaw(html, 'fundsDone')).toBe(sum('资金已到位总投入', yuan));
    expect(ddRaw(html, 'materialsPlan')).toBe(sum('物资计划总投入', yuan));
    expect(ddRaw(html, 'materialsDone')).toBe(sum('物资已到位', yuan));
    expect(ddRaw(html, 'salesPlan')).toBe(sum('计划销售', yuan));
    expect(ddRaw(html, 'salesDone')).toBe(sum('已完成销售', yuan));
    expect(ddRaw(html, 'jobsPlan')).toBe(sum('计划就业人数'));
    expect(ddRaw(html, 'jobsDone')).toBe(sum('已解决就业人数'));
    expect(ddRaw(html, 'trainingPlan')).toBe(sum('计划培训人数'));
    expect(ddRaw(html, 'trainingDone')).toBe(sum('已完成培训人数'));
    expect(ddRaw(html, 'hasIndustryPlan')).toBe(sum('是否有产业扶贫计划'));
    expect(ddRaw(html, 'industryPlanDone')).toBe(sum('是否已完成计划'));
    expect(ddRaw(html, 'stationed')).toBe(sum('是否派驻村'));
    expect(ddRaw(html, 'stationedCount')).toBe(sum('已驻村人数'));
  });

  it('formats money in 万元 with zh-CN grouping and ratios with their meaning', () => {
    const funds = sum('资金计划总投入', yuan) / 10000;
    expect(html).toContain(`${new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 4 }).format(funds)} 万元`);
    const ratio = (sum('资金已到位总投入', yuan) / sum('资金计划总投入', yuan)) * 100;
    // the figure whole in its span (it never breaks across lines)
    expect(html).toContain(`<dd data-key="fundsRatio"><span class="figure-n">${ratio.toFixed(1)}%</span></dd>`);
  });

  it('ships no JavaScript', () => {
    expect(html).not.toMatch(/<script/i);
  });
});
