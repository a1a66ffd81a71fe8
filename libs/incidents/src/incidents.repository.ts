import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf } from '../../core/src/index.js';

export type IncidentStatus = 'pending' | 'confirmed' | 'dismissed';

export interface NewIncident {
  id: string;
  eventId: string;
  bodyHash: Buffer;
  occurredAt: Date;
  confidence: number;
  class: string;
  lon: number;
  lat: number;
  snapshotKey: string | null;
  clipKey: string | null;
}

export interface ExistingIncident {
  id: string;
  eventId: string;
  bodyHash: Buffer;
  status: IncidentStatus;
}

export interface IncidentRow {
  id: string;
  cameraId: string;
  cameraName: string;
  cityId: string;
  eventId: string;
  occurredAt: Date;
  receivedAt: Date;
  confidence: number;
  class: string;
  lon: number;
  lat: number;
  snapshotKey: string | null;
  clipKey: string | null;
  status: IncidentStatus;
  autoConfirmed: boolean;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  dismissReason: string | null;
  processedAt: Date | null;
  reportId: string | null;
  conversionError: string | null;
}

export interface IncidentFilter {
  cityIds: string[] | null;
  status?: IncidentStatus;
  cameraId?: string;
  /** Only what the worker has looked at (the review queue must not show incidents about to be auto-confirmed). */
  processedOnly?: boolean;
  limit: number;
  offset: number;
}

const INCIDENT_COLUMNS = `
  i.id, i.camera_id AS "cameraId", c.name AS "cameraName", i.city_id AS "cityId", i.event_id AS "eventId",
  i.occurred_at AS "occurredAt", i.received_at AS "receivedAt", i.confidence::float8 AS confidence, i.class,
  ST_X(i.location) AS lon, ST_Y(i.location) AS lat, i.snapshot_key AS "snapshotKey", i.clip_key AS "clipKey",
  i.status, i.auto_confirmed AS "autoConfirmed", i.reviewed_by AS "reviewedBy", i.reviewed_at AS "reviewedAt",
  i.dismiss_reason AS "dismissReason", i.processed_at AS "processedAt", i.report_id AS "reportId",
  i.conversion_error AS "conversionError"`;

