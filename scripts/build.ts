/**
 * npm run build: `astro build` (validates DATA_DIR and content/, renders the site), then,
 * once it has exited, the search index and SHA256SUMS over the output.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { indexSite } from '../src/lib/site-index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const astro = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'build', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
});
if (astro.status !== 0) process.exit(astro.status ?? 1);
await indexSite(path.resolve(ROOT, process.env.ASTRO_OUT_DIR || 'dist'), (line) => console.log(`[索引] ${line}`));
