/**
 * `npm run bench -- incidents-burst [--incidents 100000] [--batch 500] [--cameras 20] [--concurrency 4]`
 *
 * Ours, end to end: `incidents` signed incidents through `POST /api/v1/incidents:batch` (`batch` per
 * request, `concurrency` requests in flight) against the real API, processed by the real worker (outbox
 * relay -> BullMQ -> `incidents.process`: auto-confirm, conversion of confirmed ones into reports), timed
 * from the first request until every incident is processed. References, same run, same machine: a
 * server-side COPY of the same number of equivalent rows into `incidents`, and BullMQ `addBulk` of the
 * same number of jobs. Target: our rate >= 0.4x the slower reference's.
 * Then the crash run: the same burst again while the worker is killed with SIGKILL twice (and restarted);
 * it must end with exactly `incidents` new incidents and as many processed, and no conversion twice.
 * Everything talks to 127.0.0.1 only; the database, Redis keys and files are removed at the end.
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import type pg from 'pg';
import { loadConfig } from '../libs/core/src/index.js';
import { CameraSecretBox } from '../libs/incidents/src/index.js';
import { cameraHeaders } from '../libs/testing/src/camera-client.js';
import { BenchRun, sleep } from './bench-kit.js';

const NAME = 'incidents-burst';
const RATE_TARGET = 0.4;
/** Bench cameras stand at random points of this box, inside Almaty's districts. */
const BOX = { west: 76.85, south: 43.2, east: 77.0, north: 43.3 };
const CLASSES = ['dumping', 'vehicle_unloading', 'fire', 'littering'] as const;
/** Confidences are uniform in [LOW, HIGH): with the default 0.85 threshold about 1 in 12 is auto-confirmed. */
const CONFIDENCE = { low: 0.3, high: 0.9 };

const { values: args } = parseArgs({
  options: {
    incidents: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '500' },
    cameras: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '4' },
  },
});
const TOTAL = intArg('incidents', args.incidents!, 1, 1_000_000);
const BATCH = intArg('batch', args.batch!, 1, 500);
const CAMERAS = intArg('cameras', args.cameras!, 1, 500);
const CONCURRENCY = intArg('concurrency', args.concurrency!, 1, 64);

