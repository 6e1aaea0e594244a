/**
 * What the site says about itself at its foot, and its 隐私声明:
 * - every page of every kind links the 隐私声明 (/privacy/) from its footer, and /about/ links it;
 * - the privacy page says what it must, and what it says of the site is true of the build:
 *   no cookie, browser storage or beacon in any page or script, nothing loaded from elsewhere;
 * - 主办单位, 承办单位, 网站标识码, ICP 备案号 and 公安机关备案号 appear only when set: the shipped
 *   config sets none and no page shows one; set through the environment (SITE_HOST_ORG …),
 *   the footer of every page shows exactly them, linked to the record systems, also on the
 *   pages an incremental build would otherwise have reused from the build without them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ICP_RECORD_URL, psbRecordUrl, siteIdentity } from '../../src/lib/site-config.ts';
import { FIXTURE, FIXTURE_BULLETINS, FIXTURE_STORIES } from './global-setup.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const site = () => inject('siteDir');

/** Every HTML file of a built site, as its path under the site. */
function htmlFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.html')).sort();
}
const footerOf = (html: string) => /<footer class="site-footer">([\s\S]*?)<\/footer>/.exec(html)?.[1] ?? null;
/** One page of each kind the fixture has. */
const KINDS = ['index.html', 'villages/533323101001/index.html', 'units/91533300MA6K0001XA/index.html', 'counties/533323/index.html', 'counties/533323/2020-07/index.html', 'provinces/53/index.html', 'stories/2020-08-qingsong-walnut/index.html', 'bulletins/index.html', 'data/index.html', 'sources/index.html', 'search/index.html', 'compare/index.html', 'about/index.html', 'privacy/index.html', '404.html'];

