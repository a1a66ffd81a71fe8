import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report cells: the aggregate that low-zoom `reports` tiles read at any number of reports (see
 * docs/tiles.md, "Zoom behaviour").
 *
 * report_grid (migration 7) keys its rows by (cell, status, category, month): at 1,000,000 reports a
 * z7-10 tile had to regroup ~150,000 of them (400-650 ms). report_cells keeps one row per (cell,
 * category) with the per-status counts as columns and no month, at three levels: z11 (tiles z0-6), z13
 * (z7-8) and z15 (z9-10). A tile then reads at most 4 stored cells per drawn cell times the categories.
 * report_grid stays for date-filtered low-zoom tiles (the month is its only reason to exist).
 *
 * The trigger function report_grid_apply() now appends to both delta tables in one statement; the worker
 * folds them with report_grid_fold() (one folder at a time, idempotent: it folds the committed deltas
 * and nothing else); report_grid_rebuild() recomputes everything from `reports` (after a bulk import
 * with the trigger disabled, or to drop floating-point drift of the coordinate sums).
 */
const STATUSES = ['submitted', 'registered', 'in_progress', 'resolved', 'closed', 'rejected', 'duplicate'];
const N = STATUSES.map((s) => `n_${s}`);

/** An update that moves none of the keys changes no count. */
const SKIP_UNRELATED_UPDATE = `
    IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.category_code = NEW.category_code
       AND OLD.created_at = NEW.created_at AND ST_Equals(OLD.location_3857, NEW.location_3857) THEN
      RETURN NULL;
    END IF;`;

/** -1 for the old row (update, delete) and +1 for the new one (insert, update), with their keys. */
const DELTA_ROWS = `
        SELECT -1 AS sign, ST_X(OLD.location_3857) AS x, ST_Y(OLD.location_3857) AS y, OLD.status AS status,
               OLD.category_code AS category, (date_trunc('month', OLD.created_at AT TIME ZONE 'UTC'))::date AS month
         WHERE TG_OP IN ('UPDATE', 'DELETE')
        UNION ALL
        SELECT 1, ST_X(NEW.location_3857), ST_Y(NEW.location_3857), NEW.status, NEW.category_code,
               (date_trunc('month', NEW.created_at AT TIME ZONE 'UTC'))::date
         WHERE TG_OP IN ('INSERT', 'UPDATE')`;

/** The body of report_grid_apply() as migration 7 created it (restored by `down`). */
const GRID_ONLY_APPLY = `
  BEGIN
${SKIP_UNRELATED_UPDATE}
    INSERT INTO report_grid_delta (cell_z, cell_x, cell_y, status, category, month, count, sum_x, sum_y)
    SELECT l.z, c.cx, c.cy, d.status, d.category, d.month, d.sign, d.sign * d.x, d.sign * d.y
      FROM (
${DELTA_ROWS}
      ) d
      CROSS JOIN (VALUES (11), (15)) AS l(z)
      CROSS JOIN LATERAL report_grid_cell(l.z, d.x, d.y) AS c;
    RETURN NULL;
  END`;

const CELL_COLUMNS = `cell_z, cell_x, cell_y, category, count, sum_x, sum_y, ${N.join(', ')}`;

export class ReportCells1763900000014 implements MigrationInterface {
  name = 'ReportCells1763900000014';

