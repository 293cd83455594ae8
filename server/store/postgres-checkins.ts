// The PostgreSQL store of household posts' check-ins: one row each, unique per (user, idempotency key).
import type pg from 'pg';
import { isUniqueViolation, parseBody, type Row } from './postgres-db';
import { ConflictError, type CheckinRecord, type CheckinStore } from './store';

export function checkinStore(pool: pg.Pool): CheckinStore {
  const bodies = async (sql: string, params: unknown[]): Promise<CheckinRecord[]> =>
    (await pool.query(sql, params)).rows.map((row: Row) => parseBody<CheckinRecord>(row));
  return {
    create: async (checkin) => {
      try {
        await pool.query(
          `INSERT INTO post_checkins (id, post_id, t, user_id, idempotency_key, request_hash, body)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            ...[checkin.id, checkin.postId, checkin.t, checkin.userId, checkin.idempotencyKey],
            ...[checkin.requestHash, JSON.stringify(checkin)],
          ],
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError('idempotency key already used');
        throw error;
      }
    },
    byIdempotencyKey: async (userId, key) =>
      (
        await bodies('SELECT body FROM post_checkins WHERE user_id = $1 AND idempotency_key = $2', [
          userId,
          key,
        ])
      )[0] ?? null,
    list: ({ postId, since, cursor, limit }) =>
      typeof cursor !== 'string'
        ? bodies('SELECT body FROM post_checkins WHERE post_id = $1 AND t >= $2 ORDER BY id DESC LIMIT $3', [
            postId,
            since ?? 0,
            limit,
          ])
        : bodies(
            `SELECT body FROM post_checkins WHERE post_id = $1 AND t >= $2 AND id < $4
             ORDER BY id DESC LIMIT $3`,
            [postId, since ?? 0, limit, cursor],
          ),
    checkedIn: async (postIds, from, to) =>
      new Set(
        (
          await pool.query(
            'SELECT DISTINCT post_id FROM post_checkins WHERE t >= $1 AND t < $2 AND post_id = ANY($3::text[])',
            [from, to, [...postIds]],
          )
        ).rows.map((row: Row) => String(row.post_id)),
      ),
    lastByPost: async () =>
      new Map(
        (await pool.query('SELECT post_id, max(t) AS t FROM post_checkins GROUP BY post_id')).rows.map(
          (row: Row) => [String(row.post_id), Number(row.t)],
        ),
      ),
  };
}
