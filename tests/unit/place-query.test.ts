import { describe, expect, it } from 'vitest';
import { looksLikeCode, queryTerms } from '../../src/lib/search/name-index.ts';
import { pageMatches, rankByKind, sentenceExcerpt, shortPlaceForm, shortQueryNote, splitPlaces, understandPlaces } from '../../src/lib/search/place-query.ts';

const understand = (q: string) => understandPlaces(queryTerms(q), looksLikeCode);

describe('place names as people type them', () => {
  it('cuts a county or township run into a village name after its suffix', () => {
    expect(splitPlaces('融水苗族自治县羊庄村')).toEqual(['融水苗族自治县', '羊庄村']);
    expect(splitPlaces('云口乡羊庄村')).toEqual(['云口乡', '羊庄村']);
    expect(splitPlaces('柳州市融水县羊庄村')).toEqual(['柳州市', '融水县', '羊庄村']);
    expect(splitPlaces('墨玉县长田镇大坡村')).toEqual(['墨玉县', '长田镇', '大坡村']);
  });
  it('leaves a name whole when a cut would leave a side too short to look up', () => {
    expect(splitPlaces('新镇村')).toEqual(['新镇村']);
    expect(splitPlaces('礼县')).toEqual(['礼县']);
    expect(splitPlaces('礼县南河村')).toEqual(['礼县', '南河村']);
    expect(splitPlaces('羊庄村')).toEqual(['羊庄村']);
  });
  it('cuts a county short form back to a prefix of the real name', () => {
    expect(shortPlaceForm('融水县')).toBe('融水');
    expect(shortPlaceForm('融水自治县')).toBe('融水');
    expect(shortPlaceForm('融水苗族县')).toBe('融水');
    expect(shortPlaceForm('融水苗族自治县')).toBe('融水');
    expect(shortPlaceForm('东乡族自治县')).toBe('东乡');
    expect(shortPlaceForm('怒江傈僳族自治州')).toBe('怒江');
    expect(shortPlaceForm('隆林各族自治县')).toBe('隆林');
    expect(shortPlaceForm('怒江州')).toBe('怒江');
    expect(shortPlaceForm('礼县')).toBe('礼县');
    expect(shortPlaceForm('羊庄村')).toBe('羊庄村');
  });
  it('says when the query names a county, and keeps codes as they are', () => {
    expect(understand('融水县')).toEqual({ terms: ['融水'], county: true });
    expect(understand('融水苗族自治县 羊庄村')).toEqual({ terms: ['融水', '羊庄村'], county: true });
    expect(understand('羊庄村')).toEqual({ terms: ['羊庄村'], county: false });
    expect(understand('450225001200')).toEqual({ terms: ['450225001200'], county: false });
  });
  it('ranks counties first only when the query names a county, otherwise keeps the order', () => {
    const kind = (id: number) => (id >= 10 ? '县' : '村');
    expect(rankByKind([1, 2, 10], kind, true)).toEqual([10, 1, 2]);
    expect(rankByKind([1, 2, 10], kind, false)).toEqual([1, 2, 10]);
  });
  it('explains a one-character query', () => {
    expect(shortQueryNote(['羊'])).toContain('只有一个字');
    expect(shortQueryNote(['羊庄'])).toBeNull();
    expect(shortQueryNote([])).toBeNull();
  });
});

describe('stories and bulletins: real matches and clean excerpts', () => {
  it('a page matches only when it has every term (or its short form)', () => {
    const text = '融水县羊庄村：肉牛养殖入股合作社。村里建起了牛棚。';
    expect(pageMatches(text, ['融水苗族自治县', '羊庄村'])).toBe(true);
    expect(pageMatches(text, ['ZZQQXX'])).toBe(false);
    expect(pageMatches(text, ['999999999999'])).toBe(false);
    expect(pageMatches(text, [])).toBe(false);
  });
  it('an excerpt is the whole sentence around the first hit, without the page title', () => {
    const title = '会泽县鹰箐村：产业路修到核桃园';
    const content = `${title}. 2020年11月24日 · 产业扶贫 · 来源：会泽县扶贫办. 村里有三百亩核桃。今年修通了产业路，核桃运出山更方便了。`;
    expect(sentenceExcerpt(content, ['产业路'], 90, title)).toBe('今年修通了产业路，核桃运出山更方便了。');
    expect(sentenceExcerpt(content, ['鹰箐'], 90, title)).toBe('村里有三百亩核桃。');
    // 县+村: the village's sentence, not the first mention of the county
    const story = '来源：融水苗族自治县扶贫办。羊庄村位于融水苗族自治县云口乡。';
    expect(sentenceExcerpt(story, ['融水县羊庄村'])).toBe('羊庄村位于融水苗族自治县云口乡。');
  });
  it('a long sentence is cut at a clause before the hit, with ellipses', () => {
    const long = `${'甲'.repeat(60)}，${'乙'.repeat(60)}核桃${'丙'.repeat(120)}。`;
    const e = sentenceExcerpt(long, ['核桃'], 90);
    expect(e.startsWith('……乙')).toBe(true);
    expect(e).toContain('核桃');
    expect(e.endsWith('……')).toBe(true);
  });
});

import { spreadPick } from '../../src/lib/model/spread.ts';
describe('a short list drawn fairly', () => {
  it('names each village once and takes the counties in turn', () => {
    const items = [
      { v: 'a1', c: 'A' },
      { v: 'a1', c: 'A' },
      { v: 'a2', c: 'A' },
      { v: 'a3', c: 'A' },
      { v: 'b1', c: 'B' },
      { v: 'c1', c: 'C' },
      { v: 'c2', c: 'C' },
    ];
    expect(spreadPick(items, 5, (x) => x.v, (x) => x.c).map((x) => x.v)).toEqual(['a1', 'b1', 'c1', 'a2', 'c2']);
    expect(spreadPick(items, 10, (x) => x.v, (x) => x.c)).toHaveLength(6);
  });
});
