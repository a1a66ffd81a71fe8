/**
 * Shared parts of the benchmarks in bench/: a throw-away database on the loopback server, the real API
 * as a child process, a cheap closed-loop HTTP/1.1 load generator, pgbench as the raw reference, CPU
 * accounting from /proc, and the `BENCH ...` result lines. Everything talks to 127.0.0.1 only and is
 * cleaned up at the end, also on failure, Ctrl-C or a watchdog time-out.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import pg from 'pg';
import { CitiesRepository, CitiesService } from '../libs/cities/src/index.js';
import { createDataSource, loadConfig, projectRoot } from '../libs/core/src/index.js';

const PGBENCH = '/usr/bin/pgbench';
const REQUEST_TIMEOUT_MS = 10_000;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function fmt(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'nan';
}

/** The p-th percentile (nearest rank) of ascending values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function positiveInt(name: string, v: string, max = 3600): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max} (got ${v})`);
  return n;
}

export function nonNegativeInt(name: string, v: string, max = 600): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`--${name} must be an integer from 0 to ${max} (got ${v})`);
  return n;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
function loopbackUrl(variable: string, value: string): URL {
  const url = new URL(value);
  if (!LOOPBACK.has(url.hostname)) throw new Error(`${variable} must point at 127.0.0.1 for the benchmark (got host ${url.hostname})`);
  return url;
}

export interface ApiProcess {
  port: number;
  pid: number | undefined;
  stop(): Promise<void>;
}

export interface PgbenchResult {
  tps: number;
  latencyAvgMs: number | null;
  failed: number;
  transactions: number;
  /** Per-transaction latencies (ms, ascending) when asked for with `logLatencies`. */
  latenciesMs: number[] | null;
}

export interface LoadResult {
  seconds: number;
  /** 2xx answers, by status. */
  ok: Map<number, number>;
  errors: number;
  errorSamples: Map<string, number>;
  /** Client-side latency of each 2xx answer, ms (unsorted). */
  latenciesMs: number[];
  /** Body bytes of the 2xx answers. */
  bodyBytes: number;
}

/**
 * One benchmark run: its database `taza_bench_<pid>`, its API processes, its queue prefix, its temp
 * directory, and the cleanup of all of them. `run(main)` is the entry point.
 */
export class BenchRun {
  readonly dbName = `taza_bench_${process.pid}`;
  readonly queuePrefix = `taza-bench-${process.pid}`;
  readonly workDir = mkdtempSync(join(tmpdir(), 'taza-bench-'));
  private readonly serverUrl: URL;
  private readonly redisUrl: URL;
  private readonly apis = new Set<ChildProcess>();
  private dbCreated = false;
  private apiStarted = false;
  private cleaning: Promise<void> | null = null;

  constructor(readonly name: string) {
    // Nest's console logger (services used for set-up) would print in colour between our lines.
    Logger.overrideLogger(['warn', 'error']);
    const config = loadConfig();
    this.serverUrl = loopbackUrl('DATABASE_URL', config.DATABASE_URL);
    this.redisUrl = loopbackUrl('REDIS_URL', config.REDIS_URL);
  }

  log(line: string): void {
    process.stderr.write(`[bench ${this.name}] ${line}\n`);
  }

  /** A line of the human summary (stdout). */
  out(line = ''): void {
    process.stdout.write(`${line}\n`);
  }

  /** `BENCH <name> <metric> ours=.. ref=.. ratio=.. target=<op>N PASS|FAIL`; the target applies to the ratio. */
  bench(metric: string, ours: string, ref: string, ratio: string, op: '>=' | '<=', target: number): void {
    const r = Number(ratio);
    const pass = Number.isFinite(r) && (op === '>=' ? r >= target : r <= target);
    this.out(`BENCH ${this.name} ${metric} ours=${ours} ref=${ref} ratio=${ratio} target=${op}${target} ${pass ? 'PASS' : 'FAIL'}`);
  }

  databaseUrl(name = this.dbName): string {
    const url = new URL(this.serverUrl.toString());
    url.pathname = `/${name}`;
    return url.toString();
  }

  /** A short-lived client on the bench database (or another one, e.g. `postgres`). */
  async withDb<T>(fn: (c: pg.Client) => Promise<T>, database = this.dbName): Promise<T> {
    const client = new pg.Client({ connectionString: this.databaseUrl(database) });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  /** Creates the database, runs every migration and loads the demo cities. */
  async createDatabase(): Promise<void> {
    await this.withDb((c) => c.query(`CREATE DATABASE "${this.dbName}"`), 'postgres');
    this.dbCreated = true;
    this.log(`created database ${this.dbName}; migrating`);
    const ds = createDataSource({ url: this.databaseUrl(), applicationName: 'taza-bench', poolSize: 2 });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
      await new CitiesService(new CitiesRepository(ds), ds).loadDemoCities();
    } finally {
      await ds.destroy();
    }
  }

