// The closed loop's SQLite stores: incidents with their append-only audit log, reports, alerts, photos.
import type Database from 'better-sqlite3';
import type { Incident, IncidentAuditEntry } from '../contract';
import { alertInserter, alertStore } from './sqlite-alerts';
import { checkinStore } from './sqlite-checkins';
import { incidentScopeParams, incidentScopeSql } from './sqlite-scope';
import {
  ConflictError,
  type ClosedLoopStores,
  type IncidentFacts,
  type IncidentFactsFilter,
  type IncidentFilter,
  type IncidentStore,
  type PhotoRecord,
  type PhotoStore,
  type ReportRecord,
  type ReportStore,
} from './store';

type Row = Record<string, unknown>;
type Db = Database.Database;

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_CONSTRAINT');
}

const parseBody = <T>(row: Row): T => JSON.parse(String(row.body)) as T;

function incidentRow(incident: Incident): Row {
  return {
    id: incident.id,
    status: incident.status,
    category: incident.category,
    gridId: incident.gridId,
    segmentId: incident.segmentId,
    level: incident.level,
    lon: incident.lon,
    lat: incident.lat,
    assigneeType: incident.assignee?.type ?? null,
    assigneeId: incident.assignee?.id ?? null,
    deadlineAt: incident.deadlineAt,
    createdAt: incident.createdAt,
    updatedAt: incident.updatedAt,
    createdBy: incident.createdBy,
    body: JSON.stringify(incident),
  };
}

function toAudit(row: Row): IncidentAuditEntry {
  return {
    id: String(row.id),
    incidentId: String(row.incident_id),
    t: Number(row.t),
    actorId: String(row.actor_id),
    actorName: String(row.actor_name),
    action: row.action as IncidentAuditEntry['action'],
    from: (row.from_status as IncidentAuditEntry['from']) ?? null,
    to: (row.to_status as IncidentAuditEntry['to']) ?? null,
    fromLevel: (row.from_level as IncidentAuditEntry['fromLevel']) ?? null,
    toLevel: (row.to_level as IncidentAuditEntry['toLevel']) ?? null,
    note: String(row.note),
  };
}

/** The statements the incident, report and alert stores share (reports raise incidents in one transaction). */
function sharedStatements(db: Db) {
  const insertIncident = db.prepare(
    `INSERT INTO incidents (id, status, category, grid_id, segment_id, level, lon, lat, assignee_type,
       assignee_id, deadline_at, created_at, updated_at, created_by, idempotency_key, request_hash, body)
     VALUES (@id, @status, @category, @gridId, @segmentId, @level, @lon, @lat, @assigneeType, @assigneeId,
       @deadlineAt, @createdAt, @updatedAt, @createdBy, @idempotencyKey, @requestHash, @body)`,
  );
  const insertAudit = db.prepare(
    `INSERT INTO incident_audit (id, incident_id, t, actor_id, actor_name, action, from_status, to_status,
       from_level, to_level, note)
     VALUES (@id, @incidentId, @t, @actorId, @actorName, @action, @from, @to, @fromLevel, @toLevel, @note)`,
  );
  return {
    addIncident: (incident: Incident, idempotencyKey: string | null, requestHash: string | null) =>
      insertIncident.run({ ...incidentRow(incident), idempotencyKey, requestHash }),
    addAudit: (entry: IncidentAuditEntry) => insertAudit.run(entry),
    addAlert: alertInserter(db),
  };
}
type Shared = ReturnType<typeof sharedStatements>;

function listIncidents(db: Db, filter: IncidentFilter): Incident[] {
  const scope = filter.scope;
  const json = (list: unknown[] | undefined): string | null =>
    list && list.length > 0 ? JSON.stringify(list) : null;
  const [west, south, east, north] = filter.bbox ?? [-180, -90, 180, 90];
  const rows = db
    .prepare(
      `SELECT body FROM incidents WHERE
         (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
         AND (@categories IS NULL OR category IN (SELECT value FROM json_each(@categories)))
         AND (@gridId IS NULL OR grid_id = @gridId)
         AND updated_at >= @since AND (@cursor IS NULL OR id < @cursor)
         AND lon >= @west AND lon <= @east AND lat >= @south AND lat <= @north
         AND ${incidentScopeSql('incidents', 'q')}
       ORDER BY id DESC LIMIT @limit`,
    )
    .all({
      statuses: json(filter.statuses),
      categories: json(filter.categories),
      gridId: filter.gridId ?? null,
      since: filter.since ?? 0,
      cursor: filter.cursor ?? null,
      west,
      south,
      east,
      north,
      ...incidentScopeParams(scope, 'q'),
      limit: filter.limit,
    }) as Row[];
  return rows.map((row) => parseBody<Incident>(row));
}

