import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Worker, type Job, type JobsOptions } from 'bullmq';
import { AppConfig, DEFAULT_JOB_OPTIONS, QueueName, QueueRegistry, type JobName, type JobPayloads } from '../../../../libs/core/src/index.js';
import { NotificationsService } from '../../../../libs/notifications/src/index.js';
import { ReportsService } from '../../../../libs/reports/src/index.js';
import { DispatchService } from '../../../../libs/dispatch/src/index.js';
import { ReportGridService } from '../../../../libs/maps/src/index.js';
import { LandfillsService } from '../../../../libs/landfills/src/index.js';
import { CamerasService, IncidentsService } from '../../../../libs/incidents/src/index.js';
import { HotspotsService } from '../../../../libs/hotspots/src/index.js';

/**
 * Concurrency per queue (and, where a job can run long, which AppConfig setting holds its lock duration),
 * and the repeatable jobs: the one place to tune the worker.
 */
export const PROCESSING: Partial<Record<QueueName, { concurrency: number; lockDurationFrom?: 'HOTSPOT_JOB_LOCK_MS' }>> = {
  [QueueName.Notifications]: { concurrency: 5 },
  [QueueName.Sla]: { concurrency: 1 },
  [QueueName.Dispatch]: { concurrency: 2 },
  [QueueName.Maps]: { concurrency: 1 },
  [QueueName.Landfills]: { concurrency: 2 },
  // Each job is one ingest request's incidents (up to 500); conversions lock per ~100 m cell.
  [QueueName.Incidents]: { concurrency: 4 },
  // One clustering run at a time per worker process; runs of one city are also serialised in PostgreSQL.
  [QueueName.Hotspots]: { concurrency: 1, lockDurationFrom: 'HOTSPOT_JOB_LOCK_MS' },
};

/** A repeatable job: every N ms or a cron pattern (UTC), with optional job options (e.g. a lock-friendly attempts). */
export interface Schedule {
  queue: QueueName;
  id: string;
  job: JobName;
  every?: number;
  pattern?: string;
  opts?: JobsOptions;
}

export const SCHEDULES: Schedule[] = [
  { queue: QueueName.Sla, id: 'reports.autoclose.hourly', every: 60 * 60 * 1000, job: 'reports.autoclose' },
  { queue: QueueName.Sla, id: 'sla.scan.5min', every: 5 * 60 * 1000, job: 'sla.scan' },
  // Folds the low-zoom tile aggregates' deltas; a failed run is simply the next run's work (no retries),
  // and runs every 5 s are not worth keeping.
  { queue: QueueName.Maps, id: 'maps.fold-grid.5s', every: 5000, job: 'maps.fold-grid', opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } } },
  // Landfills: every forecast just after midnight in Kazakhstan (UTC+5); reminders of unacknowledged
  // critical alerts checked each morning (each alert is re-sent once a week).
  { queue: QueueName.Landfills, id: 'landfills.forecast-all.daily', pattern: '10 19 * * *', job: 'landfills.forecast-all' },
  { queue: QueueName.Landfills, id: 'landfills.alerts-resend.daily', pattern: '0 3 * * *', job: 'landfills.alerts-resend' },
  { queue: QueueName.Incidents, id: 'cameras.offline-scan.1min', every: 60 * 1000, job: 'cameras.offline-scan' },
  // 21:00 UTC is 02:00 in Kazakhstan (UTC+5): every city reclustered while nobody reports.
  { queue: QueueName.Hotspots, id: 'hotspots.nightly', pattern: '0 21 * * *', job: 'hotspots.nightly' },
];

type Handlers = { [K in JobName]?: (data: JobPayloads[K], job: Job) => Promise<unknown> };

/**
 * Runs the BullMQ processors of this worker process. Handlers are thin: they call one service method,
 * which re-reads state and does nothing when the work is already done (jobs may run twice).
 */
