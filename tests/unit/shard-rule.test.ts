/** Sharded builds (issue 34): the stable rule that says which shard renders which page. */
import { describe, expect, it } from 'vitest';
import { entityOfFile, entityOfPage, parseShardSpec, rendersPage, shardName, sliceOfKey, unitSlice, villageSlice } from '../../src/lib/shard/shard-rule.ts';

describe('shard rule', () => {
  it('reads I/N and shared/N, and refuses anything else in Chinese', () => {
    expect(parseShardSpec('2/4')).toEqual({ kind: 'slice', index: 2, count: 4 });
    expect(parseShardSpec('shared/4')).toEqual({ kind: 'shared', count: 4 });
    expect(shardName(parseShardSpec(' 1/1 '))).toBe('1/1');
    expect(() => parseShardSpec('0/4')).toThrow(/第几片 I 应在 1 到 4 之间/);
    expect(() => parseShardSpec('5/4')).toThrow(/第几片 I 应在 1 到 4 之间/);
    expect(() => parseShardSpec('1/0')).toThrow(/分片数 N 应在 1 到 256 之间/);
    expect(() => parseShardSpec('1/300')).toThrow(/分片数 N/);
    expect(() => parseShardSpec('2of4')).toThrow(/--shard 的值“2of4”无效/);
    expect(() => parseShardSpec('')).toThrow(/无效/);
  });

  it('is stable: the same county gives the same slice (values fixed here, so a changed rule fails)', () => {
    // the fixture's two counties: apart for N = 2, 3 and 4
    expect([2, 3, 4].map((n) => [sliceOfKey('520525', n), sliceOfKey('533323', n)])).toEqual([[1, 2], [2, 1], [3, 4]]);
    expect(villageSlice('520525101001', 2)).toBe(villageSlice('520525999999', 2));
    for (const n of [1, 2, 3, 7, 64]) for (const k of ['450225', '533323', '632524']) expect(sliceOfKey(k, n)).toBe(sliceOfKey(k, n));
  });

  it('spreads counties over every slice', () => {
    const counts = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const s = villageSlice(`${450000 + i}001001`, 4);
      expect(s).toBeGreaterThanOrEqual(1);
      expect(s).toBeLessThanOrEqual(4);
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    // each of 4 slices within 15 % of a quarter
    for (const s of [1, 2, 3, 4]) expect(Math.abs(counts.get(s)! - 500)).toBeLessThan(75);
    expect(sliceOfKey('anything', 1)).toBe(1);
  });

  it('puts a unit with the county of its paired village with the smallest code, in any order; without pairings by its own code', () => {
    const unit = '91533300MA6K0001XA';
    expect(unitSlice(unit, ['533323101002', '520525101001'], 2)).toBe(villageSlice('520525101001', 2));
    expect(unitSlice(unit, ['520525101001', '533323101002'], 2)).toBe(unitSlice(unit, ['533323101002', '520525101001'], 2));
    expect(unitSlice(unit, [], 3)).toBe(sliceOfKey(unit, 3));
  });

  it('tells entity pages and files from the rest', () => {
    expect(entityOfPage('/villages/533323101001/')).toEqual({ kind: 'villages', code: '533323101001' });
    expect(entityOfPage('/units/91533300MA6K0001XA/')).toEqual({ kind: 'units', code: '91533300MA6K0001XA' });
    expect(entityOfPage('/units/')).toBeNull();
    expect(entityOfPage('/units/list/all/all/all/name/')).toBeNull();
    expect(entityOfPage('/counties/533323/')).toBeNull();
    expect(entityOfFile('villages/533323101001/data.csv')).toEqual({ kind: 'villages', code: '533323101001' });
    expect(entityOfFile('units/list/all/all/all/name/index.html')).toBeNull();
    expect(entityOfFile('counties/533323/data.csv')).toBeNull();
    const slice = parseShardSpec('1/2');
    const shared = parseShardSpec('shared/2');
    expect(rendersPage(slice, '/villages/533323101001/')).toBe(true);
    expect(rendersPage(slice, '/')).toBe(false);
    expect(rendersPage(shared, '/')).toBe(true);
    expect(rendersPage(shared, '/units/91533300MA6K0001XA/')).toBe(false);
    expect(rendersPage(null, '/units/91533300MA6K0001XA/')).toBe(true);
  });
});