/** Incidents: idempotent intake, the worker's processing, reviews and staff reads. */
@Injectable()
export class IncidentsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Incidents this camera already sent with any of these event ids. */
  async existing(cameraId: string, eventIds: string[], manager: EntityManager = this.dataSource.manager): Promise<ExistingIncident[]> {
    return manager.query(
      `SELECT id, event_id AS "eventId", body_hash AS "bodyHash", status FROM incidents WHERE camera_id = $1 AND event_id = ANY($2::text[])`,
      [cameraId, eventIds],
    );
  }

  /**
   * Inserts the incidents in one statement; rows whose (camera, event id) exists already (or comes
   * twice in the same call) are skipped. Returns the event ids actually inserted, with their ids.
   */
  async insertMany(manager: EntityManager, cameraId: string, cityId: string, rows: NewIncident[]): Promise<{ id: string; eventId: string }[]> {
    if (rows.length === 0) return [];
    const payload = rows.map((r) => ({
      id: r.id,
      event_id: r.eventId,
      body_hash: r.bodyHash.toString('hex'),
      occurred_at: r.occurredAt.toISOString(),
      confidence: r.confidence,
      class: r.class,
      lon: r.lon,
      lat: r.lat,
      snapshot_key: r.snapshotKey,
      clip_key: r.clipKey,
    }));
    return manager.query(
      `INSERT INTO incidents (id, camera_id, city_id, event_id, body_hash, occurred_at, confidence, class, location, snapshot_key, clip_key)
       SELECT r.id, $1, $2, r.event_id, decode(r.body_hash, 'hex'), r.occurred_at, r.confidence, r.class,
              ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), r.snapshot_key, r.clip_key
         FROM jsonb_to_recordset($3::jsonb) AS r(id uuid, event_id text, body_hash text, occurred_at timestamptz, confidence float8,
                                                 class text, lon float8, lat float8, snapshot_key text, clip_key text)
       ON CONFLICT (camera_id, event_id) DO NOTHING
       RETURNING id, event_id AS "eventId"`,
      [cameraId, cityId, JSON.stringify(payload)],
    );
  }

  /**
   * The worker's first step, set-based and idempotent: incidents not yet processed are marked
   * processed, and pending ones at or above their camera's auto-confirm confidence become confirmed.
   */
  async markProcessed(ids: string[]): Promise<number> {
    return rowsOf(
      await this.dataSource.query(
        `UPDATE incidents i
            SET processed_at = now(),
                auto_confirmed = (i.status = 'pending' AND i.confidence >= c.auto_confirm_confidence),
                status = CASE WHEN i.status = 'pending' AND i.confidence >= c.auto_confirm_confidence THEN 'confirmed' ELSE i.status END
           FROM cameras c
          WHERE c.id = i.camera_id AND i.id = ANY($1::uuid[]) AND i.processed_at IS NULL
          RETURNING i.id`,
        [ids],
      ),
    ).length;
  }

  /** Confirmed incidents among these that have no report yet (and did not fail to convert), with where and what. */
  async toConvert(ids: string[]): Promise<{ id: string; lon: number; lat: number; class: string }[]> {
    return this.dataSource.query(
      `SELECT id, ST_X(location) AS lon, ST_Y(location) AS lat, class FROM incidents
        WHERE id = ANY($1::uuid[]) AND status = 'confirmed' AND report_id IS NULL AND conversion_error IS NULL ORDER BY received_at, id`,
      [ids],
    );
  }

  /** Locks incidents for their conversion: those of `ids` still confirmed without a report, oldest first. */
  async lockForConversion(manager: EntityManager, ids: string[]): Promise<IncidentRow[]> {
    return manager.query(
      `SELECT ${INCIDENT_COLUMNS} FROM incidents i JOIN cameras c ON c.id = i.camera_id
        WHERE i.id = ANY($1::uuid[]) AND i.status = 'confirmed' AND i.report_id IS NULL AND i.conversion_error IS NULL
        ORDER BY i.received_at, i.id
        FOR UPDATE OF i`,
      [ids],
    );
  }

  /** Records each conversion's report (or why there is none). */
  async setConversions(manager: EntityManager, results: { id: string; reportId: string | null; error: string | null }[]): Promise<void> {
    if (results.length === 0) return;
    await manager.query(
      `UPDATE incidents i SET report_id = r.report_id, conversion_error = r.error, processed_at = coalesce(i.processed_at, now())
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, report_id uuid, error text)
        WHERE i.id = r.id`,
      [JSON.stringify(results.map((r) => ({ id: r.id, report_id: r.reportId, error: r.error })))],
    );
  }

  /**
   * A dispatcher's decision on a pending incident, with the camera's precision counters in the same
   * transaction. Null when the incident is not pending (any more).
   */
  async review(manager: EntityManager, id: string, decision: 'confirmed' | 'dismissed', reviewerId: string, reason: string | null): Promise<{ cameraId: string } | null> {
    const rows = rowsOf<{ cameraId: string }>(
      await manager.query(
        `UPDATE incidents SET status = $2, reviewed_by = $3, reviewed_at = now(), dismiss_reason = $4
          WHERE id = $1 AND status = 'pending' RETURNING camera_id AS "cameraId"`,
        [id, decision, reviewerId, reason],
      ),
    );
    if (!rows[0]) return null;
    await manager.query(
      `UPDATE cameras SET reviewed_count = reviewed_count + 1, confirmed_count = confirmed_count + CASE WHEN $2 = 'confirmed' THEN 1 ELSE 0 END WHERE id = $1`,
      [rows[0].cameraId, decision],
    );
    return rows[0];
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<IncidentRow | null> {
    const rows: IncidentRow[] = await manager.query(`SELECT ${INCIDENT_COLUMNS} FROM incidents i JOIN cameras c ON c.id = i.camera_id WHERE i.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async list(f: IncidentFilter): Promise<{ rows: IncidentRow[]; total: number }> {
    const where = `($1::uuid[] IS NULL OR i.city_id = ANY($1)) AND ($2::text IS NULL OR i.status = $2) AND ($3::uuid IS NULL OR i.camera_id = $3)
                   AND (NOT $4 OR i.processed_at IS NOT NULL)`;
    const params = [f.cityIds, f.status ?? null, f.cameraId ?? null, f.processedOnly ?? false];
    const [rows, count] = await Promise.all([
      this.dataSource.query(
        `SELECT ${INCIDENT_COLUMNS} FROM incidents i JOIN cameras c ON c.id = i.camera_id WHERE ${where}
          ORDER BY i.received_at DESC, i.id LIMIT $5 OFFSET $6`,
        [...params, f.limit, f.offset],
      ),
      this.dataSource.query(`SELECT count(*)::int AS n FROM incidents i WHERE ${where}`, params),
    ]);
    return { rows, total: count[0].n };
  }

  /** For the bench and operations: how many incidents exist and how many have all their effects. */
  async processedCounts(): Promise<{ incidents: number; processed: number }> {
    const rows: { incidents: number; processed: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS incidents,
              count(*) FILTER (WHERE processed_at IS NOT NULL AND (status <> 'confirmed' OR report_id IS NOT NULL OR conversion_error IS NOT NULL))::int AS processed
         FROM incidents`,
    );
    return rows[0];
  }
}
