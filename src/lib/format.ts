/** Numbers for pages: Intl.NumberFormat('zh-CN'), money in 万元 from exact integer 元. */
import type { Ratio } from './metrics.ts';
import { yuanToWanString } from './values.ts';

const integer = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const wan = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 4 });
const percent = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1, minimumFractionDigits: 1 });

export function formatCount(n: number): string {
  return integer.format(n);
}

/** Integer 元 → "1,234.5" (万元), exact: the decimal string goes to Intl, not a float. */
export function formatWan(yuan: number): string {
  return wan.format(yuanToWanString(yuan) as Intl.StringNumericLiteral);
}

export function formatRatio(r: Ratio): string {
  switch (r.kind) {
    case 'unreported':
      return '未填报';
    case 'noPlan':
      return '无计划';
    case 'value':
      return `${percent.format(r.percent)}%${r.over ? '（超额）' : ''}`;
  }
}

/** `2020-07` → `2020年7月` */
export function formatMonth(month: string): string {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

/** `2020-05-12` → `2020年5月12日` */
export function formatDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}
