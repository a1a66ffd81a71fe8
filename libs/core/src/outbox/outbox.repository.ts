import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { rowsOf } from '../database/sql.js';
import { JOB_QUEUE, type JobName, type JobPayloads } from '../queue/queue-names.js';

export interface OutboxRow {
  id: string;
  queue: string;
  jobName: string;
  payload: unknown;
  attempts: number;
}

/**
 * The transactional outbox: producers write a row in the same transaction as their domain change;
 * the worker's relay claims rows under a lease and publishes them to BullMQ with jobId = row id.
 */
@Injectable()
export class OutboxRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /** Writes one outbox row through the caller's transaction. */
  async enqueue<K extends JobName>(manager: EntityManager, jobName: K, payload: JobPayloads[K]): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO outbox (queue, job_name, payload) VALUES ($1, $2, $3::jsonb) RETURNING id::text AS id`,
      [JOB_QUEUE[jobName], jobName, JSON.stringify(payload)],
    );
    return rows[0].id;
  }

  /**
   * Takes up to `limit` unpublished rows whose lease is free or expired and leases them to `owner`.
   * SKIP LOCKED lets several relays run side by side without waiting on each other.
   */
  async claim(limit: number, leaseSeconds: number, owner: string): Promise<OutboxRow[]> {
    const result: unknown = await this.dataSource.query(
      `WITH next AS (
         SELECT id FROM outbox
          WHERE published_at IS NULL
            AND available_at <= now()
            AND (locked_until IS NULL OR locked_until < now())
          ORDER BY id
          LIMIT $1
          FOR UPDATE SKIP LOCKED)
       UPDATE outbox o
          SET locked_until = now() + make_interval(secs => $2), locked_by = $3, attempts = o.attempts + 1
         FROM next WHERE o.id = next.id
       RETURNING o.id::text AS id, o.queue, o.job_name AS "jobName", o.payload, o.attempts`,
      [limit, leaseSeconds, owner],
    );
    return rowsOf<OutboxRow>(result).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  async markPublished(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE outbox SET published_at = now(), locked_until = NULL, last_error = NULL WHERE id = ANY($1::bigint[]) AND published_at IS NULL`,
      [ids],
    );
  }

  /** Gives leased rows back, to be tried again after `delayMs`. */
  async release(ids: string[], delayMs: number, error: string): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE outbox SET locked_until = NULL, locked_by = NULL,
              available_at = now() + make_interval(secs => $2), last_error = left($3, 2000)
        WHERE id = ANY($1::bigint[]) AND published_at IS NULL`,
      [ids, delayMs / 1000, error],
    );
  }

  async backlog(): Promise<number> {
    const rows: { n: string }[] = await this.dataSource.query(`SELECT count(*)::text AS n FROM outbox WHERE published_at IS NULL`);
    return Number(rows[0].n);
  }

  /** Published rows older than the retention are deleted so the table stays small. */
  async prunePublished(olderThanDays: number): Promise<number> {
    const result: unknown = await this.dataSource.query(
      `DELETE FROM outbox WHERE published_at < now() - make_interval(days => $1) RETURNING id`,
      [olderThanDays],
    );
    return rowsOf(result).length;
  }
}
