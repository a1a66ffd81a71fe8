import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createDataSource, loadConfigOrExit } from '../../../libs/core/src/index.js';
import { CitiesRepository, CitiesService } from '../../../libs/cities/src/index.js';

/**
 * Operations from the command line, on the same DataSource as the processes:
 *   migration:run | migration:revert | migration:show | seed
 */
const command = process.argv[2];
const config = loadConfigOrExit();
const dataSource = createDataSource({ url: config.DATABASE_URL, applicationName: 'taza-cli', poolSize: 2 });
const out = (line: string) => process.stdout.write(`${line}\n`);

try {
  await dataSource.initialize();
  switch (command) {
    case 'migration:run': {
      const done = await dataSource.runMigrations({ transaction: 'each' });
      out(done.length ? `Applied ${done.length} migration(s): ${done.map((m) => m.name).join(', ')}` : 'Database schema is up to date.');
      break;
    }
    case 'migration:revert': {
      await dataSource.undoLastMigration({ transaction: 'each' });
      out('Reverted the last migration.');
      break;
    }
    case 'migration:show': {
      const pending = await dataSource.showMigrations();
      out(pending ? 'Some migrations are pending.' : 'No pending migrations.');
      break;
    }
    case 'seed': {
      if (!config.DEMO_DATA) {
        out('DEMO_DATA is off: no demo data loaded.');
        break;
      }
      Logger.overrideLogger(['error', 'warn']);
      const cities = new CitiesService(new CitiesRepository(dataSource), dataSource);
      const { citiesCreated, districtsCreated } = await cities.loadDemoCities();
      out(`Demo data: ${citiesCreated} new cities, ${districtsCreated} new districts.`);
      break;
    }
    default:
      process.stderr.write(`Unknown command "${command ?? ''}". Use one of: migration:run, migration:revert, migration:show, seed.\n`);
      process.exitCode = 2;
  }
} catch (err) {
  process.stderr.write(`${command} failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  if (dataSource.isInitialized) await dataSource.destroy();
}
