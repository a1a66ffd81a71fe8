// Jest global setup: makes one migrated template database per run; each test file clones it.
// It migrates with the project's own CLI (built by tsc, incremental) so the template is exactly what
// `npm run migration:run` makes.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function serverUrl(database) {
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/taza');
  url.pathname = `/${database}`;
  return url.toString();
}

export default async function globalSetup() {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  const name = `taza_test_tpl_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl('postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  execFileSync(process.execPath, [join(root, 'dist', 'apps', 'api', 'src', 'cli.js'), 'migration:run'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DATABASE_URL: serverUrl(name), NODE_ENV: 'test', LOG_LEVEL: 'warn' },
  });
  process.env.TAZA_TEST_TEMPLATE_DB = name;
}
