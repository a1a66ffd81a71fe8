import { signIn } from '../../../../libs/testing/src/index.js';
import { startTestApi, stopTestApi, type TestApi } from '../testing/test-api.js';

describe('landfills API (real PostGIS)', () => {
  let t: TestApi;
  const auth: Record<string, Record<string, string>> = {};
  const landfill: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApi();
    for (const who of ['akim.kostanay', 'dispatcher.kostanay', 'akim.almaty', 'dispatcher.almaty', 'admin']) auth[who] = (await signIn(t.app, `${who}@taza.example`)).auth;
    const all = (await t.app.inject({ method: 'GET', url: '/api/v1/landfills', headers: auth.admin })).json();
    for (const f of all.features) landfill[f.properties.name.split(' ')[0].toLowerCase()] = f.id;
  });
  afterAll(() => stopTestApi(t));

  it('shows an akim the fill level of their city\'s landfill only: Kostanay about 91 %', async () => {
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
  });
});
