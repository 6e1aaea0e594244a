/**
 * The personal-data gate on the fixture build: the site as built passes; a copy of it with a
 * leak planted in each kind of place a build writes (a page, page data, a download, the
 * /sources/ copies, the sitemap, RSS, SHA256SUMS, an SVG, a zip entry, an .xlsx's document
 * properties inside a zip, Pagefind's gzip fragments, a JPEG's EXIF) fails, each leak named
 * with its file; and a build with PUBLISH_PERSONAL_NAMES=1 shows the consented 驻村人员 names,
 * passes with that consent, and fails without it, while consent allows nothing else.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { zip } from '../unit/xlsx-helpers.ts';
import { FIXTURE, FIXTURE_BULLETINS, FIXTURE_STORIES } from './global-setup.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SIGNED_WORKBOOK = path.join(ROOT, 'tests/fixtures/workbooks/落款-福贡县.xlsx');
const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-privacy-gate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The gate as `npm run privacy:check -- DIR` runs it: exit status and the report's finding lines. */
function gate(dir: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/privacy-check.ts'), dir], { cwd: ROOT, env: { ...process.env, DATA_DIR: FIXTURE, PUBLISH_PERSONAL_NAMES: '', ...env }, encoding: 'utf8' });
  const findings = r.stderr.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim());
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, findings };
}

/** A DATA_DIR whose July export is a workbook signed off by 李建国 and 王秀英, who also wrote its properties. */
function signedDataDir(): string {
  const data = path.join(work, 'data-signed');
  cpSync(FIXTURE, data, { recursive: true });
  cpSync(SIGNED_WORKBOOK, path.join(data, 'exports/2020-07/福贡县.xlsx'));
  return data;
}

