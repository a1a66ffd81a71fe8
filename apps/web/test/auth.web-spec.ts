/// <reference lib="dom" />
import { startTestWeb, stopTestWeb, type TestWeb } from './web-harness.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AppConfig } from '../../../libs/core/src/index.js';
import { screenshotPath, type TestDatabase } from '../../../libs/testing/src/index.js';

describe('web app: sign-up and sign-in against the real API (Chromium)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let web: TestWeb;
  let browser: Browser;
  let origin: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    web = await startTestWeb();
    ({ db, config, app, origin, browser } = web);
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
  });
  afterAll(() => stopTestWeb(web));

  it('signs a resident up, refusing a common password with the server\'s reason, and keeps them signed in across a reload', async () => {
    await page.goto(`${origin}/signup`);
    const form = page.getByTestId('signup-form');
    await form.getByTestId('signup-login').fill('aigerim@example.kz');
    await form.getByTestId('display-name').fill('Aigerim');
    await form.getByTestId('password').fill('password123');
    await form.getByTestId('password-confirm').fill('password123');
    await form.getByTestId('submit').click();
    await page.getByTestId('error-password').waitFor();
    expect(await page.getByTestId('error-password').innerText()).toMatch(/most common passwords/);
    await page.screenshot({ path: screenshotPath('signup-error-en') });

    await form.getByTestId('password').fill('steppe wind at dawn');
    await form.getByTestId('password-confirm').fill('steppe wind at dawn');
    await form.getByTestId('submit').click();
    await page.getByTestId('current-user').waitFor();
    expect(await page.getByTestId('current-user').innerText()).toBe('Aigerim');

    await page.reload();
    await page.getByTestId('current-user').waitFor({ timeout: 15000 });
    expect(await page.getByTestId('current-user').innerText()).toBe('Aigerim');
    // The refresh token never reaches JavaScript.
    expect(await page.evaluate(() => document.cookie)).not.toMatch(/taza_refresh/);

    await page.getByTestId('signout').click();
    await page.getByTestId('signin-link').waitFor();
    await page.reload();
    await page.getByTestId('signin-link').waitFor({ timeout: 15000 });
  });

  it('signs a demo dispatcher in, shows the role, and says clearly when the password is wrong', async () => {
    await page.goto(`${origin}/signin`);
    const form = page.getByTestId('signin-form');
    await form.getByTestId('login').fill('dispatcher.almaty@taza.example');
    await form.getByTestId('password').fill('not the password');
    await form.getByTestId('submit').click();
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').innerText()).toMatch(/login or the password is wrong/);
    await page.screenshot({ path: screenshotPath('signin-error-en') });

    await form.getByTestId('password').fill('taza-demo-2026');
    await form.getByTestId('submit').click();
    await page.getByTestId('current-role').waitFor();
    expect(await page.getByTestId('current-role').innerText()).toMatch(/dispatcher/i);
    // A dispatcher lands on the dispatch console.
    await page.waitForURL(`${origin}/dispatch`);
    await page.screenshot({ path: screenshotPath('signed-in-dispatcher-en') });
  });

  it('shows the sign-in screen in Kazakh on a phone', async () => {
    await context.close();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'kk-KZ' });
    page = await context.newPage();
    await page.goto(`${origin}/signin`);
    await page.getByTestId('signin-form').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('kk');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('signin-phone-kk') });
  });
});
