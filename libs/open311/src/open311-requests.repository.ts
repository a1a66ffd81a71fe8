import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ReportStatus } from '../../reports/src/index.js';
import type { Localized } from './open311-catalogue.js';
import type { RequestsFilter, UpdatesFilter } from './open311-input.js';

/** A report as Open311 shows it: public fields only (no reporter, contacts, IP, rating comment). */
export interface Open311RequestRow {
  id: string;
  status: ReportStatus;
  serviceCode: string;
  serviceName: Localized;
  districtName: Localized;
  description: string;
  confirmations: number;
  resolutionNote: string | null;
  rejectionReason: string | null;
  duplicateOf: string | null;
  lon: number;
  lat: number;
  createdAt: Date;
  updatedAt: Date;
  photoId: string | null;
}

export interface Open311UpdateRow {
  updateId: string;
  reportId: string;
  event: string;
  status: ReportStatus;
  note: string | null;
  at: Date;
  photoId: string | null;
}

const POINT = (lon: string, lat: string) => `ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326)`;

/**
 * The Open311 read side: reports, their public history and media, filtered the Open311 way. Rejected
 * reports show no media to the public, as in the REST API.
 */
@Injectable()
export class Open311RequestsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async list(f: RequestsFilter): Promise<Open311RequestRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      const first = params.length + 1;
      params.push(...values);
      where.push(sql.replace(/\$(\d+)/g, (_, n: string) => `$${first + Number(n) - 1}`));
    };
    if (f.ids) add(`r.id = ANY($1::uuid[])`, f.ids);
    if (f.serviceCodes) add(`r.category_code = ANY($1::text[])`, f.serviceCodes);
    if (f.statuses) add(`r.status = ANY($1::report_status[])`, f.statuses);
    if (f.from) add(`r.created_at >= $1`, f.from);
    if (f.to) add(`r.created_at <= $1`, f.to);
    if (f.near) {
      add(
        `r.location && ST_Expand(${POINT('$1', '$2')}, $3::float8 / (111000 * greatest(cos(radians($2::float8)), 0.01))) AND ST_DWithin(r.location::geography, ${POINT('$1', '$2')}::geography, $3::float8)`,
        f.near.lon, f.near.lat, f.near.radius,
      );
    }
    return this.dataSource.query(
      `SELECT r.id, r.status, r.category_code AS "serviceCode",
              json_build_object('kk', c.name_kk, 'ru', c.name_ru, 'en', c.name_en) AS "serviceName",
              json_build_object('kk', d.name_kk, 'ru', d.name_ru, 'en', d.name_en) AS "districtName",
              r.description, r.confirmations, r.resolution_note AS "resolutionNote", r.rejection_reason AS "rejectionReason",
              r.duplicate_of AS "duplicateOf", ST_X(r.location) AS lon, ST_Y(r.location) AS lat,
              r.created_at AS "createdAt", r.updated_at AS "updatedAt",
              CASE WHEN r.status <> 'rejected' THEN (
                SELECT m.id FROM report_media m WHERE m.report_id = r.id AND m.kind = 'photo'
                 ORDER BY m.stage = 'after', m.created_at, m.id LIMIT 1) END AS "photoId"
         FROM reports r
         JOIN categories c ON c.code = r.category_code
         JOIN districts d ON d.id = r.district_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY r.created_at DESC, r.id
        LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset)}`,
      params,
    );
  }

  /** The report a tracking token belongs to: the report's own token or one of its confirmations'. */
  async reportOfToken(tokenHash: Buffer): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM reports WHERE tracking_token_hash = $1
       UNION ALL SELECT report_id FROM report_confirmations WHERE tracking_token_hash = $1
       LIMIT 1`,
      [tokenHash],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Status changes in a time window: staff moves (with their public note), closing by a rating and a
   * return by a low rating (without the resident's words). A move to resolved carries its "after" photo.
   */
  async updates(f: UpdatesFilter): Promise<Open311UpdateRow[]> {
    return this.dataSource.query(
      `SELECT h.id::text AS "updateId", h.report_id AS "reportId", h.event, h.to_status AS status,
              CASE WHEN h.event = 'status' THEN h.note END AS note, h.at,
              CASE WHEN h.to_status = 'resolved' THEN (
                SELECT m.id FROM report_media m WHERE m.report_id = h.report_id AND m.kind = 'photo' AND m.stage = 'after' AND m.created_at <= h.at
                 ORDER BY m.created_at DESC, m.id LIMIT 1) END AS "photoId"
         FROM report_history h
        WHERE h.at >= $1 AND h.at <= $2
          AND (h.event IN ('status', 'reopened') OR (h.event = 'rated' AND h.to_status = 'closed'))
        ORDER BY h.id
        LIMIT ${Number(f.limit)} OFFSET ${Number(f.offset)}`,
      [f.from, f.to],
    );
  }

  /** A jurisdiction_id we answer for: a city's slug or id. */
  async jurisdictionExists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM cities WHERE slug = $1 OR id::text = $1 LIMIT 1`, [id]);
    return rows.length > 0;
  }
}
