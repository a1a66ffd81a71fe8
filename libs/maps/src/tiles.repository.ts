import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { TILE_BUFFER, TILE_EXTENT, type GridQuery, type TileCoord } from './tile-math.js';
import { NO_FILTERS, type TileFilters } from './tile-filters.js';

/** Statuses counted as open on the map: Open311's "open" (the first four of the lifecycle). */
export const OPEN_STATUSES = ['submitted', 'registered', 'in_progress', 'resolved'] as const;
export const CLOSED_STATUSES = ['closed', 'rejected', 'duplicate'] as const;

const ENVELOPES = `SELECT ST_TileEnvelope($1, $2, $3) AS env, ST_TileEnvelope($1, $2, $3, margin => ${TILE_BUFFER / TILE_EXTENT}) AS buffered`;

/**
 * A tile query for the filters a request carries: each combination of filters is its own prepared
 * statement holding only the conditions that apply (no `$n IS NULL OR ...` evaluated per row, and the
 * unfiltered statement is exactly the SQL the benchmark runs as its raw reference).
 */
interface TileQuery {
  name: string;
  text: string;
  values: unknown[];
}

/** Collects parameters after $1-$3 (z, x, y) and names the filter shape. */
class Params {
  readonly values: unknown[];
  readonly shape: string[] = [];
  constructor(t: TileCoord, ...more: unknown[]) {
    this.values = [t.z, t.x, t.y, ...more];
  }
  add(tag: string, value: unknown, cast: string): string {
    this.values.push(value);
    this.shape.push(tag);
    return `$${this.values.length}::${cast}`;
  }
  name(prefix: string): string {
    return `${prefix}_${this.shape.join('') || 'all'}`;
  }
}

const texts = new Map<string, string>();
/** The statement text of a name: built once per process (the same name must always mean the same text). */
function statement(name: string, build: () => string, values: unknown[]): TileQuery {
  let text = texts.get(name);
  if (text === undefined) texts.set(name, (text = build()));
  return { name, text, values };
}

function reportPointsQuery(t: TileCoord, f: TileFilters): TileQuery {
  const p = new Params(t);
  const where: string[] = [];
  if (f.statuses) where.push(`r.status::text = ANY (${p.add('s', f.statuses, 'text[]')})`);
  if (f.categories) where.push(`r.category_code = ANY (${p.add('c', f.categories, 'text[]')})`);
  if (f.from) where.push(`r.created_at >= ${p.add('f', f.from, 'timestamptz')}`);
  if (f.to) where.push(`r.created_at < ${p.add('t', f.to, 'timestamptz')}`);
  return statement(p.name('tiles_report_points'), () => `
  WITH bounds AS (${ENVELOPES}),
  features AS (
    SELECT ST_AsMVTGeom(r.location_3857, bounds.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom,
           r.id::text AS id, r.status::text AS status, r.category_code AS category, r.size,
           r.confirmations, r.outskirts, extract(epoch FROM r.created_at)::bigint AS created_at
      FROM reports r, bounds
     WHERE r.location_3857 && bounds.buffered${where.map((w) => `\n       AND ${w}`).join('')}
  )
  SELECT ST_AsMVT(features.*, 'reports', ${TILE_EXTENT}, 'geom') AS mvt FROM features`, p.values);
}

const CELL_READ = `cell_z, cell_x, cell_y, category, count, sum_x, sum_y, ${[...OPEN_STATUSES, ...CLOSED_STATUSES].map((st) => `n_${st}`).join(', ')}`;
const ALL_STATUSES = [...OPEN_STATUSES, ...CLOSED_STATUSES];
const cellFeatures = `ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(cells.cx, cells.cy), 3857), bounds.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom,
           cells.count, cells.open, cells.closed, ${ALL_STATUSES.map((s) => `cells.status_${s}`).join(', ')}`;

/**
 * Low-zoom cells from report_cells (no date filter): one stored row per (cell, category) with the
 * per-status counts as columns, so a tile reads at most 4 rows per drawn cell and category. A status
 * filter keeps the chosen status columns; the point is the weighted centre of the cell's reports (of the
 * chosen categories, all statuses).
 */
