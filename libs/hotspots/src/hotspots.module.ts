import { Module } from '@nestjs/common';
import { HotspotsRepository } from './hotspots.repository.js';
import { HotspotsService } from './hotspots.service.js';

@Module({
  providers: [HotspotsRepository, HotspotsService],
  exports: [HotspotsService],
})
export class HotspotsModule {}
