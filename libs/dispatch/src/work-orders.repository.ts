import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { WorkOrderStatus } from './work-order-rules.js';

export interface CandidateReport {
  id: string;
  cityId: string;
  districtId: string;
  status: string;
  size: 'bag' | 'wheelbarrow' | 'car' | 'truck';
  hazardous: boolean;
  ageHours: number;
}

export interface WorkOrderRow {
  id: string;
  cityId: string;
  hotspotId: string | null;
  title: string;
  status: WorkOrderStatus;
  priority: number;
  scheduledFor: string;
  crewId: string | null;
  crewName: string | null;
  location: { lon: number; lat: number };
  estimatedVolumeM3: number;
  removedVolumeM3: number | null;
  completionNote: string | null;
  cancelReason: string | null;
  followUpOf: string | null;
  startedAt: Date | null;
  completedAt: Date | null;
  createdAt: Date;
  reports: { id: string; status: string; size: string; category: string; lon: number; lat: number; reopenCount: number }[];
}

export interface WorkOrderFilter {
  cityIds: string[] | null;
  date?: string;
  crewId?: string;
  status?: WorkOrderStatus;
  limit: number;
}

const ORDER_COLUMNS = `
  w.id, w.city_id AS "cityId", w.hotspot_id AS "hotspotId", w.title, w.status, w.priority,
  to_char(w.scheduled_for, 'YYYY-MM-DD') AS "scheduledFor", w.crew_id AS "crewId", c.name AS "crewName",
  json_build_object('lon', ST_X(w.location), 'lat', ST_Y(w.location)) AS location,
  w.estimated_volume_m3::float8 AS "estimatedVolumeM3", w.removed_volume_m3::float8 AS "removedVolumeM3",
  w.completion_note AS "completionNote", w.cancel_reason AS "cancelReason", w.follow_up_of AS "followUpOf",
  w.started_at AS "startedAt", w.completed_at AS "completedAt", w.created_at AS "createdAt",
  COALESCE((SELECT json_agg(json_build_object('id', r.id, 'status', r.status, 'size', r.size, 'category', r.category_code,
                                              'lon', ST_X(r.location), 'lat', ST_Y(r.location), 'reopenCount', r.reopen_count) ORDER BY r.created_at)
              FROM work_order_reports x JOIN reports r ON r.id = x.report_id WHERE x.work_order_id = w.id), '[]') AS reports`;

