/**
 * Site-wide settings that are not data: the site's name, its public address (for sharing
 * tags), the contacts of the 监督与反馈 block on every page and the footer's 主办/承办单位 and
 * record numbers (SITE_HOST_ORG, SITE_OPERATOR_ORG, SITE_ICP, SITE_PSB, SITE_ID_CODE). One place, so a deployment
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

/**
 * What a website in China shows at its foot once it is registered: the organisations that run
 * it and its record numbers. None has a default — each is shown only when the deployment sets
 * it, so nothing is ever made up.
 */
export interface SiteIdentity {
  /** 主办单位 (SITE_HOST_ORG) */
  hostOrg: string | null;
  /** 承办单位 (SITE_OPERATOR_ORG) */
  operatorOrg: string | null;
  /** ICP 备案号, e.g. 京ICP备XXXXXXXX号 (SITE_ICP), linked to the MIIT record system */
  icp: string | null;
  /** 公安机关备案号, e.g. 京公网安备 XXXXXXXXXXXXXX号 (SITE_PSB), linked to the 公安 record system */
  psb: string | null;
  /** 网站标识码 of a government website (SITE_ID_CODE) */
  siteCode: string | null;
}

/** Where the ICP number links (the MIIT's public record system; a link, not a query). */
export const ICP_RECORD_URL = 'https://beian.miit.gov.cn/';

/** Where a 公安机关备案号 links: the 公安 record system's page for its number (the digits of the record), or its home page. */
export function psbRecordUrl(record: string): string {
  const code = /\d{6,}/.exec(record)?.[0];
  return code ? `https://beian.mps.gov.cn/#/query/webSearch?code=${code}` : 'https://beian.mps.gov.cn/';
}

/** The identity fields from the environment (or any lookup of the same names): unset or blank is null. */
export function siteIdentity(lookup: (key: string) => string | undefined): SiteIdentity {
  const get = (key: string) => {
    const v = lookup(key)?.trim();
    return v ? v : null;
  };
  return { hostOrg: get('SITE_HOST_ORG'), operatorOrg: get('SITE_OPERATOR_ORG'), icp: get('SITE_ICP'), psb: get('SITE_PSB'), siteCode: get('SITE_ID_CODE') };
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
  /** 主办单位, 承办单位 and record numbers for the footer; all null in the shipped config */
  identity: SiteIdentity;
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
  identity: siteIdentity(env),
};

/** The menu's sections: link and the paths that belong to it (for aria-current). */
export const SECTIONS: ReadonlyArray<{ href: string; label: string; prefixes: readonly string[] }> = [
  { href: PAGES.home, label: '首页', prefixes: [] },
  { href: PAGES.provinces, label: '各省进展', prefixes: [PAGES.provinces, entityPrefix('villages')] },
  // /compare/ is no section's: it compares villages, units, counties and provinces alike.
  { href: PAGES.counties, label: '全部县', prefixes: [PAGES.counties] },
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
