import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { JOB_QUEUE, rowsOf, type JobName } from '../../core/src/index.js';
import { NEARBY_LIMIT, NEARBY_RADIUS_METRES, OPEN_STATUSES, type ReportStatus } from './report-lifecycle.js';

export type ReportSize = 'bag' | 'wheelbarrow' | 'car' | 'truck';

export interface ReportRow {
  id: string;
  cityId: string;
  districtId: string;
  categoryCode: string;
  categoryName: { kk: string; ru: string; en: string };
  size: ReportSize;
  wasteTypes: string[];
  description: string;
  lon: number;
  lat: number;
  outskirts: boolean;
  status: ReportStatus;
  source: string;
  reporterId: string | null;
  trackingTokenHash: Buffer | null;
  contactEmail: string | null;
  contactPhone: string | null;
  exifGpsFar: boolean;
  confirmations: number;
  reopenCount: number;
  escalatedAt: Date | null;
  registeredAt: Date | null;
  inProgressAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  resolutionNote: string | null;
  rejectionReason: string | null;
  duplicateOf: string | null;
  rating: number | null;
  ratingComment: string | null;
  ratedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MediaRow {
  id: string;
  reportId: string;
  kind: 'photo' | 'video';
  stage: 'before' | 'after';
  storageKey: string;
  thumbKey: string | null;
  mime: string;
  width: number | null;
  height: number | null;
  bytes: number;
  createdAt: Date;
}

export interface HistoryRow {
  id: string;
  event: string;
  fromStatus: ReportStatus | null;
  toStatus: ReportStatus | null;
  actorId: string | null;
  actorRole: string;
  note: string | null;
  at: Date;
}

/** One create as the database function taza_report_intake takes it (migration 1763900000005). */
export interface ReportIntake {
  categoryCode: string;
  size: ReportSize;
  wasteTypes: string[];
  description: string;
  lon: number;
  lat: number;
  source: string;
  reporterId: string | null;
  /** For the history row: the signed-in role, or 'anonymous'. */
  actorRole: string;
  trackingTokenHash: Buffer | null;
  contactEmail: string | null;
  contactPhone: string | null;
  reporterIp: string | null;
  exifGpsFar: boolean;
  open311ClientId: string | null;
  media: NewMedia[];
  /** With an Idempotency-Key: the answer to keep for 24 h is built from these. */
  idempotency: {
    scope: string;
    key: string;
    requestHash: Buffer;
    trackingToken?: string;
    messages: { created: string; joined: string };
  } | null;
}

export type IntakeOutcome =
  | { outcome: 'created' | 'joined'; reportId: string; status: ReportStatus }
  | { outcome: 'replayed'; statusCode: number; body: unknown }
  | { outcome: 'refused'; reason: 'unknown_category' | 'outside_service_area' | 'idempotency_mismatch' };

export interface NewMedia {
  id: string;
  kind: 'photo' | 'video';
  stage: 'before' | 'after';
  storageKey: string;
  thumbKey: string | null;
  mime: string;
  width: number | null;
  height: number | null;
  bytes: number;
  durationSeconds: number | null;
}

export interface ListFilter {
  bbox?: [number, number, number, number];
  statuses?: ReportStatus[];
  category?: string;
  cityId?: string;
  districtId?: string;
  from?: Date;
  to?: Date;
  reporterId?: string;
  limit: number;
  offset: number;
}

const REPORT_COLUMNS = `
  r.id, r.city_id AS "cityId", r.district_id AS "districtId", r.category_code AS "categoryCode",
  json_build_object('kk', c.name_kk, 'ru', c.name_ru, 'en', c.name_en) AS "categoryName",
  r.size, r.waste_types AS "wasteTypes", r.description,
  ST_X(r.location) AS lon, ST_Y(r.location) AS lat, r.outskirts, r.status, r.source,
  r.reporter_id AS "reporterId", r.tracking_token_hash AS "trackingTokenHash",
  r.contact_email AS "contactEmail", r.contact_phone AS "contactPhone", r.exif_gps_far AS "exifGpsFar",
  r.confirmations, r.reopen_count AS "reopenCount", r.escalated_at AS "escalatedAt",
  r.registered_at AS "registeredAt", r.in_progress_at AS "inProgressAt", r.resolved_at AS "resolvedAt",
  r.closed_at AS "closedAt", r.resolution_note AS "resolutionNote", r.rejection_reason AS "rejectionReason",
  r.duplicate_of AS "duplicateOf", r.rating, r.rating_comment AS "ratingComment", r.rated_at AS "ratedAt",
  r.created_at AS "createdAt", r.updated_at AS "updatedAt"`;

const POINT = `ST_SetSRID(ST_MakePoint($1::float8, $2::float8), 4326)`;
/** The function writes this outbox row itself (payload {cityId, reason: 'report'}), as OutboxRepository.enqueue would. */
const INTAKE_JOB: JobName = 'hotspots.recluster';
const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

/** All SQL about reports, their confirmations, media and history. */
@Injectable()
export class ReportsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The district (akimat) whose polygon holds the point, its city, and whether it lies outside the core. */
  async route(lon: number, lat: number): Promise<{ cityId: string; districtId: string; outskirts: boolean } | null> {
    const rows: { cityId: string; districtId: string; outskirts: boolean }[] = await this.dataSource.query(
      `SELECT c.id AS "cityId", d.id AS "districtId", NOT ST_Covers(c.core, p.g) AS outskirts
         FROM (SELECT ${POINT} AS g) p
         JOIN districts d ON ST_Covers(d.area, p.g)
         JOIN cities c ON c.id = d.city_id
        ORDER BY d.id LIMIT 1`,
      [lon, lat],
    );
    return rows[0] ?? null;
  }