  async up(q: QueryRunner): Promise<void> {
    const cellTable = (name: string, key: string) => `
      CREATE TABLE ${name} (
        cell_z   smallint NOT NULL,
        cell_x   integer NOT NULL,
        cell_y   integer NOT NULL,
        category text NOT NULL,
        count    integer NOT NULL,
        sum_x    double precision NOT NULL,
        sum_y    double precision NOT NULL,
        ${N.map((n) => `${n} integer NOT NULL`).join(',\n        ')}${key}
      )`;
    await q.query(cellTable('report_cells', ',\n        PRIMARY KEY (cell_z, cell_x, cell_y, category)'));
    // Append-only, like report_grid_delta: report writers never wait for each other on a shared row.
    await q.query(cellTable('report_cells_delta', ''));
    await q.query(`CREATE INDEX report_cells_empty_idx ON report_cells (cell_z) WHERE count <= 0`);

    await q.query(`
      CREATE OR REPLACE FUNCTION report_grid_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
${SKIP_UNRELATED_UPDATE}
        WITH d AS (
${DELTA_ROWS}
        ),
        grid AS (
          INSERT INTO report_grid_delta (cell_z, cell_x, cell_y, status, category, month, count, sum_x, sum_y)
          SELECT l.z, c.cx, c.cy, d.status, d.category, d.month, d.sign, d.sign * d.x, d.sign * d.y
            FROM d CROSS JOIN (VALUES (11), (15)) AS l(z)
                   CROSS JOIN LATERAL report_grid_cell(l.z, d.x, d.y) AS c
        )
        INSERT INTO report_cells_delta (${CELL_COLUMNS})
        SELECT l.z, c.cx, c.cy, d.category, d.sign, d.sign * d.x, d.sign * d.y,
               ${STATUSES.map((s) => `CASE WHEN d.status = '${s}' THEN d.sign ELSE 0 END`).join(',\n               ')}
          FROM d CROSS JOIN (VALUES (11), (13), (15)) AS l(z)
                 CROSS JOIN LATERAL report_grid_cell(l.z, d.x, d.y) AS c;
        RETURN NULL;
      END
      $$`);

    // Folds the committed deltas of both tables (a transaction's deltas are folded once it commits; the
    // DELETE ... RETURNING takes exactly the rows it adds). NULL when another fold holds the lock.
    const sumCells = `cell_z, cell_x, cell_y, category, sum(count)::integer, sum(sum_x), sum(sum_y), ${N.map((n) => `sum(${n})::integer`).join(', ')}`;
    await q.query(`
      CREATE FUNCTION report_grid_fold() RETURNS integer LANGUAGE plpgsql AS $$
      DECLARE
        grid_rows integer;
        cell_rows integer;
      BEGIN
        IF NOT pg_try_advisory_xact_lock(hashtext('taza:report_grid_fold')) THEN
          RETURN NULL;
        END IF;
        WITH moved AS (DELETE FROM report_grid_delta RETURNING *),
        sums AS (
          SELECT cell_z, cell_x, cell_y, status, category, month, sum(count)::integer AS count, sum(sum_x) AS sum_x, sum(sum_y) AS sum_y
            FROM moved GROUP BY 1, 2, 3, 4, 5, 6
        )
        INSERT INTO report_grid AS g (cell_z, cell_x, cell_y, status, category, month, count, sum_x, sum_y)
        SELECT * FROM sums ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (cell_z, cell_x, cell_y, status, category, month)
        DO UPDATE SET count = g.count + EXCLUDED.count, sum_x = g.sum_x + EXCLUDED.sum_x, sum_y = g.sum_y + EXCLUDED.sum_y;
        GET DIAGNOSTICS grid_rows = ROW_COUNT;
        DELETE FROM report_grid WHERE count <= 0;

        WITH moved AS (DELETE FROM report_cells_delta RETURNING *),
        sums AS (SELECT ${sumCells} FROM moved GROUP BY 1, 2, 3, 4)
        INSERT INTO report_cells AS g (${CELL_COLUMNS})
        SELECT * FROM sums ORDER BY 1, 2, 3, 4
        ON CONFLICT (cell_z, cell_x, cell_y, category)
        DO UPDATE SET count = g.count + EXCLUDED.count, sum_x = g.sum_x + EXCLUDED.sum_x, sum_y = g.sum_y + EXCLUDED.sum_y,
                      ${N.map((n) => `${n} = g.${n} + EXCLUDED.${n}`).join(', ')};
        GET DIAGNOSTICS cell_rows = ROW_COUNT;
        DELETE FROM report_cells WHERE count <= 0;
        RETURN grid_rows + cell_rows;
      END
      $$`);

    // Recomputes both aggregates from `reports`. Report writers wait (the delta tables are locked) and
    // tile readers wait for the few seconds it takes; the report-change sequence moves so caches drop.
    await q.query(`
      CREATE FUNCTION report_grid_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('taza:report_grid_fold'));
        LOCK TABLE report_grid_delta, report_cells_delta IN EXCLUSIVE MODE;
        TRUNCATE report_grid_delta, report_cells_delta, report_grid, report_cells;
        INSERT INTO report_grid (cell_z, cell_x, cell_y, status, category, month, count, sum_x, sum_y)
        SELECT l.z, c.cx, c.cy, r.status, r.category_code, (date_trunc('month', r.created_at AT TIME ZONE 'UTC'))::date,
               count(*), sum(ST_X(r.location_3857)), sum(ST_Y(r.location_3857))
          FROM reports r CROSS JOIN (VALUES (11), (15)) AS l(z)
               CROSS JOIN LATERAL report_grid_cell(l.z, ST_X(r.location_3857), ST_Y(r.location_3857)) AS c
         GROUP BY 1, 2, 3, 4, 5, 6;
        INSERT INTO report_cells (${CELL_COLUMNS})
        SELECT l.z, c.cx, c.cy, r.category_code, count(*), sum(ST_X(r.location_3857)), sum(ST_Y(r.location_3857)),
               ${STATUSES.map((s) => `count(*) FILTER (WHERE r.status = '${s}')`).join(', ')}
          FROM reports r CROSS JOIN (VALUES (11), (13), (15)) AS l(z)
               CROSS JOIN LATERAL report_grid_cell(l.z, ST_X(r.location_3857), ST_Y(r.location_3857)) AS c
         GROUP BY 1, 2, 3, 4;
        PERFORM nextval('report_change_seq');
      END
      $$`);
    await q.query(`SELECT report_grid_rebuild()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION report_grid_rebuild()`);
    await q.query(`DROP FUNCTION report_grid_fold()`);
    await q.query(`CREATE OR REPLACE FUNCTION report_grid_apply() RETURNS trigger LANGUAGE plpgsql AS $$${GRID_ONLY_APPLY}\n$$`);
    await q.query(`DROP TABLE report_cells_delta`);
    await q.query(`DROP TABLE report_cells`);
  }
}
