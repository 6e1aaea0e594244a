/**
 * The pure parts of publishing (src/lib/release): release names and their order, what is kept
 * and what a rollback goes to, the links' text, SHA256SUMS compared with what a folder holds,
 * the SSH target's spec, the HTTP check's addresses, and the signing key's fingerprint and
 * signature as OpenSSH's own ssh-keygen makes and checks them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isReleaseName, releaseName, releaseOfLink, releasesToPrune, rollbackTarget, sortReleases, uniqueName } from '../../src/lib/release/layout.ts';
import { compareWithSums, describeProblems, parseSums, sha256, sumsOk } from '../../src/lib/release/sums.ts';
import { parseSshTarget, shq } from '../../src/lib/release/ssh-target.ts';
import { namedFiles, urlPath } from '../../src/lib/release/check-url.ts';
import { allowedSigners, configuredSigning, keyFingerprint, loadSigningKey, parsePublicKey, signSums, verifySums } from '../../src/lib/release/signing.ts';

const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-release-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('releases: names, order, retention, rollback', () => {
  it('names a release by its UTC time to the second and the short commit; a taken name gets -2, -3', () => {
    const name = releaseName(new Date('2020-12-06T10:00:05.123+08:00'), 'AEBA51A0c0ffee');
    expect(name).toBe('20201206T020005Z-aeba51a');
    expect(isReleaseName(name)).toBe(true);
    expect(isReleaseName('.incoming-20201206T020005Z-aeba51a')).toBe(false);
    expect(uniqueName(name, [name, `${name}-2`])).toBe(`${name}-3`);
    // another commit published within the same second still sorts after it: a rollback goes back to the first
    const other = name.replace(/-[0-9a-z]+$/, '-0000001');
    const second = uniqueName(other, [name]);
    expect(second).toBe(`${other}-2`);
    expect(sortReleases([second, name])).toEqual([name, second]);
    expect(rollbackTarget([name, second], second)).toBe(name);
    expect(sortReleases([`${name}-2`, '20201106T020000Z-fffffff', name, '.trash-x', '20210106T020000Z-0000000'])).toEqual(['20201106T020000Z-fffffff', name, `${name}-2`, '20210106T020000Z-0000000']);
  });

  it('keeps the newest N and always the releases the links point at; a rollback goes to the one before the live one', () => {
    const r = ['20200706T000000Z-a', '20200806T000000Z-b', '20200906T000000Z-c', '20201006T000000Z-d'].map((x) => x.replace(/-(\w)$/, '-$1$1$1$1$1$1$1'));
    expect(releasesToPrune(r, 2, [r[3]!, r[2]!, null])).toEqual([r[0], r[1]]);
    expect(releasesToPrune(r, 2, [r[3]!, r[2]!, r[1]!])).toEqual([r[0]]); // older: b stays
    expect(releasesToPrune(r, 2, [r[1]!, r[3]!, r[0]!])).toEqual([]); // rolled back to b, a older: both stay
    expect(rollbackTarget(r, r[3]!)).toBe(r[2]);
    expect(rollbackTarget(r, r[0]!)).toBeNull();
    expect(rollbackTarget(r, null)).toBeNull();
    expect(releaseOfLink(`releases/${r[1]}`)).toBe(r[1]);
    expect(releaseOfLink('/srv/elsewhere')).toBeNull();
  });
});

describe('SHA256SUMS against a folder', () => {
  it('names what is missing, changed, extra and not a file; the files published beside the list are allowed', () => {
    const sums = parseSums(`${sha256('a')}  index.html\n${sha256('b')}  villages/1/index.html\n${sha256('c')}  gone.csv\n`);
    const found = { files: new Map([['index.html', sha256('a')], ['villages/1/index.html', sha256('B')], ['SHA256SUMS', 'x'], ['SHA256SUMS.sig', 'y'], ['allowed_signers', 'z'], ['.build-ok.json', 'w'], ['stray.html', 'v']]), other: ['link'] };
    const p = compareWithSums(sums, found);
    expect(p).toEqual({ missing: ['gone.csv'], changed: ['villages/1/index.html'], extra: ['stray.html'], other: ['link'] });
    expect(sumsOk(p)).toBe(false);
    expect(describeProblems(p)).toEqual(['缺少 1 个文件：gone.csv', '1 个文件的 SHA-256 与 SHA256SUMS 不符：villages/1/index.html', '多出 1 个 SHA256SUMS 没有列出的文件：stray.html', '有 1 个不是普通文件（符号链接等）：link']);
    expect(() => parseSums('not a line\n')).toThrow('SHA256SUMS 第 1 行格式不对');
  });
});

describe('targets and addresses', () => {
  it('user@host:/path is an SSH target; a local path is not; shell words are quoted', () => {
    expect(parseSshTarget('deploy@gpdzc.example.cn:/srv/gpdzc/')).toEqual({ host: 'deploy@gpdzc.example.cn', root: '/srv/gpdzc' });
    expect(parseSshTarget('web1:/srv/gpdzc')).toEqual({ host: 'web1', root: '/srv/gpdzc' });
    expect(parseSshTarget('/srv/gpdzc')).toBeNull();
    expect(parseSshTarget('./a:b')).toBeNull();
    expect(parseSshTarget('host:relative')).toBeNull();
    const r = spawnSync('sh', ['-c', `printf %s ${shq("it's $HOME `x`")}`], { encoding: 'utf8' });
    expect(r.stdout).toBe("it's $HOME `x`");
  });

  it('a file’s address and the named pages of the HTTP check', () => {
    expect(urlPath('index.html')).toBe('/');
    expect(urlPath('villages/533323101001/index.html')).toBe('/villages/533323101001/');
    expect(urlPath('sources/2020-07/福贡县.csv')).toBe('/sources/2020-07/%E7%A6%8F%E8%B4%A1%E5%8E%BF.csv');
    const named = namedFiles(['index.html', 'villages/533323101001/index.html', 'units/91530000MA6K000001/index.html', 'counties/533323/2020-07/index.html', 'counties/533323/index.html', 'search-index/meta.json', 'pagefind/pagefind-entry.json']);
    expect(named.map((n) => n.what)).toEqual(['首页', '村页面', '帮扶单位页面', '县的月度统计表', '名称索引入口', '全文搜索入口', 'SHA256SUMS']);
    expect(named[3]!.file).toBe('counties/533323/2020-07/index.html');
  });
});

describe('signing with OpenSSH', () => {
  const keyFile = path.join(work, 'office');
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'office', '-f', keyFile]);
  const pub = readFileSync(`${keyFile}.pub`, 'utf8');

  it('the fingerprint is the one ssh-keygen -l prints; the page shows nothing when no key is configured', () => {
    const shown = spawnSync('ssh-keygen', ['-l', '-f', `${keyFile}.pub`], { encoding: 'utf8' }).stdout.split(' ')[1];
    expect(keyFingerprint(parsePublicKey(pub)!)).toBe(shown);
    expect(configuredSigning({})).toBeNull();
    expect(configuredSigning({ PUBLISH_SIGNING_PUBLIC_KEY: pub })!.fingerprint).toBe(shown);
    expect(() => configuredSigning({ PUBLISH_SIGNING_PUBLIC_KEY: 'not a key' })).toThrow('不是 OpenSSH 公钥');
  });

  it('a signature made from the key file or the key itself verifies with allowed_signers; a changed list or another key does not', () => {
    for (const value of [keyFile, readFileSync(keyFile, 'utf8')]) {
      const key = loadSigningKey({ PUBLISH_SIGNING_KEY: value })!;
      try {
        const sums = Buffer.from(`${sha256('a')}  index.html\n`);
        const sig = signSums(key, sums);
        expect(sig).toContain('BEGIN SSH SIGNATURE');
        expect(key.allowedSigners).toBe(allowedSigners('gpdzc-release', parsePublicKey(pub)!));
        expect(verifySums(key.allowedSigners, 'gpdzc-release', sums, sig)).toMatchObject({ ok: true });
        expect(verifySums(key.allowedSigners, 'gpdzc-release', Buffer.from(`${sha256('b')}  index.html\n`), sig).ok).toBe(false);
        expect(verifySums(key.allowedSigners, 'someone-else', sums, sig).ok).toBe(false);
      } finally {
        key.dispose();
      }
    }
    expect(loadSigningKey({})).toBeNull();
    expect(() => loadSigningKey({ PUBLISH_SIGNING_KEY: path.join(work, 'no-such-key') })).toThrow('PUBLISH_SIGNING_KEY 不是可用的 OpenSSH 私钥文件');
  });
});
