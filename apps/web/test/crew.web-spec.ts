/// <reference lib="dom" />
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { jpegPhoto, screenshotPath, signIn, type SignedIn } from '../../../libs/testing/src/index.js';
import { startTestWeb, stopTestWeb, type TestWeb } from './web-harness.js';

describe("web app: a crew's phone works through today's route (Chromium)", () => {
  let web: TestWeb;
  let app: NestFastifyApplication;
  let browser: Browser;
  let origin: string;
  let context: BrowserContext;
  let page: Page;
  let dispatcher: SignedIn;
  const reportIds: string[] = [];

  beforeAll(async () => {
    web = await startTestWeb();
    ({ app, origin, browser } = web);
    dispatcher = await signIn(app, 'dispatcher.almaty@taza.example');
    const crews = (await app.inject({ method: 'GET', url: '/api/v1/crews', headers: dispatcher.auth })).json() as { id: string; name: string }[];
    const crew = crews.find((c) => c.name === 'Almaty crew 1')!;
    // Two dumps, one work order each, assigned to the crew whose phone the demo account is.
    for (const [i, at] of [
      [76.96, 43.245],
      [76.99, 43.26],
    ].entries()) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/reports', payload: { lon: at[0], lat: at[1], category: i ? 'construction' : 'household', size: 'car' } });
      reportIds.push(res.json().reportId);
      const order = await app.inject({ method: 'POST', url: '/api/v1/work-orders', headers: dispatcher.auth, payload: { reportIds: [res.json().reportId] } });
      expect(order.statusCode).toBe(201);
      const assigned = await app.inject({ method: 'POST', url: `/api/v1/work-orders/${order.json().id}/assign`, headers: dispatcher.auth, payload: { crewId: crew.id } });
      expect(assigned.statusCode).toBe(200);
    }
  });
  afterEach(async () => {
    await context?.close();
  });
  afterAll(() => stopTestWeb(web));

  const statusOf = async (id: string) => (await app.inject({ method: 'GET', url: `/api/v1/reports/${id}` })).json().status as string;

  it('signs the crew in to its route, starts a stop and completes it with an "after" photo and the removed volume', async () => {
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'ru-RU' });
    page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${origin}/signin`);
    await page.getByTestId('login').fill('crew.almaty@taza.example');
    await page.getByTestId('password').fill('taza-demo-2026');
    await page.getByTestId('submit').click();
    // A crew account lands on its route.
    await page.waitForURL(`${origin}/crew`);
    await page.getByTestId('crew-page').waitFor();
    expect(await page.getByTestId('crew-stop').count()).toBe(2);
    expect(await page.getByTestId('crew-summary').innerText()).toMatch(/Almaty crew 1[\s\S]*остановок: 2/);
    expect(await page.getByTestId('crew-navigate').first().getAttribute('href')).toMatch(/^geo:43\.\d+,76\.\d+$/);
    await page.getByTestId('crew-stop-marker').first().waitFor();
    expect(await page.getByTestId('crew-stop-marker').count()).toBe(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('crew-route-phone-ru'), fullPage: true });

    const first = page.getByTestId('crew-stop').first();
    await first.getByTestId('crew-start').click();
    await first.getByTestId('crew-complete').waitFor();
    expect(await first.getByTestId('crew-stop-status').innerText()).toBe('В работе');
    const started = await Promise.all(reportIds.map(statusOf));
    expect(started.filter((s) => s === 'in_progress')).toHaveLength(1);

    await first.getByTestId('crew-complete').click();
    await first.getByTestId('crew-volume').fill('2,5');
    await first.getByTestId('crew-submit-complete').click();
    expect(await first.getByTestId('error-photos').innerText()).toMatch(/Добавьте фото/);
    await first.getByTestId('crew-photo').setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: await jpegPhoto() });
    await first.getByTestId('crew-photo-preview').waitFor();
    await first.getByTestId('crew-note').fill('Вывезли всё');
    await page.screenshot({ path: screenshotPath('crew-complete-phone-ru'), fullPage: true });
    await first.getByTestId('crew-submit-complete').click();

    await page.getByTestId('crew-done').waitFor();
    expect(await page.getByTestId('crew-stop').count()).toBe(1);
    const after = await Promise.all(reportIds.map(statusOf));
    expect(after.filter((s) => s === 'resolved')).toHaveLength(1);
    const resolvedId = reportIds[after.indexOf('resolved')];
    const report = (await app.inject({ method: 'GET', url: `/api/v1/reports/${resolvedId}` })).json();
    expect(report.resolutionNote).toBe('Вывезли всё');
    expect(report.media.filter((m: { stage: string }) => m.stage === 'after')).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('shows the remaining route on a desktop, and tells other roles the screen is for crews', async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    await page.goto(`${origin}/signin?next=/crew`);
    await page.getByTestId('login').fill('crew.almaty@taza.example');
    await page.getByTestId('password').fill('taza-demo-2026');
    await page.getByTestId('submit').click();
    await page.getByTestId('crew-page').waitFor();
    await page.getByTestId('crew-stop-marker').first().waitFor();
    expect(await page.getByTestId('nav-crew').innerText()).toBe('My route');
    await page.screenshot({ path: screenshotPath('crew-route-en') });

    await page.getByTestId('signout').click();
    await page.getByTestId('signin-link').waitFor();
    await page.goto(`${origin}/crew`);
    expect(await page.getByTestId('crew-gate').innerText()).toMatch(/Sign in with the crew account/);
  });
});
