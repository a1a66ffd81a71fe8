/**
 * `npm run bench -- incidents-burst [--incidents 100000] [--batch 500] [--cameras 20] [--concurrency 4]`
 *
 * Ours, end to end: `incidents` signed incidents through `POST /api/v1/incidents:batch` (`batch` per
 * request, `concurrency` requests in flight) against the real API, processed by the real worker (outbox
 * relay -> BullMQ -> `incidents.process`: auto-confirm, conversion of confirmed ones into reports), timed
 * from the first request until every incident is processed. References, same run, same machine: a
 * server-side COPY of the same number of equivalent rows into `incidents`, and BullMQ `addBulk` of the
 * same number of jobs. Target: our rate >= 0.4x the slower reference's.
 * Then the crash run: the same burst again while the worker is killed with SIGKILL twice (and restarted);
 * it must end with exactly `incidents` new incidents and as many processed, and no conversion twice.
 * Everything talks to 127.0.0.1 only; the database, Redis keys and files are removed at the end.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { CitiesRepository, CitiesService } from '../libs/cities/src/index.js';
import { createDataSource, loadConfig, projectRoot } from '../libs/core/src/index.js';
import { CameraSecretBox } from '../libs/incidents/src/index.js';
import { cameraHeaders } from '../libs/testing/src/camera-client.js';

const NAME = 'incidents-burst';
const RATE_TARGET = 0.4;
/** Bench cameras stand at random points of this box, inside Almaty's districts. */
const BOX = { west: 76.85, south: 43.2, east: 77.0, north: 43.3 };
const CLASSES = ['dumping', 'vehicle_unloading', 'fire', 'littering'] as const;
/** Confidences are uniform in [LOW, HIGH): with the default 0.85 threshold about 1 in 12 is auto-confirmed. */
const CONFIDENCE = { low: 0.3, high: 0.9 };

const { values: args } = parseArgs({
  options: {
    incidents: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '500' },
    cameras: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '4' },
  },
});
const TOTAL = intArg('incidents', args.incidents!, 1, 1_000_000);
const BATCH = intArg('batch', args.batch!, 1, 500);
const CAMERAS = intArg('cameras', args.cameras!, 1, 500);
const CONCURRENCY = intArg('concurrency', args.concurrency!, 1, 64);

function intArg(name: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max} (got ${v})`);
  return n;
}

Logger.overrideLogger(['warn', 'error']);
const log = (line: string) => process.stderr.write(`[bench ${NAME}] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Where things run: loopback only.

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
function loopbackUrl(variable: string, value: string): URL {
  const url = new URL(value);
  if (!LOOPBACK.has(url.hostname)) throw new Error(`${variable} must point at 127.0.0.1 for the benchmark (got host ${url.hostname})`);
  return url;
}
const benchConfig = loadConfig();
const serverUrl = loopbackUrl('DATABASE_URL', benchConfig.DATABASE_URL);
const redisUrl = loopbackUrl('REDIS_URL', benchConfig.REDIS_URL);
const DB_NAME = `taza_bench_${process.pid}`;
const QUEUE_PREFIX = `taza-bench-${process.pid}`;
const ENCRYPTION_KEY = randomBytes(32).toString('hex');
function databaseUrl(name: string): string {
  const url = new URL(serverUrl.toString());
  url.pathname = `/${name}`;
  return url.toString();
}

async function withClient<T>(db: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(db) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes and cleanup.

const children = new Set<ChildProcess>();
let dbCreated = false;
let workDir: string | null = null;
let cleaning: Promise<void> | null = null;

function baseEnv(port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    DEMO_DATA: 'false',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl(DB_NAME),
    REDIS_URL: redisUrl.toString(),
    QUEUE_PREFIX,
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('hex'),
    CAMERA_KEY_ENCRYPTION_KEY: ENCRYPTION_KEY,
    MEDIA_DIR: join(workDir!, 'media'),
    MAIL_DIR: join(workDir!, 'mail'),
  };
}

