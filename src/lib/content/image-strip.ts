/**
 * An image re-encoded by sharp without metadata: no EXIF (with its GPS position, owner and
 * artist fields and maker notes), no XMP, no IPTC, no ICC profile, no comments, nothing after
 * the image data. The EXIF orientation is applied first (the photo is shown as the phone showed
 * it); the format stays, so the file keeps its name. PNG is encoded losslessly (8 bits a
 * channel; an indexed PNG stays indexed where that keeps every pixel), lossless WebP stays
 * lossless, GIF reuses its palette; JPEG, lossy WebP and AVIF are encoded once more at high
 * quality. Every image the site publishes passes through here or through Astro's own sharp
 * service (src/integrations/image-metadata.ts).
 */
import sharp from 'sharp';

/** The raster formats Astro's image pipeline reads (the story check allows jpg, png, webp, gif, avif). */
export type RasterFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff';

const ascii = (bytes: Uint8Array, at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));

/** The raster format of `bytes` by their first bytes, or null for anything else (SVG, text, unknown). */
export function rasterFormatOf(bytes: Uint8Array): RasterFormat | null {
  if (bytes.length < 12) return null;
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  if (ascii(bytes, 0, 4) === 'II*\0' || ascii(bytes, 0, 4) === 'MM\0*') return 'tiff';
  if (ascii(bytes, 4, 4) === 'ftyp') {
    // the ftyp box: major brand, minor version, compatible brands
    const size = Math.min(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0), bytes.length);
    for (let at = 8; at + 4 <= size; at += at === 8 ? 8 : 4) if (['avif', 'avis'].includes(ascii(bytes, at, 4))) return 'avif';
  }
  return null;
}

/** Whether a WebP file's image data is lossless (a VP8L chunk, at the top or inside an animation frame). */
function losslessWebp(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const walk = (from: number, to: number): boolean => {
    for (let at = from; at + 8 <= to; ) {
      const id = ascii(bytes, at, 4);
      const size = view.getUint32(at + 4, true);
      if (id === 'VP8L') return true;
      // an ANMF frame: 16 bytes of frame header, then the frame's own chunks
      if (id === 'ANMF' && walk(at + 8 + 16, Math.min(at + 8 + size, to))) return true;
      at += 8 + size + (size % 2);
    }
    return false;
  };
  return walk(12, bytes.length);
}

/**
 * `bytes` decoded and encoded again in the same format by sharp, with no metadata: EXIF
 * orientation applied, everything but the pixels (and animation frames and timing) left out.
 * Throws, naming `name`, when sharp cannot decode the image.
 */
export async function withoutMetadata(bytes: Uint8Array, format: RasterFormat, name: string): Promise<Buffer> {
  try {
    const input = { pages: -1, failOn: 'error' } as const;
    const { pages = 1, orientation = 1, isPalette = false } = await sharp(bytes, input).metadata();
    let image = sharp(bytes, input);
    // EXIF orientation belongs to a still image; sharp turns no multi-frame image
    if (pages === 1 && orientation > 1) image = image.autoOrient();
    switch (format) {
      case 'jpeg':
        image = image.jpeg({ quality: 90 });
        break;
      case 'png':
        if (isPalette) {
          // an indexed PNG (up to 256 colours) stays indexed when that keeps every pixel
          const indexed = await image.clone().png({ palette: true, quality: 100, dither: 0, compressionLevel: 9, effort: 10 }).toBuffer();
          const [before, after] = await Promise.all([image.clone().raw().toBuffer(), sharp(indexed).raw().toBuffer()]);
          if (before.equals(after)) return indexed;
        }
        image = image.png();
        break;
      case 'webp':
        image = losslessWebp(bytes) ? image.webp({ lossless: true }) : image.webp({ quality: 90 });
        break;
      case 'gif':
        image = image.gif({ reuse: true });
        break;
      case 'avif':
        image = image.avif({ quality: 80 });
        break;
      case 'tiff':
        image = image.tiff();
        break;
    }
    return await image.toBuffer();
  } catch (e) {
    throw new Error(`图片 ${name} 无法重新编码（发布前要去掉照片里的拍摄位置、机主等信息）：${(e as Error).message}。请用手机或修图软件把它重新导出为 JPG 或 PNG`, { cause: e });
  }
}
