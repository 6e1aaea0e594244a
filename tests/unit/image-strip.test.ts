/**
 * Re-encoding an image without metadata (src/lib/content/image-strip.ts): a phone's JPEG loses
 * its EXIF (GPS, owner, maker note), XMP, IPTC, comment and trailer and is turned upright; the
 * other formats an editor may use lose theirs; lossless images keep every pixel; what sharp
 * cannot decode is refused with the file's name.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { rasterFormatOf, withoutMetadata } from '../../src/lib/content/image-strip.ts';
import { OWNER, PHONE_NUMBER, STORED, hasGpsIfd, metadataIn, phonePhotoJpeg, taggedImage } from '../site/phone-photo.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The colour at (x, y) of a decoded image, as [r, g, b]. */
async function pixel(bytes: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (y * info.width + x) * 3;
  return [data[at]!, data[at + 1]!, data[at + 2]!];
}
const red = (c: number[]) => c[0]! > 150 && c[1]! < 80 && c[2]! < 80;
const blue = (c: number[]) => c[2]! > 150 && c[0]! < 80 && c[1]! < 80;

describe('an image re-encoded without metadata', () => {
  it('the phone photo carries its GPS position and owner to begin with', async () => {
    const photo = await phonePhotoJpeg();
    const m = await sharp(photo).metadata();
    expect(m.orientation).toBe(6);
    expect(hasGpsIfd(m.exif!)).toBe(true);
    expect(m.exif!.includes(Buffer.from(OWNER, 'utf8'))).toBe(true);
    expect(m.xmp!.includes(Buffer.from(OWNER, 'utf8'))).toBe(true);
    expect(m.iptc!.includes(Buffer.from(OWNER, 'utf8'))).toBe(true);
    expect(await metadataIn(photo)).toEqual(
      expect.arrayContaining(['EXIF', 'XMP', 'IPTC', 'orientation 6', OWNER, `${PHONE_NUMBER} (UTF-16)`, 'JPEG segment FFE1', 'JPEG segment FFED', 'JPEG segment FFFE', 'JPEG: bytes after the end of the image']),
    );
  });

  it('the phone JPEG comes out as a JPEG with none of it, turned upright as the phone showed it', async () => {
    const photo = await phonePhotoJpeg();
    const out = await withoutMetadata(photo, 'jpeg', 'IMG_20201218_101530.jpg');
    expect(await metadataIn(out)).toEqual([]);
    const m = await sharp(out).metadata();
    expect([m.format, m.width, m.height]).toEqual(['jpeg', STORED.height, STORED.width]);
    // the stored left half (red) is shown at the top
    expect(red(await pixel(out, STORED.height / 2, 10))).toBe(true);
    expect(blue(await pixel(out, STORED.height / 2, STORED.width - 10))).toBe(true);
    // the same photo gives the same bytes: builds stay reproducible
    expect(out.equals(await withoutMetadata(photo, 'jpeg', 'IMG_20201218_101530.jpg'))).toBe(true);
  });

  it.each(['png', 'webp', 'avif', 'gif'] as const)('a %s from an editor’s app keeps its format and size and loses its EXIF and XMP', async (format) => {
    const tagged = await taggedImage(format);
    expect((await metadataIn(tagged)).length).toBeGreaterThan(0);
    expect(rasterFormatOf(tagged)).toBe(format);
    const out = await withoutMetadata(tagged, format, `app-image.${format}`);
    expect(await metadataIn(out)).toEqual([]);
    expect(rasterFormatOf(out)).toBe(format);
    const m = await sharp(out).metadata();
    expect([m.width, m.height]).toEqual([640, 480]);
  });

  it('a lossless WebP and an indexed PNG keep every pixel (and the PNG its palette)', async () => {
    const source = readFileSync(path.join(ROOT, 'content/stories/images/2020-06-weining-yangmen-classroom.png'));
    expect((await sharp(source).metadata()).isPalette).toBe(true);
    const png = await withoutMetadata(source, 'png', 'classroom.png');
    expect((await sharp(png).metadata()).isPalette).toBe(true);
    expect((await sharp(png).raw().toBuffer()).equals(await sharp(source).raw().toBuffer())).toBe(true);
    const lossless = await sharp(source).webp({ lossless: true }).withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"/>').toBuffer();
    const webp = await withoutMetadata(lossless, 'webp', 'classroom.webp');
    expect(await metadataIn(webp)).toEqual([]);
    expect((await sharp(webp).raw().toBuffer()).equals(await sharp(lossless).raw().toBuffer())).toBe(true);
  });

  it('tells images from other files by their bytes, not their names', () => {
    expect(rasterFormatOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(rasterFormatOf(Buffer.from('这不是图片，只是改了扩展名的文本文件'))).toBeNull();
  });

  it('refuses, naming the file, an image sharp cannot decode', async () => {
    const broken = Buffer.concat([(await phonePhotoJpeg()).subarray(0, 1200), Buffer.alloc(64, 0x55)]);
    await expect(withoutMetadata(broken, 'jpeg', 'IMG_0001.JPG')).rejects.toThrow(/图片 IMG_0001\.JPG 无法重新编码/);
  });
});
