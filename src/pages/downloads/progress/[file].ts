/** /downloads/progress/<YYYY-MM|all>{.csv,-excel.csv,.json}: the progress table per month and for all months. */
import type { APIContext } from 'astro';
import { fileResponse, getDownloadFiles } from '../../../downloads.ts';

export async function getStaticPaths() {
  const files = await getDownloadFiles();
  return [...files.values()].filter((f) => f.table === 'progress').map((f) => ({ params: { file: f.file } }));
}

export async function GET({ params }: APIContext) {
  const f = (await getDownloadFiles()).get(`progress/${params.file}`);
  return f ? fileResponse(f.body, f.contentType) : new Response(null, { status: 404 });
}
