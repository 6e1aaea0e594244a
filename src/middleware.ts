/**
 * During scripts/build.ts only: each rendered page's bytes are hashed for SHA256SUMS as they
 * pass (src/build/page-sums.ts), into the file the build's handoff names. Elsewhere (astro dev)
 * this does nothing.
 *
 * In a sharded build (issue 34) a page this shard does not render is answered with a stub,
 * never rendered; its file is listed in the handoff's skipped-pages file for the shard's last
 * step, which deletes it (src/lib/shard/shard-rule.ts rendersPage, src/build/shard.ts).
 */
import { appendFileSync } from 'node:fs';
import { defineMiddleware } from 'astro:middleware';
import { pageFileOf, pageSumsRecorder } from './build/page-sums.ts';
import { handoffShard, readHandoff } from './build/handoff.ts';
import { rendersPage } from './lib/shard/shard-rule.ts';

const handoff = readHandoff();
const record = pageSumsRecorder(handoff?.sums.pages);
// sharded builds (issue 34)
const shard = handoffShard(handoff);
const skippedFile = handoff?.shard?.skipped;

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
