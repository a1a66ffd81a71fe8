import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf } from '../../core/src/index.js';

export interface NotificationRow {
  id: string;
  channel: 'email';
  recipient: string;
  subject: string;
  body: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
}

/** All SQL about outgoing messages. */
@Injectable()
export class NotificationsRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, n: { recipient: string; subject: string; body: string; reportId: string | null }): Promise<string> {
    const [row]: { id: string }[] = await manager.query(
      `INSERT INTO notifications (channel, recipient, subject, body, report_id) VALUES ('email', $1, $2, $3, $4) RETURNING id`,
      [n.recipient, n.subject, n.body, n.reportId],
    );
    return row.id;
  }

  /** Claims a message for sending: counts the attempt; null when it was sent already. */
  async claim(id: string): Promise<NotificationRow | null> {
    const result = await this.dataSource.query(
      `UPDATE notifications SET attempts = attempts + 1 WHERE id = $1 AND status <> 'sent'
       RETURNING id, channel, recipient, subject, body, status, attempts`,
      [id],
    );
    return rowsOf<NotificationRow>(result)[0] ?? null;
  }

  async markSent(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE notifications SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1`, [id]);
  }

  async markFailed(id: string, error: string, final: boolean): Promise<void> {
    await this.dataSource.query(`UPDATE notifications SET last_error = left($2, 2000), status = CASE WHEN $3 THEN 'failed' ELSE status END WHERE id = $1`, [id, error, final]);
  }
}
