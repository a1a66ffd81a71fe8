// Shared steps of `npm start` and `npm test`: services, builds, database.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/taza';

export function log(line) {
  process.stderr.write(`[taza] ${line}\n`);
}

export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (res.status !== 0) {
    throw new Error(`${[cmd, ...args].join(' ')} exited with ${res.status ?? res.signal}`);
  }
}

/** PostgreSQL + PostGIS and Redis (and Chromium with browser: true), installed or started when missing. */
export function ensureServices({ browser = false } = {}) {
  run('bash', [join(root, 'infra', 'ensure-services.sh'), ...(browser ? ['--browser'] : [])]);
}

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Compiles the server (tsc, incremental: fast when nothing changed). */
export function buildServer() {
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')]);
}

/** Builds the web app with Vite when its sources are newer than the last build. */
export function buildWebIfStale() {
  const built = join(root, 'dist', 'web', 'index.html');
  const sources = Math.max(newestMtime(join(root, 'apps', 'web')), newestMtime(join(root, 'package-lock.json')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) {
    log('web app is up to date');
    return;
  }
  log('building the web app');
  run(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(root, 'apps', 'web', 'vite.config.ts'), '--logLevel', 'warn']);
}

/** Creates the application database when it does not exist yet (it never drops one). */
export async function ensureDatabase(databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL) {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`DATABASE_URL names an unusual database "${name}"; create it yourself.`);
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      log(`creating database ${name}`);
      await admin.query(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await admin.end();
  }
}

export function cli(command, env = process.env) {
  execFileSync(process.execPath, [join(root, 'dist', 'apps', 'api', 'src', 'cli.js'), command], { cwd: root, stdio: 'inherit', env });
}
