import { describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { MediaError } from './media.errors.js';
import { MAX_SIDE, PHOTO_MAX_BYTES, THUMB_SIDE } from './media-limits.js';
import { processPhoto } from './photo-processor.js';
import { GIF_1X1, hevcHeic, pngBomb } from './testing/media-fixtures.js';

/** An EXIF rational triple (degrees, minutes, seconds) for sharp's withExif. */
function dms(decimal: number): string {
  const abs = Math.abs(decimal);
  const d = Math.floor(abs);
  const m = Math.floor((abs - d) * 60);
  const s = Math.round(((abs - d) * 60 - m) * 60 * 10_000);
  return `${d}/1 ${m}/1 ${s}/10000`;
}

const gpsExif = (lat: number, lon: number) => ({
  IFD0: { Make: 'Taza Test', Model: 'Phone 1' },
  IFD3: {
    GPSLatitudeRef: lat < 0 ? 'S' : 'N',
    GPSLatitude: dms(lat),
    GPSLongitudeRef: lon < 0 ? 'W' : 'E',
    GPSLongitude: dms(lon),
  },
});

/** A picture that is not one flat colour, so orientation and scaling are real work. */
function picture(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: '#2a6' } }).composite([
    { input: { create: { width: Math.ceil(width / 4), height: Math.ceil(height / 4), channels: 3, background: '#c33' } }, left: 0, top: 0 },
  ]);
}

async function failure(run: Promise<unknown>): Promise<MediaError> {
  try {
    await run;
  } catch (error) {
    expect(error).toBeInstanceOf(MediaError);
    return error as MediaError;
  }
  throw new Error('expected a MediaError');
}

/** JPEG marker segments before the scan: APP1 (EXIF/XMP), APP2 (ICC), APP13 (IPTC) must be absent. */
function jpegMarkers(jpeg: Buffer): number[] {
  const markers: number[] = [];
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff) {
    const marker = jpeg[at + 1];
    markers.push(marker);
    if (marker === 0xda) break; // start of scan
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  return markers;
}

async function expectNoMetadata(jpeg: Buffer) {
  const meta = await sharp(jpeg).metadata();
  expect(meta.format).toBe('jpeg');
  expect(meta.exif).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(meta.hasProfile).toBe(false);
  expect(meta.xmp).toBeUndefined();
  expect(meta.iptc).toBeUndefined();
  expect(meta.orientation).toBeUndefined();
  expect(meta.comments).toBeUndefined();
  const markers = jpegMarkers(jpeg);
  expect(markers).toContain(0xda);
  for (const forbidden of [0xe1, 0xe2, 0xed, 0xfe]) expect(markers).not.toContain(forbidden);
  expect(jpeg.includes(Buffer.from('Exif\0'))).toBe(false);
}