const sumOf = (statuses: readonly string[]) => statuses.map((s) => `m.${s}`).join(' + ');
function reportCellsQuery(t: TileCoord, g: GridQuery, f: TileFilters): TileQuery {
  const p = new Params(t, g.cellZoom, g.shift, g.xMin, g.xMax, g.yMin, g.yMax);
  const category = f.categories ? `\n       AND g.category = ANY (${p.add('c', f.categories, 'text[]')})` : '';
  const statuses = f.statuses ? p.add('s', f.statuses, 'text[]') : null;
  const keep = (s: string) => (statuses ? `CASE WHEN '${s}' = ANY (${statuses}) THEN ${s} ELSE 0 END` : s);
  return statement(p.name('tiles_report_cells'), () => `
  WITH bounds AS (SELECT ST_TileEnvelope($1, $2, $3) AS env),
  sums AS (
    SELECT sum(g.sum_x) / sum(g.count) AS cx, sum(g.sum_y) / sum(g.count) AS cy,
           ${ALL_STATUSES.map((s) => `sum(g.n_${s}) AS ${s}`).join(', ')}
      FROM (SELECT ${CELL_READ} FROM report_cells UNION ALL SELECT ${CELL_READ} FROM report_cells_delta) g
     WHERE g.cell_z = $4 AND g.cell_x BETWEEN $6 AND $7 AND g.cell_y BETWEEN $8 AND $9${category}
     GROUP BY g.cell_x >> $5, g.cell_y >> $5
    HAVING sum(g.count) > 0
  ),
  m AS (SELECT cx, cy, ${ALL_STATUSES.map((s) => `${keep(s)} AS ${s}`).join(', ')} FROM sums),
  cells AS (
    SELECT m.cx, m.cy, (${sumOf(ALL_STATUSES)})::integer AS count, (${sumOf(OPEN_STATUSES)})::integer AS open,
           (${sumOf(CLOSED_STATUSES)})::integer AS closed, ${ALL_STATUSES.map((s) => `NULLIF(m.${s}, 0)::integer AS status_${s}`).join(', ')}
      FROM m
  ),
  features AS (SELECT ${cellFeatures} FROM cells, bounds WHERE cells.count > 0)
  SELECT ST_AsMVT(features.*, 'reports', ${TILE_EXTENT}, 'geom') AS mvt FROM features`, p.values);
}

/** Per-status counts are fields `status_<status>`, left out of a feature when 0. */
const statusCount = (s: string) => `NULLIF(sum(g.count) FILTER (WHERE g.status = '${s}'), 0)::integer AS status_${s}`;
/** Date-filtered low zooms: report_grid, keyed by month of creation as well. */
const REPORT_MONTH_CELLS_SQL = `
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
  features AS (SELECT ${cellFeatures} FROM cells, bounds)
  SELECT ST_AsMVT(features.*, 'reports', ${TILE_EXTENT}, 'geom') AS mvt FROM features`;

const DISTRICTS_SQL = `
  WITH bounds AS (${ENVELOPES}),
  features AS (
    SELECT ST_AsMVTGeom(d.area_3857, bounds.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom,
           d.id::text AS id, d.city_id::text AS city_id, d.slug, d.name_kk, d.name_ru, d.name_en
      FROM districts d, bounds
     WHERE d.area_3857 && bounds.buffered
  )
  SELECT ST_AsMVT(features.*, 'districts', ${TILE_EXTENT}, 'geom') AS mvt FROM features WHERE features.geom IS NOT NULL`;

const HOTSPOTS_SQL = `
  WITH bounds AS (${ENVELOPES}),
  features AS (
    SELECT ST_AsMVTGeom(h.hull_3857, bounds.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom,
           h.id::text AS id, h.city_id::text AS city_id, h.status, h.report_count, h.incident_count, h.confirmation_count
      FROM hotspots h, bounds
     WHERE h.hull_3857 && bounds.buffered AND h.status <> 'merged'
  )
  SELECT ST_AsMVT(features.*, 'hotspots', ${TILE_EXTENT}, 'geom') AS mvt FROM features WHERE features.geom IS NOT NULL`;

/**
 * The unfiltered tile statements, for the benchmark's raw reference (bench/tiles.bench.ts runs them with
 * pgbench): points take $1-$3 (z, x, y), cells also $4 cell zoom, $5 shift, $6-$9 the cell range.
 */
