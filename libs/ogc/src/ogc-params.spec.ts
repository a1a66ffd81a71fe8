import { OgcError } from './ogc.errors.js';
import { OGC_MAX_LIMIT, parseBbox, parseDatetime, parseLimit, parseOffset } from './ogc-params.js';

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OgcError);
    return (e as OgcError).errors[0].field;
  }
  throw new Error('expected a refusal');
};

describe('OGC items parameters', () => {
  it('reads a CRS84 bbox, allowing one that crosses the antimeridian', () => {
    expect(parseBbox(undefined)).toBeUndefined();
    expect(parseBbox('76.7, 43.1, 77.2, 43.45')).toEqual([76.7, 43.1, 77.2, 43.45]);
    expect(parseBbox('170,-10,-170,10')).toEqual([170, -10, -170, 10]);
    for (const bad of ['', '1,2,3', '1,2,3,x', '1,2,3,4,5,6', '0,10,1,5', '-181,0,0,1', '0,-91,1,0', 'Infinity,0,1,1', '0x10,0,1,1']) {
      expect([bad, fieldOf(() => parseBbox(bad))]).toEqual([bad, 'bbox']);
    }
  });

  it('reads datetime instants, dates (whole UTC days) and intervals as the spec writes them', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    expect(parseDatetime('2026-01-01T00:00:00Z')).toEqual({ from: at, to: at, toExclusive: false });
    expect(parseDatetime('2026-01-01T05:00:00+05:00')).toEqual({ from: at, to: at, toExclusive: false });
    expect(parseDatetime('2026-01-01')).toEqual({ from: at, to: new Date('2026-01-02T00:00:00Z'), toExclusive: true });
    expect(parseDatetime('../2026-01-01T00:00:00Z')).toEqual({ from: null, to: at, toExclusive: false });
    expect(parseDatetime('2026-01-01T00:00:00Z/..')).toEqual({ from: at, to: null, toExclusive: false });
    expect(parseDatetime('/2026-01-01')).toEqual({ from: null, to: new Date('2026-01-02T00:00:00Z'), toExclusive: true });
    expect(parseDatetime('2026-01-01/2026-01-01')).toEqual({ from: at, to: new Date('2026-01-02T00:00:00Z'), toExclusive: true });
    expect(parseDatetime('2025-12-31t23:00:00.5z/2026-01-01T00:00:00Z')?.from).toEqual(new Date('2025-12-31T23:00:00.500Z'));
    for (const bad of ['', '..', '../..', 'a/b/c', '2026-01-01T00:00:00', '2026-02-29', '2026-01-01T24:00:00Z', '2026-01-02/2026-01-01', 'now']) {
      expect([bad, fieldOf(() => parseDatetime(bad))]).toEqual([bad, 'datetime']);
    }
  });

  it('defaults limit to 100, clamps it to the maximum, and refuses non-positive or non-integer values', () => {
    expect(parseLimit(undefined)).toBe(100);
    expect(parseLimit('7')).toBe(7);
    expect(parseLimit('5000')).toBe(OGC_MAX_LIMIT);
    for (const bad of ['0', '-1', '1.5', 'ten', '']) expect(fieldOf(() => parseLimit(bad))).toBe('limit');
    expect(parseOffset(undefined)).toBe(0);
    expect(parseOffset('30')).toBe(30);
    for (const bad of ['-1', '2.5', 'x', '1000001']) expect(fieldOf(() => parseOffset(bad))).toBe('offset');
  });
});
