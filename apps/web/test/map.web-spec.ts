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

describe('web app: the map of the demo cities (Chromium)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    if (!existsSync(join(webDistDir(config), 'index.html'))) throw new Error('the web app is not built: run `npm test` (it builds it)');
    app = await createApiApp(config);
    await app.get(CitiesService).loadDemoCities();
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
