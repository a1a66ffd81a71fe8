import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PasswordResets1763900000006 implements MigrationInterface {
  name = 'PasswordResets1763900000006';

  async up(q: QueryRunner): Promise<void> {
    // Reset tokens are stored as SHA-256 hashes, expire in 30 minutes and work once.
    await q.query(`
      CREATE TABLE password_resets (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash  bytea NOT NULL UNIQUE,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL,
        used_at     timestamptz
      )`);
    await q.query(`CREATE INDEX password_resets_user_idx ON password_resets (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE password_resets`);
  }
}
