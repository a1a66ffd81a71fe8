import { existsSync, readFileSync, rmSync } from 'node:fs';
import pg from 'pg';
import { compiled, serverUrl, TEMPLATE_FILE } from './global-setup.mjs';

export default async function globalTeardown() {
  if (!existsSync(TEMPLATE_FILE)) return;
  const name = readFileSync(TEMPLATE_FILE, 'utf8').trim();
  rmSync(TEMPLATE_FILE, { force: true });
  if (!name.startsWith('taza_test_tpl_')) return;
  const { loadConfig } = await compiled('libs/core/src/config/app-config.js');
  const admin = new pg.Client({ connectionString: serverUrl(loadConfig().DATABASE_URL, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
