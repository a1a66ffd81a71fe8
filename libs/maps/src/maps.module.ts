import { Module } from '@nestjs/common';
import { ReportGridService } from './report-grid.service.js';
import { TileCache } from './tile-cache.js';
import { TilesRepository } from './tiles.repository.js';
import { TilesService } from './tiles.service.js';

/** Map tiles (MVT + TileJSON). Provide TILES_OPTIONS to turn the Redis tile cache off or change its TTL. */
@Module({ providers: [TilesRepository, TileCache, TilesService, ReportGridService], exports: [TilesService, ReportGridService] })
export class MapsModule {}
