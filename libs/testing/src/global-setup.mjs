// Jest global setup: makes one migrated template database per run; each test file clones it.
// It builds the server (tsc, incremental) and migrates with the project's own compiled DataSource and
// config, so the template is exactly what `npm run migration:run` makes. The template's name reaches
// the test workers through a file (TEMPLATE_FILE), not the environment.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const TEMPLATE_FILE = join(root, 'test-results', 'template-db.txt');

export async function compiled(path) {
  return import(pathToFileURL(join(root, 'dist', path)).href);
}

export function serverUrl(databaseUrl, database) {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export default async function globalSetup() {
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  const { loadConfig } = await compiled('libs/core/src/config/app-config.js');
  const { createDataSource } = await compiled('libs/core/src/database/data-source.js');
  const { DATABASE_URL } = loadConfig();
  const name = `taza_test_tpl_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl(DATABASE_URL, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const ds = createDataSource({ url: serverUrl(DATABASE_URL, name), applicationName: 'taza-test-setup', poolSize: 1 });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
  mkdirSync(dirname(TEMPLATE_FILE), { recursive: true });
  writeFileSync(TEMPLATE_FILE, name);
}
