import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf, type Geometry } from '../../core/src/index.js';
import type { AlertLevel } from './landfill-alert-rules.js';

export type LandfillStatus = 'operating' | 'closing' | 'closed';
export type SurveyMethod = 'drone' | 'topographic' | 'estimate';

export interface LandfillRow {
  id: string;
  name: string;
  status: LandfillStatus;
  capacityM3: number;
  density: number;
  openedOn: string | null;
  operator: string | null;
  cityIds: string[];
  geometry: Geometry;
  /** Today in the time zone of the landfill's (first) city. */
  today: string;
}

export interface FillBase {
  /** The last survey on or before the day asked; null when none. */
  survey: { day: string; usedM3: number; method: SurveyMethod } | null;
  /** Tonnes received after that survey, up to and including the day asked. */
  intakeSinceTonnes: number;
}

export interface IntakeInput {
  day: string;
  tonnes: number;
  plate: string | null;
  sourceCityId: string | null;
  externalId: string | null;
}

export interface SurveyInput {
  day: string;
  usedM3: number;
  method: SurveyMethod;
  note: string | null;
}

export interface LandfillInput {
  name: string;
  status: LandfillStatus;
  geometry: Geometry;
  capacityM3: number;
  density: number;
  openedOn: string | null;
  operator: string | null;
  cityIds: string[];
}

export interface StoredForecast {
  computedOn: string;
  computedAt: Date;
  usedM3: number;
  fillPercent: number;
  rateTonnesPerDay: number;
  rateLowTonnesPerDay: number;
  rateHighTonnesPerDay: number;
  slopeTonnesPerWeek: number;
  milestones: { percent: number; reached: boolean; date: string | null; low: string | null; high: string | null }[];
}

export interface AlertRow {
  id: string;
  landfillId: string;
  landfillName: string;
  cityIds: string[];
  level: AlertLevel;
  fillPercent: number;
  fullOn: string | null;
  raisedAt: Date;
  lastSentAt: Date | null;
  sentCount: number;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgedByName: string | null;
  note: string | null;
  rearmedAt: Date | null;
}

const LANDFILL_COLUMNS = `
  l.id, l.name, l.status, l.capacity_m3::float8 AS "capacityM3", l.density_t_m3::float8 AS density,
  to_char(l.opened_on, 'YYYY-MM-DD') AS "openedOn", l.operator,
  COALESCE((SELECT array_agg(lc.city_id ORDER BY lc.city_id) FROM landfill_cities lc WHERE lc.landfill_id = l.id), '{}') AS "cityIds",
  ST_AsGeoJSON(l.area, 6)::json AS geometry,
  to_char((now() AT TIME ZONE COALESCE((SELECT c.timezone FROM landfill_cities lc JOIN cities c ON c.id = lc.city_id
                                         WHERE lc.landfill_id = l.id ORDER BY c.slug LIMIT 1), 'Asia/Almaty'))::date, 'YYYY-MM-DD') AS today`;

const ALERT_COLUMNS = `
  a.id, a.landfill_id AS "landfillId", l.name AS "landfillName",
  COALESCE((SELECT array_agg(lc.city_id ORDER BY lc.city_id) FROM landfill_cities lc WHERE lc.landfill_id = l.id), '{}') AS "cityIds",
  a.level, a.fill_percent::float8 AS "fillPercent", to_char(a.full_on, 'YYYY-MM-DD') AS "fullOn", a.raised_at AS "raisedAt",
  a.last_sent_at AS "lastSentAt", a.sent_count AS "sentCount", a.acknowledged_at AS "acknowledgedAt", a.acknowledged_by AS "acknowledgedBy",
  u.display_name AS "acknowledgedByName", a.ack_note AS note, a.rearmed_at AS "rearmedAt"`;

