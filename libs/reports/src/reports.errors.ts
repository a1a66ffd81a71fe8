import { DomainError } from '../../core/src/index.js';

export class ReportsError extends DomainError {}

export const ReportsErrors = {
  notFound: () => new ReportsError('not_found', 'reports.not_found', 'No report with this id is visible to you.'),
  outsideServiceArea: () =>
    new ReportsError('unprocessable', 'reports.outside_service_area', 'This point lies outside every city Taza Map serves; move the pin inside a city.', [
      { field: 'lon', message: 'the point is outside every service area' },
      { field: 'lat', message: 'the point is outside every service area' },
    ]),
  tooLarge: (field: string, message: string) => new ReportsError('too_large', 'reports.too_large', `${field}: ${message}.`, [{ field, message }]),
  field: (field: string, message: string) => new ReportsError('invalid', 'reports.invalid', `${field}: ${message}.`, [{ field, message }]),
  transition: (message: string, allowed: string[]) =>
    new ReportsError('conflict', 'reports.illegal_transition', message, [{ field: 'action', message: allowed.length ? `allowed now: ${allowed.join(', ')}` : 'no action is allowed now' }]),
  idempotencyMismatch: () =>
    new ReportsError('unprocessable', 'reports.idempotency_key_reused', 'This Idempotency-Key was used for a different request within 24 hours.', [
      { field: 'Idempotency-Key', message: 'already used for a different request' },
    ]),
};
