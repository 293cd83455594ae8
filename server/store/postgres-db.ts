// What every PostgreSQL store file shares: the pool type, transactions resolved after COMMIT, error codes.
import pg from 'pg';

export type Row = Record<string, unknown>;
/** Anything that runs a query: the pool, or the client of an open transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

/**
 * BIGINT columns hold epoch milliseconds and counts, all within Number's safe range: read them as numbers
 * (pg's default is strings). Set per pool, never globally.
 */
const INT8 = 20;
const defaultParser = pg.types.getTypeParser as (oid: number, format: 'text' | 'binary') => unknown;
export const TYPES = {
  getTypeParser: ((oid: number, format: 'text' | 'binary' = 'text') =>
    oid === INT8
      ? (value: string) => Number(value)
      : defaultParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
} satisfies pg.CustomTypesConfig;

/** Runs `work` in one transaction; resolves with its result only after COMMIT, rolls back on any error. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // A connection whose ROLLBACK failed is in an unknown state: it goes back to the pool as broken.
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    let result: T;
    try {
      result = await work(client);
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: unknown) => {
        broken = rollback instanceof Error ? rollback : new Error(String(rollback));
      });
      throw error;
    }
    await client.query('COMMIT');
    return result;
  } finally {
    client.release(broken);
  }
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === '23505';
}

/** A nullable number column. */
export const numberOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

export const parseBody = <T>(row: Row): T => JSON.parse(String(row.body)) as T;

/** Numbered parameters for SQL built piece by piece: add(value) returns its placeholder ($1, $2, …). */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    return `$${this.values.push(value)}`;
  }
}
