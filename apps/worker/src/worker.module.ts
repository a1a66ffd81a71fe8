import { Inject, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import {
  AppConfig,
  ConfigModule,
  DatabaseModule,
  LoggingModule,
  OutboxModule,
  QueueModule,
  RedisModule,
} from '../../../libs/core/src/index.js';
import { NotificationsModule } from '../../../libs/notifications/src/index.js';
import { ReportsModule } from '../../../libs/reports/src/index.js';
import { DispatchModule } from '../../../libs/dispatch/src/index.js';
import { MapsModule } from '../../../libs/maps/src/index.js';
import { LandfillsModule } from '../../../libs/landfills/src/index.js';
import { IncidentsModule } from '../../../libs/incidents/src/index.js';
import { HotspotsModule } from '../../../libs/hotspots/src/index.js';
import { QueueWorkers } from './jobs/queue-workers.js';
import { OutboxRelay } from './outbox/outbox-relay.js';

@Module({})
export class WorkerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(OutboxRelay) private readonly relay: OutboxRelay) {}

  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot('worker'),
        DatabaseModule.forRoot({ applicationName: 'taza-worker' }),
        QueueModule,
        OutboxModule,
        RedisModule,
        NotificationsModule,
        ReportsModule,
        DispatchModule,
        MapsModule,
        LandfillsModule,
        IncidentsModule,
        HotspotsModule,
      ],
      providers: [OutboxRelay, QueueWorkers],
      exports: [OutboxRelay],
    };
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
