/// <reference lib="dom" />
import type { Page } from 'playwright-core';
import { screenshotPath } from '../../../libs/testing/src/index.js';
import { startTestWeb, stopTestWeb, type TestWeb } from './web-harness.js';

/** Kostanay's demo landfill (the near-full one). */
const KOSTANAY_LANDFILL = [63.545, 53.268] as const;

type Hooked = { __tazaMap: { jumpTo(o: unknown): void; once(e: string, f: () => void): void; queryRenderedFeatures(o: { layers: string[] }): { properties: Record<string, unknown> }[]; getStyle(): { layers: { id: string }[] } } };

describe('web app: the public map draws landfills (and hotspots when served) with a legend (Chromium)', () => {
  let web: TestWeb;

  beforeAll(async () => {
    web = await startTestWeb();
  });
  afterAll(() => stopTestWeb(web));

  async function openAt(page: Page, zoom: number) {
    await page.goto(web.origin);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 45000 });
    await page.evaluate(
      ({ c, z }) =>
        new Promise<void>((resolve) => {
          const map = (window as unknown as Hooked).__tazaMap;
          map.jumpTo({ center: c, zoom: z });
          map.once('idle', () => resolve());
        }),
      { c: KOSTANAY_LANDFILL, z: zoom },
    );
  }

  const landfills = (page: Page) => page.evaluate(() => (window as unknown as Hooked).__tazaMap.queryRenderedFeatures({ layers: ['landfill-fill', 'landfill-point'] }).map((f) => f.properties));

  it.each([
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ])('shows Kostanay\'s landfill coloured by its fill level, on a %s', async (name, viewport) => {
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
      if (name === 'phone') await page.locator('.legend__title').click();
      const legend = page.getByTestId('legend-landfills');
      await legend.waitFor();
      expect(await legend.innerText()).toMatch(/Over 90%[\s\S]*No forecast yet/);
      // Hotspots appear in the legend exactly when the API serves their layer.
      const hotspotsServed = (await web.app.inject({ method: 'GET', url: '/tiles/hotspots.json' })).statusCode === 200;
      expect(await page.getByTestId('legend-hotspots').count()).toBe(hotspotsServed ? 1 : 0);
      await page.screenshot({ path: screenshotPath(`map-landfills-${name}-en`) });
    } finally {
      await context.close();
    }
  });
});
