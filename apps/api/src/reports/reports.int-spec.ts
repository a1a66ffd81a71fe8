import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { AccountsService } from '../../../../libs/accounts/src/index.js';
import { CitiesService } from '../../../../libs/cities/src/index.js';
import type { AppConfig } from '../../../../libs/core/src/index.js';
import {
  createTestDatabase,
  jpegPhoto,
  mp4,
  multipartBody,
  obliterateQueues,
  pngBomb,
  pngImage,
  signIn,
  testConfig,
  type TestDatabase,
} from '../../../../libs/testing/src/index.js';
import { createApiApp } from '../app.factory.js';

// Central Almaty (inside the core) and a point on Almaty's outskirts; one in the Caspian Sea.
const ALMATY = { lon: 76.9286, lat: 43.2567 };
const ALMATY_OUTSKIRTS = { lon: 77.05, lat: 43.33 };
const NOWHERE = { lon: 50.5, lat: 44.5 };

/** Moves a point by metres (north, east). */
function offset(p: { lon: number; lat: number }, north: number, east: number) {
  return { lon: p.lon + east / (111320 * Math.cos((p.lat * Math.PI) / 180)), lat: p.lat + north / 110540 };
}

describe('resident reports (real PostGIS, Redis, files)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let ds: DataSource;
  let mediaDir: string;
  let dispatcher: { authorization: string };
  let astanaDispatcher: { authorization: string };
  let akim: { authorization: string };

  const post = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/reports', payload, headers });
  const postForm = (fields: Record<string, string | string[]>, files: { field: string; filename: string; contentType: string; data: Buffer }[], headers: Record<string, string> = {}) => {
    const { body, contentType } = multipartBody(fields, files);
    return app.inject({ method: 'POST', url: '/api/v1/reports', payload: body, headers: { 'content-type': contentType, ...headers } });
  };
  const act = (id: string, payload: Record<string, unknown>, who = dispatcher) =>
    app.inject({ method: 'POST', url: `/api/v1/reports/${id}/transitions`, payload, headers: who });
  const reportCount = async () => Number((await ds.query(`SELECT count(*) AS n FROM reports`))[0].n);
  const files = () => {
    try {
      return readdirSync(join(mediaDir, 'media'));
    } catch {
      return [];
    }
  };
  const report = (p: { lon: number; lat: number }, extra: Record<string, unknown> = {}) => ({ ...p, category: 'household', size: 'car', ...extra });

  beforeAll(async () => {
    db = await createTestDatabase();
    mediaDir = mkdtempSync(join(tmpdir(), 'taza-media-'));
    config = testConfig(db.url, { MEDIA_DIR: mediaDir });
    app = await createApiApp(config);
    ds = app.get(DataSource);
    await app.get(CitiesService).loadDemoCities();
    await app.get(AccountsService).loadDemoAccounts();
    dispatcher = (await signIn(app, 'dispatcher.almaty@taza.example')).auth;
    astanaDispatcher = (await signIn(app, 'dispatcher.astana@taza.example')).auth;
    akim = (await signIn(app, 'akim.almaty@taza.example')).auth;
  });
  afterAll(async () => {
    await app?.close();
    await obliterateQueues(config);
    await db?.drop();
    rmSync(mediaDir, { recursive: true, force: true });
  });

  describe('intake', () => {
    it('routes an anonymous report to the district holding the pin, gives a tracking token once, and hides private fields from the public', async () => {
      const res = await post(report(ALMATY, { description: 'Pile of bags behind the bazaar', contactEmail: 'Resident@Mail.kz', wasteTypes: ['plastic', 'organic'] }));
      expect(res.statusCode).toBe(201);
      const { reportId, trackingToken, joined } = res.json();
      expect(joined).toBe(false);
      expect(trackingToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(res.headers.location).toBe(`/api/v1/reports/${reportId}`);

      const [routed] = await ds.query(
        `SELECT d.slug, c.slug AS city, r.outskirts, r.reporter_ip::text AS ip FROM reports r JOIN districts d ON d.id = r.district_id JOIN cities c ON c.id = r.city_id WHERE r.id = $1`,
        [reportId],
      );
      expect(routed.city).toBe('almaty');
      expect(routed.outskirts).toBe(false);
      const [inside] = await ds.query(`SELECT ST_Covers(d.area, r.location) AS ok FROM reports r JOIN districts d ON d.id = r.district_id WHERE r.id = $1`, [reportId]);
      expect(inside.ok).toBe(true);

      const publicView = await app.inject({ method: 'GET', url: `/api/v1/reports/${reportId}` });
      expect(publicView.statusCode).toBe(200);
      expect(publicView.json()).toMatchObject({ status: 'submitted', open311Status: 'open', category: { code: 'household' }, wasteTypes: ['plastic', 'organic'] });
      expect(publicView.body).not.toMatch(/resident@mail\.kz|contactEmail|127\.0\.0\.1|exifGpsFar|reporterId/i);

      const mine = await app.inject({ method: 'GET', url: `/api/v1/reports/${reportId}`, headers: { 'x-tracking-token': trackingToken } });
      expect(mine.json().contactEmail).toBe('resident@mail.kz');
      const wrongToken = await app.inject({ method: 'GET', url: `/api/v1/reports/${reportId}`, headers: { 'x-tracking-token': 'x'.repeat(32) } });
      expect(wrongToken.json().contactEmail).toBeUndefined();

      const list = await app.inject({ method: 'GET', url: `/api/v1/reports?bbox=76.8,43.2,77.0,43.3` });
      expect(list.headers['content-type']).toMatch(/geo\+json/);
      expect(list.json().features.some((f: { id: string }) => f.id === reportId)).toBe(true);
      expect(list.body).not.toMatch(/resident@mail\.kz/i);
    });

    it('marks a pin outside the core as outskirts', async () => {
      const res = await post(report(ALMATY_OUTSKIRTS, { category: 'construction' }));
      expect(res.statusCode).toBe(201);
      const [row] = await ds.query(`SELECT outskirts FROM reports WHERE id = $1`, [res.json().reportId]);
      expect(row.outskirts).toBe(true);
    });

    it('refuses a pin outside every service area with 422 and a sentence, storing nothing', async () => {
      const before = await reportCount();
      const res = await post(report(NOWHERE));
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toMatch(/outside every city Taza Map serves/);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['lon', 'lat']);
      expect(await reportCount()).toBe(before);
    });

    it('merges a report within 25 m of an open one of the same category as a confirmation, and not otherwise', async () => {
      const base = offset(ALMATY, 300, 300);
      const first = await post(report(base, { category: 'tyres' }));
      expect(first.statusCode).toBe(201);
      const near = await post(report(offset(base, 12, 10), { category: 'tyres', description: 'still there' }));
      expect(near.statusCode).toBe(200);
      expect(near.json()).toMatchObject({ joined: true, reportId: first.json().reportId });
      expect(near.json().message).toMatch(/added to it as a confirmation/);
      expect(near.json().trackingToken).toBeDefined();
      const otherCategory = await post(report(offset(base, 5, 0), { category: 'bulky' }));
      expect(otherCategory.statusCode).toBe(201);
      const far = await post(report(offset(base, 40, 0), { category: 'tyres' }));
      expect(far.statusCode).toBe(201);
      const view = (await app.inject({ method: 'GET', url: `/api/v1/reports/${first.json().reportId}` })).json();
      expect(view.confirmations).toBe(1);
      const history = (await app.inject({ method: 'GET', url: `/api/v1/reports/${first.json().reportId}/history` })).json();
      expect(history.map((h: { event: string }) => h.event)).toEqual(['created', 'confirmed']);
      // The confirming resident can follow the report with their own token.
      const asConfirmer = await app.inject({ method: 'GET', url: `/api/v1/reports/${first.json().reportId}`, headers: { 'x-tracking-token': near.json().trackingToken } });
      expect(asConfirmer.json().ratingComment).toBeNull();
    });

    it('does not let two simultaneous reports at one spot both become new reports', async () => {
      const spot = offset(ALMATY, -500, 200);
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => post(report(offset(spot, i, 0), { category: 'green' }))));
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    });

    it('lists up to 5 open reports within 200 m of a pin, nearest first', async () => {
      const centre = offset(ALMATY, 900, -900);
      for (const [n, cat] of [[30, 'household'], [60, 'bulky'], [90, 'green'], [120, 'tyres'], [150, 'construction'], [180, 'hazardous']] as const) {
        expect((await post(report(offset(centre, n, 0), { category: cat }))).statusCode).toBe(201);
      }
      await post(report(offset(centre, 400, 0)));
      const res = await app.inject({ method: 'GET', url: `/api/v1/reports/nearby?lon=${centre.lon}&lat=${centre.lat}` });
      const near = res.json();
      expect(near).toHaveLength(5);
      expect(near.map((r: { distanceMetres: number }) => Math.round(r.distanceMetres / 30) * 30)).toEqual([30, 60, 90, 120, 150]);
      expect(res.body).not.toMatch(/contactEmail/);
    });

    it('returns the first result for a repeated Idempotency-Key and refuses the key for a different body', async () => {
      const p = offset(ALMATY, 1500, 1500);
      const before = await reportCount();
      const key = { 'idempotency-key': 'tap-twice-0001' };
      const a = await post(report(p, { category: 'hazardous' }), key);
      const b = await post(report(p, { category: 'hazardous' }), key);
      expect(a.statusCode).toBe(201);
      expect(b.statusCode).toBe(201);
      expect(b.json()).toEqual(a.json());
      expect(await reportCount()).toBe(before + 1);
      const c = await post(report(p, { category: 'burning' }), key);
      expect(c.statusCode).toBe(422);
      expect(c.json().errors[0].field).toBe('Idempotency-Key');
      expect(await reportCount()).toBe(before + 1);
    });
  });

  describe('photos', () => {
    it('stores a cleaned photo and thumbnail, serves them safely, and flags a far-away EXIF position for staff only', async () => {
      const pin = offset(ALMATY, -1200, 800);
      const photo = await jpegPhoto({ width: 3000, height: 1500, gps: { lon: 71.43, lat: 51.13 } });
      const res = await postForm({ lon: String(pin.lon), lat: String(pin.lat), category: 'household', size: 'bag' }, [
        { field: 'photos', filename: 'IMG_0001.jpg', contentType: 'image/jpeg', data: photo },
      ]);
      expect(res.statusCode).toBe(201);
      const id = res.json().reportId;
      const publicView = (await app.inject({ method: 'GET', url: `/api/v1/reports/${id}` })).json();
      expect(publicView.media).toHaveLength(1);
      expect(publicView.exifGpsFar).toBeUndefined();
      const staffView = (await app.inject({ method: 'GET', url: `/api/v1/reports/${id}`, headers: dispatcher })).json();
      expect(staffView.exifGpsFar).toBe(true);

      const full = await app.inject({ method: 'GET', url: publicView.media[0].url });
      expect(full.statusCode).toBe(200);
      expect(full.headers['content-type']).toBe('image/jpeg');
      expect(full.headers['x-content-type-options']).toBe('nosniff');
      expect(full.headers['content-disposition']).toMatch(/^inline; filename=/);
      const meta = await sharp(full.rawPayload).metadata();
      expect(meta.exif).toBeUndefined();
      expect(Math.max(meta.width!, meta.height!)).toBe(2048);
      const thumb = await app.inject({ method: 'GET', url: publicView.media[0].thumbnailUrl });
      expect(Math.max((await sharp(thumb.rawPayload).metadata()).width!, 0)).toBeLessThanOrEqual(400);
      expect(thumb.rawPayload.toString('latin1')).not.toContain('TestPhone');
    });

    it('accepts a PNG whatever its name says (type comes from the bytes)', async () => {
      const res = await postForm({ ...stringify(report(offset(ALMATY, -1400, 800))) }, [
        { field: 'photos', filename: 'renamed.jpg', contentType: 'image/jpeg', data: await pngImage() },
      ]);
      expect(res.statusCode).toBe(201);
    });
  });

  describe('bad input: a clear 4xx naming the field, and nothing left behind', () => {
    const cases: [string, () => Promise<{ payload: Record<string, unknown> | null; form?: Parameters<typeof multipartBody>; status: number; field: string }>][] = [
      ['missing coordinates', async () => ({ payload: { category: 'household', size: 'car' }, status: 400, field: 'lon' })],
      ['latitude out of range', async () => ({ payload: report({ lon: 76.9, lat: 95 }), status: 400, field: 'lat' })],
      ['unknown category', async () => ({ payload: report(ALMATY, { category: 'spaceships' }), status: 400, field: 'category' })],
      ['unknown size', async () => ({ payload: report(ALMATY, { size: 'mountain' }), status: 400, field: 'size' })],
      ['unknown waste type', async () => ({ payload: report(ALMATY, { wasteTypes: ['plutonium'] }), status: 400, field: 'wasteTypes' })],
      ['oversized description', async () => ({ payload: report(ALMATY, { description: 'x'.repeat(4001) }), status: 400, field: 'description' })],
      ['a field the client may not set', async () => ({ payload: report(ALMATY, { status: 'closed' }), status: 400, field: 'status' })],
      ['too many files', async () => ({
        payload: null,
        form: [stringify(report(ALMATY)), await Promise.all(Array.from({ length: 6 }, async (_, i) => ({ field: 'photos', filename: `${i}.jpg`, contentType: 'image/jpeg', data: await jpegPhoto() })))],
        status: 400,
        field: 'photos',
      })],
      ['a text file named .jpg', async () => ({
        payload: null,
        form: [stringify(report(ALMATY)), [{ field: 'photos', filename: 'cat.jpg', contentType: 'image/jpeg', data: Buffer.from('<html><script>alert(1)</script></html>') }]],
        status: 415,
        field: 'photos[0]',
      })],
      ['a decompression bomb', async () => ({
        payload: null,
        form: [stringify(report(ALMATY)), [{ field: 'photos', filename: 'bomb.png', contentType: 'image/png', data: pngBomb() }]],
        status: 413,
        field: 'photos[0]',
      })],
      ['a corrupt photo', async () => ({
        payload: null,
        form: [stringify(report(ALMATY)), [{ field: 'photos', filename: 'half.jpg', contentType: 'image/jpeg', data: (await jpegPhoto()).subarray(0, 400) }]],
        status: 422,
        field: 'photos[0]',
      })],
      ['photos and a video together', async () => ({
        payload: null,
        form: [stringify(report(ALMATY)), [
          { field: 'photos', filename: 'a.jpg', contentType: 'image/jpeg', data: await jpegPhoto() },
          { field: 'video', filename: 'v.mp4', contentType: 'video/mp4', data: mp4().bytes },
        ]],
        status: 400,
        field: 'video[0]',
      })],
    ];

    it.each(cases)('%s', async (_name, build) => {
      const c = await build();
      const before = await reportCount();
      const filesBefore = files().length;
      const started = Date.now();
      const res = c.form ? await postForm(...c.form) : await post(c.payload!);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(res.statusCode).toBe(c.status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(c.field);
      expect(await reportCount()).toBe(before);
      expect(files().length).toBe(filesBefore);
    });

    it('a truncated upload', async () => {
      const before = await reportCount();
      const { body, contentType } = multipartBody(stringify(report(ALMATY)), [{ field: 'photos', filename: 'a.jpg', contentType: 'image/jpeg', data: await jpegPhoto() }]);
      const res = await app.inject({ method: 'POST', url: '/api/v1/reports', payload: body.subarray(0, body.length - 300), headers: { 'content-type': contentType } });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].field).toBe('form');
      expect(await reportCount()).toBe(before);
    });
  });

  describe('lifecycle and the rate-or-return loop', () => {
    async function newReport(p: { lon: number; lat: number }) {
      const res = await post(report(p, { category: 'bulky', contactEmail: 'r@example.kz' }));
      expect(res.statusCode).toBe(201);
      return res.json() as { reportId: string; trackingToken: string };
    }
    async function resolve(id: string) {
      expect((await act(id, { action: 'start' })).statusCode).toBe(200);
      const { body, contentType } = multipartBody({ action: 'resolve', note: 'Removed by crew 3' }, [{ field: 'photos', filename: 'after.jpg', contentType: 'image/jpeg', data: await jpegPhoto() }]);
      const res = await app.inject({ method: 'POST', url: `/api/v1/reports/${id}/transitions`, payload: body, headers: { ...dispatcher, 'content-type': contentType } });
      expect(res.statusCode).toBe(200);
      return res.json();
    }
    const rate = (id: string, token: string, rating: number, comment?: string) =>
      app.inject({ method: 'POST', url: `/api/v1/reports/${id}/rating`, payload: { rating, comment }, headers: { 'x-tracking-token': token } });

    it('moves through its statuses; illegal moves answer 409 naming the allowed ones; out-of-scope staff get 404', async () => {
      const { reportId } = await newReport(offset(ALMATY, 2000, -300));
      const illegal = await act(reportId, { action: 'resolve', note: 'x' });
      expect(illegal.statusCode).toBe(409);
      expect(illegal.json().detail).toMatch(/allowed now: register, reject, mark_duplicate/);
      expect((await act(reportId, { action: 'register' }, astanaDispatcher)).statusCode).toBe(404);
      expect((await act(reportId, { action: 'register' }, akim)).statusCode).toBe(403);
      const registered = await act(reportId, { action: 'register' });
      expect(registered.statusCode).toBe(200);
      expect(registered.json().status).toBe('registered');
      expect((await act(reportId, { action: 'start' })).statusCode).toBe(200);
      const noPhoto = await act(reportId, { action: 'resolve', note: 'done' });
      expect(noPhoto.statusCode).toBe(400);
      expect(noPhoto.json().errors[0].field).toBe('photos');
      const { body, contentType } = multipartBody({ action: 'resolve', note: 'Cleared, 2 m3' }, [{ field: 'photos', filename: 'after.jpg', contentType: 'image/jpeg', data: await jpegPhoto() }]);
      const resolved = await app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/transitions`, payload: body, headers: { ...dispatcher, 'content-type': contentType } });
      expect(resolved.json()).toMatchObject({ status: 'resolved', resolutionNote: 'Cleared, 2 m3' });
      expect(resolved.json().media.filter((m: { stage: string }) => m.stage === 'after')).toHaveLength(1);
      const history = (await app.inject({ method: 'GET', url: `/api/v1/reports/${reportId}/history` })).json();
      expect(history.map((h: { to: string }) => h.to)).toEqual(['submitted', 'registered', 'in_progress', 'resolved']);
      const audit = await ds.query(`SELECT action FROM audit_log WHERE object_id = $1 ORDER BY id`, [reportId]);
      expect(audit.map((a: { action: string }) => a.action)).toEqual(['report.register', 'report.start', 'report.resolve']);
    });

    it('rejects with a reason and marks duplicates pointing at the original', async () => {
      const a = await newReport(offset(ALMATY, 2100, 600));
      const b = await newReport(offset(ALMATY, 2100, 900));
      const noReason = await act(a.reportId, { action: 'reject' });
      expect(noReason.json().errors[0].field).toBe('reason');
      expect((await act(a.reportId, { action: 'reject', reason: 'Private land, owner notified' })).json().status).toBe('rejected');
      const dup = await act(b.reportId, { action: 'mark_duplicate', duplicateOf: a.reportId });
      expect(dup.statusCode).toBe(400);
      const c = await newReport(offset(ALMATY, 2100, 1200));
      const dup2 = await act(c.reportId, { action: 'mark_duplicate', duplicateOf: b.reportId });
      expect(dup2.json()).toMatchObject({ status: 'duplicate', duplicateOf: b.reportId });
    });

    it('a rating of 3+ closes it; below 3 returns it (counted); the third return escalates; only the reporter may rate', async () => {
      const { reportId, trackingToken } = await newReport(offset(ALMATY, 2300, 0));
      expect((await act(reportId, { action: 'register' })).statusCode).toBe(200);
      const early = await rate(reportId, trackingToken, 5);
      expect(early.statusCode).toBe(409);
      for (let round = 1; round <= 3; round++) {
        await resolve(reportId);
        expect((await app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/rating`, payload: { rating: 1 } })).statusCode).toBe(404);
        const back = await rate(reportId, trackingToken, 2, `Still there (round ${round})`);
        expect(back.statusCode).toBe(200);
        expect(back.json()).toMatchObject({ status: 'registered', reopenCount: round, escalated: round >= 3 });
      }
      const staff = (await app.inject({ method: 'GET', url: `/api/v1/reports/${reportId}`, headers: dispatcher })).json();
      expect(staff.ratingComment).toBe('Still there (round 3)');
      expect((await app.inject({ method: 'GET', url: `/api/v1/reports/${reportId}` })).json().ratingComment).toBeUndefined();
      await resolve(reportId);
      const closed = await rate(reportId, trackingToken, 4, 'Clean now, thank you');
      expect(closed.json()).toMatchObject({ status: 'closed', rating: 4, open311Status: 'closed' });
      const events = (await app.inject({ method: 'GET', url: `/api/v1/reports/${reportId}/history` })).json().map((h: { event: string }) => h.event);
      expect(events.filter((e: string) => e === 'reopened')).toHaveLength(3);
      expect(events).toContain('escalated');
      const badRating = await rate(reportId, trackingToken, 7);
      expect(badRating.statusCode).toBe(400);
      expect(badRating.json().errors[0].field).toBe('rating');
    });

    it('a signed-in resident sees their reports under /me/reports', async () => {
      await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { email: 'aigul@example.kz', password: 'aigul long passphrase' } });
      const me = await signIn(app, 'aigul@example.kz', 'aigul long passphrase');
      const res = await post(report(offset(ALMATY, 2600, 0), { category: 'green' }), me.auth);
      expect(res.json().trackingToken).toBeUndefined();
      const mine = (await app.inject({ method: 'GET', url: '/api/v1/me/reports', headers: me.auth })).json();
      expect(mine.features.map((f: { id: string }) => f.id)).toEqual([res.json().reportId]);
      const view = (await app.inject({ method: 'GET', url: `/api/v1/reports/${res.json().reportId}`, headers: me.auth })).json();
      expect(view).toHaveProperty('contactEmail');
    });
  });
});

function stringify(o: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));
}
