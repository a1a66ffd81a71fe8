import type { Geometry } from '../../core/src/index.js';
import { reportFeature, type ReportRow } from '../../reports/src/index.js';

export interface OgcFeature {
  type: 'Feature';
  id: string;
  geometry: Geometry | { type: 'Point'; coordinates: number[] };
  properties: Record<string, unknown>;
}

/**
 * One collection served at /ogc/collections/{id}: where its rows live and how a row becomes a public
 * feature. The SQL fragments are constants written here (never client input); the main table's alias
 * is `t`. Adding a collection (hotspots, landfills) is one more entry in OGC_COLLECTIONS.
 */
export interface OgcCollectionSource {
  id: string;
  title: string;
  description: string;
  /** FROM clause, main table aliased `t`. */
  from: string;
  /** The 4326 geometry expression (GiST-indexed column). */
  geometry: string;
  /** The unique, orderable key: feature id, paging order and the export's keyset. */
  key: string;
  /** What a valid key looks like: anything else is a 404 without asking the database. */
  idPattern: RegExp;
  /** The column `datetime` filters on and the temporal extent reads; without it `datetime` is checked but ignored. */
  temporal?: string;
  /** The select list: public columns only, since whatever is selected may be shown. */
  columns: string;
  toFeature(row: Record<string, unknown>): OgcFeature;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Exactly the columns reportFeature reads (its public fields): contact, reporter, IP, EXIF flag and rating comment are never selected. */
const REPORT_PUBLIC_COLUMNS = `
  t.id, t.status, t.category_code AS "categoryCode",
  json_build_object('kk', c.name_kk, 'ru', c.name_ru, 'en', c.name_en) AS "categoryName",
  t.size, t.waste_types AS "wasteTypes", t.description, t.city_id AS "cityId", t.district_id AS "districtId",
  t.outskirts, t.confirmations, t.created_at AS "createdAt", t.resolved_at AS "resolvedAt",
  ST_X(t.location) AS lon, ST_Y(t.location) AS lat`;

export const OGC_COLLECTIONS: readonly OgcCollectionSource[] = [
  {
    id: 'reports',
    title: 'Illegal dump reports',
    description: 'Dumps reported by residents, Open311 clients and CCTV analytics; public fields only. Filter by `datetime` on the time the report was received.',
    from: 'reports t JOIN categories c ON c.code = t.category_code',
    geometry: 't.location',
    key: 't.id',
    idPattern: UUID,
    temporal: 't.created_at',
    columns: REPORT_PUBLIC_COLUMNS,
    toFeature: (row) => reportFeature(row as unknown as ReportRow),
  },
  {
    id: 'districts',
    title: 'Districts (akimat service areas)',
    description: 'The district akimats that answer residents\' reports, with names in Kazakh, Russian and English.',
    from: 'districts t',
    geometry: 't.area',
    key: 't.id',
    idPattern: UUID,
    columns: `t.id, t.city_id AS "cityId", t.slug, t.name_kk AS "nameKk", t.name_ru AS "nameRu", t.name_en AS "nameEn",
              ST_AsGeoJSON(t.area, 6)::json AS geometry`,
    toFeature: (row) => ({
      type: 'Feature',
      id: String(row.id),
      geometry: row.geometry as Geometry,
      properties: { id: row.id, cityId: row.cityId, slug: row.slug, nameKk: row.nameKk, nameRu: row.nameRu, nameEn: row.nameEn },
    }),
  },
  {
    id: 'landfills',
    title: 'Landfills',
    description: 'Landfill sites: name, status and fill level (percent of the design capacity, from the latest daily forecast).',
    from: `landfills t LEFT JOIN LATERAL (SELECT f.fill_percent, f.computed_on FROM landfill_forecasts f WHERE f.landfill_id = t.id ORDER BY f.computed_on DESC LIMIT 1) lf ON true`,
    geometry: 't.area',
    key: 't.id',
    idPattern: UUID,
    columns: `t.id, t.name, t.status, round(lf.fill_percent, 1)::float8 AS "fillPercent", to_char(lf.computed_on, 'YYYY-MM-DD') AS "asOf",
              ST_AsGeoJSON(t.area, 6)::json AS geometry`,
    toFeature: (row) => ({
      type: 'Feature',
      id: String(row.id),
      geometry: row.geometry as Geometry,
      properties: { id: row.id, name: row.name, status: row.status, fillPercent: row.fillPercent ?? null, asOf: row.asOf ?? null },
    }),
  },
  {
    id: 'hotspots',
    title: 'Dumping hotspots',
    description: 'Places where dumping repeats, found by clustering open reports and CCTV incidents (hull polygons). Public fields only: status and counts. Filter by `datetime` on when dumping was last seen.',
    // Hotspots merged into another are kept for links but are not features any more.
    from: `(SELECT * FROM hotspots WHERE status <> 'merged') t`,
    geometry: 't.hull',
    key: 't.id',
    idPattern: UUID,
    temporal: 't.last_seen_at',
    columns: `t.id, t.city_id AS "cityId", t.status, t.report_count AS "reportCount", t.incident_count AS "incidentCount",
              t.confirmation_count AS "confirmationCount", ST_AsGeoJSON(t.hull, 6)::json AS geometry`,
    toFeature: (row) => ({
      type: 'Feature',
      id: String(row.id),
      geometry: row.geometry as Geometry,
      properties: { id: row.id, cityId: row.cityId, status: row.status, reportCount: row.reportCount, incidentCount: row.incidentCount, confirmationCount: row.confirmationCount },
    }),
  },
];

export function ogcCollection(id: string): OgcCollectionSource | undefined {
  return OGC_COLLECTIONS.find((c) => c.id === id);
}
