import type { INestApplicationContext } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createDataSource, OutboxRepository, QueueName, type AppConfig } from '../../../../libs/core/src/index.js';
import {
  createTestDatabase,
  jobsIn,
  obliterateQueues,
  PrivateRedis,
  testConfig,
  waitFor,
  type TestDatabase,
} from '../../../../libs/testing/src/index.js';
import { createWorker } from '../worker.factory.js';
import { outboxJobId } from './outbox-relay.js';

interface Row {
  id: string;
  published: boolean;
  attempts: number;
}

describe('outbox relay (real PostgreSQL and Redis)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let outbox: OutboxRepository;
  const workers: INestApplicationContext[] = [];
  const configs: AppConfig[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, poolSize: 12 });
    await ds.initialize();
    outbox = new OutboxRepository(ds);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.close()));
    await ds.query(`TRUNCATE outbox`);
  });
  afterAll(async () => {
    for (const config of configs) await obliterateQueues(config);
    await ds?.destroy();
    await db?.drop();
  });

  const startWorker = async (config: AppConfig) => {
    const worker = await createWorker(config);
    workers.push(worker);
    return worker;
  };

  /** Writes `count` outbox rows in transactions of `perTx`, several transactions at once. */
  const writeRows = async (count: number, perTx = 10): Promise<string[]> => {
    const ids: string[] = [];
    const batches = Array.from({ length: Math.ceil(count / perTx) }, (_, b) => Math.min(perTx, count - b * perTx));
    for (let i = 0; i < batches.length; i += 8) {
      await Promise.all(
        batches.slice(i, i + 8).map((n) =>
          ds.transaction(async (manager) => {
            for (let k = 0; k < n; k++) {
              ids.push(await outbox.enqueue(manager, 'hotspots.recluster', { cityId: `city-${ids.length}`, reason: 'report' }));
            }
          }),
        ),
      );
    }
    return ids;
  };

  /** The jobs the relay published (the hotspots queue also holds its own scheduler's and debounced jobs). */
  const relayedJobs = async (config: AppConfig) => (await jobsIn(config, QueueName.Hotspots)).filter((j) => j.id?.startsWith('outbox-'));

  const rows = async (ids: string[]): Promise<Row[]> =>
    ds.query(`SELECT id::text AS id, published_at IS NOT NULL AS published, attempts FROM outbox WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids]);

  const allPublished = async (ids: string[]) => (await rows(ids)).every((r) => r.published);

  it('publishes 1,000 rows written in transactions exactly once each, with two relays competing', async () => {
    const config = testConfig(db.url, { OUTBOX_BATCH_SIZE: '50' });
    configs.push(config);
    await startWorker(config);
    await startWorker(config);

    const ids = await writeRows(1000);
    expect(new Set(ids).size).toBe(1000);
    await waitFor(() => allPublished(ids), { timeoutMs: 30000, what: 'all 1,000 rows published' });

    const jobs = await relayedJobs(config);
    expect(jobs).toHaveLength(1000);
    expect(new Set(jobs.map((j) => j.id))).toEqual(new Set(ids.map(outboxJobId)));
    const byId = new Map(jobs.map((j) => [j.id, j]));
    const sample = byId.get(outboxJobId(ids[0]))!;
    expect(sample.name).toBe('hotspots.recluster');
    expect(sample.data).toEqual({ cityId: 'city-0', reason: 'report' });
    // Each row was claimed once: no relay published a row another relay had.
    expect((await rows(ids)).filter((r) => r.attempts !== 1)).toEqual([]);
  });

  it('keeps rows written while Redis is down and publishes them once it is back', async () => {
    const redis = await PrivateRedis.create();
    await redis.start();
    const config = testConfig(db.url, { REDIS_URL: redis.url });
    try {
      await startWorker(config);
      const before = await writeRows(10);
      await waitFor(() => allPublished(before), { what: 'rows published while Redis is up' });

      await redis.stop();
      const during = await writeRows(40);
      // The relay keeps trying; nothing is marked published while Redis cannot take it.
      await new Promise((r) => setTimeout(r, 2000));
      expect((await rows(during)).filter((r) => r.published)).toEqual([]);
      const [{ errors }] = await ds.query(`SELECT count(*)::int AS errors FROM outbox WHERE last_error IS NOT NULL`);
      expect(errors).toBeGreaterThan(0);

      await redis.start();
      await waitFor(() => allPublished(during), { timeoutMs: 30000, what: 'rows published after Redis came back' });
      const jobs = await relayedJobs(config);
      // This Redis keeps nothing on disk, so only the rows written during the outage are in it now.
      expect(new Set(jobs.map((j) => j.id))).toEqual(new Set(during.map(outboxJobId)));
    } finally {
      await Promise.all(workers.splice(0).map((w) => w.close()));
      await redis.destroy();
    }
  });

  it('takes over the rows of a relay killed while holding their lease', async () => {
    const config = testConfig(db.url);
    configs.push(config);
    const ids = await writeRows(50);
    // A relay claims them and dies before publishing: its lease is all that is left of it.
    const claimed = await outbox.claim(100, 2, 'killed-relay');
    expect(claimed.map((r) => r.id).sort()).toEqual([...ids].sort());
    const [{ leaseEnd }] = await ds.query(`SELECT max(locked_until) AS "leaseEnd" FROM outbox WHERE id = ANY($1::bigint[])`, [ids]);

    await startWorker(config);
    await waitFor(() => allPublished(ids), { timeoutMs: 20000, what: 'leased rows taken over' });
    // The live relay waited for the dead one's lease to run out (timed by the database, so load cannot fool it).
    const [{ firstPublished }] = await ds.query(`SELECT min(published_at) AS "firstPublished" FROM outbox WHERE id = ANY($1::bigint[])`, [ids]);
    expect(new Date(firstPublished).getTime()).toBeGreaterThanOrEqual(new Date(leaseEnd).getTime());
    const jobs = await relayedJobs(config);
    expect(new Set(jobs.map((j) => j.id))).toEqual(new Set(ids.map(outboxJobId)));
    expect((await rows(ids)).every((r) => r.attempts === 2)).toBe(true);
  });
});
