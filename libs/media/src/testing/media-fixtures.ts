/** Hand-built media for the specs of libs/media (not exported by the library). */
import { deflateSync } from 'node:zlib';

const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
};
const latin1 = (s: string) => Buffer.from(s, 'latin1');

/** An ISO-BMFF box with a 32-bit size. */
export function box(type: string, ...parts: Buffer[]): Buffer {
  const payload = Buffer.concat(parts);
  return Buffer.concat([u32(8 + payload.length), latin1(type), payload]);
}

/** An ISO-BMFF box with size 1 and a 64-bit `largesize`. */
export function largeBox(type: string, ...parts: Buffer[]): Buffer {
  const payload = Buffer.concat(parts);
  return Buffer.concat([u32(1), latin1(type), u64(BigInt(16 + payload.length)), payload]);
}

function fullBox(type: string, version: number, flags: number, ...parts: Buffer[]): Buffer {
  return box(type, Buffer.from([version, (flags >> 16) & 255, (flags >> 8) & 255, flags & 255]), ...parts);
}

// ---------------------------------------------------------------------------------------------------------------- PNG

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([latin1(type), data]);
  return Buffer.concat([u32(data.length), body, u32(crc32(body))]);
}

/** A valid single-colour 1-bit greyscale PNG of width x height: tens of KB that would decode to hundreds of MB. */
export function pngBomb(width = 20_000, height = 20_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((1 + Math.ceil(width / 8)) * height); // filter byte 0 + all-black pixels per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------- GIF

/** A 1x1 GIF89a. */
export const GIF_1X1 = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

// --------------------------------------------------------------------------------------------------------------- HEIC

/**
 * A structurally valid HEIC (brand `heic`, one `hvc1` item with an hvcC and ispe) whose pixels are HEVC-coded: its
 * header reads fine, but a libvips without an HEVC decoder cannot decode it (like an iPhone photo).
 */
export function hevcHeic(width = 64, height = 48): Buffer {
  const ftyp = box('ftyp', latin1('heic'), u32(0), latin1('mif1heic'));
  const hvcC = box(
    'hvcC',
    Buffer.from([1, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 0x5d, 0xf0, 0x00, 0xfc, 0xfd, 0xf8, 0xf8, 0, 0, 0x0f, 0]),
  );
  const ispe = fullBox('ispe', 0, 0, u32(width), u32(height));
  const iprp = box('iprp', box('ipco', hvcC, ispe), fullBox('ipma', 0, 0, u32(1), u16(1), Buffer.from([2, 0x81, 0x02])));
  const hdlr = fullBox('hdlr', 0, 0, u32(0), latin1('pict'), Buffer.alloc(12), Buffer.from([0]));
  const pitm = fullBox('pitm', 0, 0, u16(1));
  const iinf = fullBox('iinf', 0, 0, u16(1), fullBox('infe', 2, 0, u16(1), u16(0), latin1('hvc1'), Buffer.from([0])));
  const coded = Buffer.from([0, 0, 0, 4, 0x26, 0x01, 0xaf, 0x00]);
  const iloc = (offset: number) =>
    fullBox('iloc', 0, 0, Buffer.from([0x44, 0x00]), u16(1), u16(1), u16(0), u16(1), u32(offset), u32(coded.length));
  const meta = (offset: number) => fullBox('meta', 0, 0, hdlr, pitm, iloc(offset), iinf, iprp);
  const offset = ftyp.length + meta(0).length + 8;
  return Buffer.concat([ftyp, meta(offset), box('mdat', coded)]);
}

// ---------------------------------------------------------------------------------------------------------------- MP4

export interface Mp4Options {
  /** Major brand of the ftyp box (default `isom`). */
  brand?: string;
  timescale?: number;
  /** In timescale units. */
  duration?: number;
  mvhdVersion?: 0 | 1;
  /** Sample data; its position is what stco points at. */
  mdat?: Buffer;
  /** Write mdat with a 64-bit largesize. */
  largeMdat?: boolean;
  /** Write mdat with size 0 ("to the end of the file"). */
  mdatToEnd?: boolean;
  /** Leave out the moov box. */
  withoutMoov?: boolean;
  /** Put a movie-extends box in moov (a fragmented MP4). */
  fragmented?: boolean;
  /** ISO 6709 position written as ©xyz into moov/udta and into the track's udta. */
  location?: string;
}

/** The XMP uuid box's user type. */
const XMP_UUID = Buffer.from('be7acfcb97a942e89c71999491e3afac', 'hex');

/**
 * A small but well-formed MP4: ftyp + moov{mvhd, trak{tkhd, mdia{mdhd, hdlr, minf{vmhd, dinf, stbl{..., stco}}},
 * udta{©xyz}}, udta{©xyz}, meta{hdlr, ilst{©too}}, uuid(XMP)} + mdat. stco points at the mdat payload.
 */
export function mp4(options: Mp4Options = {}): { bytes: Buffer; mdatPayloadOffset: number; mdat: Buffer } {
  const {
    brand = 'isom',
    timescale = 1000,
    duration = 12_500,
    mvhdVersion = 0,
    mdat = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7 + 13) & 0xff)),
    location = '+43.2567+076.9286/',
  } = options;
  const ftyp = box('ftyp', latin1(brand.padEnd(4, ' ')), u32(0x200), latin1('isomiso2avc1mp41'));
  const matrix = Buffer.concat([0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].map(u32));
  const mvhdTail = Buffer.concat([u32(0x00010000), u16(0x0100), Buffer.alloc(10), matrix, Buffer.alloc(24), u32(2)]);
  const mvhd =
    mvhdVersion === 0
      ? fullBox('mvhd', 0, 0, u32(0), u32(0), u32(timescale), u32(duration), mvhdTail)
      : fullBox('mvhd', 1, 0, u64(0n), u64(0n), u32(timescale), u64(BigInt(duration)), mvhdTail);
  const xyz = (where: string) => box('\u00a9xyz', u16(where.length), u16(0x15c7), latin1(where));
  const build = (chunkOffset: number) => {
    const stbl = box(
      'stbl',
      fullBox('stsd', 0, 0, u32(0)),
      fullBox('stts', 0, 0, u32(1), u32(1), u32(duration)),
      fullBox('stsc', 0, 0, u32(1), u32(1), u32(1), u32(1)),
      fullBox('stsz', 0, 0, u32(mdat.length), u32(1)),
      fullBox('stco', 0, 0, u32(1), u32(chunkOffset)),
    );
    const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
    const minf = box('minf', fullBox('vmhd', 0, 1, Buffer.alloc(8)), dinf, stbl);
    const mdia = box(
      'mdia',
      fullBox('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(duration), u16(0x55c4), u16(0)),
      fullBox('hdlr', 0, 0, u32(0), latin1('vide'), Buffer.alloc(12), latin1('VideoHandler\0')),
      minf,
    );
    const trak = box(
      'trak',
      fullBox('tkhd', 0, 3, u32(0), u32(0), u32(1), u32(0), u32(duration), Buffer.alloc(60)),
      mdia,
      box('udta', xyz(location)),
    );
    const ilst = box('ilst', box('\u00a9too', box('data', u32(1), u32(0), latin1('Lavf60.3.100'))));
    const meta = fullBox('meta', 0, 0, fullBox('hdlr', 0, 0, u32(0), latin1('mdir'), latin1('appl'), Buffer.alloc(9)), ilst);
    const xmp = box('uuid', XMP_UUID, latin1(`<x:xmpmeta><exif:GPSLatitude>43,15.402N</exif:GPSLatitude></x:xmpmeta>`));
    const moovParts = [mvhd, trak, box('udta', xyz(location)), meta, xmp];
    if (options.fragmented) moovParts.push(box('mvex', fullBox('trex', 0, 0, Buffer.alloc(20))));
    return options.withoutMoov ? Buffer.alloc(0) : box('moov', ...moovParts);
  };
  const mdatHeader = options.largeMdat ? 16 : 8;
  const moovLength = build(0).length;
  const mdatPayloadOffset = ftyp.length + moovLength + mdatHeader;
  const moov = build(mdatPayloadOffset);
  let mdatBox: Buffer;
  if (options.largeMdat) mdatBox = largeBox('mdat', mdat);
  else if (options.mdatToEnd) mdatBox = Buffer.concat([u32(0), latin1('mdat'), mdat]);
  else mdatBox = box('mdat', mdat);
  return { bytes: Buffer.concat([ftyp, moov, mdatBox]), mdatPayloadOffset, mdat };
}
