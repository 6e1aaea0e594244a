import rss from '@astrojs/rss';
import type { APIContext } from 'astro';
import { measureName } from '../../lib/content/story-links.ts';
import { getStories } from '../../site-data.ts';
import { storyUrl } from '../../lib/routes.ts';

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
      link: storyUrl(s.id),
      categories: s.data.measures.map(measureName),
    })),
    customData: '<language>zh-cn</language>',
    trailingSlash: true,
  });
}
