/// <reference lib="dom" />
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { screenshotPath } from '../../../libs/testing/src/index.js';
import { startTestWeb, stopTestWeb, type TestWeb } from './web-harness.js';

/** A stand-in for an OpenStreetMap style server and a Nominatim geocoder, on localhost. */
function startBasemapServer(): Promise<{ server: Server; url: string; searches: URLSearchParams[] }> {
  const searches: URLSearchParams[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/style.json') {
      res.end(JSON.stringify({ version: 8, name: 'Test OSM', sources: {}, layers: [{ id: 'osm-land', type: 'background', paint: { 'background-color': '#f2efe9' } }] }));
    } else if (url.pathname === '/search') {
      searches.push(url.searchParams);
      res.end(JSON.stringify([{ display_name: 'Abay Avenue 10, Almaty', lat: '43.2400', lon: '76.9100' }]));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, searches })));
}

const layerIds = (page: Page, hook: '__tazaMap' | '__tazaSmallMap') =>
  page.evaluate((h) => (window as unknown as Record<string, { getStyle(): { layers: { id: string }[] } }>)[h].getStyle().layers.map((l) => l.id), hook);

describe('web app: the configured base map and address search, and the offline fallback (Chromium)', () => {
  let basemap: Awaited<ReturnType<typeof startBasemapServer>>;
  let web: TestWeb | undefined;

  beforeAll(async () => {
    basemap = await startBasemapServer();
  });
  afterEach(async () => {
    await stopTestWeb(web);
    web = undefined;
  });
  afterAll(() => new Promise<void>((resolve) => basemap.server.close(() => resolve())));

  it('draws our layers over MAP_STYLE_URL and finds an address with GEOCODER_URL, which places the pin', async () => {
    web = await startTestWeb({ MAP_STYLE_URL: `${basemap.url}/style.json`, GEOCODER_URL: basemap.url });
    const config = await web.app.inject({ method: 'GET', url: '/api/v1/client-config' });
    expect(config.json()).toEqual({ mapStyleUrl: `${basemap.url}/style.json`, geocoderUrl: basemap.url });
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(web.origin);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 45000 });
    const ids = await layerIds(page, '__tazaMap');
    expect(ids[0]).toBe('osm-land');
    expect(ids).toEqual(expect.arrayContaining(['district-fill', 'report-points']));
    // The offline background and city fill would hide the base map.
    expect(ids).not.toContain('background');
    expect(ids).not.toContain('city-fill');

    await page.getByTestId('report-cta').click();
    await page.getByTestId('address-search').waitFor();
    await page.getByTestId('address-query').fill('Abay 10');
    await page.getByTestId('address-submit').click();
    await page.getByTestId('address-results').getByText('Abay Avenue 10, Almaty').click();
    await page.getByTestId('report-pin').waitFor();
    expect(await page.getByTestId('pin-status').innerText()).toBe('Pin at 43.24000, 76.91000');
    expect(basemap.searches.at(-1)?.get('q')).toBe('Abay 10');
    expect(basemap.searches.at(-1)?.get('format')).toBe('jsonv2');
    expect(basemap.searches.at(-1)?.get('accept-language')).toBe('en');
    await page.screenshot({ path: screenshotPath('report-form-geocoder-en') });
    await context.close();
  });

  it('falls back to the offline style when MAP_STYLE_URL cannot be loaded, and shows no search box without GEOCODER_URL', async () => {
    web = await startTestWeb({ MAP_STYLE_URL: `${basemap.url}/missing-style.json` });
    const context = await web.browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(web.origin);
    await page.waitForSelector('body[data-map-ready="true"]', { timeout: 45000 });
    expect((await layerIds(page, '__tazaMap'))[0]).toBe('background');
    await page.getByTestId('report-cta').click();
    await page.getByTestId('report-form').waitFor();
    await page.waitForFunction(() => !!(window as unknown as { __tazaSmallMap?: unknown }).__tazaSmallMap, undefined, { timeout: 45000 });
    expect((await layerIds(page, '__tazaSmallMap'))[0]).toBe('background');
    expect(await page.getByTestId('address-search').count()).toBe(0);
    await context.close();
  });
});
