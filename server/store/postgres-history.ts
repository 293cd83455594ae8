// The PostgreSQL position history (PostGIS points, bbox through the GiST index) and the domain event log.
import type pg from 'pg';
import type { DomainEvent } from '../contract';
import type { Row } from './postgres-db';
import type { EventStore, FixRecord, HistoryStore } from './store';

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

export function historyStore(pool: pg.Pool): HistoryStore {
  return {
    // One statement over column arrays: a batch of any size is one round trip and one implicit transaction.
    append: async (fixes) => {
      if (fixes.length === 0) return;
      await pool.query(
        `INSERT INTO fixes (unit_id, t, rx, lon, lat, accuracy_m, heading_deg, speed_mps, source)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::float8[], $5::float8[], $6::float8[],
           $7::float8[], $8::float8[], $9::text[])`,
        [
          fixes.map((f) => f.unitId),
          fixes.map((f) => f.t),
          fixes.map((f) => f.rx),
          fixes.map((f) => f.lon),
          fixes.map((f) => f.lat),
          fixes.map((f) => f.accuracyMeters),
          fixes.map((f) => f.headingDeg),
          fixes.map((f) => f.speedMps),
          fixes.map((f) => f.source),
        ],
      );
    },
    query: async ({ unitId, from, to, bbox, limit }) => {
      const params: unknown[] = [from ?? 0, to ?? Number.MAX_SAFE_INTEGER, limit];
      const where = ['t >= $1', 't <= $2'];
      if (typeof unitId === 'string') where.push(`unit_id = $${params.push(unitId)}`);
      if (bbox) {
        const [west, south, east, north] = bbox;
        // && on a point is "inside the envelope, edges included", as the SQLite store's range test.
        where.push(
          `geom && ST_MakeEnvelope($${params.push(west)}, $${params.push(south)}, $${params.push(east)}, ` +
            `$${params.push(north)}, 4326)`,
        );
      }
      const { rows } = await pool.query(
        `SELECT unit_id, t, rx, lon, lat, accuracy_m, heading_deg, speed_mps, source FROM fixes
         WHERE ${where.join(' AND ')} ORDER BY t, unit_id LIMIT $3`,
        params,
      );
      return rows.map(toFix);
    },
    prune: async (before) => (await pool.query('DELETE FROM fixes WHERE t < $1', [before])).rowCount ?? 0,
  };
}

export function eventStore(pool: pg.Pool): EventStore {
  return {
    append: async (events: DomainEvent[]) => {
      if (events.length === 0) return;
      await pool.query(
        `INSERT INTO events (id, type, t, unit_id, message, data)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[])
         ON CONFLICT (id) DO NOTHING`,
        [
          events.map((e) => e.id),
          events.map((e) => e.type),
          events.map((e) => e.t),
          events.map((e) => e.unitId),
          events.map((e) => e.message),
          events.map((e) => JSON.stringify(e.data)),
        ],
      );
    },
    query: async ({ since, types, unitId, limit }) => {
      const params: unknown[] = [since ?? -1, limit];
      const where = ['t > $1'];
      if (types && types.length > 0) where.push(`type = ANY($${params.push(types)}::text[])`);
      if (typeof unitId === 'string') where.push(`unit_id = $${params.push(unitId)}`);
      const { rows } = await pool.query(
        `SELECT * FROM events WHERE ${where.join(' AND ')} ORDER BY t, id LIMIT $2`,
        params,
      );
      return rows.map((row: Row) => ({
        id: String(row.id),
        type: String(row.type),
        t: Number(row.t),
        unitId: (row.unit_id as string | null) ?? null,
        message: String(row.message),
        data: JSON.parse(String(row.data)) as Record<string, unknown>,
      }));
    },
    prune: async (before) => (await pool.query('DELETE FROM events WHERE t < $1', [before])).rowCount ?? 0,
  };
}
