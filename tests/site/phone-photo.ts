/**
 * Images as editors' phones and apps write them: the tests' stand-ins for a photo taken on a
 * phone and handed to an editor, carrying where it was taken and whose phone took it.
 *
 * `phonePhotoJpeg` writes the JPEG the way a phone camera does, segment by segment: an EXIF
 * APP1 (IFD0 with make, model, orientation 6 — the sensor's landscape pixels shown turned a
 * quarter to portrait —, Artist, Copyright and Windows' XPAuthor; the Exif IFD with
 * CameraOwnerName, a body serial number and a maker note; the GPS IFD with latitude and
 * longitude), an XMP APP1, a Photoshop APP13 with IPTC By-line and Copyright, a comment, and a
 * motion-photo trailer after the end of the image, as some phones append a video clip there.
 * The other formats an editor may use carry EXIF and XMP as sharp writes them into each (a GIF,
 * where sharp writes neither, a comment and an XMP extension).
 *
 * `metadataIn` is what the tests look for in a published image: what sharp reads, the
 * container's segments or chunks beside the image data, bytes after the image's end, and the
 * owner's text or a metadata signature anywhere in the file.
 */
import sharp from 'sharp';

/** The owner's name and number as a phone's owner field may hold them. */
export const OWNER = '张三 13800138000';
export const PHONE_NUMBER = '13800138000';
/** Marks the maker note's bytes and the trailer's, to find either again. */
const MAKER_NOTE_MARK = 'MKNT-serial-R9X2Q7';
const TRAILER_MARK = 'MotionPhoto_Data';
/** Where the photo was taken: 26°52'30.12"N 104°17'25.67"E (威宁县). */
const GPS = { latitude: [26, 52, 30.12], longitude: [104, 17, 25.67] } as const;

/** Stored (sensor) size of the JPEG; shown turned a quarter (EXIF orientation 6), it is portrait. */
export const STORED = { width: 960, height: 720 } as const;

type Entry = { tag: number; type: 'BYTE' | 'ASCII' | 'SHORT' | 'LONG' | 'RATIONAL' | 'UNDEFINED'; value: number[] | Buffer | string };
const TYPE = { BYTE: [1, 1], ASCII: [2, 1], SHORT: [3, 2], LONG: [4, 4], RATIONAL: [5, 8], UNDEFINED: [7, 1] } as const;

/** One IFD's bytes (little-endian) at `offset` in the TIFF block, values past 4 bytes after it; `next` patches pointers. */
function ifd(entries: Entry[], offset: number): Buffer {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const head = Buffer.alloc(2 + sorted.length * 12 + 4);
  head.writeUInt16LE(sorted.length, 0);
  const data: Buffer[] = [];
  let dataOffset = offset + head.length;
  sorted.forEach((e, i) => {
    const [typeId, size] = TYPE[e.type];
    let bytes: Buffer;
    if (e.type === 'ASCII') bytes = Buffer.concat([Buffer.from(e.value as string, 'utf8'), Buffer.from([0])]);
    else if (e.type === 'UNDEFINED' || e.type === 'BYTE') bytes = Buffer.isBuffer(e.value) ? e.value : Buffer.from(e.value as number[]);
    else if (e.type === 'RATIONAL') {
      const v = e.value as number[];
      bytes = Buffer.alloc(v.length * 4);
      v.forEach((n, j) => bytes.writeUInt32LE(n, j * 4));
    } else {
      const v = e.value as number[];
      bytes = Buffer.alloc(v.length * size);
      v.forEach((n, j) => (size === 2 ? bytes.writeUInt16LE(n, j * 2) : bytes.writeUInt32LE(n, j * 4)));
    }
    const count = e.type === 'RATIONAL' ? bytes.length / 8 : bytes.length / size;
    const at = 2 + i * 12;
    head.writeUInt16LE(e.tag, at);
    head.writeUInt16LE(typeId, at + 2);
    head.writeUInt32LE(count, at + 4);
    if (bytes.length <= 4) bytes.copy(head, at + 8);
    else {
      head.writeUInt32LE(dataOffset, at + 8);
      const padded = bytes.length % 2 ? Buffer.concat([bytes, Buffer.from([0])]) : bytes;
      data.push(padded);
      dataOffset += padded.length;
    }
  });
  return Buffer.concat([head, ...data]);
}

/** Degrees, minutes, seconds as three EXIF rationals (numerator, denominator pairs). */
const dms = ([d, m, s]: readonly number[]) => [d!, 1, m!, 1, Math.round(s! * 100), 100];

