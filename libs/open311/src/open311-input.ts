import { isEmail, isUUID } from 'class-validator';
import type { FieldProblem } from '../../core/src/index.js';
import { OPEN311_OPEN, REPORT_STATUSES, type ReportSize, type ReportStatus } from '../../reports/src/index.js';
import { LOCALES, SIZE_VALUES, WASTE_TYPE_VALUES, type Locale } from './open311-catalogue.js';
import { Open311Errors } from './open311.errors.js';

/** Query-string or form fields as Fastify parses them: strings, or arrays of strings for repeated keys. */
export type Params = Record<string, unknown>;

export const MAX_WINDOW_DAYS = 90;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_RADIUS_METRES = 1000;
export const MAX_RADIUS_METRES = 50_000;
const DAY_MS = 86_400_000;

const SIZES = Object.keys(SIZE_VALUES) as ReportSize[];
const WASTE_TYPES = Object.keys(WASTE_TYPE_VALUES);
const ATTRIBUTES = ['size', 'waste_types'];
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const INTEGER = /^\+?\d{1,9}$/;
// ISO 8601 calendar dates with an optional time and offset (what Open311 clients send).
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/i;
const PHONE = /^\+?[0-9 ()-]{7,20}$/;

/** One value of a field; empty means absent (clients send empty form fields). */
function scalar(params: Params, name: string, problems: FieldProblem[]): string | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    problems.push({ field: name, message: 'give it once' });
    return undefined;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') {
    problems.push({ field: name, message: 'must be text' });
    return undefined;
  }
  return v.trim() === '' ? undefined : v.trim();
}

/** A field that may be repeated or comma-delimited (Open311 lists). */
function list(params: Params, name: string): string[] | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  const values = [v]
    .flat()
    .flatMap((x) => String(x).split(','))
    .map((x) => x.trim())
    .filter(Boolean);
  return values.length ? [...new Set(values)] : undefined;
}

function number(params: Params, name: string, problems: FieldProblem[], min: number, max: number, what: string): number | undefined {
  const raw = scalar(params, name, problems);
  if (raw === undefined) return undefined;
  const n = NUMBER.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    problems.push({ field: name, message: `must be ${what}` });
    return undefined;
  }
  return n;
}

function integer(params: Params, name: string, problems: FieldProblem[], min: number, max: number): number | undefined {
  const raw = scalar(params, name, problems);
  if (raw === undefined) return undefined;
  const n = INTEGER.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push({ field: name, message: `must be a whole number from ${min} to ${max}` });
    return undefined;
  }
  return n;
}

export function parseIsoDate(raw: string): Date | null {
  if (!ISO_DATE.test(raw)) return null;
  // A date alone is that day's start in UTC; an offset "+0600" or "+06" is written "+06:00" for Date.parse.
  const [day, time] = raw.split(/[T ]/i);
  const normal = time === undefined ? day : `${day}T${time.replace(/([+-]\d{2})(\d{2})?$/, (_, h: string, m?: string) => `${h}:${m ?? '00'}`)}`;
  const t = Date.parse(normal);
  return Number.isNaN(t) ? null : new Date(t);
}

function date(params: Params, name: string, problems: FieldProblem[]): Date | undefined {
  const raw = scalar(params, name, problems);
  if (raw === undefined) return undefined;
  const d = parseIsoDate(raw);
  if (!d) problems.push({ field: name, message: 'must be an ISO 8601 date-time, e.g. 2026-05-01T00:00:00Z' });
  return d ?? undefined;
}

function fail(problems: FieldProblem[]): void {
  if (problems.length) throw Open311Errors.invalid(problems);
}

/** `?locale=kk|ru|en` (default en): the language of names. */
export function parseLocale(params: Params, problems: FieldProblem[] = []): Locale {
  const raw = scalar(params, 'locale', problems);
  if (raw === undefined) return 'en';
  if ((LOCALES as readonly string[]).includes(raw)) return raw as Locale;
  problems.push({ field: 'locale', message: `must be one of ${LOCALES.join(', ')}` });
  return 'en';
}

export function jurisdictionOf(params: Params): string | undefined {
  const problems: FieldProblem[] = [];
  const id = scalar(params, 'jurisdiction_id', problems);
  fail(problems);
  return id;
}