function incidentFacts(db: Db, filter: IncidentFactsFilter): IncidentFacts[] {
  const rows = db
    .prepare(
      `SELECT i.body,
         (SELECT min(a.t) FROM incident_audit a WHERE a.incident_id = i.id AND a.to_status = 'closed') AS closed_at,
         EXISTS (SELECT 1 FROM incident_audit a WHERE a.incident_id = i.id AND a.actor_id = 'system'
                 AND a.action IN ('escalated', 'overdue')) AS overdue
       FROM incidents i WHERE i.created_at >= @from AND i.created_at < @to
         AND (@gridIds IS NULL OR i.grid_id IN (SELECT value FROM json_each(@gridIds)))
         AND (@segmentIds IS NULL OR i.segment_id IN (SELECT value FROM json_each(@segmentIds)))
       ORDER BY i.id`,
    )
    .all({
      from: filter.from,
      to: filter.to,
      gridIds: filter.gridIds ? JSON.stringify(filter.gridIds) : null,
      segmentIds: filter.segmentIds ? JSON.stringify(filter.segmentIds) : null,
    }) as Row[];
  return rows.map((row) => ({
    incident: parseBody<Incident>(row),
    closedAt: row.closed_at === null ? null : Number(row.closed_at),
    overdue: Number(row.overdue) === 1,
  }));
}

function incidentStore(db: Db, shared: Shared): IncidentStore {
  const byId = (id: string): Incident | null => {
    const row = db.prepare('SELECT body FROM incidents WHERE id = ?').get(id) as Row | undefined;
    return row ? parseBody<Incident>(row) : null;
  };
  const replace = db.prepare(
    `UPDATE incidents SET status = @status, category = @category, grid_id = @gridId, segment_id = @segmentId,
       level = @level, lon = @lon, lat = @lat, assignee_type = @assigneeType, assignee_id = @assigneeId,
       deadline_at = @deadlineAt, updated_at = @updatedAt, body = @body
     WHERE id = @id AND updated_at = @expected`,
  );
  const open = "status NOT IN ('closed', 'rejected')";
  return {
    create: async (incident, audit, idempotency) => {
      try {
        db.transaction(() => {
          shared.addIncident(incident, idempotency?.key ?? null, idempotency?.requestHash ?? null);
          shared.addAudit(audit);
        }).immediate();
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError('idempotency key already used');
        throw error;
      }
    },
    byId: async (id) => byId(id),
    byIdempotencyKey: async (userId, key) => {
      const row = db
        .prepare('SELECT body, request_hash FROM incidents WHERE created_by = ? AND idempotency_key = ?')
        .get(userId, key) as Row | undefined;
      return row ? { incident: parseBody<Incident>(row), requestHash: String(row.request_hash) } : null;
    },
    list: async (filter) => listIncidents(db, filter),
    open: async () =>
      (db.prepare(`SELECT body FROM incidents WHERE ${open} ORDER BY id`).all() as Row[]).map((row) =>
        parseBody<Incident>(row),
      ),
    overdue: async (now, limit) =>
      (
        db
          .prepare(
            `SELECT body FROM incidents WHERE ${open} AND deadline_at IS NOT NULL AND deadline_at <= ?
             ORDER BY deadline_at, id LIMIT ?`,
          )
          .all(now, limit) as Row[]
      ).map((row) => parseBody<Incident>(row)),
    update: async (next, expectedUpdatedAt, audit, alerts = []) =>
      db
        .transaction(() => {
          if (replace.run({ ...incidentRow(next), expected: expectedUpdatedAt }).changes === 0) return false;
          for (const entry of audit) shared.addAudit(entry);
          for (const alert of alerts) shared.addAlert(alert, null);
          return true;
        })
        .immediate(),
    timeline: async (incidentId) =>
      (
        db
          .prepare('SELECT * FROM incident_audit WHERE incident_id = ? ORDER BY rowid')
          .all(incidentId) as Row[]
      ).map(toAudit),
    facts: async (filter) => incidentFacts(db, filter),
    recordRead: async (incidentId, userId, t) => {
      db.prepare('INSERT INTO incident_reads (incident_id, user_id, t) VALUES (?, ?, ?)').run(
        incidentId,
        userId,
        t,
      );
    },
  };
}

