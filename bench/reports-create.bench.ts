/**
 * `npm run bench -- reports-create [--seconds 20] [--warmup 3] [--connections 32]`
 *
 * Ours: anonymous JSON `POST /api/v1/reports` (no files) against the real API, started as a child
 * process on a throw-away database, from `connections` concurrent keep-alive connections.
 * Reference: pgbench, same database, same run, same number of clients and seconds, inserting one
 * equivalent row into `reports` per transaction. Everything talks to 127.0.0.1 only, the run stops
 * by itself, and the database is dropped at the end (also on failure or Ctrl-C).
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import pg from 'pg';
import { CitiesRepository, CitiesService } from '../libs/cities/src/index.js';
import { createDataSource, projectRoot } from '../libs/core/src/index.js';

const NAME = 'reports-create';
const RPS_TARGET = 0.4; // ours/ref, at least
const P99_BUDGET_MS = 50; // absolute: p99 under 50 ms at that load
/** Random points are drawn in this box; the run checks that Almaty's districts cover it. */
const BOX = { west: 76.85, south: 43.2, east: 77.0, north: 43.3 };
const SIZES = ['bag', 'wheelbarrow', 'car', 'truck'] as const;
const REQUEST_TIMEOUT_MS = 10_000;
const PGBENCH = '/usr/bin/pgbench';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
  },
  allowPositionals: false,
});
const SECONDS = positiveInt('seconds', args.seconds!);
const WARMUP = nonNegativeInt('warmup', args.warmup!);
const CONNECTIONS = positiveInt('connections', args.connections!);

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 3600) throw new Error(`--${name} must be an integer from 1 to 3600 (got ${v})`);
  return n;
}
function nonNegativeInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 600) throw new Error(`--${name} must be an integer from 0 to 600 (got ${v})`);
  return n;
}

