// `npm start`: services ready, migrations, demo data, builds when stale, then the API and the worker.
// Ctrl-C stops both cleanly: each drains and closes its pools; anything left after 10 s is killed.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildServer, buildWebIfStale, cli, ensureDatabase, ensureServices, log, root } from './lib.mjs';

const port = process.env.PORT ?? '3000';

try {
  ensureServices();
  await ensureDatabase();
  buildServer();
  buildWebIfStale();
  cli('migration:run');
  cli('seed');
} catch (err) {
  log(err.message);
  process.exit(1);
}

const children = new Map();
let stopping = false;

function startChild(name, script) {
  const child = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist', 'apps', name, 'src', script)], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, PORT: port },
  });
  children.set(name, child);
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      log(`${name} exited (${signal ?? code}); stopping`);
      stop(1);
    } else if (children.size === 0) {
      process.exit(exitCode);
    }
  });
}

let exitCode = 0;
function stop(code) {
  if (stopping) return;
  stopping = true;
  exitCode = code;
  for (const child of children.values()) child.kill('SIGTERM');
  if (children.size === 0) process.exit(code);
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
    process.exit(code || 1);
  }, 10000).unref();
}

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

startChild('api', 'main.js');
startChild('worker', 'main.js');

// Tell the person where to go once the API answers.
const url = `http://localhost:${port}`;
for (let i = 0; i < 200 && !stopping; i++) {
  try {
    const res = await fetch(`${url}/api/health`);
    if (res.status === 200 || res.status === 503) {
      process.stdout.write(`\nTaza Map is running at ${url}  (API docs: ${url}/api/docs, Ctrl-C stops)\n\n`);
      break;
    }
  } catch {
    // not listening yet
  }
  await new Promise((r) => setTimeout(r, 250));
}
