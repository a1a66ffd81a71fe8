import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface CrewInput {
  name: string;
  capacityM3: number;
  depot: { lon: number; lat: number };
  shiftStart: string;
  shiftEnd: string;
  active: boolean;
}

export interface CrewRow extends CrewInput {
  id: string;
  cityId: string;
  members: { id: string; email: string | null; displayName: string | null }[];
}

const CREW_COLUMNS = `
  c.id, c.city_id AS "cityId", c.name, c.capacity_m3::float8 AS "capacityM3",
  json_build_object('lon', ST_X(c.depot), 'lat', ST_Y(c.depot)) AS depot,
  to_char(c.shift_start, 'HH24:MI') AS "shiftStart", to_char(c.shift_end, 'HH24:MI') AS "shiftEnd", c.active,
  COALESCE((SELECT json_agg(json_build_object('id', u.id, 'email', u.email, 'displayName', u.display_name) ORDER BY u.email)
              FROM users u WHERE u.crew_id = c.id AND u.disabled_at IS NULL), '[]') AS members`;

@Injectable()
export class CrewsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  list(cityIds: string[] | null, activeOnly: boolean): Promise<CrewRow[]> {
    return this.dataSource.query(
      `SELECT ${CREW_COLUMNS} FROM crews c WHERE ($1::uuid[] IS NULL OR c.city_id = ANY($1)) AND (NOT $2 OR c.active) ORDER BY c.name`,
      [cityIds, activeOnly],
    );
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<CrewRow | null> {
    const rows: CrewRow[] = await manager.query(`SELECT ${CREW_COLUMNS} FROM crews c WHERE c.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async insert(cityId: string, c: CrewInput): Promise<string> {
    const rows: { id: string }[] = await this.dataSource.query(
      `INSERT INTO crews (city_id, name, capacity_m3, depot, shift_start, shift_end, active)
       VALUES ($1, $2, $3, ST_SetSRID(ST_MakePoint($4, $5), 4326), $6, $7, $8)
       ON CONFLICT (city_id, name) DO NOTHING RETURNING id`,
      [cityId, c.name, c.capacityM3, c.depot.lon, c.depot.lat, c.shiftStart, c.shiftEnd, c.active],
    );
    return rows[0]?.id ?? '';
  }

  async update(id: string, c: CrewInput): Promise<boolean> {
    const rows = await this.dataSource.query(
      `UPDATE crews SET name = $2, capacity_m3 = $3, depot = ST_SetSRID(ST_MakePoint($4, $5), 4326), shift_start = $6, shift_end = $7,
              active = $8, updated_at = now()
        WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM crews o WHERE o.city_id = crews.city_id AND o.name = $2 AND o.id <> $1)
       RETURNING id`,
      [id, c.name, c.capacityM3, c.depot.lon, c.depot.lat, c.shiftStart, c.shiftEnd, c.active],
    );
    return rows.length > 0;
  }

  /** Links a crew account (role crew, same city) to the crew; false when the user is not such an account. */
  async linkMember(crewId: string, cityId: string, userId: string): Promise<boolean> {
    const rows = await this.dataSource.query(
      `UPDATE users SET crew_id = $1, updated_at = now() WHERE id = $3 AND role = 'crew' AND city_id = $2 RETURNING id`,
      [crewId, cityId, userId],
    );
    return rows.length > 0;
  }

  async crewOfUser(userId: string): Promise<string | null> {
    const rows: { crewId: string | null }[] = await this.dataSource.query(`SELECT crew_id AS "crewId" FROM users WHERE id = $1`, [userId]);
    return rows[0]?.crewId ?? null;
  }

  async cityIdBySlug(slug: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM cities WHERE slug = $1`, [slug]);
    return rows[0]?.id ?? null;
  }

  /** The user behind a demo crew account, by email. */
  async userIdByEmail(email: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM users WHERE email = $1`, [email]);
    return rows[0]?.id ?? null;
  }
}
