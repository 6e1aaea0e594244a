/** Stories render, are linked from their villages and units, and appear in the feed. */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, inject, it } from 'vitest';

const STORIES = path.resolve(import.meta.dirname, '../fixtures/stories-small');
const page = (url: string) => readFileSync(path.join(inject('siteDir'), url, 'index.html'), 'utf8');
const stories = readdirSync(STORIES).map((f) => ({ slug: f.replace(/\.mdx$/, ''), fm: parse(readFileSync(path.join(STORIES, f), 'utf8').split('---')[1]!) as { title: string; villages: string[]; units: string[]; date: string } }));

describe('case stories in the built site', () => {
  it('every story has its page, linked to its villages and units, and they link back', () => {
    for (const s of stories) {
      const html = page(`stories/${s.slug}`);
      expect(html).toContain(`<h1>${s.fm.title}</h1>`);
      for (const v of s.fm.villages) {
        expect(html).toContain(`href="/villages/${v}/"`);
        expect(page(`villages/${v}`)).toContain(`href="/stories/${s.slug}/"`);
      }
      for (const u of s.fm.units) {
        expect(html).toContain(`href="/units/${u}/"`);
        expect(page(`units/${u}`)).toContain(`href="/stories/${s.slug}/"`);
      }
    }
  });

  it('the list is newest first and each story is in its measure view', () => {
    const list = page('stories');
    const order = stories.sort((a, b) => String(b.fm.date).localeCompare(String(a.fm.date))).map((s) => list.indexOf(`href="/stories/${s.slug}/"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(page('stories/measure/industry')).toContain('href="/stories/2020-08-qingsong-walnut/"');
    expect(page('stories/measure/consumption')).not.toContain('href="/stories/2020-08-qingsong-walnut/"');
  });

  it('a live figure shows the data’s value with its month', () => {
    expect(page('stories/2020-08-qingsong-walnut')).toMatch(/截至2020年7月底资金已到位总投入：<strong>90\.00\s万元<\/strong>/);
  });

  it('the RSS feed is well-formed, every item dated and linking to a page that exists', async () => {
    const xml = readFileSync(path.join(inject('siteDir'), 'stories/rss.xml'), 'utf8');
    const { XMLParser, XMLValidator } = await import('fast-xml-parser');
    expect(XMLValidator.validate(xml)).toBe(true);
    const items = new XMLParser().parse(xml).rss.channel.item as Array<{ link: string; pubDate: string }>;
    expect(items).toHaveLength(stories.length);
    for (const item of items) {
      expect(Number.isNaN(Date.parse(item.pubDate))).toBe(false);
      const url = new URL(item.link);
      expect(readFileSync(path.join(inject('siteDir'), url.pathname, 'index.html'), 'utf8')).toContain('<article');
    }
  });
});
