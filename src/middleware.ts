/**
 * During scripts/build.ts only: each rendered page's bytes are hashed for SHA256SUMS as they
 * pass (src/lib/publish/page-sums.ts). Elsewhere (astro dev, astro build alone) this does nothing.
 */
import { defineMiddleware } from 'astro:middleware';
import { PAGE_SUMS_ENV, pageSumsRecorder } from './lib/publish/page-sums.ts';

const record = pageSumsRecorder(process.env[PAGE_SUMS_ENV]);

export const onRequest = defineMiddleware(async (context, next) => {
  const response = await next();
  // a redirect is written as Astro's own page, not this body
  if (!record || !context.isPrerendered || !response.body || (response.status >= 300 && response.status < 400)) return response;
  // the copy is read; the response goes on to Astro untouched
  record(context.url.pathname, new Uint8Array(await response.clone().arrayBuffer()));
  return response;
});
