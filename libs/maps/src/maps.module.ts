import { Module } from '@nestjs/common';
import { AppConfig } from '../../core/src/index.js';
import { ReportGridService } from './report-grid.service.js';
import { TileCache } from './tile-cache.js';
import { TilesRepository } from './tiles.repository.js';
import { TILES_OPTIONS, TilesService, tilesOptionsFrom } from './tiles.service.js';

/** Map tiles (MVT + TileJSON) and the low-zoom aggregates' housekeeping; tile caches from AppConfig. */
@Module({
  providers: [
    TilesRepository,
    TileCache,
    TilesService,
    ReportGridService,
    { provide: TILES_OPTIONS, inject: [AppConfig], useFactory: (config: AppConfig) => tilesOptionsFrom(config) },
  ],
  exports: [TilesService, ReportGridService],
})
export class MapsModule {}
