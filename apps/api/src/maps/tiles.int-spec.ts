import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { VectorTile, type VectorTileLayer } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { RedisClient, type AppConfig } from '../../../../libs/core/src/index.js';
import { ANONYMOUS, MAP_REPORT_STATUSES, TileCache, TilesRepository, TilesService, tileOf, type TileCoord } from '../../../../libs/maps/src/index.js';
import { REPORT_STATUSES } from '../../../../libs/reports/src/index.js';
import { signIn, type TestDatabase } from '../../../../libs/testing/src/index.js';
import { startTestApi, stopTestApi } from '../testing/test-api.js';

const ALMATY = { lon: 76.9286, lat: 43.2567 };
const ASTANA = { lon: 71.4304, lat: 51.1282 };

/** Moves a point by metres (north, east). */
function offset(p: { lon: number; lat: number }, north: number, east: number) {
  return { lon: p.lon + east / (111320 * Math.cos((p.lat * Math.PI) / 180)), lat: p.lat + north / 110540 };
}

const POINT_FIELDS = ['category', 'confirmations', 'created_at', 'id', 'outskirts', 'size', 'status'];

interface Decoded {
  features: { properties: Record<string, unknown>; lon: number; lat: number }[];
  layer: VectorTileLayer;
}

function decode(body: Buffer, name: string, t: TileCoord): Decoded {
  const layer = new VectorTile(new PbfReader(body)).layers[name];
  expect(layer).toBeDefined();
  expect(layer.extent).toBe(4096);
  const features = [];
  for (let i = 0; i < layer.length; i++) {
    const f = layer.feature(i);
    const geo = f.toGeoJSON(t.x, t.y, t.z);
    const coords = geo.geometry.type === 'Point' ? geo.geometry.coordinates : [NaN, NaN];
    features.push({ properties: f.properties as Record<string, unknown>, lon: coords[0], lat: coords[1] });
  }
  return { features, layer };
}

