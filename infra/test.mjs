// `npm test`: services ready, type check, web build, then every Jest suite (unit, integration against the
// real PostGIS and Redis, browser in Chromium) in throw-away databases. Ends with the line
// "N passed, N failed" summing every suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildWebIfStale, ensureServices, log, root, run } from './lib.mjs';

const extra = process.argv.slice(2);
let passed = 0;
let failed = 0;

try {
  ensureServices({ browser: true });
  log('type-checking');
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json'), '--noEmit']);
  run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'apps', 'web', 'tsconfig.json'), '--noEmit']);
  buildWebIfStale();
} catch (err) {
  log(err.message);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}

mkdirSync(join(root, 'test-results'), { recursive: true });
const resultFile = join(root, 'test-results', 'jest.json');
const jest = spawnSync(
  process.execPath,
  ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--json', `--outputFile=${resultFile}`, ...extra],
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);

if (existsSync(resultFile)) {
  const result = JSON.parse(readFileSync(resultFile, 'utf8'));
  passed = result.numPassedTests;
  failed = result.numFailedTests + result.numRuntimeErrorTestSuites;
} else {
  failed = 1;
}
const code = jest.status === 0 && failed === 0 ? 0 : 1;
if (code !== 0 && failed === 0) failed = 1;
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(code);
