import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RedisClient } from '../../core/src/index.js';

/**
 * Tiles kept in Redis for a short while, shared by every API process. Keys carry the layer's version,
 * so a changed layer is never served from an older entry. When Redis does not answer, tiles are built
 * every time: a cache outage must not take the map down.
 */
@Injectable()
export class TileCache {
  private readonly logger = new Logger(TileCache.name);
  private warned = 0;

  constructor(@Inject(RedisClient) private readonly client: RedisClient) {}

  key(layer: string, version: string, parts: string): string {
    // Filters can be long; hash them so keys stay short.
    return this.client.key('tiles', layer, version, createHash('sha1').update(parts).digest('base64url'));
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await this.client.redis.getBuffer(key);
    } catch (err) {
      this.warn(err);
      return null;
    }
  }

  async set(key: string, tile: Buffer, ttlSeconds: number): Promise<void> {
    try {
      await this.client.redis.set(key, tile, 'EX', ttlSeconds);
    } catch (err) {
      this.warn(err);
    }
  }

  private warn(err: unknown): void {
    // One line a minute at most while Redis is away.
    if (Date.now() - this.warned < 60_000) return;
    this.warned = Date.now();
    this.logger.warn({ msg: 'tile cache unavailable: building tiles without it', err: (err as Error).message });
  }
}
