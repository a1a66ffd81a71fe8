import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../../api/src/app.factory.js';
import { CitiesService } from '../../../../libs/cities/src/index.js';
import type { AppConfig } from '../../../../libs/core/src/index.js';
import { ReportGridService } from '../../../../libs/maps/src/index.js';
import { createTestDatabase, jobsIn, obliterateQueues, testConfig, waitFor, type TestDatabase } from '../../../../libs/testing/src/index.js';
import { QueueName } from '../../../../libs/core/src/index.js';
import { createWorker } from '../worker.factory.js';

describe('maps.fold-grid: the worker folds the low-zoom aggregates every 5 s (API + worker)', () => {
  let db: TestDatabase;
  let config: AppConfig;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    config = testConfig(db.url);
    api = await createApiApp(config);
    ds = api.get(DataSource);
    await api.get(CitiesService).loadDemoCities();
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await obliterateQueues(config);
    await db?.drop();
  });

  const deltas = async () => Number((await ds.query(`SELECT (SELECT count(*) FROM report_cells_delta) + (SELECT count(*) FROM report_grid_delta) AS n`))[0].n);
  const cellCount = async (z: number) => Number((await ds.query(`SELECT coalesce(sum(count), 0) AS n FROM report_cells WHERE cell_z = $1`, [z]))[0].n);

  it('moves new reports from the delta tables into report_cells and report_grid without any tile request', async () => {
    for (const lon of [76.93, 76.94, 76.95]) {
      const res = await api.inject({ method: 'POST', url: '/api/v1/reports', payload: { lon, lat: 43.2567, category: 'household', size: 'bag' } });
      expect(res.statusCode).toBe(201);
    }
    expect(await deltas()).toBe(3 * (3 + 2));
    expect(await cellCount(13)).toBe(0);

    worker = await createWorker(config);
    await waitFor(async () => (await deltas()) === 0, { what: 'the deltas folded by the worker', timeoutMs: 15000 });
    for (const z of [11, 13, 15]) expect(await cellCount(z)).toBe(3);
    expect(Number((await ds.query(`SELECT sum(count) AS n FROM report_grid WHERE cell_z = 15`))[0].n)).toBe(3);
    const jobs = await jobsIn(config, QueueName.Maps);
    expect(jobs.some((j) => j.name === 'maps.fold-grid' && j.finishedOn)).toBe(true);

    // Run again (as a retried or overlapping job would): nothing left to fold, nothing counted twice.
    expect(await worker.get(ReportGridService).fold()).toEqual({ rows: 0 });
    for (const z of [11, 13, 15]) expect(await cellCount(z)).toBe(3);
  });
});
