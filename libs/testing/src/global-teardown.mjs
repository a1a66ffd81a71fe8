import pg from 'pg';

export default async function globalTeardown() {
  const name = process.env.TAZA_TEST_TEMPLATE_DB;
  if (!name || !name.startsWith('taza_test_tpl_')) return;
  const url = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/taza');
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
