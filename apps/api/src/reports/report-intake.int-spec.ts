import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { CitiesService } from '../../../../libs/cities/src/index.js';
import type { AppConfig } from '../../../../libs/core/src/index.js';
import { jpegPhoto, multipartBody, type TestDatabase } from '../../../../libs/testing/src/index.js';
import { startTestApi, stopTestApi } from '../testing/test-api.js';

// Creates are one call of the database function taza_report_intake; these are its races.

const EARTH = 6378137;
/** Web Mercator (EPSG:3857) metres to WGS84, the grid the merge-area locks use (100 m cells). */
const toLonLat = (x: number, y: number) => ({ lon: (x / EARTH) * (180 / Math.PI), lat: (2 * Math.atan(Math.exp(y / EARTH)) - Math.PI / 2) * (180 / Math.PI) });
const toMercator = (p: { lon: number; lat: number }) => ({ x: EARTH * p.lon * (Math.PI / 180), y: EARTH * Math.log(Math.tan(Math.PI / 4 + (p.lat * Math.PI) / 360)) });
const metres = (a: { lon: number; lat: number }, b: { lon: number; lat: number }) => {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6371008.8 * Math.asin(Math.sqrt(h));
};

/** A corner of four 100 m lock cells inside central Almaty, `n` cells east of a fixed one. */
function cellCorner(n: number) {
  const m = toMercator({ lon: 76.9, lat: 43.24 });
  return { x: Math.round(m.x / 100) * 100 + n * 300, y: Math.round(m.y / 100) * 100 };
}