function startChild(what: 'api' | 'worker', port: number): ChildProcess {
  const child = spawn(process.execPath, [join(projectRoot(), 'dist', 'apps', what, 'src', 'main.js')], { cwd: projectRoot(), env: baseEnv(port), stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.stderr!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(`${what}: ${line.slice(0, 300)}`);
  });
  return child;
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function dropQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl.toString(), { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all([...children].map((c) => stop(c).catch(() => undefined)));
    if (dbCreated) {
      await withClient('postgres', (c) => c.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`)).catch((err: Error) => log(`could not drop ${DB_NAME}: ${err.message}`));
    }
    for (const prefix of [QUEUE_PREFIX, `${QUEUE_PREFIX}-ref`]) await dropQueueKeys(prefix).catch((err: Error) => log(`could not remove Redis keys ${prefix}:*: ${err.message}`));
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitHealthy(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('the API exited during start-up');
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await sleep(200);
  }
  throw new Error('the API did not answer /api/health with 200 within 30 s');
}

// ---------------------------------------------------------------------------------------------
// Set-up: database, cities, bench cameras with keys.

interface Camera {
  id: string;
  cityId: string;
  keyId: string;
  secret: string;
  lon: number;
  lat: number;
}

async function prepare(): Promise<Camera[]> {
  await withClient('postgres', (c) => c.query(`CREATE DATABASE "${DB_NAME}"`));
  dbCreated = true;
  const ds = createDataSource({ url: databaseUrl(DB_NAME), applicationName: 'taza-bench', poolSize: 2 });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    await new CitiesService(new CitiesRepository(ds), ds).loadDemoCities();
    const box = new CameraSecretBox(ENCRYPTION_KEY);
    const cameras: Camera[] = [];
    for (let i = 0; i < CAMERAS; i++) {
      const lon = BOX.west + Math.random() * (BOX.east - BOX.west);
      const lat = BOX.south + Math.random() * (BOX.north - BOX.south);
      const [row]: { id: string; cityId: string }[] = await ds.query(
        `INSERT INTO cameras (city_id, name, location, bearing_deg, fov_deg, range_m, last_heartbeat_at)
         SELECT d.city_id, $1, ST_SetSRID(ST_MakePoint($2, $3), 4326), 0, 90, 300, now()
           FROM districts d WHERE ST_Covers(d.area, ST_SetSRID(ST_MakePoint($2, $3), 4326)) LIMIT 1
         RETURNING id, city_id AS "cityId"`,
        [`Bench camera ${i + 1}`, lon, lat],
      );
      if (!row) throw new Error(`bench camera point ${lon},${lat} lies outside every district; fix BOX`);
      const keyId = `bench-${i + 1}`;
      const secret = randomBytes(24).toString('base64url');
      await ds.query(`INSERT INTO camera_keys (camera_id, key_id, secret_sealed) VALUES ($1, $2, $3)`, [row.id, keyId, box.seal(secret)]);
      cameras.push({ id: row.id, cityId: row.cityId, keyId, secret, lon, lat });
    }
    return cameras;
  } finally {
    await ds.destroy();
  }
}

interface Item {
  eventId: string;
  occurredAt: string;
  confidence: number;
  class: string;
}

function item(phase: string, n: number): Item {
  return {
    eventId: `${phase}-${n}`,
    occurredAt: new Date(Date.now() - Math.floor(Math.random() * 3_600_000)).toISOString(),
    confidence: Math.round((CONFIDENCE.low + Math.random() * (CONFIDENCE.high - CONFIDENCE.low)) * 1000) / 1000,
    class: CLASSES[n % CLASSES.length],
  };
}

// ---------------------------------------------------------------------------------------------
// References.

/** Server-side COPY of TOTAL rows equivalent to ours (same columns, generated 3857 point included). */
async function copyReference(cameras: Camera[]): Promise<number> {
  const file = join(workDir!, 'incidents.csv');
  const lines: string[] = [];
  for (let n = 0; n < TOTAL; n++) {
    const c = cameras[n % cameras.length];
    const it = item('copy', n);
    lines.push(`${randomUUID()},${c.id},${c.cityId},${it.eventId},\\x${randomBytes(32).toString('hex')},${it.occurredAt},${it.confidence},${it.class},SRID=4326;POINT(${c.lon} ${c.lat})`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  chmodSync(workDir!, 0o755);
  chmodSync(file, 0o644);
  return withClient(DB_NAME, async (c) => {
    const t0 = performance.now();
    await c.query(`COPY incidents (id, camera_id, city_id, event_id, body_hash, occurred_at, confidence, class, location) FROM '${file}' WITH (FORMAT csv)`);
    const seconds = (performance.now() - t0) / 1000;
    await c.query(`TRUNCATE incidents`);
    return seconds;
  });
}

/** BullMQ addBulk of TOTAL jobs shaped like ours, in chunks of 1,000, into a queue of its own. */
async function addBulkReference(): Promise<number> {
  const queue = new Queue('incidents-ref', { connection: { url: redisUrl.toString() }, prefix: `${QUEUE_PREFIX}-ref` });
  try {
    await queue.waitUntilReady();
    const t0 = performance.now();
    for (let from = 0; from < TOTAL; from += 1000) {
      const jobs = Array.from({ length: Math.min(1000, TOTAL - from) }, (_, i) => ({ name: 'incidents.process', data: { incidentIds: [randomUUID()] }, opts: { jobId: `ref-${from + i}` } }));
      await queue.addBulk(jobs);
    }
    return (performance.now() - t0) / 1000;
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Ours.

async function sendBurst(port: number, cameras: Camera[], phase: string): Promise<{ created: number; other: Map<string, number> }> {
  const batches: { camera: Camera; items: Item[] }[] = [];
  for (let from = 0, b = 0; from < TOTAL; from += BATCH, b++) {
    const camera = cameras[b % cameras.length];
    batches.push({ camera, items: Array.from({ length: Math.min(BATCH, TOTAL - from) }, (_, i) => item(phase, from + i)) });
  }
  let created = 0;
  const other = new Map<string, number>();
  let next = 0;
  const path = '/api/v1/incidents:batch';
  const sender = async () => {
    while (next < batches.length) {
      const { camera, items } = batches[next++];
      for (let attempt = 1; ; attempt++) {
        const body = Buffer.from(JSON.stringify({ incidents: items }));
        const headers = { ...cameraHeaders(camera, 'POST', path, body), 'content-type': 'application/json' };
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers, body }).catch((err: Error) => ({ status: 0, text: async () => err.message }));
        if (res.status === 200) {
          const out = JSON.parse(await res.text()) as { created: number; duplicate: number; rejected: number; results: { result: string; errors?: unknown }[] };
          created += out.created;
          for (const r of out.results) {
            const key = `${r.result} ${JSON.stringify(r.errors ?? '').slice(0, 120)}`;
            if (r.result !== 'created') other.set(key, (other.get(key) ?? 0) + 1);
          }
          break;
        }
        const text = await res.text();
        if (attempt >= 5) {
          const key = `${res.status} ${text.slice(0, 200)}`;
          other.set(key, (other.get(key) ?? 0) + items.length);
          break;
        }
        await sleep(200 * attempt);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  return { created, other };
}

interface Counts {
  incidents: number;
  processed: number;
}

function counts(c: pg.Client, phase: string): Promise<Counts> {
  return c
    .query<Counts>(
      `SELECT count(*)::int AS incidents,
              count(*) FILTER (WHERE processed_at IS NOT NULL AND (status <> 'confirmed' OR report_id IS NOT NULL OR conversion_error IS NOT NULL))::int AS processed
         FROM incidents WHERE event_id LIKE $1`,
      [`${phase}-%`],
    )
    .then((r) => r.rows[0]);
}

async function waitProcessed(c: pg.Client, phase: string, timeoutMs: number, onProgress?: (k: Counts) => Promise<void>): Promise<Counts> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const k = await counts(c, phase);
    if (k.processed >= TOTAL) return k;
    if (onProgress) await onProgress(k);
    if (Date.now() > deadline) throw new Error(`timed out: ${k.processed} of ${TOTAL} processed (${k.incidents} stored)`);
    await sleep(250);
  }
}

function line(metric: string, ours: number, ref: number, op: '>=' | '<=', target: number): string {
  const ratio = ours / ref;
  const pass = op === '>=' ? ratio >= target : ratio <= target;
  const f = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
  return `BENCH ${NAME} ${metric} ours=${f(ours)} ref=${f(ref)} ratio=${ratio.toFixed(2)} target=${op}${target} ${pass ? 'PASS' : 'FAIL'}`;
}

async function main(): Promise<void> {
  workDir = mkdtempSync(join(tmpdir(), 'taza-bench-'));
  log(`database ${DB_NAME}: migrating, ${CAMERAS} bench cameras in Almaty`);
  const cameras = await prepare();

  log(`reference 1: COPY of ${TOTAL} incident rows`);
  const copySeconds = await copyReference(cameras);
  log(`  ${copySeconds.toFixed(2)} s (${Math.round(TOTAL / copySeconds)}/s)`);
  log(`reference 2: BullMQ addBulk of ${TOTAL} jobs`);
  const bulkSeconds = await addBulkReference();
  log(`  ${bulkSeconds.toFixed(2)} s (${Math.round(TOTAL / bulkSeconds)}/s)`);
  const refSeconds = Math.max(copySeconds, bulkSeconds);

  const port = await freePort();
  const api = startChild('api', port);
  await waitHealthy(port, api);
  let worker = startChild('worker', port);
  await sleep(2000);

  const results: string[] = [];
  await withClient(DB_NAME, async (c) => {
    log(`ours: ${TOTAL} incidents in batches of ${BATCH}, ${CONCURRENCY} requests in flight, through the API and the worker`);
    const t0 = performance.now();
    const sent = await sendBurst(port, cameras, 'run');
    const ingestSeconds = (performance.now() - t0) / 1000;
    log(`  ingest done in ${ingestSeconds.toFixed(2)} s: ${sent.created} created${sent.other.size ? `; others: ${JSON.stringify([...sent.other].slice(0, 5))}` : ''}`);
    const k = await waitProcessed(c, 'run', 600_000);
    const e2eSeconds = (performance.now() - t0) / 1000;
    const confirmed = (await c.query(`SELECT count(*) FILTER (WHERE status = 'confirmed')::int AS n, count(DISTINCT report_id)::int AS reports FROM incidents WHERE event_id LIKE 'run-%'`)).rows[0];
    log(`  all ${k.processed} processed after ${e2eSeconds.toFixed(2)} s (${Math.round(TOTAL / e2eSeconds)}/s); ${confirmed.n} auto-confirmed into ${confirmed.reports} reports`);
    results.push(line('e2e-rate', Math.round(TOTAL / e2eSeconds), Math.round(TOTAL / refSeconds), '>=', RATE_TARGET));

    log(`crash run: ${TOTAL} more while the worker is killed with SIGKILL twice`);
    let kills = 0;
    const killAt = [0.2, 0.55].map((f) => Math.floor(TOTAL * f));
    const killer = async (progress: Counts) => {
      if (kills < killAt.length && progress.processed >= killAt[kills]) {
        kills++;
        log(`  SIGKILL the worker at ${progress.processed} processed / ${progress.incidents} stored; starting a new one`);
        await stop(worker, 'SIGKILL');
        worker = startChild('worker', port);
      }
    };
    const sending = sendBurst(port, cameras, 'crash');
    const progress = (async () => {
      // Kill while the burst is still arriving as well as after.
      for (;;) {
        const k2 = await counts(c, 'crash');
        await killer(k2);
        if (kills >= killAt.length || k2.processed >= TOTAL) return;
        await sleep(250);
      }
    })();
    const crashSent = await sending;
    await progress;
    const final = await waitProcessed(c, 'crash', 900_000, killer);
    const dup = (
      await c.query(
        `SELECT (SELECT count(*) FROM incidents WHERE report_id IS NOT NULL)::int AS converted,
                (SELECT count(*) FROM reports WHERE source = 'cctv')::int + (SELECT count(*) FROM report_confirmations WHERE source = 'cctv')::int AS effects`,
      )
    ).rows[0];
    log(`  stored ${final.incidents}, processed ${final.processed}, ${kills} kills; conversions ${dup.converted}, report effects ${dup.effects}${crashSent.other.size ? `; others: ${JSON.stringify([...crashSent.other].slice(0, 5))}` : ''}`);
    const exact = final.incidents === TOTAL && final.processed === TOTAL && dup.converted === dup.effects && kills === 2;
    results.push(`BENCH ${NAME} crash-exactly-once ours=${final.processed} ref=${TOTAL} ratio=${(final.processed / TOTAL).toFixed(2)} target=>=1 ${exact ? 'PASS' : 'FAIL'}`);
    process.stdout.write(`${NAME}: crash run stored ${final.incidents}/${TOTAL} incidents, ${final.processed}/${TOTAL} processed, ${dup.converted} conversions = ${dup.effects} report effects after ${kills} SIGKILLs\n`);
  });
  process.stdout.write(`${NAME}: COPY ${copySeconds.toFixed(2)} s, addBulk ${bulkSeconds.toFixed(2)} s, ours (API + worker) measured above\n`);
  for (const r of results) process.stdout.write(`${r}\n`);
}

main()
  .then(() => cleanup())
  .catch(async (err: Error) => {
    log(`failed: ${err.stack ?? err.message}`);
    await cleanup();
    process.exit(1);
  });
