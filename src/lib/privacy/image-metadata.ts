/**
 * What an image file says about where it was taken and whose it is: the GPS position (EXIF
 * GPS IFD, XMP exif:GPS…) and the owner fields (EXIF Artist, Copyright, XPAuthor,
 * CameraOwnerName; XMP dc:creator, dc:rights, xmpRights:Owner, aux:OwnerName, tiff:Artist,
 * photoshop:Author…; IPTC By-line, Copyright Notice, Contact, Writer; PNG text Author, Copyright).
 * sharp (Astro's image service, already installed) reads the metadata blocks of every format it
 * knows; the blocks themselves are parsed here. The free text of the metadata (descriptions,
 * comments, titles) is handed back to be scanned like any other text.
 */
import sharp from 'sharp';

export interface ImageMetadataHit {
  kind: 'gps' | 'image-owner';
  /** the field, e.g. EXIF GPSLatitude, XMP dc:creator */
  field: string;
  value: string;
}

export interface ImageMetadata {
  hits: ImageMetadataHit[];
  /** every text the metadata holds, to be scanned for phone numbers, addresses and names */
  texts: string[];
}

/** Image formats by their first bytes: JPEG, PNG, GIF, WebP, TIFF, AVIF/HEIF. */
export function isImageBytes(head: Uint8Array): boolean {
  const b = (i: number) => head[i] ?? -1;
  const ascii = (from: number, s: string) => [...s].every((ch, i) => b(from + i) === ch.charCodeAt(0));
  return (
    (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) ||
    (b(0) === 0x89 && ascii(1, 'PNG')) ||
    ascii(0, 'GIF8') ||
    (ascii(0, 'RIFF') && ascii(8, 'WEBP')) ||
    ascii(0, 'II*\0') ||
    ascii(0, 'MM\0*') ||
    (ascii(4, 'ftyp') && /^(avi|hei|hev|mif)/.test(String.fromCharCode(b(8), b(9), b(10), b(11))))
  );
}

/**
 * The image's GPS and owner fields, and its texts. `allowedOwners`: owner values that are the
 * programme's own (its name as copyright holder), not a person.
 */
export async function imageMetadata(input: string | Buffer, allowedOwners: ReadonlyArray<string> = []): Promise<ImageMetadata> {
  const meta = await sharp(input, { failOn: 'none', limitInputPixels: false }).metadata();
  const hits: ImageMetadataHit[] = [];
  const texts: string[] = [];
  const owner = (field: string, value: string) => {
    const v = value.replace(/\0+$/, '').trim();
    if (v === '') return;
    texts.push(v);
    if (!allowedOwners.some((a) => a === v)) hits.push({ kind: 'image-owner', field, value: v });
  };
  if (meta.exif) readExif(meta.exif, hits, texts, owner);
  if (meta.xmp) readXmp(meta.xmp.toString('utf8'), hits, texts, owner);
  if (meta.iptc) readIptc(meta.iptc, texts, owner);
  for (const c of meta.comments ?? []) {
    if (/^(author|artist|copyright|owner|creator)$/i.test(c.keyword)) owner(`PNG ${c.keyword}`, c.text);
    else if (c.keyword === 'XML:com.adobe.xmp') readXmp(c.text, hits, texts, owner);
    else texts.push(c.text);
  }
  return { hits, texts };
}

type Owner = (field: string, value: string) => void;

const IFD0_OWNER: Record<number, string> = { 0x013b: 'Artist', 0x8298: 'Copyright', 0x9c9d: 'XPAuthor' };
const EXIF_OWNER: Record<number, string> = { 0xa430: 'CameraOwnerName', 0xa437: 'LensOwnerName' };
const GPS_TAGS: Record<number, string> = { 1: 'GPSLatitudeRef', 2: 'GPSLatitude', 3: 'GPSLongitudeRef', 4: 'GPSLongitude', 6: 'GPSAltitude', 0x1b: 'GPSProcessingMethod', 0x1d: 'GPSDateStamp' };

