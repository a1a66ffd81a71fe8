import { Module, type DynamicModule } from '@nestjs/common';
import {
  AppConfig,
  ConfigModule,
  DatabaseModule,
  LoggingModule,
  OutboxModule,
  QueueModule,
} from '../../../libs/core/src/index.js';
import { CitiesModule } from '../../../libs/cities/src/index.js';
import { CitiesController } from './cities/cities.controller.js';
import { HealthController } from './health/health.controller.js';
import { RedisProbe } from './health/redis-probe.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsService } from './metrics/metrics.service.js';

@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot('api'),
        DatabaseModule.forRoot({ applicationName: 'taza-api' }),
        QueueModule,
        OutboxModule,
        CitiesModule,
      ],
      controllers: [HealthController, MetricsController, CitiesController],
      providers: [RedisProbe, MetricsService],
    };
  }
}
