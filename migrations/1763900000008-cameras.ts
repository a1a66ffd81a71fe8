import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cameras that watch the outskirts. Their view is a sector (apex at the camera, `fov_deg` wide around
 * `bearing_deg`, `range_m` deep) computed on the sphere and stored, so hotspot coverage and the cameras
 * tile layer read it with a GiST index instead of rebuilding it per query.
 */
export class Cameras1763900000008 implements MigrationInterface {
  name = 'Cameras1763900000008';

  async up(q: QueryRunner): Promise<void> {
    // IMMUTABLE so that generated columns may use it; ST_Project walks the arc on the spheroid.
    await q.query(`
      CREATE FUNCTION taza_camera_sector(apex geometry, bearing_deg double precision, fov_deg double precision, range_m double precision)
      RETURNS geometry LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE
          WHEN fov_deg >= 360 THEN ST_SetSRID(ST_Buffer(apex::geography, range_m, 'quad_segs=16')::geometry, 4326)
          ELSE ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[apex]
                 || ARRAY(SELECT ST_Project(apex::geography, range_m, radians(bearing_deg - fov_deg / 2 + fov_deg * i / 24))::geometry
                          FROM generate_series(0, 24) AS i ORDER BY i)
                 || ARRAY[apex])), 4326)
        END
      $$`);
    await q.query(`
      CREATE TABLE cameras (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        city_id       uuid NOT NULL REFERENCES cities(id),
        name          text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        location      geometry(Point, 4326) NOT NULL,
        location_3857 geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(location, 3857)) STORED,
        bearing_deg   double precision NOT NULL CHECK (bearing_deg >= 0 AND bearing_deg < 360),
        fov_deg       double precision NOT NULL CHECK (fov_deg > 0 AND fov_deg <= 360),
        range_m       double precision NOT NULL CHECK (range_m > 0 AND range_m <= 2000),
        view          geometry(Polygon, 4326) GENERATED ALWAYS AS (taza_camera_sector(location, bearing_deg, fov_deg, range_m)) STORED,
        view_3857     geometry(Polygon, 3857) GENERATED ALWAYS AS (ST_Transform(taza_camera_sector(location, bearing_deg, fov_deg, range_m), 3857)) STORED,
        status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'offline', 'retired')),
        heartbeat_interval_s integer NOT NULL DEFAULT 300 CHECK (heartbeat_interval_s BETWEEN 10 AND 86400),
        last_heartbeat_at timestamptz,
        auto_confirm_confidence numeric(3, 2) NOT NULL DEFAULT 0.85 CHECK (auto_confirm_confidence BETWEEN 0 AND 1),
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX cameras_city_idx ON cameras (city_id)`);
    await q.query(`CREATE INDEX cameras_view_gist ON cameras USING gist (view)`);
    await q.query(`CREATE INDEX cameras_view_3857_gist ON cameras USING gist (view_3857)`);
    await q.query(`CREATE INDEX cameras_location_3857_gist ON cameras USING gist (location_3857)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cameras`);
    await q.query(`DROP FUNCTION taza_camera_sector(geometry, double precision, double precision, double precision)`);
  }
}
