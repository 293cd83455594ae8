// Schema migrations for the embedded SQLite store, applied in order inside one transaction each.
export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id TEXT PRIMARY KEY,
     username TEXT NOT NULL UNIQUE,
     role TEXT NOT NULL,
     unit_id TEXT,
     segment_ids TEXT NOT NULL DEFAULT '[]',
     area_id TEXT,
     staff_id TEXT,
     password_hash TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE units (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     callsign TEXT NOT NULL,
     device_id TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE layers (
     kind TEXT PRIMARY KEY,
     version INTEGER NOT NULL,
     collection TEXT NOT NULL
   );
   CREATE TABLE fixes (
     unit_id TEXT NOT NULL,
     t INTEGER NOT NULL,
     rx INTEGER NOT NULL,
     lon REAL NOT NULL,
     lat REAL NOT NULL,
     accuracy_m REAL,
     heading_deg REAL,
     speed_mps REAL,
     source TEXT NOT NULL
   );
   CREATE INDEX fixes_unit_t ON fixes (unit_id, t);
   CREATE INDEX fixes_t ON fixes (t);`,
  `CREATE TABLE events (
     id TEXT PRIMARY KEY,
     type TEXT NOT NULL,
     t INTEGER NOT NULL,
     unit_id TEXT,
     message TEXT NOT NULL,
     data TEXT NOT NULL
   );
   CREATE INDEX events_t ON events (t);
   CREATE INDEX events_type_t ON events (type, t);`,
  `CREATE TABLE fences (
     id TEXT PRIMARY KEY,
     body TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );`,
  // The closed loop (issue 6). Incidents keep their wire form in `body`; the columns are for queries.
  `CREATE TABLE incidents (
     id TEXT PRIMARY KEY,
     status TEXT NOT NULL,
     category TEXT NOT NULL,
     grid_id TEXT,
     segment_id TEXT,
     level TEXT NOT NULL,
     lon REAL NOT NULL,
     lat REAL NOT NULL,
     assignee_type TEXT,
     assignee_id TEXT,
     deadline_at INTEGER,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
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
   CREATE TABLE incident_audit (
     id TEXT PRIMARY KEY,
     incident_id TEXT NOT NULL REFERENCES incidents (id),
     t INTEGER NOT NULL,
     actor_id TEXT NOT NULL,
     actor_name TEXT NOT NULL,
     action TEXT NOT NULL,
     from_status TEXT,
     to_status TEXT,
     from_level TEXT,
     to_level TEXT,
     note TEXT NOT NULL
   );
   CREATE INDEX incident_audit_incident ON incident_audit (incident_id, t, id);
   CREATE TRIGGER incident_audit_no_update BEFORE UPDATE ON incident_audit
     BEGIN SELECT RAISE(ABORT, 'incident_audit is append-only'); END;
   CREATE TRIGGER incident_audit_no_delete BEFORE DELETE ON incident_audit
     BEGIN SELECT RAISE(ABORT, 'incident_audit is append-only'); END;
   CREATE TABLE incident_reads (
     incident_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     t INTEGER NOT NULL
   );
   CREATE INDEX incident_reads_incident ON incident_reads (incident_id, t);
   CREATE TABLE reports (
     id TEXT PRIMARY KEY,
     segment_id TEXT NOT NULL,
     t INTEGER NOT NULL,
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
     id TEXT PRIMARY KEY,
     severity_rank INTEGER NOT NULL,
     t INTEGER NOT NULL,
     acknowledged_at INTEGER,
     source_key TEXT UNIQUE,
     incident_id TEXT,
     body TEXT NOT NULL
   );
   CREATE INDEX alerts_queue ON alerts (severity_rank, id);
   CREATE TABLE photos (
     id TEXT PRIMARY KEY,
     content_type TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     uploaded_by TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );`,
  // issue 9: per-device secrets for ingest (server/security/device-auth.ts)
  `ALTER TABLE units ADD COLUMN secret_hash TEXT;`,
  // issue 9: token revocation on password change and sign-out
  `ALTER TABLE users ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;`,
  // The closed loop, part 2: query columns for alert scopes, escalation and SOS cancels; alert recipients and
  // the append-only alert log; household posts' check-ins.
  `ALTER TABLE alerts ADD COLUMN type TEXT;
   ALTER TABLE alerts ADD COLUMN unit_id TEXT;
   ALTER TABLE alerts ADD COLUMN grid_id TEXT;
   ALTER TABLE alerts ADD COLUMN segment_id TEXT;
   ALTER TABLE alerts ADD COLUMN level INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE alerts ADD COLUMN escalated_at INTEGER;
   UPDATE alerts SET type = json_extract(body, '$.type'), unit_id = json_extract(body, '$.unitId'),
     segment_id = json_extract(body, '$.data.segmentId');
   CREATE INDEX alerts_open_type ON alerts (type, unit_id) WHERE acknowledged_at IS NULL;
   CREATE INDEX alerts_queue_newest ON alerts (severity_rank, id DESC);
   CREATE INDEX alerts_open_queue ON alerts (severity_rank, id DESC) WHERE acknowledged_at IS NULL;
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
     notified_at INTEGER NOT NULL,
     acknowledged_at INTEGER,
     acknowledged_by TEXT,
     acknowledged_by_name TEXT,
     on_behalf INTEGER NOT NULL DEFAULT 0,
     note TEXT,
     PRIMARY KEY (alert_id, type, recipient_id)
   );
   CREATE INDEX alert_recipients_who ON alert_recipients (type, recipient_id);
   CREATE TABLE alert_log (
     id TEXT PRIMARY KEY,
     alert_id TEXT NOT NULL REFERENCES alerts (id),
     t INTEGER NOT NULL,
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
   CREATE INDEX alert_log_alert ON alert_log (alert_id, t);
   CREATE TRIGGER alert_log_no_update BEFORE UPDATE ON alert_log
     BEGIN SELECT RAISE(ABORT, 'alert_log is append-only'); END;
   CREATE TRIGGER alert_log_no_delete BEFORE DELETE ON alert_log
     BEGIN SELECT RAISE(ABORT, 'alert_log is append-only'); END;
   CREATE TABLE post_checkins (
     id TEXT PRIMARY KEY,
     post_id TEXT NOT NULL,
     t INTEGER NOT NULL,
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
