import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import { MEASURES } from '../../lib/ingest/columns.ts';
import { getStories } from '../../site-data.ts';

export async function GET(context: APIContext) {
  const stories = await getStories();
  return rss({
    title: '社会力量助力挂牌督战村项目 · 典型案例',
    description: '宣传、公示专区发布的典型案例',
    site: context.site!,
    items: stories.map((s) => ({
      title: s.data.title,
      pubDate: s.data.date,
      description: s.data.summary,
      link: `/stories/${s.id}/`,
      categories: s.data.measures.map((m) => MEASURES.find((x) => x.id === m)?.name ?? m),
    })),
    customData: '<language>zh-cn</language>',
    trailingSlash: true,
  });
}
