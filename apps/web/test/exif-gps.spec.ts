import { jpegPhoto, pngImage } from '../../../libs/testing/src/index.js';
import { readExifGps } from '../src/resident/exif-gps.js';

const arrayBuffer = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

describe('reading the GPS position of a photo in the browser', () => {
  it('finds the position a phone wrote into a JPEG', async () => {
    const gps = readExifGps(arrayBuffer(await jpegPhoto({ gps: { lon: 76.9286, lat: 43.2567 } })));
    expect(gps?.lat).toBeCloseTo(43.2567, 4);
    expect(gps?.lon).toBeCloseTo(76.9286, 4);
  });

  it('answers null for a JPEG without GPS, a PNG and garbage', async () => {
    expect(readExifGps(arrayBuffer(await jpegPhoto()))).toBeNull();
    expect(readExifGps(arrayBuffer(await pngImage()))).toBeNull();
    expect(readExifGps(arrayBuffer(Buffer.from('not a photo at all')))).toBeNull();
    const cut = await jpegPhoto({ gps: { lon: 76.9, lat: 43.2 } });
    expect(readExifGps(arrayBuffer(cut.subarray(0, 60)))).toBeNull();
  });
});
