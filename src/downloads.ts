/**
 * The bridge from the site's read model to the open-data files of src/lib/publish/opendata.ts.
 * The site-wide downloads (per month and all months; the registry) are written once per
 * build, straight into the output folder's downloads/, piece by piece: at national scale
 * the all-months JSON is close to 1 GB, more than one JavaScript string can hold. The data
 * page (sizes) and datapackage.json (bytes, hashes) read what was written. Inside
 * scripts/build.ts its data step has written them before astro build starts, and their list
 * comes in the build's handoff (src/build/handoff.ts); under astro dev they are written here.
 */
import path from 'node:path';
import { dataPackage } from './lib/publish/opendata/datapackage.ts';
import { siteDownloadsInput, writeSiteDownloads, type DownloadFile } from './lib/publish/opendata/site-downloads.ts';
import { readHandoff } from './build/handoff.ts';
import { PUBLISH_PERSONAL_NAMES, getDatasetInfo, getSiteModel } from './site-data.ts';

export type { DownloadFile };

/** Where Astro writes the site (astro.config.mjs reads the same variable). */
const OUT_DIR = path.resolve(process.env.ASTRO_OUT_DIR || 'dist');

let files: Promise<Map<string, DownloadFile>> | null = null;

/** Every file under /downloads/ except datapackage.json, by path relative to /downloads/ (written on first call). */
export function getDownloadFiles(): Promise<Map<string, DownloadFile>> {
  files ??= (async () => {
    // inside scripts/build.ts its data step wrote them before this build started
    const handoff = readHandoff();
    if (handoff) return new Map(handoff.siteDownloads.map((f) => [f.path, f]));
    const [model, dataset] = await Promise.all([getSiteModel(), getDatasetInfo()]);
    return writeSiteDownloads(siteDownloadsInput(model, dataset, PUBLISH_PERSONAL_NAMES), path.join(OUT_DIR, 'downloads'));
  })();
  return files;
}

export async function getDataPackageJson(): Promise<string> {
  const [model, dataset, all] = await Promise.all([getSiteModel(), getDatasetInfo(), getDownloadFiles()]);
  const stats = Object.fromEntries(
    [...all.values()].filter((f) => f.flavour === 'csv').map((f) => [f.path, { bytes: f.bytes, hash: `sha256:${f.sha256}` }]),
  );
  return `${JSON.stringify(dataPackage({ synthetic: dataset.synthetic, months: model.months, publishNames: PUBLISH_PERSONAL_NAMES, files: stats }), null, 2)}\n`;
}

/** A download as the endpoint's response. */
export function fileResponse(body: string, contentType: string): Response {
  return new Response(body, { headers: { 'Content-Type': contentType } });
}

// The per-page downloads (/villages/<code>/data.csv …) are written after the build by
// src/lib/publish/entity-downloads.ts, straight from the read model.
