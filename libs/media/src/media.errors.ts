import { DomainError } from '../../core/src/index.js';

/** Errors of the media pipeline; codes are stable for clients, `field` is the multipart field at fault (e.g. `photos[2]`). */
export class MediaError extends DomainError {}

export const MediaErrors = {
  /** 413: the upload is bigger than its byte limit. */
  tooLarge: (field: string, message: string) => new MediaError('too_large', 'media.too_large', message, [{ field, message }]),
  /** 413: the image header declares more pixels than we will decode (decompression bomb). */
  tooManyPixels: (field: string, message: string) =>
    new MediaError('too_large', 'media.too_many_pixels', message, [{ field, message }]),
  /** 415: the bytes are not a type we accept (the file name is never consulted). */
  unsupportedType: (field: string, message: string) =>
    new MediaError('unsupported_type', 'media.unsupported_type', message, [{ field, message }]),
  /** 422: the type is right but the content cannot be read (damaged, truncated, or a codec we lack). */
  undecodable: (field: string, message: string) => new MediaError('unprocessable', 'media.undecodable', message, [{ field, message }]),
  /** 422: a readable video that is longer than allowed. */
  tooLong: (field: string, message: string) => new MediaError('unprocessable', 'media.too_long', message, [{ field, message }]),
};
