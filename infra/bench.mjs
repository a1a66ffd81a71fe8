// `npm run bench -- <name>`: builds the server code and runs bench/<name>.ts (compiled to dist/bench).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildServer, ensureServices, log, root, run } from './lib.mjs';

const name = process.argv[2];
const available = existsSync(join(root, 'bench'))
  ? readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, ''))
  : [];
if (!name || !available.includes(name)) {
  log(available.length ? `name a benchmark: ${available.join(', ')}` : 'no benchmarks exist yet');
  process.exit(name ? 1 : 0);
}
ensureServices();
buildServer();
run(process.execPath, ['--enable-source-maps', join(root, 'dist', 'bench', `${name}.bench.js`), ...process.argv.slice(3)]);
