import exifReader from 'exif-reader';
import sharp, { type Metadata, type SharpOptions } from 'sharp';
import { MediaErrors, type MediaError } from './media.errors.js';
import { MAX_PIXELS, MAX_SIDE, PHOTO_MAX_BYTES, THUMB_SIDE } from './media-limits.js';
import { sniffMedia } from './media-sniffer.js';

export interface ProcessedPhoto {
  /** The photo, oriented upright, fit inside MAX_SIDE, re-encoded as JPEG with no metadata at all. */
  image: Buffer;
  /** The same fit inside THUMB_SIDE, JPEG, no metadata. */
  thumbnail: Buffer;
  mime: 'image/jpeg';
  /** Size of `image` in pixels. */
  width: number;
  height: number;
  /** Where the original's EXIF says it was taken (decimal degrees), or null; for comparison with the pin only, never stored. */
  gps: { lon: number; lat: number } | null;
}

/** sharp's decoders that correspond to the types sniffMedia accepts as photos (HEIC, HEIF and AVIF all load as `heif`). */
const DECODERS = new Set<string>(['jpeg', 'png', 'webp', 'heif']);

/**
 * Untrusted input: refuse to decode beyond MAX_PIXELS (checked against the header before any decoding) and fail on
 * damaged or truncated pixel data ('error' also implies 'truncated'; 'warning' would refuse many real phone photos).
 */
const INPUT: SharpOptions = { limitInputPixels: MAX_PIXELS, failOn: 'error' };

const MIB = 1024 * 1024;

/**
 * Checks, normalises and strips an uploaded photo. `field` names the multipart field in errors (e.g. `photos[2]`).
 *
 * Throws MediaError: `media.too_large` (413), `media.too_many_pixels` (413), `media.unsupported_type` (415),
 * `media.undecodable` (422).
 */
export async function processPhoto(bytes: Buffer, field: string): Promise<ProcessedPhoto> {
  if (bytes.length > PHOTO_MAX_BYTES) {
    throw MediaErrors.tooLarge(field, `The photo is larger than ${PHOTO_MAX_BYTES / MIB} MiB.`);
  }
  const sniffed = await sniffMedia(bytes);
  if (sniffed?.kind !== 'photo') {
    throw MediaErrors.unsupportedType(field, 'The photo must be a JPEG, PNG, WebP or HEIC image.');
  }
  const heifContainer = sniffed.mime === 'image/heic' || sniffed.mime === 'image/heif' || sniffed.mime === 'image/avif';

  // The header only: metadata() never decodes pixels. With limitInputPixels set, sharp 0.35's metadata() itself throws
  // on a bomb, so read it without the limit and compare ourselves (which gives a clear error instead of a message match).
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { ...INPUT, limitInputPixels: false }).metadata();
  } catch {
    throw sniffed.mime === 'image/heic' ? heicUnreadable(field) : damaged(field);
  }
  if (!DECODERS.has(meta.format) || !(meta.width > 0 && meta.height > 0)) throw damaged(field);
  if (meta.width * meta.height > MAX_PIXELS) {
    throw MediaErrors.tooManyPixels(
      field,
      `The photo is ${meta.width}×${meta.height} pixels; at most ${MAX_PIXELS / 1_000_000} megapixels are accepted.`,
    );
  }
  const cannotDecode = (error: unknown): MediaError => {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      return MediaErrors.tooManyPixels(field, `The photo has more than ${MAX_PIXELS / 1_000_000} megapixels.`);
    }
    // HEVC-coded HEIC (what iPhones write) needs a decoder our libvips build lacks; AVIF-coded HEIF decodes fine.
    return heifContainer && meta.compression !== 'av1' ? heicUnreadable(field) : damaged(field);
  };

  const gps = gpsFromExif(meta.exif);

  let image: Buffer;
  let width: number;
  let height: number;
  try {
    // Without keepMetadata/withMetadata/keepExif/keepIccProfile sharp writes no EXIF, XMP, IPTC or ICC, and converts
    // to sRGB, so no profile is needed; autoOrient applies the EXIF orientation to the pixels first.
    const out = await sharp(bytes, INPUT)
      .autoOrient()
      .flatten({ background: '#ffffff' })
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    image = out.data;
    width = out.info.width;
    height = out.info.height;
  } catch (error) {
    throw cannotDecode(error);
  }

  // From the already reduced, upright, stripped JPEG: cheap, and nothing of the original can leak into it.
  const thumbnail = await sharp(image, INPUT)
    .resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 80, mozjpeg: true })
    .toBuffer();

  return { image, thumbnail, mime: 'image/jpeg', width, height, gps };
}

function damaged(field: string): MediaError {
  return MediaErrors.undecodable(field, 'The photo could not be read; it may be damaged or incomplete.');
}

function heicUnreadable(field: string): MediaError {
  return MediaErrors.undecodable(
    field,
    'HEIC photos could not be read; please send the photo as JPEG (on an iPhone: Settings → Camera → Formats → Most Compatible).',
  );
}

/** Decimal position from the original's EXIF GPS tags with the N/S/E/W references applied, or null. */
function gpsFromExif(exif: Buffer | undefined): { lon: number; lat: number } | null {
  if (!exif || exif.length === 0) return null;
  let tags: ReturnType<typeof exifReader>;
  try {
    tags = exifReader(tiffStart(exif));
  } catch {
    return null; // unreadable EXIF is not a reason to refuse the photo
  }
  const info = tags.GPSInfo;
  if (!info) return null;
  const lat = degrees(info.GPSLatitude, info.GPSLatitudeRef, 'N', 'S');
  const lon = degrees(info.GPSLongitude, info.GPSLongitudeRef, 'E', 'W');
  if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  if (lat === 0 && lon === 0) return null; // what some cameras write when they have no fix
  return { lon, lat };
}

function degrees(value: unknown, ref: unknown, positive: string, negative: string): number | null {
  if (!Array.isArray(value) || value.length === 0 || value.length > 3) return null;
  const [d = 0, m = 0, s = 0] = value as unknown[];
  if (![d, m, s].every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0)) return null;
  const magnitude = (d as number) + (m as number) / 60 + (s as number) / 3600;
  const hemisphere = typeof ref === 'string' ? ref.replace(/\0/g, '').trim().toUpperCase() : '';
  if (hemisphere === negative) return -magnitude;
  if (hemisphere === positive) return magnitude;
  return null; // a position without its hemisphere is not a position
}

/** exif-reader wants the block to begin with `Exif\0`, `MM\0*` or `II*\0`; some containers (HEIF) put a few bytes before. */
function tiffStart(exif: Buffer): Buffer {
  const head = exif.subarray(0, 16).toString('latin1');
  if (head.startsWith('Exif\0') || head.startsWith('MM\0*') || head.startsWith('II*\0')) return exif;
  for (const marker of ['Exif\0', 'MM\0*', 'II*\0']) {
    const at = head.indexOf(marker);
    if (at > 0) return exif.subarray(at);
  }
  return exif;
}
