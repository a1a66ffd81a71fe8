import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../../../../libs/core/src/index.js';

/** A Redis connection that answers "is Redis there?" at once instead of queueing commands. */
@Injectable()
export class RedisProbe implements OnApplicationShutdown {
  private readonly client: Redis;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.client = new Redis(config.REDIS_URL, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      retryStrategy: () => 1000,
    });
    this.client.on('error', () => undefined);
    this.client.connect().catch(() => undefined);
  }

  async ping(timeoutMs = 1000): Promise<{ ok: boolean; version?: string; error?: string }> {
    try {
      const info = await withTimeout(this.client.info('server'), timeoutMs);
      const version = /redis_version:([^\r\n]+)/.exec(info)?.[1];
      return { ok: true, version };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.client.disconnect();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