export const TILE_SQL = {
  reportPoints: reportPointsQuery({ z: 0, x: 0, y: 0 }, NO_FILTERS).text,
  reportCells: reportCellsQuery({ z: 0, x: 0, y: 0 }, { cellZoom: 11, shift: 0, xMin: 0, xMax: 0, yMin: 0, yMax: 0 }, NO_FILTERS).text,
} as const;

/**
 * Staff only: one point per camera and its view sector (two features, the same fields), for the
 * viewer's city or every city ($4 NULL). The sector holds the camera, so one `&&` on the GiST-indexed
 * view finds both.
 */
const CAMERAS_SQL = `
  WITH bounds AS (${ENVELOPES}),
  features AS (
    SELECT ST_AsMVTGeom(g.geom, bounds.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom,
           c.id::text AS id, c.name, c.status, c.bearing_deg AS bearing, c.fov_deg AS fov, c.range_m AS range
      FROM cameras c CROSS JOIN bounds
           CROSS JOIN LATERAL (VALUES (1, c.location_3857), (2, c.view_3857)) AS g(part, geom)
     WHERE c.view_3857 && bounds.buffered
       AND c.status <> 'retired'
       AND ($4::uuid IS NULL OR c.city_id = $4)
     ORDER BY c.id, g.part
  )
  SELECT ST_AsMVT(features.*, 'cameras', ${TILE_EXTENT}, 'geom') AS mvt FROM features WHERE features.geom IS NOT NULL`;

/** Landfill sites: public fields only (name, status, the fill level of the latest daily forecast). */
const LANDFILLS_SQL = `
  WITH bounds AS (${ENVELOPES}),
  features AS (
    SELECT ST_AsMVTGeom(l.area_3857, bounds.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom,
           l.id::text AS id, l.name, l.status,
           (SELECT round(f.fill_percent, 1)::float8 FROM landfill_forecasts f WHERE f.landfill_id = l.id ORDER BY f.computed_on DESC LIMIT 1) AS fill_percent
      FROM landfills l, bounds
     WHERE l.area_3857 && bounds.buffered
  )
  SELECT ST_AsMVT(features.*, 'landfills', ${TILE_EXTENT}, 'geom') AS mvt FROM features WHERE features.geom IS NOT NULL`;

