import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../../api/src/app.factory.js';
import { loadDemoData } from '../../../api/src/demo-data.js';
import { QueueName, QueueRegistry, type AppConfig } from '../../../../libs/core/src/index.js';
import { createTestDatabase, freePort, obliterateQueues, signIn, startSmtp, stopSmtp, testConfig, waitFor, type Mail, type TestDatabase } from '../../../../libs/testing/src/index.js';
import { createWorker } from '../worker.factory.js';

describe('landfill alerts by email after the demo data loads (API + worker + real SMTP)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let smtp: SMTPServer;
  let ds: DataSource;
  const inbox: Mail[] = [];
  const to = (address: string) => inbox.filter((m) => m.to.includes(address));
  let kostanay: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    smtp = await startSmtp(port, inbox);
    config = testConfig(db.url, { SMTP_URL: `smtp://127.0.0.1:${port}`, PUBLIC_URL: 'https://taza.example' });
    api = await createApiApp(config);
    ds = api.get(DataSource);
    await loadDemoData(api);
    worker = await createWorker(config);
    kostanay = (await ds.query(`SELECT id FROM landfills WHERE name = 'Kostanay municipal landfill'`))[0].id;
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await stopSmtp(smtp);
    await obliterateQueues(config);
    await db?.drop();
  });

  const runJob = async (name: 'landfills.alerts-resend' | 'landfills.forecast-all') => {
    const job = await worker.get(QueueRegistry).get(QueueName.Landfills).add(name, {});
    await waitFor(async () => (await job.getState()) === 'completed', { what: `${name} done` });
  };

  it("emails Kostanay's akim one message naming the critical level on first start, and nobody else", async () => {
    await waitFor(() => to('akim.kostanay@taza.example').length >= 1, { what: 'the Kostanay alert email' });
    const [mail] = to('akim.kostanay@taza.example');
    expect(mail.subject).toMatch(/^Taza Map: Kostanay municipal landfill 9[01]\.\d % — is over 90 % full \(critical\)$/);
    expect(mail.text).toContain('Kostanay municipal landfill is over 90 % full (critical).');
    expect(mail.text).toContain('Kostanay municipal landfill is over 80 % full (warning).');
    expect(mail.text).toContain('заполнен более чем на 90 % (критично)');
    expect(mail.text).toMatch(/Forecast 100 %: \d{4}-\d{2}-\d{2}/);
    expect(mail.text).toContain(`https://taza.example/landfills/${kostanay}`);
    await new Promise((r) => setTimeout(r, 500));
    expect(inbox.filter((m) => m.subject.includes('landfill'))).toHaveLength(1);
    const [row] = await ds.query(`SELECT status FROM notifications WHERE recipient = 'akim.kostanay@taza.example'`);
    expect(row.status).toBe('sent');
  });

  it('forecasts again through the outbox when a ticket arrives, and the daily run raises nothing new', async () => {
    const before = (await ds.query(`SELECT computed_at FROM landfill_forecasts WHERE landfill_id = $1 ORDER BY computed_on DESC LIMIT 1`, [kostanay]))[0].computed_at;
    const dispatcher = (await signIn(api, 'dispatcher.kostanay@taza.example')).auth;
    const asOf = (await api.inject({ method: 'GET', url: '/api/v1/landfills', headers: dispatcher })).json().features[0].properties.asOf;
    expect((await api.inject({ method: 'POST', url: `/api/v1/landfills/${kostanay}/intake`, headers: dispatcher, payload: { date: asOf, tonnes: 400 } })).statusCode).toBe(201);
    await waitFor(async () => (await ds.query(`SELECT computed_at FROM landfill_forecasts WHERE landfill_id = $1 ORDER BY computed_on DESC LIMIT 1`, [kostanay]))[0].computed_at > before, {
      what: 'a new forecast after the ticket',
    });
    await runJob('landfills.forecast-all');
    expect(Number((await ds.query(`SELECT count(*) AS n FROM landfill_alerts`))[0].n)).toBe(3);
  });

  it('re-sends the unacknowledged critical alert after a week, once, and stops once an akim acknowledges it', async () => {
    const sent = () => to('akim.kostanay@taza.example').length;
    const start = sent();
    await runJob('landfills.alerts-resend');
    expect(sent()).toBe(start);

    await ds.query(`UPDATE landfill_alerts SET last_sent_at = now() - interval '8 days'`);
    await runJob('landfills.alerts-resend');
    await waitFor(() => sent() === start + 1, { what: 'the weekly reminder' });
    const reminder = to('akim.kostanay@taza.example').at(-1)!;
    expect(reminder.text).toMatch(/^Еске салу.*Reminder: this alert is not acknowledged yet\./);
    expect(reminder.text).toContain('is over 90 % full (critical)');
    expect(reminder.text).not.toContain('(warning)');
    await runJob('landfills.alerts-resend');
    await new Promise((r) => setTimeout(r, 300));
    expect(sent()).toBe(start + 1);

    const akim = (await signIn(api, 'akim.kostanay@taza.example')).auth;
    const critical = (await api.inject({ method: 'GET', url: '/api/v1/landfill-alerts?state=open', headers: akim })).json().find((a: { level: string }) => a.level === 'critical');
    expect((await api.inject({ method: 'POST', url: `/api/v1/landfill-alerts/${critical.id}/acknowledge`, headers: akim, payload: { note: 'New cell approved.' } })).statusCode).toBe(200);
    await ds.query(`UPDATE landfill_alerts SET last_sent_at = now() - interval '8 days'`);
    await runJob('landfills.alerts-resend');
    await new Promise((r) => setTimeout(r, 300));
    expect(sent()).toBe(start + 1);
  });
});
