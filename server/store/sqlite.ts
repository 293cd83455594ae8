// The embedded SQLite store (better-sqlite3, WAL) behind the async Store interface.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { FeatureCollection } from 'geojson';
import type { LayerKind } from '../contract';
import { SQLITE_MIGRATIONS } from './sqlite-migrations';
import { closedLoopStores } from './sqlite-closed-loop';
import {
  ConflictError,
  type FixRecord,
  type HistoryStore,
  type LayerRecord,
  type LayerStore,
  type Store,
  type UnitRecord,
  type UnitStore,
  type UserStore,
  type EventStore,
  type FenceStore,
} from './store';
import { toUnit, toUser } from './row-mappers';
import type { DomainEvent, Fence } from '../contract';

type Row = Record<string, unknown>;

function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  const done = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  SQLITE_MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (done.has(version)) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(
        version,
        Date.now(),
      );
    }).immediate();
  });
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT');
}

function toFix(row: Row): FixRecord {
  return {
    unitId: String(row.unit_id),
    t: Number(row.t),
    rx: Number(row.rx),
    lon: Number(row.lon),
    lat: Number(row.lat),
    accuracyMeters: (row.accuracy_m as number | null) ?? null,
    headingDeg: (row.heading_deg as number | null) ?? null,
    speedMps: (row.speed_mps as number | null) ?? null,
    source: String(row.source),
  };
}

function userStore(db: Database.Database): UserStore {
  const insert = db.prepare(
    `INSERT INTO users (id, username, role, unit_id, segment_ids, area_id, staff_id, password_hash, created_at)
     VALUES (@id, @username, @role, @unitId, @segmentIds, @areaId, @staffId, @passwordHash, @createdAt)`,
  );
  return {
    count: async () => Number((db.prepare('SELECT count(*) AS n FROM users').get() as Row).n),
    byUsername: async (username) => {
      const row = db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Row | undefined;
      return row ? toUser(row) : null;
    },
    byId: async (id) => {
      const row = db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
      return row ? toUser(row) : null;
    },
    create: async (user) => {
      try {
        insert.run({ ...user, segmentIds: JSON.stringify(user.segmentIds) });
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`user ${user.username} exists`);
        throw error;
      }
    },
    list: async () => (db.prepare('SELECT * FROM users ORDER BY username').all() as Row[]).map(toUser),
    update: async (id, patch) => {
      const row = db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
      if (!row) return null;
      const next = { ...toUser(row), ...patch };
      try {
        db.prepare(
          `UPDATE users SET username = ?, role = ?, unit_id = ?, segment_ids = ?, area_id = ?, staff_id = ?,
             password_hash = ?, token_version = ? WHERE id = ?`,
        ).run(
          next.username,
          next.role,
          next.unitId,
          JSON.stringify(next.segmentIds),
          next.areaId,
          next.staffId,
          next.passwordHash,
          next.tokenVersion ?? 0,
          id,
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`user ${next.username} exists`);
        throw error;
      }
      return next;
    },
    remove: async (id) => db.prepare('DELETE FROM users WHERE id = ?').run(id).changes > 0,
  };
}

