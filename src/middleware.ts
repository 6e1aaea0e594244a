/**
 * During scripts/build.ts only: each rendered page's bytes are hashed for SHA256SUMS as they
 * pass (src/lib/publish/page-sums.ts). Elsewhere (astro dev, astro build alone) this does nothing.
 *
 * In a sharded build (issue 34) a page this shard does not render is answered with a stub,
 * never rendered; its file is listed for the shard's last step, which deletes it
 * (src/lib/shard/shard-rule.ts rendersPage, src/build/shard.ts).
 */
import { appendFileSync } from 'node:fs';
import { defineMiddleware } from 'astro:middleware';
import { PAGE_SUMS_ENV, pageFileOf, pageSumsRecorder } from './lib/publish/page-sums.ts';
import { SHARD_SKIPPED_ENV, shardOfProcess } from './lib/shard/shard-env.ts';
import { rendersPage } from './lib/shard/shard-rule.ts';

const record = pageSumsRecorder(process.env[PAGE_SUMS_ENV]);
const shard = shardOfProcess();
const skippedFile = process.env[SHARD_SKIPPED_ENV];

export const onRequest = defineMiddleware(async (context, next) => {
  if (shard !== null && context.isPrerendered && !rendersPage(shard, context.url.pathname)) {
    if (skippedFile) appendFileSync(skippedFile, `${pageFileOf(context.url.pathname)}\n`);
    return new Response('gpdzc: rendered by another shard\n', { status: 200 });
  }
  const response = await next();
  // a redirect is written as Astro's own page, not this body
  if (!record || !context.isPrerendered || !response.body || (response.status >= 300 && response.status < 400)) return response;
  // Read once here and handed on whole, so Astro reads one chunk instead of the page's stream. A
  // clone read beside Astro's own read would pay for every chunk twice, on every page
  // (docs/decisions/0013-checksums-as-written.md).
  const body = new Uint8Array(await response.arrayBuffer());
  record(context.url.pathname, body);
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
});
