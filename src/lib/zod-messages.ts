/**
 * Zod issues in Chinese, one way for the whole project: Zod 4's zh-CN locale underneath, the
 * field named by its label and, for list items, by its position.
 */
import { z } from 'zod';

z.config(z.locales.zhCN());

/** One issue as a sentence that names the field (`labels` maps top-level keys to Chinese). */
export function zodIssueText(issue: z.core.$ZodIssue, input: unknown, labels: Readonly<Record<string, string>>): { message: string; missing: boolean } {
  const key = String(issue.path[0] ?? '');
  let at: unknown = input;
  for (const k of issue.path) at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[k as PropertyKey] : undefined;
  const missing = at === undefined && issue.path.length > 0;
  const sub = issue.path[1];
  const label = labels[key] ?? key;
  const where = typeof sub === 'number' ? `${label} 第 ${sub + 1} 项` : sub !== undefined ? `${label} 的 ${String(sub)}` : label;
  return { message: `${where}：${missing ? '缺少此项，' : ''}${issue.message}`, missing };
}
