/**
 * `npm run bench -- tiles [--reports 1000000] [--seconds 10] [--warmup 2] [--rounds 5]`
 *
 * Vector tiles over one city holding `reports` generated reports (Almaty: 60 % spread evenly over the
 * city, 40 % around 300 dumping spots; every status, category and a 3-year spread of dates).
 *  (a) z14 point tiles over the city's built-up core, a random one per request, caches off:
 *      requests/s and p50 through our endpoint from 2 keep-alive connections, against the same tile
 *      SQL run by `pgbench -M prepared` with 2 clients on the same tiles.
 *  (b) the z6 and z10 tiles over the city centre (aggregates), caches off: our p50 against the raw
 *      aggregate SQL (report_cells) with pgbench, 1 client each; their size.
 *  (c) tile caches on (Redis + in-process): warm z14 tiles/s against (a)'s uncached rate.
 * Shared parts (database, API process, load generator, pgbench runner, BENCH lines): bench-kit.ts.
 */
import { parseArgs } from 'node:util';
import { CELL_LEVELS, gridQueryFor, TILE_SQL, tileOf } from '../libs/maps/src/index.js';
import { answered, BenchRun, closedLoop, Connection, CpuMeter, fmt, nonNegativeInt, percentile, positiveInt, request, type LoadResult } from './bench-kit.js';

const Z14_RPS_TARGET = 0.7; // ours/ref, at least
const Z14_P50_MARGIN_MS = 1; // ours p50 <= ref p50 + 1 ms
const AGGREGATE_TARGET = 1.5; // ours/ref time, at most
const MAX_TILE_BYTES = 500 * 1024;
const WARM_TARGET = 5; // warm/uncached rate, at least
const CLIENTS = 2;
/** Almaty (demo geography): the box the generated tiles are drawn from. */
const CITY = 'almaty';
const CLUSTERS = 300;
const CLUSTER_SIGMA_M = 250;

const { values: args } = parseArgs({
  options: {
    reports: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '5' },
  },
  allowPositionals: false,
});
const REPORTS = positiveInt('reports', args.reports!, 5_000_000);
const SECONDS = positiveInt('seconds', args.seconds!);
const WARMUP = nonNegativeInt('warmup', args.warmup!);
const ROUNDS = positiveInt('rounds', args.rounds!, 100);

const bench = new BenchRun('tiles');

