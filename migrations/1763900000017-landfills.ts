import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Landfills: their sites (shared by cities), measurements (weighbridge intake tickets, volume surveys),
 * diversion reported per city, the daily forecast and the capacity alerts akims acknowledge.
 */
export class Landfills1763900000017 implements MigrationInterface {
  name = 'Landfills1763900000017';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE landfills (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name          text NOT NULL UNIQUE CHECK (char_length(name) BETWEEN 1 AND 200),
        status        text NOT NULL DEFAULT 'operating' CHECK (status IN ('operating', 'closing', 'closed')),
        area          geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(area)),
        area_3857     geometry(MultiPolygon, 3857) GENERATED ALWAYS AS (ST_Transform(area, 3857)) STORED,
        capacity_m3   numeric(14, 2) NOT NULL CHECK (capacity_m3 > 0),
        density_t_m3  numeric(6, 3) NOT NULL DEFAULT 0.8 CHECK (density_t_m3 > 0 AND density_t_m3 <= 3),
        opened_on     date,
        operator      text CHECK (char_length(operator) <= 200),
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX landfills_area_gist ON landfills USING gist (area)`);
    await q.query(`CREATE INDEX landfills_area_3857_gist ON landfills USING gist (area_3857)`);
    await q.query(`
      CREATE TABLE landfill_cities (
        landfill_id uuid NOT NULL REFERENCES landfills(id) ON DELETE CASCADE,
        city_id     uuid NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
        PRIMARY KEY (landfill_id, city_id)
      )`);
    await q.query(`CREATE INDEX landfill_cities_city_idx ON landfill_cities (city_id)`);
    // Weighbridge systems post tickets with an API key; only its SHA-256 is kept.
    await q.query(`
      CREATE TABLE weighbridges (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        landfill_id  uuid NOT NULL REFERENCES landfills(id) ON DELETE CASCADE,
        name         text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
        key_hash     bytea NOT NULL UNIQUE,
        created_by   uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at   timestamptz
      )`);
    await q.query(`
      CREATE TABLE landfill_intake (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        landfill_id    uuid NOT NULL REFERENCES landfills(id) ON DELETE CASCADE,
        day            date NOT NULL,
        tonnes         numeric(10, 3) NOT NULL CHECK (tonnes > 0 AND tonnes <= 10000),
        plate          text CHECK (char_length(plate) <= 20),
        source_city_id uuid REFERENCES cities(id),
        weighbridge_id uuid REFERENCES weighbridges(id) ON DELETE SET NULL,
        -- The ticket number of the weighbridge system (or of an imported file): a repeat post is one ticket.
        external_id    text CHECK (char_length(external_id) BETWEEN 1 AND 100),
        created_by     uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (landfill_id, external_id)
      )`);
    await q.query(`CREATE INDEX landfill_intake_day_idx ON landfill_intake (landfill_id, day)`);
    await q.query(`
      CREATE TABLE landfill_surveys (
        id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        landfill_id uuid NOT NULL REFERENCES landfills(id) ON DELETE CASCADE,
        day         date NOT NULL,
        used_m3     numeric(14, 2) NOT NULL CHECK (used_m3 >= 0),
        method      text NOT NULL CHECK (method IN ('drone', 'topographic', 'estimate')),
        note        text CHECK (char_length(note) <= 2000),
        created_by  uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (landfill_id, day)
      )`);
    // Recycled tonnage a city reports (eco-actions, collection points): shown beside intake.
    await q.query(`
      CREATE TABLE waste_diversion (
        id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        city_id    uuid NOT NULL REFERENCES cities(id) ON DELETE CASCADE,
        day        date NOT NULL,
        tonnes     numeric(10, 3) NOT NULL CHECK (tonnes > 0 AND tonnes <= 10000),
        source     text NOT NULL CHECK (char_length(source) BETWEEN 1 AND 100),
        note       text CHECK (char_length(note) <= 2000),
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX waste_diversion_city_day_idx ON waste_diversion (city_id, day)`);
    // One forecast per landfill per day; re-running on the same day replaces it.
    await q.query(`
      CREATE TABLE landfill_forecasts (
        landfill_id     uuid NOT NULL REFERENCES landfills(id) ON DELETE CASCADE,
        computed_on     date NOT NULL,
        computed_at     timestamptz NOT NULL DEFAULT now(),
        used_m3         numeric(14, 2) NOT NULL,
        fill_percent    numeric(7, 3) NOT NULL,
        rate_t_day      numeric(10, 3) NOT NULL,
        rate_low_t_day  numeric(10, 3) NOT NULL,
        rate_high_t_day numeric(10, 3) NOT NULL,
        slope_t_week    numeric(10, 3) NOT NULL,
        -- [{percent, reached, date, low, high}] for 80/90/95/100 %.
        milestones      jsonb NOT NULL,
        PRIMARY KEY (landfill_id, computed_on)
      )`);
    // rearmed_at NULL = the alert holds its line (hysteresis): at most one such alert per line.
    await q.query(`
      CREATE TABLE landfill_alerts (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        landfill_id     uuid NOT NULL REFERENCES landfills(id) ON DELETE CASCADE,
        level           text NOT NULL CHECK (level IN ('warning', 'critical', 'emergency', 'full_within_year')),
        fill_percent    numeric(7, 3) NOT NULL,
        full_on         date,
        raised_at       timestamptz NOT NULL DEFAULT now(),
        last_sent_at    timestamptz,
        sent_count      integer NOT NULL DEFAULT 0,
        acknowledged_by uuid REFERENCES users(id) ON DELETE SET NULL,
        acknowledged_at timestamptz,
        ack_note        text CHECK (char_length(ack_note) <= 2000),
        rearmed_at      timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX landfill_alerts_live_key ON landfill_alerts (landfill_id, level) WHERE rearmed_at IS NULL`);
    await q.query(`CREATE INDEX landfill_alerts_landfill_idx ON landfill_alerts (landfill_id, raised_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE landfill_alerts`);
    await q.query(`DROP TABLE landfill_forecasts`);
    await q.query(`DROP TABLE waste_diversion`);
    await q.query(`DROP TABLE landfill_surveys`);
    await q.query(`DROP TABLE landfill_intake`);
    await q.query(`DROP TABLE weighbridges`);
    await q.query(`DROP TABLE landfill_cities`);
    await q.query(`DROP TABLE landfills`);
  }
}