describe('processPhoto', () => {
  it('orients by EXIF, strips all metadata and reads the GPS position of the original', async () => {
    const input = await picture(200, 100).jpeg().withExif(gpsExif(43.2567, 76.9286)).withMetadata({ orientation: 6 }).toBuffer();
    const inputMeta = await sharp(input).metadata();
    expect(inputMeta.orientation).toBe(6);
    expect(inputMeta.exif).toBeDefined();

    const photo = await processPhoto(input, 'photos[0]');

    expect(photo.mime).toBe('image/jpeg');
    expect([photo.width, photo.height]).toEqual([100, 200]);
    expect(await sharp(photo.image).metadata()).toMatchObject({ width: 100, height: 200 });
    // the red quarter was top-left; orientation 6 (rotate 90° clockwise) puts it top-right
    const { data, info } = await sharp(photo.image).raw().toBuffer({ resolveWithObject: true });
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    expect(pixel(info.width - 5, 5)[0]).toBeGreaterThan(150);
    expect(pixel(5, 5)[0]).toBeLessThan(100);
    await expectNoMetadata(photo.image);
    await expectNoMetadata(photo.thumbnail);
    expect(photo.gps).not.toBeNull();
    expect(photo.gps!.lat).toBeCloseTo(43.2567, 5);
    expect(photo.gps!.lon).toBeCloseTo(76.9286, 5);
  });

  it('applies the S and W references', async () => {
    const input = await picture(64, 64).jpeg().withExif(gpsExif(-33.8688, -70.6693)).toBuffer();
    const { gps } = await processPhoto(input, 'photo');
    expect(Math.abs(gps!.lat - -33.8688)).toBeLessThan(1e-5);
    expect(Math.abs(gps!.lon - -70.6693)).toBeLessThan(1e-5);
  });

  it('gives no position when the photo has none', async () => {
    expect((await processPhoto(await picture(64, 64).jpeg().toBuffer(), 'photo')).gps).toBeNull();
    const noGps = await picture(64, 64).jpeg().withExif({ IFD0: { Make: 'X' } }).toBuffer();
    expect((await processPhoto(noGps, 'photo')).gps).toBeNull();
  });

  it('fits a large photo inside 2048 px and its thumbnail inside 400 px, and never enlarges', async () => {
    const photo = await processPhoto(await picture(3000, 1500).jpeg({ quality: 90 }).toBuffer(), 'photo');
    expect([photo.width, photo.height]).toEqual([MAX_SIDE, 1024]);
    const thumb = await sharp(photo.thumbnail).metadata();
    expect(Math.max(thumb.width, thumb.height)).toBeLessThanOrEqual(THUMB_SIDE);
    expect([thumb.width, thumb.height]).toEqual([400, 200]);

    const small = await processPhoto(await picture(300, 120).png().toBuffer(), 'photo');
    expect([small.width, small.height]).toEqual([300, 120]);
    expect(await sharp(small.thumbnail).metadata()).toMatchObject({ width: 300, height: 120 });
  });

  it('drops a colour profile: the output is plain sRGB without an ICC profile', async () => {
    const p3 = await picture(64, 64).jpeg().withIccProfile('p3').toBuffer();
    expect((await sharp(p3).metadata()).icc).toBeDefined();
    await expectNoMetadata((await processPhoto(p3, 'photo')).image);
  });

  it('accepts PNG (whatever it was called), WebP and AVIF-coded HEIF, and always returns JPEG', async () => {
    const transparent = await sharp({ create: { width: 40, height: 30, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer();
    const fromPng = await processPhoto(transparent, 'photo.jpg');
    expect((await sharp(fromPng.image).metadata()).format).toBe('jpeg');
    const { data } = await sharp(fromPng.image).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(240); // transparency becomes white, not black

    const webp = await processPhoto(await picture(50, 40).webp().toBuffer(), 'photo');
    expect([webp.width, webp.height]).toEqual([50, 40]);

    const avif = await picture(60, 40).avif().withExif(gpsExif(51.1694, 71.4491)).toBuffer();
    const fromAvif = await processPhoto(avif, 'photo');
    expect([fromAvif.width, fromAvif.height]).toEqual([60, 40]);
    expect(fromAvif.gps!.lat).toBeCloseTo(51.1694, 5);
    expect(fromAvif.gps!.lon).toBeCloseTo(71.4491, 5);
    await expectNoMetadata(fromAvif.image);
  });

  it('refuses a decompression bomb with 413 media.too_many_pixels without decoding it', async () => {
    const bomb = pngBomb(20_000, 20_000);
    expect(bomb.length).toBeLessThan(100_000);
    const started = performance.now();
    const error = await failure(processPhoto(bomb, 'photos[1]'));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.kind).toBe('too_large');
    expect(error.code).toBe('media.too_many_pixels');
    expect(error.errors).toEqual([{ field: 'photos[1]', message: error.message }]);
  });

  it('refuses more than 10 MiB with 413 media.too_large', async () => {
    const error = await failure(processPhoto(Buffer.alloc(PHOTO_MAX_BYTES + 1, 0xff), 'photos[2]'));
    expect(error.kind).toBe('too_large');
    expect(error.code).toBe('media.too_large');
    expect(error.errors).toEqual([{ field: 'photos[2]', message: error.message }]);
  });

  it.each([
    ['a GIF', () => GIF_1X1],
    ['a text file', () => Buffer.from('this is a text file called photo.jpg\n')],
    ['an empty file', () => Buffer.alloc(0)],
    ['a TIFF', () => Buffer.from('49492a00080000000000', 'hex')],
  ])('refuses %s with 415 media.unsupported_type', async (_, bytes) => {
    const error = await failure(processPhoto(bytes(), 'photos[3]'));
    expect(error.kind).toBe('unsupported_type');
    expect(error.code).toBe('media.unsupported_type');
    expect(error.errors).toEqual([{ field: 'photos[3]', message: error.message }]);
  });

  it('refuses a truncated JPEG with 422 media.undecodable', async () => {
    const whole = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })
      .jpeg()
      .toBuffer();
    for (const cut of [Math.floor(whole.length / 2), 200]) {
      const error = await failure(processPhoto(whole.subarray(0, cut), 'photo'));
      expect(error.kind).toBe('unprocessable');
      expect(error.code).toBe('media.undecodable');
      expect(error.errors).toEqual([{ field: 'photo', message: error.message }]);
    }
  });

  it('refuses an HEVC-coded HEIC with 422 and asks for JPEG', async () => {
    expect(await sharp(hevcHeic()).metadata()).toMatchObject({ format: 'heif', compression: 'hevc' });
    const error = await failure(processPhoto(hevcHeic(), 'photos[0]'));
    expect(error.kind).toBe('unprocessable');
    expect(error.code).toBe('media.undecodable');
    expect(error.message).toMatch(/HEIC photos could not be read/);
    expect(error.message).toMatch(/JPEG/);
    expect(error.errors).toEqual([{ field: 'photos[0]', message: error.message }]);
  });
});
