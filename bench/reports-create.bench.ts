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
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import pg from 'pg';
import { CitiesRepository, CitiesService } from '../libs/cities/src/index.js';
import { createDataSource, loadConfig, projectRoot } from '../libs/core/src/index.js';

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
const benchConfig = loadConfig();
const serverUrl = loopbackUrl('DATABASE_URL', benchConfig.DATABASE_URL);
const redisUrl = loopbackUrl('REDIS_URL', benchConfig.REDIS_URL);
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

/**
 * One keep-alive HTTP/1.1 connection with one request in flight, on a raw socket. The load generator
 * shares the 2 cores with the API and PostgreSQL: node:http's client cost ~0.18 ms of CPU per
 * request here, this one ~0.07 ms. The requests are the same bytes an HTTP client sends; a response
 * counts once it is fully read (Content-Length or chunked).
 */
class Connection {
  private socket: net.Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: { resolve: (r: { status: number; text: string }) => void; timer: NodeJS.Timeout } | null = null;

  constructor(private readonly port: number) {}

  send(body: string): Promise<{ status: number; text: string }> {
    const socket = this.socket ?? this.connect();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.fail(`no answer within ${REQUEST_TIMEOUT_MS} ms`), REQUEST_TIMEOUT_MS);
      this.pending = { resolve, timer };
      socket.write(
        `POST /api/v1/reports HTTP/1.1\r\nhost: 127.0.0.1:${this.port}\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
  }

  close(): void {
    this.reset();
  }

  private connect(): net.Socket {
    const socket = net.connect({ host: '127.0.0.1', port: this.port, noDelay: true });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err.message));
    socket.on('close', () => this.fail('the API closed the connection'));
    this.socket = socket;
    return socket;
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const response = parseResponse(this.buffer);
    if (response === null) return;
    if ('error' in response) {
      this.fail(response.error);
      return;
    }
    this.buffer = this.buffer.subarray(response.length);
    const ok = response.status >= 200 && response.status <= 299;
    this.finish({ status: response.status, text: ok ? '' : response.body.toString().slice(0, 300) });
    if (response.close) this.reset();
  }

  private finish(result: { status: number; text: string }): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    p.resolve(result);
  }

  private fail(text: string): void {
    this.reset();
    this.finish({ status: 0, text });
  }

  private reset(): void {
    const socket = this.socket;
    this.socket = null;
    this.buffer = Buffer.alloc(0);
    if (!socket) return;
    socket.removeAllListeners();
    socket.on('error', () => undefined);
    socket.destroy();
  }
}

type ParsedResponse = { status: number; body: Buffer; length: number; close: boolean } | { error: string };

/** A complete response at the start of `buf`, `null` while it is still incomplete. */
function parseResponse(buf: Buffer): ParsedResponse | null {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) return buf.length > 65536 ? { error: 'response head over 64 KiB' } : null;
  const head = buf.toString('latin1', 0, headEnd);
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!status) return { error: `not an HTTP response: ${head.slice(0, 80)}` };
  const header = (name: string) => new RegExp(`\r\n${name}:[ \t]*([^\r]*)`, 'i').exec(head)?.[1].trim();
  const close = /close/i.test(header('connection') ?? '');
  const start = headEnd + 4;
  const contentLength = header('content-length');
  if (contentLength !== undefined) {
    const end = start + Number(contentLength);
    return buf.length < end ? null : { status: Number(status[1]), body: buf.subarray(start, end), length: end, close };
  }
  if (/chunked/i.test(header('transfer-encoding') ?? '')) {
    const chunks: Buffer[] = [];
    for (let at = start; ; ) {
      const lineEnd = buf.indexOf('\r\n', at);
      if (lineEnd < 0) return null;
      const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
      if (Number.isNaN(size)) return { error: 'bad chunk size' };
      if (size === 0) {
        const end = buf.indexOf('\r\n\r\n', lineEnd);
        return end < 0 ? null : { status: Number(status[1]), body: Buffer.concat(chunks), length: end + 4, close };
      }
      if (buf.length < lineEnd + 2 + size + 2) return null;
      chunks.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  return { error: 'response without Content-Length or chunked body' };
}

async function load(connections: Connection[], fixture: Fixture, seconds: number): Promise<LoadResult> {
  const result: LoadResult = { seconds: 0, created: 0, merged: 0, errors: 0, errorSamples: new Map(), latenciesMs: [] };
  const start = performance.now();
  const end = start + seconds * 1000;
  const worker = async (connection: Connection) => {
    while (performance.now() < end) {
      const body = randomBody(fixture.categories);
      const t0 = performance.now();
      const { status, text } = await connection.send(body);
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
  await Promise.all(connections.map(worker));
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ---------------------------------------------------------------------------------------------
// Where the CPU goes during ours (Linux /proc; "n/a" where it cannot be read).

/** USER_HZ, the unit of CPU times in /proc: 100 on Linux. */
const CLOCK_TICKS_PER_S = 100;

function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return null;
  }
}

function machineCpu(): { busyMs: number; cores: number } | null {
  try {
    const lines = readFileSync('/proc/stat', 'utf8').split('\n');
    const t = lines[0].trim().split(/\s+/).slice(1, 9).map(Number);
    const idle = t[3] + t[4];
    return { busyMs: ((t.reduce((a, b) => a + b, 0) - idle) * 1000) / CLOCK_TICKS_PER_S, cores: lines.filter((l) => /^cpu\d+ /.test(l)).length };
  } catch {
    return null;
  }
}

interface CpuSnapshot {
  at: number;
  api: number | null;
  backends: number | null;
  generator: number;
  machine: { busyMs: number; cores: number } | null;
}

function cpuSnapshot(apiPid: number | undefined, backendPids: number[]): CpuSnapshot {
  const backends = backendPids.map(processCpuMs);
  const usage = process.cpuUsage();
  return {
    at: performance.now(),
    api: processCpuMs(apiPid),
    backends: backends.length && backends.every((v) => v !== null) ? backends.reduce((a, b) => a! + b!, 0) : null,
    generator: (usage.user + usage.system) / 1000,
    machine: machineCpu(),
  };
}

/** The API's pooled PostgreSQL connections: after the warm-up they all exist and live until it stops. */
async function apiBackendPids(): Promise<number[]> {
  return withAdminOn(DB_NAME, async (c) => {
    const { rows } = await c.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'taza-api'`, [DB_NAME]);
    return rows.map((r: { pid: number }) => r.pid);
  });
}

