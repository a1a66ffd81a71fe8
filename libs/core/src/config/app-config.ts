import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  type ValidationError,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return value;
};

const DEV_JWT_SECRET = 'dev-only-secret-change-me-in-production-0123456789';
const DEV_CAMERA_KEY_ENCRYPTION_KEY = '7461a2a2d65f0c5e8f3b1c9d2e4f6a8b0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f';

export type NodeEnv = 'development' | 'test' | 'production';

/**
 * Every setting the processes read, validated once at boot. Nothing else reads process.env.
 * Each property's `expected` text is what a person sees when the value is wrong.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: NodeEnv = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @Matches(/^postgres(ql)?:\/\/[^\s]+$/)
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/taza';

  @Matches(/^rediss?:\/\/[^\s]+$/)
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Key prefix of every BullMQ queue, so several deployments or test runs can share one Redis. */
  @Matches(/^[a-zA-Z0-9_.:-]{1,64}$/)
  QUEUE_PREFIX = 'taza';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Loads the demo cities and accounts on start; refused in production. */
  @Transform(toBool)
  @IsBoolean()
  DEMO_DATA = true;

  /**
   * With DEMO_DATA: a few hundred generated reports per demo city (most on the outskirts, piling up in
   * hotspots). The test harness turns it off so tests count only their own reports.
   */
  @Transform(toBool)
  @IsBoolean()
  DEMO_REPORTS = true;

  @IsString()
  @MinLength(8)
  DEMO_PASSWORD = 'taza-demo-2026';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  OUTBOX_BATCH_SIZE = 200;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60000)
  OUTBOX_POLL_MS = 500;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  OUTBOX_LEASE_SECONDS = 30;

  /** Longest pause of the outbox relay while Redis does not answer. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(600000)
  OUTBOX_MAX_BACKOFF_MS = 30000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60000)
  SHUTDOWN_TIMEOUT_MS = 8000;

  /**
   * Lock of a hotspot clustering job: BullMQ renews it every half period while the run works, so a long
   * run keeps it; only a dead worker lets it lapse, and the job then runs again (its run id makes that safe).
   */
  @Transform(toInt)
  @IsInt()
  @Min(10000)
  @Max(3600000)
  HOTSPOT_JOB_LOCK_MS = 120000;

  /** Reclusters triggered by changes run at most once per city per this period (the debounce bucket). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3600000)
  HOTSPOT_DEBOUNCE_MS = 60000;

  /** Signs access tokens (HS256). Production refuses the development default. */
  @IsString()
  @MinLength(32)
  JWT_SECRET = DEV_JWT_SECRET;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  /** Refresh cookies are Secure by default; only plain-HTTP development without localhost needs false. */
  @Transform(toBool)
  @IsBoolean()
  COOKIE_SECURE = true;

  /**
   * Trust X-Forwarded-For from a proxy in front: only behind a load balancer that sets it, or per-IP
   * limits could be dodged by any client writing that header.
   */
  @Transform(toBool)
  @IsBoolean()
  TRUST_PROXY = false;

  /** A bearer token a Prometheus scraper may use for /metrics besides an admin's session. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  METRICS_TOKEN?: string;

  /**
   * Outgoing mail: smtp://user:pass@host:port (smtps:// for TLS). Unset: outside production each email is
   * written to MAIL_DIR as an .eml file; in production it stays in the table, unsent.
   */
  @IsOptional()
  @Matches(/^smtps?:\/\/[^\s]+$/)
  SMTP_URL?: string;

  @IsString()
  MAIL_FROM = 'Taza Map <no-reply@taza.example>';

  /** Where emails are written as .eml files when SMTP_URL is unset (not in production); empty means var/mail. */
  @IsOptional()
  @IsString()
  MAIL_DIR?: string;

  /** The public address of the web app, for links in emails. */
  @Matches(/^https?:\/\/[^\s]+$/)
  PUBLIC_URL = 'http://localhost:3000';

  /** Where uploaded media is kept (outside any web root); empty means var/media beside the project root. */
  @IsOptional()
  @IsString()
  MEDIA_DIR?: string;

  /** How long built map tiles are kept in Redis (shared by every API process); 0 turns that cache off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3600)
  TILE_CACHE_TTL_SECONDS = 60;

  /**
   * Size of each API process's in-memory tile cache in front of Redis (least recently used tiles go
   * first); 0 turns it off. Entries are keyed by the layer's version like Redis's, so they are never stale.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(4096)
  TILE_CACHE_MEMORY_MB = 64;

  /** Test harness only: how loud the apps that tests start are. */
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  TEST_LOG_LEVEL = 'silent';

  /** Test harness only: the Chromium the browser specs drive (Debian's package by default). */
  @IsString()
  CHROMIUM_PATH = '/usr/bin/chromium';

  /**
   * Encrypts cameras' signing secrets at rest (AES-256-GCM): 64 hex characters (32 bytes). Production
   * refuses the development default. Changing it makes every stored camera key unusable.
   */
  @Matches(/^[0-9a-fA-F]{64}$/)
  CAMERA_KEY_ENCRYPTION_KEY = DEV_CAMERA_KEY_ENCRYPTION_KEY;

  /** Where the built web app lives; empty means dist/web beside the project root. */
  @IsOptional()
  @IsString()
  WEB_DIST_DIR?: string;

  /** A MapLibre style URL for the web map's base layer (e.g. OpenStreetMap-based); unset or unloadable: the offline style. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/)
  MAP_STYLE_URL?: string;

  /** A Nominatim-compatible geocoder (its base URL, `/search` is appended); unset: the web app shows no address search. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/)
  GEOCODER_URL?: string;
}

const EXPECTED: Record<keyof AppConfig, string> = {
  NODE_ENV: 'one of development, test, production',
  PORT: 'an integer port from 1 to 65535',
  HOST: 'a host name or IP address to listen on',
  DATABASE_URL: 'a URL like postgres://user:password@host:5432/database',
  REDIS_URL: 'a URL like redis://host:6379',
  QUEUE_PREFIX: '1-64 characters of letters, digits, _ . : -',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
  DEMO_DATA: 'true or false',
  DEMO_REPORTS: 'true or false',
  DEMO_PASSWORD: 'at least 8 characters',
  OUTBOX_BATCH_SIZE: 'an integer from 1 to 10000',
  OUTBOX_POLL_MS: 'an integer number of milliseconds from 10 to 60000',
  OUTBOX_LEASE_SECONDS: 'an integer number of seconds from 1 to 3600',
  OUTBOX_MAX_BACKOFF_MS: 'an integer number of milliseconds from 100 to 600000',
  SHUTDOWN_TIMEOUT_MS: 'an integer number of milliseconds from 100 to 60000',
  HOTSPOT_JOB_LOCK_MS: 'an integer number of milliseconds from 10000 to 3600000',
  HOTSPOT_DEBOUNCE_MS: 'an integer number of milliseconds from 100 to 3600000',
  WEB_DIST_DIR: 'a directory path',
  MEDIA_DIR: 'a directory path',
  TILE_CACHE_TTL_SECONDS: 'an integer number of seconds from 0 (off) to 3600',
  TILE_CACHE_MEMORY_MB: 'an integer number of megabytes from 0 (off) to 4096',
  TEST_LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
  CHROMIUM_PATH: 'the path of a Chromium executable',
  SMTP_URL: 'a URL like smtp://user:password@mail.example:587',
  MAIL_FROM: 'a From address, e.g. Taza Map <no-reply@city.kz>',
  MAIL_DIR: 'a directory path',
  PUBLIC_URL: 'the public http(s) URL of the web app',
  JWT_SECRET: 'a random secret of at least 32 characters',
  ACCESS_TOKEN_TTL_SECONDS: 'an integer number of seconds from 60 to 3600',
  REFRESH_TOKEN_TTL_DAYS: 'an integer number of days from 1 to 365',
  COOKIE_SECURE: 'true or false',
  TRUST_PROXY: 'true or false',
  METRICS_TOKEN: 'a secret of at least 16 characters',
  CAMERA_KEY_ENCRYPTION_KEY: '64 hex characters (a random 32-byte key, e.g. from `openssl rand -hex 32`)',
  MAP_STYLE_URL: 'the http(s) URL of a MapLibre style JSON',
  GEOCODER_URL: 'the http(s) base URL of a Nominatim-compatible geocoder',
};

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; expected: string; got: string | undefined }[]) {
    super(
      problems
        .map((p) => `Invalid configuration: ${p.variable} must be ${p.expected} (got ${p.got === undefined ? 'nothing' : JSON.stringify(p.got)}).`)
        .join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Builds the config from an environment (process.env by default); throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(EXPECTED) as (keyof AppConfig)[];
  const raw: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  if (env.NODE_ENV === 'production' && raw.DEMO_DATA === undefined) raw.DEMO_DATA = 'false';
  const config = plainToInstance(AppConfig, raw, { exposeDefaultValues: true });
  const errors: ValidationError[] = validateSync(config, { whitelist: false });
  const problems: { variable: string; expected: string; got: string | undefined }[] = errors.map((e) => ({
    variable: e.property,
    expected: EXPECTED[e.property as keyof AppConfig] ?? 'a valid value',
    got: raw[e.property],
  }));
  if (config.NODE_ENV === 'production' && config.DEMO_DATA) {
    problems.push({ variable: 'DEMO_DATA', expected: 'false in production (demo accounts must never reach production)', got: raw.DEMO_DATA });
  }
  if (config.NODE_ENV === 'production' && config.JWT_SECRET === DEV_JWT_SECRET) {
    problems.push({ variable: 'JWT_SECRET', expected: 'set to your own random secret in production', got: undefined });
  }
  if (config.NODE_ENV === 'production' && config.CAMERA_KEY_ENCRYPTION_KEY === DEV_CAMERA_KEY_ENCRYPTION_KEY) {
    problems.push({ variable: 'CAMERA_KEY_ENCRYPTION_KEY', expected: 'set to your own random key in production', got: undefined });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** For process entry points: load the config or print the problem and exit 1. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
