/**
 * The build's mark of success: `dist/.build-ok.json`, written by scripts/build.ts as its very
 * last step (after SHA256SUMS and every check over the finished site) and removed when a build
 * starts, so a build that failed or was stopped leaves none. It names the SHA-256 of the
 * SHA256SUMS it finished with: `npm run publish` refuses a dist/ without it, or whose
 * SHA256SUMS is not the one the build finished with (and checks every file against SHA256SUMS
 * anyway). A dotfile: nginx does not serve it (deploy/gpdzc-site.conf), SHA256SUMS does not
 * list it (checksums.ts). No time in it: two builds of the same input stay byte-identical.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUILD_OK_FILE, CHECKSUM_FILE } from '../publish/checksums.ts';

export interface BuildOk {
  ok: true;
  /** SHA-256 of the SHA256SUMS the build finished with */
  sha256sums: string;
  /** how many files SHA256SUMS lists */
  files: number;
}

/** Remove the mark (a build starts: until it finishes, the folder has not passed its checks). */
export function clearBuildOk(site: string): void {
  rmSync(path.join(site, BUILD_OK_FILE), { force: true });
}

/** Write the mark over the finished site (its SHA256SUMS must be there). */
export function writeBuildOk(site: string): void {
  const sums = readFileSync(path.join(site, CHECKSUM_FILE));
  const mark: BuildOk = { ok: true, sha256sums: createHash('sha256').update(sums).digest('hex'), files: sums.toString('utf8').split('\n').filter(Boolean).length };
  const tmp = path.join(site, `${BUILD_OK_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, `${JSON.stringify(mark)}\n`);
  renameSync(tmp, path.join(site, BUILD_OK_FILE));
}
