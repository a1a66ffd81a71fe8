import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { CitiesService } from '../../../../libs/cities/src/index.js';
import type { AppConfig } from '../../../../libs/core/src/index.js';
import { createTestDatabase, obliterateQueues, testConfig, type TestDatabase } from '../../../../libs/testing/src/index.js';
import { createApiApp } from '../app.factory.js';

const ALMATY = { lon: 76.9286, lat: 43.2567 };
const ASTANA = { lon: 71.4304, lat: 51.1282 };
const ALMATY_BOX = '76.7,43.1,77.2,43.45';
const SECRET_EMAIL = 'ogc-secret-reporter@example.kz';
const SECRET_PHONE = '+77015550123';
const SECRET_COMMENT = 'ogc secret rating comment';
const PUBLIC_PROPERTIES = ['id', 'status', 'category', 'categoryName', 'size', 'wasteTypes', 'description', 'cityId', 'districtId', 'outskirts', 'confirmations', 'createdAt', 'resolvedAt'];
const HOST = 'maps.example.kz:3000';
const BASE = `http://${HOST}`;

interface Link {
  href: string;
  rel: string;
  type: string;
}
const rels = (links: Link[]) => Object.fromEntries(links.map((l) => [l.rel, l]));

describe('OGC API - Features at /ogc (real PostGIS)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let ds: DataSource;
  const almatyIds: string[] = [];
  let astanaId: string;
  let oldIds: string[];
  /** Every response body the tests saw: none may carry a private field. */
  const seen: string[] = [];

  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await app.inject({ method: 'GET', url, headers: { host: HOST, ...headers } });
    seen.push(res.body);
    return res;
  };
  /** Follows a link the server built (absolute, on our host). */
  const follow = (href: string) => {
    expect(href.startsWith(`${BASE}/`)).toBe(true);
    return get(href.slice(BASE.length));
  };
  const post = async (p: { lon: number; lat: number }) => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { ...p, category: 'household', size: 'car', description: 'bags by the road', contactEmail: SECRET_EMAIL, contactPhone: SECRET_PHONE },
    });
    expect(res.statusCode).toBe(201);
    return res.json().reportId as string;
  };
  const reportCount = async () => Number((await ds.query(`SELECT count(*) AS n FROM reports`))[0].n);

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    app = await createApiApp(config);
    ds = app.get(DataSource);
    await app.get(CitiesService).loadDemoCities();
    // Five Almaty reports ~200 m apart (no merging), one in Astana.
    for (let i = 0; i < 5; i++) almatyIds.push(await post({ lon: ALMATY.lon + i * 0.003, lat: ALMATY.lat }));
    astanaId = await post(ASTANA);
    // Two Almaty reports received in June 2025, and a private rating comment that must never leak.
    oldIds = almatyIds.slice(0, 2);
    await ds.query(`UPDATE reports SET created_at = '2025-06-01T10:00:00Z' WHERE id = ANY($1::uuid[])`, [oldIds]);
    await ds.query(`UPDATE reports SET rating_comment = $1, exif_gps_far = true WHERE id = $2`, [SECRET_COMMENT, almatyIds[4]]);
  });
  afterAll(async () => {
    await app?.close();
    await obliterateQueues(config);
    await db?.drop();
  });

  it('serves a landing page whose links are absolute, on the caller\'s host, and lead to the API definition, conformance and data', async () => {
    const res = await get('/ogc');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json();
    expect(body.title).toBe('Taza Map');
    expect(typeof body.description).toBe('string');
    const links = rels(body.links);
    expect(links.self.href).toBe(`${BASE}/ogc`);
    expect(links['service-desc']).toEqual(expect.objectContaining({ href: `${BASE}/api/docs-json`, type: 'application/vnd.oai.openapi+json;version=3.0' }));
    expect(links['service-doc'].href).toBe(`${BASE}/api/docs`);
    expect(links.conformance.href).toBe(`${BASE}/ogc/conformance`);
    expect(links.data.href).toBe(`${BASE}/ogc/collections`);
    // The API definition (conformance class oas30) describes the OGC paths, with limit's bounds for clients.
    const openapi = (await follow(links['service-desc'].href)).json();
    expect(openapi.openapi).toMatch(/^3\./);
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/ogc', '/ogc/conformance', '/ogc/collections', '/ogc/collections/{collectionId}', '/ogc/collections/{collectionId}/items', '/ogc/collections/{collectionId}/items/{featureId}']));
    const limit = openapi.paths['/ogc/collections/{collectionId}/items'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toEqual(expect.objectContaining({ type: 'integer', minimum: 1, maximum: 1000, default: 100 }));
    expect((await get('/ogc?f=json')).statusCode).toBe(200);
    // Without TRUST_PROXY a forwarded scheme/host is not believed.
    const forwarded = (await get('/ogc', { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' })).json();
    expect(rels(forwarded.links).self.href).toBe(`${BASE}/ogc`);
  });

  it('declares the core, GeoJSON and OpenAPI 3.0 conformance classes', async () => {
    const res = await get('/ogc/conformance');
    expect(res.statusCode).toBe(200);
    expect(res.json().conformsTo).toEqual(
      expect.arrayContaining([
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
        'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
      ]),
    );
  });

  it('lists reports and districts with extents taken from the data and GeoJSON items links', async () => {
    const res = await get('/ogc/collections');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(rels(body.links).self.href).toBe(`${BASE}/ogc/collections`);
    const byId = Object.fromEntries(body.collections.map((c: { id: string }) => [c.id, c]));
    expect(Object.keys(byId).sort()).toEqual(['districts', 'hotspots', 'landfills', 'reports']);

    const reports = byId.reports;
    expect(reports.itemType).toBe('feature');
    expect(reports.crs).toEqual(['http://www.opengis.net/def/crs/OGC/1.3/CRS84']);
    expect(reports.extent.spatial.crs).toBe('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
    const [[minLon, minLat, maxLon, maxLat]] = reports.extent.spatial.bbox;
    expect(minLon).toBeCloseTo(ASTANA.lon, 6);
    expect(maxLon).toBeCloseTo(ALMATY.lon + 4 * 0.003, 6);
    expect(minLat).toBeCloseTo(ALMATY.lat, 6);
    expect(maxLat).toBeCloseTo(ASTANA.lat, 6);
    const [[first, last]] = reports.extent.temporal.interval;
    expect(first).toBe('2025-06-01T10:00:00.000Z');
    expect(Date.parse(last)).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z'));
    const links = rels(reports.links);
    expect(links.items).toEqual({ href: `${BASE}/ogc/collections/reports/items`, rel: 'items', type: 'application/geo+json', title: expect.any(String) });
    expect(links.self.href).toBe(`${BASE}/ogc/collections/reports`);

    // Districts: the demo service areas span Almaty to Kostanay; no time axis.
    const districts = byId.districts;
    const [[dMinLon, , dMaxLon, dMaxLat]] = districts.extent.spatial.bbox;
    expect(dMinLon).toBeLessThan(64);
    expect(dMaxLon).toBeGreaterThan(77);
    expect(dMaxLat).toBeGreaterThan(53);
    expect(districts.extent.temporal).toBeUndefined();

    const one = await get('/ogc/collections/reports');
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(reports);
  });

  it('answers 404 problem details for an unknown collection or feature', async () => {
    for (const url of ['/ogc/collections/nope', '/ogc/collections/nope/items', '/ogc/collections/nope/items/x', '/api/v1/export/nope.geojson']) {
      const res = await get(url, { accept: 'text/html,application/json' });
      expect([url, res.statusCode]).toEqual([url, 404]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await get('/ogc/collections/reports/items/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await get('/ogc/collections/reports/items/not-a-uuid')).statusCode).toBe(404);
    expect((await get(`/ogc/collections/districts/items/${astanaId}`)).statusCode).toBe(404);
  });

  it('pages items with numberMatched, next and prev links until every feature was seen once', async () => {
    const first = await get('/ogc/collections/reports/items?limit=2');
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toMatch(/^application\/geo\+json/);
    const page1 = first.json();
    expect(page1.type).toBe('FeatureCollection');
    expect(page1.numberMatched).toBe(6);
    expect(page1.numberReturned).toBe(2);
    expect(Number.isNaN(Date.parse(page1.timeStamp))).toBe(false);
    const l1 = rels(page1.links);
    expect(l1.self).toEqual(expect.objectContaining({ href: `${BASE}/ogc/collections/reports/items?limit=2`, type: 'application/geo+json' }));
    expect(l1.prev).toBeUndefined();
    expect(l1.next.type).toBe('application/geo+json');

    const ids: string[] = page1.features.map((f: { id: string }) => f.id);
    let page = page1;
    let pages = 1;
    while (rels(page.links).next) {
      const res = await follow(rels(page.links).next.href);
      expect(res.statusCode).toBe(200);
      page = res.json();
      pages += 1;
      expect(page.numberMatched).toBe(6);
      expect(rels(page.links).prev).toEqual(expect.objectContaining({ type: 'application/geo+json' }));
      ids.push(...page.features.map((f: { id: string }) => f.id));
    }
    expect(pages).toBe(3);
    expect(ids.sort()).toEqual([...almatyIds, astanaId].sort());
    // prev of the last page is the middle one.
    const middle = (await follow(rels(page.links).prev.href)).json();
    expect(middle.features.map((f: { id: string }) => f.id)).toEqual(ids.slice(2, 4));

    // Each feature is GeoJSON with an id, a point geometry and the public properties.
    const f = page1.features[0];
    expect(f).toEqual(expect.objectContaining({ type: 'Feature', id: expect.any(String), geometry: { type: 'Point', coordinates: [expect.any(Number), expect.any(Number)] } }));
    expect(Object.keys(f.properties).sort()).toEqual([...PUBLIC_PROPERTIES].sort());

    // Past the end: an empty page, no next.
    const beyond = (await get('/ogc/collections/reports/items?offset=50')).json();
    expect(beyond.numberReturned).toBe(0);
    expect(rels(beyond.links).next).toBeUndefined();
  });

  it('clamps a limit above 1000 to 1000 and keeps the default at 100', async () => {
    const big = (await get('/ogc/collections/districts/items?limit=5000')).json();
    expect(big.numberReturned).toBe(big.numberMatched);
    expect(big.numberMatched).toBeGreaterThanOrEqual(10);
    await ds.query(
      `INSERT INTO reports (city_id, district_id, category_code, size, location, outskirts, source, contact_email)
       SELECT city_id, district_id, category_code, size, location, outskirts, source, contact_email FROM reports r, generate_series(1, 1100) WHERE r.id = $1`,
      [almatyIds[2]],
    );
    try {
      const clamped = (await get('/ogc/collections/reports/items?limit=5000')).json();
      expect(clamped.numberReturned).toBe(1000);
      expect(clamped.numberMatched).toBe(1106);
      expect(new URL(rels(clamped.links).next.href).searchParams.get('limit')).toBe('1000');
      expect((await get('/ogc/collections/reports/items')).json().numberReturned).toBe(100);

      // The export walks past one 1000-row batch and still holds every report exactly once.
      const exported = await get('/api/v1/export/reports.geojson');
      expect(exported.statusCode).toBe(200);
      const ids = exported.json().features.map((x: { id: string }) => x.id);
      expect(ids).toHaveLength(1106);
      expect(new Set(ids).size).toBe(1106);
      expect(exported.headers['x-total-count']).toBe('1106');
      expect(exported.headers['x-truncated']).toBe('false');
    } finally {
      await ds.query(`DELETE FROM reports WHERE id <> ALL($1::uuid[])`, [[...almatyIds, astanaId]]);
    }
    expect(await reportCount()).toBe(6);
  });

  it('filters by bbox (CRS84) on reports and districts', async () => {
    const almaty = (await get(`/ogc/collections/reports/items?bbox=${ALMATY_BOX}`)).json();
    expect(almaty.numberMatched).toBe(5);
    expect(almaty.features.map((f: { id: string }) => f.id).sort()).toEqual([...almatyIds].sort());
    const tiny = (await get(`/ogc/collections/reports/items?bbox=${ASTANA.lon - 0.001},${ASTANA.lat - 0.001},${ASTANA.lon + 0.001},${ASTANA.lat + 0.001}`)).json();
    expect(tiny.features.map((f: { id: string }) => f.id)).toEqual([astanaId]);
    expect((await get('/ogc/collections/reports/items?bbox=0,0,1,1')).json().numberMatched).toBe(0);
    // A box across the antimeridian (170°E eastwards to 80°E) holds both cities; one from 170°E to 170°W holds neither.
    expect((await get('/ogc/collections/reports/items?bbox=170,40,80,55')).json().numberMatched).toBe(6);
    expect((await get('/ogc/collections/reports/items?bbox=170,40,-170,55')).json().numberMatched).toBe(0);

    const districts = (await get(`/ogc/collections/districts/items?bbox=${ALMATY_BOX}`)).json();
    expect(districts.numberMatched).toBe(4);
    for (const f of districts.features) {
      expect(f.geometry.type).toMatch(/Polygon/);
      expect(Object.keys(f.properties).sort()).toEqual(['cityId', 'id', 'nameEn', 'nameKk', 'nameRu', 'slug']);
    }
    // The next link keeps the filter.
    const paged = (await get(`/ogc/collections/districts/items?bbox=${ALMATY_BOX}&limit=3`)).json();
    expect(new URL(rels(paged.links).next.href).searchParams.get('bbox')).toBe(ALMATY_BOX);
  });

  it('filters reports by datetime: instants, dates, closed and open intervals', async () => {
    const matched = async (datetime: string) => {
      const res = await get(`/ogc/collections/reports/items?datetime=${encodeURIComponent(datetime)}`);
      expect([datetime, res.statusCode]).toEqual([datetime, 200]);
      return res.json().features.map((f: { id: string }) => f.id).sort();
    };
    const recent = [...almatyIds.slice(2), astanaId].sort();
    expect(await matched('../2026-01-01T00:00:00Z')).toEqual([...oldIds].sort());
    expect(await matched('2026-01-01T00:00:00Z/..')).toEqual(recent);
    expect(await matched('2026-01-01T00:00:00Z/')).toEqual(recent);
    expect(await matched('2025-05-01T00:00:00Z/2025-07-01T00:00:00+06:00')).toEqual([...oldIds].sort());
    expect(await matched('2025-06-01T10:00:00Z')).toEqual([...oldIds].sort());
    expect(await matched('2025-06-01T10:00:01Z')).toEqual([]);
    expect(await matched('2025-06-01')).toEqual([...oldIds].sort());
    expect(await matched('2025-05-01/2025-05-31')).toEqual([]);
    // Combined with bbox; districts have no time axis and ignore it.
    expect((await get(`/ogc/collections/reports/items?datetime=../2026-01-01T00:00:00Z&bbox=${ALMATY_BOX}`)).json().numberMatched).toBe(2);
    expect((await get('/ogc/collections/districts/items?datetime=2025-06-01')).json().numberMatched).toBeGreaterThanOrEqual(10);
  });

  it('answers 400 naming the parameter for a bad bbox, datetime, limit, offset, f or an unknown parameter', async () => {
    const cases: [string, string][] = [
      ['bbox=1,2,3', 'bbox'],
      ['bbox=a,b,c,d', 'bbox'],
      ['bbox=76,44,77,43', 'bbox'],
      ['bbox=76,43,200,44', 'bbox'],
      ['bbox=1,2,3,4,5,6', 'bbox'],
      ['bbox=1,2,3,4&bbox=1,2,3,4', 'bbox'],
      ['datetime=yesterday', 'datetime'],
      ['datetime=2026-13-01T00:00:00Z', 'datetime'],
      ['datetime=2026-02-30', 'datetime'],
      ['datetime=../..', 'datetime'],
      ['datetime=2026-01-02T00:00:00Z/2026-01-01T00:00:00Z', 'datetime'],
      ['datetime=2026-01-01T00:00:00', 'datetime'],
      ['limit=0', 'limit'],
      ['limit=-5', 'limit'],
      ['limit=ten', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=1.5', 'offset'],
      ['f=html', 'f'],
      ['colour=red', 'colour'],
    ];
    for (const [query, param] of cases) {
      const res = await get(`/ogc/collections/reports/items?${query}`);
      expect([query, res.statusCode]).toEqual([query, 400]);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect([query, res.json().errors.map((e: { field: string }) => e.field)]).toEqual([query, [param]]);
    }
    expect((await get('/api/v1/export/reports.geojson?bbox=1,2')).statusCode).toBe(400);
    expect((await get('/ogc/conformance?f=xml')).statusCode).toBe(400);
  });

  it('serves one feature with self and collection links', async () => {
    const res = await get(`/ogc/collections/reports/items/${almatyIds[1]}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const f = res.json();
    expect(f).toEqual(expect.objectContaining({ type: 'Feature', id: almatyIds[1] }));
    expect(f.geometry.coordinates[0]).toBeCloseTo(ALMATY.lon + 0.003, 6);
    expect(f.geometry.coordinates[1]).toBeCloseTo(ALMATY.lat, 6);
    expect(f.properties).toEqual(expect.objectContaining({ status: 'submitted', category: 'household', size: 'car', description: 'bags by the road' }));
    const links = rels(f.links);
    expect(links.self).toEqual(expect.objectContaining({ href: `${BASE}/ogc/collections/reports/items/${almatyIds[1]}`, type: 'application/geo+json' }));
    expect(links.collection.href).toBe(`${BASE}/ogc/collections/reports`);
    expect((await follow(links.self.href)).json().id).toBe(almatyIds[1]);

    const districtId = (await get('/ogc/collections/districts/items?limit=1')).json().features[0].id;
    const district = (await get(`/ogc/collections/districts/items/${districtId}`)).json();
    expect(district.geometry.type).toBe('MultiPolygon');
  });

  it('exports a collection as a GeoJSON download holding every matching feature', async () => {
    const res = await get('/api/v1/export/reports.geojson');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/geo\+json/);
    const today = new Date().toISOString().slice(0, 10);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="taza-reports-${today}.geojson"`);
    const body = res.json();
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.map((f: { id: string }) => f.id).sort()).toEqual([...almatyIds, astanaId].sort());
    for (const f of body.features) expect(Object.keys(f.properties).sort()).toEqual([...PUBLIC_PROPERTIES].sort());

    const filtered = (await get(`/api/v1/export/reports.geojson?bbox=${ALMATY_BOX}&datetime=../2026-01-01T00:00:00Z`)).json();
    expect(filtered.features.map((f: { id: string }) => f.id).sort()).toEqual([...oldIds].sort());
    const empty = await get('/api/v1/export/reports.geojson?bbox=0,0,1,1');
    expect(empty.json()).toEqual(expect.objectContaining({ type: 'FeatureCollection', features: [] }));

    const districts = await get('/api/v1/export/districts.geojson');
    expect(districts.headers['content-disposition']).toBe(`attachment; filename="taza-districts-${today}.geojson"`);
    const all = (await get('/ogc/collections/districts/items')).json();
    expect(districts.json().features).toHaveLength(all.numberMatched);
  });

  // Last: it reads every body the other tests received.
  it('never shows a private field: contact email and phone, rating comment, EXIF flag, reporter', async () => {
    for (const id of almatyIds) await get(`/ogc/collections/reports/items/${id}`);
    await get('/ogc/collections/reports/items?limit=1000');
    await get('/api/v1/export/reports.geojson');
    expect(seen.length).toBeGreaterThan(40);
    for (const body of seen) {
      expect(body).not.toContain(SECRET_EMAIL);
      expect(body).not.toContain(SECRET_PHONE);
      expect(body).not.toContain(SECRET_COMMENT);
      expect(body).not.toMatch(/contactEmail|contactPhone|ratingComment|exifGpsFar|reporterId|reporterIp|trackingToken/);
    }
    // The private values are really stored, so the check above could fail.
    const [row] = await ds.query(`SELECT contact_email, contact_phone FROM reports WHERE id = $1`, [almatyIds[0]]);
    expect(row).toEqual({ contact_email: SECRET_EMAIL, contact_phone: SECRET_PHONE });
  });
});
