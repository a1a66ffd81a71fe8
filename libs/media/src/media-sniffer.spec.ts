import { describe, expect, it } from '@jest/globals';
import sharp from 'sharp';
import { sniffMedia } from './media-sniffer.js';
import { GIF_1X1, hevcHeic, mp4 } from './testing/media-fixtures.js';

const solid = () => sharp({ create: { width: 16, height: 16, channels: 3, background: '#3a7' } });

describe('sniffMedia', () => {
  it('tells the accepted photo types from their bytes', async () => {
    expect(await sniffMedia(await solid().jpeg().toBuffer())).toEqual({ kind: 'photo', mime: 'image/jpeg', ext: 'jpg' });
    expect(await sniffMedia(await solid().png().toBuffer())).toEqual({ kind: 'photo', mime: 'image/png', ext: 'png' });
    expect(await sniffMedia(await solid().webp().toBuffer())).toEqual({ kind: 'photo', mime: 'image/webp', ext: 'webp' });
    expect(await sniffMedia(await solid().avif().toBuffer())).toEqual({ kind: 'photo', mime: 'image/avif', ext: 'avif' });
    expect(await sniffMedia(hevcHeic())).toEqual({ kind: 'photo', mime: 'image/heic', ext: 'heic' });
  });

  it('tells MP4 from its relatives', async () => {
    expect(await sniffMedia(mp4().bytes)).toEqual({ kind: 'video', mime: 'video/mp4', ext: 'mp4' });
    expect(await sniffMedia(mp4({ brand: 'qt' }).bytes)).toBeNull();
    expect(await sniffMedia(mp4({ brand: 'M4V' }).bytes)).toBeNull();
    expect(await sniffMedia(mp4({ brand: '3gp5' }).bytes)).toBeNull();
  });

  it('refuses everything else', async () => {
    expect(await sniffMedia(GIF_1X1)).toBeNull();
    expect(await sniffMedia(Buffer.from('just some text, named photo.jpg'))).toBeNull();
    expect(await sniffMedia(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(await sniffMedia(await solid().tiff().toBuffer())).toBeNull();
    expect(await sniffMedia(Buffer.from('%PDF-1.7\n'))).toBeNull();
    expect(await sniffMedia(Buffer.alloc(0))).toBeNull();
  });
});
