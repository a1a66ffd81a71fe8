import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../../../libs/core/src/index.js';
import { createTestDatabase, obliterateQueues, testConfig, type TestDatabase } from '../../../../libs/testing/src/index.js';
import { createApiApp } from '../app.factory.js';
import { loadDemoData } from '../demo-data.js';

export interface TestApi {
  db: TestDatabase;
  config: AppConfig;
  app: NestFastifyApplication;
  ds: DataSource;
}

/**
 * The whole API on a database of the test file's own (cloned from the migrated template), with its own
 * queue prefix, and — unless told otherwise — the demo cities and accounts loaded.
 */
export async function startTestApi(overrides: Record<string, string> = {}, { demo = true }: { demo?: boolean } = {}): Promise<TestApi> {
  const db = await createTestDatabase();
  const config = testConfig(db.url, overrides);
  const app = await createApiApp(config);
  if (demo) {
    await loadDemoData(app);
  }
  return { db, config, app, ds: app.get(DataSource) };
}

/** Closes the app, removes the test's queues and drops its database. */
export async function stopTestApi(t: Partial<TestApi> | undefined): Promise<void> {
  await t?.app?.close();
  if (t?.config) await obliterateQueues(t.config);
  await t?.db?.drop();
}
