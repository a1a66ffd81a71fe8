/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, Page } from 'playwright-core';
import { createApiApp, webDistDir } from '../../api/src/app.factory.js';
import { CitiesService } from '../../../libs/cities/src/index.js';
import type { AppConfig } from '../../../libs/core/src/index.js';
import { createTestDatabase, launchChromium, obliterateQueues, screenshotPath, testConfig, type TestDatabase } from '../../../libs/testing/src/index.js';

const SLUGS = ['almaty', 'astana', 'kostanay', 'zhezkazgan'];

/** Reports posted in Kostanay before the page loads: a few hundred metres apart, in one z13 grid cell. */
const KOSTANAY_REPORTS = [
  { lon: 63.603, lat: 53.212, category: 'household', size: 'bag' },
  { lon: 63.608, lat: 53.209, category: 'construction', size: 'car' },
  { lon: 63.613, lat: 53.215, category: 'tyres', size: 'truck' },
];

describe('web app: the map of the demo cities (Chromium)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let browser: Browser;
  let origin: string;
  const posted: { id: string; status: string; lon: number; lat: number; category: string }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    if (!existsSync(join(webDistDir(config), 'index.html'))) throw new Error('the web app is not built: run `npm test` (it builds it)');
    app = await createApiApp(config);
    await app.get(CitiesService).loadDemoCities();
    for (const r of KOSTANAY_REPORTS) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/reports', payload: r });
      if (res.statusCode !== 201) throw new Error(`could not post a report: ${res.statusCode} ${res.body}`);
      const body = res.json() as { reportId: string; status: string };
      posted.push({ id: body.reportId, status: body.status, lon: r.lon, lat: r.lat, category: r.category });
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await obliterateQueues(config);
    await db?.drop();
  });

  /** Opens the app and records every request that leaves our origin (there must be none). */
  async function open(viewport: { width: number; height: number }, locale = 'en-US') {
    const context = await browser.newContext({ viewport, locale });
    const page = await context.newPage();
    const foreign: string[] = [];
    const errors: string[] = [];
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(origin, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 45000 });
    return { page, foreign, errors, close: () => context.close() };
  }

  const renderedFeatures = (page: Page, layer: string) =>
    page.evaluate((id) => {
      const map = (window as unknown as { __tazaMap: { queryRenderedFeatures(o: { layers: string[] }): unknown[] } }).__tazaMap;
      return map.queryRenderedFeatures({ layers: [id] }).length;
    }, layer);

  it('draws the four cities with their boundaries and districts, offline, and labels them', async () => {
    const { page, foreign, errors, close } = await open({ width: 1280, height: 800 });
    try {
      for (const slug of SLUGS) await page.getByTestId(`city-marker-${slug}`).waitFor({ state: 'visible' });
      expect(await page.getByTestId('city-marker-almaty').innerText()).toBe('Almaty');
      expect(await renderedFeatures(page, 'city-boundary-line')).toBeGreaterThan(0);
      expect(await renderedFeatures(page, 'district-fill')).toBeGreaterThan(0);
      await page.screenshot({ path: screenshotPath('map-all-cities-en') });

      // Choosing a city brings it into view: its districts fill the screen.
      await page.getByTestId('city-picker').selectOption('kostanay');
      await page.waitForFunction(() => {
        const map = (window as unknown as { __tazaMap: { getZoom(): number; isMoving(): boolean } }).__tazaMap;
        return map.getZoom() > 9 && !map.isMoving();
      }, undefined, { timeout: 20000 });
      const centre = await page.evaluate(() => (window as unknown as { __tazaMap: { getCenter(): { lng: number; lat: number } } }).__tazaMap.getCenter());
      expect(centre.lng).toBeCloseTo(63.62, 0);
      expect(centre.lat).toBeCloseTo(53.21, 0);
      await page.screenshot({ path: screenshotPath('map-kostanay-en') });

      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows the reports from the vector tiles: points by status from z11, aggregated cells below', async () => {
    const { page, foreign, errors, close } = await open({ width: 1280, height: 800 });
    try {
      expect(posted.map((p) => p.status)).toEqual(['submitted', 'submitted', 'submitted']);
      await page.getByTestId('city-picker').selectOption('kostanay');
      await page.waitForFunction(() => {
        const map = (window as unknown as { __tazaMap: { getZoom(): number; isMoving(): boolean } }).__tazaMap;
        return map.getZoom() > 9 && !map.isMoving();
      }, undefined, { timeout: 20000 });

      type TestMap = {
        jumpTo(o: { center: [number, number]; zoom: number }): void;
        once(type: 'idle', fn: () => void): void;
        triggerRepaint(): void;
        project(p: [number, number]): { x: number; y: number };
        queryRenderedFeatures(o: { layers: string[] }): { properties: Record<string, unknown> }[];
      };
      /** Jumps, waits until every tile is loaded and drawn, returns the properties of a layer's features. */
      const viewAt = (center: [number, number], zoom: number, layer: string) =>
        page.evaluate(
          ({ center, zoom, layer }) =>
            new Promise<Record<string, unknown>[]>((resolve) => {
              const map = (window as unknown as { __tazaMap: TestMap }).__tazaMap;
              map.once('idle', () => resolve(map.queryRenderedFeatures({ layers: [layer] }).map((f) => f.properties)));
              map.jumpTo({ center, zoom });
              map.triggerRepaint();
            }),
          { center, zoom, layer },
        );

      const first = posted[0];
      const points = await viewAt([first.lon, first.lat], 14, 'report-points');
      const byId = new Map(points.map((p) => [p.id, p]));
      for (const r of posted) {
        expect(byId.get(r.id)).toMatchObject({ status: r.status, category: r.category });
      }
      await page.screenshot({ path: screenshotPath('map-reports-z14-en') });

      // A click on a point opens its popup: category, status and date, translated.
      const at = await page.evaluate((c) => (window as unknown as { __tazaMap: TestMap }).__tazaMap.project(c), [first.lon, first.lat] as [number, number]);
      const box = (await page.getByTestId('map').boundingBox())!;
      await page.mouse.click(box.x + at.x, box.y + at.y);
      const popup = page.getByTestId('report-popup');
      await popup.waitFor({ state: 'visible' });
      expect(await page.getByTestId('report-popup-category').innerText()).toBe('Household waste');
      expect(await page.getByTestId('report-popup-status').innerText()).toBe('Status: Submitted');
      expect(await page.getByTestId('report-popup-created').innerText()).toMatch(/^Reported: .*\d{4}/);
      await page.screenshot({ path: screenshotPath('map-report-popup-en') });
      await page.getByTestId('lang').selectOption('ru');
      await page.waitForFunction(() => document.documentElement.lang === 'ru');
      expect(await page.getByTestId('report-popup-category').innerText()).toBe('Бытовые отходы');
      expect(await page.getByTestId('report-popup-status').innerText()).toBe('Статус: Подано');
      await page.getByTestId('lang').selectOption('en');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      await page.locator('.report-popup .maplibregl-popup-close-button').click();
      await popup.waitFor({ state: 'detached' });

      const cells = await viewAt([first.lon, first.lat], 8, 'report-cells');
      expect(cells.some((c) => c.count === posted.length && c.open === posted.length)).toBe(true);
      expect(await viewAt([first.lon, first.lat], 8, 'report-points')).toEqual([]);
      await page.screenshot({ path: screenshotPath('map-reports-z8-en') });

      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('speaks Kazakh and Russian: the header and city names follow the chosen language', async () => {
    const { page, close } = await open({ width: 1280, height: 800 });
    try {
      await page.getByTestId('lang').selectOption('kk');
      await page.waitForFunction(() => document.documentElement.lang === 'kk');
      expect(await page.getByTestId('city-marker-kostanay').innerText()).toBe('Қостанай');
      expect(await page.getByTestId('city-marker-zhezkazgan').innerText()).toBe('Жезқазған');
      await page.screenshot({ path: screenshotPath('map-all-cities-kk') });

      await page.getByTestId('lang').selectOption('ru');
      await page.waitForFunction(() => document.documentElement.lang === 'ru');
      expect(await page.getByTestId('city-marker-kostanay').innerText()).toBe('Костанай');
      const tagline = await page.getByTestId('tagline').innerText();
      expect(tagline).toMatch(/[а-яё]/i);

      // The choice survives a reload.
      await page.reload();
      await page.waitForSelector('body[data-map-ready="true"]', { timeout: 45000 });
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('ru');
    } finally {
      await close();
    }
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const { page, close } = await open({ width: 390, height: 844 });
    try {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.getByTestId('city-marker-astana').waitFor({ state: 'visible' });
      await page.screenshot({ path: screenshotPath('map-phone-en') });
    } finally {
      await close();
    }
  });
});
