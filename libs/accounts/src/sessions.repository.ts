import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf } from '../../core/src/index.js';
import type { Role } from './principal.js';

export interface ActiveSession {
  userId: string;
  sessionId: string;
  role: Role;
  cityId: string | null;
  districtIds: string[];
}

export interface RefreshLookup {
  tokenId: string;
  sessionId: string;
  userId: string;
  usedAt: Date | null;
  sessionRevoked: boolean;
  sessionExpired: boolean;
  userDisabled: boolean;
}

/** Sessions (refresh-token families) and their rotating refresh tokens; tokens are stored hashed. */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async create(manager: EntityManager, userId: string, ttlDays: number, userAgent: string | null, ip: string | null): Promise<string> {
    const [row]: { id: string }[] = await manager.query(
      `INSERT INTO sessions (user_id, expires_at, user_agent, ip) VALUES ($1, now() + make_interval(days => $2), left($3, 300), $4::inet) RETURNING id`,
      [userId, ttlDays, userAgent, ip],
    );
    return row.id;
  }

  async addToken(manager: EntityManager, sessionId: string, tokenHash: Buffer): Promise<void> {
    await manager.query(`INSERT INTO refresh_tokens (session_id, token_hash) VALUES ($1, $2)`, [sessionId, tokenHash]);
  }

  async lookupToken(tokenHash: Buffer): Promise<RefreshLookup | null> {
    const rows: RefreshLookup[] = await this.dataSource.query(
      `SELECT t.id AS "tokenId", s.id AS "sessionId", s.user_id AS "userId", t.used_at AS "usedAt",
              s.revoked_at IS NOT NULL AS "sessionRevoked", s.expires_at < now() AS "sessionExpired",
              u.disabled_at IS NOT NULL AS "userDisabled"
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
        WHERE t.token_hash = $1`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  /** Marks a token used; false when another request used it first (then it is a reuse). */
  async markUsed(manager: EntityManager, tokenId: string): Promise<boolean> {
    const result = await manager.query(`UPDATE refresh_tokens SET used_at = now() WHERE id = $1 AND used_at IS NULL RETURNING id`, [tokenId]);
    await manager.query(`UPDATE sessions SET last_used_at = now() WHERE id = (SELECT session_id FROM refresh_tokens WHERE id = $1)`, [tokenId]);
    return rowsOf(result).length === 1;
  }

  async revoke(sessionId: string, reason: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(`UPDATE sessions SET revoked_at = now(), revoke_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [sessionId, reason]);
  }

  async revokeAllOfUser(manager: EntityManager, userId: string, reason: string): Promise<number> {
    const result = await manager.query(
      `UPDATE sessions SET revoked_at = now(), revoke_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
      [userId, reason],
    );
    return rowsOf(result).length;
  }

  async createReset(manager: EntityManager, userId: string, tokenHash: Buffer, minutes: number): Promise<void> {
    await manager.query(
      `INSERT INTO password_resets (user_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(mins => $3))`,
      [userId, tokenHash, minutes],
    );
  }

  /** Uses a reset token once; returns its user, or null when unknown, used or expired. */
  async useReset(manager: EntityManager, tokenHash: Buffer): Promise<string | null> {
    const result = await manager.query(
      `UPDATE password_resets SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id AS "userId"`,
      [tokenHash],
    );
    return rowsOf<{ userId: string }>(result)[0]?.userId ?? null;
  }

  /** The live principal behind an access token: null when the session ended or the account is disabled. */
  async active(sessionId: string, userId: string): Promise<ActiveSession | null> {
    const rows: ActiveSession[] = await this.dataSource.query(
      `SELECT u.id AS "userId", s.id AS "sessionId", u.role, u.city_id AS "cityId", u.district_ids AS "districtIds"
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = $1 AND u.id = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.disabled_at IS NULL`,
      [sessionId, userId],
    );
    return rows[0] ?? null;
  }
}
