import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import { bulletinTitle } from '../../lib/model/bulletin.ts';
import { formatMonth } from '../../lib/render/format.ts';
import { getBulletins } from '../../site-data.ts';
import { bulletinUrl } from '../../lib/routes.ts';

/** Only bulletins with a recorded publish date are items (an RSS item needs a real date). */
export async function GET(context: APIContext) {
  const bulletins = (await getBulletins()).filter(({ bulletin }) => bulletin.publishedOn !== null);
  return rss({
    title: '社会力量助力挂牌督战村项目 · 月度通报',
    description: '每月进展通报',
    site: context.site!,
    items: bulletins.map(({ bulletin: b, text }) => ({
      title: text?.data.title ?? bulletinTitle(b.month),
      pubDate: new Date(`${b.publishedOn}T00:00:00Z`),
      description: text?.data.summary ?? `${formatMonth(b.month)}进展：已上报 ${b.reported} 个结对；资金已到位 ${b.figures[0]!.value}。`,
      link: bulletinUrl(b.month),
    })),
    customData: '<language>zh-cn</language>',
    trailingSlash: true,
  });
}
