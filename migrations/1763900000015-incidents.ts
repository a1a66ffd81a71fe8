import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CCTV incidents: cameras' signing keys (secrets encrypted with AES-GCM under CAMERA_KEY_ENCRYPTION_KEY,
 * at most two active per camera so a key can be rotated), the incidents themselves (unique per camera
 * and event id, with the hash of the body that first carried the event, for the 409 rule), and the
 * per-camera review counters that give a camera's precision. Heartbeat columns are on `cameras`
 * already (migration 1763900000008).
 */
export class Incidents1763900000015 implements MigrationInterface {
  name = 'Incidents1763900000015';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE cameras
        ADD COLUMN reviewed_count  integer NOT NULL DEFAULT 0 CHECK (reviewed_count >= 0),
        ADD COLUMN confirmed_count integer NOT NULL DEFAULT 0 CHECK (confirmed_count >= 0 AND confirmed_count <= reviewed_count),
        ADD COLUMN offline_since   timestamptz`);
    await q.query(`CREATE INDEX cameras_silent_idx ON cameras (last_heartbeat_at) WHERE status = 'active'`);
    await q.query(`
      CREATE TABLE camera_keys (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        camera_id     uuid NOT NULL REFERENCES cameras(id) ON DELETE CASCADE,
        key_id        text NOT NULL UNIQUE CHECK (key_id ~ '^[A-Za-z0-9_-]{4,64}$'),
        -- AES-256-GCM: 12-byte IV, 16-byte tag, then the ciphertext of the secret's UTF-8 bytes.
        secret_sealed bytea NOT NULL,
        created_by    uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        last_used_at  timestamptz,
        revoked_at    timestamptz
      )`);
    await q.query(`CREATE INDEX camera_keys_camera_idx ON camera_keys (camera_id) WHERE revoked_at IS NULL`);
    await q.query(`
      CREATE TABLE incidents (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        camera_id     uuid NOT NULL REFERENCES cameras(id),
        city_id       uuid NOT NULL REFERENCES cities(id),
        event_id      text NOT NULL CHECK (char_length(event_id) BETWEEN 1 AND 128),
        body_hash     bytea NOT NULL,
        occurred_at   timestamptz NOT NULL,
        received_at   timestamptz NOT NULL DEFAULT now(),
        confidence    numeric(4, 3) NOT NULL CHECK (confidence BETWEEN 0 AND 1),
        class         text NOT NULL CHECK (class ~ '^[a-z][a-z0-9_]{0,39}$'),
        location      geometry(Point, 4326) NOT NULL,
        location_3857 geometry(Point, 3857) GENERATED ALWAYS AS (ST_Transform(location, 3857)) STORED,
        snapshot_key  text,
        clip_key      text,
        status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'dismissed')),
        auto_confirmed boolean NOT NULL DEFAULT false,
        reviewed_by   uuid REFERENCES users(id) ON DELETE SET NULL,
        reviewed_at   timestamptz,
        dismiss_reason text CHECK (dismiss_reason IS NULL OR char_length(dismiss_reason) BETWEEN 1 AND 500),
        processed_at  timestamptz,
        report_id     uuid REFERENCES reports(id),
        conversion_error text,
        UNIQUE (camera_id, event_id),
        CHECK (status <> 'dismissed' OR dismiss_reason IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX incidents_review_idx ON incidents (city_id, received_at DESC) WHERE status = 'pending' AND processed_at IS NOT NULL`);
    await q.query(`CREATE INDEX incidents_city_idx ON incidents (city_id, received_at DESC)`);
    await q.query(`CREATE INDEX incidents_unprocessed_idx ON incidents (received_at) WHERE processed_at IS NULL`);
    await q.query(`CREATE INDEX incidents_location_3857_gist ON incidents USING gist (location_3857)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE incidents`);
    await q.query(`DROP TABLE camera_keys`);
    await q.query(`DROP INDEX cameras_silent_idx`);
    await q.query(`ALTER TABLE cameras DROP COLUMN reviewed_count, DROP COLUMN confirmed_count, DROP COLUMN offline_since`);
  }
}
