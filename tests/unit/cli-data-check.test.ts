import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FLAT_HEADER, SMALL, flatColumn, flatRow } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function dataCheck(args: string[], dataDir: string) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/data-check.ts'), ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function copyOfSmall(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gpdzc-check-'));
  temps.push(dir);
  cpSync(SMALL, dir, { recursive: true });
  return dir;
}

describe('npm run data:check', () => {
  it('valid data: exit 0, JSON with ok and counts that add up', () => {
    const r = dataCheck(['--json'], SMALL);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.ok).toBe(true);
    expect(json.rows.read).toBe(json.rows.accepted + json.rows.rejected + json.rows.skipped);
    expect(json.rows.rejected).toBe(0);
    expect(json.files).toHaveLength(7);
    for (const i of json.issues) expect(Object.keys(i).sort()).toEqual(['code', 'column', 'file', 'message', 'row', 'severity']);
  });

  it('a bad export: exit 1 and a Chinese report naming file, row and column, every problem at once', () => {
    const dir = copyOfSmall();
    writeFileSync(
      path.join(dir, 'exports/2020-07/坏表.csv'),
      `${FLAT_HEADER}\r\n${flatRow({ 村代码: '', 帮扶村: '青松林', '已解决就业人数': '三人' })}\r\n${flatRow({ 帮扶村: '白河村', 村代码: '533323101002', '计划销售（万元）': '-1' })}\r\n`,
    );
    const r = dataCheck([], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('【exports/2020-07/坏表.csv】');
    expect(r.stdout).toContain(`第 2 行 ${flatColumn('已解决就业人数')} 列`);
    expect(r.stdout).toContain('“三人” 不是数字');
    expect(r.stdout).toContain('最接近的登记名称是“青松村”');
    expect(r.stdout).toContain(`第 3 行 ${flatColumn('计划销售（万元）')} 列`);
    expect(r.stdout).toContain('校验未通过');
    const json = JSON.parse(dataCheck(['--json'], dir).stdout);
    expect(json.ok).toBe(false);
    expect(json.issues.filter((i: { file: string }) => i.file === 'exports/2020-07/坏表.csv').map((i: { code: string }) => i.code)).toEqual(
      ['UNKNOWN_VILLAGE', 'BAD_NUMBER', 'NEGATIVE_VALUE'],
    );
  });

  it('empty and binary files given as paths: exit 1, no crash', () => {
    const dir = copyOfSmall();
    const empty = path.join(dir, 'exports/2020-07/空.csv');
    const binary = path.join(dir, 'exports/2020-07/图.csv');
    writeFileSync(empty, '');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    const r = dataCheck(['--json', empty, binary], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    const json = JSON.parse(r.stdout);
    expect(json.issues.map((i: { code: string }) => i.code).sort()).toEqual(['BINARY_FILE', 'EMPTY_FILE']);
  });

  it('a month folder with a bad name is reported', () => {
    const dir = copyOfSmall();
    cpSync(path.join(dir, 'exports/2020-07'), path.join(dir, 'exports/2020-7'), { recursive: true });
    const json = JSON.parse(dataCheck(['--json'], dir).stdout);
    expect(json.issues.filter((i: { code: string }) => i.code === 'BAD_MONTH_DIR')).toHaveLength(1);
  });

  it('an unknown option is a usage error: exit 2', () => {
    const r = dataCheck(['--jsn'], SMALL);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('未知的选项');
  });
});
