import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface SlaFlagRow {
  objectType: 'report' | 'work_order';
  objectId: string;
  kind: 'register' | 'resolve' | 'complete';
  dueAt: Date;
  flaggedAt: Date;
  summary: string;
  escalated: boolean;
}

/** Report targets: the city's row for the category, else the city's catch-all row, else the defaults given. */
const REPORT_TARGETS = `
  SELECT r.id, r.city_id, r.status, r.created_at,
         r.created_at + make_interval(hours => COALESCE(sc.register_hours, sd.register_hours, $2)) AS register_due,
         r.created_at + make_interval(hours => COALESCE(sc.resolve_hours, sd.resolve_hours, ($3::jsonb ->> r.category_code)::int, $4)) AS resolve_due
    FROM reports r
    LEFT JOIN sla_targets sc ON sc.city_id = r.city_id AND sc.category_code = r.category_code
    LEFT JOIN sla_targets sd ON sd.city_id = r.city_id AND sd.category_code IS NULL
   WHERE r.status IN ('submitted', 'registered', 'in_progress')`;

@Injectable()
export class SlaRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Raises a flag for every report or work order past its target at `now` and clears the flags of those
   * no longer pending. A flag is raised once; one that was cleared is raised again if it falls due again
   * (a report sent back by a low rating). Returns how many flags were raised.
   */
  async scan(now: Date, defaults: { registerHours: number; resolveHours: number; resolveHoursByCategory: Record<string, number> }, cityId: string | null): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const raised: { n: number }[] = await m.query(
        `WITH targets AS (${REPORT_TARGETS} AND ($5::uuid IS NULL OR r.city_id = $5)),
              due AS (
                SELECT city_id, 'report' AS object_type, id AS object_id, 'register' AS kind, register_due AS due_at
                  FROM targets WHERE status = 'submitted' AND register_due < $1
                UNION ALL
                SELECT city_id, 'report', id, 'resolve', resolve_due FROM targets WHERE resolve_due < $1
                UNION ALL
                SELECT w.city_id, 'work_order', w.id, 'complete', ((w.scheduled_for + 1)::timestamp AT TIME ZONE ci.timezone)
                  FROM work_orders w JOIN cities ci ON ci.id = w.city_id
                 WHERE w.status IN ('planned', 'in_progress') AND ((w.scheduled_for + 1)::timestamp AT TIME ZONE ci.timezone) < $1
                   AND ($5::uuid IS NULL OR w.city_id = $5)),
              ins AS (
                INSERT INTO sla_flags (city_id, object_type, object_id, kind, due_at, flagged_at)
                SELECT city_id, object_type, object_id, kind, due_at, $1 FROM due
                ON CONFLICT (object_type, object_id, kind) DO UPDATE SET cleared_at = NULL, due_at = EXCLUDED.due_at, flagged_at = EXCLUDED.flagged_at
                 WHERE sla_flags.cleared_at IS NOT NULL
                RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [now, defaults.registerHours, JSON.stringify(defaults.resolveHoursByCategory), defaults.resolveHours, cityId],
      );
      await m.query(
        `UPDATE sla_flags f SET cleared_at = $1
          WHERE f.cleared_at IS NULL AND ($2::uuid IS NULL OR f.city_id = $2) AND NOT CASE
            WHEN f.object_type = 'report' AND f.kind = 'register' THEN EXISTS (SELECT 1 FROM reports r WHERE r.id = f.object_id AND r.status = 'submitted')
            WHEN f.object_type = 'report' THEN EXISTS (SELECT 1 FROM reports r WHERE r.id = f.object_id AND r.status IN ('submitted', 'registered', 'in_progress'))
            ELSE EXISTS (SELECT 1 FROM work_orders w WHERE w.id = f.object_id AND w.status IN ('planned', 'in_progress'))
          END`,
        [now, cityId],
      );
      return raised[0].n;
    });
  }

  /** Open flags of a city, oldest due first, each with a line saying what it is. */
  open(cityId: string, limit: number): Promise<SlaFlagRow[]> {
    return this.dataSource.query(
      `SELECT f.object_type AS "objectType", f.object_id AS "objectId", f.kind, f.due_at AS "dueAt", f.flagged_at AS "flaggedAt",
              COALESCE(w.title, r.category_code || ' (' || r.size || ')') AS summary, COALESCE(r.escalated_at IS NOT NULL, false) AS escalated
         FROM sla_flags f
         LEFT JOIN reports r ON f.object_type = 'report' AND r.id = f.object_id
         LEFT JOIN work_orders w ON f.object_type = 'work_order' AND w.id = f.object_id
        WHERE f.city_id = $1 AND f.cleared_at IS NULL ORDER BY f.due_at LIMIT $2`,
      [cityId, limit],
    );
  }
}