  /**
   * Starts the built API (`dist/`) on a free loopback port with these extra settings (and Node flags,
   * e.g. `--cpu-prof` to see where its time goes); waits for health.
   */
  async startApi(settings: Record<string, string> = {}, nodeArgs: string[] = []): Promise<ApiProcess> {
    const port = await freePort();
    const child = this.spawnApp('api', this.env(port, settings), nodeArgs);
    const stop = () => this.stopChild(child);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the API exited during start-up (${child.exitCode ?? child.signalCode})`);
      if ((await httpStatus(port, '/api/health')) === 200) return { port, pid: child.pid, stop };
      await sleep(200);
    }
    await stop();
    throw new Error('the API did not answer /api/health with 200 within 30 s');
  }

  /** Starts the built worker (`dist/`) with the same settings as the API; `kill` is for crash tests. */
  startWorker(settings: Record<string, string> = {}): { pid: number | undefined; stop(): Promise<void>; kill(): Promise<void> } {
    const child = this.spawnApp('worker', this.env(null, settings), []);
    return {
      pid: child.pid,
      stop: () => this.stopChild(child),
      kill: async () => {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        await exited;
        this.apis.delete(child);
      },
    };
  }

  private env(port: number | null, settings: Record<string, string>): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      DEMO_DATA: 'false',
      HOST: '127.0.0.1',
      ...(port === null ? {} : { PORT: String(port) }),
      DATABASE_URL: this.databaseUrl(),
      REDIS_URL: this.redisUrl.toString(),
      QUEUE_PREFIX: this.queuePrefix,
      LOG_LEVEL: 'warn',
      JWT_SECRET: randomBytes(32).toString('hex'),
      MEDIA_DIR: join(this.workDir, 'media'),
      ...settings,
    };
  }

  private spawnApp(app: 'api' | 'worker', env: NodeJS.ProcessEnv, nodeArgs: string[]): ChildProcess {
    const child = spawn(process.execPath, [...nodeArgs, join(projectRoot(), 'dist', 'apps', app, 'src', 'main.js')], { cwd: projectRoot(), env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.apis.add(child);
    this.apiStarted = true;
    child.stderr!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) this.log(`${app}: ${line.slice(0, 400)}`);
    });
    return child;
  }

  private async stopChild(child: ChildProcess): Promise<void> {
    this.apis.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** The API's pooled PostgreSQL connections (after a warm-up they all exist and live until it stops). */
  async apiBackendPids(): Promise<number[]> {
    return this.withDb(async (c) => {
      const { rows } = await c.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'taza-api'`, [this.dbName]);
      return rows.map((r: { pid: number }) => r.pid);
    });
  }

  /**
   * pgbench on the bench database with a custom script (`-n -M prepared`), `clients` clients on up to
   * 2 threads. With `logLatencies` every transaction's latency is logged (`-l`) and returned, for
   * percentiles (pgbench itself prints only the average).
   */
  async pgbench(script: string, opts: { clients: number; seconds: number; logLatencies?: boolean }): Promise<PgbenchResult> {
    const dir = mkdtempSync(join(this.workDir, 'pgbench-'));
    const scriptPath = join(dir, 'script.sql');
    writeFileSync(scriptPath, script);
    const url = this.serverUrl;
    const cliArgs = [
      '-h', url.hostname.replace(/^\[|\]$/g, ''),
      '-p', url.port || '5432',
      '-U', decodeURIComponent(url.username || 'postgres'),
      '-c', String(opts.clients),
      '-j', String(Math.min(2, opts.clients)),
      '-T', String(opts.seconds),
      '-M', 'prepared',
      '-n',
      '-f', scriptPath,
      ...(opts.logLatencies ? ['-l', `--log-prefix=${join(dir, 'log')}`] : []),
      this.dbName,
    ];
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(PGBENCH, cliArgs, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.stderr.on('data', (c: Buffer) => (text += c.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), (opts.seconds + 60) * 1000);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (code !== 0 || !/^tps = /m.test(text)) reject(new Error(`pgbench exited with ${code ?? signal}:\n${text.slice(-3000)}`));
        else resolve(text);
      });
    });
    const num = (re: RegExp) => {
      const m = re.exec(out);
      return m ? Number(m[1]) : null;
    };
    let latenciesMs: number[] | null = null;
    if (opts.logLatencies) {
      latenciesMs = [];
      // One file per thread: "client_id transaction_no latency_us script_no epoch epoch_us".
      for (const f of readdirSync(dir).filter((n) => n.startsWith('log.'))) {
        for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
          const us = Number(line.split(' ')[2]);
          if (line && Number.isFinite(us)) latenciesMs.push(us / 1000);
        }
      }
      latenciesMs.sort((a, b) => a - b);
    }
    rmSync(dir, { recursive: true, force: true });
    return {
      tps: num(/^tps = ([\d.]+) \(without initial connection time\)/m) ?? NaN,
      latencyAvgMs: num(/^latency average = ([\d.]+) ms/m),
      failed: num(/^number of failed transactions: (\d+)/m) ?? 0,
      transactions: num(/^number of transactions actually processed: (\d+)/m) ?? 0,
      latenciesMs,
    };
  }

  /** Runs the benchmark: a watchdog, cleanup always, exit code 0 when it ran to the end, 1 when it could not. */
  async run(main: () => Promise<void>, timeoutSeconds: number): Promise<never> {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        this.log(`${signal}: cleaning up`);
        void this.cleanup().finally(() => process.exit(130));
      });
    }
    const watchdog = setTimeout(() => {
      this.log('the run took too long; stopping');
      void this.cleanup().finally(() => process.exit(2));
    }, timeoutSeconds * 1000);
    let exitCode = 0;
    try {
      await main();
    } catch (err) {
      this.log(`failed: ${(err as Error).stack ?? String(err)}`);
      exitCode = 1;
    } finally {
      await this.cleanup();
      clearTimeout(watchdog);
    }
    process.exit(exitCode);
  }

  private cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      for (const child of [...this.apis]) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }
      }
      if (this.dbCreated) {
        try {
          await this.withDb((c) => c.query(`DROP DATABASE IF EXISTS "${this.dbName}" WITH (FORCE)`), 'postgres');
          this.log(`dropped database ${this.dbName}`);
        } catch (err) {
          this.log(`could not drop database ${this.dbName}: ${(err as Error).message} — drop it by hand`);
        }
      }
      if (this.apiStarted) await this.dropRedisKeys(`${this.queuePrefix}:*`).catch((err) => this.log(`could not remove Redis keys ${this.queuePrefix}:*: ${(err as Error).message}`));
      rmSync(this.workDir, { recursive: true, force: true });
    })();
    return this.cleaning;
  }

  /** Removes Redis keys matching a pattern (the API's BullMQ meta keys live under our queue prefix). */
  async dropRedisKeys(pattern: string): Promise<void> {
    const redis = new Redis(this.redisUrl.toString(), { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000 });
    await redis.connect();
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
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

function httpStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

// ---------------------------------------------------------------------------------------------
// Load generator.

export interface Answer {
  status: number;
  /** Body length in bytes. */
  bytes: number;
  /** The body as text, only for non-2xx answers (for error samples). */
  text: string;
}

/**
 * One keep-alive HTTP/1.1 connection with one request in flight, on a raw socket. The load generator
 * shares the 2 cores with the API and PostgreSQL: node:http's client cost ~0.18 ms of CPU per request
 * here, this one ~0.07 ms. The requests are the bytes any client sends; an answer counts once fully
 * read. Bodies with Content-Length are counted, not copied (tiles can be hundreds of KB).
 */
export class Connection {
  private socket: net.Socket | null = null;
  private head: Buffer = Buffer.alloc(0);
  private response: { status: number; remaining: number; close: boolean; body: Buffer[] | null; bytes: number } | null = null;
  private chunked: Buffer | null = null;
  private pending: { resolve: (a: Answer) => void; timer: NodeJS.Timeout } | null = null;

  constructor(readonly port: number) {}

  /** Sends raw request bytes (see `request()`) and resolves with the answer; status 0 on a failure. */
  send(raw: string): Promise<Answer> {
    const socket = this.socket ?? this.connect();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.fail(`no answer within ${REQUEST_TIMEOUT_MS} ms`), REQUEST_TIMEOUT_MS);
      this.pending = { resolve, timer };
      socket.write(raw);
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
    if (this.chunked) {
      this.onChunked(chunk);
      return;
    }
    if (!this.response) {
      this.head = this.head.length ? Buffer.concat([this.head, chunk]) : chunk;
      const headEnd = this.head.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        if (this.head.length > 65536) this.fail('response head over 64 KiB');
        return;
      }
      const head = this.head.toString('latin1', 0, headEnd);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (!status) {
        this.fail(`not an HTTP response: ${head.slice(0, 80)}`);
        return;
      }
      const header = (name: string) => new RegExp(`\r\n${name}:[ \t]*([^\r]*)`, 'i').exec(head)?.[1].trim();
      const rest = this.head.subarray(headEnd + 4);
      this.head = Buffer.alloc(0);
      const close = /close/i.test(header('connection') ?? '');
      const code = Number(status[1]);
      // 204 and 304 never have a body (and usually no Content-Length).
      const length = code === 204 || code === 304 ? '0' : header('content-length');
      if (length === undefined && /chunked/i.test(header('transfer-encoding') ?? '')) {
        this.chunked = Buffer.alloc(0);
        this.response = { status: code, remaining: 0, close, body: null, bytes: 0 };
        this.onChunked(rest);
        return;
      }
      if (length === undefined) {
        this.fail('response without Content-Length or chunked body');
        return;
      }
      this.response = { status: code, remaining: Number(length), close, body: code >= 200 && code <= 299 ? null : [], bytes: 0 };
      chunk = rest;
    }
    const r = this.response;
    const take = Math.min(chunk.length, r.remaining);
    r.remaining -= take;
    r.bytes += take;
    r.body?.push(chunk.subarray(0, take));
    if (r.remaining > 0) return;
    this.response = null;
    if (take < chunk.length) {
      this.fail('bytes after the response (one request in flight)');
      return;
    }
    this.finish({ status: r.status, bytes: r.bytes, text: r.body ? Buffer.concat(r.body).toString().slice(0, 300) : '' });
    if (r.close) this.reset();
  }

  /** Chunked bodies (rare here: JSON errors): buffered and parsed whole. */
  private onChunked(chunk: Buffer): void {
    const buf = (this.chunked = Buffer.concat([this.chunked!, chunk]));
    const parts: Buffer[] = [];
    for (let at = 0; ; ) {
      const lineEnd = buf.indexOf('\r\n', at);
      if (lineEnd < 0) return;
      const size = parseInt(buf.toString('latin1', at, lineEnd), 16);
      if (Number.isNaN(size)) {
        this.fail('bad chunk size');
        return;
      }
      if (size === 0) {
        if (buf.indexOf('\r\n\r\n', lineEnd) < 0) return;
        const r = this.response!;
        const body = Buffer.concat(parts);
        this.chunked = null;
        this.response = null;
        this.finish({ status: r.status, bytes: body.length, text: r.status >= 200 && r.status <= 299 ? '' : body.toString().slice(0, 300) });
        if (r.close) this.reset();
        return;
      }
      if (buf.length < lineEnd + 2 + size + 2) return;
      parts.push(buf.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }

  private finish(answer: Answer): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    p.resolve(answer);
  }

  private fail(text: string): void {
    this.reset();
    this.finish({ status: 0, bytes: 0, text });
  }

  private reset(): void {
    const socket = this.socket;
    this.socket = null;
    this.head = Buffer.alloc(0);
    this.response = null;
    this.chunked = null;
    if (!socket) return;
    socket.removeAllListeners();
    socket.on('error', () => undefined);
    socket.destroy();
  }
}

