import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../../libs/core/src/index.js';
import { jpegPhoto, multipartBody, signIn, type TestDatabase } from '../../../../libs/testing/src/index.js';
import { startTestApi, stopTestApi } from '../testing/test-api.js';

describe('district figures and category administration', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let ds: DataSource;
  const auth: Record<string, { authorization: string }> = {};
  const city: Record<string, string> = {};

  beforeAll(async () => {
    ({ db, config, app, ds } = await startTestApi());
    for (const who of ['admin', 'dispatcher.kostanay', 'akim.kostanay', 'akim.astana']) auth[who] = (await signIn(app, `${who}@taza.example`)).auth;
    for (const f of (await app.inject({ method: 'GET', url: '/api/v1/cities' })).json().features) city[f.properties.slug] = f.properties.id;
  });
  afterAll(() => stopTestApi({ app, config, db }));

  async function resolvedReport(lon: number, lat: number, hoursToRegister: number, hoursToResolve: number) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/reports', payload: { lon, lat, category: 'household', size: 'bag' } });
    const { reportId, trackingToken } = res.json();
    const d = auth['dispatcher.kostanay'];
    await app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/transitions`, headers: d, payload: { action: 'register' } });
    await app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/transitions`, headers: d, payload: { action: 'start' } });
    const { body, contentType } = multipartBody({ action: 'resolve', note: 'done' }, [{ field: 'photos', filename: 'a.jpg', contentType: 'image/jpeg', data: await jpegPhoto() }]);
    await app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/transitions`, headers: { ...d, 'content-type': contentType }, payload: body });
    // Put the history where the figures should find it: created N hours before its registration.
    await ds.query(`UPDATE reports SET created_at = now() - make_interval(hours => $2) WHERE id = $1`, [reportId, hoursToResolve]);
    await ds.query(`UPDATE report_history SET at = (SELECT created_at FROM reports WHERE id = $1) + make_interval(hours => $2) WHERE report_id = $1 AND to_status = 'registered'`, [reportId, hoursToRegister]);
    return { reportId, trackingToken };
  }

  it('gives per-district medians to register and resolve, share reopened and average rating, within scope', async () => {
    const a = await resolvedReport(63.62, 53.23, 2, 10);
    const b = await resolvedReport(63.625, 53.235, 4, 30);
    const c = await resolvedReport(63.63, 53.24, 6, 50);
    const rate = (r: { reportId: string; trackingToken: string }, rating: number) =>
      app.inject({ method: 'POST', url: `/api/v1/reports/${r.reportId}/rating`, headers: { 'x-tracking-token': r.trackingToken }, payload: { rating } });
    await rate(a, 5);
    await rate(b, 4);
    await rate(c, 1);

    const res = await app.inject({ method: 'GET', url: `/api/v1/stats/districts?cityId=${city.kostanay}`, headers: auth['akim.kostanay'] });
    expect(res.statusCode).toBe(200);
    const rows = res.json();
    expect(rows).toHaveLength(2);
    const [district] = await ds.query(`SELECT district_id FROM reports WHERE id = $1`, [a.reportId]);
    const figures = rows.find((r: { districtId: string }) => r.districtId === district.district_id);
    expect(figures).toMatchObject({ reports: 3, medianHoursToRegister: 4, medianHoursToResolve: 30, averageRating: 3.33 });
    expect(figures.reopenedShare).toBeCloseTo(1 / 3, 3);
    expect(figures.open).toBe(1);

    expect((await app.inject({ method: 'GET', url: `/api/v1/stats/districts?cityId=${city.kostanay}`, headers: auth['akim.astana'] })).statusCode).toBe(404);
    const own = (await app.inject({ method: 'GET', url: '/api/v1/stats/districts', headers: auth['dispatcher.kostanay'] })).json();
    expect(own.every((r: { cityId: string }) => r.cityId === city.kostanay)).toBe(true);
    const all = (await app.inject({ method: 'GET', url: '/api/v1/stats/districts', headers: auth.admin })).json();
    expect(all.length).toBe(12);
  });

  it('lets an admin add, rename and retire a category, audited; a retired category takes no new reports', async () => {
    const created = await app.inject({
      method: 'POST', url: '/api/v1/admin/categories', headers: auth.admin,
      payload: { code: 'medical', name: { kk: 'Медициналық қалдықтар', ru: 'Медицинские отходы', en: 'Medical waste' }, hazardous: true },
    });
    expect(created.statusCode).toBe(201);
    expect((await app.inject({ method: 'GET', url: '/api/v1/categories' })).json().map((c: { code: string }) => c.code)).toContain('medical');
    const again = await app.inject({ method: 'POST', url: '/api/v1/admin/categories', headers: auth.admin, payload: { code: 'medical', name: { kk: 'a', ru: 'b', en: 'c' } } });
    expect(again.statusCode).toBe(409);

    const renamed = await app.inject({ method: 'PATCH', url: '/api/v1/admin/categories/medical', headers: auth.admin, payload: { name: { en: 'Medical and veterinary waste' } } });
    expect(renamed.json().name).toEqual({ kk: 'Медициналық қалдықтар', ru: 'Медицинские отходы', en: 'Medical and veterinary waste' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/reports', payload: { lon: 63.62, lat: 53.2, category: 'medical', size: 'bag' } })).statusCode).toBe(201);

    await app.inject({ method: 'PATCH', url: '/api/v1/admin/categories/medical', headers: auth.admin, payload: { active: false } });
    const refused = await app.inject({ method: 'POST', url: '/api/v1/reports', payload: { lon: 63.63, lat: 53.2, category: 'medical', size: 'bag' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('category');

    const trail = await ds.query(`SELECT action FROM audit_log WHERE object_type = 'category' AND object_id = 'medical' ORDER BY id`);
    expect(trail.map((t: { action: string }) => t.action)).toEqual(['category.created', 'category.updated', 'category.updated']);
    expect((await app.inject({ method: 'PATCH', url: '/api/v1/admin/categories/medical', headers: auth['akim.kostanay'], payload: { active: true } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'PATCH', url: '/api/v1/admin/categories/nosuch', headers: auth.admin, payload: { active: true } })).statusCode).toBe(404);
  });
});
