// @ts-check
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { satteri } from '@astrojs/markdown-satteri';
import react from '@astrojs/react';
import sitemap from '@astrojs/sitemap';
import { STORY_MDX_PROCESSOR } from './src/lib/content/story-mdx.ts';
import { watchHeap } from './src/build/build-log.ts';
import { readHandoff } from './src/build/handoff.ts';
import { buildWing } from './src/build/integration.ts';
import { onBundlerLog } from './src/build/bundler-log.ts';
import { imageMetadataRemoval } from './src/integrations/image-metadata.ts';

// Inside scripts/build.ts's astro build step: the step log gets this process's heap (live data, GCs).
watchHeap();
// What npm run build hands its astro build step (src/build/handoff.ts); null in astro dev, check,
// preview and sync. `astro build` without it stops at once (buildWing).
const handoff = readHandoff();

// Tests build fixture datasets side by side: let them choose where output and caches go.
const outDir = process.env.ASTRO_OUT_DIR || './dist';
const cacheDir = process.env.ASTRO_CACHE_DIR || './node_modules/.astro';

export default defineConfig({
  site: process.env.SITE_URL || 'https://example.invalid',
  outDir,
  cacheDir,
  trailingSlash: 'always',
  // Pages in flight at once (scripts/build.ts hands 4, see there). The output does not depend on
  // the order (the sitemap sorts its URLs).
  build: { format: 'directory', concurrency: handoff?.concurrency ?? 1 },
  // scripts/build.ts keeps the previous build's folder (unchanged pages stay where they are, written
  // over in place: src/build/patches/, installed by buildWing) and deletes what this build did
  // not write or keep itself (src/build/prune.ts).
  // `npm run dev` does not watch what builds write: with a national site in tmp/ (900,000
  // files, as the bench leaves it) the watcher misses editors' saves (tests/site/dev-stories.test.ts).
  // Rolldown's warning on Astro's own head-inject directive, once per MDX file, is dropped
  // (src/build/bundler-log.ts); every other bundler log is printed as before.
  vite: { build: { emptyOutDir: handoff?.keepOutDir !== true, rolldownOptions: { onLog: onBundlerLog } }, server: { watch: { ignored: [`${fileURLToPath(new URL('./tmp/', import.meta.url))}**`, `${path.resolve(outDir)}/**`] } } },
  // The search index and SHA256SUMS are written after the build, by scripts/build.ts.
  // Editors' MDX is compiled by Sätteri (Astro's default MDX processor) with the features the
  // story check parses with, and the check's own allowlist runs first inside the compiler: a
  // tree that fails it is never compiled (src/lib/content/story-mdx.ts).
  // React renders the one island (/compare/, src/client/compare/); only .tsx files are its.
  // Every published image is written by sharp without metadata (a phone photo's GPS position
  // and owner): the originals Astro copies into /_astro/ and public/'s images are re-encoded
  // (src/integrations/image-metadata.ts).
  // `astro build` alone stops with a sentence saying to use npm run build (src/build/integration.ts).
  integrations: [buildWing(), mdx({ processor: satteri(STORY_MDX_PROCESSOR) }), react({ include: [/\.tsx$/] }), sitemap(), imageMetadataRemoval()],
  // Astro's messages through the site's logger (Astro's Logger API): pages counted, not a line
  // each; inside npm run build, events for the build's console (src/build/astro-logger.mjs).
  logger: { entrypoint: new URL('./src/build/astro-logger.mjs', import.meta.url) },
  devToolbar: { enabled: false },
  // Pages whose data and code are unchanged since the last build are copied, not rendered
  // again (cacheKey in getStaticPaths; see src/lib/publish/page-keys.ts).
  experimental: { incrementalBuild: true },
  // No code blocks on this site; Shiki's inline styles would break the CSP.
  markdown: { syntaxHighlight: false },
  // Content Security Policy as a <meta> on every page: Astro hashes its own inline styles and
  // scripts; nothing may load from another origin. Pagefind's search needs WebAssembly.
  security: {
    csp: {
      directives: ["default-src 'self'", "img-src 'self' data:", "object-src 'none'", "base-uri 'self'", "form-action 'self'"],
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
      styleDirective: { resources: ["'self'"] },
    },
  },
});
