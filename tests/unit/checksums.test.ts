/**
 * SHA256SUMS (checksums.ts) and the hashes the downloads step makes as it writes the per-page
 * files: the lines it hands on are exactly what hashing the written files gives, so the
 * published SHA256SUMS does not depend on which step hashed a file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checksumPath, checksums } from '../../src/lib/publish/checksums.ts';
import { writeEntityDownloads } from '../../src/lib/publish/entity-downloads.ts';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { buildSiteModel } from '../../src/lib/model/read-model.ts';
import { DATA } from './shipped-cells.ts';

const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-sums-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('SHA256SUMS', () => {
  it('lists every file with the hash sha256sum gives, sorted by path, and sha256sum -c accepts it', async () => {
    const site = path.join(work, 'plain');
    mkdirSync(path.join(site, 'villages/1'), { recursive: true });
    writeFileSync(path.join(site, 'index.html'), '<p>首页</p>');
    writeFileSync(path.join(site, 'villages/1/data.csv'), '\uFEFF村,数\n大地村,1\n');
    const sums = await checksums(site);
    expect(sums.split('\n').filter(Boolean).map((l) => checksumPath(l))).toEqual(['index.html', 'villages/1/data.csv']);
    writeFileSync(path.join(site, 'SHA256SUMS'), sums);
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: site, encoding: 'utf8' })).toMatch(/villages\/1\/data.csv: OK/);
  });

  it('a line handed on for a file is used instead of reading it (so it must be the written bytes’ hash)', async () => {
    const site = path.join(work, 'known');
    mkdirSync(site, { recursive: true });
    writeFileSync(path.join(site, 'a.txt'), 'a');
    writeFileSync(path.join(site, 'b.txt'), 'b');
    const handed = `${'0'.repeat(64)}  a.txt`;
    const sums = await checksums(site, [handed]);
    expect(sums.split('\n')[0]).toBe(handed);
    expect(sums.split('\n')[1]).toBe((await checksums(site)).split('\n')[1]);
  });

  it('the downloads step’s lines for the shipped data equal hashing the files it wrote', async () => {
    const site = path.join(work, 'downloads');
    const data = ingestDataDir(DATA);
    const sums: string[] = [];
    const written = await writeEntityDownloads(buildSiteModel(data), site, data.dataset.synthetic, (line) => sums.push(line));
    expect(sums).toHaveLength(written);
    expect(written).toBeGreaterThan(6000);
    expect([...sums].sort((a, b) => (checksumPath(a) < checksumPath(b) ? -1 : 1)).join('\n') + '\n').toBe(await checksums(site));
    // the provinces' files are written in pieces: hashed piece by piece, still the file's hash
    const province = sums.find((l) => /^provinces\/\d+\/data\.json$/.test(checksumPath(l)))!;
    expect(readFileSync(path.join(site, checksumPath(province))).length).toBeGreaterThan(100_000);
  });

  it('a file that cannot be written stops the step with its path and the reason, in Chinese', async () => {
    const site = path.join(work, 'blocked');
    const data = ingestDataDir(DATA);
    const model = buildSiteModel(data);
    const code = [...model.villages.keys()][0]!;
    // a folder where the village's data.csv should go
    mkdirSync(path.join(site, 'villages', code, 'data.csv'), { recursive: true });
    await expect(writeEntityDownloads(model, site, data.dataset.synthetic)).rejects.toThrow(new RegExp(`^写入下载文件 .*villages/${code}/data\\.csv 失败：EISDIR`));
  });
});
