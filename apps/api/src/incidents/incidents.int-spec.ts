import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { tileOf } from '../../../../libs/maps/src/index.js';
import { projectRoot } from '../../../../libs/core/src/index.js';
import { CamerasService } from '../../../../libs/incidents/src/index.js';
import { cameraRequest, freePort, jpegPhoto, multipartBody, pngImage, signIn, waitFor, type CameraKey } from '../../../../libs/testing/src/index.js';
import { createWorker } from '../../../worker/src/worker.factory.js';
import { startTestApi, stopTestApi, type TestApi } from '../testing/test-api.js';

const ALMATY_1: CameraKey = { keyId: 'demo-almaty-1', secret: 'taza-demo-camera-secret-almaty-1' };
const ALMATY_2: CameraKey = { keyId: 'demo-almaty-2', secret: 'taza-demo-camera-secret-almaty-2' };
const ASTANA_1: CameraKey = { keyId: 'demo-astana-1', secret: 'taza-demo-camera-secret-astana-1' };

let seq = 0;
/** A fresh, valid incident body (occurred a minute ago). */
function incident(over: Record<string, unknown> = {}) {
  return { eventId: `evt-${Date.now()}-${++seq}`, occurredAt: new Date(Date.now() - 60_000).toISOString(), confidence: 0.5, class: 'dumping', ...over };
}