/** The bytes of an HTTP/1.1 request. */
export function request(method: 'GET' | 'POST', path: string, port: number, opts: { headers?: Record<string, string>; json?: string } = {}): string {
  const headers = { host: `127.0.0.1:${port}`, ...(opts.json !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(opts.json)) } : {}), ...opts.headers };
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${opts.json ?? ''}`;
}

/**
 * Closed-loop load: each connection sends its next request when the previous one is answered, until
 * `seconds` have passed. `next()` gives the raw request bytes for each send.
 */
export async function closedLoop(connections: Connection[], seconds: number, next: () => string): Promise<LoadResult> {
  const result: LoadResult = { seconds: 0, ok: new Map(), errors: 0, errorSamples: new Map(), latenciesMs: [], bodyBytes: 0 };
  const start = performance.now();
  const end = start + seconds * 1000;
  const worker = async (connection: Connection) => {
    while (performance.now() < end) {
      const raw = next();
      const t0 = performance.now();
      const answer = await connection.send(raw);
      const ms = performance.now() - t0;
      if (answer.status >= 200 && answer.status <= 299) {
        result.ok.set(answer.status, (result.ok.get(answer.status) ?? 0) + 1);
        result.latenciesMs.push(ms);
        result.bodyBytes += answer.bytes;
      } else {
        result.errors++;
        const key = `${answer.status} ${answer.text}`;
        result.errorSamples.set(key, (result.errorSamples.get(key) ?? 0) + 1);
      }
    }
  };
  await Promise.all(connections.map(worker));
  result.seconds = (performance.now() - start) / 1000;
  return result;
}

export function answered(r: LoadResult): number {
  return [...r.ok.values()].reduce((a, b) => a + b, 0);
}

// ---------------------------------------------------------------------------------------------
// Where the CPU goes during a run (Linux /proc; "n/a" where it cannot be read).

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

export interface CpuSnapshot {
  at: number;
  api: number | null;
  backends: number | null;
  generator: number;
  machine: { busyMs: number; cores: number } | null;
}

export function cpuSnapshot(apiPid: number | undefined, backendPids: number[]): CpuSnapshot {
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

/** Two summary lines: CPU per answered request by process, and the machine's busy share. */
export function cpuLines(a: CpuSnapshot, b: CpuSnapshot, answeredCount: number, backendCount: number, what = 'request'): string[] {
  const ms = (x: number | null, y: number | null) => (x === null || y === null ? null : y - x);
  const api = ms(a.api, b.api);
  const backends = ms(a.backends, b.backends);
  const generator = b.generator - a.generator;
  const per = (v: number | null) => (v === null ? 'n/a' : `${fmt(v / answeredCount, 3)} ms`);
  const lines = [`CPU per answered ${what}: API process ${per(api)}, its ${backendCount} PostgreSQL backends ${per(backends)}, load generator ${per(generator)}`];
  if (a.machine && b.machine) {
    const wall = b.at - a.at;
    const share = (v: number | null) => (v === null ? 'n/a' : `${fmt((100 * v) / wall, 0)} %`);
    const busy = b.machine.busyMs - a.machine.busyMs;
    const rest = api === null || backends === null ? null : busy - api - backends - generator;
    lines.push(
      `machine CPU (${b.machine.cores} cores = ${b.machine.cores * 100} %): ${share(busy)} busy; API ${share(api)}, backends ${share(backends)}, ` +
        `generator ${share(generator)}, everything else ${share(rest)} (PostgreSQL's own processes, the kernel, anything else running)`,
    );
  }
  return lines;
}

