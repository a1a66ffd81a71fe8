/**
 * `npm run bench -- reports-create [--seconds 20] [--warmup 3] [--connections 32]`
 *
 * Ours: anonymous JSON `POST /api/v1/reports` (no files) against the real API, started as a child
 * process on a throw-away database, from `connections` concurrent keep-alive connections.
 * Reference: pgbench, same database, same run, same number of clients and seconds, inserting one
 * equivalent row into `reports` per transaction. Everything talks to 127.0.0.1 only, the run stops
 * by itself, and the database is dropped at the end (also on failure or Ctrl-C). Shared parts: bench-kit.ts.
 */
import { parseArgs } from 'node:util';
import { answered, BenchRun, closedLoop, Connection, cpuLines, cpuSnapshot, fmt, nonNegativeInt, percentile, positiveInt, request } from './bench-kit.js';

const RPS_TARGET = 0.4; // ours/ref, at least
const P99_BUDGET_MS = 50; // absolute: p99 under 50 ms at that load
/** Random points are drawn in this box; the run checks that Almaty's districts cover it. */
const BOX = { west: 76.85, south: 43.2, east: 77.0, north: 43.3 };
const SIZES = ['bag', 'wheelbarrow', 'car', 'truck'] as const;

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
  },
  allowPositionals: false,
});
const SECONDS = positiveInt('seconds', args.seconds!);
const WARMUP = nonNegativeInt('warmup', args.warmup!);
const CONNECTIONS = positiveInt('connections', args.connections!);

const bench = new BenchRun('reports-create');

interface Fixture {
  cityId: string;
  districtId: string;
  categories: string[];
}

async function prepareDatabase(): Promise<Fixture> {
  await bench.createDatabase();
  return bench.withDb(async (c) => {
    const { rows: [cover] } = await c.query(
      `SELECT ST_Covers(ST_Union(d.area), ST_MakeEnvelope($1, $2, $3, $4, 4326)) AS covered, c.id AS "cityId"
         FROM districts d JOIN cities c ON c.id = d.city_id
        WHERE c.slug = 'almaty' GROUP BY c.id`,
      [BOX.west, BOX.south, BOX.east, BOX.north],
    );
    if (!cover?.covered) throw new Error(`Almaty's districts do not cover the point box ${JSON.stringify(BOX)}; fix BOX`);
    // The reference rows go to the district holding the box centre (ours are routed per point).
    const { rows: [district] } = await c.query(
      `SELECT d.id FROM districts d WHERE d.city_id = $1 AND ST_Covers(d.area, ST_SetSRID(ST_MakePoint($2, $3), 4326)) ORDER BY d.id LIMIT 1`,
      [cover.cityId, (BOX.west + BOX.east) / 2, (BOX.south + BOX.north) / 2],
    );
    const { rows: categories } = await c.query(`SELECT code FROM categories WHERE active ORDER BY sort, code`);
    return { cityId: cover.cityId, districtId: district.id, categories: categories.map((r: { code: string }) => r.code) };
  });
}

function randomBody(categories: string[]): string {
  return JSON.stringify({
    lon: BOX.west + Math.random() * (BOX.east - BOX.west),
    lat: BOX.south + Math.random() * (BOX.north - BOX.south),
    category: categories[Math.floor(Math.random() * categories.length)],
    size: SIZES[Math.floor(Math.random() * SIZES.length)],
  });
}

