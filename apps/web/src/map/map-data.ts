import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import type { BBox, CityCollection, CityFeature, DistrictCollection } from '../api/types';
import { DISTRICT_PALETTE } from './offline-style';

/*
 * Vector-tiled GeoJSON can only carry flat properties (nested objects such as `name: {kk, ru, en}`
 * would be turned into JSON strings), so the API features are flattened before they go to MapLibre.
 */

export interface CityMapProps {
  id: string;
  slug: string;
  name_kk: string;
  name_ru: string;
  name_en: string;
}

export interface DistrictMapProps {
  id: string;
  cityId: string;
  slug: string;
  name_kk: string;
  name_ru: string;
  name_en: string;
  color: string;
}

type Area = Polygon | MultiPolygon;

function isArea(g: Geometry | null | undefined): g is Area {
  return !!g && (g.type === 'Polygon' || g.type === 'MultiPolygon');
}

export function cityBoundaries(cities: CityCollection): FeatureCollection<Area, CityMapProps> {
  return {
    type: 'FeatureCollection',
    features: cities.features
      .filter((f) => isArea(f.geometry))
      .map((f) => ({
        type: 'Feature',
        geometry: f.geometry,
        properties: {
          id: f.properties.id,
          slug: f.properties.slug,
          name_kk: f.properties.name?.kk ?? '',
          name_ru: f.properties.name?.ru ?? '',
          name_en: f.properties.name?.en ?? '',
        },
      })),
  };
}

export function cityCores(cities: CityCollection): FeatureCollection<Area, { cityId: string }> {
  const features: Feature<Area, { cityId: string }>[] = [];
  for (const f of cities.features) {
    const core = f.properties.core;
    if (isArea(core)) features.push({ type: 'Feature', geometry: core, properties: { cityId: f.properties.id } });
  }
  return { type: 'FeatureCollection', features };
}

export function districtAreas(districts: DistrictCollection): FeatureCollection<Area, DistrictMapProps> {
  const perCity = new Map<string, number>();
  return {
    type: 'FeatureCollection',
    features: districts.features
      .filter((f) => isArea(f.geometry))
      .map((f) => {
        const n = perCity.get(f.properties.cityId) ?? 0;
        perCity.set(f.properties.cityId, n + 1);
        return {
          type: 'Feature',
          geometry: f.geometry,
          properties: {
            id: f.properties.id,
            cityId: f.properties.cityId,
            slug: f.properties.slug,
            name_kk: f.properties.name?.kk ?? '',
            name_ru: f.properties.name?.ru ?? '',
            name_en: f.properties.name?.en ?? '',
            color: DISTRICT_PALETTE[n % DISTRICT_PALETTE.length],
          },
        };
      }),
  };
}

function extendWithPositions(b: BBox, positions: Position[]): void {
  for (const [lon, lat] of positions) {
    if (lon < b[0]) b[0] = lon;
    if (lat < b[1]) b[1] = lat;
    if (lon > b[2]) b[2] = lon;
    if (lat > b[3]) b[3] = lat;
  }
}

function isValidBBox(b: unknown): b is BBox {
  return Array.isArray(b) && b.length === 4 && b.every((v) => Number.isFinite(v)) && b[0] <= b[2] && b[1] <= b[3];
}

/** The city's bbox property, or one computed from its geometry. */
export function cityBBox(city: CityFeature): BBox | null {
  if (isValidBBox(city.properties.bbox)) return city.properties.bbox;
  const g = city.geometry;
  if (!isArea(g)) return null;
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const poly of polygons) for (const ring of poly) extendWithPositions(b, ring);
  return isValidBBox(b) ? b : null;
}

export function unionBBox(boxes: (BBox | null)[]): BBox | null {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const box of boxes) {
    if (!box) continue;
    extendWithPositions(b, [
      [box[0], box[1]],
      [box[2], box[3]],
    ]);
  }
  return isValidBBox(b) ? b : null;
}

/** Centre for the city label: the `centre` property, else the middle of the bbox. */
export function cityCentre(city: CityFeature): [number, number] | null {
  const c = city.properties.centre;
  if (Array.isArray(c) && c.length >= 2 && Number.isFinite(c[0]) && Number.isFinite(c[1])) return [c[0], c[1]];
  const b = cityBBox(city);
  return b ? [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] : null;
}
