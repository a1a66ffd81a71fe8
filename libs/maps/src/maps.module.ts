import { Module } from '@nestjs/common';
import { TileCache } from './tile-cache.js';
import { TilesRepository } from './tiles.repository.js';
import { TilesService } from './tiles.service.js';

/** Map tiles (MVT + TileJSON). Provide TILES_OPTIONS to turn the Redis tile cache off or change its TTL. */
@Module({ providers: [TilesRepository, TileCache, TilesService], exports: [TilesService] })
export class MapsModule {}
