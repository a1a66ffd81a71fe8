import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { CitiesService } from '../../../libs/cities/src/index.js';
import { AccountsService } from '../../../libs/accounts/src/index.js';
import { createTestDatabase, freePort, obliterateQueues, signIn, testConfig, type TestDatabase } from '../../../libs/testing/src/index.js';
import type { AppConfig } from '../../../libs/core/src/index.js';
import { createApiApp } from './app.factory.js';

describe('API operations (real PostGIS and Redis)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let firstLoad: { citiesCreated: number; districtsCreated: number };
  let admin: { authorization: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    app = await createApiApp(config);
    firstLoad = await app.get(CitiesService).loadDemoCities();
    await app.get(AccountsService).loadDemoAccounts();
    admin = (await signIn(app, 'admin@taza.example')).auth;
  });
  afterAll(async () => {
    await app?.close();
    await obliterateQueues(config);
    await db?.drop();
  });

  it('answers /api/health with 200 and the PostgreSQL, PostGIS and Redis versions', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    expect(body.checks.database.ok).toBe(true);
    expect(body.checks.database.postgis).toMatch(/^3\./);
    expect(body.checks.database.postgres).toMatch(/^1\d/);
    expect(body.checks.redis.ok).toBe(true);
  });

  it('serves the OpenAPI page and its JSON', async () => {
    const page = await app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toMatch(/swagger/i);
    const json = await app.inject({ method: 'GET', url: '/api/docs-json' });
    expect(json.statusCode).toBe(200);
    const doc = json.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/v1/cities', '/api/v1/districts']));
  });

  it('lists the demo cities and districts as GeoJSON once loaded, and loading twice adds nothing', async () => {
    const cities = app.get(CitiesService);
    expect(firstLoad).toEqual({ citiesCreated: 4, districtsCreated: 12 });
    expect(await cities.loadDemoCities()).toEqual({ citiesCreated: 0, districtsCreated: 0 });
    expect(await app.get(AccountsService).loadDemoAccounts()).toBe(0);

    const res = await app.inject({ method: 'GET', url: '/api/v1/cities' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    const fc = res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: { properties: { slug: string } }) => f.properties.slug).sort()).toEqual(['almaty', 'astana', 'kostanay', 'zhezkazgan']);
    const almaty = fc.features.find((f: { properties: { slug: string } }) => f.properties.slug === 'almaty');
    expect(almaty.geometry.type).toBe('MultiPolygon');
    expect(almaty.properties.name).toEqual({ kk: 'Алматы', ru: 'Алматы', en: 'Almaty' });
    expect(almaty.properties.core.type).toBe('Polygon');
    const [minLon, minLat, maxLon, maxLat] = almaty.properties.bbox;
    expect(minLon).toBeLessThan(76.93);
    expect(maxLon).toBeGreaterThan(76.93);
    expect(minLat).toBeLessThan(43.26);
    expect(maxLat).toBeGreaterThan(43.26);

    const districts = await app.inject({ method: 'GET', url: `/api/v1/districts?cityId=${almaty.properties.id}` });
    expect(districts.statusCode).toBe(200);
    const dfc = districts.json();
    expect(dfc.features.length).toBeGreaterThanOrEqual(2);
    expect(dfc.features.every((f: { properties: { cityId: string } }) => f.properties.cityId === almaty.properties.id)).toBe(true);

    // Every district lies inside its city, and the districts of a city do not overlap.
    const ds = app.get(DataSource);
    const outside: unknown[] = await ds.query(
      `SELECT d.slug FROM districts d JOIN cities c ON c.id = d.city_id WHERE NOT ST_Covers(ST_Buffer(c.boundary::geography, 1)::geometry, d.area)`,
    );
    expect(outside).toEqual([]);
    const overlaps: unknown[] = await ds.query(
      `SELECT a.slug, b.slug FROM districts a JOIN districts b ON a.city_id = b.city_id AND a.id < b.id
        WHERE ST_Area(ST_Intersection(a.area, b.area)::geography) > 1`,
    );
    expect(overlaps).toEqual([]);
  });

  it('answers a malformed cityId with 400 problem details naming the field', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/districts?cityId=not-a-uuid' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const problem = res.json();
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual([{ field: 'cityId', message: 'cityId must be a UUID' }]);
  });

  it('answers an unknown city with 404 and an unknown API path with 404 problem details', async () => {
    const city = await app.inject({ method: 'GET', url: '/api/v1/districts?cityId=00000000-0000-4000-8000-000000000000' });
    expect(city.statusCode).toBe(404);
    expect(city.json().errors[0].field).toBe('cityId');
    const res = await app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().detail).toMatch(/Nothing is found at \/api\/v1\/nothing-here/);
  });

  it('exposes Prometheus metrics with request latency by route, queue depths and the outbox backlog', async () => {
    await app.inject({ method: 'GET', url: '/api/v1/cities' });
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const res = await app.inject({ method: 'GET', url: '/metrics', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.body).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/cities"/);
    expect(res.body).toMatch(/queue_jobs\{queue="hotspots",state="waiting"\} 0/);
    expect(res.body).toMatch(/^outbox_backlog 0$/m);
  });

  it('carries the caller\'s X-Request-Id back, or makes one', async () => {
    const given = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await app.inject({ method: 'GET', url: '/api/health' });
    expect(String(made.headers['x-request-id'])).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the queues dashboard at /admin/queues to admins only (bearer or the admin cookie)', async () => {
    expect((await app.inject({ method: 'GET', url: '/admin/queues' })).statusCode).toBe(401);
    const dispatcher = await signIn(app, 'dispatcher.almaty@taza.example');
    expect((await app.inject({ method: 'GET', url: '/admin/queues', headers: dispatcher.auth })).statusCode).toBe(403);
    const res = await app.inject({ method: 'GET', url: '/admin/queues', headers: admin });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/Taza Map queues|bull/i);

    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: 'admin@taza.example', password: 'taza-demo-2026' } });
    const adminCookie = login.cookies.find((c) => c.name === 'taza_admin');
    expect(adminCookie?.httpOnly).toBe(true);
    expect(adminCookie?.path).toBe('/admin');
    const viaCookie = await app.inject({ method: 'GET', url: '/admin/queues', cookies: { taza_admin: adminCookie!.value } });
    expect(viaCookie.statusCode).toBe(200);
  });
});

describe('API health without Redis', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Nothing listens on a port we just found free.
    app = await createApiApp(testConfig(db.url, { REDIS_URL: `redis://127.0.0.1:${await freePort()}` }));
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers 503 naming Redis as the failing check, quickly', async () => {
    const started = Date.now();
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.statusCode).toBe(503);
    const body = res.json();
    expect(body.status).toBe('unavailable');
    expect(body.checks.database.ok).toBe(true);
    expect(body.checks.redis.ok).toBe(false);
  });
});
