// Reads the environment into a typed Config with defaults; a bad value is a one-line error naming the variable.
import path from 'node:path';
import { parseAllowedOrigins } from './security/origin';
import { basemapConfigFromEnv, pmtilesFileFromEnv, type BasemapConfig } from './http/basemap-config';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  scenario: boolean;
  demo: boolean;
  demoPassword: string;
  adminPassword: string | null;
  jwtSecret: string | null;
  tlsCert: string | null;
  tlsKey: string | null;
  /** ALLOWED_ORIGINS: other origins whose pages may open the live link (the page's own always may). */
  allowedOrigins: string[];
  /** REST_RATE_PER_S (0 = off) and REST_BURST: requests per account, a token bucket (security/access). */
  restRatePerS: number;
  restBurst: number;
  osmandPort: number;
  cotPort: number;
  flushMs: number;
  unitStaleMs: number;
  historyDays: number;
  borderZoneMeters: number;
  timeZone: string;
  logLevel: string;
  nodeEnv: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  simulatorUnits: number;
  simulatorIntervalMs: number;
  /** Days of history, incidents and reports a fresh demo store is backfilled with; 0 = none (docs/demo.md). */
  demoBackfillDays: number;
  /** Seeds the demo's random draws: the same seed and start time give the same backfill. */
  demoSeed: number;
  /** Mean time between demo-life happenings (incidents, reports, SOS); 0 = no demo life. */
  demoLifeIntervalMs: number;
  basemap: BasemapConfig;
  /** BASEMAP_PMTILES when it names a local archive (served at /basemap.pmtiles); null otherwise. */
  basemapPmtilesFile: string | null;
  /** Deadlines per status and category (docs/closed-loop.md); null = the defaults. */
  deadlinesJson: string | null;
  /** Bearer token for GET /metrics from anywhere; null = loopback only (docs/operations.md). */
  metricsToken: string | null;
}

export const DEFAULT_DEMO_PASSWORD = 'lianfang-demo';

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