/**
 * start_date/end_date: at most 90 days apart. Neither given: the last 90 days; one given: 90 days from
 * (or up to) it.
 */
function dateWindow(params: Params, now: Date, problems: FieldProblem[]): { from: Date; to: Date } {
  const start = date(params, 'start_date', problems);
  const end = date(params, 'end_date', problems);
  const span = MAX_WINDOW_DAYS * DAY_MS;
  if (start && end) {
    if (end < start) problems.push({ field: 'end_date', message: 'must not be before start_date' });
    else if (end.getTime() - start.getTime() > span) problems.push({ field: 'end_date', message: `must be at most ${MAX_WINDOW_DAYS} days after start_date` });
    return { from: start, to: end };
  }
  if (start) return { from: start, to: new Date(start.getTime() + span) };
  if (end) return { from: new Date(end.getTime() - span), to: end };
  return { from: new Date(now.getTime() - span), to: now };
}

function paging(params: Params, problems: FieldProblem[]): { limit: number; offset: number } {
  const page = integer(params, 'page', problems, 1, 1_000_000) ?? 1;
  const size = integer(params, 'page_size', problems, 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE;
  return { limit: size, offset: (page - 1) * size };
}

export interface RequestsFilter {
  ids?: string[];
  serviceCodes?: string[];
  statuses?: ReportStatus[];
  from?: Date;
  to?: Date;
  near?: { lon: number; lat: number; radius: number };
  limit: number;
  offset: number;
}

/** GET requests: the spec's filters plus page/page_size and lat/long/radius. */
export function parseRequestsQuery(params: Params, now: Date): { filter: RequestsFilter; locale: Locale } {
  const problems: FieldProblem[] = [];
  const locale = parseLocale(params, problems);
  const ids = list(params, 'service_request_id');
  if (ids) {
    // The spec: service_request_id overrides every other filter.
    if (ids.length > MAX_PAGE_SIZE) problems.push({ field: 'service_request_id', message: `at most ${MAX_PAGE_SIZE} ids` });
    const bad = ids.filter((id) => !isUUID(id));
    if (bad.length) problems.push({ field: 'service_request_id', message: `not a service request id: ${bad.slice(0, 3).join(', ')}` });
    fail(problems);
    return { filter: { ids, limit: ids.length, offset: 0 }, locale };
  }
  const filter: RequestsFilter = { ...dateWindow(params, now, problems), ...paging(params, problems) };
  filter.serviceCodes = list(params, 'service_code');
  const status = list(params, 'status');
  if (status) {
    const unknown = status.filter((s) => s !== 'open' && s !== 'closed');
    if (unknown.length) problems.push({ field: 'status', message: 'must be open or closed' });
    else if (status.length === 1) {
      const open = status[0] === 'open';
      filter.statuses = REPORT_STATUSES.filter((s) => OPEN311_OPEN.includes(s) === open);
    }
  }
  const lat = number(params, 'lat', problems, -90, 90, 'a latitude between -90 and 90');
  const lon = number(params, 'long', problems, -180, 180, 'a longitude between -180 and 180');
  const radius = integer(params, 'radius', problems, 1, MAX_RADIUS_METRES);
  if (lat !== undefined && lon !== undefined) filter.near = { lon, lat, radius: radius ?? DEFAULT_RADIUS_METRES };
  else if (params.lat !== undefined || params.long !== undefined || radius !== undefined) {
    if (lat === undefined && !problems.some((p) => p.field === 'lat')) problems.push({ field: 'lat', message: 'is required with long and radius' });
    if (lon === undefined && !problems.some((p) => p.field === 'long')) problems.push({ field: 'long', message: 'is required with lat and radius' });
  }
  fail(problems);
  return { filter, locale };
}

export interface UpdatesFilter {
  from: Date;
  to: Date;
  limit: number;
  offset: number;
}

/** mySociety's servicerequestupdates: start_date/end_date (same 90-day rule) and paging. */
export function parseUpdatesQuery(params: Params, now: Date): UpdatesFilter {
  const problems: FieldProblem[] = [];
  const filter = { ...dateWindow(params, now, problems), ...paging(params, problems) };
  fail(problems);
  return filter;
}

export interface ServiceRequestInput {
  serviceCode: string;
  lon: number;
  lat: number;
  size: ReportSize;
  wasteTypes: string[];
  description?: string;
  email?: string;
  phone?: string;
}

/** `attribute[size]`, `attribute[waste_types][]` (form) or `attribute: {size, waste_types}` (JSON). */
function attributes(params: Params, problems: FieldProblem[]): Params {
  const out: Params = {};
  const nested = params.attribute;
  if (nested !== undefined) {
    if (nested === null || typeof nested !== 'object' || Array.isArray(nested)) problems.push({ field: 'attribute', message: 'must name attributes: attribute[size]' });
    else Object.assign(out, nested);
  }
  for (const [key, value] of Object.entries(params)) {
    const m = /^attribute\[([^\]]*)\](\[\])?$/.exec(key);
    if (m) out[m[1]] = out[m[1]] === undefined ? value : [out[m[1]], value].flat();
  }
  for (const key of Object.keys(out)) if (!ATTRIBUTES.includes(key)) problems.push({ field: `attribute[${key}]`, message: `not an attribute of this service (${ATTRIBUTES.join(', ')})` });
  return out;
}

