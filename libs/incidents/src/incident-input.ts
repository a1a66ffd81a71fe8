import { createHash } from 'node:crypto';
import type { FieldProblem } from '../../core/src/index.js';

/** What analytics may say they saw. */
export const INCIDENT_CLASSES = ['dumping', 'vehicle_unloading', 'fire', 'littering'] as const;
export type IncidentClass = (typeof INCIDENT_CLASSES)[number];

/** Incidents may come late (a box buffered while offline), but not from before this. */
export const MAX_AGE_DAYS = 7;
/** Clocks drift: up to this far in the future is accepted. */
export const MAX_FUTURE_SECONDS = 5 * 60;
/** A position given with the incident must lie this close to the camera. */
export const MAX_POSITION_METRES = 2000;
export const MAX_BATCH = 500;
export const SNAPSHOT_MAX_BYTES = 10 * 1024 * 1024;
export const CLIP_MAX_BYTES = 20 * 1024 * 1024;
export const EVENT_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface IncidentInput {
  eventId: string;
  occurredAt: Date;
  confidence: number;
  class: IncidentClass;
  position: { lon: number; lat: number } | null;
}

const FIELDS = new Set(['eventId', 'occurredAt', 'confidence', 'class', 'position', 'lon', 'lat']);

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/**
 * Checks one incident as a camera sent it (JSON object, or multipart fields where numbers are text
 * and the position is `lon` + `lat`). `prefix` names the item in a batch (`incidents[3].`).
 */
export function parseIncident(raw: unknown, nowMs = Date.now(), prefix = ''): { input: IncidentInput } | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const bad = (field: string, message: string) => problems.push({ field: prefix + field, message });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problems: [{ field: prefix.replace(/\.$/, '') || 'body', message: 'must be an object' }] };
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!FIELDS.has(key)) bad(key, 'is not a known field');

  const eventId = o.eventId;
  if (typeof eventId !== 'string' || !EVENT_ID_PATTERN.test(eventId)) bad('eventId', 'must be 1-128 characters of letters, digits, _ . : -');

  let occurredAt: Date | null = null;
  if (typeof o.occurredAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/.test(o.occurredAt) || Number.isNaN(Date.parse(o.occurredAt))) {
    bad('occurredAt', 'must be an ISO 8601 time with a time zone, e.g. 2026-12-01T03:15:00Z');
  } else {
    occurredAt = new Date(o.occurredAt);
    if (occurredAt.getTime() > nowMs + MAX_FUTURE_SECONDS * 1000) bad('occurredAt', 'is more than 5 minutes in the future');
    else if (occurredAt.getTime() < nowMs - MAX_AGE_DAYS * 86_400_000) bad('occurredAt', `is more than ${MAX_AGE_DAYS} days old`);
  }

  const confidence = num(o.confidence);
  if (confidence === null || confidence < 0 || confidence > 1) bad('confidence', 'must be a number from 0 to 1');

  if (typeof o.class !== 'string' || !(INCIDENT_CLASSES as readonly string[]).includes(o.class)) bad('class', `must be one of ${INCIDENT_CLASSES.join(', ')}`);

  let position: { lon: number; lat: number } | null = null;
  const pos = o.position !== undefined ? o.position : o.lon !== undefined || o.lat !== undefined ? { lon: o.lon, lat: o.lat } : undefined;
  if (o.position !== undefined && (o.lon !== undefined || o.lat !== undefined)) bad('position', 'send either position or lon and lat, not both');
  else if (pos !== undefined && pos !== null) {
    const p = pos as Record<string, unknown>;
    const lon = typeof p === 'object' ? num(p.lon) : null;
    const lat = typeof p === 'object' ? num(p.lat) : null;
    if (lon === null || lon < -180 || lon > 180) bad('position.lon', 'must be a longitude between -180 and 180');
    if (lat === null || lat < -90 || lat > 90) bad('position.lat', 'must be a latitude between -90 and 90');
    if (typeof p === 'object' && Object.keys(p).some((k) => k !== 'lon' && k !== 'lat')) bad('position', 'takes only lon and lat');
    if (lon !== null && lat !== null) position = { lon, lat };
  }

  if (problems.length) return { problems };
  return { input: { eventId: eventId as string, occurredAt: occurredAt!, confidence: confidence!, class: o.class as IncidentClass, position } };
}

/**
 * What "the same body" means for the 409 rule: the incident's meaning (normalised time, numbers,
 * position) and the SHA-256 of any files, not its bytes on the wire (key order and spacing vary).
 */
export function incidentBodyHash(input: IncidentInput, files: { snapshot?: Buffer; clip?: Buffer } = {}): Buffer {
  const sha = (b?: Buffer) => (b ? createHash('sha256').update(b).digest('hex') : null);
  const canonical = JSON.stringify([input.eventId, input.occurredAt.toISOString(), input.confidence, input.class, input.position?.lon ?? null, input.position?.lat ?? null, sha(files.snapshot), sha(files.clip)]);
  return createHash('sha256').update(canonical).digest();
}
