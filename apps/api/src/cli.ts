import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccountsModule, AccountsService } from '../../../libs/accounts/src/index.js';
import { CitiesModule } from '../../../libs/cities/src/index.js';
import { AppConfig, ConfigModule, createDataSource, DatabaseModule, loadConfigOrExit, OutboxModule, QueueModule, RedisModule } from '../../../libs/core/src/index.js';
import { DispatchModule } from '../../../libs/dispatch/src/index.js';
import { IncidentsModule } from '../../../libs/incidents/src/index.js';
import { LandfillsModule } from '../../../libs/landfills/src/index.js';
import { HotspotsModule } from '../../../libs/hotspots/src/index.js';
import { loadDemoData } from './demo-data.js';
import { Open311ClientsModule } from '../../../libs/open311/src/index.js';

/**
 * Operations from the command line, on the same DataSource as the processes:
 *   migration:run | migration:revert | migration:show | seed | admin:create --email E [--phone P] [--password X]
 */
@Module({})
class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot({ applicationName: 'taza-cli', poolSize: 2 }), RedisModule, OutboxModule, QueueModule, CitiesModule, AccountsModule, Open311ClientsModule, DispatchModule, IncidentsModule, LandfillsModule, HotspotsModule],
    };
  }
}

const [command, ...rest] = process.argv.slice(2);
const config = loadConfigOrExit();
const out = (line: string) => process.stdout.write(`${line}\n`);

async function migrations(): Promise<void> {
  const dataSource = createDataSource({ url: config.DATABASE_URL, applicationName: 'taza-cli', poolSize: 2 });
  await dataSource.initialize();
  try {
    if (command === 'migration:run') {
      const done = await dataSource.runMigrations({ transaction: 'each' });
      out(done.length ? `Applied ${done.length} migration(s): ${done.map((m) => m.name).join(', ')}` : 'Database schema is up to date.');
    } else if (command === 'migration:revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      out('Reverted the last migration.');
    } else {
      out((await dataSource.showMigrations()) ? 'Some migrations are pending.' : 'No pending migrations.');
    }
  } finally {
    await dataSource.destroy();
  }
}

async function withServices(fn: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<void>): Promise<void> {
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    await fn(app);
  } finally {
    await app.close();
  }
}

try {
  switch (command) {
    case 'migration:run':
    case 'migration:revert':
    case 'migration:show':
      await migrations();
      break;
    case 'seed':
      if (!config.DEMO_DATA) {
        out('DEMO_DATA is off: no demo data loaded.');
        break;
      }
      await withServices(async (app) => {
        for (const line of await loadDemoData(app)) out(`Demo data: ${line}.`);
      });
      break;
    case 'admin:create': {
      const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, phone: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } } });
      if (!values.email && !values.phone) throw new Error('give --email or --phone');
      const generated = !values.password;
      const password = values.password ?? randomBytes(12).toString('base64url');
      await withServices(async (app) => {
        const user = await app.get(AccountsService).createStaff(
          null,
          { email: values.email, phone: values.phone, password, role: 'admin', displayName: values.name },
          { ip: null, userAgent: 'cli' },
        );
        out(`Created admin ${user.email ?? user.phone} (${user.id}).`);
        if (generated) out(`Password (shown once): ${password}`);
      });
      break;
    }
    default:
      process.stderr.write(`Unknown command "${command ?? ''}". Use one of: migration:run, migration:revert, migration:show, seed, admin:create.\n`);
      process.exitCode = 2;
  }
} catch (err) {
  const e = err as Error & { errors?: { field: string; message: string }[] };
  process.stderr.write(`${command} failed: ${e.message}\n`);
  process.exitCode = 1;
}
