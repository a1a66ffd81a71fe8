import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Reports1763900000003 implements MigrationInterface {
  name = 'Reports1763900000003';

  async up(q: QueryRunner): Promise<void> {
    // Categories are data: admins edit them; they are also the Open311 services.
    await q.query(`
      CREATE TABLE categories (
        code       text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
        name_kk    text NOT NULL,
        name_ru    text NOT NULL,
        name_en    text NOT NULL,
        hazardous  boolean NOT NULL DEFAULT false,
        active     boolean NOT NULL DEFAULT true,
        sort       integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO categories (code, name_kk, name_ru, name_en, hazardous, sort) VALUES
        ('household',    'Тұрмыстық қалдықтар',   'Бытовые отходы',        'Household waste',      false, 10),
        ('construction', 'Құрылыс қалдықтары',    'Строительный мусор',    'Construction debris',  false, 20),
        ('tyres',        'Шиналар',               'Шины',                  'Tyres',                false, 30),
        ('bulky',        'Ірі габаритті қоқыс',   'Крупногабаритный мусор', 'Bulky items',         false, 40),
        ('green',        'Өсімдік қалдықтары',    'Растительные отходы',   'Green waste',          false, 50),
        ('hazardous',    'Қауіпті қалдықтар',     'Опасные отходы',        'Hazardous waste',      true,  60),
        ('burning',      'Қоқыс жағу',            'Сжигание мусора',       'Burning waste',        true,  70)`);

    await q.query(`CREATE TYPE report_status AS ENUM ('submitted', 'registered', 'in_progress', 'resolved', 'closed', 'rejected', 'duplicate')`);
    await q.query(`
      CREATE TABLE reports (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        city_id        uuid NOT NULL REFERENCES cities(id),
        district_id    uuid NOT NULL REFERENCES districts(id),
        category_code  text NOT NULL REFERENCES categories(code) ON UPDATE CASCADE,
        size           text NOT NULL CHECK (size IN ('bag', 'wheelbarrow', 'car', 'truck')),
        waste_types    text[] NOT NULL DEFAULT '{}'
                       CHECK (waste_types <@ ARRAY['plastic', 'glass', 'metal', 'paper', 'organic', 'electronic', 'hazardous']),
        description    text NOT NULL DEFAULT '' CHECK (char_length(description) <= 4000),
        location       geometry(Point, 4326) NOT NULL,
        location_3857  geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(location, 3857)) STORED,
        outskirts      boolean NOT NULL,
        status         report_status NOT NULL DEFAULT 'submitted',
        source         text NOT NULL CHECK (source IN ('web', 'open311', 'telegram', 'cctv')),
        -- Private: never in a public response.
        reporter_id    uuid REFERENCES users(id) ON DELETE SET NULL,
        tracking_token_hash bytea UNIQUE,
        contact_email  text,
        contact_phone  text,
        reporter_ip    inet,
        exif_gps_far   boolean NOT NULL DEFAULT false,
        open311_client_id uuid,
        -- Lifecycle.
        confirmations  integer NOT NULL DEFAULT 0,
        reopen_count   integer NOT NULL DEFAULT 0,
        escalated_at   timestamptz,
        registered_at  timestamptz,
        in_progress_at timestamptz,
        resolved_at    timestamptz,
        closed_at      timestamptz,
        resolution_note text,
        rejection_reason text,
        duplicate_of   uuid REFERENCES reports(id),
        rating         smallint CHECK (rating BETWEEN 1 AND 5),
        rating_comment text CHECK (char_length(rating_comment) <= 2000),
        rated_at       timestamptz,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX reports_location_gist ON reports USING gist (location)`);
    await q.query(`CREATE INDEX reports_location_3857_gist ON reports USING gist (location_3857)`);
    await q.query(`CREATE INDEX reports_city_status_idx ON reports (city_id, status, created_at DESC)`);
    await q.query(`CREATE INDEX reports_district_idx ON reports (district_id, created_at DESC)`);
    await q.query(`CREATE INDEX reports_reporter_idx ON reports (reporter_id) WHERE reporter_id IS NOT NULL`);
    await q.query(`CREATE INDEX reports_created_idx ON reports (created_at DESC, id)`);
    // The nearby-merge lookup: open reports of a category near a point.
    await q.query(`CREATE INDEX reports_open_location_gist ON reports USING gist (location) WHERE status IN ('submitted', 'registered', 'in_progress')`);

    await q.query(`
      CREATE TABLE report_confirmations (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        report_id   uuid NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        reporter_id uuid REFERENCES users(id) ON DELETE SET NULL,
        tracking_token_hash bytea UNIQUE,
        contact_email text,
        contact_phone text,
        reporter_ip inet,
        description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 4000),
        size        text NOT NULL CHECK (size IN ('bag', 'wheelbarrow', 'car', 'truck')),
        location    geometry(Point, 4326) NOT NULL,
        source      text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX report_confirmations_report_idx ON report_confirmations (report_id)`);

    await q.query(`
      CREATE TABLE report_media (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        report_id     uuid NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        confirmation_id uuid REFERENCES report_confirmations(id) ON DELETE CASCADE,
        kind          text NOT NULL CHECK (kind IN ('photo', 'video')),
        stage         text NOT NULL CHECK (stage IN ('before', 'after')),
        storage_key   text NOT NULL UNIQUE,
        thumb_key     text UNIQUE,
        mime          text NOT NULL,
        width         integer,
        height        integer,
        bytes         integer NOT NULL,
        duration_seconds real,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX report_media_report_idx ON report_media (report_id, created_at)`);

    await q.query(`
      CREATE TABLE report_history (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        report_id   uuid NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        event       text NOT NULL CHECK (event IN ('created', 'status', 'confirmed', 'rated', 'reopened', 'escalated')),
        from_status report_status,
        to_status   report_status,
        actor_id    uuid REFERENCES users(id) ON DELETE SET NULL,
        actor_role  text NOT NULL,
        note        text,
        at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX report_history_report_idx ON report_history (report_id, id)`);

    // Idempotency-Key: the first answer to a key is kept 24 h and given again for the same request.
    await q.query(`
      CREATE TABLE idempotency_keys (
        scope        text NOT NULL,
        key          text NOT NULL,
        request_hash bytea NOT NULL,
        status_code  integer NOT NULL,
        response     jsonb NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);

    await q.query(`
      CREATE TABLE open311_clients (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name         text NOT NULL,
        api_key_hash bytea NOT NULL UNIQUE,
        created_by   uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at   timestamptz
      )`);
    await q.query(`ALTER TABLE reports ADD CONSTRAINT reports_open311_client_fk FOREIGN KEY (open311_client_id) REFERENCES open311_clients(id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reports DROP CONSTRAINT reports_open311_client_fk`);
    await q.query(`DROP TABLE open311_clients`);
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE report_history`);
    await q.query(`DROP TABLE report_media`);
    await q.query(`DROP TABLE report_confirmations`);
    await q.query(`DROP TABLE reports`);
    await q.query(`DROP TYPE report_status`);
    await q.query(`DROP TABLE categories`);
  }
}
