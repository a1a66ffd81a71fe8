import { filtersQueryString, parseTileFilters } from './tile-filters.js';

const STATUSES = ['submitted', 'registered', 'closed'];
const ALL = ['status', 'category', 'from', 'to'] as const;

function fieldOf(query: Record<string, unknown>, accepted: readonly ('status' | 'category' | 'from' | 'to')[] = ALL) {
  try {
    parseTileFilters(query, accepted, STATUSES);
    return null;
  } catch (err) {
    return (err as { errors: { field: string }[] }).errors[0].field;
  }
}

describe('tile filters', () => {
  it('normalises equal filters to one cache key', () => {
    const a = parseTileFilters({ status: 'registered,submitted', category: 'tyres' }, ALL, STATUSES);
    const b = parseTileFilters({ status: 'submitted, registered,submitted', category: 'tyres' }, ALL, STATUSES);
    expect(filtersQueryString(a)).toBe(filtersQueryString(b));
    expect(filtersQueryString(a)).toBe('status=registered%2Csubmitted&category=tyres');
    expect(filtersQueryString(parseTileFilters({}, ALL, STATUSES))).toBe('');
  });

  it('parses ISO dates and keeps from before to', () => {
    const f = parseTileFilters({ from: '2026-11-01', to: '2026-11-02T08:00:00+05:00' }, ALL, STATUSES);
    expect(f.from?.toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(f.to?.toISOString()).toBe('2026-11-02T03:00:00.000Z');
  });

  it('names the field of a bad or unknown filter', () => {
    expect(fieldOf({ status: 'open' })).toBe('status');
    expect(fieldOf({ status: ['submitted', 'closed'] })).toBe('status');
    expect(fieldOf({ category: 'Tyres' })).toBe('category');
    expect(fieldOf({ from: '2026-13-01' })).toBe('from');
    expect(fieldOf({ from: '2026-02-30' })).toBe('from');
    expect(fieldOf({ to: 'tomorrow' })).toBe('to');
    expect(fieldOf({ from: '2026-02-02', to: '2026-02-01' })).toBe('to');
    expect(fieldOf({ limit: '5' })).toBe('limit');
    expect(fieldOf({ status: 'submitted' }, [])).toBe('status');
  });
});
