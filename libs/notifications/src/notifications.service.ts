import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig, OutboxRepository } from '../../core/src/index.js';
import { Mailer, MailerNotConfigured } from './mailer.js';
import { NotificationsRepository } from './notifications.repository.js';
import { reportStatusEmail, type ReportChange } from './report-emails.js';

/** Queues messages with the change that causes them, and sends them from the worker. */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(NotificationsRepository) private readonly repository: NotificationsRepository,
    @Inject(OutboxRepository) private readonly outbox: OutboxRepository,
    @Inject(Mailer) private readonly mailer: Mailer,
  ) {}

  /** Inside the caller's transaction: one email row per recipient and an outbox row to send it. */
  async reportChanged(manager: EntityManager, recipients: string[], change: Omit<ReportChange, 'publicUrl'>): Promise<void> {
    const { subject, body } = reportStatusEmail({ ...change, publicUrl: this.config.PUBLIC_URL });
    for (const recipient of [...new Set(recipients.map((r) => r.toLowerCase()))]) {
      const id = await this.repository.insert(manager, { recipient, subject, body, reportId: change.reportId });
      await this.outbox.enqueue(manager, 'notifications.send', { notificationId: id });
    }
  }

  /** Inside the caller's transaction: one email and an outbox row to send it. */
  async email(manager: EntityManager, to: string, subject: string, body: string): Promise<void> {
    const id = await this.repository.insert(manager, { recipient: to.toLowerCase(), subject, body, reportId: null });
    await this.outbox.enqueue(manager, 'notifications.send', { notificationId: id });
  }

  get publicUrl(): string {
    return this.config.PUBLIC_URL.replace(/\/$/, '');
  }

  /** The job: sends once; a retry after success does nothing. Throws to let BullMQ retry. */
  async send(notificationId: string, finalAttempt: boolean): Promise<'sent' | 'already-sent' | 'not-configured'> {
    const n = await this.repository.claim(notificationId);
    if (!n) return 'already-sent';
    try {
      await this.mailer.send({ to: n.recipient, subject: n.subject, text: n.body });
      await this.repository.markSent(n.id);
      return 'sent';
    } catch (err) {
      if (err instanceof MailerNotConfigured) {
        await this.repository.markFailed(n.id, err.message, true);
        this.logger.warn({ msg: 'email not sent: SMTP_URL is not configured', notificationId });
        return 'not-configured';
      }
      await this.repository.markFailed(n.id, (err as Error).message, finalAttempt);
      throw err;
    }
  }
}
