/// <reference lib="dom" />
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { jpegPhoto, multipartBody, screenshotPath, signIn } from '../../../libs/testing/src/index.js';
import { startTestWeb, stopTestWeb, type TestWeb } from './web-harness.js';

/** A dump in Almaty (inside a district), where the photo says it was taken. */
const DUMP = { lon: 76.9286, lat: 43.2567 };

describe('web app: a resident reports a dump, the akimat resolves it, the resident rates it (Chromium)', () => {
  let web: TestWeb;
  let app: NestFastifyApplication;
  let browser: Browser;
  let origin: string;
  let context: BrowserContext;
  let page: Page;
  let photoWithGps: Buffer;
  let errors: string[];

  beforeAll(async () => {
    web = await startTestWeb();
    ({ app, origin, browser } = web);
    photoWithGps = await jpegPhoto({ gps: DUMP });
    // An open report 120 m away, of another category: the form offers it before sending.
    const res = await app.inject({ method: 'POST', url: '/api/v1/reports', payload: { lon: DUMP.lon + 0.0015, lat: DUMP.lat, category: 'tyres', size: 'car' } });
    expect(res.statusCode).toBe(201);
  });
  afterAll(() => stopTestWeb(web));

  async function open(path: string, viewport = { width: 1280, height: 800 }, locale = 'en-US') {
    context = await browser.newContext({ viewport, locale });
    page = await context.newPage();
    errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${origin}${path}`);
  }
  afterEach(async () => {
    await context?.close();
  });

  const waitForSmallMap = () => page.waitForFunction(() => !!(window as unknown as { __tazaSmallMap?: unknown }).__tazaSmallMap, undefined, { timeout: 45000 });

  it('files a report with a photo whose GPS places the pin, shows server field errors inline, then follows and rates it', async () => {
    await open('/report');
    await page.getByTestId('report-form').waitFor();
    await waitForSmallMap();
    expect(await page.getByTestId('pin-status').innerText()).toMatch(/Place the pin/);

    // The photo's EXIF position suggests the pin (no pin yet: it is placed there).
    await page.getByTestId('photos').setInputFiles({ name: 'dump.jpg', mimeType: 'image/jpeg', buffer: photoWithGps });
    await page.getByTestId('photo-previews').locator('img').first().waitFor();
    await page.getByTestId('report-pin').waitFor();
    expect(await page.getByTestId('pin-status').innerText()).toMatch(/43\.256\d\d, 76\.928\d\d/);
    // The open report nearby is offered before sending.
    await page.getByTestId('nearby').waitFor();
    expect(await page.getByTestId('nearby').innerText()).toMatch(/Tyres, Submitted, 12\d m away/);

    // Nothing chosen: the form says which fields, without a round trip.
    await page.getByTestId('submit-report').click();
    expect(await page.getByTestId('error-category').innerText()).toMatch(/Choose a category/);
    expect(await page.getByTestId('error-size').innerText()).toMatch(/Choose how much/);

    await page.getByTestId('category').selectOption('household');
    await page.getByTestId('size-car').check();
    await page.getByTestId('waste-plastic').check();
    await page.getByTestId('description').fill('Bags behind the garages');
    // The server refuses the phone number: its field message appears under that field.
    await page.getByTestId('contact-phone').fill('call me');
    await page.getByTestId('submit-report').click();
    await page.getByTestId('error-contactPhone').waitFor();
    expect(await page.getByTestId('error-contactPhone').innerText()).toMatch(/^Phone: contactPhone must be a phone number/);
    await page.screenshot({ path: screenshotPath('report-form-errors-en'), fullPage: true });

    await page.getByTestId('contact-phone').fill('+7 701 234 56 78');
    await page.getByTestId('submit-report').click();
    await page.waitForURL(/\/reports\/[0-9a-f-]{36}\?/);
    const url = new URL(page.url());
    const reportId = url.pathname.split('/')[2];
    expect(url.searchParams.get('token')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    await page.getByTestId('report-detail').waitFor();
    expect(await page.getByTestId('sent-notice').innerText()).toMatch(/sent to the akimat/);
    expect(await page.getByTestId('tracking-link').inputValue()).toBe(`${origin}/reports/${reportId}?token=${url.searchParams.get('token')}`);
    expect(await page.getByTestId('report-status').innerText()).toBe('Submitted');
    expect(await page.getByTestId('timeline').innerText()).toMatch(/Reported/);
    await page.getByTestId('photos-before').locator('img').first().waitFor();
    await page.screenshot({ path: screenshotPath('report-sent-en'), fullPage: true });

    // The dispatcher of Almaty registers, starts and resolves it (with an "after" photo) through the API.
    const dispatcher = await signIn(app, 'dispatcher.almaty@taza.example');
    for (const action of ['register', 'start']) {
      const res = await app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/transitions`, headers: dispatcher.auth, payload: { action } });
      expect(res.statusCode).toBe(200);
    }
    const after = multipartBody({ action: 'resolve', note: 'Removed 2 m³' }, [{ field: 'photos', filename: 'after.jpg', contentType: 'image/jpeg', data: await jpegPhoto() }]);
    const resolved = await app.inject({ method: 'POST', url: `/api/v1/reports/${reportId}/transitions`, headers: { ...dispatcher.auth, 'content-type': after.contentType }, payload: after.body });
    expect(resolved.statusCode).toBe(200);

    // The tracking link alone (a fresh browser) shows the resolution and lets the resident rate it.
    await context.close();
    await open(`${url.pathname}${url.search.replace(/sent=[a-z]+&?/, '')}`, { width: 390, height: 844 });
    await page.getByTestId('rating-form').waitFor();
    expect(await page.getByTestId('report-status').innerText()).toBe('Resolved');
    expect(await page.getByTestId('resolution-note').innerText()).toBe('Removed 2 m³');
    await page.getByTestId('photos-after').locator('img').first().waitFor();
    await page.getByTestId('submit-rating').click();
    expect(await page.getByTestId('error-rating').innerText()).toMatch(/Choose from 1 to 5/);
    await page.screenshot({ path: screenshotPath('report-rate-phone-en'), fullPage: true });
    await page.locator('label:has([data-testid="star-4"])').click();
    await page.getByTestId('rating-comment').fill('Clean now, thanks');
    await page.getByTestId('submit-rating').click();
    await page.getByTestId('rating-shown').waitFor();
    expect(await page.getByTestId('rating-shown').innerText()).toMatch(/Your rating: 4 of 5 — “Clean now, thanks”/);
    expect(await page.getByTestId('report-status').innerText()).toBe('Closed');
    expect(await page.getByTestId('timeline').innerText()).toMatch(/Status changed → Resolved[\s\S]*Removed 2 m³[\s\S]*Rated → Closed/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('report-rated-phone-en'), fullPage: true });

    // The public (no token) sees the rating but not the comment, and cannot rate.
    await context.close();
    await open(`/reports/${reportId}`);
    await page.getByTestId('rating-shown').waitFor();
    expect(await page.getByTestId('rating-shown').innerText()).toBe('Rated 4 of 5 by the reporter');
    expect(await page.getByTestId('tracking').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('report-public-en'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('confirms an open report nearby instead of sending a new one, on a phone, in Kazakh', async () => {
    await open('/report', { width: 390, height: 844 }, 'kk-KZ');
    await page.getByTestId('report-form').waitFor();
    await waitForSmallMap();
    expect(await page.locator('h2').first().innerText()).toBe('Заңсыз қоқыс үйіндісі туралы хабарлау');
    await page.getByTestId('pin-centre').click();
    // Drop the pin next to the tyres report by moving the map there first.
    await page.evaluate(({ lon, lat }) => (window as unknown as { __tazaSmallMap: { jumpTo(o: unknown): void } }).__tazaSmallMap.jumpTo({ center: [lon, lat], zoom: 17 }), { lon: DUMP.lon + 0.0014, lat: DUMP.lat });
    await page.getByTestId('pin-centre').click();
    await page.getByTestId('nearby').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('report-form-phone-kk'), fullPage: true });
    await page.getByTestId('nearby-confirm').first().click();
    await page.getByTestId('confirming').waitFor();
    expect(await page.getByTestId('category').count()).toBe(0);
    await page.getByTestId('size-truck').check();
    await page.getByTestId('submit-report').click();
    await page.waitForURL(/sent=joined/);
    expect(await page.getByTestId('sent-notice').innerText()).toMatch(/растадыңыз/);
    expect(await page.getByTestId('report-category').innerText()).toBe('Шиналар');
    await page.screenshot({ path: screenshotPath('report-joined-phone-kk'), fullPage: true });
  });

  it('switches the language of the report form, remembers it, and lists a signed-in resident\'s reports', async () => {
    await open('/report', { width: 1280, height: 800 }, 'en-US');
    await page.getByTestId('report-form').waitFor();
    expect(await page.getByTestId('submit-report').innerText()).toBe('Send the report');
    await page.getByTestId('lang').selectOption('ru');
    expect(await page.getByTestId('submit-report').innerText()).toBe('Отправить обращение');
    expect(await page.getByTestId('size').innerText()).toMatch(/Грузовик/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    await page.reload();
    await page.getByTestId('report-form').waitFor();
    expect(await page.getByTestId('submit-report').innerText()).toBe('Отправить обращение');
    await page.screenshot({ path: screenshotPath('report-form-ru'), fullPage: false });

    // A resident with an account: the report joins "my reports", no tracking link needed.
    const email = `resident-${Date.now()}@example.kz`;
    const signup = await app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: { email, password: 'steppe wind at dawn' } });
    expect(signup.statusCode).toBe(201);
    await page.goto(`${origin}/signin?next=/report`);
    await page.getByTestId('login').fill(email);
    await page.getByTestId('password').fill('steppe wind at dawn');
    await page.getByTestId('submit').click();
    await page.waitForURL(`${origin}/report`);
    await page.getByTestId('report-form').waitFor();
    await waitForSmallMap();
    await page.evaluate(() => (window as unknown as { __tazaSmallMap: { jumpTo(o: unknown): void } }).__tazaSmallMap.jumpTo({ center: [71.43, 51.128], zoom: 15 }));
    await page.getByTestId('pin-centre').click();
    await page.getByTestId('category').selectOption('bulky');
    await page.getByTestId('size-bag').check();
    await page.getByTestId('submit-report').click();
    await page.waitForURL(/sent=created/);
    expect(new URL(page.url()).searchParams.get('token')).toBeNull();
    await page.getByTestId('nav-my-reports').click();
    await page.getByTestId('my-report').first().waitFor();
    expect(await page.getByTestId('my-report').count()).toBe(1);
    expect(await page.getByTestId('my-report').innerText()).toMatch(/Крупногабаритные отходы[\s\S]*Подано/);
    await page.screenshot({ path: screenshotPath('my-reports-ru') });
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('my-reports-phone-ru') });
  });

  it('can be filled in with the keyboard alone: every control is reachable and labelled', async () => {
    await open('/report');
    await page.getByTestId('report-form').waitFor();
    await waitForSmallMap();
    // (MapLibre's own keyboard panning is not under test: start over Almaty.)
    await page.evaluate(({ lon, lat }) => (window as unknown as { __tazaSmallMap: { jumpTo(o: unknown): void } }).__tazaSmallMap.jumpTo({ center: [lon, lat], zoom: 16 }), { lon: DUMP.lon - 0.01, lat: DUMP.lat });
    // From the top of the page, Tab reaches "pin in the middle of the map"; Enter drops the pin.
    let onPinButton = false;
    for (let i = 0; i < 30 && !onPinButton; i++) {
      await page.keyboard.press('Tab');
      onPinButton = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'pin-centre');
    }
    expect(onPinButton).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTestId('report-pin').waitFor();
    // The fields are found by their visible labels (what a screen reader announces).
    await page.getByLabel('Category').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Category').inputValue()).not.toBe('');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('size');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByTestId('size-wheelbarrow').isChecked()).toBe(true);
    await page.getByLabel('Description (optional)').fill('Typed with the keyboard');
    await page.getByLabel('Email').fill('keyboard@example.kz');
    await page.getByLabel('Photos (up to 5)').focus();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('photos');
    await page.getByTestId('submit-report').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/sent=created/);
    expect(await page.getByTestId('report-detail').innerText()).toMatch(/Typed with the keyboard/);
  });

  it('shows a dispatcher the resolved report without the resident\'s rating form', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/reports', payload: { lon: 76.95, lat: 43.24, category: 'household', size: 'bag' } });
    const id = created.json().reportId as string;
    const dispatcher = await signIn(app, 'dispatcher.almaty@taza.example');
    for (const action of ['register', 'start']) await app.inject({ method: 'POST', url: `/api/v1/reports/${id}/transitions`, headers: dispatcher.auth, payload: { action } });
    const after = multipartBody({ action: 'resolve', note: 'Cleared' }, [{ field: 'photos', filename: 'after.jpg', contentType: 'image/jpeg', data: await jpegPhoto() }]);
    expect((await app.inject({ method: 'POST', url: `/api/v1/reports/${id}/transitions`, headers: { ...dispatcher.auth, 'content-type': after.contentType }, payload: after.body })).statusCode).toBe(200);
    await open(`/signin?next=/reports/${id}`);
    await page.getByTestId('login').fill('dispatcher.almaty@taza.example');
    await page.getByTestId('password').fill('taza-demo-2026');
    await page.getByTestId('submit').click();
    await page.waitForURL(`${origin}/reports/${id}`);
    await page.getByTestId('report-detail').waitFor();
    expect(await page.getByTestId('report-status').innerText()).toBe('Resolved');
    expect(await page.getByTestId('rating-form').count()).toBe(0);
  });
});