/** EXIF (a TIFF structure, after "Exif\0\0"): IFD0's owner fields and texts, the Exif IFD's owner names, the GPS IFD. */
function readExif(exif: Buffer, hits: ImageMetadataHit[], texts: string[], owner: Owner): void {
  const base = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? 6 : 0;
  const t = exif.subarray(base);
  if (t.length < 8) return;
  const le = t.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (o + 2 <= t.length ? (le ? t.readUInt16LE(o) : t.readUInt16BE(o)) : 0);
  const u32 = (o: number) => (o + 4 <= t.length ? (le ? t.readUInt32LE(o) : t.readUInt32BE(o)) : 0);
  const SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8 };
  const entries = (ifd: number) => {
    const out: Array<{ tag: number; type: number; count: number; bytes: Buffer }> = [];
    const n = u16(ifd);
    for (let i = 0; i < n && i < 1000; i++) {
      const e = ifd + 2 + i * 12;
      if (e + 12 > t.length) break;
      const type = u16(e + 2);
      const count = u32(e + 4);
      const size = (SIZES[type] ?? 1) * count;
      const at = size <= 4 ? e + 8 : u32(e + 8);
      out.push({ tag: u16(e), type, count, bytes: t.subarray(at, Math.min(t.length, at + size)) });
    }
    return out;
  };
  const text = (e: { tag: number; bytes: Buffer }) => (e.tag === 0x9c9d || e.tag === 0x9c9b || e.tag === 0x9c9c || e.tag === 0x9c9e || e.tag === 0x9c9f ? e.bytes.toString('utf16le') : e.bytes.toString('utf8')).replace(/\0+$/, '');
  const ifd0 = entries(u32(4));
  for (const e of ifd0) {
    if (IFD0_OWNER[e.tag]) owner(`EXIF ${IFD0_OWNER[e.tag]}`, text(e));
    else if (e.type === 2 || (e.tag >= 0x9c9b && e.tag <= 0x9c9f)) texts.push(text(e));
  }
  const exifIfd = ifd0.find((e) => e.tag === 0x8769);
  if (exifIfd) {
    for (const e of entries(le ? exifIfd.bytes.readUInt32LE(0) : exifIfd.bytes.readUInt32BE(0))) {
      if (EXIF_OWNER[e.tag]) owner(`EXIF ${EXIF_OWNER[e.tag]}`, text(e));
      else if (e.type === 2 || e.tag === 0x9286) texts.push(text(e).replace(/^(ASCII|UNICODE|JIS)\0*/, ''));
    }
  }
  const gpsIfd = ifd0.find((e) => e.tag === 0x8825);
  if (gpsIfd && gpsIfd.bytes.length >= 4) {
    const gps = entries(le ? gpsIfd.bytes.readUInt32LE(0) : gpsIfd.bytes.readUInt32BE(0)).filter((e) => e.tag !== 0);
    const position = gps.filter((e) => e.tag === 2 || e.tag === 4);
    if (position.length) hits.push({ kind: 'gps', field: `EXIF ${position.map((e) => GPS_TAGS[e.tag]).join('、')}`, value: position.map((e) => rationalDegrees(e.bytes, le)).join('，') });
    else if (gps.length) hits.push({ kind: 'gps', field: `EXIF GPS（${gps.map((e) => GPS_TAGS[e.tag] ?? `0x${e.tag.toString(16)}`).join('、')}）`, value: '' });
  }
}

/** Degrees from three EXIF rationals, to one decimal (enough to say a position is there, not to go to it). */
function rationalDegrees(bytes: Buffer, le: boolean): string {
  if (bytes.length < 24) return '?';
  const r = (i: number) => {
    const num = le ? bytes.readUInt32LE(i * 8) : bytes.readUInt32BE(i * 8);
    const den = le ? bytes.readUInt32LE(i * 8 + 4) : bytes.readUInt32BE(i * 8 + 4);
    return den ? num / den : 0;
  };
  return `${(r(0) + r(1) / 60 + r(2) / 3600).toFixed(1)}°`;
}

const XMP_OWNER = /^(dc:creator|dc:rights|xmpRights:Owner|aux:OwnerName|tiff:Artist|tiff:Copyright|photoshop:Author|photoshop:Credit|xmp:Author|xmpDM:artist|Iptc4xmpCore:CreatorContactInfo|plus:CopyrightOwner|plus:ImageCreator|exif:CameraOwnerName|exifEX:CameraOwnerName|exifEX:LensOwnerName)$/;
const XMP_GPS = /^exif:GPS(Latitude|Longitude|Altitude|DestLatitude|DestLongitude)$/;

/** XMP: elements and attributes with those names (their inner rdf:Seq/rdf:li unwrapped). */
function readXmp(xmp: string, hits: ImageMetadataHit[], texts: string[], owner: Owner): void {
  // Every element, nested ones too (dc:creator holds rdf:Seq/rdf:li): its text without the tags inside.
  const values: Array<[string, string, boolean]> = [];
  for (const m of xmp.matchAll(/<([A-Za-z][\w.-]*:[\w.-]+)\b[^>]*?(\/?)>/g)) {
    if (m[2]) continue;
    const start = m.index + m[0].length;
    const end = xmp.indexOf(`</${m[1]}>`, start);
    if (end < 0) continue;
    const inner = xmp.slice(start, end);
    values.push([m[1]!, inner.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim(), !inner.includes('<')]);
  }
  for (const m of xmp.matchAll(/\s([A-Za-z][\w.-]*:[\w.-]+)="([^"]*)"/g)) values.push([m[1]!, m[2]!, true]);
  for (const [field, value, leaf] of values) {
    if (value === '' || field.startsWith('xmlns:') || field.startsWith('rdf:') || field.startsWith('x:')) continue;
    if (XMP_GPS.test(field)) hits.push({ kind: 'gps', field: `XMP ${field}`, value: value.replace(/^(\d+)\D.*$/, '$1°…') });
    else if (XMP_OWNER.test(field)) owner(`XMP ${field}`, value);
    else if (leaf) texts.push(value);
  }
}

const IPTC_OWNER: Record<number, string> = { 80: 'By-line', 85: 'By-line Title', 110: 'Credit', 116: 'Copyright Notice', 118: 'Contact', 122: 'Writer/Editor' };

/** IPTC-IIM datasets of record 2, wherever they sit (bare, or inside Photoshop's 8BIM resources). */
function readIptc(iptc: Buffer, texts: string[], owner: Owner): void {
  for (let i = 0; i + 5 <= iptc.length; i++) {
    if (iptc[i] !== 0x1c || iptc[i + 1] !== 2) continue;
    const dataset = iptc[i + 2]!;
    const length = iptc.readUInt16BE(i + 3);
    if (length & 0x8000) continue;
    const value = iptc.subarray(i + 5, i + 5 + length).toString('utf8');
    if (IPTC_OWNER[dataset]) owner(`IPTC ${IPTC_OWNER[dataset]}`, value);
    else if (dataset !== 0) texts.push(value);
    i += 4 + length;
  }
}
