import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { AppConfig, projectRoot } from '../../core/src/index.js';
import { LocalMediaStorage } from '../../media/src/index.js';
import { ReportsModule } from '../../reports/src/index.js';
import { CamerasRepository } from './cameras.repository.js';
import { CamerasService } from './cameras.service.js';
import { IncidentsRepository } from './incidents.repository.js';
import { INCIDENT_MEDIA_STORAGE, IncidentsService } from './incidents.service.js';

@Module({
  imports: [ReportsModule],
  providers: [
    CamerasRepository,
    CamerasService,
    IncidentsRepository,
    IncidentsService,
    {
      provide: INCIDENT_MEDIA_STORAGE,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new LocalMediaStorage(config.MEDIA_DIR ?? join(projectRoot(), 'var', 'media')),
    },
  ],
  exports: [CamerasService, IncidentsService],
})
export class IncidentsModule {}