/** The EXIF APP1 payload ("Exif\0\0" + TIFF) of a phone photo. */
function exifPayload(): Buffer {
  const utf16 = (s: string) => Buffer.concat([Buffer.from(s, 'utf16le'), Buffer.from([0, 0])]);
  const makerNote = Buffer.from(`Xiaomi\0${MAKER_NOTE_MARK}\0${OWNER}\0`, 'utf8');
  const ifd0 = (exifAt: number, gpsAt: number): Entry[] => [
    { tag: 0x010f, type: 'ASCII', value: 'Xiaomi' },
    { tag: 0x0110, type: 'ASCII', value: 'Redmi Note 9' },
    { tag: 0x0112, type: 'SHORT', value: [6] },
    { tag: 0x0132, type: 'ASCII', value: '2020:12:18 10:15:30' },
    { tag: 0x013b, type: 'ASCII', value: OWNER },
    { tag: 0x8298, type: 'ASCII', value: `© ${OWNER}` },
    { tag: 0x8769, type: 'LONG', value: [exifAt] },
    { tag: 0x8825, type: 'LONG', value: [gpsAt] },
    { tag: 0x9c9d, type: 'BYTE', value: utf16(OWNER) },
  ];
  const exif: Entry[] = [
    { tag: 0x9003, type: 'ASCII', value: '2020:12:18 10:15:30' },
    { tag: 0x927c, type: 'UNDEFINED', value: makerNote },
    { tag: 0xa430, type: 'ASCII', value: OWNER },
    { tag: 0xa431, type: 'ASCII', value: 'R9X2Q7-0042' },
  ];
  const gps: Entry[] = [
    { tag: 0x0000, type: 'BYTE', value: [2, 3, 0, 0] },
    { tag: 0x0001, type: 'ASCII', value: 'N' },
    { tag: 0x0002, type: 'RATIONAL', value: dms(GPS.latitude) },
    { tag: 0x0003, type: 'ASCII', value: 'E' },
    { tag: 0x0004, type: 'RATIONAL', value: dms(GPS.longitude) },
  ];
  // IFD0 at 8; its size does not depend on the pointers' values, so lay it out once to place the others
  const size0 = ifd(ifd0(0, 0), 8).length;
  const exifAt = 8 + size0;
  const exifBlock = ifd(exif, exifAt);
  const gpsAt = exifAt + exifBlock.length;
  const header = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]);
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), header, ifd(ifd0(exifAt, gpsAt), 8), exifBlock, ifd(gps, gpsAt)]);
}

/** An XMP packet naming the creator and the position, as phone and desktop apps add it. */
function xmpPacket(): string {
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/">',
    `<dc:creator><rdf:Seq><rdf:li>${OWNER}</rdf:li></rdf:Seq></dc:creator>`,
    '<exif:GPSLatitude>26,52.502N</exif:GPSLatitude><exif:GPSLongitude>104,17.428E</exif:GPSLongitude>',
    '</rdf:Description></rdf:RDF></x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('');
}

/** A Photoshop APP13 payload with one IPTC block: UTF-8, By-line and Copyright notice. */
function iptcPayload(): Buffer {
  const dataset = (record: number, id: number, value: Buffer) => {
    const head = Buffer.from([0x1c, record, id, 0, 0]);
    head.writeUInt16BE(value.length, 3);
    return Buffer.concat([head, value]);
  };
  const iptc = Buffer.concat([dataset(1, 90, Buffer.from([0x1b, 0x25, 0x47])), dataset(2, 80, Buffer.from(OWNER, 'utf8')), dataset(2, 116, Buffer.from(`© ${OWNER}`, 'utf8'))]);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(iptc.length);
  const resource = Buffer.concat([Buffer.from('8BIM', 'latin1'), Buffer.from([0x04, 0x04, 0, 0]), size, iptc, iptc.length % 2 ? Buffer.from([0]) : Buffer.alloc(0)]);
  return Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), resource]);
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/**
 * Pixels whose orientation can be read back: the stored left half red, the right half blue.
 * Orientation 6 shows the stored left edge at the top, so the photo upright is red above blue.
 */
