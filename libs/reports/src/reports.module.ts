import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { AppConfig, projectRoot } from '../../core/src/index.js';
import { LocalMediaStorage } from '../../media/src/index.js';
import { NotificationsModule } from '../../notifications/src/index.js';
import { ReportsRepository } from './reports.repository.js';
import { MEDIA_STORAGE, ReportsService } from './reports.service.js';

@Module({
  imports: [NotificationsModule],
  providers: [
    ReportsRepository,
    ReportsService,
    {
      provide: MEDIA_STORAGE,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new LocalMediaStorage(config.MEDIA_DIR ?? join(projectRoot(), 'var', 'media')),
    },
  ],
  exports: [ReportsService, ReportsRepository],
})
export class ReportsModule {}
