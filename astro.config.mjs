// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import react from '@astrojs/react';
import searchIndex from './src/integrations/search-index.ts';

// Tests build fixture datasets side by side: let them choose where output and caches go.
const outDir = process.env.ASTRO_OUT_DIR || './dist';
const cacheDir = process.env.ASTRO_CACHE_DIR || './node_modules/.astro';

export default defineConfig({
  site: process.env.SITE_URL || 'https://example.invalid',
  outDir,
  cacheDir,
  trailingSlash: 'always',
  build: { format: 'directory' },
  integrations: [mdx(), react(), searchIndex()],
  devToolbar: { enabled: false },
});