/**
 * CPU over several measured slices (e.g. ours alternating with the reference): `await start()` /
 * `stop()` around each slice of ours (the API's backends are looked up at each start: its pool may have
 * opened or closed connections meanwhile), then the same two lines as cpuLines for the sum.
 */
export class CpuMeter {
  private total: CpuSnapshot = { at: 0, api: 0, backends: 0, generator: 0, machine: null };
  private open: { snapshot: CpuSnapshot; pids: number[]; backends: Map<number, number> } | null = null;
  private backendCount = 0;

  constructor(
    private readonly bench: BenchRun,
    private readonly apiPid: number | undefined,
  ) {}

  async start(): Promise<void> {
    const pids = await this.bench.apiBackendPids();
    const backends = new Map<number, number>();
    for (const pid of pids) {
      const ms = processCpuMs(pid);
      if (ms !== null) backends.set(pid, ms);
    }
    this.backendCount = Math.max(this.backendCount, backends.size);
    this.open = { snapshot: cpuSnapshot(this.apiPid, []), pids, backends };
  }

  stop(): void {
    const { snapshot: a, backends } = this.open!;
    const b = cpuSnapshot(this.apiPid, []);
    let backendMs = 0;
    for (const [pid, before] of backends) {
      const after = processCpuMs(pid);
      if (after !== null) backendMs += after - before;
    }
    this.total = {
      at: this.total.at + b.at - a.at,
      api: a.api === null || b.api === null || this.total.api === null ? null : this.total.api + b.api - a.api,
      backends: (this.total.backends ?? 0) + backendMs,
      generator: this.total.generator + b.generator - a.generator,
      machine: a.machine && b.machine ? { cores: b.machine.cores, busyMs: (this.total.machine?.busyMs ?? 0) + b.machine.busyMs - a.machine.busyMs } : null,
    };
  }

  lines(answeredCount: number, what = 'request'): string[] {
    const zero: CpuSnapshot = { at: 0, api: 0, backends: 0, generator: 0, machine: this.total.machine ? { cores: this.total.machine.cores, busyMs: 0 } : null };
    return cpuLines(zero, this.total, answeredCount, this.backendCount, what);
  }
}
