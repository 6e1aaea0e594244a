/** Published sources: stable names by area, hashes of the bytes as received, and a copy reduced to the contract when a file holds other columns. */
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/lib/ingest/revisions.ts';
import { planSources, reduceColumns, sourceRef, withPublishedSources } from '../../src/lib/filing/sources.ts';
import { FLAT_HEADER, flatRow, ingestExports, utf8bom } from './helpers.ts';

describe('published sources', () => {
  it('a county file is published as received under its county code, and records point at it', () => {
    const bytes = utf8bom(`${FLAT_HEADER}\n${flatRow()}\n`);
    const result = ingestExports([{ path: 'exports/2020-07/云南省/怒江傈僳族自治州/福贡县.csv', bytes }]);
    expect(result.ok).toBe(true);
    const { index, contents } = planSources(result, () => bytes);
    const s = index.list[0]!;
    expect(s).toMatchObject({ url: '/sources/2020-07/533323.csv', label: '福贡县 2020年7月报表', sha256: sha256(bytes), publishedSha256: sha256(bytes), removedColumns: [] });
    expect(Buffer.compare(Buffer.from(contents.get(s.url!)!()), Buffer.from(bytes))).toBe(0);
    const [r] = withPublishedSources(result.progress, index);
    expect(r!.source).toEqual({ file: '/sources/2020-07/533323.csv', row: 2 });
    expect(sourceRef(index, r!.source)).toEqual({ text: '福贡县 2020年7月报表 第 2 行', href: '/sources/2020-07/533323.csv' });
  });

  it('a column outside the contract is left out of the published copy (rows unchanged) and the list says so', () => {
    const text = `${FLAT_HEADER},联系人电话\n${flatRow()},13800000000\n`;
    const bytes = utf8bom(text);
    const result = ingestExports([{ path: 'exports/2020-07/福贡县.csv', bytes }]);
    expect(result.issues.some((i) => i.code === 'UNKNOWN_COLUMN')).toBe(true);
    const { index, contents } = planSources(result, () => bytes);
    const s = index.list[0]!;
    expect(s.removedColumns).toHaveLength(1);
    expect(s.sha256).toBe(sha256(bytes));
    expect(s.publishedSha256).not.toBe(s.sha256);
    const published = Buffer.from(contents.get(s.url!)!()).toString('utf8');
    expect(published).not.toContain('13800000000');
    expect(published).not.toContain('联系人电话');
    expect(published.replace(/^\ufeff/, '').split('\r\n')[1]).toBe(flatRow());
    // what is published still reads as the same rows
    const again = ingestExports([{ path: 'exports/2020-07/福贡县.csv', bytes: contents.get(s.url!)!() }]);
    expect(again.progress.map((r) => [r.values, r.source.row])).toEqual(result.progress.map((r) => [r.values, r.source.row]));
  });

  it('reduceColumns keeps quoted cells intact', () => {
    const out = Buffer.from(reduceColumns(utf8bom('a,b,c\n"x,1",2,"y""z"\n'), new Set([1]))!).toString('utf8');
    expect(out).toBe('\ufeffa,c\r\n"x,1","y""z"\r\n');
  });
});