interface TileRange {
  z: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Generates the reports with the grid trigger off, then rebuilds the aggregates (as a bulk import would). */
type Box = [number, number, number, number];

/** Generates the reports; answers the box of the city's built-up core and the city's centre. */
async function generateReports(): Promise<{ core: Box; centre: [number, number] }> {
  const started = Date.now();
  return bench.withDb(async (c) => {
    await c.query(`SET work_mem = '256MB'`);
    const { rows: [city] } = await c.query(
      `SELECT id, ST_XMin(boundary) AS w, ST_YMin(boundary) AS s, ST_XMax(boundary) AS e, ST_YMax(boundary) AS n,
              ST_XMin(core) AS cw, ST_YMin(core) AS cs, ST_XMax(core) AS ce, ST_YMax(core) AS cn, ST_X(centre) AS lon, ST_Y(centre) AS lat
         FROM cities, ST_Centroid(core) AS centre WHERE slug = $1`,
      [CITY],
    );
    await c.query(`ALTER TABLE reports DISABLE TRIGGER reports_grid`);
    await c.query(`ALTER TABLE reports DISABLE TRIGGER reports_change_bump`);
    await c.query(`CREATE TEMP TABLE spots AS SELECT row_number() OVER () AS i, (ST_Dump(ST_GeneratePoints(boundary, ${CLUSTERS}, 1))).geom AS geom FROM cities WHERE id = $1`, [city.id]);
    const categories = (await c.query(`SELECT code FROM categories ORDER BY code`)).rows.map((r: { code: string }) => r.code);
    const batch = 200_000;
    for (let done = 0; done < REPORTS; ) {
      const n = Math.min(batch, REPORTS - done);
      // 60 % even, 40 % Gaussian around a spot (an independent Box-Muller normal per axis, metres to
      // degrees); points falling outside every district are dropped and the loop makes up for them.
      const { rowCount } = await c.query(
        `WITH pts AS (
           SELECT CASE WHEN random() < 0.6
                    THEN ST_SetSRID(ST_MakePoint($2::float8 + random() * ($3::float8 - $2::float8), $4::float8 + random() * ($5::float8 - $4::float8)), 4326)
                    ELSE ST_SetSRID(ST_MakePoint(
                           ST_X(s.geom) + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) * ${CLUSTER_SIGMA_M} / (111320 * cos(radians(ST_Y(s.geom)))),
                           ST_Y(s.geom) + sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) * ${CLUSTER_SIGMA_M} / 110540), 4326)
                  END AS geom, random() AS u, i.k
             FROM generate_series(1, $6::int * 13 / 10) AS i(k) JOIN spots s ON s.i = 1 + (i.k % ${CLUSTERS})
         )
         INSERT INTO reports (city_id, district_id, category_code, size, location, outskirts, source, status, created_at, updated_at)
         SELECT $1::uuid, d.id, ($7::text[])[1 + (p.k % ${categories.length})], (ARRAY['bag', 'wheelbarrow', 'car', 'truck'])[1 + (p.k / 7) % 4],
                p.geom, NOT ST_Covers(ci.core, p.geom), 'web',
                (CASE WHEN p.u < 0.15 THEN 'submitted' WHEN p.u < 0.25 THEN 'registered' WHEN p.u < 0.35 THEN 'in_progress'
                      WHEN p.u < 0.45 THEN 'resolved' WHEN p.u < 0.90 THEN 'closed' WHEN p.u < 0.95 THEN 'rejected' ELSE 'duplicate' END)::report_status,
                now() - random() * interval '1095 days', now()
           FROM pts p JOIN districts d ON d.city_id = $1::uuid AND ST_Covers(d.area, p.geom) JOIN cities ci ON ci.id = $1::uuid
          LIMIT $6`,
        [city.id, city.w, city.e, city.s, city.n, n, categories],
      );
      done += rowCount ?? 0;
      bench.log(`generated ${done} / ${REPORTS} reports (${Math.round((Date.now() - started) / 1000)} s)`);
    }
    await c.query(`ALTER TABLE reports ENABLE TRIGGER reports_grid`);
    await c.query(`ALTER TABLE reports ENABLE TRIGGER reports_change_bump`);
    const rebuildStart = Date.now();
    await c.query(`SELECT report_grid_rebuild()`);
    bench.log(`report_grid_rebuild(): ${((Date.now() - rebuildStart) / 1000).toFixed(1)} s`);
    await c.query(`VACUUM ANALYZE reports`);
    await c.query(`VACUUM ANALYZE report_cells`);
    await c.query(`VACUUM ANALYZE report_grid`);
    const { rows: [stats] } = await c.query(
      `SELECT (SELECT count(*) FROM reports)::int AS reports, (SELECT count(*) FROM report_cells)::int AS cells, (SELECT count(*) FROM report_grid)::int AS grid`,
    );
    bench.log(`data ready in ${Math.round((Date.now() - started) / 1000)} s: ${stats.reports} reports, ${stats.cells} report_cells rows, ${stats.grid} report_grid rows`);
    return { core: [city.cw, city.cs, city.ce, city.cn], centre: [city.lon, city.lat] };
  });
}

function rangeOf(z: number, [w, s, e, n]: Box): TileRange {
  const nw = tileOf(w, n, z);
  const se = tileOf(e, s, z);
  return { z, x0: nw.x, x1: se.x, y0: nw.y, y1: se.y };
}

const randomIn = (a: number, b: number) => a + Math.floor(Math.random() * (b - a + 1));

/** The SQL our endpoint runs, with $n replaced for pgbench: variables for the tile, NULL for no filter. */
function pgbenchSql(sql: string, params: Record<number, string>): string {
  return `${sql.replace(/\$(\d+)/g, (_, n: string) => params[Number(n)] ?? 'NULL').replace(/\s*\n\s*/g, ' ').trim()};\n`;
}

function pointsScript(r: TileRange): string {
  return `\\set x random(${r.x0}, ${r.x1})\n\\set y random(${r.y0}, ${r.y1})\n` + pgbenchSql(TILE_SQL.reportPoints, { 1: String(r.z), 2: ':x', 3: ':y' });
}

function cellsScript(r: TileRange): string {
  const g = gridQueryFor({ z: r.z, x: r.x0, y: r.y0 }, CELL_LEVELS)!;
  const span = 2 ** (g.cellZoom - r.z);
  return (
    `\\set x random(${r.x0}, ${r.x1})\n\\set y random(${r.y0}, ${r.y1})\n` +
    `\\set xmin :x * ${span}\n\\set xmax (:x + 1) * ${span} - 1\n\\set ymin :y * ${span}\n\\set ymax (:y + 1) * ${span} - 1\n` +
    pgbenchSql(TILE_SQL.reportCells, { 1: String(r.z), 2: ':x', 3: ':y', 4: String(g.cellZoom), 5: String(g.shift), 6: ':xmin', 7: ':xmax', 8: ':ymin', 9: ':ymax' })
  );
}

const randomTile = (r: TileRange, port: number) => request('GET', `/tiles/reports/${r.z}/${randomIn(r.x0, r.x1)}/${randomIn(r.y0, r.y1)}.mvt`, port);

function merge(into: LoadResult, r: LoadResult): void {
  if (r.errors > 0) throw new Error(`tile requests failed: ${[...r.errorSamples].map(([k, n]) => `${n} x ${k}`).join('; ')}`);
  into.seconds += r.seconds;
  for (const [status, n] of r.ok) into.ok.set(status, (into.ok.get(status) ?? 0) + n);
  into.latenciesMs.push(...r.latenciesMs);
  into.bodyBytes += r.bodyBytes;
}

interface RefResult {
  tps: number;
  latenciesMs: number[];
  failed: number;
}

/**
 * Ours (random tiles of the range through the API) and the reference (pgbench, the same SQL on the
 * same tiles) with the same number of clients, in alternating slices: the machine is shared, and
 * whatever else runs on it then weighs on both sides alike.
 */
async function compare(port: number, r: TileRange, clients: number, script: string, meter?: CpuMeter): Promise<{ ours: LoadResult; ref: RefResult }> {
  const connections = Array.from({ length: clients }, () => new Connection(port));
  const next = () => randomTile(r, port);
  if (WARMUP > 0) {
    merge({ seconds: 0, ok: new Map(), errors: 0, errorSamples: new Map(), latenciesMs: [], bodyBytes: 0 }, await closedLoop(connections, WARMUP, next));
    await bench.pgbench(script, { clients, seconds: WARMUP });
  }
  const ours: LoadResult = { seconds: 0, ok: new Map(), errors: 0, errorSamples: new Map(), latenciesMs: [], bodyBytes: 0 };
  const ref: RefResult = { tps: 0, latenciesMs: [], failed: 0 };
  const slice = Math.max(1, Math.round(SECONDS / ROUNDS));
  for (let i = 0; i < ROUNDS; i++) {
    await meter?.start();
    merge(ours, await closedLoop(connections, slice, next));
    meter?.stop();
    const p = await bench.pgbench(script, { clients, seconds: slice, logLatencies: true });
    ref.tps += p.tps / ROUNDS;
    ref.latenciesMs.push(...(p.latenciesMs ?? []));
    ref.failed += p.failed;
  }
  for (const c of connections) c.close();
  ref.latenciesMs.sort((a, b) => a - b);
  return { ours, ref };
}

/** Warm-up, then `seconds` of random tiles of the range (ours only). */
async function load(port: number, r: TileRange, clients: number, seconds: number): Promise<LoadResult> {
  const connections = Array.from({ length: clients }, () => new Connection(port));
  const next = () => randomTile(r, port);
  if (WARMUP > 0) await closedLoop(connections, WARMUP, next);
  const result: LoadResult = { seconds: 0, ok: new Map(), errors: 0, errorSamples: new Map(), latenciesMs: [], bodyBytes: 0 };
  merge(result, await closedLoop(connections, seconds, next));
  for (const c of connections) c.close();
  return result;
}

/** The largest tile of a range (every tile fetched once). */
async function largestTile(port: number, r: TileRange): Promise<{ bytes: number; tile: string }> {
  const connection = new Connection(port);
  let best = { bytes: 0, tile: '' };
  for (let x = r.x0; x <= r.x1; x++) {
    for (let y = r.y0; y <= r.y1; y++) {
      const a = await connection.send(request('GET', `/tiles/reports/${r.z}/${x}/${y}.mvt`, port));
      if (a.status !== 200 && a.status !== 204) throw new Error(`tile ${r.z}/${x}/${y}: ${a.status} ${a.text}`);
      if (a.bytes > best.bytes) best = { bytes: a.bytes, tile: `${r.z}/${x}/${y}` };
    }
  }
  connection.close();
  return best;
}

const sortedCopy = (v: number[]) => [...v].sort((a, b) => a - b);
const tiles = (r: TileRange) => (r.x1 - r.x0 + 1) * (r.y1 - r.y0 + 1);
const describe = (r: TileRange) => `z${r.z} x ${r.x0}-${r.x1}, y ${r.y0}-${r.y1} (${tiles(r)} tiles)`;

async function main(): Promise<void> {
  await bench.createDatabase();
  const { core, centre } = await generateReports();
  // (a) every z14 tile over the built-up core (tiles with data, some dense); (b) the one tile over the
  // city centre at z10 and z6 (the city in one or a few tiles: the heaviest aggregate tiles).
  const z14 = rangeOf(14, core);
  const z10 = rangeOf(10, [centre[0], centre[1], centre[0], centre[1]]);
  const z6 = rangeOf(6, [centre[0], centre[1], centre[0], centre[1]]);

  // Caches off: every request builds its tile. Ours and pgbench alternate (see compare()).
  const api = await bench.startApi({ TILE_CACHE_TTL_SECONDS: '0', TILE_CACHE_MEMORY_MB: '0' });
  bench.log(`API up on 127.0.0.1:${api.port} (tile caches off); (a) ${describe(z14)}, ${CLIENTS} clients, ${ROUNDS} x ${SECONDS / ROUNDS} s each side`);
  const meter = new CpuMeter(bench, api.pid);
  const a14 = await compare(api.port, z14, CLIENTS, pointsScript(z14), meter);
  bench.log(`(b) ${describe(z6)} and ${describe(z10)}, 1 client`);
  const b6 = await compare(api.port, z6, 1, cellsScript(z6));
  const b10 = await compare(api.port, z10, 1, cellsScript(z10));
  const [ours14, ref14, ours6, ref6, ours10, ref10] = [a14.ours, a14.ref, b6.ours, b6.ref, b10.ours, b10.ref];
  const big14 = await largestTile(api.port, z14);
  const big10 = await largestTile(api.port, z10);
  const big6 = await largestTile(api.port, z6);
  await api.stop();

  // (c) Caches on (the defaults: Redis 60 s + 64 MB in-process): every z14 tile once, then the same load.
  const cached = await bench.startApi();
  bench.log(`API up on 127.0.0.1:${cached.port} (tile caches on): warming ${tiles(z14)} z14 tiles, then ${SECONDS} s`);
  await largestTile(cached.port, z14);
  const warm = await load(cached.port, z14, CLIENTS, SECONDS);
  await cached.stop();

  const rate = (r: LoadResult) => answered(r) / r.seconds;
  const p50 = (r: LoadResult) => percentile(sortedCopy(r.latenciesMs), 50);
  const refP50 = (r: RefResult) => percentile(r.latenciesMs, 50);
  const kb = (n: number) => `${fmt(n / 1024, 1)} KB`;
  const out = (line = '') => bench.out(line);
  out();
  out(`tiles: ${REPORTS} reports in ${CITY}, per measurement ${SECONDS} s each side in ${ROUNDS} alternating slices after ${WARMUP} s warm-up, 127.0.0.1, ${bench.dbName}`);
  out(`  (a) ${describe(z14)}, random tile per request, ${CLIENTS} connections, caches off:`);
  out(`    ours: ${answered(ours14)} tiles in ${fmt(ours14.seconds, 1)} s = ${fmt(rate(ours14), 1)}/s (${ours14.ok.get(204) ?? 0} empty 204), p50 ${fmt(p50(ours14), 2)} ms, p99 ${fmt(percentile(sortedCopy(ours14.latenciesMs), 99), 1)} ms, mean ${kb(ours14.bodyBytes / Math.max(1, answered(ours14)))}; largest ${big14.tile} ${kb(big14.bytes)}`);
  for (const line of meter.lines(answered(ours14), 'tile')) out(`    ${line}`);
  out(`    ref (pgbench -c ${CLIENTS} -j ${CLIENTS} -M prepared, same SQL, same tiles): ${fmt(ref14.tps, 1)} tps, p50 ${fmt(refP50(ref14), 2)} ms, p99 ${fmt(percentile(ref14.latenciesMs, 99), 1)} ms, ${ref14.failed} failed`);
  out(`  (b) aggregate tiles (report_cells), 1 connection, caches off:`);
  out(`    z6  ours p50 ${fmt(p50(ours6), 2)} ms (${fmt(rate(ours6), 0)}/s), ref p50 ${fmt(refP50(ref6), 2)} ms (${fmt(ref6.tps, 0)} tps); largest ${big6.tile} ${kb(big6.bytes)}`);
  out(`    z10 ours p50 ${fmt(p50(ours10), 2)} ms (${fmt(rate(ours10), 0)}/s), ref p50 ${fmt(refP50(ref10), 2)} ms (${fmt(ref10.tps, 0)} tps); largest ${big10.tile} ${kb(big10.bytes)}`);
  out(`  (c) caches on (Redis 60 s + 64 MB in-process), ${CLIENTS} connections, z14 tiles warmed: ${fmt(rate(warm), 0)}/s, p50 ${fmt(p50(warm), 2)} ms, p99 ${fmt(percentile(sortedCopy(warm.latenciesMs), 99), 2)} ms`);
  out(`  p50 targets: ours <= ref + ${Z14_P50_MARGIN_MS} ms is printed as ratio = ours / (ref + ${Z14_P50_MARGIN_MS}), pass when <= 1; sizes as ratio = bytes / 500 KB.`);
  out();
  bench.bench('z14-rps', fmt(rate(ours14), 1), fmt(ref14.tps, 1), fmt(rate(ours14) / ref14.tps, 2), '>=', Z14_RPS_TARGET);
  bench.bench('z14-p50-ms', fmt(p50(ours14), 2), fmt(refP50(ref14) + Z14_P50_MARGIN_MS, 2), fmt(p50(ours14) / (refP50(ref14) + Z14_P50_MARGIN_MS), 2), '<=', 1);
  bench.bench('z6-p50-ms', fmt(p50(ours6), 2), fmt(refP50(ref6), 2), fmt(p50(ours6) / refP50(ref6), 2), '<=', AGGREGATE_TARGET);
  bench.bench('z10-p50-ms', fmt(p50(ours10), 2), fmt(refP50(ref10), 2), fmt(p50(ours10) / refP50(ref10), 2), '<=', AGGREGATE_TARGET);
  bench.bench('z6-max-bytes', String(big6.bytes), String(MAX_TILE_BYTES), fmt(big6.bytes / MAX_TILE_BYTES, 3), '<=', 1);
  bench.bench('z10-max-bytes', String(big10.bytes), String(MAX_TILE_BYTES), fmt(big10.bytes / MAX_TILE_BYTES, 3), '<=', 1);
  bench.bench('warm-rps', fmt(rate(warm), 0), fmt(rate(ours14), 1), fmt(rate(warm) / rate(ours14), 1), '>=', WARM_TARGET);
}

// Generation (~minutes at 1,000,000 reports), five measurements, pgbench runs and a margin.
await bench.run(main, 1800 + 10 * (SECONDS + WARMUP));
