import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AccountsService } from '../../../../libs/accounts/src/index.js';
import type { AppConfig } from '../../../../libs/core/src/index.js';
import { HotspotsService } from '../../../../libs/hotspots/src/index.js';
import { blob, cameraRequest, createTestDatabase, givenReports, jpegPhoto, mp4, multipartBody, obliterateQueues, signIn, testConfig, type TestDatabase } from '../../../../libs/testing/src/index.js';
import { createApiApp, registeredRoutes } from '../app.factory.js';
import { loadDemoData } from '../demo-data.js';
import { addDays, DEMO_WEIGHBRIDGE_KEY } from '../../../../libs/landfills/src/index.js';
import { DataSource } from 'typeorm';

type Who = 'anonymous' | 'residentA' | 'residentB' | 'dispatcherX' | 'dispatcherY' | 'akim' | 'admin';
const EVERYONE: Who[] = ['anonymous', 'residentA', 'residentB', 'dispatcherX', 'dispatcherY', 'akim', 'admin'];
const SIGNED_IN: Who[] = EVERYONE.filter((w) => w !== 'anonymous');

interface Ctx {
  ids: Record<string, string> & { freshReport(): string; surveyDay(): string };
}

const SQUARE = { type: 'Polygon', coordinates: [[[77.2, 43.4], [77.21, 43.4], [77.21, 43.41], [77.2, 43.41], [77.2, 43.4]]] };

interface RouteCase {
  /** Who may get a 2xx here; everyone else must not. */
  allowed: Who[];
  request?: (ctx: Ctx) => { url?: string; payload?: unknown; headers?: Record<string, string> };
}

/**
 * EVERY route of the API. A route missing here fails the "covers every route" test, so a new endpoint
 * cannot ship without saying who may call it. Objects used belong to someone other than the caller.
 * One route may have several cases: `<METHOD> <route> #<case>` (e.g. one per map layer).
 */
