/**
 * Reads the GPS position from a JPEG's EXIF block, in the browser, so a photo can suggest where the pin
 * goes. Only the few bytes needed are parsed (APP1 -> TIFF -> IFD0 -> GPS IFD); anything unexpected
 * answers null. The server strips all metadata from the photos it keeps, whatever this finds.
 */
export interface GpsPosition {
  lat: number;
  lon: number;
}

const GPS_IFD_POINTER = 0x8825;
const TAG_LAT_REF = 1;
const TAG_LAT = 2;
const TAG_LON_REF = 3;
const TAG_LON = 4;
const TYPE_RATIONAL = 5;

export function readExifGps(buffer: ArrayBuffer): GpsPosition | null {
  try {
    const view = new DataView(buffer);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;
    let offset = 2;
    while (offset + 4 <= view.byteLength) {
      if (view.getUint8(offset) !== 0xff) return null;
      const marker = view.getUint8(offset + 1);
      // Start of scan or end of image: no EXIF before the picture data.
      if (marker === 0xda || marker === 0xd9) return null;
      const length = view.getUint16(offset + 2);
      if (marker === 0xe1 && length >= 8 && exifHeader(view, offset + 4)) {
        return readTiff(view, offset + 10, offset + 2 + length);
      }
      offset += 2 + length;
    }
    return null;
  } catch {
    return null;
  }
}

function exifHeader(view: DataView, at: number): boolean {
  // "Exif\0\0"
  return view.getUint32(at) === 0x45786966 && view.getUint16(at + 4) === 0;
}

function readTiff(view: DataView, tiff: number, end: number): GpsPosition | null {
  const order = view.getUint16(tiff);
  if (order !== 0x4949 && order !== 0x4d4d) return null;
  const little = order === 0x4949;
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  if (u16(tiff + 2) !== 42) return null;
  const inside = (at: number, size: number) => at >= tiff && at + size <= end;

  const entries = (ifd: number): Map<number, number> => {
    const out = new Map<number, number>();
    if (!inside(ifd, 2)) return out;
    const count = u16(ifd);
    for (let i = 0; i < count; i++) {
      const entry = ifd + 2 + i * 12;
      if (!inside(entry, 12)) break;
      out.set(u16(entry), entry);
    }
    return out;
  };

  const ifd0 = entries(tiff + u32(tiff + 4));
  const pointer = ifd0.get(GPS_IFD_POINTER);
  if (pointer === undefined) return null;
  const gps = entries(tiff + u32(pointer + 8));

  const ascii = (tag: number): string | null => {
    const entry = gps.get(tag);
    return entry === undefined ? null : String.fromCharCode(view.getUint8(entry + 8));
  };
  const degrees = (tag: number): number | null => {
    const entry = gps.get(tag);
    if (entry === undefined || u16(entry + 2) !== TYPE_RATIONAL || u32(entry + 4) < 3) return null;
    const at = tiff + u32(entry + 8);
    if (!inside(at, 24)) return null;
    const part = (i: number) => {
      const den = u32(at + i * 8 + 4);
      return den === 0 ? 0 : u32(at + i * 8) / den;
    };
    return part(0) + part(1) / 60 + part(2) / 3600;
  };

  const lat = degrees(TAG_LAT);
  const lon = degrees(TAG_LON);
  if (lat === null || lon === null) return null;
  const position = { lat: ascii(TAG_LAT_REF) === 'S' ? -lat : lat, lon: ascii(TAG_LON_REF) === 'W' ? -lon : lon };
  if (!Number.isFinite(position.lat) || !Number.isFinite(position.lon) || Math.abs(position.lat) > 90 || Math.abs(position.lon) > 180) return null;
  // 0,0 is what some cameras write when they had no fix.
  if (position.lat === 0 && position.lon === 0) return null;
  return position;
}
