/**
 * Files of an earlier build written over in place (in-place-write.ts, FileSink): whatever was
 * there before, longer or shorter, the file holds exactly the new bytes, as a fresh write would.
 */
import { closeSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checksumPath, checksums } from '../../src/lib/publish/checksums.ts';
import { writeEntityDownloads } from '../../src/lib/publish/entity-downloads.ts';
import { FileSink } from '../../src/lib/publish/file-sink.ts';
import { openInPlace, WRITE_CHUNK, writeFileInPlace, writeLast } from '../../src/lib/publish/in-place-write.ts';
import { ingestDataDir } from '../../src/lib/ingest/ingest-fs.ts';
import { buildSiteModel } from '../../src/lib/model/read-model.ts';
import { DATA } from './shipped-cells.ts';

const work = mkdtempSync(path.join(tmpdir(), 'gpdzc-inplace-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const text = (n: number, c: string) => c.repeat(n);

describe('writing over an earlier file in place', () => {
  it('writeFileInPlace: a new file, a longer old one, a shorter old one, by path or file URL', async () => {
    const file = path.join(work, 'a.html');
    await writeFileInPlace(file, Buffer.from('第一版'));
    expect(readFileSync(file, 'utf8')).toBe('第一版');
    writeFileSync(file, text(100_000, 'x'));
    await writeFileInPlace(pathToFileURL(file), Buffer.from('短'));
    expect(readFileSync(file, 'utf8')).toBe('短');
    await writeFileInPlace(file, Buffer.from(text(70_000, '长')));
    expect(readFileSync(file, 'utf8')).toBe(text(70_000, '长'));
    await writeFileInPlace(file, new Uint8Array(0));
    expect(statSync(file).size).toBe(0);
  });

  it('a file written over, even with nothing over nothing, is newer than before (the prune keeps what a build wrote by its time)', async () => {
    const file = path.join(work, 'empty.txt');
    writeFileSync(file, '');
    const past = new Date('2020-01-01T00:00:00Z');
    utimesSync(file, past, past);
    await writeFileInPlace(file, new Uint8Array(0));
    expect(statSync(file).mtimeMs).toBeGreaterThan(past.getTime());
    utimesSync(file, past, past);
    const { fd, oldSize } = openInPlace(file);
    writeLast(fd, oldSize, new Uint8Array(0), 0);
    closeSync(fd);
    expect(statSync(file).mtimeMs).toBeGreaterThan(past.getTime());
  });

  it('FileSink: pieces over a longer and over a shorter file leave exactly the pieces, and hash them', () => {
    const file = path.join(work, 'b.csv');
    for (const before of [text(50_000, 'y'), 'z']) {
      writeFileSync(file, before);
      const sink = new FileSink(file);
      sink.write('村,数\n');
      sink.write(Buffer.from('大地村,1\n'));
      const { bytes } = sink.close();
      expect(readFileSync(file, 'utf8')).toBe('村,数\n大地村,1\n');
      expect(bytes).toBe(Buffer.byteLength('村,数\n大地村,1\n'));
    }
  });

  it('FileSink: many pieces, more than one 64 KB chunk, over a file longer, shorter or as long: exactly the pieces', () => {
    const file = path.join(work, 'c.json');
    // pieces of odd lengths, so chunk edges fall inside pieces and inside multi-byte characters
    const pieces = Array.from({ length: 9_000 }, (_, i) => `{"村":"第${i}村","数":${i * 7}}\n`);
    const expected = pieces.join('');
    const length = Buffer.byteLength(expected);
    expect(length).toBeGreaterThan(2 * WRITE_CHUNK);
    for (const before of [text(length + 5_000, 'y'), text(WRITE_CHUNK + 3, 'y'), text(length, 'y'), '']) {
      writeFileSync(file, before);
      const sink = new FileSink(file);
      for (const p of pieces) sink.write(p);
      expect(sink.close().bytes).toBe(length);
      expect(readFileSync(file, 'utf8')).toBe(expected);
    }
  });

  it('the downloads step over an earlier build’s files (each longer or shorter than now) gives the fresh build’s bytes and lines', async () => {
    const data = ingestDataDir(DATA);
    const model = buildSiteModel(data);
    const fresh = path.join(work, 'fresh');
    await writeEntityDownloads(model, fresh, data.dataset.synthetic);
    const files = (readdirSync(fresh, { recursive: true }) as string[]).filter((f) => statSync(path.join(fresh, f)).isFile());
    expect(files.length).toBeGreaterThan(6000);
    const over = path.join(work, 'over');
    files.forEach((f, i) => {
      mkdirSync(path.dirname(path.join(over, f)), { recursive: true });
      // every other file: the earlier one longer than the new, else shorter
      writeFileSync(path.join(over, f), i % 2 === 0 ? Buffer.concat([readFileSync(path.join(fresh, f)), Buffer.from(text(3_000, 'x'))]) : 'x');
    });
    const lines: string[] = [];
    await writeEntityDownloads(model, over, data.dataset.synthetic, (line) => lines.push(line));
    const expected = await checksums(fresh);
    expect(await checksums(over)).toBe(expected);
    // the lines handed on are the files' hashes as they now are
    expect(lines.sort((a, b) => (checksumPath(a) < checksumPath(b) ? -1 : 1)).join('\n') + '\n').toBe(expected);
  });

  it('every length against every old length around the block edges: exactly the new bytes, one write or in pieces', async () => {
    const file = path.join(work, 'edges.html');
    const lengths = [0, 1, 4095, 4096, 4097, 8191, 8192, 12_200, WRITE_CHUNK - 1, WRITE_CHUNK, WRITE_CHUNK + 1, WRITE_CHUNK + 4097];
    for (const length of lengths) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => 33 + (i % 90)));
      const block = length - (length % 4096);
      for (const old of [0, 1, length - 1, length, length + 1, block, block + 1, block + 4096, length + 5_000].filter((n) => n >= 0)) {
        writeFileSync(file, Buffer.alloc(old, 126));
        await writeFileInPlace(file, bytes);
        expect(readFileSync(file).equals(bytes), `one write of ${length} over ${old}`).toBe(true);
        writeFileSync(file, Buffer.alloc(old, 126));
        const sink = new FileSink(file);
        for (let at = 0; at < length; at += 1000) sink.write(bytes.subarray(at, at + 1000));
        sink.close();
        expect(readFileSync(file).equals(bytes), `pieces of ${length} over ${old}`).toBe(true);
      }
    }
  });
});
