import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OPEN_STATUSES } from './report-lifecycle.js';

export interface DistrictFigures {
  districtId: string;
  cityId: string;
  name: { kk: string; ru: string; en: string };
  reports: number;
  open: number;
  medianHoursToRegister: number | null;
  medianHoursToResolve: number | null;
  /** Of the reports that were resolved at least once, the share a resident sent back. */
  reopenedShare: number | null;
  averageRating: number | null;
}

/** How each akimat answers its residents, from the reports and their history. */
@Injectable()
export class ReportStatsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async byDistrict(cityIds: string[] | null, from?: Date, to?: Date): Promise<DistrictFigures[]> {
    return this.dataSource.query(
      `WITH firsts AS (
         SELECT h.report_id,
                min(h.at) FILTER (WHERE h.event = 'status' AND h.to_status = 'registered') AS registered,
                min(h.at) FILTER (WHERE h.event = 'status' AND h.to_status = 'resolved') AS resolved
           FROM report_history h GROUP BY h.report_id),
       r AS (
         SELECT r.*, f.registered, f.resolved FROM reports r LEFT JOIN firsts f ON f.report_id = r.id
          WHERE ($2::timestamptz IS NULL OR r.created_at >= $2) AND ($3::timestamptz IS NULL OR r.created_at < $3))
       SELECT d.id AS "districtId", d.city_id AS "cityId",
              json_build_object('kk', d.name_kk, 'ru', d.name_ru, 'en', d.name_en) AS name,
              count(r.id)::int AS reports,
              (count(r.id) FILTER (WHERE r.status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})))::int AS open,
              round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.registered - r.created_at) / 3600))::numeric, 2)::float8 AS "medianHoursToRegister",
              round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.resolved - r.created_at) / 3600))::numeric, 2)::float8 AS "medianHoursToResolve",
              round(avg(CASE WHEN r.reopen_count > 0 THEN 1.0 ELSE 0.0 END) FILTER (WHERE r.resolved IS NOT NULL), 3)::float8 AS "reopenedShare",
              round(avg(r.rating), 2)::float8 AS "averageRating"
         FROM districts d LEFT JOIN r ON r.district_id = d.id
        WHERE ($1::uuid[] IS NULL OR d.city_id = ANY($1::uuid[]))
        GROUP BY d.id ORDER BY d.city_id, d.name_en`,
      [cityIds, from ?? null, to ?? null],
    );
  }
}
