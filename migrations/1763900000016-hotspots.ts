import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hotspots: places where dumping repeats, kept by the worker's clustering runs. Per-city clustering
 * settings live on `cities`; a run replaces a city's hotspot set in one transaction and is recorded in
 * `hotspot_runs`; splits, merges and status changes go to `hotspot_history`. Members are not stored:
 * a hotspot's reports are the city's reports inside its hull (the hull is the members' convex hull
 * buffered by 15 m, so every member lies inside it).
 */
export class Hotspots1763900000016 implements MigrationInterface {
  name = 'Hotspots1763900000016';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cities
        ADD COLUMN hotspot_eps_m double precision NOT NULL DEFAULT 75 CHECK (hotspot_eps_m BETWEEN 5 AND 1000),
        ADD COLUMN hotspot_min_points integer NOT NULL DEFAULT 3 CHECK (hotspot_min_points BETWEEN 2 AND 100),
        ADD COLUMN hotspot_window_days integer NOT NULL DEFAULT 90 CHECK (hotspot_window_days BETWEEN 1 AND 730)`);
    await q.query(`
      CREATE TABLE hotspot_runs (
        -- The job's id (e.g. recluster-<city>-<minute>), so a retried job finds its own run.
        id            text PRIMARY KEY,
        city_id       uuid NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
        reason        text NOT NULL,
        started_at    timestamptz NOT NULL DEFAULT now(),
        -- NULL while running, and forever for a run whose worker died (its writes were rolled back).
        finished_at   timestamptz,
        points        integer,
        clusters      integer,
        noise         integer,
        created       integer,
        kept          integer,
        cleared       integer,
        recurring     integer,
        splits        integer,
        merges        integer
      )`);
    await q.query(`CREATE INDEX hotspot_runs_city_idx ON hotspot_runs (city_id, started_at DESC)`);
    await q.query(`
      CREATE TABLE hotspots (
        id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        city_id            uuid NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
        status             text NOT NULL CHECK (status IN ('active', 'cleared', 'recurring', 'merged')),
        hull               geometry(Polygon, 4326) NOT NULL,
        hull_3857          geometry(Polygon, 3857) GENERATED ALWAYS AS (ST_Transform(hull, 3857)) STORED,
        centroid           geometry(Point, 4326) NOT NULL,
        centroid_3857      geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(centroid, 3857)) STORED,
        report_count       integer NOT NULL DEFAULT 0,
        incident_count     integer NOT NULL DEFAULT 0,
        confirmation_count integer NOT NULL DEFAULT 0,
        hazardous_count    integer NOT NULL DEFAULT 0,
        volume_m3          numeric(12, 2) NOT NULL DEFAULT 0,
        first_seen_at      timestamptz NOT NULL,
        last_seen_at       timestamptz NOT NULL,
        severity           double precision NOT NULL DEFAULT 0,
        outskirts          boolean NOT NULL,
        covered_by_camera  boolean NOT NULL DEFAULT false,
        recurrences        integer NOT NULL DEFAULT 0,
        cleared_at         timestamptz,
        merged_into        uuid REFERENCES hotspots(id) ON DELETE SET NULL,
        run_id             text REFERENCES hotspot_runs(id) ON DELETE SET NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX hotspots_city_severity_idx ON hotspots (city_id, severity DESC) WHERE status <> 'merged'`);
    await q.query(`CREATE INDEX hotspots_hull_gist ON hotspots USING gist (hull)`);
    await q.query(`CREATE INDEX hotspots_hull_3857_gist ON hotspots USING gist (hull_3857)`);
    await q.query(`
      CREATE TABLE hotspot_history (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        hotspot_id  uuid NOT NULL REFERENCES hotspots(id) ON DELETE CASCADE,
        run_id      text REFERENCES hotspot_runs(id) ON DELETE SET NULL,
        event       text NOT NULL CHECK (event IN ('created', 'split', 'merged', 'status', 'cleared_by_work_order')),
        from_status text,
        to_status   text,
        other_id    uuid,
        note        text,
        at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX hotspot_history_hotspot_idx ON hotspot_history (hotspot_id, at)`);
    // Work orders made from a hotspot keep pointing at it (ids survive reclustering; rows are never deleted).
    await q.query(`ALTER TABLE work_orders ADD CONSTRAINT work_orders_hotspot_fk FOREIGN KEY (hotspot_id) REFERENCES hotspots(id) ON DELETE SET NULL`);
    await q.query(`CREATE INDEX work_orders_hotspot_idx ON work_orders (hotspot_id) WHERE hotspot_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX work_orders_hotspot_idx`);
    await q.query(`ALTER TABLE work_orders DROP CONSTRAINT work_orders_hotspot_fk`);
    await q.query(`DROP TABLE hotspot_history`);
    await q.query(`DROP TABLE hotspots`);
    await q.query(`DROP TABLE hotspot_runs`);
    await q.query(`ALTER TABLE cities DROP COLUMN hotspot_eps_m, DROP COLUMN hotspot_min_points, DROP COLUMN hotspot_window_days`);
  }
}