  async activeCategory(code: string): Promise<{ code: string; hazardous: boolean } | null> {
    const rows: { code: string; hazardous: boolean }[] = await this.dataSource.query(`SELECT code, hazardous FROM categories WHERE code = $1 AND active`, [code]);
    return rows[0] ?? null;
  }

  async categories(includeInactive = false) {
    return this.dataSource.query(
      `SELECT code, json_build_object('kk', name_kk, 'ru', name_ru, 'en', name_en) AS name, hazardous, active
         FROM categories WHERE active OR $1 ORDER BY sort, code`,
      [includeInactive],
    ) as Promise<{ code: string; name: { kk: string; ru: string; en: string }; hazardous: boolean; active: boolean }[]>;
  }

  /**
   * A whole create in one round trip: idempotency, category, routing, the merge-area locks, the 25 m
   * merge, the report or confirmation with its media and history row, the outbox row and the
   * Idempotency-Key answer, in the function's own transaction.
   */
  async intake(r: ReportIntake, manager: EntityManager = this.dataSource.manager): Promise<IntakeOutcome> {
    const p = {
      ...r,
      trackingTokenHash: r.trackingTokenHash?.toString('hex') ?? null,
      idempotency: r.idempotency && { ...r.idempotency, requestHash: r.idempotency.requestHash.toString('hex') },
      outbox: { queue: JOB_QUEUE[INTAKE_JOB], jobName: INTAKE_JOB },
    };
    const [row]: { outcome: IntakeOutcome }[] = await manager.query(`SELECT taza_report_intake($1::jsonb) AS outcome`, [JSON.stringify(p)]);
    return row.outcome;
  }

