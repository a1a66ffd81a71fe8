import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, projectRoot } from '../../core/src/index.js';

/** The server the tests use: DATABASE_URL's server when set, else the local one. Its own database is never touched. */
export function serverUrl(database: string): string {
  const url = new URL(loadConfig().DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl('postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const TEST_DB_PREFIX = 'taza_test_';

export function newDatabaseName(kind: string): string {
  return `${TEST_DB_PREFIX}${kind}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function createDatabase(name: string, template?: string): Promise<TestDatabase> {
  await withAdmin(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
        return;
      } catch (err) {
        // Two files cloning the template at the same instant: PostgreSQL refuses one; try again.
        if (attempt < 20 && /being accessed by other users/.test((err as Error).message)) {
          await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
          continue;
        }
        throw err;
      }
    }
  });
  return {
    name,
    url: serverUrl(name),
    drop: () => dropDatabase(name),
  };
}

export async function dropDatabase(name: string): Promise<void> {
  if (!name.startsWith(TEST_DB_PREFIX)) throw new Error(`refusing to drop ${name}: not a test database`);
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A database of this test file's own, cloned from the migrated template the global setup made. */
export async function createTestDatabase(): Promise<TestDatabase> {
  // Written by the Jest global setup (global-setup.mjs).
  const file = join(projectRoot(), 'test-results', 'template-db.txt');
  if (!existsSync(file)) throw new Error('no template database: run the tests with `npm test`');
  const template = readFileSync(file, 'utf8').trim();
  return createDatabase(newDatabaseName('f'), template);
}

/** An empty database (no migrations), for the migration tests. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  return createDatabase(newDatabaseName('e'));
}
