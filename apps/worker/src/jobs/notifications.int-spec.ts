import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { SMTPServer } from 'smtp-server';
import { readdir, readFile } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../../api/src/app.factory.js';
import { AccountsService } from '../../../../libs/accounts/src/index.js';
import { CitiesService } from '../../../../libs/cities/src/index.js';
import { QueueName, QueueRegistry, type AppConfig } from '../../../../libs/core/src/index.js';
import { NotificationsService } from '../../../../libs/notifications/src/index.js';
import { createTestDatabase, freePort, jpegPhoto, multipartBody, obliterateQueues, signIn, startSmtp, stopSmtp, testConfig, textOf, waitFor, type Mail, type TestDatabase } from '../../../../libs/testing/src/index.js';
import { createWorker } from '../worker.factory.js';

describe('report emails and the rating deadline (API + worker + real SMTP)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let smtp: SMTPServer;
  let ds: DataSource;
  const inbox: Mail[] = [];
  let dispatcher: { authorization: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    const smtpPort = await freePort();
    smtp = await startSmtp(smtpPort, inbox);
    config = testConfig(db.url, { SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, PUBLIC_URL: 'https://taza.example' });
    api = await createApiApp(config);
    worker = await createWorker(config);
    ds = api.get(DataSource);
    await api.get(CitiesService).loadDemoCities();
    await api.get(AccountsService).loadDemoAccounts();
    dispatcher = (await signIn(api, 'dispatcher.astana@taza.example')).auth;
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stopSmtp(smtp);
    await obliterateQueues(config);
    await db?.drop();
  });

  const send = (lon: number, email: string) =>
    api.inject({ method: 'POST', url: '/api/v1/reports', payload: { lon, lat: 51.1282, category: 'household', size: 'car', contactEmail: email } });
  const act = (id: string, payload: Record<string, unknown>) => api.inject({ method: 'POST', url: `/api/v1/reports/${id}/transitions`, payload, headers: dispatcher });
  const mailsTo = (address: string) => inbox.filter((m) => m.to.includes(address));

  it('emails the reporter and every confirmer when the akimat moves the report, once each', async () => {
    const first = (await send(71.4304, 'first@example.kz')).json();
    const confirm = await send(71.43045, 'second@example.kz');
    expect(confirm.json().joined).toBe(true);

    expect((await act(first.reportId, { action: 'register' })).statusCode).toBe(200);
    await waitFor(() => mailsTo('first@example.kz').length === 1 && mailsTo('second@example.kz').length === 1, { what: 'registration emails' });
    const mail = mailsTo('first@example.kz')[0].text;
    expect(mail).toContain('Your report (Household waste) is registered.');
    expect(mail).toContain('Ваша заявка (Бытовые отходы) зарегистрирована.');
    expect(mail).toContain(`https://taza.example/reports/${first.reportId}`);

    await act(first.reportId, { action: 'start' });
    const { body, contentType } = multipartBody({ action: 'resolve', note: 'Crew 2 removed 3 m3' }, [{ field: 'photos', filename: 'a.jpg', contentType: 'image/jpeg', data: await jpegPhoto() }]);
    await api.inject({ method: 'POST', url: `/api/v1/reports/${first.reportId}/transitions`, payload: body, headers: { ...dispatcher, 'content-type': contentType } });
    await waitFor(() => mailsTo('first@example.kz').length === 3, { what: 'in-progress and resolved emails' });
    expect(mailsTo('first@example.kz')[2].text).toMatch(/Please rate the work 1-5 within 14 days/);
    expect(mailsTo('first@example.kz')[2].text).toContain('Crew 2 removed 3 m3');

    const sent = async () => (await ds.query(`SELECT status FROM notifications WHERE report_id = $1`, [first.reportId])).filter((r: { status: string }) => r.status === 'sent').length;
    await waitFor(async () => (await sent()) === 6, { what: 'six notifications marked sent' });

    // A job delivered twice (e.g. re-published) sends nothing the second time.
    const [one] = await ds.query(`SELECT id FROM notifications WHERE report_id = $1 LIMIT 1`, [first.reportId]);
    expect(await worker.get(NotificationsService).send(one.id, false)).toBe('already-sent');
    expect(inbox.length).toBe(6);
  });

  it('closes a resolved report nobody rated within 14 days, tells the reporter, and leaves fresh ones alone', async () => {
    const stale = (await send(71.44, 'stale@example.kz')).json().reportId;
    const fresh = (await send(71.45, 'fresh@example.kz')).json().reportId;
    for (const id of [stale, fresh]) {
      await act(id, { action: 'register' });
      await act(id, { action: 'start' });
      const { body, contentType } = multipartBody({ action: 'resolve', note: 'done' }, [{ field: 'photos', filename: 'a.jpg', contentType: 'image/jpeg', data: await jpegPhoto() }]);
      await api.inject({ method: 'POST', url: `/api/v1/reports/${id}/transitions`, payload: body, headers: { ...dispatcher, 'content-type': contentType } });
    }
    await ds.query(`UPDATE reports SET resolved_at = now() - interval '15 days' WHERE id = $1`, [stale]);

    await worker.get(QueueRegistry).get(QueueName.Sla).add('reports.autoclose', {});
    await waitFor(async () => (await ds.query(`SELECT status FROM reports WHERE id = $1`, [stale]))[0].status === 'closed', { what: 'the stale report closed' });
    expect((await ds.query(`SELECT status FROM reports WHERE id = $1`, [fresh]))[0].status).toBe('resolved');
    const history = (await api.inject({ method: 'GET', url: `/api/v1/reports/${stale}/history` })).json();
    expect(history.at(-1)).toMatchObject({ from: 'resolved', to: 'closed', actorRole: 'system' });
    await waitFor(() => mailsTo('stale@example.kz').some((m) => /not rated within 14 days/.test(m.text)), { what: 'the closing email' });
  });

  it('writes the email to the mail folder as an .eml file when no SMTP server is configured (development)', async () => {
    const noSmtp = testConfig(db.url, { QUEUE_PREFIX: config.QUEUE_PREFIX });
    const bare = await createWorker(noSmtp);
    try {
      const [{ id }] = await ds.query(
        `INSERT INTO notifications (channel, recipient, subject, body) VALUES ('email', 'x@example.kz', 'Тест / Test', 'Сәлем, hello') RETURNING id`,
      );
      expect(await bare.get(NotificationsService).send(id, false)).toBe('sent');
      const files = (await readdir(noSmtp.MAIL_DIR!)).filter((f) => f.endsWith('.eml'));
      expect(files).toHaveLength(1);
      const raw = await readFile(`${noSmtp.MAIL_DIR}/${files[0]}`, 'utf8');
      expect(raw).toMatch(/^To: x@example\.kz$/m);
      expect(textOf(raw)).toContain('Сәлем, hello');
      expect((await ds.query(`SELECT status FROM notifications WHERE id = $1`, [id]))[0].status).toBe('sent');
    } finally {
      await bare.close();
    }
  });

  it('keeps the email as a row, unsent, in production without a mail server', async () => {
    // Only the mail rule of production matters here (its other required secrets are not this test's business).
    const production = Object.assign(testConfig(db.url, { QUEUE_PREFIX: config.QUEUE_PREFIX, DEMO_DATA: 'false' }), { NODE_ENV: 'production' as const });
    const bare = await createWorker(production);
    try {
      const [{ id }] = await ds.query(
        `INSERT INTO notifications (channel, recipient, subject, body) VALUES ('email', 'x@example.kz', 's', 'b') RETURNING id`,
      );
      expect(await bare.get(NotificationsService).send(id, false)).toBe('not-configured');
      const [row] = await ds.query(`SELECT status, last_error FROM notifications WHERE id = $1`, [id]);
      expect(row).toEqual({ status: 'failed', last_error: expect.stringMatching(/SMTP_URL is not configured/) });
    } finally {
      await bare.close();
    }
  });
});
