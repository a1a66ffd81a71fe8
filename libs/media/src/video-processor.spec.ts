import { describe, expect, it } from '@jest/globals';
import { MediaError } from './media.errors.js';
import { VIDEO_MAX_BYTES } from './media-limits.js';
import { sniffMedia } from './media-sniffer.js';
import { box, mp4 } from './testing/media-fixtures.js';
import { processVideo } from './video-processor.js';

function failure(run: () => unknown): MediaError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MediaError);
    return error as MediaError;
  }
  throw new Error('expected a MediaError');
}

const has = (bytes: Buffer, text: string) => bytes.includes(Buffer.from(text, 'latin1'));

describe('processVideo', () => {
  it('blanks udta, meta and XMP in place: same length, sample data and chunk offsets untouched', () => {
    const { bytes, mdatPayloadOffset, mdat } = mp4();
    const input = Buffer.from(bytes);
    expect(has(bytes, 'udta')).toBe(true);
    expect(has(bytes, '\u00a9xyz')).toBe(true);
    expect(has(bytes, '+43.2567+076.9286/')).toBe(true);

    const out = processVideo(bytes, 'video');

    expect(out.mime).toBe('video/mp4');
    expect(out.durationSeconds).toBe(12.5);
    expect(out.video.length).toBe(bytes.length);
    expect(bytes.equals(input)).toBe(true); // the input is not mutated
    for (const gone of ['udta', 'meta', '\u00a9xyz', '\u00a9too', '+43.2567+076.9286/', 'Lavf', 'xmpmeta', 'GPSLatitude']) {
      expect(has(out.video, gone)).toBe(false);
    }
    // mdat is where it was and byte for byte the same; stco still points at it
    expect(out.video.subarray(mdatPayloadOffset).equals(mdat)).toBe(true);
    const stco = out.video.indexOf('stco');
    expect(out.video.readUInt32BE(stco + 12)).toBe(mdatPayloadOffset);
    // every structural box is still there, and the blanked ones are `free` boxes of zeros
    for (const kept of ['ftyp', 'moov', 'mvhd', 'trak', 'tkhd', 'mdia', 'mdhd', 'minf', 'stbl', 'stco', 'mdat']) {
      expect(has(out.video, kept)).toBe(true);
    }
    // only bytes inside the blanked boxes changed
    const changed = [...out.video.keys()].filter((i) => out.video[i] !== bytes[i]);
    expect(changed.length).toBeGreaterThan(0);
    expect(Math.max(...changed)).toBeLessThan(mdatPayloadOffset - 8);
    let free = 0;
    for (let at = out.video.indexOf('free'); at >= 0; at = out.video.indexOf('free', at + 1)) {
      free++;
      const size = out.video.readUInt32BE(at - 4);
      expect(out.video.subarray(at + 4, at - 4 + size).every((b) => b === 0)).toBe(true);
    }
    expect(free).toBe(4); // trak/udta, moov/udta, moov/meta and the XMP uuid box
  });

  it('reads duration from a version 1 mvhd and copes with a 64-bit largesize and a size-0 last box', () => {
    const large = mp4({ mvhdVersion: 1, timescale: 90_000, duration: 90_000 * 59, largeMdat: true });
    const out = processVideo(large.bytes, 'video');
    expect(out.durationSeconds).toBe(59);
    expect(out.video.subarray(large.mdatPayloadOffset).equals(large.mdat)).toBe(true);
    expect(has(out.video, '\u00a9xyz')).toBe(false);

    const toEnd = mp4({ mdatToEnd: true });
    expect(processVideo(toEnd.bytes, 'video').video.length).toBe(toEnd.bytes.length);
  });

  it('refuses a video longer than 60 s with 422 media.too_long', () => {
    const error = failure(() => processVideo(mp4({ timescale: 600, duration: 600 * 90 }).bytes, 'video'));
    expect(error.kind).toBe('unprocessable');
    expect(error.code).toBe('media.too_long');
    expect(error.message).toContain('longer than 60 s');
    expect(error.errors).toEqual([{ field: 'video', message: error.message }]);
    // exactly 60 s is fine; version 1 headers are checked too
    expect(processVideo(mp4({ duration: 60_000 }).bytes, 'video').durationSeconds).toBe(60);
    expect(failure(() => processVideo(mp4({ mvhdVersion: 1, duration: 61_000 }).bytes, 'video')).code).toBe('media.too_long');
  });

  it.each([
    ['cut in the middle of mdat', (b: Buffer) => b.subarray(0, b.length - 100)],
    ['cut inside moov', (b: Buffer) => b.subarray(0, 200)],
    ['cut inside a box header', (b: Buffer) => b.subarray(0, 35)],
  ])('refuses a truncated file (%s) with 422', (_, cut) => {
    const error = failure(() => processVideo(cut(mp4().bytes), 'videos[0]'));
    expect(error.kind).toBe('unprocessable');
    expect(error.code).toBe('media.undecodable');
    expect(error.errors).toEqual([{ field: 'videos[0]', message: error.message }]);
  });

  it('refuses a file without moov, a moov without mvhd, a fragmented MP4 and a box with an impossible size with 422', () => {
    expect(failure(() => processVideo(mp4({ withoutMoov: true }).bytes, 'video')).message).toMatch(/moov/);
    const ftyp = box('ftyp', Buffer.from('isom\0\0\0\0isom', 'latin1'));
    expect(failure(() => processVideo(Buffer.concat([ftyp, box('moov', box('free'))]), 'video')).message).toMatch(/mvhd/);
    expect(failure(() => processVideo(mp4({ fragmented: true }).bytes, 'video')).message).toMatch(/fragmented/);
    const bad = Buffer.from(mp4().bytes);
    bad.writeUInt32BE(4, bad.indexOf('moov') - 4); // a box smaller than its own header
    expect(failure(() => processVideo(bad, 'video')).kind).toBe('unprocessable');
    const zeroScale = mp4({ timescale: 0 });
    expect(failure(() => processVideo(zeroScale.bytes, 'video')).kind).toBe('unprocessable');
  });

  it.each([
    ['a QuickTime movie', mp4({ brand: 'qt' }).bytes],
    ['a 3GP', mp4({ brand: '3gp5' }).bytes],
    ['an M4A', mp4({ brand: 'M4A' }).bytes],
    ['a HEIC', mp4({ brand: 'heic' }).bytes],
    ['text', Buffer.from('hello, this is not a video at all')],
    ['nothing', Buffer.alloc(0)],
  ])('refuses %s with 415', (_, bytes) => {
    const error = failure(() => processVideo(bytes, 'video'));
    expect(error.kind).toBe('unsupported_type');
    expect(error.code).toBe('media.unsupported_type');
    expect(error.errors).toEqual([{ field: 'video', message: error.message }]);
  });

  it('refuses more than 50 MiB with 413 before looking inside', () => {
    const error = failure(() => processVideo(Buffer.alloc(VIDEO_MAX_BYTES + 1), 'video'));
    expect(error.kind).toBe('too_large');
    expect(error.code).toBe('media.too_large');
    expect(error.errors[0].field).toBe('video');
  });

  it('agrees with sniffMedia about which major brands are MP4', async () => {
    for (const brand of ['isom', 'iso2', 'mp41', 'mp42', 'avc1', 'MSNV', 'dash', 'qt', 'M4V', 'M4VP', 'M4P', 'F4V', 'M4A', '3gp4', '3g2a', 'mif1', 'msf1', 'avif', 'heic', 'hevc', 'crx']) {
      const bytes = mp4({ brand }).bytes;
      const sniffed = await sniffMedia(bytes);
      let accepted = true;
      try {
        processVideo(bytes, 'video');
      } catch (error) {
        if ((error as MediaError).code !== 'media.unsupported_type') throw error;
        accepted = false;
      }
      expect({ brand, accepted }).toEqual({ brand, accepted: sniffed?.kind === 'video' });
    }
  });
});
