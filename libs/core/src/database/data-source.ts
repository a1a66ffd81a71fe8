import { DataSource, type DataSourceOptions, type EntitySchema, type MixedList } from 'typeorm';
import { MIGRATIONS } from '../../../../migrations/index.js';

export interface DataSourceParams {
  url: string;
  entities?: MixedList<string | Function | EntitySchema>;
  applicationName?: string;
  poolSize?: number;
}

/**
 * The one DataSource definition shared by the API, the worker and the migration CLI.
 * Schema changes come only from migrations; synchronize stays off.
 */
export function createDataSource(params: DataSourceParams): DataSource {
  const options: DataSourceOptions = {
    type: 'postgres',
    url: params.url,
    entities: params.entities ?? [],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    applicationName: params.applicationName ?? 'taza',
    extra: { max: params.poolSize ?? 10, connectionTimeoutMillis: 5000 },
  };
  return new DataSource(options);
}
