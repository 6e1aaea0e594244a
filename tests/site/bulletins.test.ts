/** A bulletin's figures equal sums computed here from the CSV files; feeds are valid and resolve. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { describe, expect, inject, it } from 'vitest';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/site-small');
const page = (url: string) => readFileSync(path.join(inject('siteDir'), url, 'index.html'), 'utf8');

function rows(file: string, encoding: string, delimiter: string): Array<Record<string, string>> {
  const text = iconv.decode(readFileSync(path.join(FIXTURE, file)), encoding).replace(/^\ufeff/, '');
  const [head, ...body] = Papa.parse<string[]>(text.trim(), { delimiter }).data;
  const key = (h: string) => h.replace(/\s/g, '').replace(/[（(].*$/, '');
  return body.map((r) => Object.fromEntries(r.map((c, i) => [key(head![i]!), c.trim()])));
}
const num = (v: string | undefined) => Number((v ?? '').replace(/,/g, '').normalize('NFKC'));
const yuan = (v: string | undefined) => Math.round(num(v) * 10000);

/** 2020-06: a flat UTF-8 file and the GBK county table (data rows only). */
const june = [
  ...rows('exports/2020-06/云南省.csv', 'utf8', ','),
  ...Papa.parse<string[]>(iconv.decode(readFileSync(path.join(FIXTURE, 'exports/2020-06/贵州省/毕节市/纳雍县.csv')), 'gb18030'), {})
    .data.filter((r) => /^\d+$/.test(r[0] ?? '') && (r[1] ?? '') !== '')
    .map((r) => ({ 资金已到位总投入: r[4]!, 已完成销售: r[12]!, 已解决就业人数: r[15]!, 已完成培训人数: r[18]! })),
];
const july = [...rows('exports/2020-07/云南省.csv', 'utf16le', '\t'), ...rows('exports/2020-07/贵州省.csv', 'utf8', ',')];
const sum = (list: Array<Record<string, string>>, key: string, f: (v: string | undefined) => number) => list.filter((r) => (r[key] ?? '') !== '').reduce((s, r) => s + f(r[key]), 0);

function figure(html: string, key: string): { raw: number; delta: number | null } {
  const m = new RegExp(`<tr data-key="${key}" data-raw="(-?\\d+)"(?: data-delta="(-?\\d+)")?>`).exec(html);
  if (!m) throw new Error(`no figure ${key}`);
  return { raw: Number(m[1]), delta: m[2] === undefined ? null : Number(m[2]) };
}

describe('monthly bulletins', () => {
  it('there is a bulletin for every month, and an archive', () => {
    expect(page('bulletins')).toContain('href="/bulletins/2020-06/"');
    expect(page('bulletins')).toContain('href="/bulletins/2020-07/"');
  });

  it('the figures and their change since last month equal sums of the CSV files', () => {
    const html = page('bulletins/2020-07');
    for (const [key, header, f] of [
      ['fundsDone', '资金已到位总投入', yuan],
      ['salesDone', '已完成销售', yuan],
      ['jobsDone', '已解决就业人数', num],
      ['trainingDone', '已完成培训人数', num],
    ] as const) {
      const now = sum(july, header, f);
      expect(figure(html, key).raw, key).toBe(now);
      expect(figure(html, key).delta, key).toBe(now - sum(june, header, f));
    }
    expect(figure(page('bulletins/2020-06'), 'fundsDone').delta).toBeNull();
  });

  it('shows the editorial text, its publish date, the month’s stories and the cumulative corrections', () => {
    const html = page('bulletins/2020-07');
    expect(html).toContain('<h1>2020年7月进展通报：组织实施阶段开局</h1>');
    expect(html).toContain('<time datetime="2020-08-06">2020年8月6日</time>');
    expect(html).toContain('截至2020年7月底资金已到位总投入');
    expect(html).toContain('累计数比上月减少');
    expect(page('bulletins/2020-06')).toContain('发布日期未登记');
  });

  it('the bulletins feed is well-formed; its items have dates and links that resolve', async () => {
    const { XMLParser, XMLValidator } = await import('fast-xml-parser');
    const xml = readFileSync(path.join(inject('siteDir'), 'bulletins/rss.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser().parse(xml).rss.channel;
    const items = ([] as Array<{ link: string; pubDate: string }>).concat(parsed.item ?? []);
    expect(items).toHaveLength(1); // only 2020-07 has a recorded publish date in the fixture
    for (const item of items) {
      expect(Number.isNaN(Date.parse(item.pubDate))).toBe(false);
      expect(page(new URL(item.link).pathname.slice(1))).toContain('<article class="bulletin"');
    }
  });

  it('the corrections page lists the cumulative decrease with both values', () => {
    const html = page('corrections');
    expect(html).toContain('<h1>数据更正记录</h1>');
    expect(html).toMatch(/安乐村[\s\S]*?资金已到位总投入[\s\S]*?1,000\.50\s万元[\s\S]*?150\.00\s万元/);
  });
});
