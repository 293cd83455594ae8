// Schema migrations for the PostgreSQL store, applied in order (one transaction each) under an advisory
// lock, so that several nodes starting together migrate once; applied versions are kept in schema_migrations.
import type pg from 'pg';

/**
 * Keys and ids that lists order or page by are COLLATE "C": byte order, as in SQLite, whatever the
 * database's locale (a locale collation ignores punctuation and would reorder ids such as "osm-a").
 * Times are epoch milliseconds in BIGINT; wire records keep their JSON in `body`, the columns are for queries.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id TEXT COLLATE "C" PRIMARY KEY,
     username TEXT COLLATE "C" NOT NULL UNIQUE,
     role TEXT NOT NULL,
     unit_id TEXT,
     segment_ids TEXT NOT NULL DEFAULT '[]',
     area_id TEXT,
     staff_id TEXT,
     password_hash TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     token_version INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE units (
     id TEXT COLLATE "C" PRIMARY KEY,
     kind TEXT NOT NULL,
     callsign TEXT NOT NULL,
     device_id TEXT NOT NULL UNIQUE,
     created_at BIGINT NOT NULL,
     secret_hash TEXT
   );
   CREATE TABLE layers (
     kind TEXT PRIMARY KEY,
     version INTEGER NOT NULL,
     collection TEXT NOT NULL
   );
   -- The point is derived from lon/lat, so writers never send geometry; GiST serves bbox queries.
   CREATE TABLE fixes (
     unit_id TEXT COLLATE "C" NOT NULL,
     t BIGINT NOT NULL,
     rx BIGINT NOT NULL,
     lon DOUBLE PRECISION NOT NULL,
     lat DOUBLE PRECISION NOT NULL,
     accuracy_m DOUBLE PRECISION,
     heading_deg DOUBLE PRECISION,
     speed_mps DOUBLE PRECISION,
     source TEXT NOT NULL,
     geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED
   );
   CREATE INDEX fixes_unit_t ON fixes (unit_id, t);
   CREATE INDEX fixes_t ON fixes (t);
   CREATE INDEX fixes_geom ON fixes USING gist (geom);
   CREATE TABLE events (
     id TEXT COLLATE "C" PRIMARY KEY,
     type TEXT NOT NULL,
     t BIGINT NOT NULL,
     unit_id TEXT,
     message TEXT NOT NULL,
     data TEXT NOT NULL
   );
   CREATE INDEX events_t ON events (t);
   CREATE INDEX events_type_t ON events (type, t);
   CREATE TABLE fences (
     id TEXT COLLATE "C" PRIMARY KEY,
     body TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL
   );`,
  // The closed loop: incidents with their append-only audit, reports, alerts with recipients and log, photos.
  `CREATE FUNCTION lianfang_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;
   CREATE TABLE incidents (
     id TEXT COLLATE "C" PRIMARY KEY,
     status TEXT NOT NULL,
     category TEXT NOT NULL,
     grid_id TEXT,
     segment_id TEXT,
     level TEXT NOT NULL,
     lon DOUBLE PRECISION NOT NULL,
     lat DOUBLE PRECISION NOT NULL,
     assignee_type TEXT,
     assignee_id TEXT,
     deadline_at BIGINT,
     created_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL,
     created_by TEXT NOT NULL,
     idempotency_key TEXT,
     request_hash TEXT,
     body TEXT NOT NULL
   );
   CREATE UNIQUE INDEX incidents_idempotency ON incidents (created_by, idempotency_key)
     WHERE idempotency_key IS NOT NULL;
   CREATE INDEX incidents_open_deadline ON incidents (deadline_at) WHERE status NOT IN ('closed', 'rejected');
   CREATE INDEX incidents_grid ON incidents (grid_id, id);
   CREATE INDEX incidents_updated ON incidents (updated_at);
   CREATE INDEX incidents_created ON incidents (created_at);
   CREATE TABLE incident_audit (
     seq BIGSERIAL PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     incident_id TEXT NOT NULL REFERENCES incidents (id),
     t BIGINT NOT NULL,
     actor_id TEXT NOT NULL,
     actor_name TEXT NOT NULL,
     action TEXT NOT NULL,
     from_status TEXT,
     to_status TEXT,
     from_level TEXT,
     to_level TEXT,
     note TEXT NOT NULL
   );
   CREATE INDEX incident_audit_incident ON incident_audit (incident_id, seq);
   CREATE TRIGGER incident_audit_append_only BEFORE UPDATE OR DELETE ON incident_audit
     FOR EACH ROW EXECUTE FUNCTION lianfang_append_only();
   CREATE TABLE incident_reads (
     incident_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     t BIGINT NOT NULL
   );
   CREATE INDEX incident_reads_incident ON incident_reads (incident_id, t);
   CREATE TABLE reports (
     id TEXT COLLATE "C" PRIMARY KEY,
     segment_id TEXT NOT NULL,
     t BIGINT NOT NULL,
     user_id TEXT NOT NULL,
     idempotency_key TEXT,
     request_hash TEXT,
     incident_id TEXT,
     body TEXT NOT NULL
   );
   CREATE UNIQUE INDEX reports_idempotency ON reports (user_id, idempotency_key)
     WHERE idempotency_key IS NOT NULL;
   CREATE INDEX reports_segment_t ON reports (segment_id, t);
   CREATE TABLE alerts (
     id TEXT COLLATE "C" PRIMARY KEY,
     severity_rank INTEGER NOT NULL,
     t BIGINT NOT NULL,
     acknowledged_at BIGINT,
     source_key TEXT UNIQUE,
     incident_id TEXT,
     type TEXT,
     unit_id TEXT,
     grid_id TEXT,
     segment_id TEXT,
     level INTEGER NOT NULL DEFAULT 0,
     escalated_at BIGINT,
     body TEXT NOT NULL
   );
   CREATE INDEX alerts_queue_newest ON alerts (severity_rank, id DESC);
   CREATE INDEX alerts_open_queue ON alerts (severity_rank, id DESC) WHERE acknowledged_at IS NULL;
   CREATE INDEX alerts_open_type ON alerts (type, unit_id) WHERE acknowledged_at IS NULL;
   CREATE INDEX alerts_grid ON alerts (grid_id);
   CREATE INDEX alerts_segment ON alerts (segment_id);
   CREATE INDEX alerts_unit ON alerts (unit_id);
   CREATE INDEX alerts_incident ON alerts (incident_id);
   CREATE TABLE alert_recipients (
     alert_id TEXT NOT NULL REFERENCES alerts (id),
     ord INTEGER NOT NULL,
     type TEXT NOT NULL,
     recipient_id TEXT NOT NULL,
     name TEXT NOT NULL,
     notified_at BIGINT NOT NULL,
     acknowledged_at BIGINT,
     acknowledged_by TEXT,
     acknowledged_by_name TEXT,
     on_behalf BOOLEAN NOT NULL DEFAULT false,
     note TEXT,
     PRIMARY KEY (alert_id, type, recipient_id)
   );
   CREATE INDEX alert_recipients_who ON alert_recipients (type, recipient_id);
   CREATE TABLE alert_log (
     seq BIGSERIAL PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     alert_id TEXT NOT NULL REFERENCES alerts (id),
     t BIGINT NOT NULL,
     actor_id TEXT NOT NULL,
     actor_name TEXT NOT NULL,
     action TEXT NOT NULL,
     from_severity TEXT,
     to_severity TEXT,
     level INTEGER,
     recipient_type TEXT,
     recipient_id TEXT,
     note TEXT NOT NULL
   );
   CREATE INDEX alert_log_alert ON alert_log (alert_id, seq);
   CREATE TRIGGER alert_log_append_only BEFORE UPDATE OR DELETE ON alert_log
     FOR EACH ROW EXECUTE FUNCTION lianfang_append_only();
   CREATE TABLE photos (
     id TEXT PRIMARY KEY,
     content_type TEXT NOT NULL,
     bytes BIGINT NOT NULL,
     uploaded_by TEXT NOT NULL,
     created_at BIGINT NOT NULL
   );
   CREATE TABLE post_checkins (
     id TEXT COLLATE "C" PRIMARY KEY,
     post_id TEXT NOT NULL,
     t BIGINT NOT NULL,
     user_id TEXT NOT NULL,
     idempotency_key TEXT,
     request_hash TEXT,
     body TEXT NOT NULL
   );
   CREATE UNIQUE INDEX post_checkins_idempotency ON post_checkins (user_id, idempotency_key)
     WHERE idempotency_key IS NOT NULL;
   CREATE INDEX post_checkins_post_t ON post_checkins (post_id, t);
   CREATE INDEX post_checkins_t ON post_checkins (t);`,
];

/** Any 64-bit number, the same on every node: the key of the session-level advisory lock migrations take. */
export const MIGRATION_LOCK_KEY = 0x4c69616e66616e67n; // "Lianfang"

export class PostgresSetupError extends Error {}

async function ensurePostgis(client: pg.PoolClient): Promise<void> {
  const found = await client.query("SELECT 1 FROM pg_extension WHERE extname = 'postgis'");
  if (found.rowCount) return;
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
  } catch (error) {
    throw new PostgresSetupError(
      `the database has no PostGIS and this user may not create it (${(error as Error).message}): ` +
        'run CREATE EXTENSION postgis as a superuser, then start again',
    );
  }
}

/**
 * Applies the migrations this database lacks, under pg_advisory_lock: a second node starting at the same
 * moment waits here, then finds every version applied. Returns the versions this call applied.
 */
export async function migratePostgres(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
    try {
      await ensurePostgis(client);
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
      );
      const done = new Set(
        (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
          (row) => row.version,
        ),
      );
      for (const [index, sql] of POSTGRES_MIGRATIONS.entries()) {
        const version = index + 1;
        if (done.has(version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
            version,
            Date.now(),
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
    }
  } finally {
    client.release();
  }
  return applied;
}
