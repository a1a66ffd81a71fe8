import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { AppConfig, OutboxRepository, QueueRegistry, type OutboxRow, type QueueName } from '../../../../libs/core/src/index.js';

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

/** BullMQ refuses all-digit custom ids (they could clash with its own); the outbox id gets a prefix. */
export function outboxJobId(outboxId: string): string {
  return `outbox-${outboxId}`;
}

/**
 * Publishes outbox rows to BullMQ, oldest first, with jobId = outbox id so a row published twice
 * (after a lease expired) is still one job. While Redis is away, rows stay in PostgreSQL and the
 * relay backs off exponentially up to OUTBOX_MAX_BACKOFF_MS.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private failures = 0;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(QueueRegistry) private readonly queues: QueueRegistry,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
    this.logger.log({ msg: 'outbox relay started', owner: this.owner });
  }

  /** Stops after the batch in flight; rows it had claimed but not published return when their lease ends. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** One pass: claim a batch and publish it. Returns how many rows were published. */
  async relayOnce(): Promise<number> {
    const rows = await this.outbox.claim(this.config.OUTBOX_BATCH_SIZE, this.config.OUTBOX_LEASE_SECONDS, this.owner);
    if (rows.length === 0) return 0;
    try {
      await this.publish(rows);
    } catch (err) {
      this.failures += 1;
      const delay = this.backoffMs();
      await this.outbox.release(rows.map((r) => r.id), delay, (err as Error).message).catch(() => undefined);
      await this.queues.reset();
      throw err;
    }
    await this.outbox.markPublished(rows.map((r) => r.id));
    this.failures = 0;
    return rows.length;
  }

  private async publish(rows: OutboxRow[]): Promise<void> {
    const byQueue = new Map<string, OutboxRow[]>();
    for (const row of rows) byQueue.set(row.queue, [...(byQueue.get(row.queue) ?? []), row]);
    for (const [name, batch] of byQueue) {
      const queue: Queue = this.queues.get(name as QueueName);
      await withTimeout(
        queue.addBulk(batch.map((row) => ({ name: row.jobName, data: row.payload, opts: { jobId: outboxJobId(row.id) } }))),
        5000,
      );
    }
  }

  private backoffMs(): number {
    return Math.min(this.config.OUTBOX_MAX_BACKOFF_MS, 250 * 2 ** Math.min(this.failures, 16));
  }

  private async run(): Promise<void> {
    while (this.running) {
      let pause = this.config.OUTBOX_POLL_MS;
      try {
        const published = await this.relayOnce();
        if (published > 0) {
          this.logger.debug({ msg: 'outbox rows published', count: published });
          pause = 0;
        }
      } catch (err) {
        pause = this.backoffMs();
        this.logger.warn({ msg: 'outbox relay could not publish; will retry', err: (err as Error).message, retryInMs: pause });
      }
      if (pause > 0 && this.running) await this.sleep(pause);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }
}