  async insertMedia(manager: EntityManager, reportId: string, confirmationId: string | null, media: NewMedia[], workOrderId: string | null = null): Promise<void> {
    for (const m of media) {
      await manager.query(
        `INSERT INTO report_media (id, report_id, confirmation_id, kind, stage, storage_key, thumb_key, mime, width, height, bytes, duration_seconds, work_order_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [m.id, reportId, confirmationId, m.kind, m.stage, m.storageKey, m.thumbKey, m.mime, m.width, m.height, m.bytes, m.durationSeconds, workOrderId],
      );
    }
  }

  async insertHistory(
    manager: EntityManager,
    reportId: string,
    e: { event: string; from: ReportStatus | null; to: ReportStatus | null; actorId: string | null; actorRole: string; note?: string | null },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO report_history (report_id, event, from_status, to_status, actor_id, actor_role, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [reportId, e.event, e.from, e.to, e.actorId, e.actorRole, e.note ?? null],
    );
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<ReportRow | null> {
    const rows: ReportRow[] = await manager.query(
      `SELECT ${REPORT_COLUMNS} FROM reports r JOIN categories c ON c.code = r.category_code WHERE r.id = $1 ${lock ? 'FOR UPDATE OF r' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async media(reportId: string, manager: EntityManager = this.dataSource.manager): Promise<MediaRow[]> {
    return manager.query(
      `SELECT id, report_id AS "reportId", kind, stage, storage_key AS "storageKey", thumb_key AS "thumbKey", mime, width, height, bytes, created_at AS "createdAt"
         FROM report_media WHERE report_id = $1 ORDER BY created_at, id`,
      [reportId],
    );
  }

  async mediaById(id: string): Promise<(MediaRow & { reportStatus: ReportStatus }) | null> {
    const rows = await this.dataSource.query(
      `SELECT m.id, m.report_id AS "reportId", m.kind, m.stage, m.storage_key AS "storageKey", m.thumb_key AS "thumbKey", m.mime,
              m.width, m.height, m.bytes, m.created_at AS "createdAt", r.status AS "reportStatus"
         FROM report_media m JOIN reports r ON r.id = m.report_id WHERE m.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async history(reportId: string): Promise<HistoryRow[]> {
    return this.dataSource.query(
      `SELECT id::text AS id, event, from_status AS "fromStatus", to_status AS "toStatus", actor_id AS "actorId", actor_role AS "actorRole", note, at
         FROM report_history h WHERE report_id = $1 ORDER BY h.id`,
      [reportId],
    );
  }

  /** Is this token the report's own or one of its confirmations'? */
  async tokenMatches(reportId: string, tokenHash: Buffer): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM reports WHERE id = $1 AND tracking_token_hash = $2
       UNION ALL SELECT 1 FROM report_confirmations WHERE report_id = $1 AND tracking_token_hash = $2 LIMIT 1`,
      [reportId, tokenHash],
    );
    return rows.length > 0;
  }

  async confirmedBy(reportId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM report_confirmations WHERE report_id = $1 AND reporter_id = $2 LIMIT 1`, [reportId, userId]);
    return rows.length > 0;
  }

  async nearby(lon: number, lat: number): Promise<(ReportRow & { distance: number })[]> {
    return this.dataSource.query(
      `SELECT ${REPORT_COLUMNS}, round(ST_Distance(r.location::geography, ${POINT}::geography)::numeric, 1)::float8 AS distance
         FROM reports r JOIN categories c ON c.code = r.category_code
        WHERE r.status IN (${OPEN_LIST})
          AND r.location && ST_Expand(${POINT}, 0.004)
          AND ST_DWithin(r.location::geography, ${POINT}::geography, ${NEARBY_RADIUS_METRES})
        ORDER BY distance, r.created_at LIMIT ${NEARBY_LIMIT}`,
      [lon, lat],
    );
  }

  async list(f: ListFilter): Promise<{ rows: ReportRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (f.bbox) {
      params.push(...f.bbox);
      const n = params.length;
      where.push(`r.location && ST_MakeEnvelope($${n - 3}, $${n - 2}, $${n - 1}, $${n}, 4326)`);
    }
    if (f.statuses?.length) add(`r.status = ANY(?::report_status[])`, f.statuses);
    if (f.category) add(`r.category_code = ?`, f.category);
    if (f.cityId) add(`r.city_id = ?`, f.cityId);
    if (f.districtId) add(`r.district_id = ?`, f.districtId);
    if (f.from) add(`r.created_at >= ?`, f.from);
    if (f.to) add(`r.created_at < ?`, f.to);
    if (f.reporterId) add(`(r.reporter_id = ? OR EXISTS (SELECT 1 FROM report_confirmations rc WHERE rc.report_id = r.id AND rc.reporter_id = ?))`, f.reporterId);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }]: { total: number }[] = await this.dataSource.query(`SELECT count(*)::int AS total FROM reports r ${clause}`, params);
    const rows: ReportRow[] = await this.dataSource.query(
      `SELECT ${REPORT_COLUMNS} FROM reports r JOIN categories c ON c.code = r.category_code ${clause}
        ORDER BY r.created_at DESC, r.id LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset)}`,
      params,
    );
    return { rows, total };
  }

  async update(manager: EntityManager, id: string, set: Record<string, unknown>): Promise<void> {
    const columns = Object.keys(set);
    const assignments = columns.map((c, i) => `${c} = $${i + 2}`);
    await manager.query(`UPDATE reports SET ${assignments.join(', ')}, updated_at = now() WHERE id = $1`, [id, ...columns.map((c) => set[c])]);
  }

  async existsInCity(manager: EntityManager, id: string, cityId: string): Promise<{ status: ReportStatus } | null> {
    const rows: { status: ReportStatus }[] = await manager.query(`SELECT status FROM reports WHERE id = $1 AND city_id = $2`, [id, cityId]);
    return rows[0] ?? null;
  }

  /** Resolved reports whose rating window ended: closed by the system. */
  async closeUnrated(manager: EntityManager, olderThanDays: number): Promise<string[]> {
    const result = await manager.query(
      `WITH due AS (
         UPDATE reports SET status = 'closed', closed_at = now(), updated_at = now()
          WHERE status = 'resolved' AND resolved_at < now() - make_interval(days => $1) RETURNING id)
       INSERT INTO report_history (report_id, event, from_status, to_status, actor_role, note)
       SELECT id, 'status', 'resolved', 'closed', 'system', 'not rated within ' || $1 || ' days' FROM due RETURNING report_id AS id`,
      [olderThanDays],
    );
    return rowsOf<{ id: string }>(result).map((r) => r.id);
  }

  /** Who hears about a report's changes: its contact email (or the account's), and confirmers' emails. */
  async recipients(manager: EntityManager, id: string): Promise<string[]> {
    const rows: { email: string }[] = await manager.query(
      `SELECT coalesce(r.contact_email, u.email) AS email FROM reports r LEFT JOIN users u ON u.id = r.reporter_id
        WHERE r.id = $1 AND coalesce(r.contact_email, u.email) IS NOT NULL
       UNION
       SELECT coalesce(c.contact_email, u.email) FROM report_confirmations c LEFT JOIN users u ON u.id = c.reporter_id
        WHERE c.report_id = $1 AND coalesce(c.contact_email, u.email) IS NOT NULL`,
      [id],
    );
    return rows.map((r) => r.email);
  }

  // Idempotency-Key records.
  async idempotent(scope: string, key: string): Promise<{ requestHash: Buffer; statusCode: number; response: unknown } | null> {
    const rows = await this.dataSource.query(
      `SELECT request_hash AS "requestHash", status_code AS "statusCode", response FROM idempotency_keys
        WHERE scope = $1 AND key = $2 AND created_at > now() - interval '24 hours'`,
      [scope, key],
    );
    return rows[0] ?? null;
  }
}
