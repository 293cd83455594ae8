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
];
