import { Module, type DynamicModule } from '@nestjs/common';
import {
  AppConfig,
  ConfigModule,
  DatabaseModule,
  LoggingModule,
  OutboxModule,
  QueueModule,
  RedisModule,
} from '../../../libs/core/src/index.js';
import { APP_GUARD } from '@nestjs/core';
import { AccountsModule } from '../../../libs/accounts/src/index.js';
import { ReportsModule } from '../../../libs/reports/src/index.js';
import { DispatchModule } from '../../../libs/dispatch/src/index.js';
import { DispatchController } from './dispatch/dispatch.controller.js';
import { LandfillsModule } from '../../../libs/landfills/src/index.js';
import { LandfillsController } from './landfills/landfills.controller.js';
import { ReportsController } from './reports/reports.controller.js';
import { AdminCategoriesController } from './reports/admin-categories.controller.js';
import { AuthController } from './auth/auth.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { UsersController } from './auth/users.controller.js';
import { CitiesModule } from '../../../libs/cities/src/index.js';
import { CitiesController } from './cities/cities.controller.js';
import { HealthController } from './health/health.controller.js';
import { RedisProbe } from './health/redis-probe.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsService } from './metrics/metrics.service.js';
import { Open311Module } from '../../../libs/open311/src/index.js';
import { Open311Controller } from './open311/open311.controller.js';
import { Open311ClientsController } from './open311/open311-clients.controller.js';
import { MapsModule } from '../../../libs/maps/src/index.js';
import { TilesController } from './maps/tiles.controller.js';
import { OgcModule } from '../../../libs/ogc/src/index.js';
import { OgcController } from './ogc/ogc.controller.js';
import { OgcExportController } from './ogc/ogc-export.controller.js';
import { IncidentsModule } from '../../../libs/incidents/src/index.js';
import { CamerasController } from './incidents/cameras.controller.js';
import { IncidentsController } from './incidents/incidents.controller.js';
import { ClientConfigController } from './client-config/client-config.controller.js';
import { HotspotsModule } from '../../../libs/hotspots/src/index.js';
import { HotspotsController } from './hotspots/hotspots.controller.js';

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
        RedisModule,
        CitiesModule,
        AccountsModule,
        ReportsModule,
        Open311Module,
        OgcModule,
        MapsModule,
        DispatchModule,
        LandfillsModule,
        IncidentsModule,
        HotspotsModule,
      ],
      controllers: [HealthController, MetricsController, CitiesController, AuthController, UsersController, ReportsController, AdminCategoriesController, Open311Controller, Open311ClientsController, OgcController, OgcExportController, TilesController, DispatchController, LandfillsController, CamerasController, IncidentsController, ClientConfigController, HotspotsController],
      providers: [RedisProbe, MetricsService, { provide: APP_GUARD, useClass: AuthGuard }],
    };
  }
}