function cpuLines(a: CpuSnapshot, b: CpuSnapshot, answered: number, backendCount: number): string[] {
  const ms = (x: number | null, y: number | null) => (x === null || y === null ? null : y - x);
  const api = ms(a.api, b.api);
  const backends = ms(a.backends, b.backends);
  const generator = b.generator - a.generator;
  const per = (v: number | null) => (v === null ? 'n/a' : `${fmt(v / answered, 3)} ms`);
  const lines = [`  CPU per answered create: API process ${per(api)}, its ${backendCount} PostgreSQL backends ${per(backends)}, load generator ${per(generator)}`];
  if (a.machine && b.machine) {
    const wall = b.at - a.at;
    const share = (v: number | null) => (v === null ? 'n/a' : `${fmt((100 * v) / wall, 0)} %`);
    const busy = b.machine.busyMs - a.machine.busyMs;
    const rest = api === null || backends === null ? null : busy - api - backends - generator;
    lines.push(
      `  machine CPU (${b.machine.cores} cores = ${b.machine.cores * 100} %): ${share(busy)} busy; API ${share(api)}, backends ${share(backends)}, ` +
        `generator ${share(generator)}, everything else ${share(rest)} (PostgreSQL's own processes, the kernel, anything else running)`,
    );
  }
  return lines;
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

  const connections = Array.from({ length: CONNECTIONS }, () => new Connection(port));
  if (WARMUP > 0) await load(connections, fixture, WARMUP);
  const backendPids = await apiBackendPids();
  const cpuBefore = cpuSnapshot(api?.pid, backendPids);
  const ours = await load(connections, fixture, SECONDS);
  const cpuAfter = cpuSnapshot(api?.pid, backendPids);
  for (const c of connections) c.close();
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
  for (const line of cpuLines(cpuBefore, cpuAfter, ok, backendPids.length)) out(`  ${line}`);
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
