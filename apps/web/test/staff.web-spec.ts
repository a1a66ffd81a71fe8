/// <reference lib="dom" />
import type { BrowserContext, Page } from 'playwright-core';
import { HotspotsService } from '../../../libs/hotspots/src/index.js';
import { IncidentsService } from '../../../libs/incidents/src/index.js';
import { blob, cameraRequest, DEMO_PASSWORD, givenReports, jpegPhoto, multipartBody, screenshotPath } from '../../../libs/testing/src/index.js';
import { startTestWeb, stopTestWeb, type TestWeb } from './web-harness.js';

/** Reports posted in Kostanay before the dispatcher opens the console. */
const KOSTANAY = [
  { lon: 63.603, lat: 53.212, category: 'household', size: 'car' },
  { lon: 63.608, lat: 53.209, category: 'construction', size: 'truck' },
  { lon: 63.64, lat: 53.2, category: 'tyres', size: 'bag' },
];

type TestMap = { queryRenderedFeatures(o: { layers: string[] }): unknown[]; getLayer(id: string): unknown };

describe('web app: the dispatcher console and the akim dashboard (Chromium, real API)', () => {
  let web: TestWeb;
  const ids: string[] = [];

  beforeAll(async () => {
    web = await startTestWeb();
    for (const r of KOSTANAY) {
      const res = await web.app.inject({ method: 'POST', url: '/api/v1/reports', payload: r });
      if (res.statusCode !== 201) throw new Error(`could not post a report: ${res.statusCode} ${res.body}`);
      ids.push((res.json() as { reportId: string }).reportId);
    }
  });
  afterAll(() => stopTestWeb(web));

  async function signedIn(login: string, viewport = { width: 1366, height: 860 }, locale = 'en-US'): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
    const context = await web.browser.newContext({ viewport, locale });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${web.origin}/signin`);
    const form = page.getByTestId('signin-form');
    await form.getByTestId('login').fill(login);
    await form.getByTestId('password').fill(DEMO_PASSWORD);
    await form.getByTestId('submit').click();
    return { page, context, errors };
  }

  const staffMapReady = (page: Page, testId: string) => page.waitForSelector(`[data-testid="${testId}"][data-ready="true"]`, { timeout: 45000 });

  const rendered = (page: Page, layer: string) =>
    page.evaluate((id) => {
      const map = (window as unknown as { __tazaStaffMap?: TestMap }).__tazaStaffMap;
      return map && map.getLayer(id) ? map.queryRenderedFeatures({ layers: [id] }).length : 0;
    }, layer);

  it('a dispatcher lands on the console, registers, rejects, turns reports into a work order, assigns a crew and sees its route', async () => {
    const { page, context, errors } = await signedIn('dispatcher.kostanay@taza.example');
    try {
      await page.waitForURL(`${web.origin}/dispatch`);
      await page.getByTestId('dispatch-page').waitFor();
      await staffMapReady(page, 'dispatch-map');
      const queueNew = page.getByTestId('queue-new');
      for (const id of ids) await queueNew.getByTestId(`queue-${id}`).waitFor();
      // Each opens on its report page (photos, description, timeline) in a new tab.
      expect(await page.getByTestId(`open-${ids[0]}`).getAttribute('href')).toBe(`/reports/${ids[0]}`);
      await page.screenshot({ path: screenshotPath('dispatch-queue-en') });

      // Register the first two.
      for (const id of ids.slice(0, 2)) {
        await page.getByTestId(`register-${id}`).click();
        await page.getByTestId(`queue-${id}`).waitFor({ state: 'detached' });
      }
      expect(await page.getByTestId('staff-notice').innerText()).toMatch(/registered/);

      // Rejecting needs a reason.
      const third = page.getByTestId(`queue-${ids[2]}`);
      await third.getByTestId(`reject-${ids[2]}`).click();
      await third.getByTestId('reject-confirm').click();
      expect(await third.getByRole('alert').innerText()).toBe('Write the reason.');
      await third.getByTestId('reject-reason').fill('Private yard, not a public place');
      await third.getByTestId('reject-confirm').click();
      await third.waitFor({ state: 'detached' });
      const rejected = (await web.app.inject({ method: 'GET', url: `/api/v1/reports/${ids[2]}` })).json() as { status: string; rejectionReason: string };
      expect(rejected).toMatchObject({ status: 'rejected', rejectionReason: 'Private yard, not a public place' });

      // The registered ones, chosen in the list, become one work order.
      await page.getByTestId('tab-reports').click();
      for (const id of ids.slice(0, 2)) await page.getByTestId(`select-${id}`).check();
      expect(await page.getByTestId('create-order').innerText()).toMatch(/2 chosen/);
      expect(await rendered(page, 'staff-report-points')).toBeGreaterThanOrEqual(2);
      await page.screenshot({ path: screenshotPath('dispatch-reports-chosen-en') });
      await page.getByTestId('create-order-submit').click();
      const orderList = page.getByTestId('order-list');
      await orderList.waitFor();
      const order = orderList.locator('li').first();
      expect(await order.getByTestId('order-status').innerText()).toBe('Planned');
      expect(await order.getByTestId('order-crew').innerText()).toBe('No crew yet');

      // Assign a crew: its route shows the order as a numbered stop on the map.
      await order.getByTestId('assign-crew').selectOption({ label: 'Kostanay crew 1' });
      await order.getByTestId('assign-submit').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="order-crew"]')?.textContent === 'Crew: Kostanay crew 1');
      await page.getByTestId('route-summary').waitFor();
      expect(await page.getByTestId('route-summary').innerText()).toMatch(/stops: 1 /);
      await page.getByTestId('route-stop-1').waitFor();
      await page.getByTestId('route-depot').waitFor();
      await page.waitForFunction(() => {
        const map = (window as unknown as { __tazaStaffMap?: TestMap }).__tazaStaffMap;
        return !!map && !!map.getLayer('staff-route-line') && map.queryRenderedFeatures({ layers: ['staff-route-line'] }).length > 0;
      }, undefined, { timeout: 20000 });
      await page.screenshot({ path: screenshotPath('dispatch-route-en') });

      const { body } = await web.app.inject({ method: 'GET', url: '/api/v1/reports/' + ids[0] });
      expect(JSON.parse(body).status).toBe('registered');
      const orders = await web.ds.query(`SELECT w.status, c.name AS crew, (SELECT count(*)::int FROM work_order_reports x WHERE x.work_order_id = w.id) AS n FROM work_orders w JOIN crews c ON c.id = w.crew_id`);
      expect(orders).toEqual([{ status: 'planned', crew: 'Kostanay crew 1', n: 2 }]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an akim lands on the dashboard: acknowledges the landfill alert, sees district figures as a table and a choropleth', async () => {
    const { page, context, errors } = await signedIn('akim.kostanay@taza.example');
    try {
      await page.waitForURL(`${web.origin}/akim`);
      await page.getByTestId('akim-page').waitFor();
      const table = page.getByTestId('district-table');
      await table.waitFor();
      const rows = await table.locator('tbody tr').count();
      expect(rows).toBeGreaterThan(1);
      // The three reports of the first test are counted in their districts.
      const counts = await table.locator('tbody tr td:nth-child(2)').allInnerTexts();
      expect(counts.map(Number).reduce((a, b) => a + b, 0)).toBe(3);
      // Landfills: Kostanay's is about 91 % full, with its forecast and range, and a critical alert.
      const gauges = page.getByTestId('landfill-gauges');
      await gauges.waitFor();
      const gauge = gauges.locator('button').first();
      const percent = Number((await gauge.locator('text').textContent())!.replace('%', ''));
      expect(percent).toBeGreaterThanOrEqual(88);
      expect(percent).toBeLessThan(95);
      expect(await gauge.locator('[data-testid^="days90-"]').innerText()).toMatch(/reached/);
      expect(await gauge.locator('[data-testid^="days100-"]').innerText()).toMatch(/in \d+ days \(\d+–\d+\)/);
      await page.getByTestId('forecast-chart').locator('canvas').waitFor();
      const alerts = page.getByTestId('alert-list');
      await alerts.waitFor();
      const critical = alerts.locator('li', { hasText: 'Critical (90%)' }).first();
      await critical.waitFor();
      await page.screenshot({ path: screenshotPath('akim-landfills-en') });

      // Acknowledging needs a note; then it says who and when.
      await critical.getByRole('button', { name: 'Acknowledge' }).click();
      await critical.getByTestId('ack-submit').click();
      expect(await critical.getByRole('alert').innerText()).toBe('Write a note.');
      await critical.getByTestId('ack-note').fill('Working group on the new cell meets on Monday');
      await critical.getByTestId('ack-submit').click();
      await critical.getByTestId('alert-acked').waitFor();
      expect(await critical.getByTestId('alert-acked').innerText()).toMatch(/Acknowledged .*Working group on the new cell meets on Monday/);
      const acked = await web.ds.query(`SELECT ack_note FROM landfill_alerts WHERE level = 'critical' AND acknowledged_at IS NOT NULL`);
      expect(acked).toEqual([{ ack_note: 'Working group on the new cell meets on Monday' }]);

      await staffMapReady(page, 'choropleth-map');
      await page.getByTestId('choropleth-metric').selectOption('reports');
      await page.waitForTimeout(500);
      await page.screenshot({ path: screenshotPath('akim-dashboard-en'), fullPage: true });
      // A dispatcher's screen is not the akim's.
      await page.goto(`${web.origin}/dispatch`);
      await page.getByTestId('staff-forbidden').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a dispatcher turns the most severe outskirts hotspot into a work order and assigns a crew: its route is on the map', async () => {
    // Two dumps on Kostanay's outskirts, away from the core: a big one (trucks) and a small one (bags).
    const big = await givenReports(web.ds, blob({ lon: 63.545, lat: 53.25 }, 6, 40), { status: 'registered', size: 'truck', ageDays: 2 });
    await givenReports(web.ds, blob({ lon: 63.68, lat: 53.185 }, 3, 30), { status: 'registered', size: 'bag', ageDays: 5 });
    const [{ id: kostanay }] = await web.ds.query(`SELECT id FROM cities WHERE slug = 'kostanay'`);
    await web.app.get(HotspotsService).recluster(kostanay);
    const ranked: { id: string; outskirts: boolean }[] = await web.ds.query(`SELECT id, outskirts FROM hotspots WHERE city_id = $1 ORDER BY severity DESC`, [kostanay]);
    expect(ranked.map((h) => h.outskirts)).toEqual([true, true]);

    const { page, context, errors } = await signedIn('dispatcher.kostanay@taza.example');
    try {
      await page.waitForURL(`${web.origin}/dispatch`);
      await staffMapReady(page, 'dispatch-map');
      await page.getByTestId('tab-hotspots').click();
      const list = page.getByTestId('hotspot-list');
      await list.waitFor();
      expect(await list.locator(':scope > li').evaluateAll((items) => items.map((li) => li.getAttribute('data-item-id')))).toEqual(ranked.map((h) => h.id));
      const first = list.getByTestId(`hotspot-${ranked[0].id}`);
      expect(await first.innerText()).toMatch(/#1[\s\S]*6 reports[\s\S]*outskirts/);
      // Ranked on the map too.
      await page.locator('.staff-marker--hotspot', { hasText: '#1' }).waitFor();
      await page.locator('.staff-marker--hotspot', { hasText: '#2' }).waitFor();
      await page.waitForFunction(() => {
        const map = (window as unknown as { __tazaStaffMap?: TestMap }).__tazaStaffMap;
        return !!map && map.queryRenderedFeatures({ layers: ['staff-hotspot-fill'] }).length > 0;
      }, undefined, { timeout: 20000 });
      await page.screenshot({ path: screenshotPath('dispatch-hotspots-en') });

      await first.getByTestId(`hotspot-order-${ranked[0].id}`).click();
      const orders = page.getByTestId('order-list');
      await orders.waitFor();
      const order = orders.locator('li', { hasText: 'from a hotspot' }).first();
      expect(await order.innerText()).toMatch(/6 reports/);
      await order.getByTestId('assign-crew').selectOption({ label: 'Kostanay crew 2' });
      await order.getByTestId('assign-submit').click();
      await order.getByTestId('order-crew').filter({ hasText: 'Crew: Kostanay crew 2' }).waitFor();
      expect(await page.getByTestId('route-crew').inputValue()).not.toBe('');
      await page.getByTestId('route-summary').filter({ hasText: 'stops: 1 ' }).waitFor();
      await page.getByTestId('route-stop-1').waitFor();
      await page.waitForFunction(() => {
        const map = (window as unknown as { __tazaStaffMap?: TestMap }).__tazaStaffMap;
        return !!map && !!map.getLayer('staff-route-line') && map.queryRenderedFeatures({ layers: ['staff-route-line'] }).length > 0;
      }, undefined, { timeout: 20000 });
      await page.screenshot({ path: screenshotPath('dispatch-hotspot-route-en') });

      const stored = await web.ds.query(
        `SELECT w.status, c.name AS crew, array(SELECT x.report_id FROM work_order_reports x WHERE x.work_order_id = w.id ORDER BY x.report_id) AS reports
           FROM work_orders w JOIN crews c ON c.id = w.crew_id WHERE w.hotspot_id = $1`,
        [ranked[0].id],
      );
      expect(stored).toEqual([{ status: 'planned', crew: 'Kostanay crew 2', reports: [...big].sort() }]);
      // Back on the hotspots tab, it says it has its work order.
      await page.getByTestId('tab-hotspots').click();
      expect(await list.getByTestId(`hotspot-${ranked[0].id}`).innerText()).toMatch(/work order:/);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a dispatcher reviews camera incidents: snapshot shown, one dismissed with a reason, one confirmed; an offline camera is listed', async () => {
    const key = { keyId: 'demo-kostanay-1', secret: 'taza-demo-camera-secret-kostanay-1' };
    const incident = (n: number, over: Record<string, unknown> = {}) => ({ eventId: `web-${Date.now()}-${n}`, occurredAt: new Date(Date.now() - 60_000).toISOString(), confidence: 0.55, class: 'dumping', ...over });
    const fields = Object.fromEntries(Object.entries(incident(1)).map(([k, v]) => [k, String(v)]));
    const withSnapshot = multipartBody(fields, [{ field: 'snapshot', filename: 's.jpg', contentType: 'image/jpeg', data: await jpegPhoto({}) }]);
    const a = await cameraRequest(web.app, key, { url: '/api/v1/incidents', payload: withSnapshot.body, contentType: withSnapshot.contentType });
    const b = await cameraRequest(web.app, key, { url: '/api/v1/incidents', payload: incident(2, { class: 'vehicle_unloading', confidence: 0.4 }) });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    const [first, second] = [a.json().incidentId as string, b.json().incidentId as string];
    // What the worker does from the outbox: below the camera's 0.85 they wait for a dispatcher.
    await web.app.get(IncidentsService).process([first, second]);
    await web.ds.query(`UPDATE cameras SET status = 'offline', offline_since = now() WHERE name = 'Kostanay outskirts camera 2'`);

    const { page, context, errors } = await signedIn('dispatcher.kostanay@taza.example');
    try {
      await page.waitForURL(`${web.origin}/dispatch`);
      const review = page.getByTestId('queue-review');
      await review.waitFor();
      const withImage = review.getByTestId(`incident-${first}`);
      await withImage.locator('img').waitFor();
      expect(await withImage.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      expect(await withImage.innerText()).toMatch(/Dumping[\s\S]*Kostanay outskirts camera 1[\s\S]*55%/);
      expect(await page.getByTestId('cameras-offline').innerText()).toMatch(/Kostanay outskirts camera 2/);
      await staffMapReady(page, 'dispatch-map');
      expect(await rendered(page, 'staff-camera-sector')).toBeGreaterThanOrEqual(1);
      expect(await rendered(page, 'staff-incident-points')).toBeGreaterThanOrEqual(1);
      await page.screenshot({ path: screenshotPath('dispatch-incidents-en') });

      const other = review.getByTestId(`incident-${second}`);
      await other.getByTestId(`dismiss-${second}`).click();
      await other.getByTestId('dismiss-confirm').click();
      expect(await other.getByRole('alert').innerText()).toBe('Write the reason.');
      await other.getByTestId('dismiss-reason').fill('a parked truck, nothing unloaded');
      await other.getByTestId('dismiss-confirm').click();
      await other.waitFor({ state: 'detached' });
      await withImage.getByTestId(`confirm-${first}`).click();
      await withImage.waitFor({ state: 'detached' });
      const states = await web.ds.query(`SELECT id, status, dismiss_reason FROM incidents WHERE id = ANY($1) ORDER BY status`, [[first, second]]);
      expect(states).toEqual([
        { id: first, status: 'confirmed', dismiss_reason: null },
        { id: second, status: 'dismissed', dismiss_reason: 'a parked truck, nothing unloaded' },
      ]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each([
    ['kk', 'kk-KZ', 'Кезек', 'Аудандар тұрғындарға қалай жауап береді'],
    ['ru', 'ru-RU', 'Очередь', 'Как районы отвечают жителям'],
    ['en', 'en-US', 'Queue', 'How districts answer residents'],
  ])('the staff screens speak %s and fit a 390 px phone', async (lang, locale, queueTab, districtsTitle) => {
    for (const [login, path] of [
      ['dispatcher.kostanay@taza.example', '/dispatch'],
      ['akim.kostanay@taza.example', '/akim'],
    ] as const) {
      const { page, context, errors } = await signedIn(login, { width: 390, height: 844 }, locale);
      try {
        await page.waitForURL(`${web.origin}${path}`);
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
        if (path === '/dispatch') {
          await page.getByTestId('tab-queue').waitFor();
          expect(await page.getByTestId('tab-queue').innerText()).toContain(queueTab);
          await staffMapReady(page, 'dispatch-map');
        } else {
          await page.getByTestId('district-table').waitFor();
          expect(await page.locator('#akim-districts').innerText()).toBe(districtsTitle);
          await staffMapReady(page, 'choropleth-map');
        }
        expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
        await page.screenshot({ path: screenshotPath(`${path.slice(1)}-phone-${lang}`) });
        if (lang !== 'en') {
          await context.setDefaultTimeout(15000);
          await page.setViewportSize({ width: 1366, height: 860 });
          await page.waitForTimeout(300);
          await page.screenshot({ path: screenshotPath(`${path.slice(1)}-desktop-${lang}`) });
        }
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });
});
