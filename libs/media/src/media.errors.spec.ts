import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../../core/src/index.js';
import { MediaError, MediaErrors } from './media.errors.js';

describe('MediaErrors', () => {
  it.each([
    ['tooLarge', 'too_large', 'media.too_large'],
    ['tooManyPixels', 'too_large', 'media.too_many_pixels'],
    ['unsupportedType', 'unsupported_type', 'media.unsupported_type'],
    ['undecodable', 'unprocessable', 'media.undecodable'],
    ['tooLong', 'unprocessable', 'media.too_long'],
  ] as const)('%s is a %s error coded %s that names the field', (factory, kind, code) => {
    const error = MediaErrors[factory]('photos[2]', 'Something is wrong with the photo.');
    expect(error).toBeInstanceOf(MediaError);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.name).toBe('MediaError');
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    expect(error.message).toBe('Something is wrong with the photo.');
    expect(error.errors).toEqual([{ field: 'photos[2]', message: 'Something is wrong with the photo.' }]);
  });
});
