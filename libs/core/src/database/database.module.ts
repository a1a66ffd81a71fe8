import { Global, Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { createDataSource } from './data-source.js';

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  private readonly logger = new Logger(DataSourceCloser.name);
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
      this.logger.log({ msg: 'database pool closed' });
    }
  }
}

/** Provides the initialised DataSource; repositories inject it and write their own SQL. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: { applicationName: string; poolSize?: number }): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => {
            const ds = createDataSource({ url: config.DATABASE_URL, applicationName: options.applicationName, poolSize: options.poolSize });
            return ds.initialize();
          },
        },
        DataSourceCloser,
      ],
      exports: [DataSource],
    };
  }
}
