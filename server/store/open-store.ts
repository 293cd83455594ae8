// Picks the store: DATABASE_URL=postgres://… opens PostgreSQL/PostGIS, otherwise the embedded SQLite in DATA_DIR.
import type { Logger } from 'pino';
import type { Config } from '../config';
import { openPostgresStore } from './postgres';
import { openSqliteStore } from './sqlite';
import type { Store } from './store';

/** The store could not be opened (unreachable, refused, no PostGIS): a one-line reason, no password. */
export class StoreOpenError extends Error {}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

export async function openStore(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  logger: Pick<Logger, 'info' | 'error'>,
): Promise<Store> {
  if (config.databaseUrl === null)
    return openSqliteStore(config.dataDir, {
      onChecked: (report) => logger.info(report, 'store integrity checked'),
    });
  const where = redactUrl(config.databaseUrl);
  try {
    return await openPostgresStore(config.databaseUrl, {
      onMigrated: (versions) => logger.info({ database: where, applied: versions }, 'store migrated'),
      onError: (error) => logger.error({ err: error, database: where }, 'idle database connection failed'),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreOpenError(`cannot open the PostgreSQL store at ${where}: ${reason.replace(/\s+/g, ' ')}`);
  }
}
