/** The one number format: money in 万元 with two decimals at least and exact, 亿元 for headlines, ratios one decimal, dates in Chinese, units that never break from their number. */
import { describe, expect, it } from 'vitest';
import { formatAmount, formatDate, formatFigure, formatMoneyHeadline, formatRatio, formatRatioFigure, formatWan, figureParts, NBSP } from '../../src/lib/render/format.ts';

describe('format.ts', () => {
  it('money: 万元 with two decimals at least, exact to the 元', () => {
    expect(formatWan(283_549_000)).toBe('28,354.90');
    expect(formatWan(241_761_900)).toBe('24,176.19');
    expect(formatWan(1)).toBe('0.0001');
    expect(formatWan(0)).toBe('0.00');
  });
  it('a number and its unit are joined by a no-break space', () => {
    expect(formatAmount(1_205_000, '万元')).toBe(`120.50${NBSP}万元`);
    expect(formatAmount(1234, '人')).toBe(`1,234${NBSP}人`);
    expect(formatAmount(1234, '人', { bare: true })).toBe('1,234');
  });
  it('headlines from 1 亿元 on are in 亿元, the exact 万元 value kept', () => {
    expect(formatMoneyHeadline(2_979_728_100)).toEqual({ text: `29.80${NBSP}亿元`, exact: `297,972.81${NBSP}万元` });
    expect(formatMoneyHeadline(99_999_999)).toEqual({ text: `9,999.9999${NBSP}万元`, exact: null });
    expect(formatMoneyHeadline(100_000_000).text).toBe(`1.00${NBSP}亿元`);
    expect(formatMoneyHeadline(-250_000_000).text).toBe(`-2.50${NBSP}亿元`);
  });
  it('percentages with one decimal, 无计划 and 未填报 in words; dates as 2020年5月6日', () => {
    expect(formatRatio({ kind: 'value', percent: 45, over: false })).toBe('45.0%');
    expect(formatRatio({ kind: 'value', percent: 133.333, over: true })).toBe('133.3%（超额）');
    expect(formatRatioFigure({ ratio: { kind: 'value', percent: 50, over: false }, partial: true, blank: 2, absent: 0 })).toBe(`50.0%（部分：2${NBSP}个结对未填报）`);
    expect(formatDate('2020-05-06')).toBe('2020年5月6日');
  });
  it('a partial sum is never a plain number; nothing reported is 未填报 or 未上报', () => {
    expect(formatFigure({ value: 24, blank: 1, absent: 0, partial: true }, '人')).toBe(`24${NBSP}人（部分合计：1${NBSP}个结对未填报，未计入）`);
    expect(formatFigure({ value: 24, blank: 1, absent: 2, partial: true }, '人', { short: true })).toBe(`24${NBSP}人（部分合计）`);
    expect(formatFigure({ value: 24, blank: 0, absent: 0, partial: false }, '人')).toBe(`24${NBSP}人`);
    expect(formatFigure({ value: null, blank: 2, absent: 0, partial: false }, '人')).toBe('未填报');
    expect(formatFigure({ value: null, blank: 0, absent: 3, partial: false }, '人')).toBe('未上报');
  });
});

describe('figureParts: the figures in a text, to keep each on one line', () => {
  it('cuts out numbers with their unit or percent sign and dates, not digits inside codes or names', () => {
    const figures = (t: string) => figureParts(t).filter((p) => p.figure).map((p) => p.text);
    expect(figures('120.50\u00a0万元')).toEqual(['120.50\u00a0万元']);
    expect(figures('已驻村 2\u00a0人（部分合计）· 62.5%')).toEqual(['2\u00a0人', '62.5%']);
    expect(figures('签署于 2020年6月1日，有效期至 2021年5月')).toEqual(['2020年6月1日', '2021年5月']);
    expect(figures('SHA-256 与 UTF-8，代码 91520500MA6K0002XC')).toEqual([]);
    expect(figures('-1,234.5\u00a0万元')).toEqual(['-1,234.5\u00a0万元']);
  });
  it('keeps every character, in order', () => {
    const text = '计划 1,000.00\u00a0万元，完成 3\u00a0人，62.5%（超额）';
    expect(figureParts(text).map((p) => p.text).join('')).toBe(text);
    expect(figureParts('')).toEqual([]);
  });
});
