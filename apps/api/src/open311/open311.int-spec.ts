import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AccountsService } from '../../../../libs/accounts/src/index.js';
import { CitiesService } from '../../../../libs/cities/src/index.js';
import type { AppConfig } from '../../../../libs/core/src/index.js';
import { DEMO_OPEN311_CLIENT, Open311ClientsRepository, Open311ClientsService } from '../../../../libs/open311/src/index.js';
import { childrenOf, readXml, textOf, type XmlElement } from '../../../../libs/open311/src/testing/xml-reader.js';
import { createTestDatabase, jpegPhoto, multipartBody, obliterateQueues, signIn, testConfig, type TestDatabase } from '../../../../libs/testing/src/index.js';
import { createApiApp } from '../app.factory.js';

const ALMATY = { lon: 76.9286, lat: 43.2567 };
const CASPIAN = { lon: 50.5, lat: 44.5 };
const DAY = 86_400_000;

/** Moves a point by metres (north, east). */
function offset(p: { lon: number; lat: number }, north: number, east: number) {
  return { lon: p.lon + east / (111320 * Math.cos((p.lat * Math.PI) / 180)), lat: p.lat + north / 110540 };
}

function form(fields: Record<string, string | string[] | number>): string {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) body.append(k, String(x));
  return body.toString();
}

/** The leaves of an XML element as an object (`<request><status>open</status>...` -> {status: 'open'}). */
function leaves(el: XmlElement): Record<string, string> {
  return Object.fromEntries(el.children.map((c) => [c.name, c.text]));
}

