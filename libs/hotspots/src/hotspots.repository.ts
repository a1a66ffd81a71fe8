import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf } from '../../core/src/index.js';
import { OPEN_STATUSES, SIZE_VOLUME_M3 } from '../../reports/src/index.js';
import type { DemoPile } from './hotspots-demo.js';
import { HULL_BUFFER_M, RECURRING_WITHIN_DAYS, type HotspotStatus, type Overlap, type PreviousHotspot, type StoredHotspotStatus } from './hotspot-rules.js';

export interface ClusterSettings {
  epsM: number;
  minPoints: number;
  windowDays: number;
}

/** One cluster of this run, before it has an identity. */
export interface ClusterRow {
  cluster: number;
  reports: number;
  incidents: number;
  confirmations: number;
  hazardous: number;
  volumeM3: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/** What the run writes for one cluster. */
export interface ClusterWrite {
  cluster: number;
  id: string;
  status: HotspotStatus;
  recurrences: number;
  severity: number;
  clearedAt: Date | null;
}

export interface RunCounts {
  points: number;
  clusters: number;
  noise: number;
  created: number;
  kept: number;
  cleared: number;
  recurring: number;
  splits: number;
  merges: number;
}

export interface HotspotRow {
  id: string;
  cityId: string;
  status: StoredHotspotStatus;
  hull: unknown;
  centroid: { lon: number; lat: number };
  reportCount: number;
  incidentCount: number;
  confirmationCount: number;
  hazardousCount: number;
  volumeM3: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
  severity: number;
  outskirts: boolean;
  coveredByCamera: boolean;
  recurrences: number;
  clearedAt: Date | null;
  mergedInto: string | null;
  runId: string | null;
  updatedAt: Date;
}

export interface HotspotFilter {
  cityIds: string[] | null;
  bbox?: [number, number, number, number];
  status?: HotspotStatus;
  outskirtsOnly?: boolean;
  limit: number;
}

const OPEN = OPEN_STATUSES as readonly string[];

const HOTSPOT_COLUMNS = `
  h.id, h.city_id AS "cityId", h.status, ST_AsGeoJSON(h.hull, 6)::json AS hull,
  json_build_object('lon', round(ST_X(h.centroid)::numeric, 6), 'lat', round(ST_Y(h.centroid)::numeric, 6)) AS centroid,
  h.report_count AS "reportCount", h.incident_count AS "incidentCount", h.confirmation_count AS "confirmationCount",
  h.hazardous_count AS "hazardousCount", h.volume_m3::float8 AS "volumeM3", h.first_seen_at AS "firstSeenAt",
  h.last_seen_at AS "lastSeenAt", h.severity, h.outskirts, h.covered_by_camera AS "coveredByCamera", h.recurrences,
  h.cleared_at AS "clearedAt", h.merged_into AS "mergedInto", h.run_id AS "runId", h.updated_at AS "updatedAt"`;

/**
 * All SQL of hotspots. A clustering run happens on one connection inside one transaction: the points
 * and clusters live in temporary tables dropped at commit, and the city's hotspots are rewritten before
 * the commit, so a run that dies leaves the previous set untouched.
 */
@Injectable()
export class HotspotsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Records that a run started (committed at once, so a run killed mid-way stays visible as unfinished). */
  async startRun(runId: string, cityId: string, reason: string): Promise<{ finished: boolean }> {
    const [row] = await this.dataSource.query(
      `INSERT INTO hotspot_runs (id, city_id, reason) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET started_at = CASE WHEN hotspot_runs.finished_at IS NULL THEN now() ELSE hotspot_runs.started_at END
       RETURNING finished_at IS NOT NULL AS finished`,
      [runId, cityId, reason],
    );
    return { finished: row.finished };
  }

