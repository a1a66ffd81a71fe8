import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dispatch: crews (with crew accounts that sign in on the crew's phone), work orders over reports,
 * their history, SLA targets per city and the SLA flags the scan job raises.
 */
export class Dispatch1763900000013 implements MigrationInterface {
  name = 'Dispatch1763900000013';

  async up(q: QueryRunner): Promise<void> {
    // Not used as an enum literal in this transaction (PostgreSQL forbids that); checks compare text.
    await q.query(`ALTER TYPE user_role ADD VALUE IF NOT EXISTS 'crew'`);
    await q.query(`
      CREATE TABLE crews (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        city_id      uuid NOT NULL REFERENCES cities(id),
        name         text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        capacity_m3  numeric(8, 2) NOT NULL CHECK (capacity_m3 > 0 AND capacity_m3 <= 100),
        depot        geometry(Point, 4326) NOT NULL,
        shift_start  time NOT NULL DEFAULT '08:00',
        shift_end    time NOT NULL DEFAULT '18:00' CHECK (shift_end > shift_start),
        active       boolean NOT NULL DEFAULT true,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        UNIQUE (city_id, name)
      )`);
    await q.query(`ALTER TABLE users ADD COLUMN crew_id uuid REFERENCES crews(id) ON DELETE SET NULL`);
    await q.query(`
      DO $$ DECLARE c record; BEGIN
        FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'users'::regclass AND contype = 'c'
                  AND pg_get_constraintdef(oid) LIKE '%city_id IS NULL%' LOOP
          EXECUTE format('ALTER TABLE users DROP CONSTRAINT %I', c.conname);
        END LOOP;
      END $$`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_city_scope_check CHECK (role::text IN ('dispatcher', 'akim', 'crew') OR city_id IS NULL)`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_crew_city_check CHECK (role::text <> 'crew' OR city_id IS NOT NULL)`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_crew_role_check CHECK (crew_id IS NULL OR role::text = 'crew')`);

    await q.query(`
      CREATE TABLE work_orders (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        city_id       uuid NOT NULL REFERENCES cities(id),
        hotspot_id    uuid,
        title         text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
        status        text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
        priority      integer NOT NULL DEFAULT 0,
        scheduled_for date NOT NULL,
        crew_id       uuid REFERENCES crews(id),
        location      geometry(Point, 4326) NOT NULL,
        estimated_volume_m3 numeric(10, 2) NOT NULL DEFAULT 0,
        removed_volume_m3   numeric(10, 2) CHECK (removed_volume_m3 >= 0),
        completion_note text,
        cancel_reason text,
        -- A follow-up re-opened by a resident's low rating; the key makes that happen once per return.
        follow_up_of  uuid REFERENCES work_orders(id),
        follow_up_key text UNIQUE,
        created_by    uuid REFERENCES users(id) ON DELETE SET NULL,
        started_at    timestamptz,
        completed_at  timestamptz,
        cancelled_at  timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX work_orders_city_day_idx ON work_orders (city_id, scheduled_for, status)`);
    await q.query(`CREATE INDEX work_orders_crew_day_idx ON work_orders (crew_id, scheduled_for)`);
    await q.query(`
      CREATE TABLE work_order_reports (
        work_order_id uuid NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
        report_id     uuid NOT NULL REFERENCES reports(id),
        PRIMARY KEY (work_order_id, report_id)
      )`);
    await q.query(`CREATE INDEX work_order_reports_report_idx ON work_order_reports (report_id)`);
    await q.query(`
      CREATE TABLE work_order_history (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        work_order_id uuid NOT NULL REFERENCES work_orders(id) ON DELETE CASCADE,
        event         text NOT NULL,
        from_status   text,
        to_status     text,
        actor_id      uuid REFERENCES users(id) ON DELETE SET NULL,
        actor_role    text NOT NULL,
        note          text,
        at            timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX work_order_history_order_idx ON work_order_history (work_order_id, at)`);
    // A work order's "after" photos are stored once and shown on each of its reports.
    await q.query(`ALTER TABLE report_media DROP CONSTRAINT report_media_storage_key_key`);
    await q.query(`ALTER TABLE report_media DROP CONSTRAINT report_media_thumb_key_key`);
    await q.query(`CREATE INDEX report_media_storage_key_idx ON report_media (storage_key)`);
    await q.query(`ALTER TABLE report_media ADD COLUMN work_order_id uuid REFERENCES work_orders(id) ON DELETE SET NULL`);

    // SLA targets per city (NULL category = every category without its own row); defaults live in code.
    await q.query(`
      CREATE TABLE sla_targets (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        city_id        uuid NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
        category_code  text REFERENCES categories(code) ON UPDATE CASCADE,
        register_hours integer NOT NULL CHECK (register_hours BETWEEN 1 AND 8760),
        resolve_hours  integer NOT NULL CHECK (resolve_hours BETWEEN 1 AND 8760)
      )`);
    await q.query(`CREATE UNIQUE INDEX sla_targets_city_category_key ON sla_targets (city_id, coalesce(category_code, ''))`);
    await q.query(`
      CREATE TABLE sla_flags (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        city_id     uuid NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
        object_type text NOT NULL CHECK (object_type IN ('report', 'work_order')),
        object_id   uuid NOT NULL,
        kind        text NOT NULL CHECK (kind IN ('register', 'resolve', 'complete')),
        due_at      timestamptz NOT NULL,
        flagged_at  timestamptz NOT NULL DEFAULT now(),
        cleared_at  timestamptz,
        UNIQUE (object_type, object_id, kind)
      )`);
    await q.query(`CREATE INDEX sla_flags_open_idx ON sla_flags (city_id) WHERE cleared_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sla_flags`);
    await q.query(`DROP TABLE sla_targets`);
    await q.query(`ALTER TABLE report_media DROP COLUMN work_order_id`);
    await q.query(`DROP INDEX report_media_storage_key_idx`);
    await q.query(`ALTER TABLE report_media ADD CONSTRAINT report_media_storage_key_key UNIQUE (storage_key)`);
    await q.query(`ALTER TABLE report_media ADD CONSTRAINT report_media_thumb_key_key UNIQUE (thumb_key)`);
    await q.query(`DROP TABLE work_order_history`);
    await q.query(`DROP TABLE work_order_reports`);
    await q.query(`DROP TABLE work_orders`);
    await q.query(`DELETE FROM users WHERE role::text = 'crew'`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_crew_role_check`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_crew_city_check`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_city_scope_check`);
    await q.query(`ALTER TABLE users ADD CHECK (role IN ('dispatcher', 'akim') OR city_id IS NULL)`);
    await q.query(`ALTER TABLE users DROP COLUMN crew_id`);
    await q.query(`DROP TABLE crews`);
    // PostgreSQL cannot drop an enum value; 'crew' stays in user_role unused (the accounts migration's
    // own down drops the type).
  }
}