/**
 * A POST requests body, checked field by field: every bad field is named at once. The service_code is
 * checked against the database by the caller. first_name, last_name, device_id, account_id and
 * media_url are accepted and not kept.
 */
export function parseServiceRequest(params: Params): { value: ServiceRequestInput | null; serviceCode?: string; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const serviceCode = scalar(params, 'service_code', problems);
  if (serviceCode === undefined && !problems.length) problems.push({ field: 'service_code', message: 'is required (see services.json)' });

  let lat: number | undefined;
  let lon: number | undefined;
  if (params.lat === undefined && params.long === undefined) {
    const address = ['address_string', 'address_id'].find((f) => scalar(params, f, []) !== undefined);
    if (address) problems.push({ field: address, message: 'address lookup not supported, send lat/long' });
    else problems.push({ field: 'lat', message: 'is required' }, { field: 'long', message: 'is required' });
  } else {
    lat = number(params, 'lat', problems, -90, 90, 'a latitude between -90 and 90');
    lon = number(params, 'long', problems, -180, 180, 'a longitude between -180 and 180');
    if (lat === undefined && !problems.some((p) => p.field === 'lat')) problems.push({ field: 'lat', message: 'is required' });
    if (lon === undefined && !problems.some((p) => p.field === 'long')) problems.push({ field: 'long', message: 'is required' });
  }

  const attrs = attributes(params, problems);
  const size = scalar(attrs, 'size', problems);
  if (size === undefined) problems.push({ field: 'attribute[size]', message: `is required: one of ${SIZES.join(', ')}` });
  else if (!(SIZES as string[]).includes(size)) problems.push({ field: 'attribute[size]', message: `must be one of ${SIZES.join(', ')}` });
  const wasteTypes = list(attrs, 'waste_types') ?? [];
  const unknownTypes = wasteTypes.filter((w) => !WASTE_TYPES.includes(w));
  if (unknownTypes.length) problems.push({ field: 'attribute[waste_types]', message: `each must be one of ${WASTE_TYPES.join(', ')}` });

  const description = scalar(params, 'description', problems);
  if (description !== undefined && description.length > 4000) problems.push({ field: 'description', message: 'must be at most 4,000 characters' });
  const email = scalar(params, 'email', problems);
  if (email !== undefined && (email.length > 254 || !isEmail(email))) problems.push({ field: 'email', message: 'must be an email address' });
  const phone = scalar(params, 'phone', problems);
  if (phone !== undefined && !PHONE.test(phone)) problems.push({ field: 'phone', message: 'must be a phone number' });

  // Rename problems from the nested attribute map back to the form names.
  for (const p of problems) if (p.field === 'size' || p.field === 'waste_types') p.field = `attribute[${p.field}]`;
  if (problems.length) return { value: null, serviceCode, problems };
  return { value: { serviceCode: serviceCode!, lon: lon!, lat: lat!, size: size as ReportSize, wasteTypes, description, email, phone }, serviceCode, problems };
}