describe('vector tiles (real PostGIS + Redis)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let ds: DataSource;
  let dispatcher: { authorization: string };

  const tileUrl = (layer: string, t: TileCoord, qs = '') => `/tiles/${layer}/${t.z}/${t.x}/${t.y}.mvt${qs}`;
  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
  const post = async (p: { lon: number; lat: number }, extra: Record<string, unknown> = {}) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/reports', payload: { ...p, category: 'household', size: 'car', ...extra } });
    expect(res.statusCode).toBe(201);
    return res.json().reportId as string;
  };
  /** Sums every cell of a low-zoom reports tile. */
  const cellTotals = async (t: TileCoord, qs = '') => {
    const res = await get(tileUrl('reports', t, qs));
    if (res.statusCode === 204) return { count: 0, open: 0, closed: 0 } as Record<string, number>;
    expect(res.statusCode).toBe(200);
    const totals: Record<string, number> = {};
    for (const f of decode(res.rawPayload, 'reports', t).features) {
      expect(f.properties.id).toBeUndefined();
      for (const [k, v] of Object.entries(f.properties)) totals[k] = (totals[k] ?? 0) + Number(v);
    }
    return totals;
  };

  beforeAll(async () => {
    ({ db, config, app, ds } = await startTestApi());
    dispatcher = (await signIn(app, 'dispatcher.almaty@taza.example')).auth;
  });
  afterAll(() => stopTestApi({ app, config, db }));

  it('lists the same statuses as the report lifecycle', () => {
    expect([...MAP_REPORT_STATUSES].sort()).toEqual([...REPORT_STATUSES].sort());
  });

  it('serves a report at z14 with public fields only, where it was pinned, and never its contact', async () => {
    const at = offset(ALMATY, 300, 200);
    const id = await post(at, { contactEmail: 'secret.reporter@example.kz', contactPhone: '+77011234567', description: 'behind the garages' });
    const t = tileOf(at.lon, at.lat, 14);
    const res = await get(tileUrl('reports', t));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    const bytes = res.rawPayload.toString('latin1');
    for (const secret of ['secret.reporter', '+77011234567', '7011234567', 'behind the garages', '127.0.0.1']) expect(bytes).not.toContain(secret);
    const feature = decode(res.rawPayload, 'reports', t).features.find((f) => f.properties.id === id)!;
    expect(feature).toBeDefined();
    expect(Object.keys(feature.properties).sort()).toEqual(POINT_FIELDS);
    expect(feature.properties).toMatchObject({ status: 'submitted', category: 'household', size: 'car', confirmations: 0, outskirts: false });
    expect(Math.abs(Number(feature.properties.created_at) - Date.now() / 1000)).toBeLessThan(120);
    // 4096 units over a z14 tile: about 2.4 m a unit at the equator.
    expect(Math.abs(feature.lon - at.lon)).toBeLessThan(5e-5);
    expect(Math.abs(feature.lat - at.lat)).toBeLessThan(5e-5);
  });

  it('shows a new report in its tile at the very next request (the cache is keyed by report changes)', async () => {
    const first = offset(ALMATY, -800, -900);
    await post(first);
    const t = tileOf(first.lon, first.lat, 14);
    const before = await get(tileUrl('reports', t));
    const again = await get(tileUrl('reports', t));
    expect(again.headers.etag).toBe(before.headers.etag);
    const n = decode(before.rawPayload, 'reports', t).features.length;
    const second = await post(offset(first, 60, 60));
    const after = await get(tileUrl('reports', t));
    const ids = decode(after.rawPayload, 'reports', t).features.map((f) => f.properties.id);
    expect(ids).toHaveLength(n + 1);
    expect(ids).toContain(second);
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it('keeps built tiles in Redis, and still serves them when Redis is down', async () => {
    const t = tileOf(ALMATY.lon, ALMATY.lat, 13);
    const served = await get(tileUrl('reports', t));
    const redis = app.get(RedisClient);
    expect((await redis.redis.keys(redis.key('tiles', 'reports', '*'))).length).toBeGreaterThan(0);

    // A Redis nobody listens on, configured like RedisClient's (no offline queue: commands fail at once).
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      const deadClient = { redis: dead, key: (...parts: string[]) => parts.join(':') } as unknown as RedisClient;
      const service = new TilesService(app.get(TilesRepository), new TileCache(deadClient));
      const result = await service.tile('reports', { z: String(t.z), x: String(t.x), y: String(t.y) }, {}, ANONYMOUS);
      expect(result.etag).toBe(served.headers.etag);
    } finally {
      dead.disconnect();
    }
  });

  it('serves a warm tile from the process memory, and builds it again once a report changes it', async () => {
    /** The real repository, counting the tiles it builds. */
    class CountingRepository extends TilesRepository {
      built = 0;
      override reportPoints(...args: Parameters<TilesRepository['reportPoints']>) {
        this.built++;
        return super.reportPoints(...args);
      }
    }
    const repo = new CountingRepository(ds);
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      // Redis away: only the in-process cache can spare a build.
      const deadClient = { redis: dead, key: (...parts: string[]) => parts.join(':') } as unknown as RedisClient;
      const service = new TilesService(repo, new TileCache(deadClient), { memoryBytes: 1024 * 1024 });
      const at = offset(ALMATY, 2200, -1700);
      const t = tileOf(at.lon, at.lat, 15);
      const coord = { z: String(t.z), x: String(t.x), y: String(t.y) };
      await post(at);
      const first = await service.tile('reports', coord, {}, ANONYMOUS);
      const again = await service.tile('reports', coord, {}, ANONYMOUS);
      expect(repo.built).toBe(1);
      expect(again.etag).toBe(first.etag);
      // Another filter is another entry.
      await service.tile('reports', coord, { status: 'closed' }, ANONYMOUS);
      expect(repo.built).toBe(2);
      await post(offset(at, 20, 20));
      const changed = await service.tile('reports', coord, {}, ANONYMOUS);
      expect(repo.built).toBe(3);
      expect(changed.etag).not.toBe(first.etag);
    } finally {
      dead.disconnect();
    }
  });

  it('answers a matching If-None-Match with 304 and a strong ETag', async () => {
    const t = tileOf(ALMATY.lon, ALMATY.lat, 12);
    const res = await get(tileUrl('reports', t));
    expect(res.statusCode).toBe(200);
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{16,}"$/);
    const cached = await get(tileUrl('reports', t), { 'if-none-match': `"other", ${etag}` });
    expect(cached.statusCode).toBe(304);
    expect(cached.rawPayload.length).toBe(0);
    expect(cached.headers.etag).toBe(etag);
    expect(cached.headers['cache-control']).toBe('public, max-age=60');
    expect((await get(tileUrl('reports', t), { 'if-none-match': '"stale"' })).statusCode).toBe(200);
  });

  it('answers an empty tile with 204 and no body', async () => {
    const res = await get('/tiles/reports/14/0/0.mvt');
    expect(res.statusCode).toBe(204);
    expect(res.rawPayload.length).toBe(0);
    expect((await get('/tiles/districts/5/0/0.mvt')).statusCode).toBe(204);
  });

  it('filters by status, category and dates, and refuses bad filters naming the field', async () => {
    const at = offset(ALMATY, 1500, 1500);
    const tyres = await post(at, { category: 'tyres' });
    const t = tileOf(at.lon, at.lat, 14);
    const ids = async (qs: string) => {
      const res = await get(tileUrl('reports', t, qs));
      return res.statusCode === 204 ? [] : decode(res.rawPayload, 'reports', t).features.map((f) => f.properties.id);
    };
    expect(await ids('?category=tyres')).toEqual([tyres]);
    expect(await ids('?category=bulky,green')).toEqual([]);
    expect(await ids('?status=submitted,registered')).toContain(tyres);
    expect(await ids('?status=closed')).toEqual([]);
    expect(await ids(`?from=${new Date(Date.now() - 3600_000).toISOString()}`)).toContain(tyres);
    expect(await ids('?to=2020-01-01')).toEqual([]);
    for (const [qs, field] of [
      ['?status=open', 'status'],
      ['?status=', 'status'],
      ['?category=DROP%20TABLE', 'category'],
      ['?from=yesterday', 'from'],
      ['?from=2026-02-30', 'from'],
      ['?from=2026-05-01&to=2026-04-01', 'to'],
      ['?bbox=1,2,3,4', 'bbox'],
    ]) {
      const res = await get(tileUrl('reports', t, qs));
      expect([qs, res.statusCode]).toEqual([qs, 400]);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors).toEqual([expect.objectContaining({ field })]);
    }
    expect((await get('/tiles/districts/10/730/375.mvt?status=submitted')).json().errors[0].field).toBe('status');
  });

  it('refuses tile numbers outside the zoom and unknown layers with problem details', async () => {
    for (const [url, field] of [
      ['/tiles/reports/23/0/0.mvt', 'z'],
      ['/tiles/reports/-1/0/0.mvt', 'z'],
      ['/tiles/reports/3/8/0.mvt', 'x'],
      ['/tiles/reports/3/0/8.mvt', 'y'],
      ['/tiles/reports/3/1.5/0.mvt', 'x'],
    ]) {
      const res = await get(url);
      expect([url, res.statusCode]).toEqual([url, 400]);
      expect(res.json()).toMatchObject({ status: 400, errors: [{ field }] });
    }
    for (const url of ['/tiles/nope/1/0/0.mvt', '/tiles/nope.json', '/tiles/incidents-typo/1/0/0.mvt']) {
      const res = await get(url);
      expect([url, res.statusCode]).toEqual([url, 404]);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status: 404, code: 'maps.unknown_layer' });
    }
  });

  it('serves districts with their public fields', async () => {
    const t = tileOf(ALMATY.lon, ALMATY.lat, 10);
    const res = await get(tileUrl('districts', t));
    expect(res.statusCode).toBe(200);
    const layer = new VectorTile(new PbfReader(res.rawPayload)).layers.districts;
    expect(layer.length).toBeGreaterThan(0);
    const props = layer.feature(0).properties;
    expect(Object.keys(props).sort()).toEqual(['city_id', 'id', 'name_en', 'name_kk', 'name_ru', 'slug']);
    const cities = (await get('/api/v1/cities')).json();
    const almaty = cities.features.find((f: { properties: { slug: string } }) => f.properties.slug === 'almaty').properties.id;
    expect(props.city_id).toBe(almaty);
    expect(layer.feature(0).type).toBe(3);
  });

  it('describes each layer in TileJSON 3.0.0 with absolute tile URLs and the cities\' extent', async () => {
    const res = await get('/tiles/reports.json?status=submitted,registered', { host: 'maps.example.kz' });
    expect(res.statusCode).toBe(200);
    const tj = res.json();
    expect(tj).toMatchObject({ tilejson: '3.0.0', minzoom: 0, maxzoom: 22, name: expect.any(String), attribution: expect.any(String) });
    expect(tj.tiles).toEqual(['http://maps.example.kz/tiles/reports/{z}/{x}/{y}.mvt?status=registered%2Csubmitted']);
    const [w, s, e, n] = tj.bounds;
    expect(w).toBeLessThan(63.7); // Kostanay
    expect(e).toBeGreaterThan(76.9); // Almaty
    expect(s).toBeLessThan(43.3);
    expect(n).toBeGreaterThan(53.2);
    expect(tj.vector_layers).toHaveLength(1);
    expect(tj.vector_layers[0].id).toBe('reports');
    expect(Object.keys(tj.vector_layers[0].fields)).toEqual(expect.arrayContaining([...POINT_FIELDS, 'count', 'open', 'closed']));
    for (const v of Object.values(tj.vector_layers[0].fields)) expect(v).toMatch(/^(String|Number|Boolean): /);
    expect(Object.keys(tj.vector_layers[0].fields)).not.toEqual(expect.arrayContaining(['contact_email']));
    const districts = (await get('/tiles/districts.json')).json();
    expect(districts.vector_layers[0].fields).toHaveProperty('name_kk');
    expect((await get('/tiles/reports.json?status=nope')).statusCode).toBe(400);
  });

  it('aggregates low zooms into cells whose counts follow status changes and new reports', async () => {
    const z6 = tileOf(ALMATY.lon, ALMATY.lat, 6);
    const z9 = tileOf(ALMATY.lon, ALMATY.lat, 9);
    const inAlmaty = async () => Number((await ds.query(`SELECT count(*) AS n FROM reports r JOIN cities c ON c.id = r.city_id WHERE c.slug = 'almaty'`))[0].n);
    const before6 = await cellTotals(z6);
    const before9 = await cellTotals(z9);
    expect(before6.count).toBe(await inAlmaty());
    expect(before9.count).toBe(before6.count);
    expect(before6.open).toBe(before6.count);

    const at = offset(ALMATY, -2500, 2000);
    const id = await post(at);
    expect((await cellTotals(z6)).count).toBe(before6.count + 1);
    expect((await cellTotals(z9)).status_submitted).toBe(before9.status_submitted + 1);

    const act = (action: string, extra: Record<string, unknown> = {}) =>
      app.inject({ method: 'POST', url: `/api/v1/reports/${id}/transitions`, headers: dispatcher, payload: { action, ...extra } });
    expect((await act('register')).statusCode).toBe(200);
    const registered = await cellTotals(z6);
    expect(registered).toMatchObject({ count: before6.count + 1, status_submitted: before6.status_submitted, status_registered: 1, open: before6.count + 1 });
    expect((await act('reject', { reason: 'not a dump' })).statusCode).toBe(200);
    const rejected = await cellTotals(z9);
    expect(rejected).toMatchObject({ count: before9.count + 1, open: before9.count, closed: 1, status_rejected: 1 });
    expect(rejected.status_registered ?? 0).toBe(0);
    expect(await cellTotals(z6, '?status=rejected')).toMatchObject({ count: 1, closed: 1 });
    expect((await cellTotals(z6, '?to=2020-01-01')).count).toBe(0);
    // Date filters read the month-keyed grid: this month counts the new report.
    expect(await cellTotals(z9, `?from=${new Date(Date.now() - 86400_000).toISOString().slice(0, 10)}&status=rejected`)).toMatchObject({ count: 1, closed: 1 });

    // Another city's reports land in another z6 tile; the grid agrees with the raw table at each level.
    await post(ASTANA);
    expect((await cellTotals(z6)).count).toBe(before6.count + 1);
    const total = Number((await ds.query(`SELECT count(*) AS n FROM reports`))[0].n);
    const perLevel = (table: string) => ds.query(`SELECT cell_z, sum(count)::int AS n FROM ${table} GROUP BY cell_z ORDER BY cell_z`);
    const withDeltas = (table: string) => ds.query(`SELECT g.cell_z, sum(g.count)::int AS n FROM (SELECT cell_z, count FROM ${table} UNION ALL SELECT cell_z, count FROM ${table}_delta) g GROUP BY 1 ORDER BY 1`);
    const gridLevels = [{ cell_z: 11, n: total }, { cell_z: 15, n: total }];
    const cellLevels = [{ cell_z: 11, n: total }, { cell_z: 13, n: total }, { cell_z: 15, n: total }];
    expect(await withDeltas('report_grid')).toEqual(gridLevels);
    expect(await withDeltas('report_cells')).toEqual(cellLevels);
    // Folding moves every delta into the aggregates and drops the cells whose count went back to 0.
    await app.get(TilesRepository).foldGridDeltas();
    for (const table of ['report_grid_delta', 'report_cells_delta']) expect(Number((await ds.query(`SELECT count(*) AS n FROM ${table}`))[0].n)).toBe(0);
    expect(await perLevel('report_grid')).toEqual(gridLevels);
    expect(await perLevel('report_cells')).toEqual(cellLevels);
    for (const table of ['report_grid', 'report_cells']) expect(Number((await ds.query(`SELECT count(*) AS n FROM ${table} WHERE count <= 0`))[0].n)).toBe(0);
    // Per-status columns agree with the raw table, cell by cell, at every level.
    const mismatches = await ds.query(`
      WITH raw AS (
        SELECT l.z AS cell_z, c.cx AS cell_x, c.cy AS cell_y, r.category_code AS category, count(*)::int AS count,
               count(*) FILTER (WHERE r.status = 'rejected')::int AS n_rejected, count(*) FILTER (WHERE r.status = 'submitted')::int AS n_submitted
          FROM reports r CROSS JOIN (VALUES (11), (13), (15)) l(z) CROSS JOIN LATERAL report_grid_cell(l.z, ST_X(r.location_3857), ST_Y(r.location_3857)) c
         GROUP BY 1, 2, 3, 4)
      SELECT * FROM raw FULL JOIN report_cells g USING (cell_z, cell_x, cell_y, category)
       WHERE raw.count IS DISTINCT FROM g.count OR raw.n_rejected IS DISTINCT FROM g.n_rejected OR raw.n_submitted IS DISTINCT FROM g.n_submitted`);
    expect(mismatches).toEqual([]);
    // A second fold finds nothing to do; a rebuild from the reports gives the same tiles.
    expect(await app.get(TilesRepository).foldGridDeltas()).toBe(0);
    const beforeRebuild = await cellTotals(z9);
    await app.get(TilesRepository).rebuildGrid();
    expect(await cellTotals(z9)).toEqual(beforeRebuild);
    expect(await perLevel('report_cells')).toEqual(cellLevels);
    expect(await cellTotals(z6, '?status=rejected')).toMatchObject({ count: 1, closed: 1 });
    expect(await cellTotals(z6, '?status=submitted')).toMatchObject({ count: before6.status_submitted ?? 0 });
  });

  it('keeps low-zoom tiles small: one feature per drawn cell, not per report', async () => {
    const base = offset(ALMATY, 3000, -3000);
    for (let i = 0; i < 12; i++) await post(offset(base, i * 40, (i % 3) * 40), { category: i % 2 ? 'bulky' : 'green' });
    const z6 = tileOf(ALMATY.lon, ALMATY.lat, 6);
    const res = await get(tileUrl('reports', z6));
    const { features } = decode(res.rawPayload, 'reports', z6);
    // Almaty fits in a handful of z11 cells.
    expect(features.length).toBeLessThanOrEqual(6);
    expect(res.rawPayload.length).toBeLessThan(1024);
  });
  describe('cameras (staff layer)', () => {
    const CAMERA_FIELDS = ['bearing', 'fov', 'id', 'name', 'range', 'status'];
    let ids: Record<string, string>;
    const camera = async (city: string, name: string, at: { lon: number; lat: number }, status = 'active') => {
      const [row] = await ds.query(
        `INSERT INTO cameras (city_id, name, location, bearing_deg, fov_deg, range_m, status)
         SELECT c.id, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), 90, 60, 400, $5 FROM cities c WHERE c.slug = $1 RETURNING id`,
        [city, name, at.lon, at.lat, status],
      );
      return row.id as string;
    };
    /** Features of a cameras tile by geometry type (1 point, 3 polygon). */
    const camerasIn = async (t: TileCoord, headers: Record<string, string>) => {
      const res = await get(tileUrl('cameras', t), headers);
      if (res.statusCode === 204) return [];
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('private, max-age=60');
      const layer = new VectorTile(new PbfReader(res.rawPayload)).layers.cameras;
      return Array.from({ length: layer.length }, (_, i) => layer.feature(i)).map((f) => ({ type: f.type, properties: f.properties as Record<string, unknown>, geo: f.toGeoJSON(t.x, t.y, t.z) }));
    };
    const almatyCam = offset(ALMATY, -6000, 6000);
    const t13 = tileOf(almatyCam.lon, almatyCam.lat, 13);

    beforeAll(async () => {
      ids = {
        almaty: await camera('almaty', 'Outskirts east 1', almatyCam),
        retired: await camera('almaty', 'Old pole', offset(almatyCam, 100, 100), 'retired'),
        offline: await camera('almaty', 'Outskirts east 2', offset(almatyCam, -150, 0), 'offline'),
        astana: await camera('astana', 'Astana south', offset(ASTANA, -5000, 0)),
      };
    });

    it('refuses anonymous callers with 401, residents and crews with 403', async () => {
      await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { email: 'tiles.resident@example.kz', password: 'tiles-resident-passphrase' } });
      const resident = (await signIn(app, 'tiles.resident@example.kz', 'tiles-resident-passphrase')).auth;
      const crew = (await signIn(app, 'crew.almaty@taza.example')).auth;
      for (const url of [tileUrl('cameras', t13), '/tiles/cameras.json']) {
        const anonymous = await get(url);
        expect([url, anonymous.statusCode]).toEqual([url, 401]);
        expect(anonymous.headers['content-type']).toContain('application/problem+json');
        expect(anonymous.json()).toMatchObject({ code: 'maps.sign_in_required' });
        for (const who of [resident, crew]) {
          const res = await get(url, who);
          expect([url, res.statusCode]).toEqual([url, 403]);
          expect(res.json()).toMatchObject({ code: 'maps.staff_only' });
        }
      }
    });

    it('shows a dispatcher the cameras of their own city: a point and a view sector each, with their fields', async () => {
      const features = await camerasIn(t13, dispatcher);
      const points = features.filter((f) => f.type === 1);
      const sectors = features.filter((f) => f.type === 3);
      expect(points.map((f) => f.properties.id).sort()).toEqual([ids.almaty, ids.offline].sort());
      expect(sectors.map((f) => f.properties.id).sort()).toEqual([ids.almaty, ids.offline].sort());
      const cam = points.find((f) => f.properties.id === ids.almaty)!;
      expect(Object.keys(cam.properties).sort()).toEqual(CAMERA_FIELDS);
      expect(cam.properties).toMatchObject({ name: 'Outskirts east 1', status: 'active', bearing: 90, fov: 60, range: 400 });
      const [lon, lat] = (cam.geo.geometry as { coordinates: number[] }).coordinates;
      expect(Math.abs(lon - almatyCam.lon)).toBeLessThan(1e-4);
      expect(Math.abs(lat - almatyCam.lat)).toBeLessThan(1e-4);
      // Looking east, 400 m: the sector reaches ~400 m east of the camera and no further.
      const ring = (sectors.find((f) => f.properties.id === ids.almaty)!.geo.geometry as { coordinates: number[][][] }).coordinates[0];
      const east = Math.max(...ring.map(([x]) => x));
      const metres = (east - almatyCam.lon) * 111320 * Math.cos((almatyCam.lat * Math.PI) / 180);
      expect(metres).toBeGreaterThan(380);
      expect(metres).toBeLessThan(420);
      expect(points.find((f) => f.properties.id === ids.offline)!.properties.status).toBe('offline');

      // Astana's dispatcher sees none of Almaty's cameras, but their own; an admin sees every city's.
      const astana = (await signIn(app, 'dispatcher.astana@taza.example')).auth;
      expect(await camerasIn(t13, astana)).toEqual([]);
      const tAstana = tileOf(ASTANA.lon, ASTANA.lat - 0.045, 13);
      expect((await camerasIn(tAstana, astana)).map((f) => f.properties.id)).toEqual([ids.astana, ids.astana]);
      const admin = (await signIn(app, 'admin@taza.example')).auth;
      expect((await camerasIn(t13, admin)).filter((f) => f.type === 1)).toHaveLength(2);
      expect((await camerasIn(tAstana, admin)).filter((f) => f.type === 1)).toHaveLength(1);
    });

    it('follows camera changes at the next request and describes the layer in TileJSON for staff', async () => {
      const before = await camerasIn(t13, dispatcher);
      await ds.query(`UPDATE cameras SET status = 'offline', updated_at = now() WHERE id = $1`, [ids.almaty]);
      const after = await camerasIn(t13, dispatcher);
      expect(after.find((f) => f.properties.id === ids.almaty)!.properties.status).toBe('offline');
      expect(after).toHaveLength(before.length);

      const tj = await get('/tiles/cameras.json', dispatcher);
      expect(tj.statusCode).toBe(200);
      expect(tj.headers['cache-control']).toBe('private, max-age=60');
      expect(tj.json().vector_layers[0]).toMatchObject({ id: 'cameras' });
      expect(Object.keys(tj.json().vector_layers[0].fields).sort()).toEqual(CAMERA_FIELDS);
      expect((await get(`${tileUrl('cameras', t13)}?status=active`, dispatcher)).json().errors[0].field).toBe('status');
    });
  });
});
