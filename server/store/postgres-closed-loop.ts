// The closed loop's PostgreSQL stores: incidents with their append-only audit log, reports, photos; alerts and
// check-ins live in their own files. Multi-row writes run in one transaction and resolve after COMMIT.
import type pg from 'pg';
import type { Incident, IncidentAuditEntry } from '../contract';
import { alertStore, insertAlert } from './postgres-alerts';
import { checkinStore } from './postgres-checkins';
import {
  Params,
  inTransaction,
  isUniqueViolation,
  numberOrNull,
  parseBody,
  type Queryable,
  type Row,
} from './postgres-db';
import { incidentScopeSql } from './postgres-scope';
import {
  ConflictError,
  type ClosedLoopStores,
  type IncidentFactsFilter,
  type IncidentFacts,
  type IncidentFilter,
  type IncidentStore,
  type PhotoStore,
  type ReportStore,
} from './store';

/** The query columns of an incident, in the order of INCIDENT_COLUMNS, then its body. */
function incidentValues(incident: Incident): unknown[] {
  return [
    ...[incident.id, incident.status, incident.category, incident.gridId, incident.segmentId, incident.level],
    ...[incident.lon, incident.lat, incident.assignee?.type ?? null, incident.assignee?.id ?? null],
    ...[incident.deadlineAt, incident.createdAt, incident.updatedAt, incident.createdBy],
    JSON.stringify(incident),
  ];
}

