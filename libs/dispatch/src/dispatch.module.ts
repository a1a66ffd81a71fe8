import { Module } from '@nestjs/common';
import { IncidentsModule } from '../../incidents/src/index.js';
import { HotspotsModule } from '../../hotspots/src/index.js';
import { ReportsModule } from '../../reports/src/index.js';
import { CrewsRepository } from './crews.repository.js';
import { DispatchService } from './dispatch.service.js';
import { SlaRepository } from './sla.repository.js';
import { WorkOrdersRepository } from './work-orders.repository.js';

@Module({
  imports: [ReportsModule, IncidentsModule, HotspotsModule],
  providers: [CrewsRepository, WorkOrdersRepository, SlaRepository, DispatchService],
  exports: [DispatchService],
})
export class DispatchModule {}
