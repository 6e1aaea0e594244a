/**
 * The build wing inside astro build (astro.config.mjs), through Astro's integration hooks:
 * - `astro build` run alone, not as a step of npm run build (no handoff manifest), stops at once
 *   with a sentence saying to use npm run build: alone it would lack the data check, the
 *   /downloads/ files, the search index, SHA256SUMS and the personal-data gate, and give
 *   another dist/. astro dev, check, preview and sync are not builds and go on as before.
 * - inside npm run build, which keeps the site folder, the run-time patch of
 *   src/build/patches/astro-writes.ts is installed before Astro writes anything.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { readHandoff } from './handoff.ts';
import { writeOverEarlierBuild } from './patches/astro-writes.ts';

export const BUILD_ALONE_MESSAGE =
  '请用 npm run build 构建网站：单独运行的 astro build 不做数据校验，也不写全站开放数据、搜索索引、SHA256SUMS，不做个人信息检查，得出的 dist/ 与 npm run build 的不同。';

export function buildWing(): AstroIntegration {
  return {
    name: 'gpdzc-build-wing',
    hooks: {
      'astro:config:setup': async ({ command, config }) => {
        if (command !== 'build') return;
        const handoff = readHandoff();
        if (!handoff) {
          console.error(BUILD_ALONE_MESSAGE);
          process.exit(1);
        }
        if (handoff.keepOutDir) await writeOverEarlierBuild(fileURLToPath(config.outDir));
      },
    },
  };
}
