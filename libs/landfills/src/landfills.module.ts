import { Module } from '@nestjs/common';
import { AuditModule } from '../../accounts/src/index.js';
import { NotificationsModule } from '../../notifications/src/index.js';
import { LandfillsRepository } from './landfills.repository.js';
import { LandfillsService } from './landfills.service.js';

@Module({
  imports: [NotificationsModule, AuditModule],
  providers: [LandfillsRepository, LandfillsService],
  exports: [LandfillsService],
})
export class LandfillsModule {}
