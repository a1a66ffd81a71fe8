import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A report's whole intake as one database function, so a create is one round trip and one implicit
 * transaction instead of ~11 unprepared statements (docs/benchmarks.md). PL/pgSQL caches the plans of
 * its statements per connection. The rules are the ones ReportsService used to run statement by
 * statement: an Idempotency-Key answers with the first result for 24 h, the category must be active,
 * the point is routed to the district holding it, and a report of the same category within 25 m
 * (open, at most 30 days old) gets a confirmation instead of a new report. The 25 m, 30 days and the
 * open statuses are MERGE_RADIUS_METRES, MERGE_WINDOW_DAYS and OPEN_STATUSES in report-lifecycle.ts:
 * a change there needs a migration that replaces this function.
 *
 * Input (jsonb): lon, lat, categoryCode, size, wasteTypes, description, source, reporterId, actorRole,
 * trackingTokenHash (hex), contactEmail, contactPhone, reporterIp, exifGpsFar, open311ClientId,
 * media (rows as NewMedia), outbox {queue, jobName}, and with an Idempotency-Key
 * idempotency {scope, key, requestHash (hex), trackingToken, messages {created, joined}}.
 * Output (jsonb): {outcome: 'created' | 'joined', reportId, status}, {outcome: 'replayed', statusCode,
 * body}, or {outcome: 'refused', reason: 'unknown_category' | 'outside_service_area' | 'idempotency_mismatch'}.
 */
export class ReportIntakeFunction1763900000005 implements MigrationInterface {
  name = 'ReportIntakeFunction1763900000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION taza_report_intake(p jsonb) RETURNS jsonb
      LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        v_lon      float8 := (p->>'lon')::float8;
        v_lat      float8 := (p->>'lat')::float8;
        v_point    geometry := ST_SetSRID(ST_MakePoint(v_lon, v_lat), 4326);
        v_category text := p->>'categoryCode';
        v_idem     jsonb := p->'idempotency';
        v_scope    text := v_idem->>'scope';
        v_key      text := v_idem->>'key';
        v_hash     bytea := decode(v_idem->>'requestHash', 'hex');
        v_earlier  record;
        v_city     uuid;
        v_district uuid;
        v_outskirts boolean;
        v_target   uuid;
        v_status   report_status;
        v_id       uuid;
        v_confirmation uuid;
        v_body     jsonb;
        v_mercator geometry;
        v_cx0 bigint; v_cx1 bigint; v_cy0 bigint; v_cy1 bigint;
      BEGIN
        IF v_key IS NOT NULL THEN
          -- Requests with the same key queue here: the second one runs after the first committed and
          -- finds its answer (each statement of a function reads a fresh snapshot in READ COMMITTED).
          PERFORM pg_advisory_xact_lock(hashtextextended('idempotency:' || v_scope || ':' || v_key, 7));
          SELECT request_hash, status_code, response INTO v_earlier FROM idempotency_keys
           WHERE scope = v_scope AND key = v_key AND created_at > now() - interval '24 hours';
          IF FOUND THEN
            IF v_earlier.request_hash <> v_hash THEN
              RETURN jsonb_build_object('outcome', 'refused', 'reason', 'idempotency_mismatch');
            END IF;
            RETURN jsonb_build_object('outcome', 'replayed', 'statusCode', v_earlier.status_code, 'body', v_earlier.response);
          END IF;
        END IF;

        PERFORM 1 FROM categories WHERE code = v_category AND active;
        IF NOT FOUND THEN
          RETURN jsonb_build_object('outcome', 'refused', 'reason', 'unknown_category');
        END IF;

        -- The district (akimat) whose polygon holds the point, its city, and whether it lies outside the core.
        SELECT c.id, d.id, NOT ST_Covers(c.core, v_point) INTO v_city, v_district, v_outskirts
          FROM districts d JOIN cities c ON c.id = d.city_id
         WHERE ST_Covers(d.area, v_point)
         ORDER BY d.id LIMIT 1;
        IF NOT FOUND THEN
          RETURN jsonb_build_object('outcome', 'refused', 'reason', 'outside_service_area');
        END IF;

        -- Serialises creates that could merge with each other: one transaction advisory lock per ~100 m
        -- (Web Mercator) cell the 25 m merge circle touches, for this category, taken in (cx, cy) order.
        -- A point touches 1, 2 or 4 cells: the ones holding (x ± 50, y ± 50).
        v_mercator := ST_Transform(v_point, 3857);
        v_cx0 := floor((ST_X(v_mercator) - 50) / 100); v_cx1 := floor((ST_X(v_mercator) + 50) / 100);
        v_cy0 := floor((ST_Y(v_mercator) - 50) / 100); v_cy1 := floor((ST_Y(v_mercator) + 50) / 100);
        PERFORM pg_advisory_xact_lock(hashtextextended(v_category || ':' || v_cx0 || ':' || v_cy0, 7));
        IF v_cy1 <> v_cy0 THEN
          PERFORM pg_advisory_xact_lock(hashtextextended(v_category || ':' || v_cx0 || ':' || v_cy1, 7));
        END IF;
        IF v_cx1 <> v_cx0 THEN
          PERFORM pg_advisory_xact_lock(hashtextextended(v_category || ':' || v_cx1 || ':' || v_cy0, 7));
          IF v_cy1 <> v_cy0 THEN
            PERFORM pg_advisory_xact_lock(hashtextextended(v_category || ':' || v_cx1 || ':' || v_cy1, 7));
          END IF;
        END IF;

