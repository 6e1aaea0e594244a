/**
 * The W3C Nu HTML Checker (vnu.jar from the npm package vnu-jar, run with the machine's Java:
 * scripts/ensure-chromium.sh installs Debian's default-jre-headless where `java` is missing)
 * over one page of each type of the fixture build: not one error. Warnings and info (the
 * checker reads the pages as files, so their Content-Security-Policy's 'self' matches nothing)
 * are not errors. The checker is also shown a broken page, so a silent run cannot pass.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const require = createRequire(import.meta.url);
const VNU_JAR = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');
const JAVA = process.env.JAVA || 'java';

/** One page of each type (the page's file in dist/); pages some builds lack are checked where present. */
const PAGES = [
  'index.html',
  'villages/533323101001/index.html',
  'units/91520500MA6K0002XC/index.html',
  'counties/533323/index.html',
  'counties/520525/2020-06/index.html',
  'provinces/index.html',
  'provinces/52/index.html',
  'counties/index.html',
  'units/index.html',
  'stories/index.html',
  'stories/2020-08-qingsong-walnut/index.html',
  'bulletins/index.html',
  'bulletins/2020-07/index.html',
  'search/index.html',
  'compare/index.html',
  'data/index.html',
  'sources/index.html',
  'corrections/index.html',
  'about/index.html',
  '404.html',
];
const OPTIONAL = ['privacy/index.html', 'verify/index.html', 'data/dictionary/index.html'];

interface VnuMessage {
  type: string;
  subType?: string;
  url?: string;
  lastLine?: number;
  message: string;
  extract?: string;
}

function vnu(files: string[]): VnuMessage[] {
  const r = spawnSync(JAVA, ['-Xss4m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', timeout: 170_000 });
  if (r.error) throw new Error(`无法运行 Java（${JAVA}）：${r.error.message}。请运行 bash scripts/ensure-chromium.sh（安装 default-jre-headless）。`);
  // vnu writes its report to stderr; exit 1 means "errors found", anything else is a failure to run
  if (r.status !== 0 && r.status !== 1) throw new Error(`vnu 运行失败（退出码 ${r.status}）：${r.stderr}`);
  return (JSON.parse(r.stderr) as { messages: VnuMessage[] }).messages;
}

describe('W3C Nu HTML Checker (vnu-jar) over every page type', () => {
  const siteDir = inject('siteDir');

  it('finds not one error on one page of each type', () => {
    for (const p of PAGES) expect(existsSync(path.join(siteDir, p)), `${p} 不在构建结果中`).toBe(true);
    const files = [...PAGES, ...OPTIONAL.filter((p) => existsSync(path.join(siteDir, p)))].map((p) => path.join(siteDir, p));
    const errors = vnu(files).filter((m) => m.type === 'error' || m.subType === 'fatal' || m.type === 'non-document-error');
    expect(errors.map((m) => `${path.relative(siteDir, new URL(m.url ?? 'file:///?').pathname)}:${m.lastLine ?? '?'} ${m.message} 「${m.extract ?? ''}」`)).toEqual([]);
  });

  it('reports an error where there is one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vnu-'));
    try {
      const bad = path.join(dir, 'bad.html');
      writeFileSync(bad, '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>坏页面</title></head><body><span><div>块元素在行内元素里</div></span><p id="x">1</p><p id="x">2</p></body></html>');
      const messages = vnu([bad]).filter((m) => m.type === 'error').map((m) => m.message);
      expect(messages.some((m) => m.includes('not allowed as child of element “span”'))).toBe(true);
      expect(messages.some((m) => m.includes('Duplicate ID'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