// Nest's console logger (CitiesService) would print in colour between our lines.
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
const serverUrl = loopbackUrl('DATABASE_URL', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/taza');
const redisUrl = loopbackUrl('REDIS_URL', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const DB_NAME = `taza_bench_${process.pid}`;
const QUEUE_PREFIX = `taza-bench-${process.pid}`;
function databaseUrl(name: string): string {
  const url = new URL(serverUrl.toString());
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Cleanup: always, once.

let api: ChildProcess | null = null;
let dbCreated = false;
let apiStarted = false;
let workDir: string | null = null;
let cleaning: Promise<void> | null = null;

async function stopApi(): Promise<void> {
  const child = api;
  api = null;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    await stopApi().catch((err) => log(`could not stop the API: ${(err as Error).message}`));
    if (dbCreated) {
      try {
        await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`));
        log(`dropped database ${DB_NAME}`);
      } catch (err) {
        log(`could not drop database ${DB_NAME}: ${(err as Error).message} — drop it by hand`);
      }
    }
    if (apiStarted) await dropQueueKeys().catch((err) => log(`could not remove Redis keys ${QUEUE_PREFIX}:*: ${(err as Error).message}`));
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  })();
  return cleaning;
}

/** The API's BullMQ queues write their meta keys under our unique prefix at start-up; remove them. */
async function dropQueueKeys(): Promise<void> {
  const redis = new Redis(redisUrl.toString(), { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${QUEUE_PREFIX}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Setup: database, demo cities, API.

interface Fixture {
  cityId: string;
  districtId: string;
  categories: string[];
}

async function prepareDatabase(): Promise<Fixture> {
  await withAdmin((c) => c.query(`CREATE DATABASE "${DB_NAME}"`));
  dbCreated = true;
  log(`created database ${DB_NAME}; migrating`);
  const ds = createDataSource({ url: databaseUrl(DB_NAME), applicationName: 'taza-bench', poolSize: 2 });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    await new CitiesService(new CitiesRepository(ds), ds).loadDemoCities();
    const [cover]: { covered: boolean; cityId: string }[] = await ds.query(
      `SELECT ST_Covers(ST_Union(d.area), ST_MakeEnvelope($1, $2, $3, $4, 4326)) AS covered, c.id AS "cityId"
         FROM districts d JOIN cities c ON c.id = d.city_id
        WHERE c.slug = 'almaty' GROUP BY c.id`,
      [BOX.west, BOX.south, BOX.east, BOX.north],
    );
    if (!cover?.covered) throw new Error(`Almaty's districts do not cover the point box ${JSON.stringify(BOX)}; fix BOX`);
    // The reference rows go to the district holding the box centre (ours are routed per point).
    const [district]: { id: string }[] = await ds.query(
      `SELECT d.id FROM districts d WHERE d.city_id = $1 AND ST_Covers(d.area, ST_SetSRID(ST_MakePoint($2, $3), 4326)) ORDER BY d.id LIMIT 1`,
      [cover.cityId, (BOX.west + BOX.east) / 2, (BOX.south + BOX.north) / 2],
    );
    const categories: { code: string }[] = await ds.query(`SELECT code FROM categories WHERE active ORDER BY sort, code`);
    return { cityId: cover.cityId, districtId: district.id, categories: categories.map((c) => c.code) };
  } finally {
    await ds.destroy();
  }
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

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

async function startApi(): Promise<number> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
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
    MEDIA_DIR: join(workDir!, 'media'),
  };
  const child = spawn(process.execPath, [join(projectRoot(), 'dist', 'apps', 'api', 'src', 'main.js')], {
    cwd: projectRoot(),
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  api = child;
  apiStarted = true;
  child.stderr!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) log(`api: ${line.slice(0, 400)}`);
  });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the API exited during start-up (${child.exitCode ?? child.signalCode})`);
    if ((await get(port, '/api/health')) === 200) return port;
    await sleep(200);
  }
  throw new Error('the API did not answer /api/health with 200 within 30 s');
}

// ---------------------------------------------------------------------------------------------
// Ours: closed-loop load from `CONNECTIONS` keep-alive connections.

interface LoadResult {
  seconds: number;
  created: number;
  merged: number;
  errors: number;
  errorSamples: Map<string, number>;
  latenciesMs: number[];
}

function randomBody(categories: string[]): string {
  return JSON.stringify({
    lon: BOX.west + Math.random() * (BOX.east - BOX.west),
    lat: BOX.south + Math.random() * (BOX.north - BOX.south),
    category: categories[Math.floor(Math.random() * categories.length)],
    size: SIZES[Math.floor(Math.random() * SIZES.length)],
  });
}

function post(agent: http.Agent, port: number, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/v1/reports',
        method: 'POST',
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          if (status < 200 || status > 299) chunks.push(c);
        });
        res.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString().slice(0, 300) }));
        res.on('error', (err) => resolve({ status: 0, text: err.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (err) => resolve({ status: 0, text: err.message }));
    req.end(body);
  });
}

async function load(agent: http.Agent, port: number, fixture: Fixture, seconds: number): Promise<LoadResult> {
  const result: LoadResult = { seconds: 0, created: 0, merged: 0, errors: 0, errorSamples: new Map(), latenciesMs: [] };
  const start = performance.now();
  const end = start + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      const body = randomBody(fixture.categories);
      const t0 = performance.now();
      const { status, text } = await post(agent, port, body);
      const ms = performance.now() - t0;
      if (status === 201) result.created++;
      else if (status === 200) result.merged++;
      else {
        result.errors++;
        const key = `${status} ${text}`;
        result.errorSamples.set(key, (result.errorSamples.get(key) ?? 0) + 1);
        continue;
      }
      result.latenciesMs.push(ms);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ---------------------------------------------------------------------------------------------
// Reference: pgbench inserting the equivalent row.

interface PgbenchResult {
  tps: number;
  latencyAvgMs: number | null;
  failed: number;
  transactions: number;
}

function pgbenchScript(f: Fixture): string {
  // The row an anonymous JSON report writes: the same columns the API sets (the defaults do the rest),
  // including the unique tracking-token hash and the reporter's IP.
  return [
    `\\set lon ${BOX.west} + random(0, 1000000) * ${((BOX.east - BOX.west) / 1e6).toFixed(12)}`,
    `\\set lat ${BOX.south} + random(0, 1000000) * ${((BOX.north - BOX.south) / 1e6).toFixed(12)}`,
    `\\set size random(0, ${SIZES.length - 1})`,
    `INSERT INTO reports (city_id, district_id, category_code, size, waste_types, description, location, outskirts, source, tracking_token_hash, reporter_ip, exif_gps_far)`,
    `VALUES ('${f.cityId}', '${f.districtId}', '${f.categories[0]}', (ARRAY['${SIZES.join("','")}'])[:size::int + 1], '{}', '',`,
    `        ST_SetSRID(ST_MakePoint(:lon::float8, :lat::float8), 4326), false, 'web', sha256(gen_random_uuid()::text::bytea), '127.0.0.1'::inet, false);`,
    '',
  ].join('\n');
}

function runPgbench(scriptPath: string, seconds: number): Promise<PgbenchResult> {
  const cliArgs = [
    '-h', serverUrl.hostname.replace(/^\[|\]$/g, ''),
    '-p', serverUrl.port || '5432',
    '-U', decodeURIComponent(serverUrl.username || 'postgres'),
    '-c', String(CONNECTIONS),
    '-j', '2',
    '-T', String(seconds),
    '-M', 'prepared',
    '-n',
    '-f', scriptPath,
    DB_NAME,
  ];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
  if (serverUrl.password) env.PGPASSWORD = decodeURIComponent(serverUrl.password);
  return new Promise((resolve, reject) => {
    const child = spawn(PGBENCH, cliArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 60) * 1000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const tps = /^tps = ([\d.]+) \(without initial connection time\)/m.exec(out);
      if (code !== 0 || !tps) {
        reject(new Error(`pgbench exited with ${code ?? signal}:\n${out}`));
        return;
      }
      const num = (re: RegExp) => {
        const m = re.exec(out);
        return m ? Number(m[1]) : null;
      };
      resolve({
        tps: Number(tps[1]),
        latencyAvgMs: num(/^latency average = ([\d.]+) ms/m),
        failed: num(/^number of failed transactions: (\d+)/m) ?? 0,
        transactions: num(/^number of transactions actually processed: (\d+)/m) ?? 0,
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------

function fmt(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'nan';
}

function benchLine(metric: string, ours: string, ref: string, ratio: string, op: '>=' | '<=', target: number): string {
  const r = Number(ratio);
  const pass = Number.isFinite(r) && (op === '>=' ? r >= target : r <= target);
  return `BENCH ${NAME} ${metric} ours=${ours} ref=${ref} ratio=${ratio} target=${op}${target} ${pass ? 'PASS' : 'FAIL'}`;
}

async function main(): Promise<void> {
  workDir = mkdtempSync(join(tmpdir(), 'taza-bench-'));
  const fixture = await prepareDatabase();
  const port = await startApi();
  log(`API up on 127.0.0.1:${port}; ${WARMUP} s warm-up, then ${SECONDS} s from ${CONNECTIONS} connections`);

  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  if (WARMUP > 0) await load(agent, port, fixture, WARMUP);
  const ours = await load(agent, port, fixture, SECONDS);
  agent.destroy();
  await stopApi();

  const counts = await withAdminOn(DB_NAME, async (c) => {
    const { rows } = await c.query(`SELECT (SELECT count(*) FROM reports)::int AS reports, (SELECT count(*) FROM report_confirmations)::int AS confirmations`);
    return rows[0] as { reports: number; confirmations: number };
  });

  const scriptPath = join(workDir, 'insert-report.sql');
  writeFileSync(scriptPath, pgbenchScript(fixture));
  log(`pgbench: ${WARMUP} s warm-up, then ${SECONDS} s, ${CONNECTIONS} clients`);
  if (WARMUP > 0) await runPgbench(scriptPath, WARMUP);
  const ref = await runPgbench(scriptPath, SECONDS);

  const ok = ours.created + ours.merged;
  const rps = ok / ours.seconds;
  const sorted = ours.latenciesMs.sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const mean = sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1);

  const out = (line: string) => process.stdout.write(`${line}\n`);
  out('');
  out(`reports-create: ${SECONDS} s after a ${WARMUP} s warm-up, ${CONNECTIONS} concurrent connections, 127.0.0.1, ${DB_NAME}`);
  out(`  ours (POST /api/v1/reports, JSON, anonymous; API in a child process, pool of 10):`);
  out(`    ${ok} answered 2xx in ${fmt(ours.seconds, 2)} s = ${fmt(rps, 1)} req/s  (${ours.created} created 201, ${ours.merged} merged 200, ${ours.errors} errors)`);
  out(`    latency ms: p50 ${fmt(p50, 1)}  p99 ${fmt(p99, 1)}  mean ${fmt(mean, 1)}  max ${fmt(sorted[sorted.length - 1] ?? NaN, 1)}`);
  for (const [sample, n] of ours.errorSamples) out(`    error x${n}: ${sample}`);
  out(`    rows after warm-up + run: ${counts.reports} reports, ${counts.confirmations} confirmations`);
  out(`  ref (pgbench -c ${CONNECTIONS} -j 2 -T ${SECONDS} -M prepared -n, one INSERT INTO reports per transaction):`);
  out(`    ${fmt(ref.tps, 1)} tps, latency avg ${ref.latencyAvgMs ?? 'n/a'} ms, ${ref.transactions} transactions, ${ref.failed} failed`);
  out(`  p99 target is absolute (${P99_BUDGET_MS} ms at this load): ref=${P99_BUDGET_MS} is the budget, ratio=p99/budget, pass when <= 1.`);
  out('');
  out(benchLine('rps', fmt(rps, 0), fmt(ref.tps, 0), fmt(rps / ref.tps, 2), '>=', RPS_TARGET));
  out(benchLine('p99-ms', fmt(p99, 1), String(P99_BUDGET_MS), fmt(p99 / P99_BUDGET_MS, 2), '<=', 1));
}

async function withAdminOn<T>(database: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(database) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// The whole run is bounded: set-up, warm-ups, both runs and a margin.
const watchdog = setTimeout(
  () => {
    log('the run took too long; stopping');
    void cleanup().finally(() => process.exit(2));
  },
  (2 * (SECONDS + WARMUP) + 180) * 1000,
);

let exitCode = 0;
try {
  await main();
} catch (err) {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  exitCode = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
process.exit(exitCode);