describe('隐私声明', () => {
  it('is linked from the footer of every page, and from /about/', () => {
    const files = htmlFiles(site());
    expect(files.length).toBeGreaterThan(50);
    for (const k of KINDS) expect(files, k).toContain(k);
    for (const f of files) {
      const footer = footerOf(readFileSync(path.join(site(), f), 'utf8'));
      expect(footer, f).not.toBeNull();
      expect(footer, f).toContain('<a href="/privacy/">隐私声明</a>');
    }
    const about = readFileSync(path.join(site(), 'about/index.html'), 'utf8');
    expect(about.replace(footerOf(about)!, '')).toContain('<a href="/privacy/">隐私声明</a>');
  });

  it('says what the site does not collect, what the public copies leave out and why', () => {
    const html = readFileSync(path.join(site(), 'privacy/index.html'), 'utf8');
    const text = /<main[\s\S]*?<\/main>/.exec(html)![0].replace(/<[^>]+>/g, '');
    expect(html).toContain('<h1>隐私声明</h1>');
    for (const words of ['不使用 Cookie', 'localStorage', '不做访问统计', '不收集个人信息', '只记在页面地址', '访问日志', '公开副本', '填报人、联系电话、审核人', '文档属性', '数据约定以外的列', '居民身份证号码', '电子邮箱地址', '驻村人员姓名', '目前本站不公布驻村人员姓名']) {
      expect(text, words).toContain(words);
    }
    // the number of public copies, as /sources/ lists them
    const sources = readFileSync(path.join(site(), 'sources/index.html'), 'utf8');
    const copies = (sources.match(/<tr data-url="\/sources\//g) ?? []).length;
    expect(copies).toBeGreaterThan(0);
    expect(text).toContain(`（目前 ${copies} 份）`);
    expect(html).toContain('<a href="/sources/">原始报表</a>');
  });

  it('is true of the build: no cookie, browser storage, beacon or request elsewhere in any page or script', () => {
    const scripts = (readdirSync(site(), { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => /\.m?js$/.test(f));
    expect(scripts.some((f) => f.startsWith('pagefind/'))).toBe(true);
    const storage = /document\.cookie|localStorage|sessionStorage|indexedDB|sendBeacon|serviceWorker/;
    for (const f of scripts) expect(readFileSync(path.join(site(), f), 'utf8'), f).not.toMatch(storage);
    // and the pages' own scripts (not their text: the privacy page names localStorage)
    for (const f of htmlFiles(site())) {
      for (const m of readFileSync(path.join(site(), f), 'utf8').matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) expect(m[1], f).not.toMatch(storage);
    }
    for (const f of htmlFiles(site())) {
      const html = readFileSync(path.join(site(), f), 'utf8');
      // resources (not links): only this site's own
      expect(html, f).not.toMatch(/<(?:script|img|iframe|source)\b[^>]*\ssrc="(?:https?:)?\/\//);
      expect(html, f).not.toMatch(/<link\b[^>]*rel="(?:stylesheet|preload|modulepreload|prefetch)"[^>]*href="(?:https?:)?\/\//);
    }
  });
});

describe('主办单位, 承办单位 and record numbers', () => {
  it('are read from the environment, each null unless set', () => {
    expect(siteIdentity(() => undefined)).toEqual({ hostOrg: null, operatorOrg: null, icp: null, psb: null, siteCode: null });
    const env: Record<string, string> = { SITE_HOST_ORG: ' 甲单位 ', SITE_OPERATOR_ORG: '  ', SITE_ICP: '京ICP备00000000号', SITE_PSB: '京公网安备 11000000000000号', SITE_ID_CODE: 'bm00000000' };
    expect(siteIdentity((k) => env[k])).toEqual({ hostOrg: '甲单位', operatorOrg: null, icp: '京ICP备00000000号', psb: '京公网安备 11000000000000号', siteCode: 'bm00000000' });
    expect(psbRecordUrl('京公网安备 11000000000000号')).toBe('https://beian.mps.gov.cn/#/query/webSearch?code=11000000000000');
    expect(psbRecordUrl('备案中')).toBe('https://beian.mps.gov.cn/');
  });

  it('are not shown in the shipped config', () => {
    for (const f of htmlFiles(site())) {
      const footer = footerOf(readFileSync(path.join(site(), f), 'utf8'))!;
      expect(footer, f).not.toMatch(/data-identity|主办单位|承办单位|网站标识码|ICP|公网安备|beian/);
    }
  });

  // Test values, not anyone's records: the build is a copy of the fixture's, rebuilt with the settings.
  const SET = { SITE_HOST_ORG: '测试主办单位', SITE_ICP: '测ICP备00000001号', SITE_PSB: '测公网安备 99000000000001号', SITE_ID_CODE: 'test000001' };
  let work: string | undefined;
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('when set, every footer shows exactly them, also on pages an incremental build would have reused', () => {
    work = mkdtempSync(path.join(tmpdir(), 'gpdzc-identity-'));
    const build = (settings: Record<string, string>) => {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts')], {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: FIXTURE, STORIES_DIR: FIXTURE_STORIES, BULLETINS_DIR: FIXTURE_BULLETINS, ASTRO_OUT_DIR: path.join(work!, 'dist'), ASTRO_CACHE_DIR: path.join(work!, 'cache'), BUILD_STEPS_FILE: path.join(work!, 'steps.json'), ASTRO_TELEMETRY_DISABLED: '1', ...settings },
        encoding: 'utf8',
      });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      return stripVTControlCharacters(r.stdout);
    };
    // a build without the settings, then one with them into the same folder and cache: the
    // keyed pages (village, unit, county, 附件3 month) that it could reuse are rendered again
    build({});
    expect(build(SET)).toMatch(/沿用上次 0 个/);

    const dist = path.join(work, 'dist');
    const files = htmlFiles(dist);
    for (const k of KINDS) expect(files, k).toContain(k);
    for (const f of files) {
      const footer = footerOf(readFileSync(path.join(dist, f), 'utf8'))!;
      const shown = [...footer.matchAll(/<(span|a) (?:href="([^"]*)" )?data-identity="([a-z-]+)">([^<]*)<\/\1>/g)].map((m) => ({ key: m[3], text: m[4], href: m[2] ?? null }));
      expect(shown, f).toEqual([
        { key: 'host-org', text: '主办单位：测试主办单位', href: null },
        { key: 'site-code', text: '网站标识码：test000001', href: null },
        { key: 'icp', text: '测ICP备00000001号', href: ICP_RECORD_URL },
        { key: 'psb', text: '测公网安备 99000000000001号', href: 'https://beian.mps.gov.cn/#/query/webSearch?code=99000000000001' },
      ]);
      // 承办单位 is not set: not shown
      expect(footer, f).not.toContain('承办单位');
    }
  });
});
