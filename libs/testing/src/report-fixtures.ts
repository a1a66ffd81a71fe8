import type { DataSource } from 'typeorm';

export interface LonLat {
  lon: number;
  lat: number;
}

const EARTH_M_PER_DEG_LAT = 111_320;

/** The point `east` metres east and `north` metres north of `origin` (good to a few cm at city scale). */
export function offset(origin: LonLat, east: number, north: number): LonLat {
  return {
    lon: origin.lon + east / (EARTH_M_PER_DEG_LAT * Math.cos((origin.lat * Math.PI) / 180)),
    lat: origin.lat + north / EARTH_M_PER_DEG_LAT,
  };
}

/**
 * `n` points spread evenly (a sunflower spiral, deterministic) within `radius` metres of `centre`: a
 * dense cluster when the radius is well under eps.
 */
export function blob(centre: LonLat, n: number, radius: number): LonLat[] {
  const golden = Math.PI * (3 - Math.sqrt(5));
  return Array.from({ length: n }, (_, i) => {
    const r = radius * Math.sqrt((i + 0.5) / n);
    return offset(centre, r * Math.cos(i * golden), r * Math.sin(i * golden));
  });
}

/** `n` points in a row eastwards from `start`, `step` metres apart. */
export function row(start: LonLat, n: number, step: number): LonLat[] {
  return Array.from({ length: n }, (_, i) => offset(start, i * step, 0));
}

/** Isolated points on a ring of `radius` metres, each `n`-th of a turn apart: noise when far apart. */
export function scatter(centre: LonLat, n: number, radius: number): LonLat[] {
  return Array.from({ length: n }, (_, i) => offset(centre, radius * Math.cos((2 * Math.PI * i) / n), radius * Math.sin((2 * Math.PI * i) / n)));
}

export interface ReportFixture {
  category?: string;
  size?: 'bag' | 'wheelbarrow' | 'car' | 'truck';
  status?: 'submitted' | 'registered' | 'in_progress' | 'resolved' | 'closed' | 'rejected' | 'duplicate';
  source?: 'web' | 'open311' | 'telegram' | 'cctv';
  confirmations?: number;
  /** How long ago it arrived. */
  ageDays?: number;
}

/**
 * Stores reports at these points as the intake would (city and district from the district polygon that
 * holds the point, outskirts from the city's core), without the merge-nearby rule, so a test gets exactly
 * the layout it drew. Returns the ids in point order.
 */
export async function givenReports(ds: DataSource, points: LonLat[], f: ReportFixture = {}): Promise<string[]> {
  const rows: { id: string }[] = await ds.query(
    `INSERT INTO reports (city_id, district_id, category_code, size, location, outskirts, status, source, confirmations, created_at, updated_at)
     SELECT d.city_id, d.id, $3, $4, p.g, NOT ST_Intersects(c.core, p.g), $5::report_status, $6, $7, now() - make_interval(secs => $8 * 86400), now()
       FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(lon, lat, n)
       CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(u.lon, u.lat), 4326) AS g) p
       JOIN LATERAL (SELECT id, city_id FROM districts WHERE ST_Intersects(area, p.g) ORDER BY id LIMIT 1) d ON true
       JOIN cities c ON c.id = d.city_id
      ORDER BY u.n
     RETURNING id`,
    [points.map((p) => p.lon), points.map((p) => p.lat), f.category ?? 'household', f.size ?? 'car', f.status ?? 'submitted', f.source ?? 'web', f.confirmations ?? 0, f.ageDays ?? 0],
  );
  if (rows.length !== points.length) throw new Error(`givenReports: ${points.length - rows.length} point(s) lie outside every district`);
  return rows.map((r) => r.id);
}