describe('CCTV incidents: signed intake, idempotency, review, conversion into reports', () => {
  let t: TestApi;
  let worker: INestApplicationContext;
  let dispatcher: { authorization: string };
  let admin: { authorization: string };
  let resident: { authorization: string };
  let almatyId: string;
  const count = async (table: string) => Number((await t.ds.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  const post = (key: CameraKey, payload: unknown, extra: Partial<Parameters<typeof cameraRequest>[2]> = {}) => cameraRequest(t.app, key, { url: '/api/v1/incidents', payload, ...extra });

  beforeAll(async () => {
    t = await startTestApi();
    dispatcher = (await signIn(t.app, 'dispatcher.almaty@taza.example')).auth;
    admin = (await signIn(t.app, 'admin@taza.example')).auth;
    await t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { email: 'cctv.resident@example.kz', password: 'resident-long-passphrase' } });
    resident = (await signIn(t.app, 'cctv.resident@example.kz', 'resident-long-passphrase')).auth;
    almatyId = (await t.ds.query(`SELECT id FROM cities WHERE slug = 'almaty'`))[0].id;
  });
  afterAll(async () => {
    await worker?.close();
    await stopTestApi(t);
  });

  describe('signatures', () => {
    it('accepts a good signature and stores the incident', async () => {
      const res = await post(ALMATY_1, incident());
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ result: 'created', status: 'pending' });
    });

    it('refuses a wrong secret, a flipped body byte, a timestamp 301 s off and missing headers with 401, storing nothing', async () => {
      const before = await count('incidents');
      const wrong = await post({ ...ALMATY_1, secret: 'not-the-secret' }, incident());
      expect(wrong.statusCode).toBe(401);
      expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(wrong.json()).toMatchObject({ code: 'cameras.bad_signature' });

      const flipped = await post(ALMATY_1, incident(), { tamper: (b) => Buffer.from(b.toString().replace('"dumping"', '"dumpinh"')) });
      expect(flipped.statusCode).toBe(401);
      expect(flipped.json().code).toBe('cameras.bad_signature');

      const now = Math.floor(Date.now() / 1000);
      const late = await post(ALMATY_1, incident(), { timestamp: now - 301 });
      const early = await post(ALMATY_1, incident(), { timestamp: now + 301 });
      expect([late.statusCode, early.statusCode]).toEqual([401, 401]);
      expect(late.json()).toMatchObject({ code: 'cameras.stale_timestamp', errors: [{ field: 'X-Timestamp' }] });
      // 299 s off (a little room for the test's own time) is still fine.
      expect((await post(ALMATY_1, incident(), { timestamp: now - 299 })).statusCode).toBe(201);

      const bare = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', payload: incident() });
      expect(bare.statusCode).toBe(401);
      expect(bare.json().code).toBe('cameras.missing_header');
      const unknown = await post({ keyId: 'no-such-key', secret: 'x' }, incident());
      expect(unknown.json().code).toBe('cameras.unknown_key');
      // A staff session is no camera.
      const staff = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: admin, payload: incident() });
      expect(staff.statusCode).toBe(401);
      // A refused request does not use up its nonce: the camera's genuine request with it still goes through.
      const nonce = `given-back-${Date.now()}`;
      expect((await post({ ...ALMATY_1, secret: 'forged' }, incident(), { nonce })).json().code).toBe('cameras.bad_signature');
      expect((await post(ALMATY_1, incident(), { nonce })).statusCode).toBe(201);
      expect(await count('incidents')).toBe(before + 2);
    });

    it('refuses a replayed nonce; of 1,000 concurrent replays of one signed request exactly one is accepted', async () => {
      const nonce = `replay-${Date.now()}-abcdef`;
      expect((await post(ALMATY_1, incident(), { nonce })).statusCode).toBe(201);
      const again = await post(ALMATY_1, incident(), { nonce });
      expect(again.statusCode).toBe(401);
      expect(again.json().code).toBe('cameras.replayed_nonce');

      const body = Buffer.from(JSON.stringify(incident()));
      const headers = (await import('../../../../libs/testing/src/index.js')).cameraHeaders(ALMATY_1, 'POST', '/api/v1/incidents', body);
      const before = await count('incidents');
      const answers = await Promise.all(
        Array.from({ length: 1000 }, () => t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { ...headers, 'content-type': 'application/json' }, payload: body })),
      );
      const codes = answers.map((a) => a.statusCode);
      const tally = Object.fromEntries([...new Set(codes)].map((c) => [c, codes.filter((x) => x === c).length]));
      expect(tally).toEqual({ 201: 1, 401: 999 });
      expect(answers.filter((a) => a.statusCode === 401).every((a) => a.json().code === 'cameras.replayed_nonce')).toBe(true);
      expect(await count('incidents')).toBe(before + 1);
    });

    it('rotates keys: two active keys both sign, a third is refused, a revoked key is refused from the next request on', async () => {
      const camera = (await t.ds.query(`SELECT c.id FROM cameras c JOIN camera_keys k ON k.camera_id = c.id WHERE k.key_id = 'demo-astana-1'`))[0].id;
      const created = await t.app.inject({ method: 'POST', url: `/api/v1/admin/cameras/${camera}/keys`, headers: admin, payload: {} });
      expect(created.statusCode).toBe(201);
      const fresh: CameraKey = { keyId: created.json().keyId, secret: created.json().secret };
      expect(fresh.secret.length).toBeGreaterThanOrEqual(40);
      // The secret is stored encrypted, never in the clear.
      const sealed: Buffer = (await t.ds.query(`SELECT secret_sealed FROM camera_keys WHERE key_id = $1`, [fresh.keyId]))[0].secret_sealed;
      expect(sealed.includes(Buffer.from(fresh.secret))).toBe(false);

      expect((await post(ASTANA_1, incident())).statusCode).toBe(201);
      expect((await post(fresh, incident())).statusCode).toBe(201);
      const third = await t.app.inject({ method: 'POST', url: `/api/v1/admin/cameras/${camera}/keys`, headers: admin, payload: {} });
      expect(third.statusCode).toBe(409);

      const keys = (await t.app.inject({ method: 'GET', url: `/api/v1/admin/cameras/${camera}/keys`, headers: admin })).json();
      expect(keys.map((k: { keyId: string }) => k.keyId).sort()).toEqual(['demo-astana-1', fresh.keyId].sort());
      expect(keys.every((k: { lastUsedAt: string | null; secret?: string }) => k.lastUsedAt !== null && k.secret === undefined)).toBe(true);

      const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/admin/cameras/${camera}/keys/demo-astana-1`, headers: admin });
      expect(revoked.statusCode).toBe(204);
      const refused = await post(ASTANA_1, incident());
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe('cameras.revoked_key');
      expect((await post(fresh, incident())).statusCode).toBe(201);
    });
  });

  describe('idempotency and validation', () => {
    it('answers the same event again with 200 and the first incident, a different body with 409; stores nothing more', async () => {
      const body = incident({ confidence: 0.42 });
      const first = await post(ALMATY_1, body);
      expect(first.statusCode).toBe(201);
      const before = await count('incidents');
      const again = await post(ALMATY_1, { class: body.class, confidence: body.confidence, occurredAt: body.occurredAt, eventId: body.eventId });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ incidentId: first.json().incidentId, result: 'duplicate' });
      const changed = await post(ALMATY_1, { ...body, confidence: 0.43 });
      expect(changed.statusCode).toBe(409);
      expect(changed.json()).toMatchObject({ code: 'incidents.event_id_reused', errors: [{ field: 'eventId' }] });
      // Another camera may use the same event id: ids are per camera.
      expect((await post(ALMATY_2, body)).statusCode).toBe(201);
      expect(await count('incidents')).toBe(before + 1);
    });

    it('refuses bad fields with 400 naming them, and stores nothing', async () => {
      const before = await count('incidents');
      const cases: [Record<string, unknown>, string][] = [
        [incident({ occurredAt: new Date(Date.now() + 6 * 60_000).toISOString() }), 'occurredAt'],
        [incident({ occurredAt: new Date(Date.now() - 8 * 86_400_000).toISOString() }), 'occurredAt'],
        [incident({ confidence: 1.5 }), 'confidence'],
        [incident({ class: 'cat' }), 'class'],
        [incident({ position: { lon: 77.5, lat: 43.9 } }), 'position'],
        [incident({ licencePlate: '777ABC02' }), 'licencePlate'],
      ];
      for (const [body, field] of cases) {
        const res = await post(ALMATY_1, body);
        expect(res.statusCode).toBe(400);
        expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual([field]);
      }
      expect(await count('incidents')).toBe(before);
    });

    it('takes a JPEG snapshot by multipart, refuses other images with 415, and shows the snapshot to staff only', async () => {
      const before = await count('incidents');
      const png = multipartBody(incident() as unknown as Record<string, string>, [{ field: 'snapshot', filename: 's.png', contentType: 'image/png', data: await pngImage() }]);
      const refused = await post(ALMATY_1, png.body, { contentType: png.contentType });
      expect(refused.statusCode).toBe(415);
      expect(refused.json().errors[0].field).toBe('snapshot');
      expect(await count('incidents')).toBe(before);

      const fields = Object.fromEntries(Object.entries(incident({ confidence: 0.3 })).map(([k, v]) => [k, String(v)]));
      const jpeg = multipartBody(fields, [{ field: 'snapshot', filename: 's.jpg', contentType: 'image/jpeg', data: await jpegPhoto({ gps: { lon: 76.9, lat: 43.2 } }) }]);
      const res = await post(ALMATY_1, jpeg.body, { contentType: jpeg.contentType });
      expect(res.statusCode).toBe(201);
      const id = res.json().incidentId;
      const url = `/api/v1/incidents/${id}/snapshot`;
      const staff = await t.app.inject({ method: 'GET', url, headers: dispatcher });
      expect(staff.statusCode).toBe(200);
      expect(staff.headers['content-type']).toBe('image/jpeg');
      expect(staff.headers['cache-control']).toMatch(/private/);
      expect(staff.rawPayload.includes(Buffer.from('Exif'))).toBe(false);
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url, headers: resident })).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/clip`, headers: dispatcher })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/plates`, headers: dispatcher })).json().errors[0].field).toBe('media');
      // Another city's dispatcher does not even learn it exists.
      const astana = (await signIn(t.app, 'dispatcher.astana@taza.example')).auth;
      expect((await t.app.inject({ method: 'GET', url, headers: astana })).statusCode).toBe(404);
    });
  });

  describe('batch', () => {
    it('answers each item: created, duplicate (also within the batch) or rejected with its reason', async () => {
      const known = incident();
      expect((await post(ALMATY_1, known)).statusCode).toBe(201);
      const twice = incident();
      const items = [incident(), known, { ...known, confidence: 0.99 }, incident({ confidence: 7 }), twice, twice, { nonsense: true }];
      const res = await cameraRequest(t.app, ALMATY_1, { url: '/api/v1/incidents:batch', payload: { incidents: items } });
      expect(res.statusCode).toBe(200);
      const out = res.json();
      expect(out.results.map((r: { result: string }) => r.result)).toEqual(['created', 'duplicate', 'rejected', 'rejected', 'created', 'duplicate', 'rejected']);
      expect(out.results[2].code).toBe('incidents.event_id_reused');
      expect(out.results[3].errors[0].field).toBe('incidents[3].confidence');
      expect(out.results[5].incidentId).toBe(out.results[4].incidentId);
      expect(out).toMatchObject({ created: 2, duplicate: 2, rejected: 3 });

      const tooMany = await cameraRequest(t.app, ALMATY_1, { url: '/api/v1/incidents:batch', payload: { incidents: Array.from({ length: 501 }, () => incident()) } });
      expect(tooMany.statusCode).toBe(400);
      expect(tooMany.json().errors[0].field).toBe('incidents');
    });
  });

  describe('processing, review and reports (with the worker)', () => {
    beforeAll(async () => {
      worker = await createWorker(t.config);
    });

    const incidentOf = async (id: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${id}`, headers: dispatcher })).json();

    it('confirms at or above the camera\'s 0.85 at once and turns it into a cctv report; a second one within 25 m joins it', async () => {
      const a = (await post(ALMATY_2, incident({ confidence: 0.85, class: 'vehicle_unloading' }))).json().incidentId;
      const done = await waitFor(async () => ((await incidentOf(a)).reportId ? incidentOf(a) : null), { what: 'the incident to become a report' });
      expect(done).toMatchObject({ status: 'confirmed', autoConfirmed: true, processed: true });
      const report = (await t.app.inject({ method: 'GET', url: `/api/v1/reports/${done.reportId}` })).json();
      expect(report.properties ?? report).toMatchObject({ source: 'cctv', status: 'submitted' });
      // Public report: no snapshot, no media at all.
      expect(JSON.stringify(report)).not.toMatch(/snapshot|incidents\//);

      const camera = done.position;
      const b = (await post(ALMATY_2, incident({ confidence: 0.95, position: { lon: camera.lon + 0.0001, lat: camera.lat } }))).json().incidentId;
      const joined = await waitFor(async () => ((await incidentOf(b)).reportId ? incidentOf(b) : null), { what: 'the second incident to join' });
      expect(joined.reportId).toBe(done.reportId);
      expect((await t.ds.query(`SELECT confirmations FROM reports WHERE id = $1`, [done.reportId]))[0].confirmations).toBe(1);

      // The job running again (a re-published outbox row) changes nothing.
      const { IncidentsService } = await import('../../../../libs/incidents/src/index.js');
      expect(await worker.get(IncidentsService).process([a, b])).toEqual({ processed: 0, converted: 0 });
      expect(Number((await t.ds.query(`SELECT count(*) AS n FROM reports WHERE source = 'cctv'`))[0].n)).toBe(1);
    });

    it('puts lower confidence in the dispatcher\'s queue; confirm makes a report, dismiss needs a reason; precision is kept', async () => {
      const low = (await post(ALMATY_1, incident({ confidence: 0.6 }))).json().incidentId;
      const other = (await post(ALMATY_1, incident({ confidence: 0.4, position: { lon: 0, lat: 0 } })));
      expect(other.statusCode).toBe(400);
      const noise = (await post(ALMATY_1, incident({ confidence: 0.4 }))).json().incidentId;
      const queue = await waitFor(
        async () => {
          const q = (await t.app.inject({ method: 'GET', url: '/api/v1/dispatch/queue', headers: dispatcher })).json();
          const ids = q.incidentsToReview.map((i: { id: string }) => i.id);
          return ids.includes(low) && ids.includes(noise) ? q : null;
        },
        { what: 'the incidents in the review queue' },
      );
      expect(queue.incidentsToReview.find((i: { id: string }) => i.id === low)).toMatchObject({ status: 'pending', cameraName: 'Almaty outskirts camera 1' });
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/incidents?status=pending', headers: dispatcher })).json().items.map((i: { id: string }) => i.id)).toContain(low);

      const astana = (await signIn(t.app, 'dispatcher.astana@taza.example')).auth;
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${low}/confirm`, headers: astana })).statusCode).toBe(404);
      const confirmed = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${low}/confirm`, headers: dispatcher });
      expect(confirmed.statusCode).toBe(200);
      expect(confirmed.json()).toMatchObject({ status: 'confirmed', autoConfirmed: false });
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${low}/dismiss`, headers: dispatcher, payload: { reason: 'x' } })).statusCode).toBe(409);
      const report = await waitFor(async () => (await incidentOf(low)).reportId, { what: 'the confirmed incident to become a report' });
      expect((await t.ds.query(`SELECT source FROM reports WHERE id = $1`, [report]))[0].source).toBe('cctv');

      const noReason = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${noise}/dismiss`, headers: dispatcher, payload: {} });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().errors[0].field).toBe('reason');
      const dismissed = await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${noise}/dismiss`, headers: dispatcher, payload: { reason: 'a parked truck' } });
      expect(dismissed.json()).toMatchObject({ status: 'dismissed', dismissReason: 'a parked truck', reportId: null });

      const after = (await t.app.inject({ method: 'GET', url: '/api/v1/dispatch/queue', headers: dispatcher })).json();
      expect(after.incidentsToReview.map((i: { id: string }) => i.id)).not.toEqual(expect.arrayContaining([low]));
      expect(after.incidentsToReview.map((i: { id: string }) => i.id)).not.toEqual(expect.arrayContaining([noise]));
      const cameras = (await t.app.inject({ method: 'GET', url: `/api/v1/cameras?cityId=${almatyId}`, headers: dispatcher })).json();
      const camera = cameras.features.find((c: { properties: { name: string } }) => c.properties.name === 'Almaty outskirts camera 1');
      expect(camera.properties.precision).toEqual({ reviewed: 2, confirmed: 1, ratio: 0.5 });
    });
  });

  describe('the camera simulator (infra/camera-sim.mjs, signing written from docs/cameras.md)', () => {
    it('sends a heartbeat and incidents that reach the review queue; one confirmed becomes a report', async () => {
      const port = await freePort();
      await t.app.listen(port, '127.0.0.1');
      const run = promisify(execFile);
      const { stdout } = await run(process.execPath, [
        join(projectRoot(), 'infra', 'camera-sim.mjs'),
        '--url', `http://127.0.0.1:${port}`, '--key', 'demo-kostanay-1', '--secret', 'taza-demo-camera-secret-kostanay-1',
        '--count', '3', '--every', '0', '--confidence', '0.55', '--class', 'vehicle_unloading',
      ]);
      expect(stdout).toMatch(/heartbeat -> 200/);
      expect(stdout.match(/-> 201/g)).toHaveLength(3);
      const kostanay = (await signIn(t.app, 'dispatcher.kostanay@taza.example')).auth;
      const queued = await waitFor(
        async () => {
          const q = (await t.app.inject({ method: 'GET', url: '/api/v1/dispatch/queue', headers: kostanay })).json();
          return q.incidentsToReview.length === 3 ? q.incidentsToReview : null;
        },
        { what: 'the simulator\'s incidents in the Kostanay review queue' },
      );
      expect(queued.every((i: { cameraName: string; class: string }) => i.cameraName === 'Kostanay outskirts camera 1' && i.class === 'vehicle_unloading')).toBe(true);
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/incidents/${queued[0].id}/confirm`, headers: kostanay })).statusCode).toBe(200);
      const reportId = await waitFor(async () => (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${queued[0].id}`, headers: kostanay })).json().reportId, { what: 'the report' });
      const report = (await t.app.inject({ method: 'GET', url: `/api/v1/reports/${reportId}`, headers: kostanay })).json();
      expect(JSON.stringify(report)).toMatch(/"source":"cctv"/);
    });
  });

  describe('incidents tile layer (staff)', () => {
    it('shows staff of the city their incidents with the listed fields only, never snapshots; dismissed ones are left out', async () => {
      const snap = multipartBody({ eventId: `tile-${Date.now()}`, occurredAt: new Date().toISOString(), confidence: '0.3', class: 'fire' }, [
        { field: 'snapshot', filename: 's.jpg', contentType: 'image/jpeg', data: await jpegPhoto() },
      ]);
      const withSnapshot = (await post(ALMATY_1, snap.body, { contentType: snap.contentType })).json().incidentId;
      const gone = (await post(ALMATY_1, incident({ confidence: 0.2 }))).json().incidentId;
      await t.ds.query(`UPDATE incidents SET status = 'dismissed', dismiss_reason = 'test' WHERE id = $1`, [gone]);
      const at = (await t.ds.query(`SELECT ST_X(location) AS lon, ST_Y(location) AS lat FROM incidents WHERE id = $1`, [withSnapshot]))[0];
      const tile = tileOf(at.lon, at.lat, 14);
      const url = `/tiles/incidents/${tile.z}/${tile.x}/${tile.y}.mvt`;
      const featuresFor = async (headers: Record<string, string>) => {
        const res = await t.app.inject({ method: 'GET', url, headers });
        if (res.statusCode === 204) return [];
        expect(res.statusCode).toBe(200);
        expect(res.headers['cache-control']).toMatch(/^private/);
        const layer = new VectorTile(new PbfReader(res.rawPayload)).layers.incidents;
        return Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties as Record<string, unknown>);
      };
      const seen = await featuresFor(dispatcher);
      const mine = seen.find((f) => f.id === withSnapshot);
      expect(mine).toMatchObject({ status: 'pending', class: 'fire', confidence: 0.3 });
      expect(Object.keys(mine!).sort()).toEqual(['camera_id', 'class', 'confidence', 'id', 'occurred_at', 'status']);
      expect(seen.map((f) => f.id)).not.toContain(gone);
      const astana = (await signIn(t.app, 'dispatcher.astana@taza.example')).auth;
      expect(await featuresFor(astana)).toEqual([]);
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url, headers: resident })).statusCode).toBe(403);
    });
  });

  describe('heartbeats and offline cameras', () => {
    it('marks a camera silent for longer than its interval offline, shows it to dispatchers, and a heartbeat brings it back', async () => {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/admin/cameras',
        headers: admin,
        payload: { name: 'Test camera', lon: 76.93, lat: 43.25, bearingDeg: 90, fovDeg: 60, rangeM: 200, heartbeatIntervalS: 60 },
      });
      expect(created.statusCode).toBe(201);
      const camera = created.json();
      expect(camera).toMatchObject({ type: 'Feature', geometry: { type: 'Point', coordinates: [76.93, 43.25] }, properties: { cityId: almatyId, status: 'active', autoConfirmConfidence: 0.85, view: { type: 'Polygon' } } });
      const key = (await t.app.inject({ method: 'POST', url: `/api/v1/admin/cameras/${camera.id}/keys`, headers: admin, payload: { keyId: 'test-camera-key' } })).json();

      const beat = await cameraRequest(t.app, key, { url: '/api/v1/cameras/heartbeat' });
      expect(beat.statusCode).toBe(200);
      expect(beat.json()).toMatchObject({ status: 'active', nextHeartbeatWithinSeconds: 60 });
      const cameras = t.app.get(CamerasService);
      expect(await cameras.scanOffline(new Date(Date.now() + 59_000))).toBe(0);
      expect(await cameras.scanOffline(new Date(Date.now() + 61_000))).toBeGreaterThanOrEqual(1);

      const queue = (await t.app.inject({ method: 'GET', url: '/api/v1/dispatch/queue', headers: dispatcher })).json();
      expect(queue.offlineCameras.map((c: { id: string }) => c.id)).toContain(camera.id);
      const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/cameras?status=offline', headers: dispatcher })).json();
      expect(listed.features.map((c: { id: string }) => c.id)).toContain(camera.id);

      expect((await cameraRequest(t.app, key, { url: '/api/v1/cameras/heartbeat', payload: {} })).json().status).toBe('active');
      const back = (await t.app.inject({ method: 'GET', url: `/api/v1/cameras/${camera.id}`, headers: dispatcher })).json();
      expect(back.properties).toMatchObject({ status: 'active', offlineSince: null });

      const bad = await t.app.inject({ method: 'PATCH', url: `/api/v1/admin/cameras/${camera.id}`, headers: admin, payload: { rangeM: 5000, status: 'broken' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['rangeM', 'status']);
      const changed = await t.app.inject({ method: 'PATCH', url: `/api/v1/admin/cameras/${camera.id}`, headers: admin, payload: { rangeM: 500 } });
      expect(changed.json().properties).toMatchObject({ rangeM: 500, fovDeg: 60, name: 'Test camera' });

      // Retired: refused.
      await t.app.inject({ method: 'PATCH', url: `/api/v1/admin/cameras/${camera.id}`, headers: admin, payload: { status: 'retired' } });
      const retired = await cameraRequest(t.app, key, { url: '/api/v1/cameras/heartbeat' });
      expect(retired.statusCode).toBe(401);
      expect(retired.json().code).toBe('cameras.retired_camera');
    });

    it('refuses a camera outside every district with 422 naming lon and lat', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/admin/cameras', headers: admin, payload: { name: 'Nowhere', lon: 60, lat: 60, bearingDeg: 0, fovDeg: 90, rangeM: 100 } });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['lon', 'lat']);
    });
  });
});
