import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface AuditEntry {
  actorId: string | null;
  actorRole: string;
  action: string;
  objectType: string;
  objectId: string | null;
  cityId: string | null;
  before: unknown;
  after: unknown;
  requestId?: string | null;
}

export interface AuditRow extends AuditEntry {
  id: string;
  at: Date;
}

/** The audit trail of staff actions: written in the same transaction as the action. */
@Injectable()
export class AuditRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async write(manager: EntityManager, e: AuditEntry): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (actor_id, actor_role, action, object_type, object_id, city_id, before, after, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)`,
      [e.actorId, e.actorRole, e.action, e.objectType, e.objectId, e.cityId, JSON.stringify(e.before ?? null), JSON.stringify(e.after ?? null), e.requestId ?? null],
    );
  }

  async list(filter: { cityIds: string[] | null; objectType?: string; objectId?: string; limit: number; beforeId?: string }): Promise<AuditRow[]> {
    return this.dataSource.query(
      `SELECT id::text AS id, at, actor_id AS "actorId", actor_role AS "actorRole", action, object_type AS "objectType",
              object_id AS "objectId", city_id AS "cityId", before, after, request_id AS "requestId"
         FROM audit_log a
        WHERE ($1::uuid[] IS NULL OR city_id = ANY($1::uuid[]))
          AND ($2::text IS NULL OR object_type = $2) AND ($3::text IS NULL OR object_id = $3)
          AND ($5::bigint IS NULL OR a.id < $5::bigint)
        ORDER BY a.id DESC LIMIT $4`,
      [filter.cityIds, filter.objectType ?? null, filter.objectId ?? null, filter.limit, filter.beforeId ?? null],
    );
  }
}
