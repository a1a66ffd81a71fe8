import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ValidationFailed } from './problem-details.filter.js';
import { flattenValidationErrors } from './validation.pipe.js';

/** Validates a plain object (e.g. multipart fields) against a DTO class the same way the pipe does. */
export async function validateDto<T extends object>(cls: new () => T, plain: unknown): Promise<T> {
  const instance = plainToInstance(cls, plain ?? {});
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new ValidationFailed(flattenValidationErrors(errors));
  return instance;
}
