import { MediaErrors, type MediaError } from './media.errors.js';
import { VIDEO_MAX_BYTES, VIDEO_MAX_SECONDS } from './media-limits.js';

export interface ProcessedVideo {
  /** The same MP4 with its metadata boxes blanked: byte for byte the same length, sample data untouched. */
  video: Buffer;
  mime: 'video/mp4';
  durationSeconds: number;
}

/** One ISO-BMFF box: [start, end) in the file; the payload begins at `start + headerSize`. */
interface Box {
  type: string;
  start: number;
  end: number;
  /** 8, or 16 with a 64-bit `largesize`, plus 16 for a `uuid` box's user type. */
  headerSize: number;
  /** 8, or 16 with a 64-bit `largesize`: the part a rename to `free` keeps. */
  sizeFieldsLength: number;
}

/** The only boxes we descend into when stripping (sample tables etc. stay untouched). */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf']);
/** Boxes that carry user data: titles, devices, ©xyz / ISO 6709 locations, iTunes-style and Apple `keys` metadata. */
const METADATA = new Set(['udta', 'meta']);
/** Adobe XMP packet box (`uuid` be7acfcb-97a9-42e8-9c71-999491e3afac), which may carry a location too. */
const XMP_UUID = 'be7acfcb97a942e89c71999491e3afac';

/**
 * Major brands that file-type (and so sniffMedia) does not report as plain MP4: QuickTime, M4V/M4A/M4P/M4B, Flash,
 * HEIF/AVIF images, Canon CR3, and every 3GPP brand (`3g*`). Kept in step with sniffMedia by a spec.
 */
const NOT_MP4_BRANDS = new Set([
  'qt',
  'M4V',
  'M4VH',
  'M4VP',
  'M4P',
  'M4B',
  'M4A',
  'F4V',
  'F4P',
  'F4A',
  'F4B',
  'avif',
  'avis',
  'mif1',
  'msf1',
  'heic',
  'heix',
  'hevc',
  'hevx',
  'crx',
]);

class Malformed extends Error {}

/**
 * Checks an uploaded MP4 and strips its metadata without moving any sample data: every `udta` and `meta` box (and an XMP
 * `uuid` box) at the top level or inside moov/trak/mdia/minf is renamed `free` and its payload zeroed, so all lengths,
 * and therefore the chunk offsets in stco/co64, stay valid. The input is not modified.
 *
 * Throws MediaError: `media.too_large` (413), `media.unsupported_type` (415), `media.undecodable` (422, damaged or
 * truncated, no moov/mvhd, fragmented), `media.too_long` (422, longer than VIDEO_MAX_SECONDS).
 */
export function processVideo(bytes: Buffer, field: string): ProcessedVideo {
  if (bytes.length > VIDEO_MAX_BYTES) {
    throw MediaErrors.tooLarge(field, `The video is larger than ${VIDEO_MAX_BYTES / (1024 * 1024)} MiB.`);
  }
  if (!isMp4(bytes)) throw MediaErrors.unsupportedType(field, 'The video must be an MP4 file.');

  const damaged = (why: string): MediaError => MediaErrors.undecodable(field, `The video could not be read: ${why}.`);
  try {
    const top = readBoxes(bytes, 0, bytes.length);
    if (top[0]?.type !== 'ftyp') throw new Malformed('it does not begin with a file type box');
    const movies = top.filter((box) => box.type === 'moov');
    if (movies.length === 0) throw new Malformed('it has no movie header (moov box); it may be incomplete');
    if (movies.length > 1) throw new Malformed('it has more than one movie header (moov box)');
    const movie = readBoxes(bytes, payloadStart(movies[0]), movies[0].end);
    if (movie.some((box) => box.type === 'mvex')) {
      throw new Malformed('fragmented MP4 is not supported; please send a regular MP4 recording');
    }
    const mvhd = movie.find((box) => box.type === 'mvhd');
    if (!mvhd) throw new Malformed('its movie header has no mvhd box');
    const durationSeconds = mvhdDuration(bytes, mvhd);
    if (durationSeconds > VIDEO_MAX_SECONDS) {
      throw MediaErrors.tooLong(
        field,
        `The video is ${Math.ceil(durationSeconds)} s long; it must not be longer than ${VIDEO_MAX_SECONDS} s.`,
      );
    }

    const video = Buffer.from(bytes); // a copy: the caller's buffer stays as it was
    strip(video, top);
    return { video, mime: 'video/mp4', durationSeconds };
  } catch (error) {
    if (error instanceof Malformed) throw damaged(error.message);
    if (error instanceof RangeError) throw damaged('it is damaged'); // a read past a bound we failed to foresee
    throw error;
  }
}

