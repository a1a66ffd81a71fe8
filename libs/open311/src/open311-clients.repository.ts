import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf } from '../../core/src/index.js';

export interface Open311ClientRow {
  id: string;
  name: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const COLUMNS = `id, name, created_by AS "createdBy", created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`;

/** All SQL about Open311 clients and their API keys (stored as SHA-256, never in clear). */
@Injectable()
export class Open311ClientsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, c: { name: string; keyHash: Buffer; createdBy: string | null }): Promise<Open311ClientRow> {
    const [row]: Open311ClientRow[] = await manager.query(
      `INSERT INTO open311_clients (name, api_key_hash, created_by) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
      [c.name, c.keyHash, c.createdBy],
    );
    return row;
  }

  /** Inserts a client with a fixed key unless that key exists already (demo data). */
  async insertIfMissing(c: { name: string; keyHash: Buffer }): Promise<boolean> {
    const result = await this.dataSource.query(
      `INSERT INTO open311_clients (name, api_key_hash) VALUES ($1, $2) ON CONFLICT (api_key_hash) DO NOTHING RETURNING id`,
      [c.name, c.keyHash],
    );
    return rowsOf(result).length === 1;
  }

  async list(): Promise<Open311ClientRow[]> {
    return this.dataSource.query(`SELECT ${COLUMNS} FROM open311_clients ORDER BY created_at DESC, id`);
  }

  async get(manager: EntityManager, id: string): Promise<Open311ClientRow | null> {
    const rows: Open311ClientRow[] = await manager.query(`SELECT ${COLUMNS} FROM open311_clients WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  async revoke(manager: EntityManager, id: string): Promise<Open311ClientRow> {
    const [row]: Open311ClientRow[] = rowsOf(
      await manager.query(`UPDATE open311_clients SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`, [id]),
    );
    return row;
  }

  /** The live client holding this key, marked as used now; null for an unknown or revoked key. */
  async useKey(keyHash: Buffer): Promise<string | null> {
    const rows = rowsOf<{ id: string }>(
      await this.dataSource.query(`UPDATE open311_clients SET last_used_at = now() WHERE api_key_hash = $1 AND revoked_at IS NULL RETURNING id`, [keyHash]),
    );
    return rows[0]?.id ?? null;
  }
}
