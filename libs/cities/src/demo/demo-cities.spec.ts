import { describe, expect, it } from '@jest/globals';
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { DEMO_CITIES, type DemoCity, type LocalizedName } from './demo-cities.js';

const EXPECTED_CENTRES: Record<DemoCity['slug'], [number, number]> = {
  almaty: [76.9286, 43.2567],
  astana: [71.4304, 51.1282],
  kostanay: [63.6246, 53.2145],
  zhezkazgan: [67.7138, 47.7833],
};

type Area = Feature<Polygon | MultiPolygon>;

const feature = (geometry: Polygon | MultiPolygon): Area => turf.feature(geometry);

/** Every linear ring of a (multi)polygon. */
function ringsOf(geometry: Polygon | MultiPolygon): Position[][] {
  return geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
}

/** Area in m² of the part of `a` that overlaps `b` (0 when they only share edges). */
function overlapArea(a: Area, b: Area): number {
  const overlap = turf.intersect(turf.featureCollection([a, b]));
  return overlap ? turf.area(overlap) : 0;
}

/** Area in m² of the part of `a` outside `b`. */
function areaOutside(a: Area, b: Area): number {
  const rest = turf.difference(turf.featureCollection([a, b]));
  return rest ? turf.area(rest) : 0;
}

function expectValidRings(geometry: Polygon | MultiPolygon, label: string): void {
  const rings = ringsOf(geometry);
  expect(rings.length).toBeGreaterThan(0);
  for (const ring of rings) {
    expect(ring.length).toBeGreaterThanOrEqual(4);
    for (const position of ring) {
      expect(position).toHaveLength(2);
      expect(Number.isFinite(position[0]) && Number.isFinite(position[1])).toBe(true);
    }
    // closed ring: the last position repeats the first
    expect({ label, last: ring[ring.length - 1] }).toEqual({ label, last: ring[0] });
  }
  // outer rings counter-clockwise (RFC 7946)
  const outers = geometry.type === 'Polygon' ? [geometry.coordinates[0]] : geometry.coordinates.map((p) => p[0]);
  for (const outer of outers) expect({ label, clockwise: turf.booleanClockwise(outer) }).toEqual({ label, clockwise: false });
  // no self-intersections
  expect({ label, kinks: turf.kinks(feature(geometry)).features.length }).toEqual({ label, kinks: 0 });
}

function expectName(name: LocalizedName): void {
  for (const lang of ['kk', 'ru', 'en'] as const) {
    expect(typeof name[lang]).toBe('string');
    expect(name[lang].trim().length).toBeGreaterThan(0);
  }
}

describe('DEMO_CITIES', () => {
  it('holds the four demo cities with their names and time zones', () => {
    expect(DEMO_CITIES.map((c) => c.slug).sort()).toEqual(['almaty', 'astana', 'kostanay', 'zhezkazgan']);
    const byslug = Object.fromEntries(DEMO_CITIES.map((c) => [c.slug, c]));
    expect(byslug.almaty.name).toEqual({ kk: 'Алматы', ru: 'Алматы', en: 'Almaty' });
    expect(byslug.astana.name).toEqual({ kk: 'Астана', ru: 'Астана', en: 'Astana' });
    expect(byslug.kostanay.name).toEqual({ kk: 'Қостанай', ru: 'Костанай', en: 'Kostanay' });
    expect(byslug.zhezkazgan.name).toEqual({ kk: 'Жезқазған', ru: 'Жезказган', en: 'Zhezkazgan' });
    expect(byslug.kostanay.timezone).toBe('Asia/Qostanay');
    for (const city of DEMO_CITIES) {
      expect(() => new Intl.DateTimeFormat('en', { timeZone: city.timezone })).not.toThrow();
    }
  });

  describe.each(DEMO_CITIES.map((city) => [city.slug, city] as const))('%s', (_slug, city) => {
    const boundary = feature(city.boundary);
    const core = feature(city.core);
    const districts = city.districts.map((d) => ({ slug: d.slug, area: feature(d.area) }));

    it('has non-empty kk/ru/en names for the city and each district, and unique district slugs', () => {
      expectName(city.name);
      for (const district of city.districts) {
        expect(district.slug).toMatch(/^[a-z][a-z0-9-]*$/);
        expectName(district.name);
      }
      expect(new Set(city.districts.map((d) => d.slug)).size).toBe(city.districts.length);
    });

    it('has valid geometries: closed counter-clockwise rings without self-intersections', () => {
      expect(city.boundary.type).toBe('MultiPolygon');
      expect(city.core.type).toBe('Polygon');
      expectValidRings(city.boundary, `${city.slug} boundary`);
      expectValidRings(city.core, `${city.slug} core`);
      for (const district of city.districts) {
        expect(district.area.type).toBe('MultiPolygon');
        expectValidRings(district.area, `${city.slug}/${district.slug}`);
      }
    });

    it('is centred on the real city centre, which lies in the core', () => {
      const [lon, lat] = EXPECTED_CENTRES[city.slug];
      expect(Math.abs(city.centre[0] - lon)).toBeLessThan(0.01);
      expect(Math.abs(city.centre[1] - lat)).toBeLessThan(0.01);
      expect(turf.booleanPointInPolygon(city.centre, core, { ignoreBoundary: true })).toBe(true);
      expect(turf.booleanPointInPolygon(city.centre, boundary, { ignoreBoundary: true })).toBe(true);
    });

    it('has its core strictly inside the boundary', () => {
      for (const position of city.core.coordinates[0]) {
        expect(turf.booleanPointInPolygon(position, boundary, { ignoreBoundary: true })).toBe(true);
      }
      expect(turf.lineIntersect(turf.polygonToLine(core), turf.polygonToLine(boundary)).features).toHaveLength(0);
      expect(areaOutside(core, boundary)).toBeLessThan(1);
      expect(turf.area(core)).toBeLessThan(turf.area(boundary));
    });

    it('has 2 to 4 districts that tile the boundary exactly', () => {
      expect(districts.length).toBeGreaterThanOrEqual(2);
      expect(districts.length).toBeLessThanOrEqual(4);
      for (let i = 0; i < districts.length; i++) {
        for (let j = i + 1; j < districts.length; j++) {
          const pair = `${districts[i].slug}/${districts[j].slug}`;
          expect({ pair, overlap: overlapArea(districts[i].area, districts[j].area) < 1 }).toEqual({ pair, overlap: true });
        }
      }
      for (const district of districts) {
        expect({ district: district.slug, outside: areaOutside(district.area, boundary) < 1 }).toEqual({ district: district.slug, outside: true });
      }
      const total = districts.reduce((sum, d) => sum + turf.area(d.area), 0);
      const boundaryArea = turf.area(boundary);
      expect(Math.abs(total - boundaryArea) / boundaryArea).toBeLessThan(0.001);
    });

    it('puts every sample point of the city in exactly one district', () => {
      const grid = turf.pointGrid(turf.bbox(boundary), 1, { units: 'kilometers', mask: boundary });
      expect(grid.features.length).toBeGreaterThan(50);
      for (const point of grid.features) {
        // inside at least one district (edges included) and strictly inside at most one
        const touching = districts.filter((d) => turf.booleanPointInPolygon(point, d.area));
        const strictly = districts.filter((d) => turf.booleanPointInPolygon(point, d.area, { ignoreBoundary: true }));
        expect({ point: point.geometry.coordinates, covered: touching.length >= 1, single: strictly.length <= 1 }).toEqual({
          point: point.geometry.coordinates,
          covered: true,
          single: true,
        });
      }
    });
  });
});
