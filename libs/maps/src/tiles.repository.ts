import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { TILE_BUFFER, TILE_EXTENT, type GridQuery, type TileCoord } from './tile-math.js';
import type { TileFilters } from './tile-filters.js';

/** Statuses counted as open on the map: Open311's "open" (the first four of the lifecycle). */
export const OPEN_STATUSES = ['submitted', 'registered', 'in_progress', 'resolved'] as const;
export const CLOSED_STATUSES = ['closed', 'rejected', 'duplicate'] as const;

const ENVELOPES = `SELECT ST_TileEnvelope($1, $2, $3) AS env, ST_TileEnvelope($1, $2, $3, margin => ${TILE_BUFFER / TILE_EXTENT}) AS buffered`;

const REPORT_POINTS_SQL = `
  WITH bounds AS (${ENVELOPES}),
  features AS (
    SELECT ST_AsMVTGeom(r.location_3857, bounds.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom,
           r.id::text AS id, r.status::text AS status, r.category_code AS category, r.size,
           r.confirmations, r.outskirts, extract(epoch FROM r.created_at)::bigint AS created_at
      FROM reports r, bounds
     WHERE r.location_3857 && bounds.buffered
       AND ($4::text[] IS NULL OR r.status::text = ANY ($4))
       AND ($5::text[] IS NULL OR r.category_code = ANY ($5))
       AND ($6::timestamptz IS NULL OR r.created_at >= $6)
       AND ($7::timestamptz IS NULL OR r.created_at < $7)
  )
  SELECT ST_AsMVT(features.*, 'reports', ${TILE_EXTENT}, 'geom') AS mvt FROM features`;

/** Per-status counts are fields `status_<status>`, left out of a feature when 0. */
const statusCount = (s: string) => `NULLIF(sum(g.count) FILTER (WHERE g.status = '${s}'), 0)::integer AS status_${s}`;
const REPORT_CELLS_SQL = `
  WITH bounds AS (SELECT ST_TileEnvelope($1, $2, $3) AS env),
  cells AS (
    SELECT sum(g.count)::integer AS count,
           coalesce(sum(g.count) FILTER (WHERE g.status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})), 0)::integer AS open,
           coalesce(sum(g.count) FILTER (WHERE g.status IN (${CLOSED_STATUSES.map((s) => `'${s}'`).join(', ')})), 0)::integer AS closed,
           ${[...OPEN_STATUSES, ...CLOSED_STATUSES].map(statusCount).join(',\n           ')},
           sum(g.sum_x) / sum(g.count) AS cx, sum(g.sum_y) / sum(g.count) AS cy
      FROM (SELECT cell_z, cell_x, cell_y, status, category, month, count, sum_x, sum_y FROM report_grid
            UNION ALL
            SELECT cell_z, cell_x, cell_y, status, category, month, count, sum_x, sum_y FROM report_grid_delta) g
     WHERE g.cell_z = $4 AND g.cell_x BETWEEN $6 AND $7 AND g.cell_y BETWEEN $8 AND $9
       AND ($10::text[] IS NULL OR g.status::text = ANY ($10))
       AND ($11::text[] IS NULL OR g.category = ANY ($11))
       -- Months overlapping [from, to): low zooms filter dates by month of creation.
       AND ($12::timestamptz IS NULL OR ((g.month + interval '1 month') AT TIME ZONE 'UTC') > $12)
       AND ($13::timestamptz IS NULL OR (g.month::timestamp AT TIME ZONE 'UTC') < $13)
     GROUP BY g.cell_x >> $5, g.cell_y >> $5
    HAVING sum(g.count) > 0
  ),
  features AS (
    SELECT ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(cells.cx, cells.cy), 3857), bounds.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom,
           cells.count, cells.open, cells.closed, ${[...OPEN_STATUSES, ...CLOSED_STATUSES].map((s) => `cells.status_${s}`).join(', ')}
      FROM cells, bounds
  )
  SELECT ST_AsMVT(features.*, 'reports', ${TILE_EXTENT}, 'geom') AS mvt FROM features`;

/** Moves every committed delta into report_grid (one statement: the deltas it deletes are the ones it adds). */
const FOLD_SQL = `
  WITH moved AS (DELETE FROM report_grid_delta RETURNING *),
  sums AS (
    SELECT cell_z, cell_x, cell_y, status, category, month, sum(count)::integer AS count, sum(sum_x) AS sum_x, sum(sum_y) AS sum_y
      FROM moved GROUP BY 1, 2, 3, 4, 5, 6
  )
  INSERT INTO report_grid AS g (cell_z, cell_x, cell_y, status, category, month, count, sum_x, sum_y)
  SELECT * FROM sums ORDER BY 1, 2, 3, 4, 5, 6
  ON CONFLICT (cell_z, cell_x, cell_y, status, category, month)
  DO UPDATE SET count = g.count + EXCLUDED.count, sum_x = g.sum_x + EXCLUDED.sum_x, sum_y = g.sum_y + EXCLUDED.sum_y`;