function unitStore(db: Database.Database): UnitStore {
  const insert = db.prepare(
    'INSERT INTO units (id, kind, callsign, device_id, created_at) VALUES (@id, @kind, @callsign, @deviceId, @createdAt)',
  );
  const insertIgnore = db.prepare(
    `INSERT OR IGNORE INTO units (id, kind, callsign, device_id, created_at)
     VALUES (@id, @kind, @callsign, @deviceId, @createdAt)`,
  );
  const byId = (id: string): UnitRecord | null => {
    const row = db.prepare('SELECT * FROM units WHERE id = ?').get(id) as Row | undefined;
    return row ? toUnit(row) : null;
  };
  return {
    list: async () => (db.prepare('SELECT * FROM units ORDER BY id').all() as Row[]).map(toUnit),
    byId: async (id) => byId(id),
    byDeviceId: async (deviceId) => {
      const row = db.prepare('SELECT * FROM units WHERE device_id = ?').get(deviceId) as Row | undefined;
      return row ? toUnit(row) : null;
    },
    create: async (unit) => {
      try {
        insert.run(unit);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new ConflictError(`unit ${unit.id} or device ${unit.deviceId} exists`);
        throw error;
      }
    },
    createMany: async (units) =>
      db
        .transaction(() => units.reduce((added, unit) => added + insertIgnore.run(unit).changes, 0))
        .immediate(),
    update: async (id, patch) => {
      const current = byId(id);
      if (!current) return null;
      const next = { ...current, ...patch };
      try {
        db.prepare(
          'UPDATE units SET kind = ?, callsign = ?, device_id = ?, secret_hash = ? WHERE id = ?',
        ).run(next.kind, next.callsign, next.deviceId, next.secretHash ?? null, id);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new ConflictError(`device ${next.deviceId} is bound to another unit`);
        throw error;
      }
      return next;
    },
    remove: async (id) => db.prepare('DELETE FROM units WHERE id = ?').run(id).changes > 0,
  };
}

function layerStore(db: Database.Database): LayerStore {
  const version = (): number =>
    Number((db.prepare('SELECT coalesce(max(version), 0) AS v FROM layers').get() as Row).v);
  return {
    get: async (kind) => {
      const row = db.prepare('SELECT * FROM layers WHERE kind = ?').get(kind) as Row | undefined;
      if (!row) return null;
      return {
        kind,
        version: Number(row.version),
        collection: JSON.parse(String(row.collection)) as FeatureCollection,
      };
    },
    put: async (kind: LayerKind, collection: FeatureCollection): Promise<LayerRecord> =>
      db
        .transaction(() => {
          const next = version() + 1;
          db.prepare(
            `INSERT INTO layers (kind, version, collection) VALUES (?, ?, ?)
             ON CONFLICT (kind) DO UPDATE SET version = excluded.version, collection = excluded.collection`,
          ).run(kind, next, JSON.stringify(collection));
          return { kind, version: next, collection };
        })
        .immediate(),
    version: async () => version(),
  };
}

function historyStore(db: Database.Database): HistoryStore {
  const insert = db.prepare(
    `INSERT INTO fixes (unit_id, t, rx, lon, lat, accuracy_m, heading_deg, speed_mps, source)
     VALUES (@unitId, @t, @rx, @lon, @lat, @accuracyMeters, @headingDeg, @speedMps, @source)`,
  );
  const appendAll = db.transaction((fixes: FixRecord[]) => {
    for (const fix of fixes) insert.run(fix);
  });
  return {
    append: async (fixes) => {
      if (fixes.length > 0) appendAll.immediate(fixes);
    },
    query: async ({ unitId, from, to, bbox, limit }) => {
      const [west, south, east, north] = bbox ?? [-180, -90, 180, 90];
      const rows = db
        .prepare(
          `SELECT * FROM fixes WHERE (@unitId IS NULL OR unit_id = @unitId)
             AND t >= @from AND t <= @to
             AND lon >= @west AND lon <= @east AND lat >= @south AND lat <= @north
           ORDER BY t, unit_id LIMIT @limit`,
        )
        .all({
          unitId: unitId ?? null,
          from: from ?? 0,
          to: to ?? Number.MAX_SAFE_INTEGER,
          west,
          south,
          east,
          north,
          limit,
        }) as Row[];
      return rows.map(toFix);
    },
    prune: async (before) => db.prepare('DELETE FROM fixes WHERE t < ?').run(before).changes,
  };
}

