import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { AppConfig, projectRoot } from '../../core/src/index.js';
import { LocalMediaStorage } from '../../media/src/index.js';
import { NotificationsModule } from '../../notifications/src/index.js';
import { AuditModule } from '../../accounts/src/index.js';
import { CategoriesRepository } from './categories.repository.js';
import { CategoriesService } from './categories.service.js';
import { ReportStatsRepository } from './report-stats.repository.js';
import { ReportStatsService } from './report-stats.service.js';
import { ReportsRepository } from './reports.repository.js';
import { MEDIA_STORAGE, ReportsService } from './reports.service.js';

@Module({
  imports: [NotificationsModule, AuditModule],
  providers: [
    ReportsRepository,
    ReportsService,
    ReportStatsRepository,
    ReportStatsService,
    CategoriesRepository,
    CategoriesService,
    {
      provide: MEDIA_STORAGE,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new LocalMediaStorage(config.MEDIA_DIR ?? join(projectRoot(), 'var', 'media')),
    },
  ],
  exports: [ReportsService, ReportsRepository, ReportStatsService, CategoriesService],
})
export class ReportsModule {}
