/**
 * A story with an editor's phone photo builds, and no image the site publishes carries the
 * photo's metadata. The photo (tests/site/phone-photo.ts) is a JPEG as a phone writes it: EXIF
 * with a GPS position, Artist, Copyright, CameraOwnerName and XPAuthor holding a name and a
 * phone number, a maker note, orientation 6; XMP; IPTC; a comment; a motion-photo trailer. The
 * story uses it as cover and in its text, beside a PNG, a WebP, an AVIF and a GIF carrying EXIF
 * (GPS, owner) and XMP. Built as scripts/build.ts builds, every image file in dist/ — the sizes
 * Astro makes, any original it copies into /_astro/ (where a page links to one) and public/'s
 * og.png — is checked with sharp and by its structure, every file of dist/ for the owner's
 * text, and SHA256SUMS for the bytes finally written.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHONE_NUMBER, STORED, metadataIn, phonePhotoJpeg, taggedImage, telltalesIn } from './phone-photo.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PHOTO = 'IMG_20201218_101530.jpg';
const FORMATS = ['png', 'webp', 'avif', 'gif'] as const;
const IMAGE_FILE = /\.(jpe?g|png|webp|avif|gif|tiff?)$/i;

const STORY = `---
title: 福贡县青松村：核桃车间的新照片
date: 2020-12-18
summary: 编辑用手机拍摄的核桃初加工车间照片，直接放进了案例的图片文件夹。
villages: ['533323101001']
units: ['91533300MA6K0001XA']
measures: [产业扶贫]
cover:
  src: ./images/${PHOTO}
  alt: 核桃初加工车间外景，上半是红色，下半是蓝色
author: 福贡县扶贫办 王某
source: 福贡县扶贫办
---

车间年底满员开工。

![核桃初加工车间外景的手机照片](./images/${PHOTO})

${FORMATS.map((f) => `![修图软件存的 ${f} 图片](./images/app-image.${f})`).join('\n\n')}
`;

let work: string;
let dist: string;
let files: string[];
let photo: Buffer;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'gpdzc-image-metadata-'));
  dist = path.join(work, 'dist');
  const stories = path.join(work, 'stories');
  mkdirSync(path.join(stories, 'images'), { recursive: true });
  photo = await phonePhotoJpeg();
  writeFileSync(path.join(stories, 'images', PHOTO), photo);
  for (const f of FORMATS) writeFileSync(path.join(stories, 'images', `app-image.${f}`), await taggedImage(f));
  writeFileSync(path.join(stories, '2020-12-qingsong-photo.mdx'), STORY);
  const env = {
    ...process.env,
    DATA_DIR: path.join(ROOT, 'tests/fixtures/site-small'),
    STORIES_DIR: stories,
    BULLETINS_DIR: path.join(ROOT, 'tests/fixtures/bulletins-small'),
    ASTRO_OUT_DIR: dist,
    ASTRO_CACHE_DIR: path.join(work, 'cache'),
    ASTRO_TELEMETRY_DISABLED: '1',
  };
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.ts')], { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the story with a phone photo did not build:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  files = readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dist, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const read = (file: string) => readFileSync(path.join(dist, file));
const imageFiles = () => files.filter((f) => IMAGE_FILE.test(f));

describe('a story with a phone photo', () => {
  it('builds and shows the photo upright, as cover and in the text', async () => {
    const html = read('stories/2020-12-qingsong-photo/index.html').toString('utf8');
    const imgs = [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
    const shown = imgs.filter((i) => i.includes('核桃初加工车间外景'));
    expect(shown).toHaveLength(2);
    for (const img of shown) {
      // portrait, as the phone showed it (stored landscape, EXIF orientation 6)
      expect(img).toContain(`width="${STORED.height}"`);
      expect(img).toContain(`height="${STORED.width}"`);
      const src = img.match(/ src="\/([^"]+)"/)![1]!;
      const { data, info } = await sharp(read(src)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([STORED.height, STORED.width]);
      const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
      // the stored left half is red: upright, it is the top half
      const [top, bottom] = [at(info.width / 2, 5), at(info.width / 2, info.height - 5)];
      expect(top[0]! > 150 && top[2]! < 80, `top ${top}`).toBe(true);
      expect(bottom[2]! > 150 && bottom[0]! < 80, `bottom ${bottom}`).toBe(true);
    }
    for (const f of FORMATS) expect(imgs.some((i) => i.includes(`修图软件存的 ${f} 图片`))).toBe(true);
  });

  it('every published file made from the photo is re-encoded and upright, and its original, linked by no page, is not published', async () => {
    const fromPhoto = imageFiles().filter((f) => path.basename(f).startsWith(`${PHOTO.replace(/\.jpg$/, '')}.`));
    // the resized sizes of the cover; the original itself only where a page links to it, and none
    // does (page keys read no image's src: src/lib/publish/page-keys.ts untrackedImages)
    expect(fromPhoto.length).toBeGreaterThanOrEqual(1);
    expect(fromPhoto.filter((f) => f.endsWith('.jpg'))).toEqual([]);
    for (const f of fromPhoto) {
      const bytes = read(f);
      expect(bytes.equals(photo), f).toBe(false);
      const m = await sharp(bytes).metadata();
      expect(m.height! > m.width!, f).toBe(true);
      expect(m.orientation, f).toBeUndefined();
    }
  });

  it('no published image carries EXIF, GPS, XMP, IPTC, a maker note, a comment or a trailer', async () => {
    const images = imageFiles();
    // the photo's sizes, the app images' sizes, the shipped stories' sizes, og.png
    expect(images.length).toBeGreaterThanOrEqual(25);
    expect(images).toContain('og.png');
    const found: string[] = [];
    for (const f of images) {
      const bytes = read(f);
      const m = await sharp(bytes).metadata();
      expect([m.exif, m.xmp, m.iptc], f).toEqual([undefined, undefined, undefined]);
      for (const finding of await metadataIn(bytes)) found.push(`${f}: ${finding}`);
    }
    expect(found).toEqual([]);
  });

  it('no file of the site holds the owner’s name or number, or a metadata signature', () => {
    const found = files.flatMap((f) => telltalesIn(read(f)).map((t) => `${f}: ${t}`));
    expect(found).toEqual([]);
    expect(files.some((f) => read(f).includes(PHONE_NUMBER))).toBe(false);
  });

  it('public/og.png is written again, every pixel kept, and the shipped stories’ originals too', async () => {
    const source = readFileSync(path.join(ROOT, 'public/og.png'));
    const published = read('og.png');
    expect(published.equals(source)).toBe(false);
    expect((await sharp(published).raw().toBuffer()).equals(await sharp(source).raw().toBuffer())).toBe(true);
    const shipped = imageFiles().filter((f) => /^_astro\/2020-06-weining-yangmen-classroom\.[^_]+\.png$/.test(f));
    expect(shipped).toHaveLength(1);
    const original = readFileSync(path.join(ROOT, 'content/stories/images/2020-06-weining-yangmen-classroom.png'));
    expect(read(shipped[0]!).equals(original)).toBe(false);
    expect((await sharp(read(shipped[0]!)).raw().toBuffer()).equals(await sharp(original).raw().toBuffer())).toBe(true);
  });

  it('SHA256SUMS lists the images as finally written', () => {
    const sums = new Map(
      read('SHA256SUMS')
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => [line.slice(66), line.slice(0, 64)]),
    );
    for (const f of imageFiles()) expect(sums.get(f), f).toBe(createHash('sha256').update(read(f)).digest('hex'));
  });
});
