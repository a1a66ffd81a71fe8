import type { INestApplicationContext } from '@nestjs/common';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import pg from 'pg';
import { tileOf } from '../../../../libs/maps/src/index.js';
import { HotspotsService } from '../../../../libs/hotspots/src/index.js';
import { blob, givenReports, offset, row, scatter, signIn, waitFor, type LonLat } from '../../../../libs/testing/src/index.js';
import { createWorker } from '../../../worker/src/worker.factory.js';
import { startTestApi, stopTestApi, type TestApi } from '../testing/test-api.js';

/**
 * Known point layouts give known hotspots. Each test draws in its own corner of Almaty's outskirts
 * (east of the core) or its core, so the tests do not see each other's points.
 */
const EAST = { lon: 77.06, lat: 43.25 }; // outskirts
const CORE = { lon: 76.93, lat: 43.26 }; // inside the core
const at = (base: LonLat, eastKm: number, northKm: number) => offset(base, eastKm * 1000, northKm * 1000);

describe('hotspots: clustering runs, identity, statuses, cameras and the API', () => {
  let t: TestApi;
  let svc: HotspotsService;
  let almaty: string;
  let dispatcher: { authorization: string };
  let otherDispatcher: { authorization: string };

  beforeAll(async () => {
    t = await startTestApi({ HOTSPOT_DEBOUNCE_MS: '1000' });
    svc = t.app.get(HotspotsService);
    [{ id: almaty }] = await t.ds.query(`SELECT id FROM cities WHERE slug = 'almaty'`);
    dispatcher = (await signIn(t.app, 'dispatcher.almaty@taza.example')).auth;
    otherDispatcher = (await signIn(t.app, 'dispatcher.astana@taza.example')).auth;
  });
  afterAll(async () => {
    await stopTestApi(t);
  });
  beforeEach(async () => {
    // Each test starts from no reports and no hotspots in Almaty.
    await t.ds.query(`DELETE FROM work_order_reports; DELETE FROM work_order_history; DELETE FROM work_orders`);
    await t.ds.query(`DELETE FROM hotspot_history; DELETE FROM hotspots; DELETE FROM hotspot_runs; DELETE FROM cameras`);
    await t.ds.query(`DELETE FROM report_history; DELETE FROM report_media; DELETE FROM report_confirmations; DELETE FROM reports`);
  });

  const hotspots = async () =>
    (await t.ds.query(
      `SELECT id, status, report_count AS reports, incident_count AS incidents, outskirts, covered_by_camera AS covered, recurrences, merged_into AS "mergedInto"
         FROM hotspots ORDER BY severity DESC, id`,
    )) as { id: string; status: string; reports: number; incidents: number; outskirts: boolean; covered: boolean; recurrences: number; mergedInto: string | null }[];
  const resolve = (ids: string[]) => t.ds.query(`UPDATE reports SET status = 'resolved', resolved_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
  const list = (query = '', headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url: `/api/v1/hotspots${query}`, headers });

  it('finds two clusters and leaves the noise out; outskirts are flagged; sorted by severity', async () => {
    const big = blob(at(EAST, 0, 0), 6, 30);
    const small = blob(at(CORE, 0, 0), 3, 20);
    await givenReports(t.ds, big, { size: 'truck' });
    await givenReports(t.ds, small, { size: 'bag' });
    // Isolated piles 400 m apart: noise.
    await givenReports(t.ds, scatter(at(EAST, 0, 1.5), 5, 400));

    const run = await svc.recluster(almaty);
    expect(run).toMatchObject({ points: 14, clusters: 2, noise: 5, created: 2 });
    const hs = await hotspots();
    expect(hs.map((h) => [h.reports, h.outskirts, h.status])).toEqual([
      [6, true, 'active'],
      [3, false, 'active'],
    ]);

    // The dispatcher's list: GeoJSON polygons by severity with every field; the outskirts filter keeps one.
    const staff = await list(`?cityId=${almaty}`, dispatcher);
    expect(staff.statusCode).toBe(200);
    expect(staff.headers['content-type']).toMatch(/application\/geo\+json/);
    const fc = staff.json();
    expect(fc.features.map((f: { geometry: { type: string } }) => f.geometry.type)).toEqual(['Polygon', 'Polygon']);
    expect(fc.features[0].properties).toMatchObject({ reportCount: 6, outskirts: true, volumeM3: 30, status: 'active' });
    expect(fc.features[0].properties.severity).toBeGreaterThan(fc.features[1].properties.severity);
    const outskirts = (await list(`?cityId=${almaty}&outskirts=true`, dispatcher)).json();
    expect(outskirts.features.map((f: { id: string }) => f.id)).toEqual([hs[0].id]);
    // Every member lies inside the buffered hull.
    const [{ inside }] = await t.ds.query(
      `SELECT bool_and(ST_Intersects(h.hull, r.location)) AS inside FROM hotspots h JOIN reports r ON r.outskirts AND r.status = 'submitted'
        WHERE h.id = $1 AND ST_DWithin(h.centroid::geography, r.location::geography, 60)`,
      [hs[0].id],
    );
    expect(inside).toBe(true);
  });

  it('shows anonymous callers, residents and other cities only hull, counts and status', async () => {
    await givenReports(t.ds, blob(EAST, 4, 25), { size: 'car' });
    await svc.recluster(almaty);
    for (const headers of [{}, otherDispatcher]) {
      const res = await list('', headers);
      expect(res.statusCode).toBe(200);
      const props = res.json().features[0].properties;
      expect(Object.keys(props).sort()).toEqual(['cityId', 'confirmationCount', 'id', 'incidentCount', 'reportCount', 'status']);
      const one = await t.app.inject({ method: 'GET', url: `/api/v1/hotspots/${props.id}`, headers });
      expect(one.statusCode).toBe(200);
      expect(one.json().properties.reports).toBeUndefined();
    }
    // Bad filters are refused naming the field; unknown ids are 404.
    const bad = await list('?status=hot&bbox=1,2,3');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['bbox', 'status']);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/hotspots/00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
    // A bbox elsewhere holds nothing.
    expect((await list('?bbox=71.3,51.0,71.6,51.2')).json().features).toEqual([]);
  });

  it('serves hotspots as a tile layer and an OGC collection, public fields only', async () => {
    await givenReports(t.ds, blob(EAST, 4, 25), { size: 'truck', confirmations: 2 });
    await svc.recluster(almaty);
    const [h] = await hotspots();
    const tile = tileOf(EAST.lon, EAST.lat, 14);
    const res = await t.app.inject({ method: 'GET', url: `/tiles/hotspots/${tile.z}/${tile.x}/${tile.y}.mvt` });
    expect(res.statusCode).toBe(200);
    const layer = new VectorTile(new PbfReader(res.rawPayload)).layers.hotspots;
    expect(layer.length).toBe(1);
    const f = layer.feature(0);
    expect(f.type).toBe(3); // polygon
    expect(f.properties).toEqual({ id: h.id, city_id: almaty, status: 'active', report_count: 4, incident_count: 0, confirmation_count: 8 });

    const items = await t.app.inject({ method: 'GET', url: `/ogc/collections/hotspots/items?bbox=77.0,43.2,77.1,43.3` });
    expect(items.statusCode).toBe(200);
    const fc = items.json();
    expect(fc.features).toHaveLength(1);
    expect(fc.features[0].geometry.type).toBe('Polygon');
    expect(Object.keys(fc.features[0].properties).sort()).toEqual(['cityId', 'confirmationCount', 'id', 'incidentCount', 'reportCount', 'status']);
  });

  it('keeps a hotspot id across runs while its cluster grows', async () => {
    await givenReports(t.ds, blob(EAST, 3, 20));
    await svc.recluster(almaty);
    const [first] = await hotspots();
    await givenReports(t.ds, [offset(EAST, 40, 0), offset(EAST, 0, 40)]);
    const again = await svc.recluster(almaty);
    expect(again).toMatchObject({ clusters: 1, kept: 1, created: 0 });
    const [second] = await hotspots();
    expect(second).toMatchObject({ id: first.id, reports: 5 });
  });

  it('records a split: the larger part keeps the id, the other part is a new hotspot', async () => {
    // A chain 50 m a step: one cluster. Resolving the middle cuts it in two.
    const ids = await givenReports(t.ds, row(EAST, 9, 50));
    await svc.recluster(almaty);
    const [whole] = await hotspots();
    expect(whole.reports).toBe(9);
    await resolve(ids.slice(5, 6));
    const run = await svc.recluster(almaty);
    expect(run).toMatchObject({ clusters: 2, kept: 1, splits: 1 });
    const parts = await hotspots();
    expect(parts.map((h) => h.reports).sort()).toEqual([3, 5]);
    expect(parts.find((h) => h.reports === 5)!.id).toBe(whole.id);
    const fresh = parts.find((h) => h.reports === 3)!;
    const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/hotspots/${fresh.id}`, headers: dispatcher })).json();
    expect(detail.properties.history).toEqual([expect.objectContaining({ event: 'split', otherId: whole.id })]);
  });

  it('records a merge: the hotspot with the larger overlap keeps its id, the other points to it', async () => {
    const west = await givenReports(t.ds, blob(EAST, 5, 25));
    await givenReports(t.ds, blob(offset(EAST, 200, 0), 3, 20));
    await svc.recluster(almaty);
    const before = await hotspots();
    expect(before).toHaveLength(2);
    const big = before.find((h) => h.reports === 5)!;
    const small = before.find((h) => h.reports === 3)!;
    // Piles in between join the two.
    await givenReports(t.ds, row(offset(EAST, 60, 0), 3, 50));
    const run = await svc.recluster(almaty);
    expect(run).toMatchObject({ clusters: 1, merges: 1 });
    const after = await hotspots();
    const kept = after.find((h) => h.status === 'active')!;
    expect(kept.reports).toBe(west.length + 3 + 3);
    expect([big.id, small.id]).toContain(kept.id);
    const gone = after.find((h) => h.status === 'merged')!;
    expect(gone.mergedInto).toBe(kept.id);
    // Merged hotspots are not listed, and their page names the survivor.
    expect((await list(`?cityId=${almaty}`, dispatcher)).json().features.map((f: { id: string }) => f.id)).toEqual([kept.id]);
    const page = (await t.app.inject({ method: 'GET', url: `/api/v1/hotspots/${gone.id}`, headers: dispatcher })).json();
    expect(page.properties).toMatchObject({ status: 'merged', mergedInto: kept.id });
  });

  it('clears a hotspot whose reports are all closed, and marks it recurring when dumping returns', async () => {
    const ids = await givenReports(t.ds, blob(EAST, 3, 20));
    await svc.recluster(almaty);
    const [h] = await hotspots();
    await resolve(ids);
    expect(await svc.recluster(almaty)).toMatchObject({ clusters: 0, cleared: 1 });
    expect((await hotspots())[0]).toMatchObject({ id: h.id, status: 'cleared' });
    // The list by status shows it among the cleared ones.
    expect((await list(`?status=cleared`)).json().features.map((f: { id: string }) => f.id)).toEqual([h.id]);

    // One new pile where it was cleaned: dumping is back.
    await givenReports(t.ds, [offset(EAST, 5, 5)]);
    expect(await svc.recluster(almaty)).toMatchObject({ recurring: 1 });
    expect((await hotspots())[0]).toMatchObject({ id: h.id, status: 'recurring', recurrences: 1, reports: 1 });
  });

  it('counts CCTV-confirmed incidents (reports from source cctv) and knows which cameras see a hotspot', async () => {
    const spot = at(EAST, 0, -1);
    await givenReports(t.ds, blob(spot, 3, 20));
    await givenReports(t.ds, blob(spot, 2, 10), { source: 'cctv' });
    // One camera 100 m west looks east at the spot; another next to it looks away.
    const cam = offset(spot, -100, 0);
    const addCamera = (bearing: number) =>
      t.ds.query(`INSERT INTO cameras (city_id, name, location, bearing_deg, fov_deg, range_m) VALUES ($1, $2, ST_SetSRID(ST_MakePoint($3, $4), 4326), $5, 60, 200)`, [
        almaty,
        `cam ${bearing}`,
        cam.lon,
        cam.lat,
        bearing,
      ]);
    await addCamera(270);
    await svc.recluster(almaty);
    expect((await hotspots())[0]).toMatchObject({ reports: 3, incidents: 2, covered: false });
    await addCamera(90);
    await svc.recluster(almaty);
    expect((await hotspots())[0]).toMatchObject({ covered: true });
  });

  it('suggests a camera 30-80 m from a recurring, uncovered outskirts hotspot whose view covers the hull', async () => {
    const spot = at(EAST, 0, 1);
    const ids = await givenReports(t.ds, blob(spot, 4, 25));
    await svc.recluster(almaty);
    await resolve(ids);
    await svc.recluster(almaty);
    await givenReports(t.ds, blob(spot, 3, 15));
    await svc.recluster(almaty);
    // A core hotspot never qualifies.
    await givenReports(t.ds, blob(CORE, 3, 15));
    await svc.recluster(almaty);

    const res = await t.app.inject({ method: 'GET', url: `/api/v1/hotspots/camera-suggestions?cityId=${almaty}`, headers: dispatcher });
    expect(res.statusCode).toBe(200);
    const { suggestions } = res.json();
    expect(suggestions).toHaveLength(1);
    const s = suggestions[0];
    expect(s).toMatchObject({ rank: 1, status: 'recurring' });
    expect(s.suggestion.distanceM).toBeGreaterThanOrEqual(30);
    expect(s.suggestion.distanceM).toBeLessThanOrEqual(80);
    const [{ covers }] = await t.ds.query(
      `SELECT ST_Covers(taza_camera_sector(ST_SetSRID(ST_MakePoint($1, $2), 4326), $3, $4, $5), hull) AS covers FROM hotspots WHERE id = $6`,
      [s.suggestion.lon, s.suggestion.lat, s.suggestion.bearingDeg, s.suggestion.fovDeg, s.suggestion.rangeM, s.hotspotId],
    );
    expect(covers).toBe(true);
    // Once a camera stands there (after the next run), the hotspot is covered and leaves the list.
    await t.ds.query(`INSERT INTO cameras (city_id, name, location, bearing_deg, fov_deg, range_m) VALUES ($1, 'new', ST_SetSRID(ST_MakePoint($2, $3), 4326), $4, $5, $6)`, [
      almaty,
      s.suggestion.lon,
      s.suggestion.lat,
      s.suggestion.bearingDeg,
      s.suggestion.fovDeg,
      s.suggestion.rangeM,
    ]);
    await svc.recluster(almaty);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/hotspots/camera-suggestions?cityId=${almaty}`, headers: dispatcher })).json().suggestions).toEqual([]);
    // Another city's dispatcher cannot ask for Almaty's.
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/hotspots/camera-suggestions?cityId=${almaty}`, headers: otherDispatcher })).statusCode).toBe(404);
  });

  describe('through BullMQ', () => {
    let worker: INestApplicationContext;
    beforeAll(async () => {
      worker = await createWorker(t.config);
    });
    afterAll(async () => {
      await worker?.close();
    });

    it('reclusters after reports arrive, once per city per debounce period', async () => {
      // 40 m apart: further than the 25 m merge of the intake, well within eps.
      for (const p of row(at(EAST, 1, 0), 3, 40)) {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { ...p, category: 'household', size: 'car' } });
        expect(res.statusCode).toBe(201);
      }
      const found = await waitFor(async () => ((await hotspots()).length ? hotspots() : null), { what: 'a hotspot from the worker', timeoutMs: 20000 });
      expect(found![0]).toMatchObject({ reports: 3, outskirts: true });
      // Three triggers within the second went into at most two debounced runs.
      const [{ runs }] = await t.ds.query(`SELECT count(*)::int AS runs FROM hotspot_runs WHERE id LIKE 'recluster-%' AND finished_at IS NOT NULL`);
      expect(runs).toBeGreaterThanOrEqual(1);
      expect(runs).toBeLessThanOrEqual(2);
    });

    it('leaves the previous hotspot set intact when the worker dies mid-run, and the retry finishes it', async () => {
      await givenReports(t.ds, blob(EAST, 3, 20));
      await svc.recluster(almaty);
      const before = await hotspots();
      expect(before).toHaveLength(1);
      await givenReports(t.ds, blob(at(EAST, 0, 2), 4, 20));

      // Hold the history table so the run stops after writing hotspots, inside its transaction.
      const holder = new pg.Client({ connectionString: t.db.url });
      await holder.connect();
      try {
        await holder.query(`BEGIN; LOCK TABLE hotspot_history IN SHARE MODE`);
        const jobId = `recluster-killed-${Date.now()}`;
        const { QueueRegistry, QueueName } = await import('../../../../libs/core/src/index.js');
        await t.app.get(QueueRegistry).get(QueueName.Hotspots).add('hotspots.recluster', { cityId: almaty, reason: 'manual' }, { jobId, backoff: { type: 'fixed', delay: 500 } });
        const pid = await waitFor(
          async () => {
            // Asked outside the holder's transaction: pg_stat_activity is a snapshot within one.
            const [r] = await t.ds.query(`SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO hotspot_history%'`);
            return r?.pid ?? null;
          },
          { what: 'the run waiting inside its transaction' },
        );
        // Seen from outside, mid-run: still the old set.
        expect(await hotspots()).toEqual(before);
        // The worker's session dies, as when its process is killed: its transaction is rolled back.
        await holder.query(`SELECT pg_terminate_backend($1)`, [pid]);
        expect(await hotspots()).toEqual(before);
        const [run] = await t.ds.query(`SELECT finished_at FROM hotspot_runs WHERE id = $1`, [jobId]);
        expect(run).toEqual({ finished_at: null });
        await holder.query('ROLLBACK');
        // The retry of the same job (same run id) finishes the work.
        await waitFor(async () => ((await t.ds.query(`SELECT finished_at FROM hotspot_runs WHERE id = $1`, [jobId]))[0].finished_at ? true : null), {
          what: 'the retried run to finish',
          timeoutMs: 20000,
        });
        const after = await hotspots();
        expect(after).toHaveLength(2);
        expect(after.map((h) => h.id)).toContain(before[0].id);
      } finally {
        await holder.end();
      }
    });
  });
});
