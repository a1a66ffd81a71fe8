import { createDataSource } from '../libs/core/src/index.js';
import { createEmptyDatabase, type TestDatabase } from '../libs/testing/src/index.js';
import { MIGRATIONS } from './index.js';

describe('migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createEmptyDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  const tables = async (ds: ReturnType<typeof createDataSource>) =>
    ((await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys' ORDER BY 1`)) as { tablename: string }[]).map((r) => r.tablename);

  it('run up on an empty database, revert all the way down, and run up again', async () => {
    const ds = createDataSource({ url: db.url, poolSize: 1 });
    await ds.initialize();
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      expect(applied).toHaveLength(MIGRATIONS.length);
      expect(await tables(ds)).toEqual(expect.arrayContaining(['cities', 'districts', 'outbox', 'users', 'sessions', 'refresh_tokens', 'audit_log', 'reports', 'report_history', 'notifications', 'migrations']));

      const gist: { indexname: string }[] = await ds.query(
        `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexdef ILIKE '%USING gist%' ORDER BY 1`,
      );
      expect(gist.map((r) => r.indexname)).toEqual(
        expect.arrayContaining(['cities_boundary_gist', 'cities_boundary_3857_gist', 'districts_area_gist', 'districts_area_3857_gist']),
      );
      const postgis: { v: string }[] = await ds.query(`SELECT postgis_lib_version() AS v`);
      expect(postgis[0].v).toMatch(/^3\./);

      // The 3857 column is generated from the 4326 one.
      await ds.query(
        `INSERT INTO cities (slug, name_kk, name_ru, name_en, timezone, boundary, core)
         VALUES ('test-city', 'Т', 'Т', 'T', 'Asia/Almaty', ST_Multi(ST_MakeEnvelope(76, 43, 77, 44, 4326)), ST_MakeEnvelope(76.2, 43.2, 76.8, 43.8, 4326))`,
      );
      const [city] = await ds.query(`SELECT ST_SRID(boundary_3857) AS srid, round(ST_XMin(boundary_3857)) AS x FROM cities`);
      expect(city.srid).toBe(3857);
      expect(Number(city.x)).toBe(8460281);
      await ds.query(`DELETE FROM cities`);

      for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
      expect(await tables(ds)).toEqual(['migrations']);

      const again = await ds.runMigrations({ transaction: 'each' });
      expect(again).toHaveLength(MIGRATIONS.length);
      expect(await ds.showMigrations()).toBe(false);
    } finally {
      await ds.destroy();
    }
  });
});
