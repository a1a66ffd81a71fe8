import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { VectorTile } from '@mapbox/vector-tile';
import pg from 'pg';
import { PbfReader } from 'pbf';
import { DEMO_LANDFILLS, LandfillsService, addDays } from '../../../../libs/landfills/src/index.js';
import { tileOf } from '../../../../libs/maps/src/index.js';
import { projectRoot } from '../../../../libs/core/src/index.js';
import { createTestDatabase, multipartBody, signIn } from '../../../../libs/testing/src/index.js';
import { startTestApi, stopTestApi, type TestApi } from '../testing/test-api.js';

describe('landfills API (real PostGIS)', () => {
  let t: TestApi;
  const auth: Record<string, Record<string, string>> = {};
  const landfill: Record<string, string> = {};
  let today: string;

  beforeAll(async () => {
    t = await startTestApi();
    for (const who of ['akim.kostanay', 'dispatcher.kostanay', 'akim.almaty', 'dispatcher.almaty', 'admin']) auth[who] = (await signIn(t.app, `${who}@taza.example`)).auth;
    const all = (await t.app.inject({ method: 'GET', url: '/api/v1/landfills', headers: auth.admin })).json();
    for (const f of all.features) landfill[f.properties.name.split(' ')[0].toLowerCase()] = f.id;
    today = all.features[0].properties.asOf;
  });
  afterAll(() => stopTestApi(t));

  const count = async (sql: string, params: unknown[] = []) => Number((await t.ds.query(sql, params))[0].n);
  const intakeRows = (id: string) => count(`SELECT count(*) AS n FROM landfill_intake WHERE landfill_id = $1`, [id]);
  const post = (url: string, who: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload: payload as never, headers: { ...auth[who], ...headers } });
  const upload = (url: string, who: string, csv: string) => {
    const { body, contentType } = multipartBody({}, [{ field: 'file', filename: 'data.csv', contentType: 'text/csv', data: Buffer.from(csv) }]);
    return post(url, who, body, { 'content-type': contentType });
  };

  it("shows an akim the fill level of their city's landfill only: Kostanay about 91 %, with its live alerts", async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/landfills', headers: auth['akim.kostanay'] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.type).toBe('FeatureCollection');
    expect(body.features).toHaveLength(1);
    const p = body.features[0].properties;
    expect(p.name).toBe('Kostanay municipal landfill');
    expect(p.fillPercent).toBeGreaterThan(90);
    expect(p.fillPercent).toBeLessThan(92);
    expect(body.features[0].geometry.type).toBe('MultiPolygon');
    expect(p.alerts.map((a: { level: string }) => a.level).sort()).toEqual(['critical', 'full_within_year', 'warning']);
    expect(p.forecast.thresholds['100'].date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Astana's is the comfortable one: no alert at all.
    const astana = (await t.app.inject({ method: 'GET', url: '/api/v1/landfills', headers: auth.admin })).json().features.find((f: { id: string }) => f.id === landfill.astana);
    expect(astana.properties.fillPercent).toBeLessThan(40);
    expect(astana.properties.alerts).toEqual([]);
  });

  it('gives the series: a year of daily intake, fill level and the forecast with its range; "what if 30 % more is diverted" moves 100 % later', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/landfills/${landfill.kostanay}/series`, headers: auth['akim.kostanay'] });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.points).toHaveLength(365);
    expect(s.points.at(-1).day).toBe(today);
    expect(s.points.at(-2).intakeTonnes).toBeGreaterThan(200);
    expect(s.points.some((d: { divertedTonnes: number }) => d.divertedTonnes > 0)).toBe(true);
    expect(s.points.filter((d: { survey?: unknown }) => d.survey).length).toBeGreaterThanOrEqual(3);
    expect(s.points.at(-1).fillPercent).toBeGreaterThan(90);
    expect(s.points[0].fillPercent).toBeLessThan(s.points.at(-1).fillPercent);
    const full = s.forecast.thresholds['100'];
    expect(s.forecast.thresholds['80'].reached).toBe(true);
    expect(full.low <= full.date && full.date <= full.high).toBe(true);
    expect(full.date < addDays(today, 400)).toBe(true);
    expect(s.forecast.rateLowTonnesPerDay).toBeLessThanOrEqual(s.forecast.rateTonnesPerDay);
    expect(s.forecast.points[0]).toEqual({ day: addDays(today, 7), fillPercent: expect.any(Number), lowPercent: expect.any(Number), highPercent: expect.any(Number) });

    const diverted = (await t.app.inject({ method: 'GET', url: `/api/v1/landfills/${landfill.kostanay}/series?divertPercent=30`, headers: auth['akim.kostanay'] })).json();
    expect(diverted.forecast.divertPercent).toBe(30);
    expect(diverted.forecast.thresholds['100'].date > full.date).toBe(true);

    const bad = await t.app.inject({ method: 'GET', url: `/api/v1/landfills/${landfill.kostanay}/series?divertPercent=150&from=2020-02-30`, headers: auth['akim.kostanay'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['divertPercent']);
    const future = await t.app.inject({ method: 'GET', url: `/api/v1/landfills/${landfill.kostanay}/series?to=${addDays(today, 2)}`, headers: auth['akim.kostanay'] });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].field).toBe('to');
  });

  it('scopes every landfill route to the cities using it: another city gets 404, akims cannot record', async () => {
    const kostanay = landfill.kostanay;
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/landfills/${kostanay}/series`, headers: auth['akim.almaty'] })).statusCode).toBe(404);
    const before = await intakeRows(kostanay);
    expect((await post(`/api/v1/landfills/${kostanay}/intake`, 'dispatcher.almaty', { date: today, tonnes: 5 })).statusCode).toBe(404);
    expect((await post(`/api/v1/landfills/${kostanay}/intake`, 'akim.kostanay', { date: today, tonnes: 5 })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/landfill-alerts', headers: auth['akim.almaty'] })).json()).toEqual([]);
    const kostanayCity = (await t.ds.query(`SELECT id FROM cities WHERE slug = 'kostanay'`))[0].id;
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/landfill-alerts?cityId=${kostanayCity}`, headers: auth['akim.almaty'] })).json()).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/landfills?cityId=${kostanayCity}`, headers: auth['akim.almaty'] })).json().features).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/landfills?cityId=${kostanayCity}`, headers: auth.admin })).json().features).toHaveLength(1);
    expect(await intakeRows(kostanay)).toBe(before);
  });

  it('records a ticket and refuses bad input with a 4xx naming the field, storing nothing', async () => {
    const url = `/api/v1/landfills/${landfill.kostanay}/intake`;
    const before = await intakeRows(landfill.kostanay);
    const ok = await post(url, 'dispatcher.kostanay', { date: today, tonnes: 18.5, plate: '123 abc 10', ticketId: 'K-1' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ day: today, tonnes: 18.5, plate: '123ABC10', externalId: 'K-1' });
    expect(await count(`SELECT count(*) AS n FROM outbox WHERE job_name = 'landfills.forecast' AND payload->>'landfillId' = $1`, [landfill.kostanay])).toBeGreaterThan(0);

    const cases: [unknown, number, string][] = [
      [{ date: today, tonnes: -3 }, 400, 'tonnes'],
      [{ date: today, tonnes: 10_001 }, 400, 'tonnes'],
      [{ date: addDays(today, 1), tonnes: 5 }, 400, 'date'],
      [{ date: '2026-02-30', tonnes: 5 }, 400, 'date'],
      [{ date: today, tonnes: '5t' }, 400, 'tonnes'],
      [{ date: today, tonnes: 5, sourceCity: 'almaty' }, 400, 'sourceCity'],
      [{ date: today, tonnes: 5, ticketId: 'K-1' }, 409, 'ticketId'],
    ];
    for (const [payload, status, field] of cases) {
      const res = await post(url, 'dispatcher.kostanay', payload);
      expect([JSON.stringify(payload), res.statusCode]).toEqual([JSON.stringify(payload), status]);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    // 10,000 t a day at one landfill: two tickets of 6,000 t on one day are a typo somewhere.
    expect((await post(url, 'dispatcher.kostanay', { date: addDays(today, -400), tonnes: 6000 })).statusCode).toBe(201);
    const over = await post(url, 'dispatcher.kostanay', { date: addDays(today, -400), tonnes: 5000 });
    expect(over.statusCode).toBe(400);
    expect(over.json().errors[0]).toEqual({ field: 'tonnes', message: expect.stringMatching(/over 10,000 t a day/) });
    expect(await intakeRows(landfill.kostanay)).toBe(before + 2);

    const unknown = await post('/api/v1/landfills/7d0bd8a5-1c57-4a6b-9a6c-6f1f3c0d2b11/intake', 'dispatcher.kostanay', { date: today, tonnes: 5 });
    expect(unknown.statusCode).toBe(404);
    expect((await post('/api/v1/landfills/not-a-uuid/intake', 'dispatcher.kostanay', { date: today, tonnes: 5 })).json().errors[0].field).toBe('id');

    const surveys = `/api/v1/landfills/${landfill.kostanay}/surveys`;
    const tooMuch = await post(surveys, 'dispatcher.kostanay', { date: addDays(today, -2), usedM3: 2_400_001, method: 'drone' });
    expect(tooMuch.statusCode).toBe(400);
    expect(tooMuch.json().errors[0]).toEqual({ field: 'usedM3', message: expect.stringMatching(/capacity \(2,400,000 m³\)/) });
    const method = await post(surveys, 'dispatcher.kostanay', { date: addDays(today, -2), usedM3: 10, method: 'guess' });
    expect(method.json().errors[0].field).toBe('method');
    expect(await count(`SELECT count(*) AS n FROM landfill_surveys WHERE landfill_id = $1 AND day = $2`, [landfill.kostanay, addDays(today, -2)])).toBe(0);
  });

  it('imports a good intake CSV in one go', async () => {
    const before = await intakeRows(landfill.zhezkazgan);
    const csv = `date,tonnes,plate,source_city,ticket\n${addDays(today, -1)},12.5,777 ZZZ 03,zhezkazgan,Z-100\n${addDays(today, -1)},"8,25",,,Z-101\n${today},30,,,\n`;
    const res = await upload(`/api/v1/landfills/${landfill.zhezkazgan}/intake/import`, 'admin', csv);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ imported: 3 });
    expect(await intakeRows(landfill.zhezkazgan)).toBe(before + 3);
    const [row] = await t.ds.query(`SELECT tonnes::float8 AS tonnes, plate FROM landfill_intake WHERE external_id = 'Z-101'`);
    expect(row).toEqual({ tonnes: 8.25, plate: null });
  });

  it('refuses a bad intake CSV whole, with one line per bad row naming the row and field', async () => {
    const before = await intakeRows(landfill.zhezkazgan);
    const csv = [
      'date,tonnes,plate,source_city,ticket',
      `${addDays(today, -3)},10,,,`, // row 2: fine
      `${addDays(today, 5)},10,,,`, // row 3: future
      `${addDays(today, -3)},-4,,,`, // row 4: negative
      `${addDays(today, -3)},12000,,,`, // row 5: absurd
      `${addDays(today, -3)},10,,astana,`, // row 6: a city that does not use it
      `${addDays(today, -3)},10,,`, // row 7: a field short
      `yesterday,abc,,,`, // row 8: two bad fields, one line
    ].join('\n');
    const res = await upload(`/api/v1/landfills/${landfill.zhezkazgan}/intake/import`, 'dispatcher.almaty', csv);
    expect(res.statusCode).toBe(404);
    const bad = await upload(`/api/v1/landfills/${landfill.zhezkazgan}/intake/import`, 'admin', csv);
    expect(bad.statusCode).toBe(400);
    const errors: { field: string; message: string }[] = bad.json().errors;
    expect(errors.map((e) => e.field)).toEqual(['rows[7]', 'rows[3].date', 'rows[4].tonnes', 'rows[5].tonnes', 'rows[6].source_city', 'rows[8].date']);
    expect(errors.find((e) => e.field === 'rows[8].date')!.message).toBe('row 8: date must be a date YYYY-MM-DD; tonnes must be a number of tonnes');
    expect(bad.json().detail).toMatch(/not imported/);
    expect(await intakeRows(landfill.zhezkazgan)).toBe(before);

    const header = await upload(`/api/v1/landfills/${landfill.zhezkazgan}/intake/import`, 'admin', 'day,weight\n2026-01-01,3\n');
    expect(header.json().errors[0]).toEqual({ field: 'file', message: expect.stringMatching(/lacks date, tonnes/) });
    const noFile = await post(`/api/v1/landfills/${landfill.zhezkazgan}/intake/import`, 'admin', { date: today });
    expect(noFile.json().errors[0].field).toBe('file');
  });

  it('imports surveys from CSV, all or nothing', async () => {
    const url = `/api/v1/landfills/${landfill.zhezkazgan}/surveys/import`;
    const bad = await upload(url, 'admin', `date,used_m3,method,note\n${addDays(today, -20)},800000,drone,ok\n${addDays(today, -19)},1600000,drone,\n${addDays(today, -18)},800000,eyeball,\n`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['rows[3].used_m3', 'rows[4].method']);
    expect(await count(`SELECT count(*) AS n FROM landfill_surveys WHERE landfill_id = $1 AND day >= $2`, [landfill.zhezkazgan, addDays(today, -20)])).toBe(0);
    const good = await upload(url, 'admin', `date,used_m3,method,note\n${addDays(today, -20)},800000,drone,ok\n${addDays(today, -19)},801000,topographic,\n`);
    expect(good.statusCode).toBe(201);
    expect(good.json()).toMatchObject({ imported: 2 });
  });

  it('takes weighbridge tickets with a key, once per ticket number', async () => {
    const ticket = { ticketId: 'WB-2026-0001', date: today, tonnes: 14.2, plate: '045 KST 10' };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/weighbridge/tickets', payload: ticket })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/weighbridge/tickets', payload: ticket, headers: { 'x-api-key': 'wrong' } })).statusCode).toBe(401);
    const badAndKeyless = await t.app.inject({ method: 'POST', url: '/api/v1/weighbridge/tickets', payload: { tonnes: -1 } });
    expect([badAndKeyless.statusCode, badAndKeyless.json().errors[0].field]).toEqual([401, 'X-Api-Key']);
    const issued = (await post('/api/v1/admin/weighbridges', 'admin', { landfillId: landfill.kostanay, name: 'North gate' })).json();
    const send = () => t.app.inject({ method: 'POST', url: '/api/v1/weighbridge/tickets', payload: ticket, headers: { 'x-api-key': issued.apiKey } });
    const first = await send();
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ created: true, landfillId: landfill.kostanay, ticketId: 'WB-2026-0001' });
    expect((await send()).statusCode).toBe(200);
    expect(await count(`SELECT count(*) AS n FROM landfill_intake WHERE external_id = 'WB-2026-0001'`)).toBe(1);
    const noTicket = await t.app.inject({ method: 'POST', url: '/api/v1/weighbridge/tickets', payload: { date: today, tonnes: 3 }, headers: { 'x-api-key': issued.apiKey } });
    expect(noTicket.json().errors[0].field).toBe('ticketId');
    await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/weighbridges/${issued.id}`, headers: auth.admin });
    expect((await send()).statusCode).toBe(401);
  });

  it('lets an akim of the city acknowledge an alert with a note, once', async () => {
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/landfill-alerts?state=open', headers: auth['akim.kostanay'] })).json();
    expect(list.map((a: { level: string }) => a.level).sort()).toEqual(['critical', 'full_within_year', 'warning']);
    const critical = list.find((a: { level: string }) => a.level === 'critical');
    expect(critical).toMatchObject({ landfillName: 'Kostanay municipal landfill', acknowledgedAt: null, fillPercent: expect.any(Number) });
    const url = `/api/v1/landfill-alerts/${critical.id}/acknowledge`;
    expect((await post(url, 'akim.almaty', { note: 'not mine' })).statusCode).toBe(404);
    expect((await post(url, 'dispatcher.kostanay', { note: 'seen' })).statusCode).toBe(403);
    expect((await post(url, 'akim.kostanay', { note: '   ' })).json().errors[0].field).toBe('note');
    expect((await post(url, 'akim.kostanay', {})).json().errors[0].field).toBe('note');
    const ack = await post(url, 'akim.kostanay', { note: 'Tender for the new cell is out; a transfer to the regional site is agreed.' });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ acknowledgedAt: expect.any(String), note: expect.stringMatching(/^Tender/), acknowledgedByName: expect.anything() });
    expect((await post(url, 'akim.kostanay', { note: 'again' })).statusCode).toBe(409);
    const trail = (await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: auth['akim.kostanay'] })).json();
    const entries = Array.isArray(trail) ? trail : trail.items;
    expect(entries.filter((e: { action: string; objectId: string }) => e.action === 'landfill_alert.acknowledge' && e.objectId === critical.id)).toHaveLength(1);
    const open = (await t.app.inject({ method: 'GET', url: '/api/v1/landfill-alerts?state=open', headers: auth['akim.kostanay'] })).json();
    expect(open.map((a: { level: string }) => a.level).sort()).toEqual(['full_within_year', 'warning']);
    const acked = (await t.app.inject({ method: 'GET', url: '/api/v1/landfill-alerts?state=acknowledged', headers: auth['dispatcher.kostanay'] })).json();
    expect(acked).toHaveLength(1);
  });

  it('raises an alert once while the level wavers, re-arms it 2 points below the line, raises it again', async () => {
    const service = t.app.get(LandfillsService);
    const id = landfill.zhezkazgan;
    const capacity = 1_500_000;
    const survey = async (daysAgo: number, percent: number) => {
      const res = await post(`/api/v1/landfills/${id}/surveys`, 'admin', { date: addDays(today, -daysAgo), usedM3: (capacity * percent) / 100, method: 'drone' });
      expect(res.statusCode).toBe(201);
      return service.refresh(id);
    };
    const warnings = () => count(`SELECT count(*) AS n FROM landfill_alerts WHERE landfill_id = $1 AND level = 'warning'`, [id]);
    expect((await survey(13, 80.5))!.raised).toEqual(['warning']);
    expect((await survey(12, 79.0))!.raised).toEqual([]);
    expect((await survey(11, 80.2))!.raised).toEqual([]);
    expect(await warnings()).toBe(1);
    expect((await survey(10, 77.5))!.rearmed).toEqual(['warning']);
    expect((await survey(9, 80.1))!.raised).toEqual(['warning']);
    expect(await warnings()).toBe(2);
    expect(await count(`SELECT count(*) AS n FROM landfill_alerts WHERE landfill_id = $1 AND level = 'warning' AND rearmed_at IS NULL`, [id])).toBe(1);
    // The same day's forecast again changes nothing.
    expect((await service.refresh(id))!.raised).toEqual([]);
  });

  it('keeps diversion per city: dispatchers report their own, staff of other cities do not see it', async () => {
    const ok = await post('/api/v1/diversion', 'dispatcher.kostanay', { date: today, tonnes: 12.5, source: 'collection points' });
    expect(ok.statusCode).toBe(201);
    expect((await post('/api/v1/diversion', 'dispatcher.kostanay', { date: today, tonnes: -1, source: 'x' })).json().errors[0].field).toBe('tonnes');
    expect((await post('/api/v1/diversion', 'dispatcher.kostanay', { cityId: (await t.ds.query(`SELECT id FROM cities WHERE slug = 'almaty'`))[0].id, date: today, tonnes: 1, source: 'x' })).statusCode).toBe(400);
    const mine = (await t.app.inject({ method: 'GET', url: '/api/v1/diversion', headers: auth['akim.kostanay'] })).json();
    expect(mine.some((d: { id: string }) => d.id === ok.json().id)).toBe(true);
    const theirs = (await t.app.inject({ method: 'GET', url: '/api/v1/diversion', headers: auth['akim.almaty'] })).json();
    expect(theirs.some((d: { id: string }) => d.id === ok.json().id)).toBe(false);
  });

  it('lets admins add and change landfills, refusing a bad polygon or unknown city by field', async () => {
    const cityId = (await t.ds.query(`SELECT id FROM cities WHERE slug = 'astana'`))[0].id;
    const square = { type: 'Polygon', coordinates: [[[71.2, 51.0], [71.21, 51.0], [71.21, 51.01], [71.2, 51.01], [71.2, 51.0]]] };
    const bowtie = { type: 'Polygon', coordinates: [[[71.2, 51.0], [71.21, 51.01], [71.21, 51.0], [71.2, 51.01], [71.2, 51.0]]] };
    const bad = await post('/api/v1/admin/landfills', 'admin', { name: 'Astana north cell', geometry: bowtie, capacityM3: 500000, cityIds: ['7d0bd8a5-1c57-4a6b-9a6c-6f1f3c0d2b11'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['cityIds', 'geometry']);
    const created = await post('/api/v1/admin/landfills', 'admin', { name: 'Astana north cell', geometry: square, capacityM3: 500000, cityIds: [cityId], status: 'closing' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ status: 'closing', densityTPerM3: 0.8, cityIds: [cityId] });
    const dup = await post('/api/v1/admin/landfills', 'admin', { name: 'astana NORTH cell', geometry: square, capacityM3: 1, cityIds: [cityId] });
    expect(dup.json().errors[0].field).toBe('name');
    const changed = await t.app.inject({ method: 'PUT', url: `/api/v1/admin/landfills/${created.json().id}`, headers: auth.admin, payload: { name: 'Astana north cell', geometry: square, capacityM3: 600000, cityIds: [cityId], status: 'closed' } });
    expect(changed.json()).toMatchObject({ capacityM3: 600000, status: 'closed' });
  });

  it('draws landfills on the public tile layer and OGC collection with name, status and fill level only', async () => {
    const site = DEMO_LANDFILLS.find((d) => d.city === 'kostanay')!;
    const tile = tileOf(site.centre[0], site.centre[1], 12);
    const res = await t.app.inject({ method: 'GET', url: `/tiles/landfills/${tile.z}/${tile.x}/${tile.y}.mvt` });
    expect(res.statusCode).toBe(200);
    const layer = new VectorTile(new PbfReader(res.rawPayload)).layers.landfills;
    expect(layer.length).toBe(1);
    const props = layer.feature(0).properties;
    expect(Object.keys(props).sort()).toEqual(['fill_percent', 'id', 'name', 'status']);
    expect(props).toMatchObject({ id: landfill.kostanay, name: 'Kostanay municipal landfill', status: 'operating' });
    expect(props.fill_percent as number).toBeGreaterThan(90);
    const tj = (await t.app.inject({ method: 'GET', url: '/tiles/landfills.json' })).json();
    expect(Object.keys(tj.vector_layers[0].fields).sort()).toEqual(['fill_percent', 'id', 'name', 'status']);

    const items = (await t.app.inject({ method: 'GET', url: '/ogc/collections/landfills/items' })).json();
    const kostanay = items.features.find((f: { id: string }) => f.id === landfill.kostanay);
    expect(Object.keys(kostanay.properties).sort()).toEqual(['asOf', 'fillPercent', 'id', 'name', 'status']);
    expect(kostanay.properties.fillPercent).toBeGreaterThan(90);
    expect(kostanay.geometry.type).toBe('MultiPolygon');
  });
});

describe('npm run seed (the command npm start runs)', () => {
  it("loads the demo landfills and raises Kostanay's critical alert with its email queued, once", async () => {
    const db = await createTestDatabase();
    try {
      const seed = () =>
        execFileSync(process.execPath, [join(projectRoot(), 'dist', 'apps', 'api', 'src', 'cli.js'), 'seed'], {
          env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: 'test', LOG_LEVEL: 'silent', QUEUE_PREFIX: `taza-seed-${process.pid}` },
          encoding: 'utf8',
        });
      expect(seed()).toMatch(/4 new landfills/);
      expect(seed()).toMatch(/0 new landfills/);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query<{ level: string; emails: number }>(
        `SELECT a.level, (SELECT count(*)::int FROM notifications n WHERE n.recipient = 'akim.kostanay@taza.example') AS emails
           FROM landfill_alerts a JOIN landfills l ON l.id = a.landfill_id WHERE l.name = 'Kostanay municipal landfill' ORDER BY a.level`,
      );
      expect(rows.map((r) => r.level)).toEqual(['critical', 'full_within_year', 'warning']);
      expect(rows[0].emails).toBe(1);
      await client.end();
    } finally {
      await db.drop();
    }
  });
});