async function addIncident(
  db: Queryable,
  incident: Incident,
  idempotencyKey: string | null,
  requestHash: string | null,
): Promise<void> {
  await db.query(
    `INSERT INTO incidents (id, status, category, grid_id, segment_id, level, lon, lat, assignee_type,
       assignee_id, deadline_at, created_at, updated_at, created_by, body, idempotency_key, request_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    [...incidentValues(incident), idempotencyKey, requestHash],
  );
}

async function addAudit(db: Queryable, entry: IncidentAuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO incident_audit (id, incident_id, t, actor_id, actor_name, action, from_status, to_status,
       from_level, to_level, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    [
      ...[entry.id, entry.incidentId, entry.t, entry.actorId, entry.actorName, entry.action],
      ...[entry.from, entry.to, entry.fromLevel, entry.toLevel, entry.note],
    ],
  );
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

async function listIncidents(pool: pg.Pool, filter: IncidentFilter): Promise<Incident[]> {
  const p = new Params();
  const where = [`updated_at >= ${p.add(filter.since ?? 0)}`];
  if (filter.statuses?.length) where.push(`status = ANY(${p.add(filter.statuses)}::text[])`);
  if (filter.categories?.length) where.push(`category = ANY(${p.add(filter.categories)}::text[])`);
  if (typeof filter.gridId === 'string') where.push(`grid_id = ${p.add(filter.gridId)}`);
  if (typeof filter.cursor === 'string') where.push(`id < ${p.add(filter.cursor)}`);
  if (filter.bbox) {
    const [west, south, east, north] = filter.bbox;
    where.push(`lon >= ${p.add(west)} AND lon <= ${p.add(east)}`);
    where.push(`lat >= ${p.add(south)} AND lat <= ${p.add(north)}`);
  }
  where.push(incidentScopeSql('incidents', filter.scope, p));
  const { rows } = await pool.query(
    `SELECT body FROM incidents WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${p.add(filter.limit)}`,
    p.values,
  );
  return rows.map((row: Row) => parseBody<Incident>(row));
}

async function incidentFacts(pool: pg.Pool, filter: IncidentFactsFilter): Promise<IncidentFacts[]> {
  const p = new Params();
  const where = [`i.created_at >= ${p.add(filter.from)}`, `i.created_at < ${p.add(filter.to)}`];
  if (filter.gridIds) where.push(`i.grid_id = ANY(${p.add(filter.gridIds)}::text[])`);
  if (filter.segmentIds) where.push(`i.segment_id = ANY(${p.add(filter.segmentIds)}::text[])`);
  const { rows } = await pool.query(
    `SELECT i.body,
       (SELECT min(a.t) FROM incident_audit a WHERE a.incident_id = i.id AND a.to_status = 'closed') AS closed_at,
       EXISTS (SELECT 1 FROM incident_audit a WHERE a.incident_id = i.id AND a.actor_id = 'system'
               AND a.action IN ('escalated', 'overdue')) AS overdue
     FROM incidents i WHERE ${where.join(' AND ')} ORDER BY i.id`,
    p.values,
  );
  return rows.map((row: Row) => ({
    incident: parseBody<Incident>(row),
    closedAt: numberOrNull(row.closed_at),
    overdue: row.overdue === true,
  }));
}

const OPEN = "status NOT IN ('closed', 'rejected')";

function incidentStore(pool: pg.Pool): IncidentStore {
  const bodies = async (sql: string, params: unknown[]): Promise<Incident[]> =>
    (await pool.query(sql, params)).rows.map((row: Row) => parseBody<Incident>(row));
  return {
    create: async (incident, audit, idempotency) => {
      try {
        await inTransaction(pool, async (client) => {
          await addIncident(client, incident, idempotency?.key ?? null, idempotency?.requestHash ?? null);
          await addAudit(client, audit);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError('idempotency key already used');
        throw error;
      }
    },
    byId: async (id) => (await bodies('SELECT body FROM incidents WHERE id = $1', [id]))[0] ?? null,
    byIdempotencyKey: async (userId, key) => {
      const { rows } = await pool.query(
        'SELECT body, request_hash FROM incidents WHERE created_by = $1 AND idempotency_key = $2',
        [userId, key],
      );
      const row = rows[0] as Row | undefined;
      return row ? { incident: parseBody<Incident>(row), requestHash: String(row.request_hash) } : null;
    },
    list: (filter) => listIncidents(pool, filter),
    open: () => bodies(`SELECT body FROM incidents WHERE ${OPEN} ORDER BY id`, []),
    overdue: (now, limit) =>
      bodies(
        `SELECT body FROM incidents WHERE ${OPEN} AND deadline_at IS NOT NULL AND deadline_at <= $1
         ORDER BY deadline_at, id LIMIT $2`,
        [now, limit],
      ),
    // Compare-and-set on updated_at: under READ COMMITTED a concurrent writer's UPDATE waits for the row
    // lock, then re-checks the condition against the committed row, so only one of them wins.
    update: async (next, expectedUpdatedAt, audit, alerts = []) =>
      inTransaction(pool, async (client) => {
        const { rowCount } = await client.query(
          `UPDATE incidents SET status = $2, category = $3, grid_id = $4, segment_id = $5, level = $6,
             lon = $7, lat = $8, assignee_type = $9, assignee_id = $10, deadline_at = $11, updated_at = $12,
             body = $13
           WHERE id = $1 AND updated_at = $14`,
          [
            ...[next.id, next.status, next.category, next.gridId, next.segmentId, next.level, next.lon],
            ...[next.lat, next.assignee?.type ?? null, next.assignee?.id ?? null, next.deadlineAt],
            ...[next.updatedAt, JSON.stringify(next), expectedUpdatedAt],
          ],
        );
        if (!rowCount) return false;
        for (const entry of audit) await addAudit(client, entry);
        for (const alert of alerts) await insertAlert(client, alert, null);
        return true;
      }),
    timeline: async (incidentId) =>
      (
        await pool.query('SELECT * FROM incident_audit WHERE incident_id = $1 ORDER BY seq', [incidentId])
      ).rows.map(toAudit),
    recordRead: async (incidentId, userId, t) => {
      await pool.query('INSERT INTO incident_reads (incident_id, user_id, t) VALUES ($1, $2, $3)', [
        incidentId,
        userId,
        t,
      ]);
    },
    facts: (filter) => incidentFacts(pool, filter),
  };
}

function reportStore(pool: pg.Pool): ReportStore {
  const reports = async (sql: string, params: unknown[]) =>
    (await pool.query(sql, params)).rows.map((row: Row) =>
      parseBody<Parameters<ReportStore['create']>[0]>(row),
    );
  return {
    create: async (report, raised) => {
      try {
        await inTransaction(pool, async (client) => {
          if (raised) {
            await addIncident(client, raised.incident, null, null);
            await addAudit(client, raised.audit);
          }
          await client.query(
            `INSERT INTO reports (id, segment_id, t, user_id, idempotency_key, request_hash, incident_id, body)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [
              ...[report.id, report.segmentId, report.t, report.userId, report.idempotencyKey],
              ...[report.requestHash, report.incidentId, JSON.stringify(report)],
            ],
          );
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError('idempotency key already used');
        throw error;
      }
    },
    byId: async (id) => (await reports('SELECT body FROM reports WHERE id = $1', [id]))[0] ?? null,
    byIdempotencyKey: async (userId, key) =>
      (
        await reports('SELECT body FROM reports WHERE user_id = $1 AND idempotency_key = $2', [userId, key])
      )[0] ?? null,
    lastBySegment: async () =>
      new Map(
        (await pool.query('SELECT segment_id, max(t) AS t FROM reports GROUP BY segment_id')).rows.map(
          (row: Row) => [String(row.segment_id), Number(row.t)],
        ),
      ),
    list: async ({ segmentId, since, limit, scope }) => {
      const p = new Params();
      const where = [`t >= ${p.add(since ?? 0)}`];
      if (typeof segmentId === 'string') where.push(`segment_id = ${p.add(segmentId)}`);
      if (scope)
        where.push(
          `(segment_id = ANY(${p.add(scope.segmentIds)}::text[]) OR user_id = ${p.add(scope.userId)})`,
        );
      return reports(
        `SELECT body FROM reports WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${p.add(limit)}`,
        p.values,
      );
    },
  };
}

/** Photo metadata; the bytes stay on disk under DATA_DIR/photos (server/domain/photos.ts), as with SQLite. */
function photoStore(pool: pg.Pool): PhotoStore {
  return {
    put: async (photo) => {
      await pool.query(
        `INSERT INTO photos (id, content_type, bytes, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (id) DO NOTHING`,
        [photo.id, photo.contentType, photo.bytes, photo.uploadedBy, photo.createdAt],
      );
    },
    byId: async (id) => {
      const row = (await pool.query('SELECT * FROM photos WHERE id = $1', [id])).rows[0] as Row | undefined;
      if (!row) return null;
      return {
        id: String(row.id),
        contentType: String(row.content_type),
        bytes: Number(row.bytes),
        uploadedBy: String(row.uploaded_by),
        createdAt: Number(row.created_at),
      };
    },
  };
}

/** The closed-loop stores over a migrated pool (openPostgresStore wires them in). */
export function closedLoopStores(pool: pg.Pool): ClosedLoopStores {
  return {
    incidents: incidentStore(pool),
    reports: reportStore(pool),
    alerts: alertStore(pool),
    photos: photoStore(pool),
    checkins: checkinStore(pool),
  };
}
