import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CitiesDistricts1763900000000 implements MigrationInterface {
  name = 'CitiesDistricts1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS postgis`);
    await q.query(`
      CREATE TABLE cities (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{2,40}$'),
        name_kk      text NOT NULL,
        name_ru      text NOT NULL,
        name_en      text NOT NULL,
        timezone     text NOT NULL,
        boundary     geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(boundary)),
        core         geometry(Polygon, 4326) NOT NULL CHECK (ST_IsValid(core)),
        boundary_3857 geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(boundary, 3857)) STORED,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX cities_boundary_gist ON cities USING gist (boundary)`);
    await q.query(`CREATE INDEX cities_boundary_3857_gist ON cities USING gist (boundary_3857)`);
    await q.query(`CREATE INDEX cities_core_gist ON cities USING gist (core)`);
    await q.query(`
      CREATE TABLE districts (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        city_id    uuid NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
        slug       text NOT NULL CHECK (slug ~ '^[a-z0-9-]{2,40}$'),
        name_kk    text NOT NULL,
        name_ru    text NOT NULL,
        name_en    text NOT NULL,
        area       geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(area)),
        area_3857  geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(area, 3857)) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (city_id, slug)
      )`);
    await q.query(`CREATE INDEX districts_city_idx ON districts (city_id)`);
    await q.query(`CREATE INDEX districts_area_gist ON districts USING gist (area)`);
    await q.query(`CREATE INDEX districts_area_3857_gist ON districts USING gist (area_3857)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE districts`);
    await q.query(`DROP TABLE cities`);
    // The postgis extension stays: other objects of the database may use it.
  }
}
