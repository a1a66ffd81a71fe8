import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Queue, type DefaultJobOptions } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { ALL_QUEUES, type QueueName } from './queue-names.js';

/** Retries, backoff and retention for every job: one place, as the house rules ask. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5000 },
  // Completed jobs are kept a week so a re-published outbox row (same jobId) stays a no-op.
  removeOnComplete: { age: 7 * 24 * 3600, count: 50000 },
  // Failed jobs are kept a month, visible on /admin/queues.
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** Redis connection options for producers: fail fast instead of buffering while Redis is away. */
export function producerConnection(redisUrl: string) {
  return {
    url: redisUrl,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  };
}

/** Creates the product's queues on demand and closes them on shutdown. */
@Injectable()
export class QueueRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger(QueueRegistry.name);
  private queues = new Map<QueueName, Queue>();

  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: producerConnection(this.config.REDIS_URL),
        prefix: this.config.QUEUE_PREFIX,
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      // Without a listener an unreachable Redis would crash the process; the callers see the failures.
      queue.on('error', (err: Error) => this.logger.debug({ msg: 'queue connection error', queue: name, err: err.message }));
      this.queues.set(name, queue);
    }
    return queue;
  }

  all(): Queue[] {
    return ALL_QUEUES.map((name) => this.get(name));
  }

  /** Drops the connections so the next get() starts afresh (after Redis was unreachable). */
  async reset(): Promise<void> {
    const old = [...this.queues.values()];
    this.queues.clear();
    // Closing a queue whose Redis is gone can wait on the dead socket; never let it hold the caller.
    await Promise.race([
      Promise.all(old.map((q) => q.close().catch(() => undefined))),
      new Promise((resolve) => setTimeout(resolve, 1000).unref()),
    ]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reset();
  }
}
