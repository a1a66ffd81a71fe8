import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Packages that ship only ES modules: CommonJS dependencies require some of them (see the transform). */
function esmOnlyPackages() {
  const root = join(process.cwd(), 'node_modules');
  const names = [];
  const consider = (name) => {
    const manifest = join(root, name, 'package.json');
    if (!existsSync(manifest)) return;
    try {
      if (JSON.parse(readFileSync(manifest, 'utf8')).type === 'module') names.push(name);
    } catch {
      // unreadable manifest: leave it alone
    }
  };
  for (const entry of readdirSync(root)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const sub of readdirSync(join(root, entry))) consider(`${entry}/${sub}`);
    else consider(entry);
  }
  return names;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * One Jest run for every suite: unit specs (*.spec.ts), integration specs against the real PostGIS and
 * Redis (*.int-spec.ts) and browser specs in Debian's Chromium (*.web-spec.ts).
 * ESM throughout: run under `node --experimental-vm-modules` (infra/test.mjs does).
 */
export default {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/migrations'],
  testMatch: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.web-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/apps/web/src/'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
    '/node_modules/.+\\.m?js$': '<rootDir>/libs/testing/src/esm-to-cjs.transform.cjs',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyPackages().map(escape).join('|')})/)`],
  globalSetup: '<rootDir>/libs/testing/src/global-setup.mjs',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.mjs',
  maxWorkers: 2,
  testTimeout: 60000,
  slowTestThreshold: 20,
};