function optional(env: Env, name: string): string | null {
  const value = env[name];
  return value === undefined || value === '' ? null : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be 1 or 0, got "${raw}"`);
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function timeZone(env: Env): string {
  const zone = text(env, 'TZ', 'Asia/Shanghai');
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ConfigError(`TZ must be an IANA time zone such as Asia/Shanghai, got "${zone}"`);
  }
  return zone;
}

function allowedOrigins(env: Env): string[] {
  try {
    return parseAllowedOrigins(env.ALLOWED_ORIGINS);
  } catch (error) {
    throw new ConfigError(`ALLOWED_ORIGINS: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The BASEMAP* variables (docs/basemap.md), their errors as ConfigErrors. */
function basemap<T>(env: Env, read: (env: Env) => T): T {
  try {
    return read(env);
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}

/** DATABASE_URL selects the PostgreSQL store; unset, the embedded SQLite in DATA_DIR stays the store. */
function databaseUrl(env: Env): string | null {
  const url = optional(env, 'DATABASE_URL');
  if (url !== null && !/^postgres(ql)?:\/\/./.test(url))
    throw new ConfigError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  return url;
}

/** Parses and checks the whole configuration; throws ConfigError with a one-line message. */
export function loadConfig(env: Env = process.env): Config {
  const config: Config = {
    host: text(env, 'HOST', '127.0.0.1'),
    port: integer(env, 'PORT', 8080, 0, 65535),
    dataDir: path.resolve(text(env, 'DATA_DIR', './var')),
    scenario: flag(env, 'SCENARIO', true),
    demo: flag(env, 'DEMO', true),
    demoPassword: text(env, 'DEMO_PASSWORD', DEFAULT_DEMO_PASSWORD),
    adminPassword: optional(env, 'ADMIN_PASSWORD'),
    jwtSecret: optional(env, 'JWT_SECRET'),
    tlsCert: optional(env, 'TLS_CERT'),
    tlsKey: optional(env, 'TLS_KEY'),
    allowedOrigins: allowedOrigins(env),
    restRatePerS: integer(env, 'REST_RATE_PER_S', 50, 0, 100_000),
    restBurst: integer(env, 'REST_BURST', 500, 1, 1_000_000),
    osmandPort: integer(env, 'OSMAND_PORT', 5055, 0, 65535),
    cotPort: integer(env, 'COT_PORT', 8087, 0, 65535),
    flushMs: integer(env, 'FLUSH_MS', 100, 10, 10_000),
    unitStaleMs: integer(env, 'UNIT_STALE_MS', 120_000, 1_000, 86_400_000),
    historyDays: integer(env, 'HISTORY_DAYS', 7, 1, 3650),
    borderZoneMeters: integer(env, 'BORDER_ZONE_M', 500, 1, 100_000),
    timeZone: timeZone(env),
    logLevel: text(env, 'LOG_LEVEL', 'info'),
    nodeEnv: text(env, 'NODE_ENV', 'development'),
    databaseUrl: databaseUrl(env),
    redisUrl: optional(env, 'REDIS_URL'),
    simulatorUnits: integer(env, 'SIM_UNITS', 100_000, 0, 100_000),
    simulatorIntervalMs: integer(env, 'SIM_INTERVAL_MS', 1000, 50, 600_000),
    demoBackfillDays: integer(env, 'DEMO_BACKFILL_DAYS', 3, 0, 30),
    demoSeed: integer(env, 'DEMO_SEED', 20121106, 0, 4_294_967_295),
    demoLifeIntervalMs: integer(env, 'DEMO_LIFE_INTERVAL_MS', 120_000, 0, 86_400_000),
    basemap: basemap(env, basemapConfigFromEnv),
    basemapPmtilesFile: basemap(env, pmtilesFileFromEnv),
    deadlinesJson: optional(env, 'DEADLINES_JSON'),
    metricsToken: optional(env, 'METRICS_TOKEN'),
  };
  // Unset, the backfill fits in the history kept; set, it must (checked below).
  if (!env.DEMO_BACKFILL_DAYS)
    config.demoBackfillDays = Math.min(config.demoBackfillDays, config.historyDays);
  checkCombinations(config);
  return config;
}

function checkCombinations(config: Config): void {
  if ((config.tlsCert === null) !== (config.tlsKey === null)) {
    throw new ConfigError('TLS_CERT and TLS_KEY must be set together');
  }
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  if (config.demo && !isLoopback(config.host) && config.demoPassword === DEFAULT_DEMO_PASSWORD) {
    throw new ConfigError(
      `HOST=${config.host} is reachable from the network and DEMO=1 uses the default DEMO_PASSWORD: ` +
        'set DEMO_PASSWORD to a secret of your own, or DEMO=0',
    );
  }
  if (config.demoLifeIntervalMs > 0 && config.demoLifeIntervalMs < 100) {
    throw new ConfigError(
      `DEMO_LIFE_INTERVAL_MS must be 0 (off) or at least 100, got ${config.demoLifeIntervalMs}`,
    );
  }
  if (config.demo && config.demoBackfillDays > config.historyDays) {
    throw new ConfigError(
      `DEMO_BACKFILL_DAYS=${config.demoBackfillDays} is more than HISTORY_DAYS=${config.historyDays}: ` +
        'history older than HISTORY_DAYS is pruned within the hour',
    );
  }
  if (config.jwtSecret === null && (config.databaseUrl !== null || config.nodeEnv === 'production')) {
    throw new ConfigError('JWT_SECRET is required with DATABASE_URL or NODE_ENV=production');
  }
  // Several nodes must sign and check tokens with one secret (docs/operations.md, "Several nodes").
  if (config.redisUrl !== null && config.jwtSecret === null) {
    throw new ConfigError('JWT_SECRET is required with REDIS_URL: every node must share it');
  }
  if (config.redisUrl !== null && !/^rediss?:\/\/[^/]/.test(config.redisUrl)) {
    throw new ConfigError(`REDIS_URL must be a redis:// or rediss:// URL, got "${config.redisUrl}"`);
  }
  if (config.jwtSecret !== null && config.jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters');
  }
  if (config.nodeEnv === 'production' && config.demo && config.demoPassword === DEFAULT_DEMO_PASSWORD) {
    throw new ConfigError(
      'NODE_ENV=production with DEMO=1 and the default DEMO_PASSWORD: set DEMO=0, or DEMO_PASSWORD to a secret',
    );
  }
}
