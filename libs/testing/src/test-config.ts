import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AppConfig } from '../../core/src/index.js';

/** A validated config for one test file: its own database, its own queue prefix, quiet logs. */
export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): AppConfig {
  const base = loadConfig();
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: base.REDIS_URL,
    QUEUE_PREFIX: `taza-test-${randomBytes(4).toString('hex')}`,
    LOG_LEVEL: base.TEST_LOG_LEVEL,
    OUTBOX_POLL_MS: '50',
    OUTBOX_MAX_BACKOFF_MS: '1000',
    // Tests count their own reports; the hotspots tests that want the demo reports turn them on.
    DEMO_REPORTS: 'false',
    // Uploaded media of tests never lands in the project's var/media.
    MEDIA_DIR: join(tmpdir(), `taza-test-media-${process.pid}`),
    // Nor do the emails of tests without an SMTP server land in var/mail.
    MAIL_DIR: join(tmpdir(), `taza-test-mail-${process.pid}-${randomBytes(4).toString('hex')}`),
    ...overrides,
  });
}
