import { HotspotsService } from '../../../../libs/hotspots/src/index.js';
import { signIn } from '../../../../libs/testing/src/index.js';
import { loadDemoData } from '../demo-data.js';
import { startTestApi, stopTestApi, type TestApi } from '../testing/test-api.js';

describe('hotspots demo data: what a dispatcher sees after npm start', () => {
  let t: TestApi;
  beforeAll(async () => {
    t = await startTestApi({ DEMO_REPORTS: 'true' });
  });
  afterAll(async () => {
    await stopTestApi(t);
  });

  it('puts a few hundred reports in each demo city, clustered into hotspots concentrated on the outskirts', async () => {
    const perCity: { slug: string; reports: number; outskirts: number }[] = await t.ds.query(
      `SELECT c.slug, count(r.id)::int AS reports, count(r.id) FILTER (WHERE r.outskirts)::int AS outskirts
         FROM cities c LEFT JOIN reports r ON r.city_id = c.id GROUP BY c.slug ORDER BY c.slug`,
    );
    for (const c of perCity) {
      expect([c.slug, c.reports >= 200]).toEqual([c.slug, true]);
      expect(c.outskirts / c.reports).toBeGreaterThan(0.8);
    }

    const dispatcher = (await signIn(t.app, 'dispatcher.almaty@taza.example')).auth;
    const [{ id: almatyId }] = await t.ds.query(`SELECT id FROM cities WHERE slug = 'almaty'`);
    const almaty = (await t.app.inject({ method: 'GET', url: `/api/v1/hotspots?cityId=${almatyId}`, headers: dispatcher })).json().features;
    expect(almaty.length).toBeGreaterThanOrEqual(6);
    const severities = almaty.map((f: { properties: { severity: number } }) => f.properties.severity);
    expect(severities).toEqual([...severities].sort((a, b) => b - a));
    // The worst ones are on the outskirts, and dumping came back at some after a clean-up.
    expect(almaty.slice(0, 5).every((f: { properties: { outskirts: boolean } }) => f.properties.outskirts)).toBe(true);
    expect(almaty.some((f: { properties: { status: string } }) => f.properties.status === 'recurring')).toBe(true);
    const suggestions = (await t.app.inject({ method: 'GET', url: `/api/v1/hotspots/camera-suggestions?cityId=${almatyId}`, headers: dispatcher })).json().suggestions;
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions[0].suggestion).not.toBeNull();

    // Loading again adds nothing.
    const before = (await t.ds.query(`SELECT count(*)::int AS n FROM reports`))[0].n;
    await loadDemoData(t.app);
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM reports`))[0].n).toBe(before);
    expect(await t.app.get(HotspotsService).loadDemoReports()).toEqual({ reports: 0, hotspots: 0 });
  });
});
