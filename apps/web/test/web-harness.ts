import type { Browser } from 'playwright-core';
import { startTestApi, stopTestApi, type TestApi } from '../../api/src/testing/test-api.js';
import { launchChromium } from '../../../libs/testing/src/index.js';

export interface TestWeb extends TestApi {
  /** The app's address as a browser sees it (localhost, so Secure cookies work over http). */
  origin: string;
  browser: Browser;
}

/** The API serving the built web app on a free port, with demo data, and a headless Chromium; `overrides` are settings. */
export async function startTestWeb(overrides: Record<string, string> = {}): Promise<TestWeb> {
  const api = await startTestApi(overrides);
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  const origin = (await api.app.getUrl()).replace('[::1]', '127.0.0.1').replace('127.0.0.1', 'localhost');
  return { ...api, origin, browser: await launchChromium() };
}

export async function stopTestWeb(t: Partial<TestWeb> | undefined): Promise<void> {
  await t?.browser?.close();
  await stopTestApi(t);
}
