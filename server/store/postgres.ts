// The PostgreSQL/PostGIS store behind the async Store interface: a pg Pool, migrated under an advisory lock.
import type { FeatureCollection } from 'geojson';
import pg from 'pg';
import type { Fence, LayerKind } from '../contract';
import { closedLoopStores } from './postgres-closed-loop';
import { TYPES, inTransaction, isUniqueViolation, type Row } from './postgres-db';
import { withTextErrors } from './postgres-errors';
import { eventStore, historyStore } from './postgres-history';
import { migratePostgres } from './postgres-migrations';
import {
  ConflictError,
  type FenceStore,
  type LayerRecord,
  type LayerStore,
  type Store,
  type UnitRecord,
  type UnitStore,
  type UserRecord,
  type UserStore,
} from './store';
import { toUnit, toUser } from './row-mappers';

async function one(pool: pg.Pool, sql: string, params: unknown[]): Promise<Row | null> {
  const { rows } = await pool.query(sql, params);
  return (rows[0] as Row | undefined) ?? null;
}

function userStore(pool: pg.Pool): UserStore {
  const byId = async (id: string): Promise<UserRecord | null> => {
    const row = await one(pool, 'SELECT * FROM users WHERE id = $1', [id]);
    return row ? toUser(row) : null;
  };
  return {
    count: async () => Number((await one(pool, 'SELECT count(*) AS n FROM users', []))?.n ?? 0),
    byUsername: async (username) => {
      const row = await one(pool, 'SELECT * FROM users WHERE username = $1', [username]);
      return row ? toUser(row) : null;
    },
    byId,
    create: async (user) => {
      try {
        await pool.query(
          `INSERT INTO users (id, username, role, unit_id, segment_ids, area_id, staff_id, password_hash,
             created_at, token_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            ...[user.id, user.username, user.role, user.unitId, JSON.stringify(user.segmentIds)],
            ...[user.areaId, user.staffId, user.passwordHash, user.createdAt, user.tokenVersion ?? 0],
          ],
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`user ${user.username} exists`);
        throw error;
      }
    },
    list: async () => (await pool.query('SELECT * FROM users ORDER BY username')).rows.map(toUser),
    update: async (id, patch) => {
      const current = await byId(id);
      if (!current) return null;
      const next = { ...current, ...patch };
      try {
        await pool.query(
          `UPDATE users SET username = $1, role = $2, unit_id = $3, segment_ids = $4, area_id = $5,
             staff_id = $6, password_hash = $7, token_version = $8 WHERE id = $9`,
          [
            ...[next.username, next.role, next.unitId, JSON.stringify(next.segmentIds), next.areaId],
            ...[next.staffId, next.passwordHash, next.tokenVersion ?? 0, id],
          ],
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`user ${next.username} exists`);
        throw error;
      }
      return next;
    },
    remove: async (id) => ((await pool.query('DELETE FROM users WHERE id = $1', [id])).rowCount ?? 0) > 0,
  };
}

function unitStore(pool: pg.Pool): UnitStore {
  const byId = async (id: string): Promise<UnitRecord | null> => {
    const row = await one(pool, 'SELECT * FROM units WHERE id = $1', [id]);
    return row ? toUnit(row) : null;
  };
  return {
    list: async () => (await pool.query('SELECT * FROM units ORDER BY id')).rows.map(toUnit),
    byId,
    byDeviceId: async (deviceId) => {
      const row = await one(pool, 'SELECT * FROM units WHERE device_id = $1', [deviceId]);
      return row ? toUnit(row) : null;
    },
    create: async (unit) => {
      try {
        await pool.query(
          'INSERT INTO units (id, kind, callsign, device_id, created_at) VALUES ($1, $2, $3, $4, $5)',
          [unit.id, unit.kind, unit.callsign, unit.deviceId, unit.createdAt],
        );
      } catch (error) {
        if (isUniqueViolation(error))
          throw new ConflictError(`unit ${unit.id} or device ${unit.deviceId} exists`);
        throw error;
      }
    },
    // ON CONFLICT DO NOTHING with no target skips a taken id or device id alike, as INSERT OR IGNORE does.
    createMany: async (units) => {
      if (units.length === 0) return 0;
      const { rowCount } = await pool.query(
        `INSERT INTO units (id, kind, callsign, device_id, created_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
         ON CONFLICT DO NOTHING`,
        [
          units.map((u) => u.id),
          units.map((u) => u.kind),
          units.map((u) => u.callsign),
          units.map((u) => u.deviceId),
          units.map((u) => u.createdAt),
        ],
      );
      return rowCount ?? 0;
    },
    update: async (id, patch) => {
      const current = await byId(id);
      if (!current) return null;
      const next = { ...current, ...patch };
      try {
        await pool.query(
          'UPDATE units SET kind = $1, callsign = $2, device_id = $3, secret_hash = $4 WHERE id = $5',
          [next.kind, next.callsign, next.deviceId, next.secretHash ?? null, id],
        );
      } catch (error) {
        if (isUniqueViolation(error))
          throw new ConflictError(`device ${next.deviceId} is bound to another unit`);
        throw error;
      }
      return next;
    },
    remove: async (id) => ((await pool.query('DELETE FROM units WHERE id = $1', [id])).rowCount ?? 0) > 0,
  };
}

/** Layer puts take this transaction-level lock: two nodes replacing layers at once get distinct versions. */
const LAYER_LOCK_KEY = '7607126375301423445';

function layerStore(pool: pg.Pool): LayerStore {
  const versionSql = 'SELECT coalesce(max(version), 0) AS v FROM layers';
  return {
    get: async (kind) => {
      const row = await one(pool, 'SELECT * FROM layers WHERE kind = $1', [kind]);
      if (!row) return null;
      return {
        kind,
        version: Number(row.version),
        collection: JSON.parse(String(row.collection)) as FeatureCollection,
      };
    },
    put: async (kind: LayerKind, collection: FeatureCollection): Promise<LayerRecord> =>
      inTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [LAYER_LOCK_KEY]);
        const next = Number((await client.query<{ v: number }>(versionSql)).rows[0]?.v ?? 0) + 1;
        await client.query(
          `INSERT INTO layers (kind, version, collection) VALUES ($1, $2, $3)
           ON CONFLICT (kind) DO UPDATE SET version = excluded.version, collection = excluded.collection`,
          [kind, next, JSON.stringify(collection)],
        );
        return { kind, version: next, collection };
      }),
    version: async () => Number((await one(pool, versionSql, []))?.v ?? 0),
  };
}

function fenceStore(pool: pg.Pool): FenceStore {
  return {
    list: async () =>
      (await pool.query('SELECT body FROM fences ORDER BY created_at, id')).rows.map(
        (row: Row) => JSON.parse(String(row.body)) as Fence,
      ),
    put: async (fence) => {
      await pool.query(
        `INSERT INTO fences (id, body, created_at, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
        [fence.id, JSON.stringify(fence), fence.createdAt, fence.updatedAt],
      );
    },
    remove: async (id) => ((await pool.query('DELETE FROM fences WHERE id = $1', [id])).rowCount ?? 0) > 0,
  };
}

export interface PostgresOpenOptions {
  /** The migration versions this start applied (empty when another node or an earlier start did). */
  onMigrated?: (versions: number[]) => void;
  /** An idle pooled connection failed (the server restarted, the network dropped): log it, do not crash. */
  onError?: (error: Error) => void;
  /** Pool size; 10 by default. */
  max?: number;
}

/** Opens the store on DATABASE_URL, migrating it first (PostGIS must be present or creatable). */
export async function openPostgresStore(url: string, options: PostgresOpenOptions = {}): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, types: TYPES, max: options.max ?? 10 });
  pool.on('error', (error) => options.onError?.(error));
  try {
    // Not inside `onMigrated?.(…)`: optional chaining would skip the migration when there is no callback.
    const applied = await migratePostgres(pool);
    options.onMigrated?.(applied);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return withTextErrors({
    kind: 'postgres',
    users: userStore(pool),
    units: unitStore(pool),
    layers: layerStore(pool),
    history: historyStore(pool),
    events: eventStore(pool),
    fences: fenceStore(pool),
    ...closedLoopStores(pool),
    close: () => pool.end(),
  });
}