describe('report intake under concurrency (one database call per create)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let ds: DataSource;
  let mediaDir: string;

  const post = (payload: Record<string, unknown>, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/api/v1/reports', payload, headers });
  const count = async (sql: string, params: unknown[] = []) => Number((await ds.query(sql, params))[0].n);

  /**
   * Sends the requests while another transaction holds the outbox table, which every create writes
   * last: all of them reach the database and wait there (on the outbox or on each other's locks)
   * before the first can finish, so they really run at the same time.
   */
  async function atOnce<T>(requests: (() => Promise<T>)[]): Promise<T[]> {
    const gate = new pg.Client({ connectionString: db.url });
    await gate.connect();
    try {
      await gate.query(`BEGIN; LOCK TABLE outbox IN EXCLUSIVE MODE`);
      const pending = Promise.all(requests.map((send) => send()));
      const deadline = Date.now() + 10_000;
      while ((await count(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)) < requests.length) {
        if (Date.now() > deadline) throw new Error(`not all ${requests.length} creates reached the database`);
        await new Promise((r) => setTimeout(r, 20));
      }
      await gate.query(`COMMIT`);
      return await pending;
    } finally {
      await gate.end();
    }
  }

  beforeAll(async () => {
    mediaDir = mkdtempSync(join(tmpdir(), 'taza-media-'));
    ({ db, config, app, ds } = await startTestApi({ MEDIA_DIR: mediaDir }, { demo: false }));
    await app.get(CitiesService).loadDemoCities();
  });
  afterAll(async () => {
    await stopTestApi({ app, config, db });
    rmSync(mediaDir, { recursive: true, force: true });
  });

  it('8 simultaneous reports around one spot make one report with 7 confirmations, and each writes its history and outbox row once', async () => {
    const corner = cellCorner(0);
    // Around a corner of four lock cells, up to ~11 m from it: every pair is within 25 m.
    const spots = Array.from({ length: 8 }, (_, i) => toLonLat(corner.x + 10 * Math.cos(i * (Math.PI / 4)), corner.y + 10 * Math.sin(i * (Math.PI / 4))));
    const outboxBefore = await count(`SELECT count(*) AS n FROM outbox WHERE job_name = 'hotspots.recluster'`);

    const results = await atOnce(spots.map((p) => () => post({ ...p, category: 'tyres', size: 'car' })));

    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(results.map((r) => r.json().reportId));
    expect(ids.size).toBe(1);
    const [reportId] = ids;
    expect(results.filter((r) => r.json().joined)).toHaveLength(7);
    const [report] = await ds.query(`SELECT confirmations, city_id AS "cityId" FROM reports WHERE id = $1`, [reportId]);
    expect(report.confirmations).toBe(7);
    expect(await count(`SELECT count(*) AS n FROM report_confirmations WHERE report_id = $1`, [reportId])).toBe(7);
    const history: { event: string; from_status: string | null; to_status: string }[] = await ds.query(
      `SELECT event, from_status, to_status FROM report_history WHERE report_id = $1 ORDER BY id`,
      [reportId],
    );
    expect(history).toEqual([{ event: 'created', from_status: null, to_status: 'submitted' }, ...Array(7).fill({ event: 'confirmed', from_status: 'submitted', to_status: 'submitted' })]);
    const outbox: { queue: string; payload: unknown }[] = await ds.query(`SELECT queue, payload FROM outbox WHERE job_name = 'hotspots.recluster' ORDER BY id OFFSET $1`, [outboxBefore]);
    expect(outbox).toEqual(Array(8).fill({ queue: 'hotspots', payload: { cityId: report.cityId, reason: 'report' } }));
  });

  it('two simultaneous reports 22 m apart whose lock cells only partly overlap still make one report', async () => {
    // West of a cell line by 55 and 25 Mercator metres: the first locks cells k-2 and k-1, the second
    // k-1 and k; only k-1 keeps them apart. Four such pairs at once, at different places.
    const pairs = [1, 2, 3, 4].map((n) => {
      const c = cellCorner(n);
      return [toLonLat(c.x - 55, c.y + 50), toLonLat(c.x - 25, c.y + 50)];
    });
    for (const [a, b] of pairs) expect(metres(a, b)).toBeGreaterThan(20);
    for (const [a, b] of pairs) expect(metres(a, b)).toBeLessThan(25);

    const flat = await atOnce(pairs.flat().map((p) => () => post({ ...p, category: 'green', size: 'bag' })));

    for (const [a, b] of pairs.map((_, i) => flat.slice(2 * i, 2 * i + 2))) {
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
      expect(a.json().reportId).toBe(b.json().reportId);
    }
  });

  it('the same Idempotency-Key sent 8 times at once gives one report and the same answer 8 times', async () => {
    const p = toLonLat(cellCorner(10).x, cellCorner(10).y);
    const before = await count(`SELECT count(*) AS n FROM reports`);
    const results = await atOnce(Array.from({ length: 8 }, () => () => post({ ...p, category: 'bulky', size: 'truck' }, { 'idempotency-key': 'burst-0001' })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    for (const r of results) expect(r.json()).toEqual(results[0].json());
    expect(results[0].json().trackingToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await count(`SELECT count(*) AS n FROM reports`)).toBe(before + 1);
  });

  it('one key with two different bodies at once: the first answer stands, the other body is refused with 422', async () => {
    const p = toLonLat(cellCorner(12).x, cellCorner(12).y);
    const before = await count(`SELECT count(*) AS n FROM reports`);
    const bodies = Array.from({ length: 8 }, (_, i) => ({ ...p, category: 'bulky', size: i % 2 ? 'car' : 'bag' }));
    const results = await atOnce(bodies.map((b) => () => post(b, { 'idempotency-key': 'burst-0002' })));
    const answered = results.filter((r) => r.statusCode === 201);
    const refused = results.filter((r) => r.statusCode === 422);
    expect(answered).toHaveLength(4);
    expect(refused).toHaveLength(4);
    for (const r of answered) expect(r.json()).toEqual(answered[0].json());
    for (const r of refused) expect(r.json().errors[0].field).toBe('Idempotency-Key');
    expect(await count(`SELECT count(*) AS n FROM reports`)).toBe(before + 1);
  });

  it('a photo sent with a confirmation is kept with the confirmation and raises the report\'s far-EXIF flag', async () => {
    const base = toLonLat(cellCorner(14).x, cellCorner(14).y);
    const first = await post({ ...base, category: 'construction', size: 'car' });
    expect(first.statusCode).toBe(201);
    const photo = await jpegPhoto({ gps: { lon: 71.43, lat: 51.13 } });
    const near = toLonLat(cellCorner(14).x + 10, cellCorner(14).y);
    const { body, contentType } = multipartBody({ lon: String(near.lon), lat: String(near.lat), category: 'construction', size: 'bag' }, [
      { field: 'photos', filename: 'a.jpg', contentType: 'image/jpeg', data: photo },
    ]);
    const res = await app.inject({ method: 'POST', url: '/api/v1/reports', payload: body, headers: { 'content-type': contentType } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ joined: true, reportId: first.json().reportId });
    const media = await ds.query(
      `SELECT m.kind, m.stage, m.confirmation_id IS NOT NULL AS "onConfirmation", r.exif_gps_far AS far
         FROM report_media m JOIN reports r ON r.id = m.report_id WHERE m.report_id = $1`,
      [first.json().reportId],
    );
    expect(media).toEqual([{ kind: 'photo', stage: 'before', onConfirmation: true, far: true }]);
  });
});