        -- An open report of the category within 25 m, created within 30 days. The index box is the 25 m
        -- circle's own (with 10 % to spare: a degree of latitude is at least 110 574 m long, one of
        -- longitude at least 111 319 m x cos(latitude)), never more than 0.001 degrees each way. The
        -- geography test decides; the small box only spares it rows that cannot be within 25 m.
        SELECT r.id, r.status INTO v_target, v_status FROM reports r
         WHERE r.category_code = v_category AND r.status IN ('submitted', 'registered', 'in_progress')
           AND r.created_at > now() - make_interval(days => 30)
           AND r.location && ST_Expand(v_point, LEAST(0.001, 27.5 / (111319.49 * cos(radians(LEAST(abs(v_lat) + 0.001, 89.9))))),
                                                 LEAST(0.001, 27.5 / 110574))
           AND ST_DWithin(r.location::geography, v_point::geography, 25)
         ORDER BY ST_Distance(r.location::geography, v_point::geography), r.created_at
         LIMIT 1 FOR UPDATE OF r;

        IF v_target IS NOT NULL THEN
          INSERT INTO report_confirmations (report_id, reporter_id, tracking_token_hash, contact_email, contact_phone, reporter_ip,
                                            description, size, location, source)
          VALUES (v_target, (p->>'reporterId')::uuid, decode(p->>'trackingTokenHash', 'hex'), p->>'contactEmail', p->>'contactPhone',
                  (p->>'reporterIp')::inet, p->>'description', p->>'size', v_point, p->>'source')
          RETURNING id INTO v_confirmation;
          UPDATE reports SET confirmations = confirmations + 1, exif_gps_far = exif_gps_far OR (p->>'exifGpsFar')::boolean, updated_at = now()
           WHERE id = v_target;
          v_id := v_target;
          INSERT INTO report_history (report_id, event, from_status, to_status, actor_id, actor_role, note)
          VALUES (v_id, 'confirmed', v_status, v_status, (p->>'reporterId')::uuid, p->>'actorRole',
                  'confirmed by another report (' || (p->>'source') || ')');
        ELSE
          INSERT INTO reports (city_id, district_id, category_code, size, waste_types, description, location, outskirts, source,
                               reporter_id, tracking_token_hash, contact_email, contact_phone, reporter_ip, exif_gps_far, open311_client_id)
          VALUES (v_city, v_district, v_category, p->>'size',
                  ARRAY(SELECT w FROM jsonb_array_elements_text(p->'wasteTypes') WITH ORDINALITY AS t(w, n) ORDER BY n),
                  p->>'description', v_point, v_outskirts, p->>'source', (p->>'reporterId')::uuid, decode(p->>'trackingTokenHash', 'hex'),
                  p->>'contactEmail', p->>'contactPhone', (p->>'reporterIp')::inet, (p->>'exifGpsFar')::boolean, (p->>'open311ClientId')::uuid)
          RETURNING id, status INTO v_id, v_status;
          INSERT INTO report_history (report_id, event, from_status, to_status, actor_id, actor_role, note)
          VALUES (v_id, 'created', NULL, v_status, (p->>'reporterId')::uuid, p->>'actorRole', p->>'source');
        END IF;

        IF jsonb_array_length(p->'media') > 0 THEN
          INSERT INTO report_media (id, report_id, confirmation_id, kind, stage, storage_key, thumb_key, mime, width, height, bytes, duration_seconds)
          SELECT m.id, v_id, v_confirmation, m.kind, m.stage, m."storageKey", m."thumbKey", m.mime, m.width, m.height, m.bytes, m."durationSeconds"
            FROM jsonb_to_recordset(p->'media') AS m(id uuid, kind text, stage text, "storageKey" text, "thumbKey" text, mime text,
                                                     width integer, height integer, bytes integer, "durationSeconds" real);
        END IF;

        INSERT INTO outbox (queue, job_name, payload)
        VALUES (p->'outbox'->>'queue', p->'outbox'->>'jobName', jsonb_build_object('cityId', v_city, 'reason', 'report'));

        IF v_key IS NOT NULL THEN
          v_body := jsonb_build_object('reportId', v_id, 'joined', v_confirmation IS NOT NULL, 'status', v_status,
                                       'message', v_idem->'messages'->>(CASE WHEN v_confirmation IS NULL THEN 'created' ELSE 'joined' END));
          IF v_idem->>'trackingToken' IS NOT NULL THEN
            v_body := v_body || jsonb_build_object('trackingToken', v_idem->>'trackingToken');
          END IF;
          -- Under the key's lock nobody else can hold a live row for it; an expired one is replaced.
          INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response)
          VALUES (v_scope, v_key, v_hash, CASE WHEN v_confirmation IS NULL THEN 201 ELSE 200 END, v_body)
          ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status_code = EXCLUDED.status_code,
                 response = EXCLUDED.response, created_at = now()
           WHERE idempotency_keys.created_at <= now() - interval '24 hours';
          IF NOT FOUND THEN
            RAISE EXCEPTION 'idempotency key %/% holds a live answer although its lock was taken', v_scope, v_key;
          END IF;
        END IF;

        RETURN jsonb_build_object('outcome', CASE WHEN v_confirmation IS NULL THEN 'created' ELSE 'joined' END,
                                  'reportId', v_id, 'status', v_status);
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION taza_report_intake(jsonb)`);
  }
}