async function sensorPixels(): Promise<Buffer> {
  const half = { width: STORED.width / 2, height: STORED.height, channels: 3 as const };
  return sharp({ create: { ...STORED, channels: 3, background: '#0000d0' } })
    .composite([{ input: { create: { ...half, background: '#d00000' } }, left: 0, top: 0 }])
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** The phone's JPEG: its own APP segments in place of the encoder's, then a trailer after EOI. */
export async function phonePhotoJpeg(): Promise<Buffer> {
  const plain = await sensorPixels();
  // drop the encoder's SOI and its APPn segments (JFIF), keep from the first other segment on
  let at = 2;
  while (plain[at] === 0xff && plain[at + 1]! >= 0xe0 && plain[at + 1]! <= 0xef) at += 2 + plain.readUInt16BE(at + 2);
  const trailer = Buffer.from(`\0\0\0\x18ftypmp42${TRAILER_MARK} ${OWNER}`, 'utf8');
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe1, exifPayload()),
    segment(0xe1, Buffer.concat([Buffer.from('http://ns.adobe.com/xap/1.0/\0', 'latin1'), Buffer.from(xmpPacket(), 'utf8')])),
    segment(0xed, iptcPayload()),
    segment(0xfe, Buffer.from(`拍摄者 ${OWNER}`, 'utf8')),
    plain.subarray(at),
    trailer,
  ]);
}

/** Bytes as GIF data sub-blocks (each at most 255 bytes, then a zero-length block). */
function subBlocks(data: Buffer): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; i < data.length; i += 255) {
    const part = data.subarray(i, i + 255);
    blocks.push(Buffer.from([part.length]), part);
  }
  return Buffer.concat([...blocks, Buffer.from([0])]);
}

/**
 * A GIF as an app saves it: sharp's GIF with a comment extension and an XMP application
 * extension after the global colour table (sharp writes neither EXIF nor XMP into a GIF).
 */
async function taggedGif(): Promise<Buffer> {
  const gif = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#208040' } }).gif().toBuffer();
  const packed = gif[10]!;
  const afterTable = 13 + (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);
  const comment = Buffer.concat([Buffer.from([0x21, 0xfe]), subBlocks(Buffer.from(`拍摄者 ${OWNER}`, 'utf8'))]);
  const xmp = Buffer.concat([Buffer.from([0x21, 0xff, 11]), Buffer.from('XMP DataXMP', 'latin1'), subBlocks(Buffer.from(xmpPacket(), 'utf8'))]);
  return Buffer.concat([gif.subarray(0, afterTable), comment, xmp, gif.subarray(afterTable)]);
}

/** A PNG, WebP, AVIF or GIF from an editor's app, with EXIF (owner, GPS) and XMP as sharp writes them into that format. */
export async function taggedImage(format: 'png' | 'webp' | 'avif' | 'gif'): Promise<Buffer> {
  if (format === 'gif') return taggedGif();
  const image = sharp({ create: { width: 640, height: 480, channels: 3, background: '#208040' } })
    .withExif({
      IFD0: { Artist: OWNER, Copyright: OWNER, Make: 'Xiaomi', Model: 'Redmi Note 9' },
      IFD2: { CameraOwnerName: OWNER },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '26/1 52/1 3012/100', GPSLongitudeRef: 'E', GPSLongitude: '104/1 17/1 2567/100' },
    })
    .withXmp(xmpPacket());
  return image.toFormat(format).toBuffer();
}

/** Text of the phone's owner and of the metadata containers, in the encodings metadata uses. */
const TELLTALES: Array<[string, Buffer]> = [
  ...[OWNER, PHONE_NUMBER, MAKER_NOTE_MARK, TRAILER_MARK, 'Redmi Note 9'].flatMap((s): Array<[string, Buffer]> => [
    [s, Buffer.from(s, 'utf8')],
    [`${s} (UTF-16)`, Buffer.from(s, 'utf16le')],
  ]),
  ['XMP namespace', Buffer.from('http://ns.adobe.com/xap/1.0/', 'latin1')],
  ['XMP packet', Buffer.from('<x:xmpmeta', 'latin1')],
  ['Photoshop IRB', Buffer.from('Photoshop 3.0', 'latin1')],
  ['8BIM resource', Buffer.from('8BIM', 'latin1')],
  ['EXIF header', Buffer.from('Exif\0\0', 'latin1')],
];

/** Which of the owner's text and the metadata containers' signatures `bytes` hold (any file). */
export function telltalesIn(bytes: Buffer): string[] {
  return TELLTALES.filter(([, b]) => bytes.includes(b)).map(([name]) => name);
}

/** A JPEG's segments before the image data, and whether anything follows its end. */
function jpegFindings(b: Buffer): string[] {
  const found: string[] = [];
  let at = 2;
  while (at + 4 <= b.length && b[at] === 0xff) {
    const marker = b[at + 1]!;
    if ((marker >= 0xe1 && marker <= 0xef) || marker === 0xfe) found.push(`JPEG segment FF${marker.toString(16).toUpperCase()}`);
    if (marker === 0xda) break;
    at += 2 + b.readUInt16BE(at + 2);
  }
  const end = b.indexOf(Buffer.from([0xff, 0xd9]), at);
  if (end < 0 || end + 2 !== b.length) found.push('JPEG: bytes after the end of the image');
  return found;
}