// Incidents a dispatcher still cares about: not dismissed, received within 30 days. No snapshot, clip or
// body hash: those stay behind the staff endpoints.
const INCIDENTS_SQL = `
  WITH bounds AS (${ENVELOPES}),
  features AS (
    SELECT ST_AsMVTGeom(i.location_3857, bounds.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom,
           i.id::text AS id, i.status, i.class, i.confidence::float8 AS confidence, i.camera_id::text AS camera_id,
           extract(epoch FROM i.occurred_at)::bigint AS occurred_at, i.report_id::text AS report_id
      FROM incidents i CROSS JOIN bounds
     WHERE i.location_3857 && bounds.buffered
       AND i.status <> 'dismissed' AND i.received_at > now() - interval '30 days'
       AND ($4::uuid IS NULL OR i.city_id = $4)
     ORDER BY i.received_at DESC, i.id
     LIMIT 5000
  )
  SELECT ST_AsMVT(features.*, 'incidents', ${TILE_EXTENT}, 'geom') AS mvt FROM features WHERE features.geom IS NOT NULL`;

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
    const q = reportPointsQuery(t, f);
    return this.mvt(q.name, q.text, q.values);
  }

  /** Low-zoom cells without a date filter (report_cells). */
  reportCells(t: TileCoord, g: GridQuery, f: TileFilters): Promise<Buffer> {
    const q = reportCellsQuery(t, g, f);
    return this.mvt(q.name, q.text, q.values);
  }

  /** Low-zoom cells with a date filter (report_grid, by month of creation). */
  reportMonthCells(t: TileCoord, g: GridQuery, f: TileFilters): Promise<Buffer> {
    return this.mvt('tiles_report_month_cells', REPORT_MONTH_CELLS_SQL, [t.z, t.x, t.y, g.cellZoom, g.shift, g.xMin, g.xMax, g.yMin, g.yMax, f.statuses, f.categories, f.from, f.to]);
  }

  /**
   * Folds the deltas the report trigger appended into report_grid and report_cells (SQL function
   * report_grid_fold(), migration 14). Readers never need it (they add the deltas themselves); it keeps
   * the delta tables short. One folder at a time: a second caller returns at once with null; otherwise
   * the number of aggregate rows it touched. Idempotent: a second run folds nothing.
   */
  async foldGridDeltas(): Promise<number | null> {
    const rows = await this.prepared<{ n: number | null }>('tiles_grid_fold', `SELECT report_grid_fold() AS n`, []);
    return rows[0].n;
  }

  /** Recomputes both aggregates from `reports` (after a bulk import with the trigger disabled). */
  async rebuildGrid(): Promise<void> {
    await this.pool.query(`SELECT report_grid_rebuild()`);
  }

  districts(t: TileCoord): Promise<Buffer> {
    return this.mvt('tiles_districts', DISTRICTS_SQL, [t.z, t.x, t.y]);
  }

  hotspots(t: TileCoord): Promise<Buffer> {
    return this.mvt('tiles_hotspots', HOTSPOTS_SQL, [t.z, t.x, t.y]);
  }

  /** Every clustering run that changes a hotspot stamps updated_at; a new or merged one changes the count. */
  async hotspotsVersion(): Promise<string> {
    const rows = await this.prepared<{ v: string }>(
      'tiles_hotspots_version',
      `SELECT count(*)::text || ':' || coalesce(extract(epoch FROM max(updated_at))::text, '') AS v FROM hotspots`,
      [],
    );
    return rows[0].v;
  }

  /** Moves at the commit of every report write (a deferred trigger bumps the sequence). */
  async reportsVersion(): Promise<string> {
    const rows = await this.prepared<{ v: string }>('tiles_reports_version', `SELECT last_value::text || ':' || is_called::text AS v FROM report_change_seq`, []);
    return rows[0].v;
  }

  cameras(t: TileCoord, cityId: string | null): Promise<Buffer> {
    return this.mvt('tiles_cameras', CAMERAS_SQL, [t.z, t.x, t.y, cityId]);
  }

  /** Cameras are few: their count, latest edit and per-status counts (the offline scan flips status). */
  async camerasVersion(): Promise<string> {
    const rows = await this.prepared<{ v: string }>(
      'tiles_cameras_version',
      `SELECT concat_ws(':', count(*), extract(epoch FROM max(updated_at)), count(*) FILTER (WHERE status = 'active'), count(*) FILTER (WHERE status = 'offline')) AS v FROM cameras`,
      [],
    );
    return rows[0].v;
  }

  landfills(t: TileCoord): Promise<Buffer> {
    return this.mvt('tiles_landfills', LANDFILLS_SQL, [t.z, t.x, t.y]);
  }

  /** Landfills are few: their count and latest edit, and the latest forecast (which moves the fill level). */
  async landfillsVersion(): Promise<string> {
    const rows = await this.prepared<{ v: string }>(
      'tiles_landfills_version',
      `SELECT concat_ws(':', (SELECT count(*) FROM landfills), (SELECT extract(epoch FROM max(updated_at)) FROM landfills),
                        (SELECT extract(epoch FROM max(computed_at)) FROM landfill_forecasts)) AS v`,
      [],
    );
    return rows[0].v;
  }

  incidents(t: TileCoord, cityId: string | null): Promise<Buffer> {
    return this.mvt('tiles_incidents', INCIDENTS_SQL, [t.z, t.x, t.y, cityId]);
  }

  /**
   * Incidents change by intake, processing and review: their count and the latest of each time. One
   * scan of the table; fine for a staff layer at CCTV volumes (a trigger-bumped sequence, as reports
   * have, would be the next step if it ever shows).
   */
  async incidentsVersion(): Promise<string> {
    const rows = await this.prepared<{ v: string }>(
      'tiles_incidents_version',
      `SELECT concat_ws(':', count(*), extract(epoch FROM max(received_at)), extract(epoch FROM max(processed_at)), extract(epoch FROM max(reviewed_at)),
                        count(*) FILTER (WHERE report_id IS NOT NULL)) AS v FROM incidents`,
      [],
    );
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
