import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1763900000004 implements MigrationInterface {
  name = 'Notifications1763900000004';

  async up(q: QueryRunner): Promise<void> {
    // Each message is a row first (written with the change that causes it), then a job: nothing is lost
    // when Redis or the mail server is away, and a retried job never sends twice.
    await q.query(`
      CREATE TABLE notifications (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        channel     text NOT NULL CHECK (channel IN ('email')),
        recipient   text NOT NULL,
        subject     text NOT NULL,
        body        text NOT NULL,
        report_id   uuid REFERENCES reports(id) ON DELETE CASCADE,
        status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts    integer NOT NULL DEFAULT 0,
        last_error  text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        sent_at     timestamptz
      )`);
    await q.query(`CREATE INDEX notifications_pending_idx ON notifications (created_at) WHERE status <> 'sent'`);
    await q.query(`CREATE INDEX notifications_report_idx ON notifications (report_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notifications`);
  }
}
