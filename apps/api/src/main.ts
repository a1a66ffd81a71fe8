import 'reflect-metadata';
import { loadConfigOrExit } from '../../../libs/core/src/index.js';
import { createApiApp } from './app.factory.js';

const config = loadConfigOrExit();
const app = await createApiApp(config);
await app.listen({ port: config.PORT, host: config.HOST });
const shown = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
process.stdout.write(`Taza Map API listening on http://${shown}:${config.PORT}\n`);

let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  // Never hang a deploy: whatever is still open after the timeout is cut.
  setTimeout(() => {
    process.stderr.write(`API did not stop within ${config.SHUTDOWN_TIMEOUT_MS} ms after ${signal}; exiting\n`);
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS).unref();
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
