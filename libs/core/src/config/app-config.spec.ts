import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('gives working dev defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/taza');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.DEMO_DATA).toBe(true);
  });

  it('reads and converts the values that are set', () => {
    const config = loadConfig({ PORT: '8080', DEMO_DATA: 'false', REDIS_URL: 'redis://cache:6380', OUTBOX_BATCH_SIZE: '50' });
    expect(config.PORT).toBe(8080);
    expect(config.DEMO_DATA).toBe(false);
    expect(config.REDIS_URL).toBe('redis://cache:6380');
    expect(config.OUTBOX_BATCH_SIZE).toBe(50);
  });

  it('names the variable and the expected form when a value is bad', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be an integer port from 1 to 65535 \(got "eighty"\)/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a URL like postgres:\/\//);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({ PORT: '0', REDIS_URL: 'http://x', NODE_ENV: 'staging' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['NODE_ENV', 'PORT', 'REDIS_URL']);
    }
  });

  it('refuses demo data in production and turns it off by default there', () => {
    const secret = 'a-production-secret-of-more-than-32-chars';
    const cameraKey = 'ab'.repeat(32);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, CAMERA_KEY_ENCRYPTION_KEY: cameraKey }).DEMO_DATA).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, CAMERA_KEY_ENCRYPTION_KEY: cameraKey, DEMO_DATA: 'true' })).toThrow(/DEMO_DATA must be false in production/);
  });

  it('refuses the development JWT secret in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET must be set to your own random secret in production/);
    expect(() => loadConfig({ JWT_SECRET: 'short' })).toThrow(/JWT_SECRET must be a random secret of at least 32 characters/);
  });

  it('refuses the development camera key encryption key in production, and a key that is not 32 hex bytes', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-more-than-32-chars' })).toThrow(
      /CAMERA_KEY_ENCRYPTION_KEY must be set to your own random key in production/,
    );
    expect(() => loadConfig({ CAMERA_KEY_ENCRYPTION_KEY: 'abc' })).toThrow(/CAMERA_KEY_ENCRYPTION_KEY must be 64 hex characters/);
  });
});
