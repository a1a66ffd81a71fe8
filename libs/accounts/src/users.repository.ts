import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf } from '../../core/src/index.js';
import type { Role } from './principal.js';

export interface UserRow {
  id: string;
  email: string | null;
  phone: string | null;
  displayName: string | null;
  passwordHash: string;
  role: Role;
  cityId: string | null;
  districtIds: string[];
  disabledAt: Date | null;
  createdAt: Date;
}

export interface NewUser {
  email: string | null;
  phone: string | null;
  displayName: string | null;
  passwordHash: string;
  role: Role;
  cityId: string | null;
  districtIds: string[];
  createdBy: string | null;
}

const COLUMNS = `id, email, phone, display_name AS "displayName", password_hash AS "passwordHash", role,
  city_id AS "cityId", district_ids AS "districtIds", disabled_at AS "disabledAt", created_at AS "createdAt"`;

/** All SQL about user accounts. */
@Injectable()
export class UsersRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async findByLogin(kind: 'email' | 'phone', value: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM users WHERE ${kind === 'email' ? 'email' : 'phone'} = $1`, [value]);
    return rows[0] ?? null;
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<UserRow | null> {
    const rows: UserRow[] = await manager.query(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Inserts a user; returns null when the email or phone is taken (and which). */
  async insert(manager: EntityManager, user: NewUser): Promise<{ user: UserRow } | { taken: 'email' | 'phone' }> {
    const rows: UserRow[] = await manager.query(
      `INSERT INTO users (email, phone, display_name, password_hash, role, city_id, district_ids, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [user.email, user.phone, user.displayName, user.passwordHash, user.role, user.cityId, user.districtIds, user.createdBy],
    );
    if (rows[0]) return { user: rows[0] };
    const [clash]: { email: boolean }[] = await manager.query(`SELECT (email = $1) AS email FROM users WHERE email = $1 OR phone = $2 LIMIT 1`, [user.email, user.phone]);
    return { taken: clash?.email ? 'email' : 'phone' };
  }

  async setPassword(manager: EntityManager, id: string, passwordHash: string): Promise<void> {
    await manager.query(`UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1`, [id, passwordHash]);
  }

  async setDisabled(manager: EntityManager, id: string, disabled: boolean): Promise<UserRow | null> {
    const result = await manager.query(
      `UPDATE users SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) ELSE NULL END, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, disabled],
    );
    return rowsOf<UserRow>(result)[0] ?? null;
  }

  async list(filter: { role?: Role; cityId?: string; limit: number; offset: number }): Promise<UserRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM users
        WHERE ($1::user_role IS NULL OR role = $1) AND ($2::uuid IS NULL OR city_id = $2)
        ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
      [filter.role ?? null, filter.cityId ?? null, filter.limit, filter.offset],
    );
  }

  async districtsOfCity(cityId: string, districtIds: string[]): Promise<number> {
    const [{ n }]: { n: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM districts WHERE city_id = $1 AND id = ANY($2::uuid[])`,
      [cityId, districtIds],
    );
    return n;
  }

  async cityExists(cityId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM cities WHERE id = $1`, [cityId]);
    return rows.length > 0;
  }

  async cityIdBySlug(slug: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM cities WHERE slug = $1`, [slug]);
    return rows[0]?.id ?? null;
  }
}