const DISTRICTS_SQL = `
  WITH bounds AS (${ENVELOPES}),
  features AS (
    SELECT ST_AsMVTGeom(d.area_3857, bounds.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom,
           d.id::text AS id, d.city_id::text AS city_id, d.slug, d.name_kk, d.name_ru, d.name_en
      FROM districts d, bounds
     WHERE d.area_3857 && bounds.buffered
  )
  SELECT ST_AsMVT(features.*, 'districts', ${TILE_EXTENT}, 'geom') AS mvt FROM features WHERE features.geom IS NOT NULL`;

/**
 * All SQL of the map tiles. Tiles are built in PostGIS (ST_AsMVT over ST_TileEnvelope, a bbox `&&` on
 * the stored 3857 columns) and run as named prepared statements on the pool TypeORM owns, so each
 * connection plans each tile query once.
 */
@Injectable()
export class TilesRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  private async prepared<T extends object>(name: string, text: string, values: unknown[]): Promise<T[]> {
    const result = await this.pool.query<T>({ name, text, values });
    return result.rows;
  }

  private async mvt(name: string, text: string, values: unknown[]): Promise<Buffer> {
    const rows = await this.prepared<{ mvt: Buffer | null }>(name, text, values);
    return rows[0]?.mvt ?? Buffer.alloc(0);
  }

  reportPoints(t: TileCoord, f: TileFilters): Promise<Buffer> {
    return this.mvt('tiles_report_points', REPORT_POINTS_SQL, [t.z, t.x, t.y, f.statuses, f.categories, f.from, f.to]);
  }

  reportCells(t: TileCoord, g: GridQuery, f: TileFilters): Promise<Buffer> {
    return this.mvt('tiles_report_cells', REPORT_CELLS_SQL, [t.z, t.x, t.y, g.cellZoom, g.shift, g.xMin, g.xMax, g.yMin, g.yMax, f.statuses, f.categories, f.from, f.to]);
  }

  /**
   * Folds the report_grid deltas the trigger appended into report_grid. Readers never need it (they add
   * the deltas themselves); it keeps the delta table short. One folder at a time: a second caller
   * returns at once. Answers how many grid rows it touched (null when another fold was running).
   */
  async foldGridDeltas(): Promise<number | null> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const lock = await client.query<{ ok: boolean }>({ name: 'tiles_grid_fold_lock', text: `SELECT pg_try_advisory_xact_lock(hashtext('taza:report_grid_fold')) AS ok` });
      if (!lock.rows[0].ok) {
        await client.query('ROLLBACK');
        return null;
      }
      const folded = await client.query({ name: 'tiles_grid_fold', text: FOLD_SQL });
      await client.query({ name: 'tiles_grid_drop_empty', text: `DELETE FROM report_grid WHERE count <= 0` });
      await client.query('COMMIT');
      return folded.rowCount ?? 0;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  districts(t: TileCoord): Promise<Buffer> {
    return this.mvt('tiles_districts', DISTRICTS_SQL, [t.z, t.x, t.y]);
  }

  /** Moves at the commit of every report write (a deferred trigger bumps the sequence). */
  async reportsVersion(): Promise<string> {
    const rows = await this.prepared<{ v: string }>('tiles_reports_version', `SELECT last_value::text || ':' || is_called::text AS v FROM report_change_seq`, []);
    return rows[0].v;
  }

  /** Districts change rarely and only by admins: their count and latest edit are a fine version. */
  async districtsVersion(): Promise<string> {
    const rows = await this.prepared<{ v: string }>(
      'tiles_districts_version',
      `SELECT count(*)::text || ':' || coalesce(extract(epoch FROM max(updated_at))::text, '') AS v FROM districts`,
      [],
    );
    return rows[0].v;
  }

  /** The demo cities' extent, lon/lat; null when there are no cities. */
  async citiesBounds(): Promise<[number, number, number, number] | null> {
    const rows = await this.prepared<{ w: number | null; s: number; e: number; n: number }>(
      'tiles_cities_bounds',
      `SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n FROM (SELECT ST_Extent(boundary) AS x FROM cities) b`,
      [],
    );
    const b = rows[0];
    return b && b.w !== null ? [b.w, b.s, b.e, b.n] : null;
  }
}
