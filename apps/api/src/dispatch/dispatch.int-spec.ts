import type { INestApplicationContext } from '@nestjs/common';
import { DispatchService } from '../../../../libs/dispatch/src/index.js';
import { HotspotsService } from '../../../../libs/hotspots/src/index.js';
import { blob, givenReports, jpegPhoto, multipartBody, offset, signIn, waitFor } from '../../../../libs/testing/src/index.js';
import { createWorker } from '../../../worker/src/worker.factory.js';
import { startTestApi, stopTestApi, type TestApi } from '../testing/test-api.js';

/** Points on Almaty's eastern outskirts (inside the boundary, outside the core), ~40 m apart. */
const OUTSKIRTS = { lon: 77.06, lat: 43.25 };
const near = (i: number) => ({ lon: OUTSKIRTS.lon + i * 0.0005, lat: OUTSKIRTS.lat });

describe('dispatch: crews, work orders, routes, the queue and SLA (API + worker)', () => {
  let t: TestApi;
  let worker: INestApplicationContext;
  let dispatcher: { authorization: string };
  let otherDispatcher: { authorization: string };
  let akim: { authorization: string };
  let crew: { authorization: string };
  let almatyId: string;

  beforeAll(async () => {
    t = await startTestApi({ HOTSPOT_DEBOUNCE_MS: '500' });
    worker = await createWorker(t.config);
    dispatcher = (await signIn(t.app, 'dispatcher.almaty@taza.example')).auth;
    otherDispatcher = (await signIn(t.app, 'dispatcher.astana@taza.example')).auth;
    akim = (await signIn(t.app, 'akim.almaty@taza.example')).auth;
    crew = (await signIn(t.app, 'crew.almaty@taza.example')).auth;
    [{ id: almatyId }] = await t.ds.query(`SELECT id FROM cities WHERE slug = 'almaty'`);
  });
  afterAll(async () => {
    await worker?.close();
    await stopTestApi(t);
  });

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const report = async (i: number, category = 'household', size = 'car') => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { ...near(i), category, size, description: `dump ${i}` } });
    expect(res.statusCode).toBe(201);
    return res.json() as { reportId: string; trackingToken: string };
  };
  const statusOf = async (id: string) => (await t.ds.query(`SELECT status FROM reports WHERE id = $1`, [id]))[0].status;
  const demoCrew = async () => (await call('GET', '/api/v1/crews', dispatcher)).json().find((c: { name: string }) => c.name === 'Almaty crew 1');
  const complete = async (id: string, who: Record<string, string>, fields: Record<string, string>, photo = true) => {
    const files = photo ? [{ field: 'photos', filename: 'after.jpg', contentType: 'image/jpeg', data: await jpegPhoto() }] : [];
    const { body, contentType } = multipartBody(fields, files);
    return t.app.inject({ method: 'POST', url: `/api/v1/work-orders/${id}/complete`, payload: body, headers: { ...who, 'content-type': contentType } });
  };

  it('walks the dispatcher-to-crew path: queue, work order from an outskirts hotspot, crew route, start, complete with a photo, rating, follow-up', async () => {
    const a = await report(0);
    const b = await report(1, 'construction', 'truck');
    const c = await report(2);
    const queue = (await call('GET', '/api/v1/dispatch/queue', dispatcher)).json();
    expect(queue.toRegister.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([a.reportId, b.reportId, c.reportId]));

    // The worker clusters the three piles into a hotspot on the outskirts; the dispatcher picks it from the list.
    const hotspot = await waitFor(
      async () => {
        const fc = (await call('GET', `/api/v1/hotspots?cityId=${almatyId}&outskirts=true&bbox=77.055,43.245,77.07,43.255`, dispatcher)).json();
        return fc.features.find((f: { properties: { reportCount: number } }) => f.properties.reportCount === 3) ?? null;
      },
      { what: 'an outskirts hotspot from the worker' },
    );
    expect(hotspot.properties).toMatchObject({ outskirts: true, status: 'active', volumeM3: 7 });

    const created = await call('POST', '/api/v1/work-orders', dispatcher, { hotspotId: hotspot.id });
    expect(created.statusCode).toBe(201);
    const order = created.json();
    expect(order).toMatchObject({ status: 'planned', estimatedVolumeM3: 7, crewId: null, hotspotId: hotspot.id });
    expect(order.reports.map((r: { id: string }) => r.id).sort()).toEqual([a.reportId, b.reportId, c.reportId].sort());
    // Nothing left in it to dispatch twice.
    expect((await call('POST', '/api/v1/work-orders', dispatcher, { hotspotId: hotspot.id })).json().errors[0].field).toBe('hotspotId');

    // The same report cannot sit in two open orders.
    const twice = await call('POST', '/api/v1/work-orders', dispatcher, { reportIds: [a.reportId] });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().errors[0]).toMatchObject({ field: 'reportIds' });

    // Starting needs a crew; completing a planned order is refused with the allowed actions named.
    expect((await call('POST', `/api/v1/work-orders/${order.id}/start`, dispatcher)).json().errors[0].field).toBe('crewId');
    const early = await complete(order.id, dispatcher, { removedVolumeM3: '1' });
    expect(early.statusCode).toBe(409);
    expect(early.json().errors[0].message).toMatch(/assign, start, cancel/);

    const crew1 = await demoCrew();
    const assigned = await call('POST', `/api/v1/work-orders/${order.id}/assign`, dispatcher, { crewId: crew1.id });
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json()).toMatchObject({ crewId: crew1.id, crewName: 'Almaty crew 1' });

    // The crew's phone: today's stops in route order, with a geo: link and the day's distance.
    const day = (await call('GET', '/api/v1/crews/day', crew)).json();
    expect(day.crew.id).toBe(crew1.id);
    const stop = day.stops.find((s: { workOrder: { id: string } | null }) => s.workOrder?.id === order.id);
    expect(stop.navigate).toMatch(/^geo:43\.25\d*,77\.06\d*$/);
    expect(day.totalDistanceMetres).toBeGreaterThan(10_000);
    expect(day.stops.at(-1)).toMatchObject({ kind: 'unload', workOrder: null });

    const started = await call('POST', `/api/v1/work-orders/${order.id}/start`, crew);
    expect(started.statusCode).toBe(200);
    expect(await statusOf(a.reportId)).toBe('in_progress');
    expect(await statusOf(b.reportId)).toBe('in_progress');

    // No photo: refused, nothing changes.
    const noPhoto = await complete(order.id, crew, { removedVolumeM3: '5', note: 'done' }, false);
    expect(noPhoto.statusCode).toBe(400);
    expect(noPhoto.json().errors[0].field).toBe('photos');
    const noVolume = await complete(order.id, crew, { note: 'done' });
    expect(noVolume.statusCode).toBe(400);
    expect(noVolume.json().errors[0].field).toBe('removedVolumeM3');
    expect(await statusOf(a.reportId)).toBe('in_progress');

    const done = await complete(order.id, crew, { removedVolumeM3: '5.5', note: 'Loaded two trucks' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', removedVolumeM3: 5.5, completionNote: 'Loaded two trucks' });
    expect(await statusOf(a.reportId)).toBe('resolved');
    // The hotspot is cleared by the clean-up.
    const after_ = (await call('GET', `/api/v1/hotspots/${hotspot.id}`, dispatcher)).json();
    expect(after_.properties.status).toBe('cleared');
    expect(after_.properties.history.map((e: { event: string }) => e.event)).toContain('cleared_by_work_order');
    // The resident sees the "after" photo and the crew's note on the report.
    const seen = (await t.app.inject({ method: 'GET', url: `/api/v1/reports/${a.reportId}`, headers: { 'x-tracking-token': a.trackingToken } })).json();
    expect(seen.status).toBe('resolved');
    const after = seen.media.filter((m: { stage: string }) => m.stage === 'after');
    expect(after).toHaveLength(1);
    const photo = await t.app.inject({ method: 'GET', url: after[0].url, headers: { 'x-tracking-token': a.trackingToken } });
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    // Both reports show the one stored photo.
    const [{ keys }] = await t.ds.query(`SELECT count(DISTINCT storage_key)::int AS keys FROM report_media WHERE work_order_id = $1`, [order.id]);
    expect(keys).toBe(1);

    // The resident is unhappy: the order comes back as a follow-up at the top of the queue.
    const rated = await t.app.inject({ method: 'POST', url: `/api/v1/reports/${a.reportId}/rating`, headers: { 'x-tracking-token': a.trackingToken }, payload: { rating: 2, comment: 'still there' } });
    expect(rated.statusCode).toBe(200);
    const followUps = await waitFor(
      async () => {
        const q = (await call('GET', '/api/v1/dispatch/queue', dispatcher)).json();
        return q.followUps.length ? q.followUps : null;
      },
      { what: 'a follow-up work order from the worker' },
    );
    expect(followUps[0]).toMatchObject({ followUpOf: order.id, crewId: crew1.id, reports: 1 });
    const list = (await call('GET', '/api/v1/work-orders?status=planned', dispatcher)).json();
    expect(list[0].id).toBe(followUps[0].id);
    // The job running again (a re-published outbox row) opens nothing new.
    expect(await worker.get(DispatchService).followUp(a.reportId, 1)).toBeNull();
    expect((await call('GET', '/api/v1/dispatch/queue', dispatcher)).json().followUps).toHaveLength(1);
  });

  it('gives a dispatcher of another city 404 for everything of this one, and keeps crews to their own orders', async () => {
    const r = await report(10);
    const order = (await call('POST', '/api/v1/work-orders', dispatcher, { reportIds: [r.reportId] })).json();
    const crew1 = await demoCrew();
    for (const [method, url, payload] of [
      ['GET', `/api/v1/work-orders/${order.id}`],
      ['POST', `/api/v1/work-orders/${order.id}/assign`, { crewId: crew1.id }],
      ['POST', `/api/v1/work-orders/${order.id}/start`],
      ['POST', `/api/v1/work-orders/${order.id}/cancel`, { reason: 'mine now' }],
      ['GET', `/api/v1/crews/day?crewId=${crew1.id}`],
      ['GET', `/api/v1/dispatch/queue?cityId=${almatyId}`],
      ['PUT', `/api/v1/crews/${crew1.id}`, { name: 'x', capacityM3: 1, depot: { lon: 1, lat: 1 } }],
    ] as const) {
      const res = await call(method, url, otherDispatcher, payload);
      expect([url, res.statusCode]).toEqual([url, 404]);
    }
    // So is a hotspot of this city.
    await givenReports(t.ds, blob(offset(OUTSKIRTS, 0, -1500), 3, 20));
    await t.app.get(HotspotsService).recluster(almatyId);
    const [{ id: hotspotId }] = await t.ds.query(`SELECT id FROM hotspots WHERE ST_DWithin(centroid::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, 100)`, [OUTSKIRTS.lon, offset(OUTSKIRTS, 0, -1500).lat]);
    const foreign = await call('POST', '/api/v1/work-orders', otherDispatcher, { hotspotId });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0]).toMatchObject({ field: 'hotspotId', message: expect.stringMatching(/does not exist in your city/) });
    // Another city's id in a report list is refused the same way.
    const stolen = await call('POST', '/api/v1/work-orders', otherDispatcher, { reportIds: [r.reportId] });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().errors[0].message).toMatch(/does not exist in your city/);
    expect((await call('GET', `/api/v1/work-orders?cityId=${almatyId}`, otherDispatcher)).json()).toEqual([]);

    // The crew account sees only its own crew's orders and cannot plan.
    expect((await call('GET', `/api/v1/work-orders/${order.id}`, crew)).statusCode).toBe(404);
    expect((await call('POST', '/api/v1/work-orders', crew, { reportIds: [r.reportId] })).statusCode).toBe(403);
    // Cancelling frees the report for another order.
    expect((await call('POST', `/api/v1/work-orders/${order.id}/cancel`, dispatcher, {})).json().errors[0].field).toBe('reason');
    expect((await call('POST', `/api/v1/work-orders/${order.id}/cancel`, dispatcher, { reason: 'merged elsewhere' })).json().status).toBe('cancelled');
    expect((await call('POST', '/api/v1/work-orders', dispatcher, { reportIds: [r.reportId] })).statusCode).toBe(201);
  });

  it('manages crews with clear field errors', async () => {
    const bad = await call('POST', '/api/v1/crews', dispatcher, { name: ' ', capacityM3: 0, depot: { lon: 200, lat: 43 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['capacityM3', 'depot.lon', 'name']);
    const made = await call('POST', '/api/v1/crews', dispatcher, { name: 'Night crew', capacityM3: 12, depot: { lon: 76.9, lat: 43.2 }, shiftStart: '20:00', shiftEnd: '23:30' });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ name: 'Night crew', capacityM3: 12, shiftStart: '20:00', cityId: almatyId, active: true });
    expect((await call('POST', '/api/v1/crews', dispatcher, { name: 'Night crew', capacityM3: 1, depot: { lon: 76.9, lat: 43.2 } })).json().errors[0].field).toBe('name');
    expect((await call('GET', '/api/v1/crews', akim)).json().map((c: { name: string }) => c.name)).toContain('Night crew');
    expect((await call('GET', '/api/v1/crews', otherDispatcher)).json().map((c: { name: string }) => c.name)).not.toContain('Night crew');
  });

  it('flags reports and work orders past their SLA targets exactly at the boundary, and clears them when done', async () => {
    const svc = t.app.get(DispatchService);
    const house = await report(20);
    const build = await report(21, 'construction');
    const now = new Date();
    const hours = (h: number) => h * 3600_000;
    const age = (id: string, ms: number) => t.ds.query(`UPDATE reports SET created_at = $2 WHERE id = $1`, [id, new Date(now.getTime() - ms)]);
    const flags = async () =>
      (await call('GET', '/api/v1/dispatch/overdue', akim)).json().map((f: { objectId: string; kind: string }) => `${f.objectId === house.reportId ? 'house' : f.objectId === build.reportId ? 'build' : f.objectId}:${f.kind}`);

    // Register target 24 h: one second short is on time, one second over is overdue.
    await age(house.reportId, hours(24) - 1000);
    await svc.scanSla(now, almatyId);
    expect(await flags()).not.toContain('house:register');
    await age(house.reportId, hours(24) + 1000);
    await svc.scanSla(now, almatyId);
    expect(await flags()).toContain('house:register');

    // Resolve targets: 72 h for household, 7 days for construction.
    await age(house.reportId, hours(72) + 1000);
    await age(build.reportId, hours(72) + 1000);
    await svc.scanSla(now, almatyId);
    expect(await flags()).toEqual(expect.arrayContaining(['house:resolve']));
    expect(await flags()).not.toContain('build:resolve');
    await age(build.reportId, hours(7 * 24) + 1000);
    await svc.scanSla(now, almatyId);
    expect(await flags()).toContain('build:resolve');

    // Registering clears the registration flag (the resolve one stays).
    await call('POST', `/api/v1/reports/${house.reportId}/transitions`, dispatcher, { action: 'register' });
    await svc.scanSla(now, almatyId);
    expect(await flags()).not.toContain('house:register');
    expect(await flags()).toContain('house:resolve');

    // A planned order of yesterday is overdue; the dispatcher's queue shows it too.
    const order = (await call('POST', '/api/v1/work-orders', dispatcher, { reportIds: [build.reportId], scheduledFor: new Date(now.getTime() - hours(48)).toISOString().slice(0, 10) })).json();
    await svc.scanSla(now, almatyId);
    expect(await flags()).toContain(`${order.id}:complete`);
    const queue = (await call('GET', '/api/v1/dispatch/queue', dispatcher)).json();
    expect(queue.overdue.map((f: { objectId: string }) => f.objectId)).toEqual(expect.arrayContaining([order.id, house.reportId]));
    // Scanning again raises nothing new.
    expect(await svc.scanSla(now, almatyId)).toBe(0);
  });
});
