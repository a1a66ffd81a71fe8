import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export type Lang = 'kk' | 'ru' | 'en';

/** A name in the three UI languages, as returned by the API. */
export type LocalizedName = Partial<Record<Lang, string>>;

/** [minLon, minLat, maxLon, maxLat] */
export type BBox = [number, number, number, number];

export interface CityProperties {
  id: string;
  slug: string;
  name: LocalizedName;
  timezone: string;
  /** [lon, lat] */
  centre: [number, number];
  bbox: BBox;
  /** Built-up core of the city. */
  core: Polygon | MultiPolygon | null;
}

export interface DistrictProperties {
  id: string;
  cityId: string;
  slug: string;
  name: LocalizedName;
}

export type CityFeature = Feature<MultiPolygon | Polygon, CityProperties>;
export type CityCollection = FeatureCollection<MultiPolygon | Polygon, CityProperties>;
export type DistrictFeature = Feature<MultiPolygon | Polygon, DistrictProperties>;
export type DistrictCollection = FeatureCollection<MultiPolygon | Polygon, DistrictProperties>;

export function localizedName(name: LocalizedName | undefined | null, lang: Lang): string {
  if (!name) return '';
  return name[lang] || name.ru || name.kk || name.en || '';
}
