import sharp from 'sharp';

// The hand-built bomb, HEIC and MP4 of the media library's own specs serve the API tests too.
export { GIF_1X1, mp4, pngBomb } from '../../media/src/testing/media-fixtures.js';

function dms(value: number): string {
  const abs = Math.abs(value);
  const d = Math.floor(abs);
  const m = Math.floor((abs - d) * 60);
  const s = Math.round(((abs - d) * 60 - m) * 60 * 100);
  return `${d}/1 ${m}/1 ${s}/100`;
}

/** A small JPEG photo, optionally carrying a GPS position in its EXIF (as phones write it). */
export async function jpegPhoto(opts: { width?: number; height?: number; gps?: { lon: number; lat: number } } = {}): Promise<Buffer> {
  let img = sharp({ create: { width: opts.width ?? 320, height: opts.height ?? 240, channels: 3, background: '#6b4f2a' } }).jpeg({ quality: 80 });
  if (opts.gps) {
    img = img.withExif({
      IFD0: { Make: 'TestPhone', Model: 'Fixture' },
      IFD3: {
        GPSLatitudeRef: opts.gps.lat >= 0 ? 'N' : 'S',
        GPSLatitude: dms(opts.gps.lat),
        GPSLongitudeRef: opts.gps.lon >= 0 ? 'E' : 'W',
        GPSLongitude: dms(opts.gps.lon),
      },
    });
  }
  return img.toBuffer();
}

export async function pngImage(width = 200, height = 150): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#2a6b4f' } }).png().toBuffer();
}

/** Builds a multipart/form-data body by hand, so a test can also cut it short. */
export function multipartBody(fields: Record<string, string | string[]>, files: { field: string; filename: string; contentType: string; data: Buffer }[]) {
  const boundary = `----taza${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const v of [value].flat()) chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`));
  }
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\ncontent-type: ${f.contentType}\r\n\r\n`));
    chunks.push(f.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
