import { OgcErrors } from './ogc.errors.js';

/** Page size when the client names none, and the most one page returns (a larger `limit` is clamped, as the spec asks). */
export const OGC_DEFAULT_LIMIT = 100;
export const OGC_MAX_LIMIT = 1000;
/** Deep offsets cost a scan each; past this a client should narrow by bbox/datetime or use the export. */
export const OGC_MAX_OFFSET = 1_000_000;

/** [minLon, minLat, maxLon, maxLat] in CRS84; minLon > maxLon means the box crosses the antimeridian. */
export type Bbox = [number, number, number, number];

/** A temporal filter: `from` inclusive, `to` inclusive unless `toExclusive` (a whole day given as a date). */
export interface TimeFilter {
  from: Date | null;
  to: Date | null;
  toExclusive: boolean;
}

export interface ItemsFilter {
  bbox?: Bbox;
  datetime?: TimeFilter;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function parseBbox(raw: string | undefined): Bbox | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length === 6) throw OgcErrors.param('bbox', 'only 2D boxes (4 numbers) are supported');
  if (parts.length !== 4 || !parts.every((p) => NUMBER.test(p))) throw OgcErrors.param('bbox', 'must be 4 comma-separated numbers: minLon,minLat,maxLon,maxLat (CRS84)');
  const box = parts.map(Number) as Bbox;
  if (box.some((v) => !Number.isFinite(v))) throw OgcErrors.param('bbox', 'must be finite numbers');
  if (Math.abs(box[0]) > 180 || Math.abs(box[2]) > 180) throw OgcErrors.param('bbox', 'longitudes must lie between -180 and 180');
  if (Math.abs(box[1]) > 90 || Math.abs(box[3]) > 90) throw OgcErrors.param('bbox', 'latitudes must lie between -90 and 90');
  if (box[1] > box[3]) throw OgcErrors.param('bbox', 'minLat must not exceed maxLat');
  return box;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function validDay(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

/** One end of a `datetime`: an RFC 3339 date-time, or a date (the whole UTC day). */
function parseMoment(raw: string): { start: Date; end: Date; day: boolean } {
  const dt = DATE_TIME.exec(raw);
  if (dt) {
    const [, y, m, d, hh, mm, ss] = dt;
    const at = new Date(raw.toUpperCase());
    if (!validDay(y, m, d) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 60 || Number.isNaN(at.getTime())) {
      throw OgcErrors.param('datetime', `"${raw}" is not a valid RFC 3339 date-time`);
    }
    return { start: at, end: at, day: false };
  }
  const day = DATE.exec(raw);
  if (day && validDay(day[1], day[2], day[3])) {
    const start = new Date(`${raw}T00:00:00Z`);
    return { start, end: new Date(start.getTime() + DAY_MS), day: true };
  }
  throw OgcErrors.param('datetime', `"${raw}" is not an RFC 3339 date-time (2026-01-01T00:00:00Z) or date (2026-01-01)`);
}

const OPEN = (s: string) => s === '..' || s === '';

/**
 * `datetime` as OGC API - Features Part 1 defines it: an instant, a closed interval `a/b`, or an
 * open one `../b`, `a/..` (an empty end counts as open too). A date stands for its whole UTC day.
 */
export function parseDatetime(raw: string | undefined): TimeFilter | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim();
  const parts = value.split('/');
  if (parts.length === 1) {
    if (OPEN(value)) throw OgcErrors.param('datetime', 'must not be empty');
    const m = parseMoment(value);
    return m.day ? { from: m.start, to: m.end, toExclusive: true } : { from: m.start, to: m.start, toExclusive: false };
  }
  if (parts.length !== 2) throw OgcErrors.param('datetime', 'an interval has exactly one "/"');
  const [a, b] = parts;
  if (OPEN(a) && OPEN(b)) throw OgcErrors.param('datetime', 'an interval needs at least one bound');
  const start = OPEN(a) ? null : parseMoment(a);
  const end = OPEN(b) ? null : parseMoment(b);
  const filter: TimeFilter = { from: start?.start ?? null, to: end ? end.end : null, toExclusive: end?.day ?? false };
  if (filter.from && filter.to && (filter.toExclusive ? filter.from >= filter.to : filter.from > filter.to)) {
    throw OgcErrors.param('datetime', 'the interval ends before it starts');
  }
  return filter;
}

/** `limit`: a positive integer; above OGC_MAX_LIMIT it is clamped to it (OGC API - Features /req/core/fc-limit-response-1). */
export function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return OGC_DEFAULT_LIMIT;
  if (!/^\d{1,9}$/.test(raw.trim()) || Number(raw) < 1) throw OgcErrors.param('limit', `must be a whole number from 1 (values above ${OGC_MAX_LIMIT} are reduced to ${OGC_MAX_LIMIT})`);
  return Math.min(Number(raw), OGC_MAX_LIMIT);
}

export function parseOffset(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d{1,9}$/.test(raw.trim()) || Number(raw) > OGC_MAX_OFFSET) throw OgcErrors.param('offset', `must be a whole number from 0 to ${OGC_MAX_OFFSET}`);
  return Number(raw);
}
