/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { HotspotsService } from '../../../libs/hotspots/src/index.js';
import { screenshotPath } from '../../../libs/testing/src/index.js';
import { startTestWeb, stopTestWeb, type TestWeb } from './web-harness.js';

/** Kostanay's demo landfill (the near-full one). */
const KOSTANAY_LANDFILL = [63.545, 53.268] as const;
/** Four dumps within ~60 m in Almaty: one hotspot after clustering. */
const ALMATY_CLUSTER = [76.9286, 43.2567] as const;

type Hooked = { __tazaMap: { jumpTo(o: unknown): void; once(e: string, f: () => void): void; queryRenderedFeatures(o: { layers: string[] }): { properties: Record<string, unknown> }[]; getStyle(): { layers: { id: string }[] } } };

describe('web app: the public map draws landfills and hotspots with a legend (Chromium)', () => {
  let web: TestWeb;

  beforeAll(async () => {
    web = await startTestWeb();
    for (const [dx, dy] of [[0, 0], [0.0004, 0], [0, 0.0003], [0.0004, 0.0003]]) {
      const res = await web.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { lon: ALMATY_CLUSTER[0] + dx, lat: ALMATY_CLUSTER[1] + dy, category: 'household', size: 'bag' } });
      expect(res.statusCode).toBe(201);
    }
    const cities = (await web.app.inject({ method: 'GET', url: '/api/v1/cities' })).json() as { features: { properties: { id: string; slug: string } }[] };
    await web.app.get(HotspotsService).recluster(cities.features.find((f) => f.properties.slug === 'almaty')!.properties.id);
  });
  afterAll(() => stopTestWeb(web));

  async function openAt(page: Page, zoom: number, centre: readonly [number, number] = KOSTANAY_LANDFILL) {
    await page.goto(web.origin);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 45000 });
    await page.evaluate(
      ({ c, z }) =>
        new Promise<void>((resolve) => {
          const map = (window as unknown as Hooked).__tazaMap;
          map.jumpTo({ center: c, zoom: z });
          map.once('idle', () => resolve());
        }),
      { c: centre, z: zoom },
    );
  }

  const landfills = (page: Page) => page.evaluate(() => (window as unknown as Hooked).__tazaMap.queryRenderedFeatures({ layers: ['landfill-fill', 'landfill-point'] }).map((f) => f.properties));

  it.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])('shows Kostanay\'s landfill by its fill level and an Almaty hotspot by its status, on a %s', async (name, viewport) => {
    const context = await web.browser.newContext({ viewport, locale: 'en-US' });
    const page = await context.newPage();
    try {
      await openAt(page, 12);
      const found = await landfills(page);
      expect(found.length).toBeGreaterThan(0);
      expect(found[0].name).toBe('Kostanay municipal landfill');
      // Drawn below the reports, so report points stay clickable.
      const ids = (await page.evaluate(() => (window as unknown as Hooked).__tazaMap.getStyle().layers.map((l) => l.id))) as string[];
      expect(ids.indexOf('landfill-fill')).toBeLessThan(ids.indexOf('report-points'));
      // A click on the site says its name and fill level.
      const box = (await page.getByTestId('map').boundingBox())!;
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      const popup = page.getByTestId('landfill-popup');
      await popup.waitFor();
      const fill = found[0].fill_percent;
      expect(await popup.innerText()).toMatch(typeof fill === 'number' ? new RegExp(`Kostanay municipal landfill[\\s\\S]*Filled: ${fill}%`) : /No forecast yet/);
      await page.keyboard.press('Escape');
      if (name === 'phone') await page.locator('.legend__title').click();
      const legend = page.getByTestId('legend-landfills');
      await legend.waitFor();
      expect(await legend.innerText()).toMatch(/Over 90%[\s\S]*No forecast yet/);
      expect(await page.getByTestId('legend-hotspots').innerText()).toMatch(/Active[\s\S]*Recurring after clean-up[\s\S]*Cleared/);
      await page.screenshot({ path: screenshotPath(`map-landfills-${name}-en`) });

      // The Almaty cluster is an active hotspot, drawn under its report points.
      await page.evaluate(
        ({ c }) =>
          new Promise<void>((resolve) => {
            const map = (window as unknown as Hooked).__tazaMap;
            map.jumpTo({ center: c, zoom: 17 });
            map.once('idle', () => resolve());
          }),
        { c: ALMATY_CLUSTER },
      );
      const hotspots = await page.evaluate(() => (window as unknown as Hooked).__tazaMap.queryRenderedFeatures({ layers: ['hotspot-fill'] }).map((f) => f.properties));
      expect(hotspots.length).toBeGreaterThan(0);
      expect(hotspots[0]).toMatchObject({ status: 'active', report_count: 4 });
      expect(ids.indexOf('hotspot-fill')).toBeLessThan(ids.indexOf('report-points'));
      // A tap inside the hull (between its report points) opens the hotspot's popup, not the district's.
      await page.getByTestId('legend').evaluate((el) => el.removeAttribute('open'));
      const canvas = (await page.getByTestId('map').boundingBox())!;
      await page.mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height / 2 - 20);
      await page.getByTestId('hotspot-popup').waitFor();
      expect(await page.getByTestId('hotspot-popup').innerText()).toMatch(/^hotspot\nActive\nReports: 4$/i);
      await page.screenshot({ path: screenshotPath(`map-hotspot-${name}-en`) });
    } finally {
      await context.close();
    }
  });
});
