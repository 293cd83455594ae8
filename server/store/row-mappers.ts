// Rows of the users and units tables into records: the same columns in the SQLite and PostgreSQL stores.
import type { UnitRecord, UserRecord } from './store';

type Row = Record<string, unknown>;

export function toUser(row: Row): UserRecord {
  return {
    id: String(row.id),
    username: String(row.username),
    role: row.role as UserRecord['role'],
    unitId: (row.unit_id as string | null) ?? null,
    segmentIds: JSON.parse(String(row.segment_ids)) as string[],
    tokenVersion: Number(row.token_version ?? 0),
    areaId: (row.area_id as string | null) ?? null,
    staffId: (row.staff_id as string | null) ?? null,
    passwordHash: String(row.password_hash),
    createdAt: Number(row.created_at),
  };
}

export function toUnit(row: Row): UnitRecord {
  return {
    id: String(row.id),
    kind: row.kind as UnitRecord['kind'],
    callsign: String(row.callsign),
    deviceId: String(row.device_id),
    createdAt: Number(row.created_at),
    secretHash: (row.secret_hash as string | null) ?? null,
  };
}
