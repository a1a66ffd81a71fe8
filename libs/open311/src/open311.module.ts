import { Module } from '@nestjs/common';
import { ReportsModule } from '../../reports/src/index.js';
import { Open311ClientsModule } from './open311-clients.module.js';
import { Open311RequestsRepository } from './open311-requests.repository.js';
import { Open311Service } from './open311.service.js';

@Module({
  imports: [ReportsModule, Open311ClientsModule],
  providers: [Open311RequestsRepository, Open311Service],
  exports: [Open311Service, Open311ClientsModule],
})
export class Open311Module {}
