import { DomainError } from '../../core/src/index.js';

export class IncidentsError extends DomainError {}

/** Why a signed request was refused; the code is stable for camera vendors (docs/cameras.md). */
export type SignatureProblem =
  | 'missing_header'
  | 'bad_timestamp'
  | 'stale_timestamp'
  | 'bad_nonce'
  | 'replayed_nonce'
  | 'unknown_key'
  | 'revoked_key'
  | 'retired_camera'
  | 'bad_signature';

const SIGNATURE_MESSAGES: Record<SignatureProblem, string> = {
  missing_header: 'Signed requests need X-Camera-Key, X-Timestamp, X-Nonce and X-Signature.',
  bad_timestamp: 'X-Timestamp must be a Unix time in whole seconds.',
  stale_timestamp: 'X-Timestamp is more than 300 seconds away from the server time; check the camera clock (NTP).',
  bad_nonce: 'X-Nonce must be 16-64 characters of A-Z, a-z, 0-9, _ and -.',
  replayed_nonce: 'This nonce was already used with this key in the last 10 minutes; every request needs a new one.',
  unknown_key: 'No camera key with this id exists.',
  revoked_key: 'This camera key was revoked; ask the administrator for a new one.',
  retired_camera: 'This camera is retired and may not send anything.',
  bad_signature: 'X-Signature does not match the request; see docs/cameras.md for what is signed.',
};

const SIGNATURE_FIELDS: Record<SignatureProblem, string> = {
  missing_header: 'X-Signature',
  bad_timestamp: 'X-Timestamp',
  stale_timestamp: 'X-Timestamp',
  bad_nonce: 'X-Nonce',
  replayed_nonce: 'X-Nonce',
  unknown_key: 'X-Camera-Key',
  revoked_key: 'X-Camera-Key',
  retired_camera: 'X-Camera-Key',
  bad_signature: 'X-Signature',
};

export const IncidentsErrors = {
  signature: (problem: SignatureProblem) =>
    new IncidentsError('unauthorized', `cameras.${problem}`, SIGNATURE_MESSAGES[problem], [{ field: SIGNATURE_FIELDS[problem], message: SIGNATURE_MESSAGES[problem] }]),
  nonceStoreDown: () =>
    new IncidentsError('unavailable', 'cameras.nonce_store_unavailable', 'Signed requests cannot be checked for replays right now; send again shortly.', [], { 'retry-after': '5' }),
  notFound: (what: 'camera' | 'camera key' | 'incident') => new IncidentsError('not_found', 'incidents.not_found', `No ${what} with this id is visible to you.`),
  field: (field: string, message: string) => new IncidentsError('invalid', 'incidents.invalid', `${field}: ${message}.`, [{ field, message }]),
  fields: (problems: { field: string; message: string }[]) =>
    new IncidentsError('invalid', 'incidents.invalid', problems.map((p) => `${p.field}: ${p.message}`).join('; ') + '.', problems),
  eventConflict: (eventId: string) =>
    new IncidentsError('conflict', 'incidents.event_id_reused', `Event ${eventId} was already sent by this camera with a different body.`, [
      { field: 'eventId', message: 'already used by this camera for a different incident' },
    ]),
  tooManyKeys: () =>
    new IncidentsError('conflict', 'cameras.too_many_keys', 'A camera has at most two active keys; revoke one before creating another.', [
      { field: 'keyId', message: 'the camera already has two active keys' },
    ]),
  keyIdTaken: () => new IncidentsError('conflict', 'cameras.key_id_taken', 'This key id is already in use.', [{ field: 'keyId', message: 'already in use' }]),
  outsideServiceArea: () =>
    new IncidentsError('unprocessable', 'cameras.outside_service_area', 'The camera stands outside every district Taza Map serves; move it inside a city.', [
      { field: 'lon', message: 'the point is outside every service area' },
      { field: 'lat', message: 'the point is outside every service area' },
    ]),
  reviewed: (status: string) =>
    new IncidentsError('conflict', 'incidents.already_reviewed', `This incident is already ${status}; only pending incidents can be confirmed or dismissed.`, [
      { field: 'status', message: `already ${status}` },
    ]),
};
