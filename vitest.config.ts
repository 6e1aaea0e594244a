import { defineConfig } from 'vitest/config';

// Three kinds of test: unit (src/lib directly), build (astro build of fixture data,
// then read dist/), browser (headless Chromium against the built site).
export default defineConfig({
  test: {
    // Several tests run `astro build`, and builds in one checkout share .astro/: one file at a time.
    fileParallelism: false,
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 120_000 } },
      {
        test: {
          name: 'site',
          include: ['tests/site/**/*.test.ts'],
          globalSetup: ['tests/site/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
