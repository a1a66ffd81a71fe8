import { Module } from '@nestjs/common';
import { NotificationsModule } from '../../notifications/src/index.js';
import { LandfillsRepository } from './landfills.repository.js';
import { LandfillsService } from './landfills.service.js';

@Module({
  imports: [NotificationsModule],
  providers: [LandfillsRepository, LandfillsService],
  exports: [LandfillsService],
})
export class LandfillsModule {}
