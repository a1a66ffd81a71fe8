import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { readableCities, readableCitiesOf, type UserPrincipal } from '../../accounts/src/index.js';
import { AppConfig, RedisClient } from '../../core/src/index.js';
import { DEMO_CITIES, type DemoCity } from '../../cities/src/index.js';
import { ReportsRepository } from '../../reports/src/index.js';
import { CameraSecretBox } from './camera-secret-box.js';
import { KEY_ID_PATTERN, NONCE_PATTERN, NONCE_TTL_SECONDS, signatureMatches, timestampFresh } from './camera-signature.js';
import { CamerasRepository, type CameraFields, type CameraRow, type CameraStatus } from './cameras.repository.js';
import { IncidentsErrors } from './incidents.errors.js';

/** The camera a signed request came from, once its signature checked out. */
export interface CameraCaller {
  cameraId: string;
  cityId: string;
  cameraName: string;
  keyId: string;
  lon: number;
  lat: number;
}

export interface SignedRequest {
  method: string;
  /** Path and query string exactly as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export const CAMERA_DEFAULTS = { heartbeatIntervalS: 300, autoConfirmConfidence: 0.85 } as const;

/**
 * Two spots per demo city on its outskirts: 80 % of the way from the centre to the south-westernmost
 * and the north-easternmost vertex of its boundary, looking outwards.
 */
export function demoCameraSpots(city: DemoCity): { lon: number; lat: number; bearingDeg: number }[] {
  const ring = city.boundary.coordinates[0][0];
  const sw = ring.reduce((a, b) => (b[0] + b[1] < a[0] + a[1] ? b : a));
  const ne = ring.reduce((a, b) => (b[0] + b[1] > a[0] + a[1] ? b : a));
  const [cx, cy] = city.centre;
  return [sw, ne].map(([x, y]) => {
    const lon = cx + 0.8 * (x - cx);
    const lat = cy + 0.8 * (y - cy);
    const bearing = (Math.atan2((x - cx) * Math.cos((cy * Math.PI) / 180), y - cy) * 180) / Math.PI;
    return { lon: Math.round(lon * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6, bearingDeg: Math.round((bearing + 360) % 360) };
  });
}

function header(h: SignedRequest['headers'], name: string): string | null {
  const v = h[name];
  return typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null;
}

export function cameraView(c: CameraRow) {
  return {
    id: c.id,
    cityId: c.cityId,
    name: c.name,
    position: { lon: c.lon, lat: c.lat },
    bearingDeg: c.bearingDeg,
    fovDeg: c.fovDeg,
    rangeM: c.rangeM,
    view: c.view,
    status: c.status,
    heartbeatIntervalS: c.heartbeatIntervalS,
    lastHeartbeatAt: c.lastHeartbeatAt,
    offlineSince: c.offlineSince,
    autoConfirmConfidence: c.autoConfirmConfidence,
    // Of the incidents dispatchers reviewed, the share they confirmed (auto-confirmed ones are not reviews).
    precision: { reviewed: c.reviewedCount, confirmed: c.confirmedCount, ratio: c.reviewedCount ? c.confirmedCount / c.reviewedCount : null },
    activeKeys: c.activeKeys,
    createdAt: c.createdAt,
  };
}

/** A camera as a GeoJSON Feature: its position is the geometry, its view sector a property. */
export function cameraFeature(c: CameraRow) {
  const { position, ...properties } = cameraView(c);
  return { type: 'Feature' as const, id: c.id, geometry: { type: 'Point' as const, coordinates: [position.lon, position.lat] }, properties };
}

/** The camera registry: admins' CRUD and keys, signed-request checks, heartbeats and offline detection. */
@Injectable()
export class CamerasService {
  private readonly logger = new Logger(CamerasService.name);
  private readonly box: CameraSecretBox;

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CamerasRepository) private readonly cameras: CamerasRepository,
    @Inject(ReportsRepository) private readonly reports: ReportsRepository,
    @Inject(RedisClient) private readonly redis: RedisClient,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {
    this.box = new CameraSecretBox(config.CAMERA_KEY_ENCRYPTION_KEY);
  }

  // ---- registry --------------------------------------------------------------------------------

  async create(f: Partial<CameraFields> & Pick<CameraFields, 'name' | 'lon' | 'lat' | 'bearingDeg' | 'fovDeg' | 'rangeM'>) {
    const place = await this.reports.route(f.lon, f.lat);
    if (!place) throw IncidentsErrors.outsideServiceArea();
    const id = await this.cameras.insert(place.cityId, { ...CAMERA_DEFAULTS, ...f });
    this.logger.log({ msg: 'camera registered', cameraId: id, cityId: place.cityId });
    return cameraFeature((await this.cameras.get(id))!);
  }

  async update(id: string, f: Partial<CameraFields> & { status?: CameraStatus }) {
    const current = await this.cameras.get(id);
    if (!current) throw IncidentsErrors.notFound('camera');
    let cityId: string | undefined;
    if ((f.lon === undefined) !== (f.lat === undefined)) throw IncidentsErrors.field(f.lon === undefined ? 'lon' : 'lat', 'send lon and lat together');
    if (f.lon !== undefined && f.lat !== undefined) {
      const place = await this.reports.route(f.lon, f.lat);
      if (!place) throw IncidentsErrors.outsideServiceArea();
      cityId = place.cityId;
    }
    await this.cameras.update(id, { ...f, cityId });
    return cameraFeature((await this.cameras.get(id))!);
  }

  /** Staff read the cameras of the cities they may read; offline ones first. */
  async list(p: UserPrincipal, cityId?: string, status?: CameraStatus) {
    const cityIds = readableCitiesOf(p, cityId);
    return { type: 'FeatureCollection' as const, features: (await this.cameras.list(cityIds, status)).map(cameraFeature) };
  }

  async get(p: UserPrincipal, id: string) {
    const c = await this.cameras.get(id);
    const readable = readableCities(p);
    if (!c || (readable !== null && !readable.includes(c.cityId))) throw IncidentsErrors.notFound('camera');
    return cameraFeature(c);
  }

  offlineIn(cityId: string) {
    return this.cameras.list([cityId], 'offline').then((rows) => rows.map(cameraView));
  }

  // ---- keys ------------------------------------------------------------------------------------

  /**
   * A new signing key; its secret is in this answer only (stored encrypted). At most two active keys
   * per camera: the second is for rotation (install it, then revoke the old one).
   */
  async createKey(cameraId: string, createdBy: string | null, keyId?: string, secret?: string): Promise<{ keyId: string; secret: string; cameraId: string }> {
    const id = keyId ?? `cam_${randomBytes(9).toString('base64url')}`;
    const plain = secret ?? randomBytes(32).toString('base64url');
    if (!KEY_ID_PATTERN.test(id)) throw IncidentsErrors.field('keyId', 'must be 4-64 characters of A-Z, a-z, 0-9, _ and -');
    await this.dataSource.transaction(async (m) => {
      if (!(await this.cameras.lockCamera(m, cameraId))) throw IncidentsErrors.notFound('camera');
      if ((await this.cameras.activeKeyCount(m, cameraId)) >= 2) throw IncidentsErrors.tooManyKeys();
      if (!(await this.cameras.insertKey(m, cameraId, id, this.box.seal(plain), createdBy))) throw IncidentsErrors.keyIdTaken();
    });
    this.logger.log({ msg: 'camera key created', cameraId, keyId: id });
    return { cameraId, keyId: id, secret: plain };
  }

  async keys(cameraId: string) {
    if (!(await this.cameras.get(cameraId))) throw IncidentsErrors.notFound('camera');
    return (await this.cameras.keys(cameraId)).map((k) => ({ keyId: k.keyId, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, revokedAt: k.revokedAt, active: k.revokedAt === null }));
  }

  async revokeKey(cameraId: string, keyId: string): Promise<void> {
    if (!(await this.cameras.revokeKey(cameraId, keyId))) throw IncidentsErrors.notFound('camera key');
    this.logger.log({ msg: 'camera key revoked', cameraId, keyId });
  }

  // ---- signed requests -------------------------------------------------------------------------

  /**
   * Checks a camera's signed request (DESIGN.md: key, timestamp within 300 s, nonce unseen for this
   * key within 10 minutes, HMAC-SHA256 over method, path, timestamp, nonce and the body's SHA-256).
   * The nonce is claimed first (Redis SET NX: of many concurrent replays exactly one goes on, the rest
   * are refused without touching the database) and given back if the request then fails the checks,
   * so a forged request cannot use up a camera's nonce. The key is read on every request, so a
   * revocation holds from the next request on.
   */
  async authenticate(req: SignedRequest, nowMs = Date.now()): Promise<CameraCaller> {
    const keyId = header(req.headers, 'x-camera-key');
    const timestamp = header(req.headers, 'x-timestamp');
    const nonce = header(req.headers, 'x-nonce');
    const signature = header(req.headers, 'x-signature');
    if (!keyId || !timestamp || !nonce || !signature) throw IncidentsErrors.signature('missing_header');
    if (!/^\d{1,12}$/.test(timestamp)) throw IncidentsErrors.signature('bad_timestamp');
    if (!timestampFresh(Number(timestamp), nowMs)) throw IncidentsErrors.signature('stale_timestamp');
    if (!NONCE_PATTERN.test(nonce)) throw IncidentsErrors.signature('bad_nonce');
    if (!KEY_ID_PATTERN.test(keyId)) throw IncidentsErrors.signature('unknown_key');

    const nonceKey = this.redis.key('camera-nonce', keyId, nonce);
    let fresh: string | null;
    try {
      fresh = await this.redis.redis.set(nonceKey, '1', 'EX', NONCE_TTL_SECONDS, 'NX');
    } catch (err) {
      this.logger.warn({ msg: 'nonce store unavailable; refusing signed request', keyId, err: (err as Error).message });
      throw IncidentsErrors.nonceStoreDown();
    }
    if (fresh !== 'OK') throw IncidentsErrors.signature('replayed_nonce');
    try {
      const key = await this.cameras.keyForAuth(keyId);
      if (!key) throw IncidentsErrors.signature('unknown_key');
      let secret: string;
      try {
        secret = this.box.open(key.secretSealed);
      } catch {
        this.logger.error({ msg: 'a camera key cannot be decrypted: was CAMERA_KEY_ENCRYPTION_KEY changed?', keyId });
        throw IncidentsErrors.signature('unknown_key');
      }
      if (!signatureMatches(secret, { method: req.method, path: req.url, timestamp, nonce, body: req.body }, signature)) {
        throw IncidentsErrors.signature('bad_signature');
      }
      if (key.revokedAt) throw IncidentsErrors.signature('revoked_key');
      if (key.cameraStatus === 'retired') throw IncidentsErrors.signature('retired_camera');
      this.cameras.touchKey(key.keyRowId).catch((err: Error) => this.logger.warn({ msg: 'could not record key use', keyId, err: err.message }));
      return { cameraId: key.cameraId, cityId: key.cityId, cameraName: key.cameraName, keyId, lon: key.lon, lat: key.lat };
    } catch (err) {
      await this.redis.redis.del(nonceKey).catch(() => undefined);
      throw err;
    }
  }

  // ---- heartbeats ------------------------------------------------------------------------------

  async heartbeat(camera: CameraCaller) {
    const hb = await this.cameras.heartbeat(camera.cameraId);
    return { cameraId: camera.cameraId, status: hb.status, lastHeartbeatAt: hb.lastHeartbeatAt, nextHeartbeatWithinSeconds: hb.heartbeatIntervalS };
  }

  /** The worker's `cameras.offline-scan`: silent cameras become offline (shown to dispatchers). */
  async scanOffline(now = new Date()): Promise<number> {
    const gone = await this.cameras.markSilentOffline(now);
    for (const c of gone) this.logger.warn({ msg: 'camera went silent; marked offline', cameraId: c.id, cityId: c.cityId, name: c.name });
    return gone.length;
  }

  // ---- demo ------------------------------------------------------------------------------------

  /**
   * Two cameras per demo city with keys `demo-<city>-<n>` and secrets `taza-demo-camera-secret-<city>-<n>`
   * (dev and demo only: DEMO_DATA is refused in production). Idempotent.
   */
  async loadDemoCameras(): Promise<number> {
    if (!this.config.DEMO_DATA) return 0;
    let created = 0;
    for (const city of DEMO_CITIES) {
      const slug = city.slug;
      const spots = demoCameraSpots(city);
      const cityId = await this.cameras.cityIdBySlug(slug);
      if (!cityId) continue;
      for (const [i, spot] of spots.entries()) {
        const n = i + 1;
        const name = `${slug[0].toUpperCase()}${slug.slice(1)} outskirts camera ${n}`;
        if (await this.cameras.idByName(cityId, name)) continue;
        if (!(await this.reports.route(spot.lon, spot.lat))) {
          this.logger.warn({ msg: 'demo camera spot lies outside the demo districts; skipped', city: slug, n });
          continue;
        }
        const id = await this.cameras.insert(cityId, { name, lon: spot.lon, lat: spot.lat, bearingDeg: spot.bearingDeg, fovDeg: 90, rangeM: 300, ...CAMERA_DEFAULTS });
        await this.createKey(id, null, `demo-${slug}-${n}`, `taza-demo-camera-secret-${slug}-${n}`);
        created++;
      }
    }
    return created;
  }
}
