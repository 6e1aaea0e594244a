/** Astro's stdout gathered into few writes inside the build (src/lib/publish/gathered-writes.ts): nothing lost, nothing reordered. */
import { describe, expect, it } from 'vitest';
import { gatherWrites } from '../../src/lib/publish/gathered-writes.ts';

function fakeStream(name: string, log: string[]) {
  return { write: (chunk: unknown, ..._rest: unknown[]) => (log.push(`${name}:${typeof chunk === 'string' ? chunk : `<${Buffer.from(chunk as Uint8Array).toString('utf8')}>`}`), true) };
}

describe('gathered writes', () => {
  it('many lines become one write, in order, once the limit is reached or the process exits', () => {
    const log: string[] = [];
    const out = fakeStream('out', log);
    let exit = () => {};
    gatherWrites(out, { maxChars: 36, onExit: (f) => (exit = f) });
    for (let i = 0; i < 10; i++) out.write(`  ├─ /villages/${i}/\n`);
    // 18 characters a line: every second line reaches the limit
    expect(log).toHaveLength(5);
    out.write('tail\n');
    expect(log).toHaveLength(5);
    exit();
    expect(log.join('').replaceAll('out:', '')).toBe(`${Array.from({ length: 10 }, (_, i) => `  ├─ /villages/${i}/\n`).join('')}tail\n`);
  });

  it('an error on stderr comes after the lines written before it; bytes and callbacks go through in order', () => {
    const log: string[] = [];
    const out = fakeStream('out', log);
    const err = fakeStream('err', log);
    gatherWrites(out, { flushBefore: [err], onExit: () => {} });
    out.write('a\n');
    out.write('b\n');
    err.write('错误\n');
    out.write('c\n');
    out.write(Buffer.from('字节\n'));
    out.write('d\n', () => {});
    expect(log).toEqual(['out:a\nb\n', 'err:错误\n', 'out:c\n', 'out:<字节\n>', 'out:d\n']);
  });

  it('what is gathered is written within the delay even if nothing else comes', async () => {
    const log: string[] = [];
    const out = fakeStream('out', log);
    gatherWrites(out, { maxDelayMs: 20, onExit: () => {} });
    out.write('x\n');
    expect(log).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(log).toEqual(['out:x\n']);
  });
});
