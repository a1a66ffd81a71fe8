/// <reference lib="dom" />
import { startTestWeb, stopTestWeb, type TestWeb } from './web-harness.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../libs/core/src/index.js';
import { screenshotPath, type TestDatabase } from '../../../libs/testing/src/index.js';

// Every password-reset call from the browser counts against one per-IP limit (5 an hour): this file
// makes four (ask, weak password, good password, the used link again).
describe('web app: "forgot your password?" against the real API (Chromium)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let web: TestWeb;
  let browser: Browser;
  let origin: string;
  let context: BrowserContext;
  let page: Page;

  /** The token of the last reset link emailed to `email` (from the notifications outbox table). */
  const tokenMailedTo = async (email: string): Promise<string | null> => {
    const rows: Array<{ body: string }> = await app
      .get(DataSource)
      .query(`SELECT body FROM notifications WHERE recipient = $1 ORDER BY created_at DESC LIMIT 1`, [email]);
    return /#token=([A-Za-z0-9_-]+)/.exec(rows[0]?.body ?? '')?.[1] ?? null;
  };

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

  it('emails a link from the sign-in screen, refuses a common password, sets a good one and signs in with it', async () => {
    const email = 'dana.forgetful@example.kz';
    const signup = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email, password: 'first long passphrase', displayName: 'Dana' },
    });
    expect(signup.statusCode).toBe(201);

    // Sign-in screen -> "Forgot your password?" -> ask for the link.
    await page.goto(`${origin}/signin`);
    await page.getByTestId('forgot-link').click();
    await page.waitForURL(`${origin}/forgot-password`);
    const forgot = page.getByTestId('forgot-form');
    await forgot.getByTestId('login').fill(email);
    await forgot.getByTestId('submit').click();
    await page.getByTestId('forgot-sent').waitFor();
    const sent = await page.getByTestId('forgot-sent').innerText();
    expect(sent).toContain(email);
    // The same sentence whether or not the account exists.
    expect(sent).toMatch(/^If /m);
    await page.screenshot({ path: screenshotPath('forgot-password-sent-en') });

    const token = await tokenMailedTo(email);
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    // The emailed link; the token leaves the address bar at once.
    await page.goto(`${origin}/reset-password#token=${token}`);
    const reset = page.getByTestId('reset-form');
    await reset.waitFor();
    expect(page.url()).toBe(`${origin}/reset-password`);

    await reset.getByTestId('password').fill('password123');
    await reset.getByTestId('password-confirm').fill('password123');
    await reset.getByTestId('submit').click();
    await page.getByTestId('error-password').waitFor();
    expect(await page.getByTestId('error-password').innerText()).toMatch(/New password: .*common passwords/);
    await page.screenshot({ path: screenshotPath('reset-password-weak-en') });

    // A refused password leaves the link usable.
    await reset.getByTestId('password').fill('steppe rain in april');
    await reset.getByTestId('password-confirm').fill('steppe rain in april');
    await reset.getByTestId('submit').click();
    await page.waitForURL(`${origin}/signin?reset=1`);
    await page.getByTestId('reset-done').waitFor();
    expect(await page.getByTestId('reset-done').innerText()).toMatch(/password has been changed/);
    await page.screenshot({ path: screenshotPath('reset-password-done-en') });

    const signin = page.getByTestId('signin-form');
    await signin.getByTestId('login').fill(email);
    await signin.getByTestId('password').fill('steppe rain in april');
    await signin.getByTestId('submit').click();
    await page.getByTestId('current-user').waitFor();
    expect(await page.getByTestId('current-user').innerText()).toBe('Dana');
    await page.waitForURL(`${origin}/`);

    // The link works once: opened again, it says so and offers a new one.
    await page.goto(`${origin}/reset-password#token=${token}`);
    await page.getByTestId('reset-form').waitFor();
    await page.getByTestId('password').fill('yet another passphrase');
    await page.getByTestId('password-confirm').fill('yet another passphrase');
    await page.getByTestId('submit').click();
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('form-error').innerText()).toMatch(/no longer works/);
    await page.getByTestId('ask-again-link').click();
    await page.waitForURL(`${origin}/forgot-password`);
    await page.getByTestId('forgot-form').waitFor();
  });

  it('fits a phone in Kazakh, and a reset page opened without a token says what to do', async () => {
    await context.close();
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'kk-KZ' });
    page = await context.newPage();
    await page.goto(`${origin}/signin`);
    expect(await page.getByTestId('forgot-link').innerText()).toBe('Құпиясөзді ұмыттыңыз ба?');
    await page.getByTestId('forgot-link').click();
    await page.getByTestId('forgot-form').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('kk');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('forgot-password-phone-kk') });

    await page.goto(`${origin}/reset-password`);
    await page.getByTestId('form-error').waitFor();
    expect(await page.getByTestId('reset-form').count()).toBe(0);
    expect(await page.getByTestId('ask-again-link').innerText()).toBe('Жаңа сілтеме сұрау');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  });
});