describe('Open311 GeoReport v2 (real PostGIS, Redis)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let ds: DataSource;
  let mediaDir: string;
  let admin: { authorization: string };
  let dispatcher: { authorization: string };
  let apiKey: string;
  let clientId: string;
  let spot = 0;

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
  const postRequest = (fields: Record<string, string | string[] | number>, opts: { format?: string; headers?: Record<string, string>; remoteAddress?: string } = {}) =>
    app.inject({
      method: 'POST',
      url: `/open311/v2/requests.${opts.format ?? 'json'}`,
      payload: form(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(opts.headers ?? {}) },
      remoteAddress: opts.remoteAddress,
    });
  /** A fresh spot in central Almaty for each new request, 200 m apart, so nothing merges by accident. */
  const freshPoint = () => offset(ALMATY, 200 * (++spot % 20) - 2000, 200 * Math.floor(spot / 20) - 1500);
  const newRequest = async (extra: Record<string, string | string[]> = {}) => {
    const p = freshPoint();
    const res = await postRequest({ api_key: apiKey, service_code: 'household', lat: p.lat, long: p.lon, 'attribute[size]': 'car', ...extra });
    expect(res.statusCode).toBe(201);
    return res.json()[0] as { service_request_id: string; token: string; service_notice: string; account_id: null };
  };
  const act = (id: string, payload: Record<string, unknown>) => app.inject({ method: 'POST', url: `/api/v1/reports/${id}/transitions`, payload, headers: dispatcher });
  const resolve = async (id: string, note: string) => {
    expect((await act(id, { action: 'register' })).statusCode).toBe(200);
    expect((await act(id, { action: 'start' })).statusCode).toBe(200);
    const { body, contentType } = multipartBody({ action: 'resolve', note }, [{ field: 'photos', filename: 'after.jpg', contentType: 'image/jpeg', data: await jpegPhoto() }]);
    const res = await app.inject({ method: 'POST', url: `/api/v1/reports/${id}/transitions`, payload: body, headers: { ...dispatcher, 'content-type': contentType } });
    expect(res.statusCode).toBe(200);
  };
  const one = async (id: string, format = 'json') => {
    const res = await get(`/open311/v2/requests/${id}.${format}`);
    expect(res.statusCode).toBe(200);
    return format === 'json' ? res.json()[0] : leaves(childrenOf(readXml(res.body), 'request')[0]);
  };
  const listIds = async (query: string) => {
    const res = await get(`/open311/v2/requests.json?${query}`);
    expect(res.statusCode).toBe(200);
    return res.json().map((r: { service_request_id: string }) => r.service_request_id) as string[];
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    mediaDir = mkdtempSync(join(tmpdir(), 'taza-open311-media-'));
    config = testConfig(db.url, { MEDIA_DIR: mediaDir });
    app = await createApiApp(config);
    ds = app.get(DataSource);
    await app.get(CitiesService).loadDemoCities();
    await app.get(AccountsService).loadDemoAccounts();
    admin = (await signIn(app, 'admin@taza.example')).auth;
    dispatcher = (await signIn(app, 'dispatcher.almaty@taza.example')).auth;
    const issued = await app.inject({ method: 'POST', url: '/api/v1/admin/open311-clients', headers: admin, payload: { name: 'Almaty call centre' } });
    expect(issued.statusCode).toBe(201);
    ({ apiKey, id: clientId } = issued.json());
  });
  afterAll(async () => {
    await app?.close();
    await obliterateQueues(config);
    await db?.drop();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  describe('discovery and services', () => {
    it('describes the endpoint with a base URL built from the request, in JSON and XML', async () => {
      const json = await get('/open311/v2/discovery.json', { host: 'taza.example:8080' });
      expect(json.statusCode).toBe(200);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(json.json().endpoints).toEqual([
        expect.objectContaining({ specification: 'http://wiki.open311.org/GeoReport_v2', url: 'http://taza.example:8080/open311/v2', formats: ['text/xml', 'application/json'] }),
      ]);
      const xml = await get('/open311/v2/discovery.xml', { host: 'taza.example' });
      expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
      const root = readXml(xml.body);
      expect(root.name).toBe('discovery');
      const endpoint = childrenOf(childrenOf(root, 'endpoints')[0], 'endpoint')[0];
      expect(textOf(endpoint, 'url')).toBe('http://taza.example/open311/v2');
      expect(childrenOf(childrenOf(endpoint, 'formats')[0], 'format').map((f) => f.text)).toEqual(['text/xml', 'application/json']);
    });

    it('lists the categories as services, named in the asked language, in JSON and XML', async () => {
      const json = await get('/open311/v2/services.json?locale=kk');
      expect(json.statusCode).toBe(200);
      const services = json.json();
      expect(services.length).toBe(7);
      expect(services.find((s: { service_code: string }) => s.service_code === 'household')).toEqual({
        service_code: 'household',
        service_name: 'Тұрмыстық қалдықтар',
        description: expect.any(String),
        metadata: true,
        type: 'realtime',
        keywords: expect.stringContaining('Household waste'),
        group: 'Заңсыз қоқыс үйінділері',
      });
      expect(services.find((s: { service_code: string }) => s.service_code === 'hazardous').group).toBe('Қауіпті қалдықтар');

      const xml = await get('/open311/v2/services.xml?locale=kk');
      expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
      const root = readXml(xml.body);
      expect(root.name).toBe('services');
      const items = childrenOf(root, 'service').map(leaves);
      expect(items.map((s) => [s.service_code, s.service_name])).toEqual(services.map((s: { service_code: string; service_name: string }) => [s.service_code, s.service_name]));
      expect(items[0].metadata).toBe('true');

      expect((await get('/open311/v2/services.json')).json()[0].service_name).toBe('Household waste');
      expect((await get('/open311/v2/services.json?locale=ru')).json()[0].service_name).toBe('Бытовые отходы');
    });

    it('takes a jurisdiction_id naming a city, refuses an unknown one with 404, and a bad locale with 400', async () => {
      expect((await get('/open311/v2/services.json?jurisdiction_id=almaty')).statusCode).toBe(200);
      const unknown = await get('/open311/v2/services.xml?jurisdiction_id=atlantis');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.headers['content-type']).toBe('text/xml; charset=utf-8');
      const error = childrenOf(readXml(unknown.body), 'error')[0];
      expect(textOf(error, 'code')).toBe('404');
      expect(textOf(error, 'description')).toMatch(/jurisdiction_id/);
      const badLocale = await get('/open311/v2/services.json?locale=de');
      expect(badLocale.statusCode).toBe(400);
      expect(badLocale.json()).toEqual([{ code: 400, description: expect.stringMatching(/^locale: /) }]);
    });

    it('defines each service: size (required single choice) and waste_types (optional, several)', async () => {
      const json = await get('/open311/v2/services/tyres.json?locale=ru');
      expect(json.statusCode).toBe(200);
      const def = json.json();
      expect(def.service_code).toBe('tyres');
      expect(def.attributes.map((a: { code: string; datatype: string; required: boolean }) => [a.code, a.datatype, a.required])).toEqual([
        ['size', 'singlevaluelist', true],
        ['waste_types', 'multivaluelist', false],
      ]);
      expect(def.attributes[0].values.map((v: { key: string }) => v.key)).toEqual(['bag', 'wheelbarrow', 'car', 'truck']);
      expect(def.attributes[0].values[3].name).toBe('Грузовик');

      const root = readXml((await get('/open311/v2/services/tyres.xml')).body);
      expect(root.name).toBe('service_definition');
      const attrs = childrenOf(childrenOf(root, 'attributes')[0], 'attribute');
      expect(attrs.map((a) => textOf(a, 'code'))).toEqual(['size', 'waste_types']);
      expect(childrenOf(childrenOf(attrs[1], 'values')[0], 'value').map((v) => textOf(v, 'key'))).toContain('plastic');

      const unknown = await get('/open311/v2/services/lava.json');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()[0].code).toBe(404);
    });

    it('answers an unknown format with 404', async () => {
      for (const url of ['/open311/v2/services.csv', '/open311/v2/requests.html', '/open311/v2/discovery.yaml', '/open311/v2/services/household.txt']) {
        const res = await get(url);
        expect([url, res.statusCode]).toEqual([url, 404]);
        expect(res.json()[0].code).toBe(404);
      }
      const post = await postRequest({ api_key: apiKey }, { format: 'csv' });
      expect(post.statusCode).toBe(404);
    });
  });

  describe('POST requests', () => {
    it('creates a report from a form with an api_key and reads it back by id (JSON, XML) and by token', async () => {
      const p = freshPoint();
      const res = await postRequest({
        api_key: apiKey, service_code: 'construction', lat: p.lat, long: p.lon, description: 'Bricks and plaster by the canal',
        'attribute[size]': 'truck', 'attribute[waste_types][]': ['metal', 'paper'], email: 'caller@example.kz', media_url: 'http://example.com/a.jpg',
      });
      expect(res.statusCode).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const [created] = res.json();
      expect(created).toEqual({ service_request_id: expect.any(String), service_notice: expect.stringMatching(/received/), account_id: null, token: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) });

      const [row] = await ds.query(
        `SELECT r.source, r.open311_client_id AS "clientId", r.size, r.waste_types AS "wasteTypes", r.contact_email AS email, d.name_en AS district
           FROM reports r JOIN districts d ON d.id = r.district_id WHERE r.id = $1`,
        [created.service_request_id],
      );
      expect(row).toEqual({ source: 'open311', clientId, size: 'truck', wasteTypes: ['metal', 'paper'], email: 'caller@example.kz', district: expect.any(String) });

      const json = await one(created.service_request_id);
      expect(json).toEqual({
        service_request_id: created.service_request_id,
        status: 'open',
        status_notes: '',
        service_name: 'Construction debris',
        service_code: 'construction',
        description: 'Bricks and plaster by the canal',
        agency_responsible: row.district,
        service_notice: '',
        requested_datetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        updated_datetime: expect.any(String),
        expected_datetime: null,
        address: '',
        address_id: null,
        zipcode: null,
        lat: expect.closeTo(p.lat, 6),
        long: expect.closeTo(p.lon, 6),
        media_url: null,
      });
      const xml = await one(created.service_request_id, 'xml');
      expect(xml).toMatchObject({ service_request_id: created.service_request_id, status: 'open', service_code: 'construction', agency_responsible: row.district, expected_datetime: '', media_url: '' });
      expect(Number(xml.lat)).toBeCloseTo(p.lat, 6);
      expect(Number(xml.long)).toBeCloseTo(p.lon, 6);

      const byToken = await get(`/open311/v2/tokens/${created.token}.json`);
      expect(byToken.statusCode).toBe(200);
      expect(byToken.json()).toEqual([{ service_request_id: created.service_request_id, token: created.token }]);
      const byTokenXml = readXml((await get(`/open311/v2/tokens/${created.token}.xml`)).body);
      expect(byTokenXml.name).toBe('service_requests');
      expect(leaves(childrenOf(byTokenXml, 'request')[0])).toEqual({ service_request_id: created.service_request_id, token: created.token });
      expect((await get(`/open311/v2/tokens/${'x'.repeat(32)}.json`)).statusCode).toBe(404);
      expect((await get('/open311/v2/requests/00000000-0000-4000-8000-000000000000.json')).statusCode).toBe(404);
      expect((await get('/open311/v2/requests/not-an-id.xml')).statusCode).toBe(404);

      // The README's curl: brackets sent as they are, not percent-encoded.
      const q = freshPoint();
      const raw = await app.inject({
        method: 'POST', url: '/open311/v2/requests.json', headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `api_key=${apiKey}&service_code=household&lat=${q.lat}&long=${q.lon}&attribute[size]=car&attribute[waste_types][]=plastic&description=Bags+behind+the+bazaar`,
      });
      expect(raw.statusCode).toBe(201);
      const [rawRow] = await ds.query(`SELECT size, waste_types AS "wasteTypes", description FROM reports WHERE id = $1`, [raw.json()[0].service_request_id]);
      expect(rawRow).toEqual({ size: 'car', wasteTypes: ['plastic'], description: 'Bags behind the bazaar' });

      // The key's last use is visible to admins; the key itself never is.
      const clients = await get('/api/v1/admin/open311-clients', admin);
      expect(clients.json().find((c: { id: string }) => c.id === clientId)).toMatchObject({ name: 'Almaty call centre', revoked: false, lastUsedAt: expect.any(String) });
      expect(clients.body).not.toContain(apiKey);
    });

    it('answers in XML, joins an open report within 25 m (its id, a notice, a token of its own), and honours Idempotency-Key', async () => {
      const p = freshPoint();
      const first = await newRequest({ lat: String(p.lat), long: String(p.lon) });
      const near = offset(p, 10, 5);
      const joined = await postRequest({ api_key: apiKey, service_code: 'household', lat: near.lat, long: near.lon, 'attribute[size]': 'bag' }, { format: 'xml' });
      expect(joined.statusCode).toBe(200);
      expect(joined.headers['content-type']).toBe('text/xml; charset=utf-8');
      const request = leaves(childrenOf(readXml(joined.body), 'request')[0]);
      expect(request.service_request_id).toBe(first.service_request_id);
      expect(request.service_notice).toMatch(/added to it as a confirmation/);
      expect(request.account_id).toBe('');
      expect(request.token).not.toBe(first.token);
      expect((await get(`/open311/v2/tokens/${request.token}.json`)).json()[0].service_request_id).toBe(first.service_request_id);
      expect((await one(first.service_request_id)).service_notice).toBe('Confirmed by 1 more report.');

      const count = async () => Number((await ds.query(`SELECT count(*) AS n FROM reports`))[0].n);
      const q = freshPoint();
      const fields = { api_key: apiKey, service_code: 'tyres', lat: q.lat, long: q.lon, 'attribute[size]': 'car' };
      const before = await count();
      const a = await postRequest(fields, { headers: { 'idempotency-key': 'open311-retry-0001' } });
      const b = await postRequest(fields, { headers: { 'idempotency-key': 'open311-retry-0001' } });
      expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
      expect(b.json()).toEqual(a.json());
      expect(await count()).toBe(before + 1);
      const other = await postRequest({ ...fields, service_code: 'green' }, { headers: { 'idempotency-key': 'open311-retry-0001' } });
      expect(other.statusCode).toBe(400);
      expect(other.json()[0].description).toMatch(/^Idempotency-Key: /);
    });

    it('refuses a missing, unknown or revoked api_key with 403 and the spec error body', async () => {
      const p = freshPoint();
      const fields = { service_code: 'household', lat: p.lat, long: p.lon, 'attribute[size]': 'car' };
      const missing = await postRequest(fields);
      expect(missing.statusCode).toBe(403);
      expect(missing.json()).toEqual([{ code: 403, description: expect.stringMatching(/^api_key: /) }]);
      const unknown = await postRequest({ ...fields, api_key: 'not-a-key' }, { format: 'xml' });
      expect(unknown.statusCode).toBe(403);
      const error = childrenOf(readXml(unknown.body), 'error');
      expect(error.map(leaves)).toEqual([{ code: '403', description: expect.stringMatching(/^api_key: /) }]);

      const issued = (await app.inject({ method: 'POST', url: '/api/v1/admin/open311-clients', headers: admin, payload: { name: 'Short-lived' } })).json();
      expect((await postRequest({ ...fields, api_key: issued.apiKey })).statusCode).toBe(201);
      const revoked = await app.inject({ method: 'DELETE', url: `/api/v1/admin/open311-clients/${issued.id}`, headers: admin });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json()).toMatchObject({ id: issued.id, revoked: true });
      const after = await postRequest({ ...fields, lat: p.lat + 0.01, api_key: issued.apiKey });
      expect(after.statusCode).toBe(403);
      expect((await app.inject({ method: 'DELETE', url: '/api/v1/admin/open311-clients/00000000-0000-4000-8000-000000000000', headers: admin })).statusCode).toBe(404);

      const audit = await ds.query(`SELECT action, actor_role AS role, after FROM audit_log WHERE object_type = 'open311_client' AND object_id = $1 ORDER BY id`, [issued.id]);
      expect(audit.map((a: { action: string; role: string }) => [a.action, a.role])).toEqual([
        ['open311_client.created', 'admin'],
        ['open311_client.revoked', 'admin'],
      ]);
      expect(JSON.stringify(audit)).not.toContain(issued.apiKey);
      const [stored] = await ds.query(`SELECT encode(api_key_hash, 'hex') AS hash FROM open311_clients WHERE id = $1`, [issued.id]);
      expect(stored.hash).toHaveLength(64);
    });

    it('names each bad field with a 400: lat, service_code, size, address instead of a point, a point outside every city', async () => {
      const p = freshPoint();
      const base = { api_key: apiKey, service_code: 'household', lat: p.lat, long: p.lon, 'attribute[size]': 'car' };
      const count = async () => Number((await ds.query(`SELECT count(*) AS n FROM reports`))[0].n);
      const before = await count();

      const badLat = await postRequest({ ...base, lat: 'north' });
      expect(badLat.statusCode).toBe(400);
      expect(badLat.json()).toEqual([{ code: 400, description: expect.stringMatching(/^lat: /) }]);
      const outOfRange = await postRequest({ ...base, lat: '91' });
      expect(outOfRange.json().map((e: { description: string }) => e.description.split(':')[0])).toEqual(['lat']);

      const unknownService = await postRequest({ ...base, service_code: 'lava' });
      expect(unknownService.statusCode).toBe(400);
      expect(unknownService.json()).toEqual([{ code: 400, description: expect.stringMatching(/^service_code: /) }]);

      const several = await postRequest({ api_key: apiKey, service_code: 'household', lat: p.lat, long: 'east', 'attribute[size]': 'bus', 'attribute[colour]': 'red', email: 'nope' });
      expect(several.statusCode).toBe(400);
      expect(several.json().map((e: { description: string }) => e.description.split(':')[0]).sort()).toEqual(['attribute[colour]', 'attribute[size]', 'email', 'long']);

      const noSize = await postRequest({ ...base, 'attribute[size]': '' });
      expect(noSize.json().map((e: { description: string }) => e.description.split(':')[0])).toEqual(['attribute[size]']);
      const badType = await postRequest({ ...base, 'attribute[waste_types][]': ['plastic', 'uranium'] });
      expect(badType.json().map((e: { description: string }) => e.description.split(':')[0])).toEqual(['attribute[waste_types]']);

      const address = await postRequest({ api_key: apiKey, service_code: 'household', address_string: 'Abay Ave 10, Almaty', 'attribute[size]': 'car' }, { format: 'xml' });
      expect(address.statusCode).toBe(400);
      expect(childrenOf(readXml(address.body), 'error').map(leaves)).toEqual([{ code: '400', description: 'address_string: address lookup not supported, send lat/long' }]);

      const outside = await postRequest({ ...base, lat: CASPIAN.lat, long: CASPIAN.lon });
      expect(outside.statusCode).toBe(400);
      expect(outside.json().map((e: { description: string }) => e.description)).toEqual([expect.stringMatching(/^long: .*outside/), expect.stringMatching(/^lat: .*outside/)]);

      const json = await app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: 'lat=1', headers: { 'content-type': 'text/plain' } });
      expect(json.statusCode).toBe(400);
      expect(await count()).toBe(before);
    });
  });

  describe('GET requests', () => {
    it('maps our statuses to open/closed as a dispatcher and the reporter move them, with public status notes', async () => {
      const resolved = await newRequest();
      const rejected = await newRequest();
      await resolve(resolved.service_request_id, 'Cleared by crew 3');
      expect(await one(resolved.service_request_id)).toMatchObject({ status: 'open', status_notes: 'Cleared by crew 3', media_url: expect.stringMatching(/^http:\/\/localhost(:80)?\/api\/v1\/media\/[0-9a-f-]{36}$/) });
      expect((await act(rejected.service_request_id, { action: 'reject', reason: 'Private land; the owner was notified' })).statusCode).toBe(200);
      expect(await one(rejected.service_request_id)).toMatchObject({ status: 'closed', status_notes: 'Private land; the owner was notified' });

      // The Open311 token works like any tracking token: the reporter rates, 4 closes the report.
      const rated = await app.inject({ method: 'POST', url: `/api/v1/reports/${resolved.service_request_id}/rating`, payload: { rating: 4, comment: 'Secret thanks from the caller' }, headers: { 'x-tracking-token': resolved.token } });
      expect(rated.statusCode).toBe(200);
      expect((await one(resolved.service_request_id, 'xml')).status).toBe('closed');

      const open = await listIds('status=open');
      const closed = await listIds('status=closed');
      expect(closed).toEqual(expect.arrayContaining([resolved.service_request_id, rejected.service_request_id]));
      expect(open).not.toContain(resolved.service_request_id);
      expect(open).not.toContain(rejected.service_request_id);
      expect((await listIds('status=open,closed')).length).toBe(Math.min(50, open.length + closed.length));
      expect((await get('/open311/v2/requests.json?status=pending')).json()[0].description).toMatch(/^status: /);

      const both = await listIds(`service_request_id=${resolved.service_request_id},${rejected.service_request_id}&status=open`);
      expect(both.sort()).toEqual([resolved.service_request_id, rejected.service_request_id].sort());
    });

    it('serves status changes as mySociety servicerequestupdates, public notes only', async () => {
      const r = await newRequest();
      await resolve(r.service_request_id, 'Two bags collected');
      await app.inject({ method: 'POST', url: `/api/v1/reports/${r.service_request_id}/rating`, payload: { rating: 5, comment: 'Private words of the caller' }, headers: { 'x-tracking-token': r.token } });
      const res = await get('/open311/v2/servicerequestupdates.json');
      expect(res.statusCode).toBe(200);
      const mine = res.json().service_request_updates.filter((u: { service_request_id: string }) => u.service_request_id === r.service_request_id);
      expect(mine.map((u: { status: string; external_status_code: string }) => [u.status, u.external_status_code])).toEqual([
        ['open', 'registered'],
        ['open', 'in_progress'],
        ['open', 'resolved'],
        ['closed', 'closed'],
      ]);
      expect(mine[2].description).toBe('Two bags collected');
      expect(mine[2].media_url).toMatch(/\/api\/v1\/media\/[0-9a-f-]{36}$/);
      const photo = await get(new URL(mine[2].media_url).pathname);
      expect(photo.statusCode).toBe(200);
      expect(photo.headers['content-type']).toBe('image/jpeg');
      expect(mine[3].description).not.toMatch(/Private words/);
      expect(res.body).not.toMatch(/Private words|Secret thanks/);
      expect(mine.every((u: { update_id: string; updated_datetime: string }) => u.update_id && !Number.isNaN(Date.parse(u.updated_datetime)))).toBe(true);

      const xml = readXml((await get('/open311/v2/servicerequestupdates.xml')).body);
      expect(xml.name).toBe('service_request_updates');
      const updates = childrenOf(xml, 'request_update').map(leaves).filter((u) => u.service_request_id === r.service_request_id);
      expect(updates.map((u) => u.status)).toEqual(['open', 'open', 'open', 'closed']);
      const later = await get(`/open311/v2/servicerequestupdates.json?start_date=${new Date(Date.now() + DAY).toISOString()}`);
      expect(later.json()).toEqual({ service_request_updates: [] });
    });

    it('lists only the last 90 days by default; start_date reaches further back; at most 90 days apart', async () => {
      const old = await newRequest();
      await ds.query(`UPDATE reports SET created_at = now() - interval '100 days', updated_at = now() - interval '100 days' WHERE id = $1`, [old.service_request_id]);
      expect(await listIds('page_size=200')).not.toContain(old.service_request_id);
      const start = new Date(Date.now() - 120 * DAY).toISOString();
      expect(await listIds(`start_date=${start}&page_size=200`)).toContain(old.service_request_id);
      expect(await listIds(`end_date=${new Date(Date.now() - 95 * DAY).toISOString()}`)).toEqual([old.service_request_id]);
      expect(await listIds(`service_request_id=${old.service_request_id}`)).toEqual([old.service_request_id]);

      const tooLong = await get(`/open311/v2/requests.json?start_date=${start}&end_date=${new Date().toISOString()}`);
      expect(tooLong.statusCode).toBe(400);
      expect(tooLong.json()).toEqual([{ code: 400, description: expect.stringMatching(/^end_date: .*90 days/) }]);
      const badDate = await get('/open311/v2/requests.json?start_date=yesterday');
      expect(badDate.json()[0].description).toMatch(/^start_date: /);
    });

    it('pages with page/page_size (default 50, at most 200) and filters by service_code and by lat/long/radius', async () => {
      const a = await newRequest({ service_code: 'green' });
      const b = await newRequest({ service_code: 'green' });
      const c = await newRequest({ service_code: 'green' });
      const green = await listIds('service_code=green');
      expect(green.slice(0, 3)).toEqual([c, b, a].map((r) => r.service_request_id));
      const page1 = await listIds('service_code=green&page_size=2');
      const page2 = await listIds('service_code=green&page_size=2&page=2');
      expect(page1).toEqual(green.slice(0, 2));
      expect(page2).toEqual(green.slice(2, 4));
      expect(await listIds('service_code=green,tyres&page_size=200')).toEqual(expect.arrayContaining(green));
      expect((await get('/open311/v2/requests.json?page_size=201')).json()[0].description).toMatch(/^page_size: /);
      expect((await get('/open311/v2/requests.json?page=0')).statusCode).toBe(400);

      const [at] = await ds.query(`SELECT ST_X(location) AS lon, ST_Y(location) AS lat FROM reports WHERE id = $1`, [a.service_request_id]);
      const near = await listIds(`lat=${at.lat}&long=${at.lon}&radius=50`);
      expect(near).toContain(a.service_request_id);
      expect(near).not.toContain(b.service_request_id);
      expect((await get(`/open311/v2/requests.json?lat=${at.lat}`)).json()[0].description).toMatch(/^long: /);
    });

    it('gives the first photo as an absolute media_url, and no media for a rejected report', async () => {
      const p = freshPoint();
      const { body, contentType } = multipartBody({ lon: String(p.lon), lat: String(p.lat), category: 'bulky', size: 'car' }, [
        { field: 'photos', filename: 'before.jpg', contentType: 'image/jpeg', data: await jpegPhoto() },
      ]);
      const created = await app.inject({ method: 'POST', url: '/api/v1/reports', payload: body, headers: { 'content-type': contentType, host: 'maps.taza.example' } });
      expect(created.statusCode).toBe(201);
      const id = created.json().reportId;
      const view = (await get(`/api/v1/reports/${id}`)).json();
      const res = await get(`/open311/v2/requests/${id}.json`, { host: 'maps.taza.example' });
      expect(res.json()[0].media_url).toBe(`http://maps.taza.example/api/v1/media/${view.media[0].id}`);
      await act(id, { action: 'reject', reason: 'Not a dump' });
      expect((await one(id)).media_url).toBeNull();
    });
  });

  it('writes well-formed XML whatever the text holds', async () => {
    const tricky = `Tags <b>&amp; "quotes" 'apostrophes' & ]]> end\u0001\u0008\uFFFE`;
    const r = await newRequest({ description: tricky });
    const res = await get(`/open311/v2/requests/${r.service_request_id}.xml`);
    const request = leaves(childrenOf(readXml(res.body), 'request')[0]);
    expect(request.description).toBe(`Tags <b>&amp; "quotes" 'apostrophes' & ]]> end`);
    const list = await get('/open311/v2/requests.xml?page_size=200');
    expect(childrenOf(readXml(list.body), 'request').length).toBeGreaterThan(5);
  });

  it('never shows the reporter: email, phone, names or IP given on POST appear in no Open311 output', async () => {
    const created = await newRequest({
      email: 'pii.person@example.kz', phone: '+7 701 555 12 34', first_name: 'Aigerimka', last_name: 'Nurlanovna', description: 'Heap of bags',
    });
    // The same person's IP: posted again from a distinctive address.
    const p = freshPoint();
    const fromIp = (await postRequest({ api_key: apiKey, service_code: 'bulky', lat: p.lat, long: p.lon, 'attribute[size]': 'bag', email: 'pii.person@example.kz' }, { remoteAddress: '10.9.8.7' })).json()[0];
    const [stored] = await ds.query(`SELECT contact_email AS email, contact_phone AS phone FROM reports WHERE id = $1`, [created.service_request_id]);
    expect(stored).toEqual({ email: 'pii.person@example.kz', phone: '+7 701 555 12 34' });
    await resolve(created.service_request_id, 'Collected');

    const urls = [
      '/open311/v2/requests.json?page_size=200',
      '/open311/v2/requests.xml?page_size=200',
      `/open311/v2/requests/${created.service_request_id}.json`,
      `/open311/v2/requests/${created.service_request_id}.xml`,
      `/open311/v2/requests/${fromIp.service_request_id}.json`,
      `/open311/v2/requests.json?service_request_id=${created.service_request_id},${fromIp.service_request_id}`,
      `/open311/v2/tokens/${created.token}.json`,
      `/open311/v2/tokens/${created.token}.xml`,
      '/open311/v2/servicerequestupdates.json',
      '/open311/v2/servicerequestupdates.xml',
    ];
    for (const url of urls) {
      const res = await get(url);
      expect([url, res.statusCode]).toEqual([url, 200]);
      expect([url, res.body]).toEqual([url, expect.not.stringMatching(/pii\.person|555 12 34|7015551234|Aigerimka|Nurlanovna|10\.9\.8\.7|contact|reporter_?id|reporter_ip/i)]);
    }
  });

  it('seeds the demo client with its fixed key only when DEMO_DATA is on', async () => {
    const off = new Open311ClientsService(ds, app.get(Open311ClientsRepository), app.get(AccountsService), testConfig(db.url, { DEMO_DATA: 'false' }));
    expect(await off.loadDemoClient()).toBe(0);
    expect(await ds.query(`SELECT 1 FROM open311_clients WHERE name = $1`, [DEMO_OPEN311_CLIENT.name])).toEqual([]);
    const service = app.get(Open311ClientsService);
    expect(await service.loadDemoClient()).toBe(1);
    expect(await service.loadDemoClient()).toBe(0);
    const p = freshPoint();
    const res = await postRequest({ api_key: DEMO_OPEN311_CLIENT.apiKey, service_code: 'household', lat: p.lat, long: p.lon, 'attribute[size]': 'bag' });
    expect(res.statusCode).toBe(201);
    const [client] = await ds.query(`SELECT name FROM open311_clients WHERE api_key_hash = sha256($1::bytea)`, [DEMO_OPEN311_CLIENT.apiKey]);
    expect(client.name).toBe('Demo Open311 client');
  });
});
