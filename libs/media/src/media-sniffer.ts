import { fileTypeFromBuffer } from 'file-type';

export interface SniffedMedia {
  kind: 'photo' | 'video';
  mime: string;
  ext: string;
}

/** Photo types we accept; `image/heif` and `image/avif` are the other brands of the HEIF container (mif1, avif). */
const PHOTO_MIMES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'image/avif']);

/**
 * What the bytes are, judged by their content only (never a file name or a client-sent type).
 * Returns null for anything we do not accept: GIF, text, QuickTime (.mov), M4V, 3GP, HEIF sequences, ...
 */
export async function sniffMedia(bytes: Buffer): Promise<SniffedMedia | null> {
  if (bytes.length === 0) return null;
  const type = await fileTypeFromBuffer(bytes);
  if (!type) return null;
  if (PHOTO_MIMES.has(type.mime)) return { kind: 'photo', mime: type.mime, ext: type.ext };
  // file-type reports some relatives (.m4p, .f4v) as video/mp4 too; only plain MP4 is accepted.
  if (type.mime === 'video/mp4' && type.ext === 'mp4') return { kind: 'video', mime: type.mime, ext: type.ext };
  return null;
}
