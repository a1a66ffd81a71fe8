import { Module } from '@nestjs/common';
import { OgcRepository } from './ogc.repository.js';
import { OgcService } from './ogc.service.js';

@Module({
  providers: [OgcRepository, OgcService],
  exports: [OgcService],
})
export class OgcModule {}