const MATRIX: Record<string, RouteCase> = {
  'GET /api/health': { allowed: EVERYONE },
  'GET /metrics': { allowed: ['admin'] },
  'GET /api/v1/cities': { allowed: EVERYONE },
  'GET /api/v1/districts': { allowed: EVERYONE },
  'POST /api/v1/auth/signup': {
    allowed: EVERYONE,
    request: () => ({ payload: { email: `new-${Math.random().toString(36).slice(2)}@example.kz`, password: 'a-long-unusual-passphrase' } }),
  },
  'POST /api/v1/auth/login': { allowed: EVERYONE, request: () => ({ payload: { login: 'resident.b@example.kz', password: 'resident-b-passphrase' } }) },
  // Without a refresh token nobody gets a 2xx, whoever they are.
  'POST /api/v1/auth/refresh': { allowed: [], request: () => ({ payload: {} }) },
  'GET /api/v1/me': { allowed: SIGNED_IN },
  'POST /api/v1/auth/password-reset': { allowed: EVERYONE, request: () => ({ payload: { login: 'resident.b@example.kz' } }) },
  // Without a valid emailed token nobody gets a 2xx.
  'POST /api/v1/auth/password-reset/confirm': { allowed: [], request: () => ({ payload: { token: 'x'.repeat(43), newPassword: 'some long passphrase' } }) },
  'POST /api/v1/me/password': { allowed: SIGNED_IN, request: () => ({ payload: { currentPassword: 'not-the-password', newPassword: 'another-long-passphrase' } }) },
  'GET /api/v1/admin/users': { allowed: ['admin'] },
  'POST /api/v1/admin/users': {
    allowed: ['admin'],
    request: (c) => ({ payload: { email: `staff-${Math.random().toString(36).slice(2)}@taza.example`, password: 'staff-long-passphrase', role: 'dispatcher', cityId: c.ids.astana } }),
  },
  'PATCH /api/v1/admin/users/:id': { allowed: ['admin'], request: (c) => ({ url: `/api/v1/admin/users/${c.ids.spareUser}`, payload: { disabled: false } }) },
  'GET /api/v1/audit': { allowed: ['akim', 'admin'] },
  'GET /api/v1/categories': { allowed: EVERYONE },
  'GET /api/v1/client-config': { allowed: EVERYONE },
  'POST /api/v1/reports': { allowed: EVERYONE, request: (c) => ({ payload: { lon: 76.93 + Math.random() / 100, lat: 43.2567, category: 'household', size: 'bag' } }) },
  'GET /api/v1/reports': { allowed: EVERYONE },
  'GET /api/v1/reports/nearby': { allowed: EVERYONE, request: () => ({ url: '/api/v1/reports/nearby?lon=76.93&lat=43.25' }) },
  'GET /api/v1/me/reports': { allowed: SIGNED_IN },
  // A report sent by resident B: everyone may read its public view.
  'GET /api/v1/reports/:id': { allowed: EVERYONE, request: (c) => ({ url: `/api/v1/reports/${c.ids.reportOfB}` }) },
  'GET /api/v1/reports/:id/history': { allowed: EVERYONE, request: (c) => ({ url: `/api/v1/reports/${c.ids.reportOfB}/history` }) },
  // Only the dispatcher of the report's city (X = Almaty) may move it.
  'POST /api/v1/reports/:id/transitions': {
    allowed: ['dispatcherX'],
    request: (c) => ({ url: `/api/v1/reports/${c.ids.freshReport()}/transitions`, payload: { action: 'register' } }),
  },
  // Only its reporter (B) may rate; the report is resolved so the rating would succeed.
  'POST /api/v1/reports/:id/rating': { allowed: ['residentB'], request: (c) => ({ url: `/api/v1/reports/${c.ids.resolvedOfB}/rating`, payload: { rating: 4 } }) },
  'GET /api/v1/media/:id': { allowed: EVERYONE, request: (c) => ({ url: `/api/v1/media/${c.ids.mediaOfB}` }) },
  'GET /api/v1/media/:id/thumbnail': { allowed: EVERYONE, request: (c) => ({ url: `/api/v1/media/${c.ids.mediaOfB}/thumbnail` }) },
  // Open311: public reads; POST needs a client's api_key (not an account), so any caller holding one may post.
  'GET /open311/v2/discovery.:format': { allowed: EVERYONE, request: () => ({ url: '/open311/v2/discovery.json' }) },
  'GET /open311/v2/services.:format': { allowed: EVERYONE, request: () => ({ url: '/open311/v2/services.xml' }) },
  'GET /open311/v2/services/:code.:format': { allowed: EVERYONE, request: () => ({ url: '/open311/v2/services/household.json' }) },
  'POST /open311/v2/requests.:format': {
    allowed: EVERYONE,
    request: (c) => ({
      url: '/open311/v2/requests.json',
      payload: `api_key=${c.ids.open311Key}&service_code=tyres&lat=43.2567&long=${76.93 + Math.random() / 100}&attribute%5Bsize%5D=bag`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  },
  'GET /open311/v2/requests.:format': { allowed: EVERYONE, request: () => ({ url: '/open311/v2/requests.json' }) },
  'GET /open311/v2/requests/:id.:format': { allowed: EVERYONE, request: (c) => ({ url: `/open311/v2/requests/${c.ids.reportOfB}.xml` }) },
  'GET /open311/v2/tokens/:token.:format': { allowed: EVERYONE, request: (c) => ({ url: `/open311/v2/tokens/${c.ids.open311Token}.json` }) },
  'GET /open311/v2/servicerequestupdates.:format': { allowed: EVERYONE, request: () => ({ url: '/open311/v2/servicerequestupdates.json' }) },
  'POST /api/v1/admin/open311-clients': { allowed: ['admin'], request: () => ({ payload: { name: 'Another Open311 client' } }) },
  'GET /api/v1/admin/open311-clients': { allowed: ['admin'] },
  'DELETE /api/v1/admin/open311-clients/:id': { allowed: ['admin'], request: (c) => ({ url: `/api/v1/admin/open311-clients/${c.ids.spareOpen311Client}` }) },
  'POST /api/v1/admin/categories': {
    allowed: ['admin'],
    request: () => ({ payload: { code: `c${Math.random().toString(36).slice(2, 10)}`, name: { kk: 'Сынақ', ru: 'Тест', en: 'Test' } } }),
  },
  'PATCH /api/v1/admin/categories/:code': { allowed: ['admin'], request: () => ({ url: '/api/v1/admin/categories/bulky', payload: { sort: 40 } }) },
  'GET /api/v1/stats/districts': { allowed: ['dispatcherX', 'dispatcherY', 'akim', 'admin'] },
  // OGC API - Features and its GeoJSON export: public reads (public fields only).
  'GET /ogc': { allowed: EVERYONE },
  'GET /ogc/conformance': { allowed: EVERYONE },
  'GET /ogc/collections': { allowed: EVERYONE },
  'GET /ogc/collections/:collectionId': { allowed: EVERYONE, request: () => ({ url: '/ogc/collections/reports' }) },
  'GET /ogc/collections/:collectionId/items': { allowed: EVERYONE, request: () => ({ url: '/ogc/collections/reports/items' }) },
  'GET /ogc/collections/:collectionId/items/:featureId': { allowed: EVERYONE, request: (c) => ({ url: `/ogc/collections/reports/items/${c.ids.reportOfB}` }) },
  'GET /api/v1/export/:collectionId.geojson': { allowed: EVERYONE, request: () => ({ url: '/api/v1/export/reports.geojson' }) },
  'GET /api/docs': { allowed: EVERYONE },
  'GET /api/docs-json': { allowed: EVERYONE },
  'GET /admin/queues': { allowed: ['admin'] },
  'GET /admin/queues/api/queues': { allowed: ['admin'], request: () => ({ url: '/admin/queues/api/queues' }) },
  // Map tiles: public layers for everyone (a tile over central Almaty, inside its districts).
  'GET /tiles/:layer/:z/:x/:y.mvt': { allowed: EVERYONE, request: () => ({ url: '/tiles/districts/10/730/375.mvt' }) },
  'GET /tiles/:layer.json': { allowed: EVERYONE, request: () => ({ url: '/tiles/reports.json' }) },
  // Staff layers: dispatchers and akims (their own city's features; another city's tile is an empty 204), admins.
  'GET /tiles/:layer/:z/:x/:y.mvt #cameras': { allowed: ['dispatcherX', 'dispatcherY', 'akim', 'admin'], request: () => ({ url: '/tiles/cameras/10/730/375.mvt' }) },
  'GET /tiles/:layer.json #cameras': { allowed: ['dispatcherX', 'dispatcherY', 'akim', 'admin'], request: () => ({ url: '/tiles/cameras.json' }) },
  // Landfills: a public layer (name, status, fill level), the tile over Almaty's demo site.
  'GET /tiles/:layer/:z/:x/:y.mvt #landfills': { allowed: EVERYONE, request: () => ({ url: '/tiles/landfills/12/2925/1499.mvt' }) },
  'GET /tiles/:layer.json #landfills': { allowed: EVERYONE, request: () => ({ url: '/tiles/landfills.json' }) },
  'GET /tiles/:layer/:z/:x/:y.mvt #incidents': { allowed: ['dispatcherX', 'dispatcherY', 'akim', 'admin'], request: () => ({ url: '/tiles/incidents/10/730/375.mvt' }) },
  'GET /tiles/:layer.json #incidents': { allowed: ['dispatcherX', 'dispatcherY', 'akim', 'admin'], request: () => ({ url: '/tiles/incidents.json' }) },
  // Dispatch: staff of the city read; only its dispatcher plans (an admin may set crews up). Y is Astana's.
  'GET /api/v1/crews': { allowed: ['dispatcherX', 'dispatcherY', 'akim', 'admin'] },
  'POST /api/v1/crews': {
    allowed: ['dispatcherX', 'admin'],
    request: (c) => ({ url: `/api/v1/crews?cityId=${c.ids.almaty}`, payload: { name: `Crew ${Math.random().toString(36).slice(2, 8)}`, capacityM3: 6, depot: { lon: 76.95, lat: 43.24 } } }),
  },
  'PUT /api/v1/crews/:id': { allowed: ['dispatcherX', 'admin'], request: (c) => ({ url: `/api/v1/crews/${c.ids.crew}`, payload: { name: 'Almaty crew 2', capacityM3: 16, depot: { lon: 76.945, lat: 43.238 } } }) },
  'PUT /api/v1/crews/:id/members/:userId': { allowed: ['dispatcherX', 'admin'], request: (c) => ({ url: `/api/v1/crews/${c.ids.crew}/members/${c.ids.crewUser}` }) },
  'GET /api/v1/crews/day': { allowed: ['dispatcherX', 'akim', 'admin'], request: (c) => ({ url: `/api/v1/crews/day?crewId=${c.ids.crew}` }) },
  'GET /api/v1/work-orders': { allowed: ['dispatcherX', 'dispatcherY', 'akim', 'admin'] },
  'POST /api/v1/work-orders': { allowed: ['dispatcherX'], request: (c) => ({ payload: { reportIds: [c.ids.freshReport()] } }) },
  'GET /api/v1/work-orders/:id': { allowed: ['dispatcherX', 'akim', 'admin'], request: (c) => ({ url: `/api/v1/work-orders/${c.ids.orderPlanned}` }) },
  'POST /api/v1/work-orders/:id/assign': { allowed: ['dispatcherX'], request: (c) => ({ url: `/api/v1/work-orders/${c.ids.orderPlanned}/assign`, payload: { crewId: c.ids.crew } }) },
  'POST /api/v1/work-orders/:id/start': { allowed: ['dispatcherX'], request: (c) => ({ url: `/api/v1/work-orders/${c.ids.orderAssigned}/start` }) },
  'POST /api/v1/work-orders/:id/complete': {
    allowed: ['dispatcherX'],
    request: (c) => ({ url: `/api/v1/work-orders/${c.ids.orderStarted}/complete`, payload: c.ids.completeBody, headers: { 'content-type': c.ids.completeType } }),
  },
  'POST /api/v1/work-orders/:id/cancel': { allowed: ['dispatcherX'], request: (c) => ({ url: `/api/v1/work-orders/${c.ids.orderToCancel}/cancel`, payload: { reason: 'not needed' } }) },
  'GET /api/v1/dispatch/queue': { allowed: ['dispatcherX', 'admin'], request: (c) => ({ url: `/api/v1/dispatch/queue?cityId=${c.ids.almaty}` }) },
  'GET /api/v1/dispatch/overdue': { allowed: ['dispatcherX', 'akim', 'admin'], request: (c) => ({ url: `/api/v1/dispatch/overdue?cityId=${c.ids.almaty}` }) },
  // Landfills: staff of a city using the landfill read (Almaty's here; X and the akim are Almaty's); its
  // dispatchers (and admins) record measurements; only its akims acknowledge alerts; weighbridges post with a key.
  'GET /api/v1/landfills': { allowed: ['dispatcherX', 'dispatcherY', 'akim', 'admin'] },
  'GET /api/v1/landfills/:id/series': { allowed: ['dispatcherX', 'akim', 'admin'], request: (c) => ({ url: `/api/v1/landfills/${c.ids.landfillAlmaty}/series` }) },
  'POST /api/v1/landfills/:id/intake': { allowed: ['dispatcherX', 'admin'], request: (c) => ({ url: `/api/v1/landfills/${c.ids.landfillAlmaty}/intake`, payload: { date: c.ids.yesterday, tonnes: 3.5 } }) },
  'POST /api/v1/landfills/:id/surveys': {
    allowed: ['dispatcherX', 'admin'],
    request: (c) => ({ url: `/api/v1/landfills/${c.ids.landfillAlmaty}/surveys`, payload: { date: c.ids.surveyDay(), usedM3: 9_000_000, method: 'estimate' } }),
  },
  'POST /api/v1/landfills/:id/intake/import': {
    allowed: ['dispatcherX', 'admin'],
    request: (c) => {
      const { body, contentType } = multipartBody({}, [{ field: 'file', filename: 'intake.csv', contentType: 'text/csv', data: Buffer.from(`date,tonnes\n${c.ids.yesterday},2.5\n`) }]);
      return { url: `/api/v1/landfills/${c.ids.landfillAlmaty}/intake/import`, payload: body, headers: { 'content-type': contentType } };
    },
  },
  'POST /api/v1/landfills/:id/surveys/import': {
    allowed: ['dispatcherX', 'admin'],
    request: (c) => {
      const { body, contentType } = multipartBody({}, [{ field: 'file', filename: 'surveys.csv', contentType: 'text/csv', data: Buffer.from(`date,used_m3,method\n${c.ids.surveyDay()},9000000,drone\n`) }]);
      return { url: `/api/v1/landfills/${c.ids.landfillAlmaty}/surveys/import`, payload: body, headers: { 'content-type': contentType } };
    },
  },
  'POST /api/v1/weighbridge/tickets': {
    allowed: EVERYONE,
    request: (c) => ({ payload: { ticketId: `T-${Math.random().toString(36).slice(2)}`, date: c.ids.yesterday, tonnes: 11.2 }, headers: { 'x-api-key': DEMO_WEIGHBRIDGE_KEY } }),
  },
  'GET /api/v1/landfill-alerts': { allowed: ['dispatcherX', 'dispatcherY', 'akim', 'admin'] },
  'POST /api/v1/landfill-alerts/:id/acknowledge': { allowed: ['akim'], request: (c) => ({ url: `/api/v1/landfill-alerts/${c.ids.almatyAlert}/acknowledge`, payload: { note: 'seen' } }) },
  'GET /api/v1/diversion': { allowed: ['dispatcherX', 'dispatcherY', 'akim', 'admin'] },
  'POST /api/v1/diversion': { allowed: ['dispatcherX', 'admin'], request: (c) => ({ payload: { cityId: c.ids.almaty, date: c.ids.yesterday, tonnes: 4, source: 'eco-action' } }) },
  'POST /api/v1/admin/landfills': {
    allowed: ['admin'],
    request: (c) => ({ payload: { name: `Landfill ${Math.random().toString(36).slice(2, 8)}`, geometry: SQUARE, capacityM3: 100000, cityIds: [c.ids.almaty] } }),
  },
  'PUT /api/v1/admin/landfills/:id': {
    allowed: ['admin'],
    request: (c) => ({ url: `/api/v1/admin/landfills/${c.ids.spareLandfill}`, payload: { name: 'Spare landfill', geometry: SQUARE, capacityM3: 120000, cityIds: [c.ids.almaty] } }),
  },
  'POST /api/v1/admin/weighbridges': { allowed: ['admin'], request: (c) => ({ payload: { landfillId: c.ids.landfillAlmaty, name: 'Matrix scale' } }) },
  'GET /api/v1/admin/weighbridges': { allowed: ['admin'] },
  'DELETE /api/v1/admin/weighbridges/:id': { allowed: ['admin'], request: (c) => ({ url: `/api/v1/admin/weighbridges/${c.ids.spareWeighbridge}` }) },
  // CCTV: cameras sign their requests (no account gets through); staff read cameras and incidents of
  // their cities; admins manage cameras and keys; the city's dispatcher reviews. The camera is Almaty's.
  'GET /api/v1/cameras': { allowed: ['dispatcherX', 'dispatcherY', 'akim', 'admin'] },
  'GET /api/v1/cameras/:id': { allowed: ['dispatcherX', 'akim', 'admin'], request: (c) => ({ url: `/api/v1/cameras/${c.ids.camera}` }) },
  'POST /api/v1/admin/cameras': {
    allowed: ['admin'],
    request: () => ({ payload: { name: `Camera ${Math.random().toString(36).slice(2, 8)}`, lon: 76.93, lat: 43.25, bearingDeg: 10, fovDeg: 60, rangeM: 150 } }),
  },
  'PATCH /api/v1/admin/cameras/:id': { allowed: ['admin'], request: (c) => ({ url: `/api/v1/admin/cameras/${c.ids.camera}`, payload: { rangeM: 250 } }) },
  'POST /api/v1/admin/cameras/:id/keys': { allowed: ['admin'], request: (c) => ({ url: `/api/v1/admin/cameras/${c.ids.camera}/keys`, payload: {} }) },
  'GET /api/v1/admin/cameras/:id/keys': { allowed: ['admin'], request: (c) => ({ url: `/api/v1/admin/cameras/${c.ids.camera}/keys` }) },
  'DELETE /api/v1/admin/cameras/:id/keys/:keyId': { allowed: ['admin'], request: (c) => ({ url: `/api/v1/admin/cameras/${c.ids.camera}/keys/demo-almaty-2` }) },
  'POST /api/v1/cameras/heartbeat': { allowed: [], request: () => ({ payload: {} }) },
  'POST /api/v1/incidents': { allowed: [], request: () => ({ payload: { eventId: 'e1', occurredAt: new Date().toISOString(), confidence: 0.5, class: 'dumping' } }) },
  'POST /api/v1/incidents::batch': { allowed: [], request: () => ({ url: '/api/v1/incidents:batch', payload: { incidents: [] } }) },
  'GET /api/v1/incidents': { allowed: ['dispatcherX', 'dispatcherY', 'akim', 'admin'] },
  'GET /api/v1/incidents/:id': { allowed: ['dispatcherX', 'akim', 'admin'], request: (c) => ({ url: `/api/v1/incidents/${c.ids.incident}` }) },
  'GET /api/v1/incidents/:id/:media': { allowed: ['dispatcherX', 'akim', 'admin'], request: (c) => ({ url: `/api/v1/incidents/${c.ids.incident}/snapshot` }) },
  'GET /api/v1/incidents/:id/:media #clip': { allowed: ['dispatcherX', 'akim', 'admin'], request: (c) => ({ url: `/api/v1/incidents/${c.ids.incident}/clip` }) },
  'POST /api/v1/incidents/:id/confirm': { allowed: ['dispatcherX'], request: (c) => ({ url: `/api/v1/incidents/${c.ids.incidentToConfirm}/confirm` }) },
  'POST /api/v1/incidents/:id/dismiss': { allowed: ['dispatcherX'], request: (c) => ({ url: `/api/v1/incidents/${c.ids.incidentToDismiss}/dismiss`, payload: { reason: 'nothing there' } }) },
  // Hotspots: hull, counts and status are public; suggestions for the city's staff (Almaty's here).
  'GET /api/v1/hotspots': { allowed: EVERYONE },
  'GET /api/v1/hotspots/:id': { allowed: EVERYONE, request: (c) => ({ url: `/api/v1/hotspots/${c.ids.hotspot}` }) },
  'GET /api/v1/hotspots/camera-suggestions': { allowed: ['dispatcherX', 'akim', 'admin'], request: (c) => ({ url: `/api/v1/hotspots/camera-suggestions?cityId=${c.ids.almaty}` }) },
  // Last: it ends the caller's session.
  'POST /api/v1/auth/logout': { allowed: SIGNED_IN, request: () => ({ payload: {} }) },
};

/**
 * Routes that are not ours to list one by one: the OpenAPI UI's assets, the queue dashboard's own API
 * (guarded by prefix) and the web app's static files (public by nature).
 */
const DELEGATED = [/^\/api\/docs/, /^\/admin\/queues(\/|$)/, /^\/\*?$/, /^\/(index\.html|favicon\.svg|assets\/[\w.-]+)$/];

describe('access matrix: every route x every kind of caller', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: NestFastifyApplication;
  const headers: Partial<Record<Who, Record<string, string>>> = {};
  const fresh: string[] = [];
  let surveyDays = 0;
  const ctx: Ctx = { ids: { freshReport: () => fresh.shift()!, surveyDay: () => addDays(ctx.ids.yesterday, -++surveyDays) } as Ctx['ids'] };

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    app = await createApiApp(config);
    await loadDemoData(app);
    const accounts = app.get(AccountsService);
    const cities = (await app.inject({ method: 'GET', url: '/api/v1/cities' })).json();
    for (const f of cities.features) ctx.ids[f.properties.slug] = f.properties.id;
    for (const [who, email, password] of [
      ['residentA', 'resident.a@example.kz', 'resident-a-passphrase'],
      ['residentB', 'resident.b@example.kz', 'resident-b-passphrase'],
    ] as const) {
      await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { email, password } });
      headers[who] = (await signIn(app, email, password)).auth;
    }
    headers.dispatcherX = (await signIn(app, 'dispatcher.almaty@taza.example')).auth;
    headers.dispatcherY = (await signIn(app, 'dispatcher.astana@taza.example')).auth;
    headers.akim = (await signIn(app, 'akim.almaty@taza.example')).auth;
    headers.admin = (await signIn(app, 'admin@taza.example')).auth;
    const spare = await accounts.createStaff(null, { email: 'spare@taza.example', password: 'spare-long-passphrase', role: 'akim', cityId: ctx.ids.kostanay }, { ip: null, userAgent: null });
    ctx.ids.spareUser = spare.id;
    // Open311: a client key for POST requests, a spare client for the admin to revoke, a request's token.
    const issueOpen311Client = async (name: string) => (await app.inject({ method: 'POST', url: '/api/v1/admin/open311-clients', headers: headers.admin, payload: { name } })).json();
    ctx.ids.open311Key = (await issueOpen311Client('Matrix Open311 client')).apiKey;
    ctx.ids.spareOpen311Client = (await issueOpen311Client('Spare Open311 client')).id;
    ctx.ids.open311Token = (await app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: `api_key=${ctx.ids.open311Key}&service_code=green&lat=43.2567&long=76.95&attribute%5Bsize%5D=car`, headers: { 'content-type': 'application/x-www-form-urlencoded' } })).json()[0].token;

    // Objects owned by someone else: resident B's reports, one of them resolved and waiting for B's rating.
    const send = async (lon: number, headers: Record<string, string> = {}) =>
      (await app.inject({ method: 'POST', url: '/api/v1/reports', headers, payload: { lon, lat: 43.2467, category: 'bulky', size: 'car', contactEmail: 'b@example.kz' } })).json().reportId as string;
    ctx.ids.reportOfB = await send(76.9, headers.residentB);
    ctx.ids.resolvedOfB = await send(76.905, headers.residentB);
    const dispatcher = headers.dispatcherX!;
    const step = (action: string) => app.inject({ method: 'POST', url: `/api/v1/reports/${ctx.ids.resolvedOfB}/transitions`, headers: dispatcher, payload: { action } });
    await step('register');
    await step('start');
    const { body, contentType } = multipartBody({ action: 'resolve', note: 'done' }, [{ field: 'photos', filename: 'a.jpg', contentType: 'image/jpeg', data: await jpegPhoto() }]);
    const resolved = await app.inject({ method: 'POST', url: `/api/v1/reports/${ctx.ids.resolvedOfB}/transitions`, headers: { ...dispatcher, 'content-type': contentType }, payload: body });
    ctx.ids.mediaOfB = resolved.json().media[0].id;
    // A new submitted report for each caller that tries to register one, and for each that plans one.
    for (let i = 0; i < 2 * EVERYONE.length; i++) fresh.push(await send(76.91 + i * 0.001));

    // Dispatch: an Almaty crew and crew account, and work orders in each state a move starts from.
    const crews = (await app.inject({ method: 'GET', url: '/api/v1/crews', headers: dispatcher })).json();
    ctx.ids.crew = crews.find((c: { name: string }) => c.name === 'Almaty crew 2').id;
    ctx.ids.crewUser = (await accounts.createStaff(null, { email: 'crew.spare@taza.example', password: 'crew-long-passphrase', role: 'crew', cityId: ctx.ids.almaty }, { ip: null, userAgent: null })).id;
    const order = async (lon: number, ...steps: string[]) => {
      const id = (await app.inject({ method: 'POST', url: '/api/v1/work-orders', headers: dispatcher, payload: { reportIds: [await send(lon)] } })).json().id as string;
      for (const s of steps) await app.inject({ method: 'POST', url: `/api/v1/work-orders/${id}/${s}`, headers: dispatcher, payload: s === 'assign' ? { crewId: ctx.ids.crew } : {} });
      return id;
    };
    ctx.ids.orderPlanned = await order(76.95);
    ctx.ids.orderToCancel = await order(76.951);
    ctx.ids.orderAssigned = await order(76.952, 'assign');
    ctx.ids.orderStarted = await order(76.953, 'assign', 'start');
    const completion = multipartBody({ removedVolumeM3: '1', note: 'done' }, [{ field: 'photos', filename: 'a.jpg', contentType: 'image/jpeg', data: await jpegPhoto() }]);
    ctx.ids.completeBody = completion.body as unknown as string;
    ctx.ids.completeType = completion.contentType;

    // Landfills: Almaty's, a spare one to edit, an alert to acknowledge, a weighbridge to revoke.
    const landfills = (await app.inject({ method: 'GET', url: '/api/v1/landfills', headers: headers.admin })).json();
    const almatyLandfill = landfills.features.find((f: { properties: { cityIds: string[] } }) => f.properties.cityIds.includes(ctx.ids.almaty));
    ctx.ids.landfillAlmaty = almatyLandfill.id;
    ctx.ids.yesterday = addDays(almatyLandfill.properties.asOf, -1);
    ctx.ids.spareLandfill = (await app.inject({ method: 'POST', url: '/api/v1/admin/landfills', headers: headers.admin, payload: { name: 'Spare landfill', geometry: SQUARE, capacityM3: 100000, cityIds: [ctx.ids.almaty] } })).json().id;
    ctx.ids.spareWeighbridge = (await app.inject({ method: 'POST', url: '/api/v1/admin/weighbridges', headers: headers.admin, payload: { landfillId: ctx.ids.landfillAlmaty, name: 'Spare scale' } })).json().id;
    ctx.ids.almatyAlert = (await app.get(DataSource).query(`INSERT INTO landfill_alerts (landfill_id, level, fill_percent) VALUES ($1, 'warning', 80.5) RETURNING id`, [ctx.ids.landfillAlmaty]))[0].id;
    // CCTV: an Almaty camera (demo key), an incident with a snapshot and a clip, two to review.
    const camera = { keyId: 'demo-almaty-1', secret: 'taza-demo-camera-secret-almaty-1' };
    ctx.ids.camera = (await app.inject({ method: 'GET', url: `/api/v1/cameras?cityId=${ctx.ids.almaty}`, headers: headers.admin })).json().features[0].id;
    const sendIncident = async (eventId: string, files: { field: string; filename: string; contentType: string; data: Buffer }[] = []) => {
      const form = multipartBody({ eventId, occurredAt: new Date().toISOString(), confidence: '0.5', class: 'dumping' }, files);
      return (await cameraRequest(app, camera, { url: '/api/v1/incidents', payload: form.body, contentType: form.contentType })).json().incidentId as string;
    };
    ctx.ids.incident = await sendIncident('matrix-1', [
      { field: 'snapshot', filename: 's.jpg', contentType: 'image/jpeg', data: await jpegPhoto() },
      { field: 'clip', filename: 'c.mp4', contentType: 'video/mp4', data: mp4().bytes },
    ]);
    ctx.ids.incidentToConfirm = await sendIncident('matrix-2');
    ctx.ids.incidentToDismiss = await sendIncident('matrix-3');
    if (![ctx.ids.camera, ctx.ids.incident, ctx.ids.incidentToConfirm, ctx.ids.incidentToDismiss].every(Boolean)) throw new Error('CCTV set-up failed');
    // A hotspot on Almaty's outskirts.
    await givenReports(app.get(DataSource), blob({ lon: 77.06, lat: 43.25 }, 4, 25));
    await app.get(HotspotsService).recluster(ctx.ids.almaty);
    ctx.ids.hotspot = (await app.get(DataSource).query(`SELECT id FROM hotspots LIMIT 1`))[0].id;
  });
  afterAll(async () => {
    await app?.close();
    await obliterateQueues(config);
    await db?.drop();
  });

  const routeOf = (key: string) => key.split(' #')[0];
  const listed = () => {
    const routes = registeredRoutes.get(app) ?? [];
    return [...new Set(routes.map((r) => `${r.method} ${r.url}`))];
  };

  it('covers every route the API registers (a new route must join the matrix)', () => {
    const cases = new Set(Object.keys(MATRIX).map(routeOf));
    const missing = listed().filter((key) => !cases.has(key) && !DELEGATED.some((re) => re.test(key.split(' ')[1])));
    expect(missing).toEqual([]);
    const stale = Object.keys(MATRIX).filter((key) => !listed().includes(routeOf(key)) && !key.startsWith('GET /admin/queues/'));
    expect(stale).toEqual([]);
  });

  it('gives no caller a 2xx it should not get, and no allowed caller a 401/403', async () => {
    const unexpected: string[] = [];
    for (const [key, rule] of Object.entries(MATRIX)) {
      const [method, pattern] = key.split(' ');
      for (const who of EVERYONE) {
        const req = rule.request?.(ctx) ?? {};
        const res = await app.inject({
          method: method as 'GET',
          url: req.url ?? pattern,
          payload: req.payload as never,
          headers: { ...(headers[who] ?? {}), ...(req.headers ?? {}) },
          remoteAddress: `10.0.${EVERYONE.indexOf(who)}.1`,
        });
        const ok = res.statusCode >= 200 && res.statusCode < 300;
        if (res.statusCode >= 500) unexpected.push(`${key} as ${who}: ${res.statusCode} ${res.body.slice(0, 200)}`);
        else if (ok && !rule.allowed.includes(who)) unexpected.push(`${key} as ${who}: unexpected ${res.statusCode}`);
        else if (rule.allowed.includes(who) && (res.statusCode === 401 || res.statusCode === 403)) unexpected.push(`${key} as ${who}: refused ${res.statusCode}`);
      }
    }
    expect(unexpected).toEqual([]);
  });
});
