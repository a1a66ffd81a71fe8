import { DomainError } from '../../core/src/index.js';

export class HotspotError extends DomainError {}

export const HotspotErrors = {
  notFound: (what: 'hotspot' | 'city' = 'hotspot') => new HotspotError('not_found', 'hotspots.not_found', `No ${what} with this id is visible to you.`),
  field: (field: string, message: string) => new HotspotError('invalid', 'hotspots.invalid', `${field}: ${message}.`, [{ field, message }]),
};
