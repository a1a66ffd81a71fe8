// Our package mirror lacks some other-platform builds of optional native packages (e.g. a darwin build
// of msgpackr-extract at the version its parent pins). `npm install` then leaves them out of
// package-lock.json but keeps the optional edges, and `npm ci` refuses the lock as out of sync.
// Run after changing dependencies: `node infra/prune-lock.mjs` drops those dangling optional edges.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './lib.mjs';

const file = join(root, 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const present = new Set(Object.keys(lock.packages).map((p) => p.replace(/^.*node_modules\//, '')));
let dropped = 0;
for (const entry of Object.values(lock.packages)) {
  if (!entry.optionalDependencies) continue;
  for (const name of Object.keys(entry.optionalDependencies)) {
    if (!present.has(name)) {
      delete entry.optionalDependencies[name];
      dropped += 1;
    }
  }
  if (Object.keys(entry.optionalDependencies).length === 0) delete entry.optionalDependencies;
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stderr.write(`package-lock.json: dropped ${dropped} optional edge(s) the registry cannot serve\n`);