function toReport(row: Row): ReportRecord {
  return parseBody<ReportRecord>(row);
}

function reportStore(db: Db, shared: Shared): ReportStore {
  const insert = db.prepare(
    `INSERT INTO reports (id, segment_id, t, user_id, idempotency_key, request_hash, incident_id, body)
     VALUES (@id, @segmentId, @t, @userId, @idempotencyKey, @requestHash, @incidentId, @body)`,
  );
  return {
    create: async (report, raised) => {
      try {
        db.transaction(() => {
          if (raised) {
            shared.addIncident(raised.incident, null, null);
            shared.addAudit(raised.audit);
          }
          insert.run({ ...report, body: JSON.stringify(report) });
        }).immediate();
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError('idempotency key already used');
        throw error;
      }
    },
    byId: async (id) => {
      const row = db.prepare('SELECT body FROM reports WHERE id = ?').get(id) as Row | undefined;
      return row ? toReport(row) : null;
    },
    byIdempotencyKey: async (userId, key) => {
      const row = db
        .prepare('SELECT body FROM reports WHERE user_id = ? AND idempotency_key = ?')
        .get(userId, key) as Row | undefined;
      return row ? toReport(row) : null;
    },
    lastBySegment: async () =>
      new Map(
        (db.prepare('SELECT segment_id, max(t) AS t FROM reports GROUP BY segment_id').all() as Row[]).map(
          (row) => [String(row.segment_id), Number(row.t)],
        ),
      ),
    list: async ({ segmentId, since, limit, scope }) =>
      (
        db
          .prepare(
            `SELECT body FROM reports WHERE (@segmentId IS NULL OR segment_id = @segmentId) AND t >= @since
               AND (@scoped = 0 OR segment_id IN (SELECT value FROM json_each(@segmentIds)) OR user_id = @userId)
             ORDER BY id DESC LIMIT @limit`,
          )
          .all({
            segmentId: segmentId ?? null,
            since: since ?? 0,
            limit,
            scoped: scope ? 1 : 0,
            segmentIds: JSON.stringify(scope?.segmentIds ?? []),
            userId: scope?.userId ?? null,
          }) as Row[]
      ).map(toReport),
  };
}

function photoStore(db: Db): PhotoStore {
  return {
    put: async (photo) => {
      db.prepare(
        `INSERT OR IGNORE INTO photos (id, content_type, bytes, uploaded_by, created_at)
         VALUES (@id, @contentType, @bytes, @uploadedBy, @createdAt)`,
      ).run(photo);
    },
    byId: async (id) => {
      const row = db.prepare('SELECT * FROM photos WHERE id = ?').get(id) as Row | undefined;
      if (!row) return null;
      const photo: PhotoRecord = {
        id: String(row.id),
        contentType: String(row.content_type),
        bytes: Number(row.bytes),
        uploadedBy: String(row.uploaded_by),
        createdAt: Number(row.created_at),
      };
      return photo;
    },
  };
}

/** The closed-loop stores over an open, migrated database (openSqliteStore wires them in). */
export function closedLoopStores(db: Db): ClosedLoopStores {
  const shared = sharedStatements(db);
  return {
    incidents: incidentStore(db, shared),
    reports: reportStore(db, shared),
    alerts: alertStore(db, shared.addAlert),
    photos: photoStore(db),
    checkins: checkinStore(db),
  };
}
