// The SQLite store of household posts' check-ins: one row each, unique per (user, idempotency key).
import type Database from 'better-sqlite3';
import { ConflictError, type CheckinRecord, type CheckinStore } from './store';

type Row = Record<string, unknown>;

const parse = (row: Row): CheckinRecord => JSON.parse(String(row.body)) as CheckinRecord;

export function checkinStore(db: Database.Database): CheckinStore {
  const insert = db.prepare(
    `INSERT INTO post_checkins (id, post_id, t, user_id, idempotency_key, request_hash, body)
     VALUES (@id, @postId, @t, @userId, @idempotencyKey, @requestHash, @body)`,
  );
  return {
    create: async (checkin) => {
      try {
        insert.run({ ...checkin, body: JSON.stringify(checkin) });
      } catch (error) {
        if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT'))
          throw new ConflictError('idempotency key already used');
        throw error;
      }
    },
    byIdempotencyKey: async (userId, key) => {
      const row = db
        .prepare('SELECT body FROM post_checkins WHERE user_id = ? AND idempotency_key = ?')
        .get(userId, key) as Row | undefined;
      return row ? parse(row) : null;
    },
    list: async ({ postId, since, cursor, limit }) =>
      (
        db
          .prepare(
            `SELECT body FROM post_checkins WHERE post_id = @postId AND t >= @since
               AND (@cursor IS NULL OR id < @cursor)
             ORDER BY id DESC LIMIT @limit`,
          )
          .all({ postId, since: since ?? 0, cursor: cursor ?? null, limit }) as Row[]
      ).map(parse),
    checkedIn: async (postIds, from, to) =>
      new Set(
        (
          db
            .prepare(
              `SELECT DISTINCT post_id FROM post_checkins
               WHERE t >= ? AND t < ? AND post_id IN (SELECT value FROM json_each(?))`,
            )
            .all(from, to, JSON.stringify(postIds)) as Row[]
        ).map((row) => String(row.post_id)),
      ),
    lastByPost: async () =>
      new Map(
        (db.prepare('SELECT post_id, max(t) AS t FROM post_checkins GROUP BY post_id').all() as Row[]).map(
          (row) => [String(row.post_id), Number(row.t)],
        ),
      ),
  };
}
