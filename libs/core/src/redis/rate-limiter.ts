import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RedisClient } from './redis-client.js';

export interface LimitResult {
  allowed: boolean;
  /** Seconds until another attempt may succeed (when not allowed). */
  retryAfterSeconds: number;
}

/**
 * Sliding-window limits kept in Redis, so they hold across every API process. When Redis does not
 * answer the limiter lets the request through (and logs it): an outage of the cache must not lock
 * every resident out of the service.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);

  constructor(@Inject(RedisClient) private readonly client: RedisClient) {}

  /** Counts an attempt (when `record`) and says whether it is within `limit` per `windowSeconds`. */
  async hit(bucket: string, limit: number, windowSeconds: number): Promise<LimitResult> {
    return this.check(bucket, limit, windowSeconds, true);
  }

  /** Says whether `bucket` already holds `limit` events in the window, without counting one. */
  async peek(bucket: string, limit: number, windowSeconds: number): Promise<LimitResult> {
    return this.check(bucket, limit, windowSeconds, false);
  }

  /** Records an event without asking (e.g. a failed login). */
  async record(bucket: string, windowSeconds: number): Promise<void> {
    const key = this.client.key('rl', bucket);
    const now = Date.now();
    try {
      await this.client.redis
        .multi()
        .zadd(key, now, `${now}:${randomUUID()}`)
        .zremrangebyscore(key, 0, now - windowSeconds * 1000)
        .pexpire(key, windowSeconds * 1000)
        .exec();
    } catch (err) {
      this.logger.warn({ msg: 'rate limit not recorded: Redis unavailable', bucket, err: (err as Error).message });
    }
  }

  async reset(bucket: string): Promise<void> {
    await this.client.redis.del(this.client.key('rl', bucket)).catch(() => undefined);
  }

  private async check(bucket: string, limit: number, windowSeconds: number, record: boolean): Promise<LimitResult> {
    const key = this.client.key('rl', bucket);
    const now = Date.now();
    const windowStart = now - windowSeconds * 1000;
    try {
      const tx = this.client.redis.multi().zremrangebyscore(key, 0, windowStart).zcard(key).zrange(key, 0, 0, 'WITHSCORES');
      const res = await tx.exec();
      const count = Number(res?.[1]?.[1] ?? 0);
      const oldest = Number((res?.[2]?.[1] as string[] | undefined)?.[1] ?? now);
      if (count >= limit) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowSeconds * 1000 - now) / 1000)) };
      }
      if (record) {
        await this.client.redis.multi().zadd(key, now, `${now}:${randomUUID()}`).pexpire(key, windowSeconds * 1000).exec();
      }
      return { allowed: true, retryAfterSeconds: 0 };
    } catch (err) {
      this.logger.warn({ msg: 'rate limit not checked: Redis unavailable', bucket, err: (err as Error).message });
      return { allowed: true, retryAfterSeconds: 0 };
    }
  }
}