  /** Serialises runs of one city across every worker process (held until the transaction ends). */
  async lockCity(m: EntityManager, cityId: string, runId: string): Promise<{ finished: boolean }> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('hotspots:' || $1, 0))`, [cityId]);
    // The run's statements look expensive to the planner (spatial aggregates, a correlated camera check),
    // so JIT would compile them: seconds of compiling for sub-second work.
    await m.query(`SET LOCAL jit = off`);
    const [row] = await m.query(`SELECT finished_at IS NOT NULL AS finished FROM hotspot_runs WHERE id = $1`, [runId]);
    return { finished: Boolean(row?.finished) };
  }

  async settings(cityId: string, m: EntityManager = this.dataSource.manager): Promise<ClusterSettings | null> {
    const [row] = await m.query(
      `SELECT hotspot_eps_m AS "epsM", hotspot_min_points AS "minPoints", hotspot_window_days AS "windowDays" FROM cities WHERE id = $1`,
      [cityId],
    );
    return row ?? null;
  }

  async cityIds(): Promise<string[]> {
    return (await this.dataSource.query(`SELECT id FROM cities ORDER BY slug`)).map((r: { id: string }) => r.id);
  }

  async updateSettings(cityId: string, s: Partial<ClusterSettings>): Promise<void> {
    await this.dataSource.query(
      `UPDATE cities SET hotspot_eps_m = COALESCE($2, hotspot_eps_m), hotspot_min_points = COALESCE($3, hotspot_min_points),
              hotspot_window_days = COALESCE($4, hotspot_window_days), updated_at = now() WHERE id = $1`,
      [cityId, s.epsM ?? null, s.minPoints ?? null, s.windowDays ?? null],
    );
  }

  /**
   * DBSCAN over the city's open reports (CCTV-confirmed incidents arrive as reports with source `cctv`)
   * of the window, on the stored 3857 column. Web Mercator stretches lengths by 1/cos(latitude), so eps
   * and the hull buffer are scaled by the city's latitude (a city spans well under a degree: < 1% error).
   * Noise points that fall in a hotspot cleared at most 60 days ago, and arrived after the clean-up, form
   * a cluster of their own there: dumping came back, even if only one pile so far.
   */
  async cluster(m: EntityManager, cityId: string, s: ClusterSettings): Promise<{ clusters: ClusterRow[]; points: number; noise: number }> {
    const [{ scale }] = await m.query(`SELECT 1 / cos(radians(ST_Y(ST_Centroid(boundary)))) AS scale FROM cities WHERE id = $1`, [cityId]);
    await m.query(`DROP TABLE IF EXISTS hs_clusters`);
    // One statement: the points never land in a table. Noise that a cleared hotspot's hull holds is found
    // through the reports' GiST index and joined by id. The NULL group counts the noise (no hull for it).
    await m.query(
      `CREATE TEMP TABLE hs_clusters ON COMMIT DROP AS
       WITH pts AS (
         SELECT r.id, r.location_3857 AS g, r.size, r.source, r.confirmations, r.category_code, r.created_at,
                ST_ClusterDBSCAN(r.location_3857, eps => $2, minpoints => $3) OVER () AS cid
           FROM reports r
          WHERE r.city_id = $1 AND r.status = ANY($5::report_status[]) AND r.created_at > now() - make_interval(days => $4)
       ),
       back AS (
         SELECT DISTINCT ON (r.id) r.id, 1000000 + h.n AS cid
           FROM (SELECT hull_3857, cleared_at, row_number() OVER (ORDER BY id) AS n FROM hotspots
                  WHERE city_id = $1 AND status = 'cleared' AND cleared_at > now() - make_interval(days => $6)) h
           JOIN reports r ON r.city_id = $1 AND ST_Intersects(h.hull_3857, r.location_3857) AND r.created_at > h.cleared_at
          ORDER BY r.id, h.n
       ),
       p AS (SELECT pts.*, COALESCE(pts.cid, back.cid) AS k FROM pts LEFT JOIN back ON pts.cid IS NULL AND back.id = pts.id)
       SELECT p.k AS cid, ST_Buffer(ST_ConvexHull(ST_Collect(p.g) FILTER (WHERE p.k IS NOT NULL)), $7, 'quad_segs=4') AS hull,
              ST_Centroid(ST_Collect(p.g) FILTER (WHERE p.k IS NOT NULL)) AS centroid, count(*)::int AS points,
              count(*) FILTER (WHERE p.source <> 'cctv')::int AS reports, count(*) FILTER (WHERE p.source = 'cctv')::int AS incidents,
              sum(p.confirmations)::int AS confirmations, count(*) FILTER (WHERE c.hazardous)::int AS hazardous,
              sum(($8::jsonb ->> p.size)::numeric)::float8 AS volume, min(p.created_at) AS first_seen, max(p.created_at) AS last_seen
         FROM p JOIN categories c ON c.code = p.category_code
        GROUP BY p.k`,
      [cityId, s.epsM * scale, s.minPoints, s.windowDays, OPEN, RECURRING_WITHIN_DAYS, HULL_BUFFER_M * scale, JSON.stringify(SIZE_VOLUME_M3)],
    );
    const rows: (ClusterRow & { points: number })[] = await m.query(
      `SELECT cid AS cluster, points, reports, incidents, confirmations, hazardous, volume AS "volumeM3", first_seen AS "firstSeenAt", last_seen AS "lastSeenAt"
         FROM hs_clusters ORDER BY cid`,
    );
    await m.query(`DELETE FROM hs_clusters WHERE cid IS NULL`);
    // A fresh temporary table has no statistics: without them the overlap join may scan it per hotspot.
    await m.query(`ANALYZE hs_clusters`);
    const clusters = rows.filter((r) => r.cluster !== null);
    const points = rows.reduce((n, r) => n + r.points, 0);
    const noise = rows.find((r) => r.cluster === null)?.points ?? 0;
    return { clusters, points, noise };
  }

  /** The city's hotspots of earlier runs (locked: this run rewrites them). */
  previous(m: EntityManager, cityId: string): Promise<PreviousHotspot[]> {
    return m.query(
      `SELECT id, status, cleared_at AS "clearedAt", recurrences FROM hotspots WHERE city_id = $1 AND status <> 'merged' ORDER BY id FOR UPDATE`,
      [cityId],
    );
  }

  async overlaps(m: EntityManager, cityId: string): Promise<Overlap[]> {
    const rows: { cluster: number; hotspotId: string; area: number }[] = await m.query(
      `SELECT cluster, "hotspotId",
              -- The area only matters where a cluster or a hotspot has more than one pair (a split or a merge).
              CASE WHEN count(*) OVER (PARTITION BY cluster) > 1 OR count(*) OVER (PARTITION BY "hotspotId") > 1
                   THEN ST_Area(ST_Intersection(a, b)) ELSE 1 END AS area
         FROM (SELECT c.cid AS cluster, h.id AS "hotspotId", c.hull AS a, h.hull_3857 AS b
                 FROM hs_clusters c JOIN hotspots h ON h.city_id = $1 AND h.status <> 'merged' AND ST_Intersects(c.hull, h.hull_3857)) pairs`,
      [cityId],
    );
    return rows.map((r) => ({ ...r, area: Number(r.area) }));
  }

  /**
   * Writes the run's result: every cluster upserted under the id it kept (or a new one), with hull,
   * centroid, counts, severity, the outskirts flag (centroid outside the city's core) and camera
   * coverage (a camera that is not retired sees the centroid); merged and cleared hotspots updated.
   */
  async write(
    m: EntityManager,
    cityId: string,
    runId: string,
    clusters: ClusterWrite[],
    merged: { hotspotId: string; intoId: string }[],
    cleared: string[],
  ): Promise<void> {
    if (clusters.length) {
      await m.query(
        `INSERT INTO hotspots (id, city_id, status, hull, centroid, report_count, incident_count, confirmation_count, hazardous_count,
                               volume_m3, first_seen_at, last_seen_at, severity, outskirts, covered_by_camera, recurrences, cleared_at, run_id)
         SELECT w.id, $1, w.status, ST_Transform(c.hull, 4326), ST_Transform(c.centroid, 4326), c.reports, c.incidents, c.confirmations, c.hazardous,
                c.volume, c.first_seen, c.last_seen, w.severity, NOT ST_Intersects(city.core, ST_Transform(c.centroid, 4326)),
                EXISTS (SELECT 1 FROM cameras k WHERE k.city_id = $1 AND k.status <> 'retired' AND ST_Intersects(k.view_3857, c.centroid)),
                w.recurrences, w.cleared_at, $2
           FROM unnest($3::int[], $4::uuid[], $5::text[], $6::int[], $7::float8[], $8::timestamptz[]) AS w(cid, id, status, recurrences, severity, cleared_at)
           JOIN hs_clusters c ON c.cid = w.cid
           JOIN cities city ON city.id = $1
         ON CONFLICT (id) DO UPDATE SET
           status = EXCLUDED.status, hull = EXCLUDED.hull, centroid = EXCLUDED.centroid, report_count = EXCLUDED.report_count,
           incident_count = EXCLUDED.incident_count, confirmation_count = EXCLUDED.confirmation_count, hazardous_count = EXCLUDED.hazardous_count,
           volume_m3 = EXCLUDED.volume_m3, first_seen_at = LEAST(hotspots.first_seen_at, EXCLUDED.first_seen_at), last_seen_at = EXCLUDED.last_seen_at,
           severity = EXCLUDED.severity, outskirts = EXCLUDED.outskirts, covered_by_camera = EXCLUDED.covered_by_camera,
           recurrences = EXCLUDED.recurrences, cleared_at = EXCLUDED.cleared_at, merged_into = NULL, run_id = EXCLUDED.run_id, updated_at = now()`,
        [
          cityId,
          runId,
          clusters.map((c) => c.cluster),
          clusters.map((c) => c.id),
          clusters.map((c) => c.status),
          clusters.map((c) => c.recurrences),
          clusters.map((c) => c.severity),
          clusters.map((c) => c.clearedAt),
        ],
      );
    }
    if (merged.length) {
      await m.query(
        `UPDATE hotspots h SET status = 'merged', merged_into = x.into_id, severity = 0, run_id = $1, updated_at = now()
           FROM unnest($2::uuid[], $3::uuid[]) AS x(id, into_id) WHERE h.id = x.id`,
        [runId, merged.map((x) => x.hotspotId), merged.map((x) => x.intoId)],
      );
    }
    if (cleared.length) {
      await m.query(`UPDATE hotspots SET status = 'cleared', cleared_at = now(), severity = 0, run_id = $1, updated_at = now() WHERE id = ANY($2::uuid[])`, [
        runId,
        cleared,
      ]);
    }
  }

  async insertHistory(
    m: EntityManager,
    runId: string | null,
    events: { hotspotId: string; event: string; from?: string | null; to?: string | null; otherId?: string | null; note?: string | null }[],
  ): Promise<void> {
    if (!events.length) return;
    await m.query(
      `INSERT INTO hotspot_history (hotspot_id, run_id, event, from_status, to_status, other_id, note)
       SELECT e.hotspot_id, $1, e.event, e.from_status, e.to_status, e.other_id, e.note
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[]) AS e(hotspot_id, event, from_status, to_status, other_id, note)`,
      [
        runId,
        events.map((e) => e.hotspotId),
        events.map((e) => e.event),
        events.map((e) => e.from ?? null),
        events.map((e) => e.to ?? null),
        events.map((e) => e.otherId ?? null),
        events.map((e) => e.note ?? null),
      ],
    );
  }

  async finishRun(m: EntityManager, runId: string, counts: RunCounts): Promise<void> {
    await m.query(
      `UPDATE hotspot_runs SET finished_at = now(), points = $2, clusters = $3, noise = $4, created = $5, kept = $6, cleared = $7,
              recurring = $8, splits = $9, merges = $10 WHERE id = $1`,
      [runId, counts.points, counts.clusters, counts.noise, counts.created, counts.kept, counts.cleared, counts.recurring, counts.splits, counts.merges],
    );
  }

  // ---- demo ----------------------------------------------------------------------------------

  async cityIdBySlug(slug: string): Promise<string | null> {
    const [row] = await this.dataSource.query(`SELECT id FROM cities WHERE slug = $1`, [slug]);
    return row?.id ?? null;
  }

  async hasDemoReports(cityId: string, mark: string): Promise<boolean> {
    const [row] = await this.dataSource.query(`SELECT EXISTS (SELECT 1 FROM reports WHERE city_id = $1 AND starts_with(description, $2)) AS yes`, [cityId, mark]);
    return row.yes;
  }

  /**
   * Generated reports around pile centres drawn by ST_GeneratePoints (fixed seeds: same places each
   * load): inside the core, or on the outskirts at least ~500 m from the core's edge and the boundary.
   * Categories and sizes follow a plausible mix; points that fall outside every district are dropped.
   */
  async insertDemoReports(cityId: string, piles: readonly DemoPile[], status: 'registered' | 'closed', mark: string): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      await m.query(`SELECT setseed(0.2026)`);
      const rows = rowsOf<{ id: string }>(
        await m.query(
          `WITH c AS (SELECT id, core, boundary FROM cities WHERE id = $1),
           piles AS (
             SELECT p.*, (SELECT (ST_Dump(ST_GeneratePoints(
                       CASE WHEN p.place = 'core' THEN ST_Buffer(c.core, -0.01)
                            ELSE ST_Difference(ST_Buffer(c.boundary, -0.005), ST_Buffer(c.core, 0.005)) END, 1, p.seed))).geom FROM c) AS centre
               FROM unnest($2::int[], $3::text[], $4::int[], $5::float8[], $6::float8[], $7::float8[]) AS p(seed, place, reports, radius, age_min, age_max)
           ),
           pts AS (
             SELECT ST_SetSRID(ST_Project(p.centre::geography, p.radius * sqrt(random()), 2 * pi() * random())::geometry, 4326) AS g,
                    p.age_min + random() * (p.age_max - p.age_min) AS age, random() AS rc, random() AS rs, random() AS rf
               FROM piles p, generate_series(1, p.reports) AS i
           ),
           placed AS (
             SELECT pts.*, d.id AS district_id, d.city_id, NOT ST_Intersects(c.core, pts.g) AS outskirts,
                    now() - make_interval(secs => pts.age * 86400) AS at
               FROM pts CROSS JOIN c
               JOIN LATERAL (SELECT id, city_id FROM districts WHERE city_id = c.id AND ST_Intersects(area, pts.g) ORDER BY id LIMIT 1) d ON true
           )
           INSERT INTO reports (city_id, district_id, category_code, size, location, outskirts, status, source, confirmations, description,
                                registered_at, resolved_at, closed_at, created_at, updated_at)
           SELECT city_id, district_id,
                  CASE WHEN rc < 0.5 THEN 'household' WHEN rc < 0.72 THEN 'construction' WHEN rc < 0.82 THEN 'tyres'
                       WHEN rc < 0.9 THEN 'bulky' WHEN rc < 0.96 THEN 'green' ELSE 'hazardous' END,
                  CASE WHEN rs < 0.35 THEN 'bag' WHEN rs < 0.65 THEN 'wheelbarrow' WHEN rs < 0.9 THEN 'car' ELSE 'truck' END,
                  g, outskirts, $8::report_status, 'web', floor(rf * rf * 4)::int, $9 || ' generated demo report',
                  at + interval '2 hours',
                  CASE WHEN $8 = 'closed' THEN at + interval '3 days' END, CASE WHEN $8 = 'closed' THEN at + interval '5 days' END,
                  at, at
             FROM placed
           RETURNING id`,
          [
            cityId,
            piles.map((p) => p.seed),
            piles.map((p) => p.where),
            piles.map((p) => p.reports),
            piles.map((p) => p.radiusM),
            piles.map((p) => p.ageDays[0]),
            piles.map((p) => p.ageDays[1]),
            status,
            mark,
          ],
        ),
      );
      return rows.length;
    });
  }

  /** The demo history's clean-up: every open generated report of the city is closed. */
  async closeDemoReports(cityId: string, mark: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE reports SET status = 'closed', resolved_at = now() - interval '2 days', closed_at = now(), updated_at = now()
        WHERE city_id = $1 AND starts_with(description, $2) AND status = ANY($3::report_status[])`,
      [cityId, mark, OPEN],
    );
  }

  // ---- reads ---------------------------------------------------------------------------------

  list(f: HotspotFilter): Promise<HotspotRow[]> {
    return this.dataSource.query(
      `SELECT ${HOTSPOT_COLUMNS} FROM hotspots h
        WHERE h.status <> 'merged' AND ($1::uuid[] IS NULL OR h.city_id = ANY($1))
          AND ($2::float8 IS NULL OR h.hull && ST_MakeEnvelope($2, $3, $4, $5, 4326))
          AND ($6::text IS NULL OR h.status = $6) AND (NOT $7 OR h.outskirts)
        ORDER BY h.severity DESC, h.last_seen_at DESC, h.id LIMIT $8`,
      [f.cityIds, f.bbox?.[0] ?? null, f.bbox?.[1] ?? null, f.bbox?.[2] ?? null, f.bbox?.[3] ?? null, f.status ?? null, Boolean(f.outskirtsOnly), f.limit],
    );
  }

  async get(id: string, m: EntityManager = this.dataSource.manager): Promise<HotspotRow | null> {
    const [row] = await m.query(`SELECT ${HOTSPOT_COLUMNS} FROM hotspots h WHERE h.id = $1`, [id]);
    return row ?? null;
  }

  /** The reports a hotspot stands for: those of its city inside its hull within the city's window (CCTV incidents included). */
  reportsOf(id: string): Promise<{ id: string; status: string; category: string; size: string; source: string; lon: number; lat: number; createdAt: Date }[]> {
    return this.dataSource.query(
      `SELECT r.id, r.status, r.category_code AS category, r.size, r.source, ST_X(r.location) AS lon, ST_Y(r.location) AS lat, r.created_at AS "createdAt"
         FROM hotspots h JOIN cities c ON c.id = h.city_id
         JOIN reports r ON r.city_id = h.city_id AND ST_Intersects(h.hull, r.location)
        WHERE h.id = $1 AND r.created_at > now() - make_interval(days => c.hotspot_window_days)
        ORDER BY r.created_at DESC LIMIT 500`,
      [id],
    );
  }

  /** The open reports inside the hull that no open work order holds: what a work order made from the hotspot takes. */
  async openReportIds(m: EntityManager, id: string): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT r.id FROM hotspots h JOIN reports r ON r.city_id = h.city_id AND ST_Intersects(h.hull, r.location)
        WHERE h.id = $1 AND r.status = ANY($2::report_status[])
          AND NOT EXISTS (SELECT 1 FROM work_order_reports x JOIN work_orders w ON w.id = x.work_order_id
                           WHERE x.report_id = r.id AND w.status IN ('planned', 'in_progress'))
        ORDER BY r.created_at LIMIT 200`,
      [id, OPEN],
    );
    return rows.map((r) => r.id);
  }

  history(id: string): Promise<{ event: string; from: string | null; to: string | null; otherId: string | null; note: string | null; runId: string | null; at: Date }[]> {
    return this.dataSource.query(
      `SELECT event, from_status AS "from", to_status AS "to", other_id AS "otherId", note, run_id AS "runId", at
         FROM hotspot_history WHERE hotspot_id = $1 ORDER BY at, id`,
      [id],
    );
  }

  /** A finished clean-up: the hotspot is cleared now (the next run keeps it so unless dumping returns). */
  async markCleared(m: EntityManager, id: string, note: string): Promise<boolean> {
    const rows = rowsOf<{ from: string }>(
      await m.query(
        `UPDATE hotspots h SET status = 'cleared', cleared_at = now(), severity = 0, updated_at = now()
           FROM (SELECT id, status AS from_status FROM hotspots WHERE id = $1 FOR UPDATE) old
          WHERE h.id = old.id AND h.status IN ('active', 'recurring') RETURNING old.from_status AS "from"`,
        [id],
      ),
    );
    if (!rows[0]) return false;
    await this.insertHistory(m, null, [{ hotspotId: id, event: 'cleared_by_work_order', from: rows[0].from, to: 'cleared', note }]);
    return true;
  }

  /**
   * Where to put the city's next camera: outskirts hotspots that recur (or recurred) and no camera sees,
   * by severity; for each, the nearest spot 30-80 m from the hull from which a camera aimed at the
   * centroid covers the whole hull with the narrowest of the given fields of view (candidates every 15°
   * around, every 10 m; ties go to the spot nearest the city's core, where power and roads are likelier).
   */
  cameraSuggestions(cityId: string, limit: number, camera: { fovsDeg: readonly number[]; rangeM: number }) {
    return this.dataSource.query(
      `SELECT h.id AS "hotspotId", h.severity, h.recurrences, h.status, h.report_count AS "reportCount", h.incident_count AS "incidentCount",
              ST_AsGeoJSON(h.hull, 6)::json AS hull,
              json_build_object('lon', round(ST_X(h.centroid)::numeric, 6), 'lat', round(ST_Y(h.centroid)::numeric, 6)) AS centroid,
              s.suggestion
         FROM hotspots h JOIN cities city ON city.id = h.city_id
         LEFT JOIN LATERAL (
           SELECT json_build_object('lon', round(ST_X(p.pos)::numeric, 6), 'lat', round(ST_Y(p.pos)::numeric, 6),
                                    'bearingDeg', round(p.bearing::numeric, 1), 'fovDeg', fov, 'rangeM', $4::float8,
                                    'distanceM', round(p.dist::numeric, 1)) AS suggestion
             FROM (SELECT q.pos, degrees(ST_Azimuth(q.pos::geography, h.centroid::geography)) AS bearing,
                          ST_Distance(q.pos::geography, h.hull::geography) AS dist
                     FROM generate_series(0, 345, 15) AS az
                     CROSS JOIN generate_series(0, 200, 10) AS d
                     CROSS JOIN LATERAL (SELECT ST_Project(h.centroid::geography, d + 30, radians(az))::geometry AS pos) q) p
            CROSS JOIN unnest($3::float8[]) AS fov
            WHERE p.dist BETWEEN 30 AND 80 AND ST_Covers(taza_camera_sector(p.pos, p.bearing, fov, $4), h.hull)
            ORDER BY p.dist, fov, ST_Distance(p.pos::geography, city.core::geography)
            LIMIT 1) s ON true
        WHERE h.city_id = $1 AND h.outskirts AND NOT h.covered_by_camera AND (h.status = 'recurring' OR h.recurrences > 0) AND h.status <> 'merged'
        ORDER BY h.severity DESC, h.recurrences DESC, h.id LIMIT $2`,
      [cityId, limit, camera.fovsDeg, camera.rangeM],
    );
  }
}