function eventStore(db: Database.Database): EventStore {
  const insert = db.prepare(
    'INSERT OR IGNORE INTO events (id, type, t, unit_id, message, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const appendAll = db.transaction((events: DomainEvent[]) => {
    for (const e of events) insert.run(e.id, e.type, e.t, e.unitId, e.message, JSON.stringify(e.data));
  });
  return {
    append: async (events) => {
      if (events.length > 0) appendAll.immediate(events);
    },
    query: async ({ since, types, unitId, limit }) => {
      const typeList = types && types.length > 0 ? JSON.stringify(types) : null;
      const rows = db
        .prepare(
          `SELECT * FROM events WHERE t > @since
             AND (@types IS NULL OR type IN (SELECT value FROM json_each(@types)))
             AND (@unitId IS NULL OR unit_id = @unitId)
           ORDER BY t, id LIMIT @limit`,
        )
        .all({ since: since ?? -1, types: typeList, unitId: unitId ?? null, limit }) as Row[];
      return rows.map((row) => ({
        id: String(row.id),
        type: String(row.type),
        t: Number(row.t),
        unitId: (row.unit_id as string | null) ?? null,
        message: String(row.message),
        data: JSON.parse(String(row.data)) as Record<string, unknown>,
      }));
    },
    prune: async (before) => db.prepare('DELETE FROM events WHERE t < ?').run(before).changes,
  };
}

function fenceStore(db: Database.Database): FenceStore {
  return {
    list: async () =>
      (db.prepare('SELECT body FROM fences ORDER BY created_at, id').all() as Row[]).map(
        (row) => JSON.parse(String(row.body)) as Fence,
      ),
    put: async (fence) => {
      db.prepare(
        `INSERT INTO fences (id, body, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
      ).run(fence.id, JSON.stringify(fence), fence.createdAt, fence.updatedAt);
    },
    remove: async (id) => db.prepare('DELETE FROM fences WHERE id = ?').run(id).changes > 0,
  };
}

/** The store file is damaged: the server must not start on it. The message is one line naming the file. */
export class StoreIntegrityError extends Error {}

export interface IntegrityReport {
  file: string;
  check: 'quick_check';
  result: 'ok';
  ms: number;
}

const codeOf = (error: unknown): string =>
  error instanceof Error && 'code' in error ? String(error.code) : '';

function isDamage(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT');
}

function damaged(file: string, problem: string): StoreIntegrityError {
  const detail = problem.replace(/\s+/g, ' ').trim().slice(0, 300);
  return new StoreIntegrityError(
    `the store ${file} is damaged (${detail}): the server will not run on it; keep the file for ` +
      'inspection and restore DATA_DIR from a backup',
  );
}

/**
 * PRAGMA quick_check, before any migration writes to the file: every page and record is well formed (the
 * O(N) part of integrity_check; it skips matching index entries to rows). About 1 s per million fixes.
 */
function checkIntegrity(db: Database.Database, file: string): IntegrityReport {
  const started = performance.now();
  const rows = db.pragma('quick_check(3)') as { quick_check: string }[];
  const problems = rows.map((row) => row.quick_check);
  if (problems.length !== 1 || problems[0] !== 'ok')
    throw damaged(file, `quick_check: ${problems.join('; ')}`);
  return { file, check: 'quick_check', result: 'ok', ms: Math.round(performance.now() - started) };
}

/**
 * Opens (creating and migrating) the SQLite store in dataDir/lianfang.db, after an integrity check whose
 * result goes to onChecked; a damaged file throws StoreIntegrityError.
 */
export function openSqliteStore(
  dataDir: string,
  options: { onChecked?: (report: IntegrityReport) => void } = {},
): Store {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'lianfang.db');
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode is durable against a process crash; FULL also against power loss, which tablets'
    // acknowledgements rely on.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    const report = checkIntegrity(db, file);
    options.onChecked?.(report);
  } catch (error) {
    db.close();
    if (isDamage(error)) throw damaged(file, `${codeOf(error)}: ${(error as Error).message}`);
    throw error;
  }
  migrate(db);
  return {
    kind: 'sqlite',
    users: userStore(db),
    units: unitStore(db),
    layers: layerStore(db),
    history: historyStore(db),
    events: eventStore(db),
    fences: fenceStore(db),
    ...closedLoopStores(db),
    close: async () => {
      db.close();
    },
  };
}
