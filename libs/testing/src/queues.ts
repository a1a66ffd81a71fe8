import { Queue } from 'bullmq';
import { ALL_QUEUES, type AppConfig, type QueueName } from '../../core/src/index.js';

/** Reads a queue's jobs the way a processor would see them (test inspection helper). */
export async function jobsIn(config: AppConfig, name: QueueName, redisUrl = config.REDIS_URL) {
  const queue = new Queue(name, { connection: { url: redisUrl }, prefix: config.QUEUE_PREFIX });
  try {
    return await queue.getJobs(['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'], 0, -1);
  } finally {
    await queue.close();
  }
}

/** Removes every queue key of this test's prefix. */
export async function obliterateQueues(config: AppConfig, redisUrl = config.REDIS_URL): Promise<void> {
  for (const name of ALL_QUEUES as QueueName[]) {
    const queue = new Queue(name, { connection: { url: redisUrl, maxRetriesPerRequest: 1 }, prefix: config.QUEUE_PREFIX });
    queue.on('error', () => undefined);
    try {
      await queue.obliterate({ force: true });
    } catch {
      // Redis gone already: nothing to clean.
    } finally {
      await queue.close().catch(() => undefined);
    }
  }
}