@Injectable()
export class QueueWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(QueueWorkers.name);
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(QueueRegistry) private readonly queues: QueueRegistry,
    @Inject(NotificationsService) private readonly notifications: NotificationsService,
    @Inject(ReportsService) private readonly reports: ReportsService,
    @Inject(DispatchService) private readonly dispatch: DispatchService,
    @Inject(ReportGridService) private readonly grid: ReportGridService,
    @Inject(LandfillsService) private readonly landfills: LandfillsService,
    @Inject(IncidentsService) private readonly incidents: IncidentsService,
    @Inject(CamerasService) private readonly cameras: CamerasService,
    @Inject(HotspotsService) private readonly hotspots: HotspotsService,
  ) {}

  private handlers(): Handlers {
    return {
      'notifications.send': (data, job) => this.notifications.send(data.notificationId, job.attemptsMade + 1 >= (job.opts.attempts ?? 1)),
      'reports.autoclose': () => this.reports.closeUnrated(),
      'sla.scan': (data) => this.dispatch.scanSla(new Date(), data.cityId ?? null),
      'dispatch.follow_up': (data) => this.dispatch.followUp(data.reportId, data.reopenCount),
      'maps.fold-grid': () => this.grid.fold(),
      'landfills.forecast': (data) => this.landfills.refresh(data.landfillId),
      'landfills.forecast-all': () => this.landfills.refreshAll(),
      'landfills.alerts-resend': () => this.landfills.resendAlerts(),
      'incidents.process': (data) => this.incidents.process(data.incidentIds),
      'cameras.offline-scan': () => this.cameras.scanOffline(),
      'hotspots.recluster': (data, job) => this.hotspots.handleRecluster(data, job.id),
      'hotspots.nightly': () => this.hotspots.scheduleNightly(),
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    const handlers = this.handlers();
    for (const [queue, settings] of Object.entries(PROCESSING) as [QueueName, { concurrency: number; lockDurationFrom?: 'HOTSPOT_JOB_LOCK_MS' }][]) {
      const worker = new Worker(
        queue,
        async (job: Job) => {
          const handler = handlers[job.name as JobName] as ((data: unknown, job: Job) => Promise<unknown>) | undefined;
          if (!handler) throw new Error(`no handler for job ${job.name} on queue ${queue}`);
          return handler(job.data, job);
        },
        {
          connection: { url: this.config.REDIS_URL, maxRetriesPerRequest: null },
          prefix: this.config.QUEUE_PREFIX,
          concurrency: settings.concurrency,
          ...(settings.lockDurationFrom ? { lockDuration: this.config[settings.lockDurationFrom] } : {}),
        },
      );
      worker.on('error', (err) => this.logger.warn({ msg: 'queue worker connection error', queue, err: err.message }));
      worker.on('failed', (job, err) => {
        const exhausted = job && job.attemptsMade >= (job.opts.attempts ?? DEFAULT_JOB_OPTIONS.attempts ?? 1);
        const entry = { msg: exhausted ? 'job failed for good: see /admin/queues' : 'job failed; will retry', queue, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: err.message };
        if (exhausted) this.logger.error(entry);
        else this.logger.warn(entry);
      });
      this.workers.push(worker);
    }
    for (const s of SCHEDULES) {
      await this.queues
        .get(s.queue)
        .upsertJobScheduler(s.id, s.pattern ? { pattern: s.pattern, tz: 'UTC' } : { every: s.every }, { name: s.job, data: {}, opts: s.opts })
        .catch((err: Error) => this.logger.warn({ msg: 'could not schedule a repeatable job (Redis away?)', schedule: s.id, err: err.message }));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // Lets jobs in flight finish, then closes the connections; a Redis that went away must not hold the
    // shutdown, so after a grace period the workers are closed without waiting (their jobs are retried).
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());
    await Promise.all(
      this.workers.splice(0).map(async (w) => {
        const closed = await Promise.race([w.close().then(() => true), sleep(5000).then(() => false)]);
        if (!closed) {
          this.logger.warn({ msg: 'queue worker did not close in time; forcing', queue: w.name });
          await Promise.race([w.close(true), sleep(1000)]);
          await Promise.race([w.disconnect(), sleep(1000)]);
        }
      }),
    );
  }
}
