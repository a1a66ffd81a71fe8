import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Feature, FeatureCollection, Geometry } from '../../core/src/index.js';
import type { LocalizedName } from './demo/demo-cities.js';

export interface CityProperties {
  id: string;
  slug: string;
  name: LocalizedName;
  timezone: string;
  centre: [number, number];
  bbox: [number, number, number, number];
  core: Geometry;
}

export interface DistrictProperties {
  id: string;
  cityId: string;
  slug: string;
  name: LocalizedName;
}

export interface NewCity {
  slug: string;
  name: LocalizedName;
  timezone: string;
  boundary: Geometry;
  core: Geometry;
}

export interface NewDistrict {
  slug: string;
  name: LocalizedName;
  area: Geometry;
}

/** All SQL about cities and their districts (akimat service areas). */
@Injectable()
export class CitiesRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async cityFeatures(): Promise<FeatureCollection<Geometry, CityProperties>> {
    const rows: { feature: Feature<Geometry, CityProperties> }[] = await this.dataSource.query(`
      SELECT json_build_object(
        'type', 'Feature',
        'id', c.id,
        'geometry', ST_AsGeoJSON(c.boundary, 6)::json,
        'properties', json_build_object(
          'id', c.id, 'slug', c.slug,
          'name', json_build_object('kk', c.name_kk, 'ru', c.name_ru, 'en', c.name_en),
          'timezone', c.timezone,
          'centre', json_build_array(round(ST_X(ST_PointOnSurface(c.core))::numeric, 6), round(ST_Y(ST_PointOnSurface(c.core))::numeric, 6)),
          'bbox', json_build_array(round(ST_XMin(c.boundary)::numeric, 6), round(ST_YMin(c.boundary)::numeric, 6),
                                   round(ST_XMax(c.boundary)::numeric, 6), round(ST_YMax(c.boundary)::numeric, 6)),
          'core', ST_AsGeoJSON(c.core, 6)::json)) AS feature
      FROM cities c ORDER BY c.name_en`);
    return { type: 'FeatureCollection', features: rows.map((r) => r.feature) };
  }

  async districtFeatures(cityId?: string): Promise<FeatureCollection<Geometry, DistrictProperties>> {
    const rows: { feature: Feature<Geometry, DistrictProperties> }[] = await this.dataSource.query(
      `SELECT json_build_object(
         'type', 'Feature',
         'id', d.id,
         'geometry', ST_AsGeoJSON(d.area, 6)::json,
         'properties', json_build_object(
           'id', d.id, 'cityId', d.city_id, 'slug', d.slug,
           'name', json_build_object('kk', d.name_kk, 'ru', d.name_ru, 'en', d.name_en))) AS feature
       FROM districts d
       WHERE ($1::uuid IS NULL OR d.city_id = $1::uuid)
       ORDER BY d.city_id, d.name_en`,
      [cityId ?? null],
    );
    return { type: 'FeatureCollection', features: rows.map((r) => r.feature) };
  }

  async cityExists(cityId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM cities WHERE id = $1`, [cityId]);
    return rows.length > 0;
  }

  /** Inserts a city unless one with the slug exists; returns its id either way and whether it was new. */
  async insertCityIfMissing(manager: EntityManager, city: NewCity): Promise<{ id: string; created: boolean }> {
    const inserted: { id: string }[] = await manager.query(
      `INSERT INTO cities (slug, name_kk, name_ru, name_en, timezone, boundary, core)
       VALUES ($1, $2, $3, $4, $5, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($6), 4326)), ST_SetSRID(ST_GeomFromGeoJSON($7), 4326))
       ON CONFLICT (slug) DO NOTHING RETURNING id`,
      [city.slug, city.name.kk, city.name.ru, city.name.en, city.timezone, JSON.stringify(city.boundary), JSON.stringify(city.core)],
    );
    if (inserted.length > 0) return { id: inserted[0].id, created: true };
    const existing: { id: string }[] = await manager.query(`SELECT id FROM cities WHERE slug = $1`, [city.slug]);
    return { id: existing[0].id, created: false };
  }

  async insertDistrictIfMissing(manager: EntityManager, cityId: string, district: NewDistrict): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO districts (city_id, slug, name_kk, name_ru, name_en, area)
       VALUES ($1, $2, $3, $4, $5, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($6), 4326)))
       ON CONFLICT (city_id, slug) DO NOTHING RETURNING id`,
      [cityId, district.slug, district.name.kk, district.name.ru, district.name.en, JSON.stringify(district.area)],
    );
    return inserted.length > 0;
  }
}
