import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Accounts1763900000002 implements MigrationInterface {
  name = 'Accounts1763900000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TYPE user_role AS ENUM ('resident', 'dispatcher', 'akim', 'admin')`);
    await q.query(`
      CREATE TABLE users (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email         text UNIQUE CHECK (email = lower(email) AND email ~ '^[^@\\s]+@[^@\\s]+$'),
        phone         text UNIQUE CHECK (phone ~ '^\\+[1-9][0-9]{7,14}$'),
        display_name  text CHECK (char_length(display_name) <= 100),
        password_hash text NOT NULL,
        role          user_role NOT NULL,
        -- Staff scope: a dispatcher's or akim's city (NULL for an akim with the national view).
        city_id       uuid REFERENCES cities(id) ON DELETE RESTRICT,
        -- A dispatcher may be limited to some districts of the city; empty means the whole city.
        district_ids  uuid[] NOT NULL DEFAULT '{}',
        disabled_at   timestamptz,
        password_changed_at timestamptz NOT NULL DEFAULT now(),
        created_by    uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CHECK (email IS NOT NULL OR phone IS NOT NULL),
        CHECK (role <> 'dispatcher' OR city_id IS NOT NULL),
        CHECK (role IN ('dispatcher', 'akim') OR city_id IS NULL)
      )`);
    await q.query(`CREATE INDEX users_city_role_idx ON users (city_id, role)`);

    // One row per signed-in session (a refresh-token family).
    await q.query(`
      CREATE TABLE sessions (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at    timestamptz NOT NULL DEFAULT now(),
        last_used_at  timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz NOT NULL,
        revoked_at    timestamptz,
        revoke_reason text,
        user_agent    text,
        ip            inet
      )`);
    await q.query(`CREATE INDEX sessions_user_idx ON sessions (user_id) WHERE revoked_at IS NULL`);

    // Refresh tokens are stored as SHA-256 hashes; each is used once and replaced (rotation).
    await q.query(`
      CREATE TABLE refresh_tokens (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id  uuid NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        token_hash  bytea NOT NULL UNIQUE,
        created_at  timestamptz NOT NULL DEFAULT now(),
        used_at     timestamptz
      )`);
    await q.query(`CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id)`);

    await q.query(`
      CREATE TABLE audit_log (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at          timestamptz NOT NULL DEFAULT now(),
        actor_id    uuid REFERENCES users(id) ON DELETE SET NULL,
        actor_role  text NOT NULL,
        action      text NOT NULL,
        object_type text NOT NULL,
        object_id   text,
        city_id     uuid REFERENCES cities(id) ON DELETE SET NULL,
        before      jsonb,
        after       jsonb,
        request_id  text
      )`);
    await q.query(`CREATE INDEX audit_log_city_at_idx ON audit_log (city_id, at DESC)`);
    await q.query(`CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`DROP TABLE sessions`);
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TYPE user_role`);
  }
}
