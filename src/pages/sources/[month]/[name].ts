/** A received export as published (or its copy reduced to the data contract): /sources/<YYYY-MM>/<name>. */
import { rendersSharedPages } from '../../../shard-pages.ts';
import type { APIRoute } from 'astro';
import { getSources } from '../../../site-data.ts';
import { sourceFileUrl } from '../../../lib/routes.ts';

export async function getStaticPaths() {
  if (!rendersSharedPages()) return []; // a slice of a sharded build (src/shard-pages.ts)
  const { contents } = await getSources();
  return [...contents.keys()].map((url) => {
    const [, , month, name] = url.split('/');
    return { params: { month: month!, name: name! } };
  });
}

export const GET: APIRoute = async ({ params }) => {
  const { contents } = await getSources();
  const bytes = contents.get(sourceFileUrl(params.month!, params.name!))!();
  return new Response(new Uint8Array(bytes), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
};