/** All SQL of landfills, measurements, forecasts, alerts and weighbridge keys. */
@Injectable()
export class LandfillsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Landfills used by any of the cities (null = all), by name. */
  list(cityIds: string[] | null): Promise<LandfillRow[]> {
    return this.dataSource.query(
      `SELECT ${LANDFILL_COLUMNS} FROM landfills l
        WHERE $1::uuid[] IS NULL OR EXISTS (SELECT 1 FROM landfill_cities lc WHERE lc.landfill_id = l.id AND lc.city_id = ANY($1))
        ORDER BY l.name`,
      [cityIds],
    );
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<LandfillRow | null> {
    if (lock) await manager.query(`SELECT 1 FROM landfills WHERE id = $1 FOR UPDATE`, [id]);
    const rows: LandfillRow[] = await manager.query(`SELECT ${LANDFILL_COLUMNS} FROM landfills l WHERE l.id = $1`, [id]);
    return rows[0] ?? null;
  }

  allIds(): Promise<string[]> {
    return this.dataSource.query(`SELECT id FROM landfills WHERE status <> 'closed' ORDER BY name`).then((rows: { id: string }[]) => rows.map((r) => r.id));
  }

  /** The last survey on or before `day` and the tonnes received after it up to `day`. */
  async fillBase(id: string, day: string, manager: EntityManager = this.dataSource.manager): Promise<FillBase> {
    const rows: { day: string | null; usedM3: number | null; method: SurveyMethod | null; since: number }[] = await manager.query(
      `SELECT to_char(s.day, 'YYYY-MM-DD') AS day, s.used_m3::float8 AS "usedM3", s.method,
              COALESCE((SELECT sum(i.tonnes) FROM landfill_intake i
                         WHERE i.landfill_id = $1 AND i.day <= $2 AND (s.day IS NULL OR i.day > s.day)), 0)::float8 AS since
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT day, used_m3, method FROM landfill_surveys WHERE landfill_id = $1 AND day <= $2 ORDER BY day DESC LIMIT 1) s ON true`,
      [id, day],
    );
    const r = rows[0];
    return { survey: r.day ? { day: r.day, usedM3: r.usedM3!, method: r.method! } : null, intakeSinceTonnes: r.since };
  }

  /** Tonnes per day in [from, to], only days with tickets. */
  dailyIntake(id: string, from: string, to: string): Promise<{ day: string; tonnes: number }[]> {
    return this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(tonnes)::float8 AS tonnes FROM landfill_intake
        WHERE landfill_id = $1 AND day BETWEEN $2 AND $3 GROUP BY day ORDER BY day`,
      [id, from, to],
    );
  }

  /** Tonnes diverted per day in [from, to] by the cities that use the landfill. */
  dailyDiversion(id: string, from: string, to: string): Promise<{ day: string; tonnes: number }[]> {
    return this.dataSource.query(
      `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, sum(d.tonnes)::float8 AS tonnes FROM waste_diversion d
         JOIN landfill_cities lc ON lc.city_id = d.city_id AND lc.landfill_id = $1
        WHERE d.day BETWEEN $2 AND $3 GROUP BY d.day ORDER BY d.day`,
      [id, from, to],
    );
  }

  surveys(id: string, from: string, to: string): Promise<{ day: string; usedM3: number; method: SurveyMethod }[]> {
    return this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, used_m3::float8 AS "usedM3", method FROM landfill_surveys
        WHERE landfill_id = $1 AND day BETWEEN $2 AND $3 ORDER BY day`,
      [id, from, to],
    );
  }

  /** Tonnes already booked on each of these days (for the 10,000 t a day limit). */
  async dayTotals(manager: EntityManager, id: string, days: string[]): Promise<Map<string, number>> {
    const rows: { day: string; tonnes: number }[] = await manager.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(tonnes)::float8 AS tonnes FROM landfill_intake
        WHERE landfill_id = $1 AND day = ANY($2::date[]) GROUP BY day`,
      [id, days],
    );
    return new Map(rows.map((r) => [r.day, r.tonnes]));
  }

  /** Ticket numbers among `externalIds` that are stored already. */
  async existingTickets(manager: EntityManager, id: string, externalIds: string[]): Promise<Set<string>> {
    if (!externalIds.length) return new Set();
    const rows: { externalId: string }[] = await manager.query(
      `SELECT external_id AS "externalId" FROM landfill_intake WHERE landfill_id = $1 AND external_id = ANY($2::text[])`,
      [id, externalIds],
    );
    return new Set(rows.map((r) => r.externalId));
  }

  async insertIntake(manager: EntityManager, id: string, rows: IntakeInput[], by: { userId: string | null; weighbridgeId: string | null }): Promise<number> {
    if (!rows.length) return 0;
    const result: unknown = await manager.query(
      `INSERT INTO landfill_intake (landfill_id, day, tonnes, plate, source_city_id, external_id, created_by, weighbridge_id)
       SELECT $1, r.day, r.tonnes, r.plate, r.source_city_id, r.external_id, $7, $8
         FROM unnest($2::date[], $3::numeric[], $4::text[], $5::uuid[], $6::text[]) AS r(day, tonnes, plate, source_city_id, external_id)
       ON CONFLICT (landfill_id, external_id) DO NOTHING
       RETURNING id`,
      [id, rows.map((r) => r.day), rows.map((r) => r.tonnes), rows.map((r) => r.plate), rows.map((r) => r.sourceCityId), rows.map((r) => r.externalId), by.userId, by.weighbridgeId],
    );
    return rowsOf(result).length;
  }

  async surveyDaysTaken(manager: EntityManager, id: string, days: string[]): Promise<Set<string>> {
    const rows: { day: string }[] = await manager.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM landfill_surveys WHERE landfill_id = $1 AND day = ANY($2::date[])`,
      [id, days],
    );
    return new Set(rows.map((r) => r.day));
  }

  async insertSurveys(manager: EntityManager, id: string, rows: SurveyInput[], userId: string | null): Promise<number> {
    if (!rows.length) return 0;
    const result: unknown = await manager.query(
      `INSERT INTO landfill_surveys (landfill_id, day, used_m3, method, note, created_by)
       SELECT $1, r.day, r.used_m3, r.method, r.note, $6
         FROM unnest($2::date[], $3::numeric[], $4::text[], $5::text[]) AS r(day, used_m3, method, note)
       RETURNING id`,
      [id, rows.map((r) => r.day), rows.map((r) => r.usedM3), rows.map((r) => r.method), rows.map((r) => r.note), userId],
    );
    return rowsOf(result).length;
  }

  // ---- forecasts ---------------------------------------------------------------------------

  async saveForecast(manager: EntityManager, id: string, f: Omit<StoredForecast, 'computedAt'>): Promise<void> {
    await manager.query(
      `INSERT INTO landfill_forecasts (landfill_id, computed_on, used_m3, fill_percent, rate_t_day, rate_low_t_day, rate_high_t_day, slope_t_week, milestones)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
       ON CONFLICT (landfill_id, computed_on) DO UPDATE SET computed_at = now(), used_m3 = EXCLUDED.used_m3, fill_percent = EXCLUDED.fill_percent,
         rate_t_day = EXCLUDED.rate_t_day, rate_low_t_day = EXCLUDED.rate_low_t_day, rate_high_t_day = EXCLUDED.rate_high_t_day,
         slope_t_week = EXCLUDED.slope_t_week, milestones = EXCLUDED.milestones`,
      [id, f.computedOn, f.usedM3, f.fillPercent, f.rateTonnesPerDay, f.rateLowTonnesPerDay, f.rateHighTonnesPerDay, f.slopeTonnesPerWeek, JSON.stringify(f.milestones)],
    );
  }

  async latestForecasts(ids: string[]): Promise<Map<string, StoredForecast>> {
    const rows: (StoredForecast & { landfillId: string })[] = await this.dataSource.query(
      `SELECT DISTINCT ON (landfill_id) landfill_id AS "landfillId", to_char(computed_on, 'YYYY-MM-DD') AS "computedOn", computed_at AS "computedAt",
              used_m3::float8 AS "usedM3", fill_percent::float8 AS "fillPercent", rate_t_day::float8 AS "rateTonnesPerDay",
              rate_low_t_day::float8 AS "rateLowTonnesPerDay", rate_high_t_day::float8 AS "rateHighTonnesPerDay",
              slope_t_week::float8 AS "slopeTonnesPerWeek", milestones
         FROM landfill_forecasts WHERE landfill_id = ANY($1::uuid[]) ORDER BY landfill_id, computed_on DESC`,
      [ids],
    );
    return new Map(rows.map(({ landfillId, ...f }) => [landfillId, f]));
  }

  // ---- alerts --------------------------------------------------------------------------------

  async liveAlerts(manager: EntityManager, id: string): Promise<{ id: string; level: AlertLevel }[]> {
    return manager.query(`SELECT id, level FROM landfill_alerts WHERE landfill_id = $1 AND rearmed_at IS NULL FOR UPDATE`, [id]);
  }

  async raiseAlert(manager: EntityManager, id: string, a: { level: AlertLevel; fillPercent: number; fullOn: string | null }): Promise<string | null> {
    const result: unknown = await manager.query(
      `INSERT INTO landfill_alerts (landfill_id, level, fill_percent, full_on, last_sent_at, sent_count) VALUES ($1, $2, $3, $4, now(), 1)
       ON CONFLICT (landfill_id, level) WHERE rearmed_at IS NULL DO NOTHING RETURNING id`,
      [id, a.level, a.fillPercent, a.fullOn],
    );
    return rowsOf<{ id: string }>(result)[0]?.id ?? null;
  }

  async rearmAlerts(manager: EntityManager, id: string, levels: AlertLevel[]): Promise<void> {
    if (!levels.length) return;
    await manager.query(`UPDATE landfill_alerts SET rearmed_at = now() WHERE landfill_id = $1 AND level = ANY($2::text[]) AND rearmed_at IS NULL`, [id, levels]);
  }

  listAlerts(cityIds: string[] | null, f: { state: 'open' | 'acknowledged' | 'all'; landfillId?: string; limit: number }): Promise<AlertRow[]> {
    return this.dataSource.query(
      `SELECT ${ALERT_COLUMNS} FROM landfill_alerts a JOIN landfills l ON l.id = a.landfill_id LEFT JOIN users u ON u.id = a.acknowledged_by
        WHERE ($1::uuid[] IS NULL OR EXISTS (SELECT 1 FROM landfill_cities lc WHERE lc.landfill_id = l.id AND lc.city_id = ANY($1)))
          AND ($2 = 'all' OR ($2 = 'open' AND a.acknowledged_at IS NULL) OR ($2 = 'acknowledged' AND a.acknowledged_at IS NOT NULL))
          AND ($3::uuid IS NULL OR a.landfill_id = $3)
        ORDER BY a.acknowledged_at IS NULL DESC, a.raised_at DESC LIMIT $4`,
      [cityIds, f.state, f.landfillId ?? null, f.limit],
    );
  }

  /** Live alerts (still holding their line) of these landfills, most severe first by raise time. */
  liveAlertsOf(ids: string[]): Promise<{ id: string; landfillId: string; level: AlertLevel; raisedAt: Date; acknowledgedAt: Date | null }[]> {
    return this.dataSource.query(
      `SELECT id, landfill_id AS "landfillId", level, raised_at AS "raisedAt", acknowledged_at AS "acknowledgedAt"
         FROM landfill_alerts WHERE landfill_id = ANY($1::uuid[]) AND rearmed_at IS NULL ORDER BY raised_at DESC`,
      [ids],
    );
  }

  citySlugs(ids: string[]): Promise<{ id: string; slug: string }[]> {
    return this.dataSource.query(`SELECT id, slug FROM cities WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async getAlert(id: string): Promise<AlertRow | null> {
    const rows: AlertRow[] = await this.dataSource.query(
      `SELECT ${ALERT_COLUMNS} FROM landfill_alerts a JOIN landfills l ON l.id = a.landfill_id LEFT JOIN users u ON u.id = a.acknowledged_by WHERE a.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** False when it was acknowledged already (the first note stays). */
  async acknowledge(manager: EntityManager, id: string, userId: string, note: string): Promise<boolean> {
    const result: unknown = await manager.query(
      `UPDATE landfill_alerts SET acknowledged_at = now(), acknowledged_by = $2, ack_note = $3 WHERE id = $1 AND acknowledged_at IS NULL RETURNING id`,
      [id, userId, note],
    );
    return rowsOf(result).length > 0;
  }

  /**
   * Claims the live, unacknowledged alerts of these levels last sent `days` or more ago: their send time
   * moves to now in the same statement, so a job run twice sends each once.
   */
  async claimResends(manager: EntityManager, levels: readonly AlertLevel[], days: number): Promise<{ id: string; landfillId: string; level: AlertLevel; fillPercent: number; fullOn: string | null }[]> {
    const result: unknown = await manager.query(
      `UPDATE landfill_alerts SET last_sent_at = now(), sent_count = sent_count + 1
        WHERE level = ANY($1::text[]) AND acknowledged_at IS NULL AND rearmed_at IS NULL
          AND (last_sent_at IS NULL OR last_sent_at <= now() - make_interval(days => $2))
        RETURNING id, landfill_id AS "landfillId", level, fill_percent::float8 AS "fillPercent", to_char(full_on, 'YYYY-MM-DD') AS "fullOn"`,
      [levels, days],
    );
    return rowsOf(result);
  }

  /** Active akims (with an email) of the cities that use the landfill. */
  akimEmails(manager: EntityManager, id: string): Promise<string[]> {
    return manager
      .query(
        `SELECT DISTINCT u.email FROM users u JOIN landfill_cities lc ON lc.city_id = u.city_id AND lc.landfill_id = $1
          WHERE u.role = 'akim' AND u.disabled_at IS NULL AND u.email IS NOT NULL ORDER BY u.email`,
        [id],
      )
      .then((rows: { email: string }[]) => rows.map((r) => r.email));
  }

  // ---- diversion ------------------------------------------------------------------------------

  async insertDiversion(d: { cityId: string; day: string; tonnes: number; source: string; note: string | null; userId: string | null }, manager: EntityManager = this.dataSource.manager): Promise<{ id: string }> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO waste_diversion (city_id, day, tonnes, source, note, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::text AS id`,
      [d.cityId, d.day, d.tonnes, d.source, d.note, d.userId],
    );
    return rows[0];
  }

  listDiversion(cityIds: string[] | null, from: string, to: string): Promise<{ id: string; cityId: string; day: string; tonnes: number; source: string; note: string | null }[]> {
    return this.dataSource.query(
      `SELECT id::text AS id, city_id AS "cityId", to_char(day, 'YYYY-MM-DD') AS day, tonnes::float8 AS tonnes, source, note
         FROM waste_diversion WHERE ($1::uuid[] IS NULL OR city_id = ANY($1)) AND day BETWEEN $2 AND $3 ORDER BY day DESC, id DESC LIMIT 1000`,
      [cityIds, from, to],
    );
  }

  // ---- administration -------------------------------------------------------------------------

  async citiesExist(ids: string[]): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM cities WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map((r) => r.id);
  }

  async nameTaken(name: string, exceptId: string | null): Promise<boolean> {
    const rows = await this.dataSource.query(`SELECT 1 FROM landfills WHERE lower(name) = lower($1) AND ($2::uuid IS NULL OR id <> $2)`, [name, exceptId]);
    return rows.length > 0;
  }

  /** Null when the geometry is not a valid (multi)polygon. */
  async insertLandfill(manager: EntityManager, l: LandfillInput): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO landfills (name, status, area, capacity_m3, density_t_m3, opened_on, operator)
       VALUES ($1, $2, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)), $4, $5, $6, $7) RETURNING id`,
      [l.name, l.status, JSON.stringify(l.geometry), l.capacityM3, l.density, l.openedOn, l.operator],
    );
    await this.setCities(manager, rows[0].id, l.cityIds);
    return rows[0].id;
  }

  async updateLandfill(manager: EntityManager, id: string, l: LandfillInput): Promise<void> {
    await manager.query(
      `UPDATE landfills SET name = $2, status = $3, area = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($4), 4326)), capacity_m3 = $5, density_t_m3 = $6,
              opened_on = $7, operator = $8, updated_at = now() WHERE id = $1`,
      [id, l.name, l.status, JSON.stringify(l.geometry), l.capacityM3, l.density, l.openedOn, l.operator],
    );
    await this.setCities(manager, id, l.cityIds);
  }

  private async setCities(manager: EntityManager, id: string, cityIds: string[]): Promise<void> {
    await manager.query(`DELETE FROM landfill_cities WHERE landfill_id = $1 AND NOT (city_id = ANY($2::uuid[]))`, [id, cityIds]);
    await manager.query(`INSERT INTO landfill_cities (landfill_id, city_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [id, cityIds]);
  }

  /** A GeoJSON geometry PostGIS accepts as a valid polygon or multipolygon: null when it is fine, else the reason. */
  async geometryProblem(geometry: Geometry): Promise<string | null> {
    try {
      const rows: { type: string; valid: boolean; reason: string }[] = await this.dataSource.query(
        `SELECT GeometryType(g) AS type, ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason FROM (SELECT ST_GeomFromGeoJSON($1) AS g) x`,
        [JSON.stringify(geometry)],
      );
      if (!['POLYGON', 'MULTIPOLYGON'].includes(rows[0].type)) return 'must be a Polygon or MultiPolygon';
      return rows[0].valid ? null : `is not a valid polygon (${rows[0].reason})`;
    } catch {
      return 'is not a GeoJSON geometry';
    }
  }

  async insertWeighbridge(manager: EntityManager, landfillId: string, name: string, keyHash: Buffer, userId: string | null): Promise<{ id: string; landfillId: string; name: string; createdAt: Date }> {
    const rows = await manager.query(
      `INSERT INTO weighbridges (landfill_id, name, key_hash, created_by) VALUES ($1, $2, $3, $4)
       RETURNING id, landfill_id AS "landfillId", name, created_at AS "createdAt"`,
      [landfillId, name, keyHash, userId],
    );
    return rows[0];
  }

  listWeighbridges(): Promise<{ id: string; landfillId: string; landfillName: string; name: string; createdAt: Date; lastUsedAt: Date | null; revoked: boolean }[]> {
    return this.dataSource.query(
      `SELECT w.id, w.landfill_id AS "landfillId", l.name AS "landfillName", w.name, w.created_at AS "createdAt", w.last_used_at AS "lastUsedAt",
              w.revoked_at IS NOT NULL AS revoked
         FROM weighbridges w JOIN landfills l ON l.id = w.landfill_id ORDER BY l.name, w.name`,
    );
  }

  /** The landfill of the revoked weighbridge; null when there is none with this id. */
  async revokeWeighbridge(manager: EntityManager, id: string): Promise<string | null> {
    const result: unknown = await manager.query(`UPDATE weighbridges SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING landfill_id AS "landfillId"`, [id]);
    return rowsOf<{ landfillId: string }>(result)[0]?.landfillId ?? null;
  }

  /** The weighbridge holding this key (not revoked), marking its use. */
  async useWeighbridgeKey(keyHash: Buffer): Promise<{ id: string; landfillId: string } | null> {
    const result: unknown = await this.dataSource.query(
      `UPDATE weighbridges SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL RETURNING id, landfill_id AS "landfillId"`,
      [keyHash],
    );
    return rowsOf<{ id: string; landfillId: string }>(result)[0] ?? null;
  }

  async insertWeighbridgeIfMissing(landfillId: string, name: string, keyHash: Buffer): Promise<void> {
    await this.dataSource.query(`INSERT INTO weighbridges (landfill_id, name, key_hash) VALUES ($1, $2, $3) ON CONFLICT (key_hash) DO NOTHING`, [landfillId, name, keyHash]);
  }

  async cityIdBySlug(slug: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM cities WHERE slug = $1`, [slug]);
    return rows[0]?.id ?? null;
  }

  async landfillIdByName(name: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM landfills WHERE name = $1`, [name]);
    return rows[0]?.id ?? null;
  }
}
