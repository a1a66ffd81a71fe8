/**
 * `npm run bench -- hotspots [--sizes 100000,1000000] [--rounds 3]`
 *
 * For each size: that many open reports in one city (Almaty: 85 % around 4,000 dumping spots, Gaussian
 * σ 30 m; 15 % spread evenly over the city, mostly noise), then alternately:
 *  - ours: a `hotspots.recluster` job added to BullMQ and processed by the built worker running as a
 *    child process, timed from `add` to `completed` (clustering, hulls, identity against the previous
 *    set, writing every hotspot, all in the job's transaction);
 *  - ref: the bare `ST_ClusterDBSCAN` over the same rows (same eps, minpoints and filter), counted in the
 *    database so no rows travel.
 * The ratio is the median of ours over the median of ref (target <= 1.2). Also the worker's peak RSS
 * (VmHWM, target < 512 MB) and how many jobs BullMQ reported stalled (target 0).
 * Shared parts (database, worker process, BENCH lines): bench-kit.ts.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { Queue, QueueEvents } from 'bullmq';
import { loadConfig, QueueName } from '../libs/core/src/index.js';
import { OPEN_STATUSES } from '../libs/reports/src/index.js';
import { BenchRun, fmt, positiveInt } from './bench-kit.js';

const RATIO_TARGET = 1.2;
const RSS_TARGET_MB = 512;
const CITY = 'almaty';
const SPOTS = 4000;
const SPOT_SIGMA_M = 30;
const CLUSTERED_SHARE = 0.85;

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    rounds: { type: 'string', default: '3' },
  },
  allowPositionals: false,
});
const SIZES = args.sizes!.split(',').map((s) => positiveInt('sizes', s.trim(), 5_000_000));
const ROUNDS = positiveInt('rounds', args.rounds!, 20);

const bench = new BenchRun('hotspots');

async function generate(cityId: string, n: number): Promise<void> {
  const started = Date.now();
  await bench.withDb(async (c) => {
    await c.query(`SET work_mem = '256MB'`);
    await c.query(`TRUNCATE hotspot_history, hotspots, hotspot_runs, reports CASCADE`);
    await c.query(`ALTER TABLE reports DISABLE TRIGGER USER`);
    await c.query(`CREATE TEMP TABLE spots AS SELECT row_number() OVER () AS i, (ST_Dump(ST_GeneratePoints(boundary, ${SPOTS}, 7))).geom AS geom FROM cities WHERE id = $1`, [cityId]);
    const { rows: [box] } = await c.query(`SELECT ST_XMin(boundary) AS w, ST_YMin(boundary) AS s, ST_XMax(boundary) AS e, ST_YMax(boundary) AS n FROM cities WHERE id = $1`, [cityId]);
    for (let done = 0; done < n; ) {
      const batch = Math.min(200_000, n - done);
      const { rowCount } = await c.query(
        `WITH pts AS (
           SELECT CASE WHEN random() >= ${CLUSTERED_SHARE}
                    THEN ST_SetSRID(ST_MakePoint($2::float8 + random() * ($3::float8 - $2::float8), $4::float8 + random() * ($5::float8 - $4::float8)), 4326)
                    ELSE ST_SetSRID(ST_MakePoint(
                           ST_X(s.geom) + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) * ${SPOT_SIGMA_M} / (111320 * cos(radians(ST_Y(s.geom)))),
                           ST_Y(s.geom) + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) * ${SPOT_SIGMA_M} / 110540), 4326)
                  END AS geom, random() AS u, k
             FROM generate_series(1, $6::int * 13 / 10) AS k JOIN spots s ON s.i = 1 + (k % ${SPOTS})
         )
         INSERT INTO reports (city_id, district_id, category_code, size, location, outskirts, source, status, confirmations, created_at, updated_at)
         SELECT $1::uuid, d.id, (ARRAY['household', 'construction', 'tyres', 'bulky', 'green', 'hazardous'])[1 + (p.k % 6)],
                (ARRAY['bag', 'wheelbarrow', 'car', 'truck'])[1 + (p.k / 7) % 4], p.geom, NOT ST_Covers(ci.core, p.geom),
                CASE WHEN p.u < 0.05 THEN 'cctv' ELSE 'web' END,
                (ARRAY['submitted', 'registered', 'in_progress'])[1 + (p.k / 3) % 3]::report_status, (p.k % 3), now() - p.u * interval '80 days', now()
           FROM pts p JOIN districts d ON d.city_id = $1::uuid AND ST_Covers(d.area, p.geom) JOIN cities ci ON ci.id = $1::uuid
          LIMIT $6`,
        [cityId, box.w, box.e, box.s, box.n, batch],
      );
      done += rowCount ?? 0;
      bench.log(`generated ${done} / ${n} reports (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    await c.query(`ALTER TABLE reports ENABLE TRIGGER USER`);
    await c.query(`VACUUM ANALYZE reports`);
  });
}

/** The reference: the clustering alone, on the rows the job reads, with the job's eps and minpoints. */
async function bareDbscan(cityId: string): Promise<{ seconds: number; clusters: number }> {
  return bench.withDb(async (c) => {
    const started = process.hrtime.bigint();
    const { rows: [r] } = await c.query(
      `SELECT count(DISTINCT cid)::int AS clusters FROM (
         SELECT ST_ClusterDBSCAN(r.location_3857, eps => ci.hotspot_eps_m / cos(radians(ST_Y(ST_Centroid(ci.boundary)))), minpoints => ci.hotspot_min_points) OVER () AS cid
           FROM reports r JOIN cities ci ON ci.id = r.city_id
          WHERE r.city_id = $1 AND r.status = ANY($2::report_status[]) AND r.created_at > now() - make_interval(days => ci.hotspot_window_days)) q`,
      [cityId, OPEN_STATUSES],
    );
    return { seconds: Number(process.hrtime.bigint() - started) / 1e9, clusters: r.clusters };
  });
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}m` : `${Math.round(n / 1000)}k`);

await bench.run(async () => {
  await bench.createDatabase();
  const [{ id: cityId }] = await bench.withDb(async (c) => (await c.query(`SELECT id FROM cities WHERE slug = $1`, [CITY])).rows);
  // Started before the data is generated, so it is up when the first job comes.
  const worker = bench.startWorker({ HOTSPOT_JOB_LOCK_MS: '60000' });
  const connection = { url: loadConfig().REDIS_URL };
  const queue = new Queue(QueueName.Hotspots, { connection, prefix: bench.queuePrefix });
  const events = new QueueEvents(QueueName.Hotspots, { connection, prefix: bench.queuePrefix });
  await events.waitUntilReady();
  let stalled = 0;
  events.on('stalled', () => (stalled += 1));
  try {
    for (const n of SIZES) {
      await generate(cityId, n);
      const ours: number[] = [];
      const ref: number[] = [];
      let last = '';
      for (let round = 1; round <= ROUNDS; round++) {
        const bare = await bareDbscan(cityId);
        ref.push(bare.seconds);
        const started = process.hrtime.bigint();
        const job = await queue.add('hotspots.recluster', { cityId, reason: 'manual' }, { jobId: `bench-${n}-${round}`, attempts: 1 });
        const result = (await job.waitUntilFinished(events, 30 * 60_000)) as { clusters: number; points: number; created: number; kept: number; stepsMs?: Record<string, number> };
        ours.push(Number(process.hrtime.bigint() - started) / 1e9);
        last = `${result.points} points, ${result.clusters} clusters (bare: ${bare.clusters}), ${result.created} new, ${result.kept} kept; steps ${JSON.stringify(result.stepsMs)}`;
        bench.log(`${label(n)} round ${round}: job ${fmt(ours.at(-1)!, 2)} s, bare DBSCAN ${fmt(bare.seconds, 2)} s; ${last}`);
      }
      const o = median(ours);
      const r = median(ref);
      bench.out(`${label(n)} reports: job ${fmt(o, 2)} s vs bare ST_ClusterDBSCAN ${fmt(r, 2)} s (medians of ${ROUNDS}); ${last}`);
      bench.bench(`${label(n)}-job-vs-dbscan`, fmt(o, 2), fmt(r, 2), fmt(o / r, 2), '<=', RATIO_TARGET);
    }
    const rss = peakRssMb(worker.pid!);
    bench.bench('worker-peak-rss-mb', fmt(rss, 0), String(RSS_TARGET_MB), fmt(rss / RSS_TARGET_MB, 2), '<=', 1);
    bench.bench('stalled-jobs', String(stalled), '0', String(stalled), '<=', 0);
  } finally {
    await events.close();
    await queue.close();
    await worker.stop();
  }
}, 3 * 3600);