/** PNG chunks other than the image's own (pHYs, the pixel density, among them), and bytes after IEND. */
function pngFindings(b: Buffer): string[] {
  const found: string[] = [];
  const own = new Set(['IHDR', 'PLTE', 'tRNS', 'pHYs', 'IDAT', 'IEND']);
  let at = 8;
  while (at + 8 <= b.length) {
    const size = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    if (!own.has(type)) found.push(`PNG chunk ${type}`);
    at += 12 + size;
    if (type === 'IEND') break;
  }
  if (at !== b.length) found.push('PNG: bytes after IEND');
  return found;
}

/** WebP chunks other than the image's own, and bytes past the RIFF size. */
function webpFindings(b: Buffer): string[] {
  const found: string[] = [];
  const own = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF']);
  const end = 8 + b.readUInt32LE(4);
  for (let at = 12; at + 8 <= end; ) {
    const size = b.readUInt32LE(at + 4);
    const type = b.toString('latin1', at, at + 4);
    if (!own.has(type)) found.push(`WebP chunk ${type}`);
    at += 8 + size + (size % 2);
  }
  if (end !== b.length) found.push('WebP: bytes past the RIFF size');
  return found;
}

/** GIF comment and plain-text extensions, application extensions other than looping, bytes after the trailer. */
function gifFindings(b: Buffer): string[] {
  const found: string[] = [];
  const skipBlocks = (at: number) => {
    while (b[at]! !== 0) at += 1 + b[at]!;
    return at + 1;
  };
  const table = (packed: number) => (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);
  let at = 13 + table(b[10]!);
  while (at < b.length) {
    const block = b[at]!;
    if (block === 0x3b) {
      at++;
      break;
    }
    if (block === 0x21) {
      const label = b[at + 1]!;
      if (label === 0xfe) found.push('GIF comment');
      if (label === 0x01) found.push('GIF plain text');
      if (label === 0xff && !['NETSCAPE2.0', 'ANIMEXTS1.0'].includes(b.toString('latin1', at + 3, at + 14))) found.push(`GIF application ${b.toString('latin1', at + 3, at + 14)}`);
      at = skipBlocks(at + 2);
    } else if (block === 0x2c) {
      at = skipBlocks(at + 10 + table(b[at + 9]!) + 1);
    } else {
      found.push('GIF: unknown block');
      break;
    }
  }
  if (at !== b.length) found.push('GIF: bytes after the trailer');
  return found;
}

/**
 * What metadata an image file still carries, each finding named (none: a clean file): what
 * sharp reads (EXIF, XMP, IPTC, ICC, PNG text, an orientation to apply), the container's own
 * segments or chunks beside the image data, anything after the image's end, and the owner's
 * text or a metadata signature anywhere in the bytes.
 */
export async function metadataIn(bytes: Buffer): Promise<string[]> {
  const m = await sharp(bytes, { pages: -1 }).metadata();
  const found = [
    ...(m.exif ? ['EXIF'] : []),
    ...(m.xmp ? ['XMP'] : []),
    ...(m.iptc ? ['IPTC'] : []),
    ...(m.icc ? ['ICC profile'] : []),
    ...(m.comments?.length ? ['PNG text'] : []),
    ...((m.orientation ?? 1) > 1 ? [`orientation ${m.orientation}`] : []),
    ...telltalesIn(bytes),
  ];
  if (m.format === 'jpeg') found.push(...jpegFindings(bytes));
  if (m.format === 'png') found.push(...pngFindings(bytes));
  if (m.format === 'webp') found.push(...webpFindings(bytes));
  if (m.format === 'gif') found.push(...gifFindings(bytes));
  if (m.format === 'heif' && (bytes.includes('Exif') || bytes.includes('application/rdf+xml'))) found.push('AVIF Exif or XMP item');
  return found;
}

/** Whether an EXIF block (as sharp returns it: "Exif\0\0" and TIFF) points at a GPS IFD from IFD0. */
export function hasGpsIfd(exif: Buffer): boolean {
  const tiff = exif.subarray(exif.toString('latin1', 0, 6) === 'Exif\0\0' ? 6 : 0);
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const ifd0 = u32(4);
  for (let i = 0; i < u16(ifd0); i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  return false;
}
