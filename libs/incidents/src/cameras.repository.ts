import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf } from '../../core/src/index.js';

export type CameraStatus = 'active' | 'offline' | 'retired';

export interface CameraRow {
  id: string;
  cityId: string;
  name: string;
  lon: number;
  lat: number;
  bearingDeg: number;
  fovDeg: number;
  rangeM: number;
  view: { type: 'Polygon'; coordinates: number[][][] };
  status: CameraStatus;
  heartbeatIntervalS: number;
  lastHeartbeatAt: Date | null;
  offlineSince: Date | null;
  autoConfirmConfidence: number;
  reviewedCount: number;
  confirmedCount: number;
  activeKeys: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What an admin sets on a camera; the rest of a row is derived or kept by the system. */
export type CameraFields = Pick<CameraRow, 'name' | 'lon' | 'lat' | 'bearingDeg' | 'fovDeg' | 'rangeM' | 'heartbeatIntervalS' | 'autoConfirmConfidence'>;

export interface CameraKeyRow {
  id: string;
  keyId: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** What checking a signed request needs about its key and camera, in one read. */
export interface KeyForAuth {
  keyRowId: string;
  cameraId: string;
  cityId: string;
  cameraName: string;
  cameraStatus: CameraStatus;
  secretSealed: Buffer;
  revokedAt: Date | null;
  lon: number;
  lat: number;
  autoConfirmConfidence: number;
}

const CAMERA_COLUMNS = `
  c.id, c.city_id AS "cityId", c.name, ST_X(c.location) AS lon, ST_Y(c.location) AS lat,
  c.bearing_deg AS "bearingDeg", c.fov_deg AS "fovDeg", c.range_m AS "rangeM",
  ST_AsGeoJSON(c.view, 6)::json AS view, c.status, c.heartbeat_interval_s AS "heartbeatIntervalS",
  c.last_heartbeat_at AS "lastHeartbeatAt", c.offline_since AS "offlineSince",
  c.auto_confirm_confidence::float8 AS "autoConfirmConfidence",
  c.reviewed_count AS "reviewedCount", c.confirmed_count AS "confirmedCount",
  (SELECT count(*)::int FROM camera_keys k WHERE k.camera_id = c.id AND k.revoked_at IS NULL) AS "activeKeys",
  c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

/** Cameras, their signing keys and heartbeats: all SQL of the camera registry. */
@Injectable()
export class CamerasRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async insert(cityId: string, f: CameraFields, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO cameras (city_id, name, location, bearing_deg, fov_deg, range_m, heartbeat_interval_s, auto_confirm_confidence)
       VALUES ($1, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, $6, $7, $8, $9) RETURNING id`,
      [cityId, f.name, f.lon, f.lat, f.bearingDeg, f.fovDeg, f.rangeM, f.heartbeatIntervalS, f.autoConfirmConfidence],
    );
    return rows[0].id;
  }

  async update(id: string, f: Partial<CameraFields> & { status?: CameraStatus; cityId?: string }): Promise<boolean> {
    const sets: string[] = [];
    const values: unknown[] = [id];
    const set = (sql: string, v: unknown) => {
      values.push(v);
      sets.push(sql.replace('?', `$${values.length}`));
    };
    if (f.name !== undefined) set('name = ?', f.name);
    if (f.lon !== undefined && f.lat !== undefined) {
      values.push(f.lon, f.lat);
      sets.push(`location = ST_SetSRID(ST_MakePoint($${values.length - 1}, $${values.length}), 4326)`);
    }
    if (f.cityId !== undefined) set('city_id = ?', f.cityId);
    if (f.bearingDeg !== undefined) set('bearing_deg = ?', f.bearingDeg);
    if (f.fovDeg !== undefined) set('fov_deg = ?', f.fovDeg);
    if (f.rangeM !== undefined) set('range_m = ?', f.rangeM);
    if (f.heartbeatIntervalS !== undefined) set('heartbeat_interval_s = ?', f.heartbeatIntervalS);
    if (f.autoConfirmConfidence !== undefined) set('auto_confirm_confidence = ?', f.autoConfirmConfidence);
    if (f.status !== undefined) {
      set('status = ?', f.status);
      sets.push(`offline_since = CASE WHEN status <> 'offline' AND $${values.length} = 'offline' THEN now() WHEN $${values.length} <> 'offline' THEN NULL ELSE offline_since END`);
    }
    sets.push('updated_at = now()');
    const result = rowsOf(await this.dataSource.query(`UPDATE cameras SET ${sets.join(', ')} WHERE id = $1 RETURNING id`, values));
    return result.length > 0;
  }

  async get(id: string): Promise<CameraRow | null> {
    const rows: CameraRow[] = await this.dataSource.query(`SELECT ${CAMERA_COLUMNS} FROM cameras c WHERE c.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Cameras of some cities (null: all), offline first, then by name. */
  async list(cityIds: string[] | null, status?: CameraStatus): Promise<CameraRow[]> {
    return this.dataSource.query(
      `SELECT ${CAMERA_COLUMNS} FROM cameras c
        WHERE ($1::uuid[] IS NULL OR c.city_id = ANY($1)) AND ($2::text IS NULL OR c.status = $2)
        ORDER BY (c.status = 'offline') DESC, c.name, c.id`,
      [cityIds, status ?? null],
    );
  }

  async cityIdBySlug(slug: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM cities WHERE slug = $1`, [slug]);
    return rows[0]?.id ?? null;
  }

  async idByName(cityId: string, name: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(`SELECT id FROM cameras WHERE city_id = $1 AND name = $2`, [cityId, name]);
    return rows[0]?.id ?? null;
  }

  // ---- keys ------------------------------------------------------------------------------------

  /** Locks the camera row so two key creations cannot both see one active key and make three. */
  async lockCamera(manager: EntityManager, id: string): Promise<boolean> {
    const rows = await manager.query(`SELECT id FROM cameras WHERE id = $1 FOR UPDATE`, [id]);
    return rows.length > 0;
  }

  async activeKeyCount(manager: EntityManager, cameraId: string): Promise<number> {
    const rows: { n: number }[] = await manager.query(`SELECT count(*)::int AS n FROM camera_keys WHERE camera_id = $1 AND revoked_at IS NULL`, [cameraId]);
    return rows[0].n;
  }

  /** false when the key id is taken. */
  async insertKey(manager: EntityManager, cameraId: string, keyId: string, sealed: Buffer, createdBy: string | null): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO camera_keys (camera_id, key_id, secret_sealed, created_by) VALUES ($1, $2, $3, $4) ON CONFLICT (key_id) DO NOTHING RETURNING id`,
      [cameraId, keyId, sealed, createdBy],
    );
    return rows.length > 0;
  }

  async keys(cameraId: string): Promise<CameraKeyRow[]> {
    return this.dataSource.query(
      `SELECT id, key_id AS "keyId", created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
         FROM camera_keys WHERE camera_id = $1 ORDER BY revoked_at IS NOT NULL, created_at DESC`,
      [cameraId],
    );
  }

  /** Revokes a key of the camera; false when there is no such key. Revoking twice keeps the first time. */
  async revokeKey(cameraId: string, keyId: string): Promise<boolean> {
    const rows = rowsOf(
      await this.dataSource.query(
        `UPDATE camera_keys SET revoked_at = coalesce(revoked_at, now()) WHERE camera_id = $1 AND key_id = $2 RETURNING id`,
        [cameraId, keyId],
      ),
    );
    return rows.length > 0;
  }

  async keyForAuth(keyId: string): Promise<KeyForAuth | null> {
    const rows: KeyForAuth[] = await this.dataSource.query(
      `SELECT k.id AS "keyRowId", c.id AS "cameraId", c.city_id AS "cityId", c.name AS "cameraName", c.status AS "cameraStatus",
              k.secret_sealed AS "secretSealed", k.revoked_at AS "revokedAt", ST_X(c.location) AS lon, ST_Y(c.location) AS lat,
              c.auto_confirm_confidence::float8 AS "autoConfirmConfidence"
         FROM camera_keys k JOIN cameras c ON c.id = k.camera_id WHERE k.key_id = $1`,
      [keyId],
    );
    return rows[0] ?? null;
  }

  /** Last use, written at most every 10 s per key so a busy camera does not rewrite the row per request. */
  async touchKey(keyRowId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE camera_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '10 seconds')`,
      [keyRowId],
    );
  }

  // ---- heartbeats ------------------------------------------------------------------------------

  /** A heartbeat: the camera is alive; an offline camera comes back active (a retired one stays retired). */
  async heartbeat(cameraId: string): Promise<{ status: CameraStatus; lastHeartbeatAt: Date; heartbeatIntervalS: number }> {
    const rows = rowsOf<{ status: CameraStatus; lastHeartbeatAt: Date; heartbeatIntervalS: number }>(
      await this.dataSource.query(
        `UPDATE cameras SET last_heartbeat_at = now(), status = CASE WHEN status = 'offline' THEN 'active' ELSE status END,
                offline_since = CASE WHEN status = 'offline' THEN NULL ELSE offline_since END
          WHERE id = $1
          RETURNING status, last_heartbeat_at AS "lastHeartbeatAt", heartbeat_interval_s AS "heartbeatIntervalS"`,
        [cameraId],
      ),
    );
    return rows[0];
  }

  /**
   * Active cameras silent for longer than their expected interval become offline. A camera that never
   * sent a heartbeat counts from its registration.
   */
  async markSilentOffline(now: Date): Promise<{ id: string; cityId: string; name: string }[]> {
    return rowsOf(
      await this.dataSource.query(
        `UPDATE cameras SET status = 'offline', offline_since = $1, updated_at = now()
          WHERE status = 'active' AND coalesce(last_heartbeat_at, created_at) < $1::timestamptz - make_interval(secs => heartbeat_interval_s)
          RETURNING id, city_id AS "cityId", name`,
        [now],
      ),
    );
  }
}
