/**
 * During scripts/build.ts only: each rendered page's bytes are hashed for SHA256SUMS as they
 * pass (src/build/page-sums.ts), into the file the build's handoff names. Elsewhere (astro dev)
 * this does nothing.
 */
import { defineMiddleware } from 'astro:middleware';
import { pageSumsRecorder } from './build/page-sums.ts';
import { readHandoff } from './build/handoff.ts';

const record = pageSumsRecorder(readHandoff()?.sums.pages);

export const onRequest = defineMiddleware(async (context, next) => {
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
