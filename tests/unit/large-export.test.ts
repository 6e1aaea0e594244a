import { describe, expect, it } from 'vitest';
import { csvRows, parseCsv } from '../../src/lib/ingest/csv.ts';
import { ingest } from '../../src/lib/ingest/ingest.ts';
import { textReport } from '../../src/lib/ingest/report.ts';
import { countsAddUp, flatRow, FLAT_HEADER, ingestExports, issuesOf, utf8 } from './helpers.ts';
import { largeData } from './large-data.ts';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

describe('size', () => {
  it('a large table read in batches gives exactly the rows of a whole-file parse, quoted line breaks included', () => {
    const lines: string[] = [];
    for (let i = 0; i < 65_000; i++) {
      if (i % 7 === 0) lines.push(`${i},"第一行\r\n第二行 ""引号"" ,逗号",x`);
      else if (i % 11 === 0) lines.push(`${i},5"寸,"\n"`); // a quote inside a cell is a character; then a quoted line break
      else lines.push(`${i},青松村,12.5`);
    }
    const text = lines.join('\r\n') + '\r\n';
    const problems: unknown[] = [];
    const batched = [...csvRows(text, (p) => problems.push(p))];
    const whole = parseCsv(text);
    expect(batched.length).toBe(65_000);
    expect(batched).toEqual(whole.rows);
    expect(problems).toEqual(whole.problems);
  });


  it('one export of 150,000 rows is checked without a crash, and its counts add up', () => {
    const n = 150_000;
    // every 10,000th row has a bad number in 已解决就业人数 (column 21 of the flat export)
    const data = largeData(n, (i) => (i % 10_000 === 0 ? { 20: '三人' } : null));
    const r = ingest({
      villages: { path: 'registry/villages.csv', bytes: bytes(data.villages) },
      units: { path: 'registry/units.csv', bytes: bytes(data.units) },
      pairings: { path: 'registry/pairings.csv', bytes: bytes(data.pairings) },
      exports: [{ path: 'exports/2020-07/云南省.csv', bytes: bytes(data.export), month: '2020-07' }],
    });
    const f = r.files.find((x) => x.kind === 'export')!;
    expect(f.rows).toEqual({ read: n + 1, accepted: n - 15, rejected: 15, skipped: 1 });
    expect(r.progress).toHaveLength(n - 15);
    expect(countsAddUp(r)).toBe(true);
    const bad = issuesOf(r, 'BAD_NUMBER');
    expect(bad).toHaveLength(15);
    expect(bad[14]).toMatchObject({ row: 140_002, column: 'U' });
    expect(textReport(r)).toContain('进展记录 149,985 条');
  }, 120_000);

  it('a 2 MB cell is cut to its first 60 characters in every message, with its length', () => {
    const huge = '青'.repeat(2 * 1024 * 1024);
    const r = ingestExports([{ path: 'exports/2020-07/长.csv', bytes: utf8(`${FLAT_HEADER}\n${flatRow({ 村代码: '', 帮扶村: huge, 计划就业人数: `${huge}1` })}\n`) }]);
    expect(r.issues.length).toBeGreaterThanOrEqual(2);
    for (const i of r.issues) expect(i.message.length).toBeLessThan(400);
    const village = issuesOf(r, 'UNKNOWN_VILLAGE')[0]!;
    expect(village.message).toContain(`${'青'.repeat(60)}…（共 2,097,152 字）`);
    expect(issuesOf(r, 'BAD_NUMBER')[0]!.message).toContain('…（共 2,097,153 字）');
    expect(countsAddUp(r)).toBe(true);
  });
});