@Injectable()
export class WorkOrdersRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** The chosen reports, locked so two dispatchers cannot put one report in two orders at once. */
  candidates(manager: EntityManager, ids: string[]): Promise<CandidateReport[]> {
    return manager.query(
      `SELECT r.id, r.city_id AS "cityId", r.district_id AS "districtId", r.status, r.size, c.hazardous,
              extract(epoch FROM now() - r.created_at) / 3600 AS "ageHours"
         FROM reports r JOIN categories c ON c.code = r.category_code
        WHERE r.id = ANY($1::uuid[]) ORDER BY r.id FOR UPDATE OF r`,
      [ids],
    );
  }

  /** Open work orders already holding any of these reports. */
  activeOrders(manager: EntityManager, reportIds: string[], except: string | null = null): Promise<{ reportId: string; workOrderId: string }[]> {
    return manager.query(
      `SELECT x.report_id AS "reportId", w.id AS "workOrderId" FROM work_order_reports x JOIN work_orders w ON w.id = x.work_order_id
        WHERE x.report_id = ANY($1::uuid[]) AND w.status IN ('planned', 'in_progress') AND ($2::uuid IS NULL OR w.id <> $2)`,
      [reportIds, except],
    );
  }

  async insert(
    manager: EntityManager,
    o: { cityId: string; hotspotId: string | null; title: string; priority: number; scheduledFor: string; crewId: string | null; reportIds: string[]; estimatedVolume: number; createdBy: string | null; followUpOf?: string | null; followUpKey?: string | null },
  ): Promise<string | null> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO work_orders (city_id, hotspot_id, title, priority, scheduled_for, crew_id, location, estimated_volume_m3, created_by, follow_up_of, follow_up_key)
       SELECT $1, $2, $3, $4, $5, $6, ST_Centroid(ST_Collect(r.location)), $8, $9, $10, $11 FROM reports r WHERE r.id = ANY($7::uuid[])
       ON CONFLICT (follow_up_key) DO NOTHING RETURNING id`,
      [o.cityId, o.hotspotId, o.title, o.priority, o.scheduledFor, o.crewId, o.reportIds, o.estimatedVolume, o.createdBy, o.followUpOf ?? null, o.followUpKey ?? null],
    );
    if (!rows[0]) return null;
    await manager.query(`INSERT INTO work_order_reports (work_order_id, report_id) SELECT $1, unnest($2::uuid[])`, [rows[0].id, o.reportIds]);
    return rows[0].id;
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<WorkOrderRow | null> {
    const rows: WorkOrderRow[] = await manager.query(
      `SELECT ${ORDER_COLUMNS} FROM work_orders w LEFT JOIN crews c ON c.id = w.crew_id WHERE w.id = $1 ${lock ? 'FOR UPDATE OF w' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  list(f: WorkOrderFilter): Promise<WorkOrderRow[]> {
    return this.dataSource.query(
      `SELECT ${ORDER_COLUMNS} FROM work_orders w LEFT JOIN crews c ON c.id = w.crew_id
        WHERE ($1::uuid[] IS NULL OR w.city_id = ANY($1)) AND ($2::date IS NULL OR w.scheduled_for = $2)
          AND ($3::uuid IS NULL OR w.crew_id = $3) AND ($4::text IS NULL OR w.status = $4)
        ORDER BY w.priority DESC, w.scheduled_for, w.created_at LIMIT $5`,
      [f.cityIds, f.date ?? null, f.crewId ?? null, f.status ?? null, f.limit],
    );
  }

  async update(manager: EntityManager, id: string, set: Record<string, unknown>): Promise<void> {
    const columns = Object.keys(set);
    await manager.query(`UPDATE work_orders SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`, [
      id,
      ...columns.map((c) => set[c]),
    ]);
  }

  async insertHistory(manager: EntityManager, id: string, e: { event: string; from: string | null; to: string | null; actorId: string | null; actorRole: string; note?: string | null }): Promise<void> {
    await manager.query(
      `INSERT INTO work_order_history (work_order_id, event, from_status, to_status, actor_id, actor_role, note) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, e.event, e.from, e.to, e.actorId, e.actorRole, e.note ?? null],
    );
  }

  history(id: string): Promise<{ event: string; from: string | null; to: string | null; actorRole: string; note: string | null; at: Date }[]> {
    return this.dataSource.query(
      `SELECT event, from_status AS "from", to_status AS "to", actor_role AS "actorRole", note, at FROM work_order_history WHERE work_order_id = $1 ORDER BY at, id`,
      [id],
    );
  }

  /** The most recent finished work order that held this report: the one a low rating re-opens. */
  async lastDoneOrderOf(manager: EntityManager, reportId: string): Promise<{ id: string; cityId: string; crewId: string | null; hotspotId: string | null; title: string } | null> {
    const rows = await manager.query(
      `SELECT w.id, w.city_id AS "cityId", w.crew_id AS "crewId", w.hotspot_id AS "hotspotId", w.title
         FROM work_order_reports x JOIN work_orders w ON w.id = x.work_order_id
        WHERE x.report_id = $1 AND w.status = 'done' ORDER BY w.completed_at DESC LIMIT 1`,
      [reportId],
    );
    return rows[0] ?? null;
  }

  /** Reports a dispatcher must act on now: new ones to register, and ones a low rating sent back that no open order holds. */
  queueReports(cityId: string, limit: number): Promise<{ kind: 'to_register' | 'reopened'; id: string; category: string; size: string; status: string; reopenCount: number; escalated: boolean; createdAt: Date; lon: number; lat: number }[]> {
    return this.dataSource.query(
      `SELECT * FROM (
         (SELECT 'to_register' AS kind, r.id, r.category_code AS category, r.size, r.status, r.reopen_count AS "reopenCount",
                 r.escalated_at IS NOT NULL AS escalated, r.created_at AS "createdAt", ST_X(r.location) AS lon, ST_Y(r.location) AS lat
            FROM reports r WHERE r.city_id = $1 AND r.status = 'submitted' ORDER BY r.created_at LIMIT $2)
         UNION ALL
         (SELECT 'reopened', r.id, r.category_code, r.size, r.status, r.reopen_count, r.escalated_at IS NOT NULL, r.created_at, ST_X(r.location), ST_Y(r.location)
            FROM reports r WHERE r.city_id = $1 AND r.status = 'registered' AND r.reopen_count > 0
             AND NOT EXISTS (SELECT 1 FROM work_order_reports x JOIN work_orders w ON w.id = x.work_order_id
                              WHERE x.report_id = r.id AND w.status IN ('planned', 'in_progress'))
           ORDER BY r.reopen_count DESC, r.created_at LIMIT $2)
       ) q`,
      [cityId, limit],
    );
  }
}
