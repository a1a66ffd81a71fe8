import { MapsErrors } from './maps.errors.js';

export type FilterName = 'status' | 'category' | 'from' | 'to';

/** Filters a tile request may carry; normalised so equal filters give equal cache keys. */
export interface TileFilters {
  statuses: string[] | null;
  categories: string[] | null;
  from: Date | null;
  to: Date | null;
}

export const NO_FILTERS: TileFilters = { statuses: null, categories: null, from: null, to: null };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const CATEGORY = /^[a-z][a-z0-9_]{1,39}$/;

/**
 * Validates the query string of a tile or TileJSON request against what the layer accepts: unknown
 * parameters and bad values are a 400 naming the field (a typo must not silently show every report).
 */
export function parseTileFilters(query: Record<string, unknown>, accepted: readonly FilterName[], statuses: readonly string[]): TileFilters {
  for (const name of Object.keys(query)) {
    if (!accepted.includes(name as FilterName)) {
      throw MapsErrors.field(name, accepted.length ? `is not a filter of this layer (filters: ${accepted.join(', ')})` : 'this layer takes no filters');
    }
  }
  const text = (name: string): string | null => {
    const v = query[name];
    if (v === undefined) return null;
    if (typeof v !== 'string' || v.trim() === '') throw MapsErrors.field(name, 'must be given once, not empty');
    return v.trim();
  };
  const list = (name: string, valid: (s: string) => boolean, expected: string): string[] | null => {
    const raw = text(name);
    if (raw === null) return null;
    const items = [...new Set(raw.split(',').map((s) => s.trim()))].sort();
    const bad = items.find((s) => !valid(s));
    if (bad !== undefined) throw MapsErrors.field(name, `"${bad.slice(0, 40)}" is not ${expected}`);
    return items;
  };
  const date = (name: string): Date | null => {
    const raw = text(name);
    if (raw === null) return null;
    const d = new Date(raw);
    // The calendar date must exist (JavaScript rolls 2026-02-30 over into March).
    const day = raw.slice(0, 10);
    const exists = !Number.isNaN(d.getTime()) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day;
    if (!ISO_DATE.test(raw) || !exists) throw MapsErrors.field(name, 'must be an ISO 8601 date, e.g. 2026-11-01 or 2026-11-01T08:00:00Z');
    return d;
  };
  const filters: TileFilters = {
    statuses: list('status', (s) => statuses.includes(s), `a status (${statuses.join(', ')})`),
    categories: list('category', (s) => CATEGORY.test(s), 'a category code'),
    from: date('from'),
    to: date('to'),
  };
  if (filters.from && filters.to && filters.from >= filters.to) throw MapsErrors.field('to', 'must be later than from');
  return filters;
}

/** A stable text form of the filters, for cache keys and the TileJSON tile URL. */
export function filtersQueryString(f: TileFilters): string {
  const params = new URLSearchParams();
  if (f.statuses) params.set('status', f.statuses.join(','));
  if (f.categories) params.set('category', f.categories.join(','));
  if (f.from) params.set('from', f.from.toISOString());
  if (f.to) params.set('to', f.to.toISOString());
  return params.toString();
}
