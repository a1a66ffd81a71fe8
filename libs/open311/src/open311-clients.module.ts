import { Module } from '@nestjs/common';
import { AccountsModule } from '../../accounts/src/index.js';
import { Open311ClientsRepository } from './open311-clients.repository.js';
import { Open311ClientsService } from './open311-clients.service.js';

/** Open311 API keys on their own, so the CLI can seed the demo client without the reports stack. */
@Module({
  imports: [AccountsModule],
  providers: [Open311ClientsRepository, Open311ClientsService],
  exports: [Open311ClientsService],
})
export class Open311ClientsModule {}