/**
 * The same decision sniffMedia makes through file-type (`ftyp` at offset 4, a printable major brand that is not one of
 * MP4's relatives), made synchronously.
 */
function isMp4(bytes: Buffer): boolean {
  if (bytes.length < 12 || bytes.toString('latin1', 4, 8) !== 'ftyp' || (bytes[8] & 0x60) === 0) return false;
  const brand = bytes.toString('latin1', 8, 12).replace('\0', ' ').trim();
  return !NOT_MP4_BRANDS.has(brand) && !brand.startsWith('3g');
}

/** The boxes that tile [start, end) exactly; anything that does not fit is damage (truncation, bad sizes). */
function readBoxes(bytes: Buffer, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  let at = start;
  while (at < end) {
    if (end - at < 8) throw new Malformed('it is truncated');
    const type = bytes.toString('latin1', at + 4, at + 8);
    let size = bytes.readUInt32BE(at);
    let sizeFieldsLength = 8;
    if (size === 1) {
      if (end - at < 16) throw new Malformed('it is truncated');
      const large = bytes.readBigUInt64BE(at + 8);
      if (large > BigInt(end - at)) throw new Malformed('it is truncated');
      size = Number(large);
      sizeFieldsLength = 16;
    } else if (size === 0) {
      size = end - at; // "to the end of the enclosing box / file"
    }
    const headerSize = sizeFieldsLength + (type === 'uuid' ? 16 : 0);
    if (size < headerSize) throw new Malformed(`its ${printable(type)} box has an impossible size`);
    if (at + size > end) throw new Malformed('it is truncated');
    boxes.push({ type, start: at, end: at + size, headerSize, sizeFieldsLength });
    at += size;
  }
  return boxes;
}

function payloadStart(box: Box): number {
  return box.start + box.headerSize;
}

/** Duration in seconds from a version 0 (32-bit) or version 1 (64-bit) movie header. */
function mvhdDuration(bytes: Buffer, mvhd: Box): number {
  const p = payloadStart(mvhd);
  const length = mvhd.end - p;
  const version = length > 0 ? bytes[p] : -1;
  let timescale: number;
  let duration: number;
  if (version === 0 && length >= 20) {
    // version(1) flags(3) creation(4) modification(4) timescale(4) duration(4)
    timescale = bytes.readUInt32BE(p + 12);
    const raw = bytes.readUInt32BE(p + 16);
    if (raw === 0xffffffff) throw new Malformed('its duration is unknown');
    duration = raw;
  } else if (version === 1 && length >= 32) {
    // version(1) flags(3) creation(8) modification(8) timescale(4) duration(8)
    timescale = bytes.readUInt32BE(p + 20);
    const raw = bytes.readBigUInt64BE(p + 24);
    if (raw === 0xffffffffffffffffn) throw new Malformed('its duration is unknown');
    duration = Number(raw);
  } else {
    throw new Malformed('its movie header (mvhd) is damaged');
  }
  if (timescale === 0) throw new Malformed('its movie header (mvhd) has no time scale');
  const seconds = duration / timescale;
  if (!(seconds > 0)) throw new Malformed('it has no duration');
  return seconds;
}

/** Blanks the metadata boxes among `boxes`, descending into the containers only. */
function strip(bytes: Buffer, boxes: Box[]): void {
  for (const box of boxes) {
    if (METADATA.has(box.type) || isXmp(bytes, box)) {
      bytes.write('free', box.start + 4, 'latin1');
      bytes.fill(0, box.start + box.sizeFieldsLength, box.end);
    } else if (CONTAINERS.has(box.type)) {
      strip(bytes, readBoxes(bytes, payloadStart(box), box.end));
    }
  }
}

function isXmp(bytes: Buffer, box: Box): boolean {
  if (box.type !== 'uuid') return false;
  const userType = box.start + box.sizeFieldsLength;
  return bytes.toString('hex', userType, userType + 16) === XMP_UUID;
}

function printable(type: string): string {
  return JSON.stringify(type.replace(/[^\x20-\x7e\xa9]/g, '?'));
}
