/**
 * Site-wide settings that are not data: the site's name, its public address (for sharing
 * tags) and the contacts of the 监督与反馈 block on every page. One place, so a deployment
 * changes them here (or through the environment variables named below) and nowhere else.
 */
import { PAGES, entityPrefix } from './routes.ts';

export interface FeedbackContact {
  /** what the channel is, e.g. 全国扶贫监督举报电话 */
  label: string;
  /** what to show, e.g. 12317 */
  value: string;
  /** a tel:/mailto: link, if any */
  href?: string;
}

export interface SiteConfig {
  name: string;
  shortName: string;
  /** the site's public origin, no trailing slash ('' = relative sharing tags only) */
  origin: string;
  feedback: {
    intro: string;
    contacts: FeedbackContact[];
  };
}

const env = (key: string): string | undefined => {
  const v = typeof process !== 'undefined' ? process.env[key] : undefined;
  return v && v.trim() ? v.trim() : undefined;
};

// Defaults name the office without inventing a street or a mailbox: a deployment sets
// SITE_OFFICE_ADDRESS and SITE_OFFICE_EMAIL (the e-mail line is shown only when set).
const officeName = env('SITE_OFFICE_NAME') ?? '社会力量助力挂牌督战村项目办公室（国务院扶贫办社会扶贫司）';
const officeAddress = env('SITE_OFFICE_ADDRESS') ?? '北京市 国务院扶贫办社会扶贫司 社会力量助力挂牌督战村项目办公室（收）';
const officeEmail = env('SITE_OFFICE_EMAIL');

export const SITE: SiteConfig = {
  name: '社会力量助力挂牌督战村项目 · 宣传公示专区',
  shortName: '社会力量助力挂牌督战村项目',
  origin: (env('SITE_ORIGIN') ?? '').replace(/\/+$/, ''),
  feedback: {
    intro: '发现数据有误、帮扶未落实或违规违纪问题，可以通过以下渠道反映。请写明村名（或村代码）、帮扶单位和具体情况。',
    contacts: [
      { label: '全国扶贫监督举报电话', value: '12317', href: 'tel:12317' },
      { label: '项目办公室', value: officeName },
      { label: '来信地址', value: officeAddress },
      ...(officeEmail ? [{ label: '电子邮箱', value: officeEmail, href: `mailto:${officeEmail}` }] : []),
    ],
  },
};

/** The menu's sections: link and the paths that belong to it (for aria-current). */
export const SECTIONS: ReadonlyArray<{ href: string; label: string; prefixes: readonly string[] }> = [
  { href: PAGES.home, label: '首页', prefixes: [] },
  { href: PAGES.provinces, label: '各省进展', prefixes: [PAGES.provinces, entityPrefix('villages')] },
  { href: PAGES.counties, label: '全部县', prefixes: [PAGES.counties, PAGES.compare] },
  { href: PAGES.units, label: '帮扶单位', prefixes: [PAGES.units] },
  { href: PAGES.stories, label: '典型案例', prefixes: [PAGES.stories] },
  { href: PAGES.bulletins, label: '月度通报', prefixes: [PAGES.bulletins] },
  { href: PAGES.data, label: '数据下载', prefixes: [PAGES.data, PAGES.corrections, PAGES.sources] },
  { href: PAGES.about, label: '关于项目', prefixes: [PAGES.about] },
];

/** The menu section a path belongs to ('/' only for the home page itself). */
export function currentSection(pathname: string): string | null {
  const path = pathname.endsWith('/') ? pathname : `${pathname}/`;
  if (path === '/') return '/';
  return SECTIONS.find((s) => s.prefixes.some((p) => path.startsWith(p)))?.href ?? null;
}
