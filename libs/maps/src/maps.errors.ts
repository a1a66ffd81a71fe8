import { DomainError } from '../../core/src/index.js';

/** Errors of the map endpoints; codes are stable for clients. */
export const MapsErrors = {
  unknownLayer: (layer: string) => new DomainError('not_found', 'maps.unknown_layer', `There is no map layer named "${layer}".`),
  signInRequired: (layer: string) => new DomainError('unauthorized', 'maps.sign_in_required', `The map layer "${layer}" is for akimat staff: sign in first.`),
  staffOnly: (layer: string) => new DomainError('forbidden', 'maps.staff_only', `The map layer "${layer}" is for akimat staff only.`),
  field: (field: string, message: string) => new DomainError('invalid', 'maps.invalid_field', `${field}: ${message}.`, [{ field, message }]),
};