function intArg(name: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer from ${min} to ${max} (got ${v})`);
  return n;
}

const run = new BenchRun(NAME);
const log = (line: string) => run.log(line);
const ENCRYPTION_KEY = randomBytes(32).toString('hex');
const SETTINGS = { CAMERA_KEY_ENCRYPTION_KEY: ENCRYPTION_KEY, MAIL_DIR: join(run.workDir, 'mail') };
const redisUrl = loadConfig().REDIS_URL;

interface Camera {
  id: string;
  cityId: string;
  keyId: string;
  secret: string;
  lon: number;
  lat: number;
}

/** Bench cameras at random points of Almaty with a key each (the secret sealed as the API expects). */
async function addCameras(): Promise<Camera[]> {
  const box = new CameraSecretBox(ENCRYPTION_KEY);
  return run.withDb(async (c) => {
    const cameras: Camera[] = [];
    for (let i = 0; i < CAMERAS; i++) {
      const lon = BOX.west + Math.random() * (BOX.east - BOX.west);
      const lat = BOX.south + Math.random() * (BOX.north - BOX.south);
      const { rows } = await c.query<{ id: string; cityId: string }>(
        `INSERT INTO cameras (city_id, name, location, bearing_deg, fov_deg, range_m, last_heartbeat_at)
         SELECT d.city_id, $1, ST_SetSRID(ST_MakePoint($2, $3), 4326), 0, 90, 300, now()
           FROM districts d WHERE ST_Covers(d.area, ST_SetSRID(ST_MakePoint($2, $3), 4326)) LIMIT 1
         RETURNING id, city_id AS "cityId"`,
        [`Bench camera ${i + 1}`, lon, lat],
      );
      if (!rows[0]) throw new Error(`bench camera point ${lon},${lat} lies outside every district; fix BOX`);
      const keyId = `bench-${i + 1}`;
      const secret = randomBytes(24).toString('base64url');
      await c.query(`INSERT INTO camera_keys (camera_id, key_id, secret_sealed) VALUES ($1, $2, $3)`, [rows[0].id, keyId, box.seal(secret)]);
      cameras.push({ id: rows[0].id, cityId: rows[0].cityId, keyId, secret, lon, lat });
    }
    return cameras;
  });
}

interface Item {
  eventId: string;
  occurredAt: string;
  confidence: number;
  class: string;
}

function item(phase: string, n: number): Item {
  return {
    eventId: `${phase}-${n}`,
    occurredAt: new Date(Date.now() - Math.floor(Math.random() * 3_600_000)).toISOString(),
    confidence: Math.round((CONFIDENCE.low + Math.random() * (CONFIDENCE.high - CONFIDENCE.low)) * 1000) / 1000,
    class: CLASSES[n % CLASSES.length],
  };
}

// ---------------------------------------------------------------------------------------------
// References.

/** Server-side COPY of TOTAL rows equivalent to ours (same columns, generated 3857 point included). */
async function copyReference(cameras: Camera[]): Promise<number> {
  const file = join(run.workDir, 'incidents.csv');
  const lines: string[] = [];
  for (let n = 0; n < TOTAL; n++) {
    const c = cameras[n % cameras.length];
    const it = item('copy', n);
    lines.push(`${randomUUID()},${c.id},${c.cityId},${it.eventId},\\x${randomBytes(32).toString('hex')},${it.occurredAt},${it.confidence},${it.class},SRID=4326;POINT(${c.lon} ${c.lat})`);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  chmodSync(run.workDir, 0o755);
  chmodSync(file, 0o644);
  return run.withDb(async (c) => {
    const t0 = performance.now();
    await c.query(`COPY incidents (id, camera_id, city_id, event_id, body_hash, occurred_at, confidence, class, location) FROM '${file}' WITH (FORMAT csv)`);
    const seconds = (performance.now() - t0) / 1000;
    await c.query(`TRUNCATE incidents`);
    return seconds;
  });
}

/** BullMQ addBulk of TOTAL jobs shaped like ours, in chunks of 1,000, into a queue of its own. */
async function addBulkReference(): Promise<number> {
  const queue = new Queue('incidents-ref', { connection: { url: redisUrl }, prefix: run.queuePrefix });
  try {
    await queue.waitUntilReady();
    const t0 = performance.now();
    for (let from = 0; from < TOTAL; from += 1000) {
      const jobs = Array.from({ length: Math.min(1000, TOTAL - from) }, (_, i) => ({ name: 'incidents.process', data: { incidentIds: [randomUUID()] }, opts: { jobId: `ref-${from + i}` } }));
      await queue.addBulk(jobs);
    }
    return (performance.now() - t0) / 1000;
  } finally {
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Ours.

async function sendBurst(port: number, cameras: Camera[], phase: string): Promise<{ created: number; other: Map<string, number> }> {
  const batches: { camera: Camera; items: Item[] }[] = [];
  for (let from = 0, b = 0; from < TOTAL; from += BATCH, b++) {
    const camera = cameras[b % cameras.length];
    batches.push({ camera, items: Array.from({ length: Math.min(BATCH, TOTAL - from) }, (_, i) => item(phase, from + i)) });
  }
  let created = 0;
  const other = new Map<string, number>();
  let next = 0;
  const path = '/api/v1/incidents:batch';
  const sender = async () => {
    while (next < batches.length) {
      const { camera, items } = batches[next++];
      for (let attempt = 1; ; attempt++) {
        const body = Buffer.from(JSON.stringify({ incidents: items }));
        const headers = { ...cameraHeaders(camera, 'POST', path, body), 'content-type': 'application/json' };
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers, body }).catch((err: Error) => ({ status: 0, text: async () => err.message }));
        if (res.status === 200) {
          const out = JSON.parse(await res.text()) as { created: number; duplicate: number; rejected: number; results: { result: string; errors?: unknown }[] };
          created += out.created;
          for (const r of out.results) {
            const key = `${r.result} ${JSON.stringify(r.errors ?? '').slice(0, 120)}`;
            if (r.result !== 'created') other.set(key, (other.get(key) ?? 0) + 1);
          }
          break;
        }
        const text = await res.text();
        if (attempt >= 5) {
          const key = `${res.status} ${text.slice(0, 200)}`;
          other.set(key, (other.get(key) ?? 0) + items.length);
          break;
        }
        await sleep(200 * attempt);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, sender));
  return { created, other };
}

interface Counts {
  incidents: number;
  processed: number;
}

function counts(c: pg.Client, phase: string): Promise<Counts> {
  return c
    .query<Counts>(
      `SELECT count(*)::int AS incidents,
              count(*) FILTER (WHERE processed_at IS NOT NULL AND (status <> 'confirmed' OR report_id IS NOT NULL OR conversion_error IS NOT NULL))::int AS processed
         FROM incidents WHERE event_id LIKE $1`,
      [`${phase}-%`],
    )
    .then((r) => r.rows[0]);
}

async function waitProcessed(c: pg.Client, phase: string, timeoutMs: number, onProgress?: (k: Counts) => Promise<void>): Promise<Counts> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const k = await counts(c, phase);
    if (k.processed >= TOTAL) return k;
    if (onProgress) await onProgress(k);
    if (Date.now() > deadline) throw new Error(`timed out: ${k.processed} of ${TOTAL} processed (${k.incidents} stored)`);
    await sleep(250);
  }
}

async function main(): Promise<void> {
  await run.createDatabase();
  const cameras = await addCameras();
  log(`${CAMERAS} bench cameras in Almaty`);

  log(`reference 1: COPY of ${TOTAL} incident rows`);
  const copySeconds = await copyReference(cameras);
  log(`  ${copySeconds.toFixed(2)} s (${Math.round(TOTAL / copySeconds)}/s)`);
  log(`reference 2: BullMQ addBulk of ${TOTAL} jobs`);
  const bulkSeconds = await addBulkReference();
  log(`  ${bulkSeconds.toFixed(2)} s (${Math.round(TOTAL / bulkSeconds)}/s)`);
  const refRate = Math.round(TOTAL / Math.max(copySeconds, bulkSeconds));

  const api = await run.startApi(SETTINGS);
  let worker = run.startWorker(SETTINGS);
  await sleep(2000);

  await run.withDb(async (c) => {
    log(`ours: ${TOTAL} incidents in batches of ${BATCH}, ${CONCURRENCY} requests in flight, through the API and the worker`);
    const t0 = performance.now();
    const sent = await sendBurst(api.port, cameras, 'run');
    const ingestSeconds = (performance.now() - t0) / 1000;
    log(`  ingest done in ${ingestSeconds.toFixed(2)} s: ${sent.created} created${sent.other.size ? `; others: ${JSON.stringify([...sent.other].slice(0, 5))}` : ''}`);
    const k = await waitProcessed(c, 'run', 600_000);
    const e2eSeconds = (performance.now() - t0) / 1000;
    const confirmed = (await c.query(`SELECT count(*) FILTER (WHERE status = 'confirmed')::int AS n, count(DISTINCT report_id)::int AS reports FROM incidents WHERE event_id LIKE 'run-%'`)).rows[0];
    log(`  all ${k.processed} processed after ${e2eSeconds.toFixed(2)} s; ${confirmed.n} auto-confirmed into ${confirmed.reports} reports`);
    const ours = Math.round(TOTAL / e2eSeconds);
    run.out(`${NAME}: ${TOTAL} incidents: ingest ${ingestSeconds.toFixed(2)} s, all processed ${e2eSeconds.toFixed(2)} s (${ours}/s); COPY ${copySeconds.toFixed(2)} s, addBulk ${bulkSeconds.toFixed(2)} s`);

    log(`crash run: ${TOTAL} more while the worker is killed with SIGKILL twice`);
    let kills = 0;
    const killAt = [0.2, 0.55].map((f) => Math.floor(TOTAL * f));
    const killer = async (progress: Counts) => {
      if (kills < killAt.length && progress.processed >= killAt[kills]) {
        kills++;
        log(`  SIGKILL the worker at ${progress.processed} processed / ${progress.incidents} stored; starting a new one`);
        await worker.kill();
        worker = run.startWorker(SETTINGS);
      }
    };
    const sending = sendBurst(api.port, cameras, 'crash');
    const watching = (async () => {
      for (;;) {
        const k2 = await counts(c, 'crash');
        await killer(k2);
        if (kills >= killAt.length || k2.processed >= TOTAL) return;
        await sleep(250);
      }
    })();
    const crashSent = await sending;
    await watching;
    const final = await waitProcessed(c, 'crash', 900_000, killer);
    const effects = (
      await c.query(
        `SELECT (SELECT count(*) FROM incidents WHERE report_id IS NOT NULL)::int AS converted,
                (SELECT count(*) FROM reports WHERE source = 'cctv')::int + (SELECT count(*) FROM report_confirmations WHERE source = 'cctv')::int AS effects`,
      )
    ).rows[0];
    log(`  stored ${final.incidents}, processed ${final.processed}, ${kills} kills; conversions ${effects.converted}, report effects ${effects.effects}${crashSent.other.size ? `; others: ${JSON.stringify([...crashSent.other].slice(0, 5))}` : ''}`);
    const exact = final.incidents === TOTAL && final.processed === TOTAL && effects.converted === effects.effects && kills === 2;
    run.out(`${NAME}: crash run: ${final.incidents}/${TOTAL} incidents stored, ${final.processed}/${TOTAL} processed, ${effects.converted} conversions = ${effects.effects} report effects, ${kills} SIGKILLs of the worker`);
    run.bench('e2e-rate', String(ours), String(refRate), (ours / refRate).toFixed(2), '>=', RATE_TARGET);
    run.out(`BENCH ${NAME} crash-exactly-once ours=${final.processed} ref=${TOTAL} ratio=${(final.processed / TOTAL).toFixed(2)} target=>=1 ${exact ? 'PASS' : 'FAIL'}`);
  });
}

void run.run(main, 3600);
