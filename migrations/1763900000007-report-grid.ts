import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Low-zoom map tiles read pre-aggregated cells, never raw report points (see docs/tiles.md).
 *
 * report_grid holds, for two fixed Web-Mercator cell levels (z11 serves tiles z0-6, z15 serves tiles
 * z7-10), one row per (cell, status, category, month of creation) with the report count and the sums
 * of the reports' 3857 coordinates (so any coarser cell's weighted centre is sum/count). A trigger
 * records every insert, delete and change of status, category, location or created_at as +1/-1 rows
 * in report_grid_delta (append-only: no lock shared between report writers); TilesRepository folds
 * the deltas into report_grid (one folder at a time, under an advisory lock) and every low-zoom tile
 * reads report_grid + the deltas not yet folded in one snapshot, so counts are exact at commit.
 *
 * report_change_seq is bumped by a deferred trigger (at commit) on any report change: the tile cache
 * keys report tiles by it, so a new or changed report is on the map at the next request.
 */
export class ReportGrid1763900000007 implements MigrationInterface {
  name = 'ReportGrid1763900000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_grid (
        cell_z   smallint NOT NULL,
        cell_x   integer NOT NULL,
        cell_y   integer NOT NULL,
        status   report_status NOT NULL,
        category text NOT NULL,
        month    date NOT NULL,
        count    integer NOT NULL,
        sum_x    double precision NOT NULL,
        sum_y    double precision NOT NULL,
        geom     geometry(Point, 3857) GENERATED ALWAYS AS (
                   CASE WHEN count > 0 THEN ST_SetSRID(ST_MakePoint(sum_x / count, sum_y / count), 3857) END) STORED,
        PRIMARY KEY (cell_z, cell_x, cell_y, status, category, month)
      )`);
    // The cell of a 3857 point at level z (x to the east, y to the south, as tile numbers run).
    await q.query(`
      CREATE FUNCTION report_grid_cell(z integer, x double precision, y double precision, OUT cx integer, OUT cy integer)
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT least(greatest(floor((x + 20037508.342789244) / (40075016.685578488 / (1 << z)))::integer, 0), (1 << z) - 1),
               least(greatest(floor((20037508.342789244 - y) / (40075016.685578488 / (1 << z)))::integer, 0), (1 << z) - 1)
      $$`);
    // Writers only append deltas (no row of report_grid is locked by a report write, so concurrent
    // reports in one city do not queue behind each other); tile reads fold them into report_grid.
    await q.query(`
      CREATE TABLE report_grid_delta (
        cell_z   smallint NOT NULL,
        cell_x   integer NOT NULL,
        cell_y   integer NOT NULL,
        status   report_status NOT NULL,
        category text NOT NULL,
        month    date NOT NULL,
        count    integer NOT NULL,
        sum_x    double precision NOT NULL,
        sum_y    double precision NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION report_grid_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.category_code = NEW.category_code
           AND OLD.created_at = NEW.created_at AND ST_Equals(OLD.location_3857, NEW.location_3857) THEN
          RETURN NULL;
        END IF;
        INSERT INTO report_grid_delta (cell_z, cell_x, cell_y, status, category, month, count, sum_x, sum_y)
        SELECT l.z, c.cx, c.cy, d.status, d.category, d.month, d.sign, d.sign * d.x, d.sign * d.y
          FROM (
            SELECT -1 AS sign, ST_X(OLD.location_3857) AS x, ST_Y(OLD.location_3857) AS y, OLD.status AS status,
                   OLD.category_code AS category, (date_trunc('month', OLD.created_at AT TIME ZONE 'UTC'))::date AS month
             WHERE TG_OP IN ('UPDATE', 'DELETE')
            UNION ALL
            SELECT 1, ST_X(NEW.location_3857), ST_Y(NEW.location_3857), NEW.status, NEW.category_code,
                   (date_trunc('month', NEW.created_at AT TIME ZONE 'UTC'))::date
             WHERE TG_OP IN ('INSERT', 'UPDATE')
          ) d
          CROSS JOIN (VALUES (11), (15)) AS l(z)
          CROSS JOIN LATERAL report_grid_cell(l.z, d.x, d.y) AS c;
        RETURN NULL;
      END
      $$`);
    // Folding deletes the cells whose count came back to 0.
    await q.query(`CREATE INDEX report_grid_empty_idx ON report_grid (cell_z) WHERE count <= 0`);
    await q.query(`
      CREATE TRIGGER reports_grid AFTER INSERT OR DELETE OR UPDATE OF status, category_code, location, created_at ON reports
      FOR EACH ROW EXECUTE FUNCTION report_grid_apply()`);
    // Existing reports (none on a fresh database).
    await q.query(`
      INSERT INTO report_grid (cell_z, cell_x, cell_y, status, category, month, count, sum_x, sum_y)
      SELECT l.z, c.cx, c.cy, r.status, r.category_code, (date_trunc('month', r.created_at AT TIME ZONE 'UTC'))::date,
             count(*), sum(ST_X(r.location_3857)), sum(ST_Y(r.location_3857))
        FROM reports r CROSS JOIN (VALUES (11), (15)) AS l(z)
             CROSS JOIN LATERAL report_grid_cell(l.z, ST_X(r.location_3857), ST_Y(r.location_3857)) AS c
       GROUP BY 1, 2, 3, 4, 5, 6`);

    await q.query(`CREATE SEQUENCE report_change_seq`);
    await q.query(`
      CREATE FUNCTION report_change_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM nextval('report_change_seq');
        RETURN NULL;
      END
      $$`);
    // Deferred: bumped at commit, so a reader that sees the new number almost always sees the change too.
    await q.query(`
      CREATE CONSTRAINT TRIGGER reports_change_bump AFTER INSERT OR UPDATE OR DELETE ON reports
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION report_change_bump()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER reports_change_bump ON reports`);
    await q.query(`DROP FUNCTION report_change_bump()`);
    await q.query(`DROP SEQUENCE report_change_seq`);
    await q.query(`DROP TRIGGER reports_grid ON reports`);
    await q.query(`DROP FUNCTION report_grid_apply()`);
    await q.query(`DROP FUNCTION report_grid_cell(integer, double precision, double precision)`);
    await q.query(`DROP TABLE report_grid_delta`);
    await q.query(`DROP TABLE report_grid`);
  }
}
