import { Global, Module } from '@nestjs/common';
import { RateLimiter } from './rate-limiter.js';
import { RedisClient } from './redis-client.js';

@Global()
@Module({ providers: [RedisClient, RateLimiter], exports: [RedisClient, RateLimiter] })
export class RedisModule {}