function pgbenchScript(f: Fixture): string {
  // The row an anonymous JSON report writes: the same columns the API sets (the defaults do the rest),
  // including the unique tracking-token hash and the reporter's IP.
  return [
    `\\set lon ${BOX.west} + random(0, 1000000) * ${((BOX.east - BOX.west) / 1e6).toFixed(12)}`,
    `\\set lat ${BOX.south} + random(0, 1000000) * ${((BOX.north - BOX.south) / 1e6).toFixed(12)}`,
    `\\set size random(0, ${SIZES.length - 1})`,
    `INSERT INTO reports (city_id, district_id, category_code, size, waste_types, description, location, outskirts, source, tracking_token_hash, reporter_ip, exif_gps_far)`,
    `VALUES ('${f.cityId}', '${f.districtId}', '${f.categories[0]}', (ARRAY['${SIZES.join("','")}'])[:size::int + 1], '{}', '',`,
    `        ST_SetSRID(ST_MakePoint(:lon::float8, :lat::float8), 4326), false, 'web', sha256(gen_random_uuid()::text::bytea), '127.0.0.1'::inet, false);`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const fixture = await prepareDatabase();
  const api = await bench.startApi();
  bench.log(`API up on 127.0.0.1:${api.port}; ${WARMUP} s warm-up, then ${SECONDS} s from ${CONNECTIONS} connections`);

  const connections = Array.from({ length: CONNECTIONS }, () => new Connection(api.port));
  const next = () => request('POST', '/api/v1/reports', api.port, { json: randomBody(fixture.categories) });
  if (WARMUP > 0) await closedLoop(connections, WARMUP, next);
  const backendPids = await bench.apiBackendPids();
  const cpuBefore = cpuSnapshot(api.pid, backendPids);
  const ours = await closedLoop(connections, SECONDS, next);
  const cpuAfter = cpuSnapshot(api.pid, backendPids);
  for (const c of connections) c.close();
  await api.stop();

  const counts = await bench.withDb(async (c) => {
    const { rows } = await c.query(`SELECT (SELECT count(*) FROM reports)::int AS reports, (SELECT count(*) FROM report_confirmations)::int AS confirmations`);
    return rows[0] as { reports: number; confirmations: number };
  });

  bench.log(`pgbench: ${WARMUP} s warm-up, then ${SECONDS} s, ${CONNECTIONS} clients`);
  const script = pgbenchScript(fixture);
  if (WARMUP > 0) await bench.pgbench(script, { clients: CONNECTIONS, seconds: WARMUP });
  const ref = await bench.pgbench(script, { clients: CONNECTIONS, seconds: SECONDS });

  const created = ours.ok.get(201) ?? 0;
  const merged = ours.ok.get(200) ?? 0;
  const ok = answered(ours);
  const rps = ok / ours.seconds;
  const sorted = ours.latenciesMs.sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  const mean = sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1);

  const out = (line = '') => bench.out(line);
  out();
  out(`reports-create: ${SECONDS} s after a ${WARMUP} s warm-up, ${CONNECTIONS} concurrent connections, 127.0.0.1, ${bench.dbName}`);
  out(`  ours (POST /api/v1/reports, JSON, anonymous; API in a child process, pool of 10):`);
  out(`    ${ok} answered 2xx in ${fmt(ours.seconds, 2)} s = ${fmt(rps, 1)} req/s  (${created} created 201, ${merged} merged 200, ${ours.errors} errors)`);
  out(`    latency ms: p50 ${fmt(p50, 1)}  p99 ${fmt(p99, 1)}  mean ${fmt(mean, 1)}  max ${fmt(sorted[sorted.length - 1] ?? NaN, 1)}`);
  for (const [sample, n] of ours.errorSamples) out(`    error x${n}: ${sample}`);
  out(`    rows after warm-up + run: ${counts.reports} reports, ${counts.confirmations} confirmations`);
  for (const line of cpuLines(cpuBefore, cpuAfter, ok, backendPids.length, 'create')) out(`    ${line}`);
  out(`  ref (pgbench -c ${CONNECTIONS} -j 2 -T ${SECONDS} -M prepared -n, one INSERT INTO reports per transaction):`);
  out(`    ${fmt(ref.tps, 1)} tps, latency avg ${ref.latencyAvgMs ?? 'n/a'} ms, ${ref.transactions} transactions, ${ref.failed} failed`);
  out(`  p99 target is absolute (${P99_BUDGET_MS} ms at this load): ref=${P99_BUDGET_MS} is the budget, ratio=p99/budget, pass when <= 1.`);
  out();
  bench.bench('rps', fmt(rps, 0), fmt(ref.tps, 0), fmt(rps / ref.tps, 2), '>=', RPS_TARGET);
  bench.bench('p99-ms', fmt(p99, 1), String(P99_BUDGET_MS), fmt(p99 / P99_BUDGET_MS, 2), '<=', 1);
}

// The whole run is bounded: set-up, warm-ups, both runs and a margin.
await bench.run(main, 2 * (SECONDS + WARMUP) + 180);
