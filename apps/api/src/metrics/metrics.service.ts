import { Inject, Injectable } from '@nestjs/common';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ALL_QUEUES, OutboxRepository, QueueRegistry } from '../../../../libs/core/src/index.js';
import { withTimeout } from '../health/redis-probe.js';

/** Prometheus metrics of one API process (a registry per app, so tests can run several apps). */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(
    @Inject(QueueRegistry) queues: QueueRegistry,
    @Inject(OutboxRepository) outbox: OutboxRepository,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    new Gauge({
      name: 'queue_jobs',
      help: 'BullMQ jobs by queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        for (const name of ALL_QUEUES) {
          try {
            const counts = await withTimeout(queues.get(name).getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'), 1000);
            for (const [state, n] of Object.entries(counts)) this.set({ queue: name, state }, n);
          } catch {
            // Redis away: the health endpoint reports it; keep the last values out rather than lie.
            this.remove({ queue: name });
          }
        }
      },
    });
    new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox rows not yet published to the queues',
      registers: [this.registry],
      async collect() {
        try {
          this.set(await outbox.backlog());
        } catch {
          this.reset();
        }
      },
    });
  }

  observe(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_code: String(statusCode) }, seconds);
  }
}
