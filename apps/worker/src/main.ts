import 'reflect-metadata';
import { loadConfigOrExit } from '../../../libs/core/src/index.js';
import { createWorker } from './worker.factory.js';

const config = loadConfigOrExit();
const worker = await createWorker(config);
process.stdout.write('Taza Map worker running\n');

let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  setTimeout(() => {
    process.stderr.write(`worker did not stop within ${config.SHUTDOWN_TIMEOUT_MS} ms after ${signal}; exiting\n`);
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS).unref();
  worker.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