describe('the personal-data gate', () => {
  it('passes the site as built', () => {
    const r = gate(inject('siteDir'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\[个人信息\] 检查了 [\d,]+ 个文件（.*查找姓名 3 个（驻村人员 3 个，落款和文档属性 0 个），未发现个人信息/);
  });

  it('catches every kind of leak in every kind of place, each with its file', async () => {
    const site = path.join(work, 'planted');
    cpSync(inject('siteDir'), site, { recursive: true });
    const village = readdirSync(path.join(site, 'villages')).find((d) => /^\d{12}$/.test(d))!;
    const unit = readdirSync(path.join(site, 'units')).find((d) => /^[0-9A-Z]{18}$/.test(d))!;
    const source = readdirSync(path.join(site, 'sources'), { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.csv'))!;
    const fragment = readdirSync(path.join(site, 'pagefind/fragment'))[0]!;
    const plant = (file: string, text: string) => appendFileSync(path.join(site, file), text);

    // text files: the leak appended as a new last line
    plant(`villages/${village}/index.html`, '\n<p>联系电话：13912345678</p>\n');
    plant(`units/${unit}/data.json`, '\n{"联系人身份证":"533323198001011232"}\n');
    plant('downloads/registry/pairings.csv', '\n533323101001,填报人邮箱 lijianguo@example.com\n');
    plant(`sources/${source}`, '\n填报人：王秀英\n');
    plant('sitemap-0.xml', '\n<!-- 0886-3621234 -->\n');
    plant('bulletins/rss.xml', '\n<!-- 驻村人员：张示例 -->\n');
    plant('SHA256SUMS', '\n533323197506120042  wangxiuying.txt\n');
    plant('favicon.svg', '\n<!-- wangxiuying@example.com -->\n');
    // a Pagefind fragment, decompressed, given a name, compressed again
    const fragmentPath = path.join(site, 'pagefind/fragment', fragment);
    writeFileSync(fragmentPath, gzipSync(Buffer.concat([gunzipSync(readFileSync(fragmentPath)), Buffer.from('\n李建国')])));
    // a zip download: a CSV entry with a phone number, and an .xlsx whose properties name its author
    const workbook = zip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'xl/workbook.xml', data: '<workbook/>' },
      { name: 'docProps/core.xml', data: '<cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:creator>王秀英</dc:creator></cp:coreProperties>' },
    ]);
    writeFileSync(path.join(site, 'downloads/all.zip'), zip([
      { name: 'progress/all.csv', data: '月份,联系电话\n2020-07,(0886)3621234\n' },
      { name: 'progress/2020-07.xlsx', data: Buffer.from(workbook) },
    ]));
    // a photo with the position it was taken at and its photographer
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#6a8' } })
      .jpeg()
      .withExif({ IFD0: { Artist: 'Li Jianguo' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '26/1 54/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '98/1 51/1 0/1' } })
      .toBuffer();
    mkdirSync(path.join(site, '_astro'), { recursive: true });
    writeFileSync(path.join(site, '_astro/photo.jpg'), jpeg);

    const r = gate(site, { DATA_DIR: signedDataDir() });
    expect(r.status).toBe(1);
    const lastLine = (file: string) => readFileSync(path.join(inject('siteDir'), file), 'utf8').split('\n').length + 1;
    const expected = [
      `villages/${village}/index.html 第 ${lastLine(`villages/${village}/index.html`)} 行：手机号码 139****5678`,
      `units/${unit}/data.json 第 ${lastLine(`units/${unit}/data.json`)} 行：身份证号码 5333**********1232`,
      `downloads/registry/pairings.csv 第 ${lastLine('downloads/registry/pairings.csv')} 行：电子邮箱地址 l***@example.com`,
      `sources/${source} 第 ${lastLine(`sources/${source}`)} 行：姓名 王**（来自exports/2020-07/福贡县.xlsx 的落款“审核人”）`,
      `sitemap-0.xml 第 ${lastLine('sitemap-0.xml')} 行：固定电话号码 088*-***1234`,
      expect.stringMatching(new RegExp(`^bulletins/rss\\.xml 第 ${lastLine('bulletins/rss.xml')} 行：姓名 张\\*\\*（来自附件2 驻村人员（registry/pairings\\.csv 第 \\d+ 行））$`)),
      `SHA256SUMS 第 ${lastLine('SHA256SUMS')} 行：身份证号码 5333**********0042`,
      `favicon.svg 第 ${lastLine('favicon.svg')} 行：电子邮箱地址 w***@example.com`,
      expect.stringMatching(new RegExp(`^pagefind/fragment/${fragment}（gzip） 第 \\d+ 行(第 \\d+ 个字符)?：姓名 李\\*\\*（来自exports/2020-07/福贡县\\.xlsx 的落款“填报人”）$`)),
      'downloads/all.zip（progress/all.csv） 第 2 行：固定电话号码 (088*)***1234',
      'downloads/all.zip（progress/2020-07.xlsx › docProps/core.xml） dc:creator（作者）：文档属性中的作者或修改者 王**',
      'downloads/all.zip（progress/2020-07.xlsx › docProps/core.xml） 第 1 行：姓名 王**（来自exports/2020-07/福贡县.xlsx 的落款“审核人”）',
      '_astro/photo.jpg EXIF Artist：图片中的作者或所有者 L*********',
      '_astro/photo.jpg EXIF GPSLatitude、GPSLongitude：图片中的 GPS 位置 26.9°，98.8°',
    ];
    // every planted leak, and nothing else
    expect(r.findings).toEqual(expect.arrayContaining(expected));
    expect(r.findings).toHaveLength(expected.length);
    // the count of each kind, in the order the files are read
    expect(r.stderr).toMatch(new RegExp(`^\\[个人信息\\] 网站中发现个人信息 ${expected.length} 处（身份证号码 2 处、图片中的作者或所有者 1 处、图片中的 GPS 位置 1 处、姓名 4 处、固定电话号码 2 处、文档属性中的作者或修改者 1 处、电子邮箱地址 2 处、手机号码 1 处），不能发布`));
  });
});

describe('PUBLISH_PERSONAL_NAMES=1 (consent to publish the 驻村人员 names)', () => {
  const consented = path.join(work, 'consented');
  beforeAll(() => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts')], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: FIXTURE, STORIES_DIR: FIXTURE_STORIES, BULLETINS_DIR: FIXTURE_BULLETINS, ASTRO_OUT_DIR: path.join(consented, 'dist'), ASTRO_CACHE_DIR: path.join(consented, 'cache'), BUILD_STEPS_FILE: path.join(consented, 'steps.json'), ASTRO_TELEMETRY_DISABLED: '1', PUBLISH_PERSONAL_NAMES: '1' },
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`the build with PUBLISH_PERSONAL_NAMES=1 failed:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  });
  const dist = () => path.join(consented, 'dist');

  it('the pages show the names, the build’s own gate passed them, and without consent the gate finds them', () => {
    expect(readFileSync(path.join(dist(), 'villages/533323101001/index.html'), 'utf8')).toContain('张示例、李示例');
    expect(JSON.parse(readFileSync(path.join(consented, 'steps.json'), 'utf8')).steps.map((s: { id: string }) => s.id)).toContain('privacy-gate');
    const withConsent = gate(dist(), { PUBLISH_PERSONAL_NAMES: '1' });
    expect(withConsent.status, withConsent.stderr).toBe(0);
    expect(withConsent.stdout).toContain('驻村人员 3 个，已同意公开，不查');
    const without = gate(dist());
    expect(without.status).toBe(1);
    expect(without.findings).toContainEqual(expect.stringMatching(/^villages\/533323101001\/index\.html 第 \d+ 行(第 \d+ 个字符)?：姓名 张\*\*（来自附件2 驻村人员（registry\/pairings\.csv 第 \d+ 行））$/));
    expect(without.findings).toContainEqual(expect.stringMatching(/^downloads\/registry\/pairings\.csv 第 \d+ 行(第 \d+ 个字符)?：姓名 张\*\*/));
  });

  it('allows exactly the consented names: not a sign-off name, not a phone number', () => {
    const site = path.join(work, 'consented-planted');
    cpSync(dist(), site, { recursive: true });
    appendFileSync(path.join(site, 'index.html'), '\n<p>驻村人员：张示例、李示例、王示例；填报人：李建国，13912345678</p>\n');
    const r = gate(site, { PUBLISH_PERSONAL_NAMES: '1', DATA_DIR: signedDataDir() });
    expect(r.status).toBe(1);
    expect(r.findings.map((f) => f.replace(/ 第 \d+ 行(第 \d+ 个字符)?/, ''))).toEqual([
      'index.html：姓名 李**（来自exports/2020-07/福贡县.xlsx 的落款“填报人”）',
      'index.html：手机号码 139****5678',
    ]);
  });
});
