// The SQLite alert store: alerts with their recipients and append-only log, the scoped queue, escalation.
import type Database from 'better-sqlite3';
import type { AlertDetail, AlertLogEntry, AlertRecipient, AlertRecord, AlertSeverity } from '../contract';
import { nextId } from '../domain/incident-ids';
import { alertScopeParams, alertScopeSql } from './sqlite-scope';
import type { AlertStore, NewAlert } from './store';

type Row = Record<string, unknown>;
type Db = Database.Database;

export const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

/** The columns every read selects: the stored body, the query columns it is merged with, the recipients. */
const SELECT = `SELECT a.id, a.body, a.severity_rank, a.grid_id, a.level, a.escalated_at,
  (SELECT json_group_array(json_array(r.type, r.recipient_id, r.name, r.notified_at, r.acknowledged_at,
     r.acknowledged_by, r.acknowledged_by_name, r.on_behalf, r.note))
   FROM (SELECT * FROM alert_recipients WHERE alert_id = a.id ORDER BY ord) AS r) AS recipients
  FROM alerts a`;

type RecipientTuple = [
  AlertRecipient['type'],
  string,
  string,
  number,
  number | null,
  string | null,
  string | null,
  number,
  string | null,
];

function toRecord(row: Row): AlertRecord {
  const body = JSON.parse(String(row.body)) as AlertDetail;
  const tuples = JSON.parse(typeof row.recipients === 'string' ? row.recipients : '[]') as RecipientTuple[];
  const recipients: AlertRecipient[] = tuples.map(
    ([type, id, name, notifiedAt, acknowledgedAt, by, byName, onBehalf, note]) => ({
      type,
      id,
      name,
      notifiedAt,
      acknowledgedAt,
      acknowledgedBy: by,
      acknowledgedByName: byName,
      onBehalf: onBehalf === 1,
      note,
    }),
  );
  return {
    ...body,
    gridId: (row.grid_id as string | null) ?? null,
    level: Number(row.level ?? 0),
    escalatedAt:
      row.escalated_at === null || row.escalated_at === undefined ? null : Number(row.escalated_at),
    recipients,
    awaiting: recipients
      .filter((r) => r.acknowledgedAt === null)
      .map(({ type, id, name }) => ({ type, id, name })),
  };
}

function toLog(row: Row): AlertLogEntry {
  return {
    id: String(row.id),
    alertId: String(row.alert_id),
    t: Number(row.t),
    actorId: String(row.actor_id),
    actorName: String(row.actor_name),
    action: row.action as AlertLogEntry['action'],
    fromSeverity: (row.from_severity as AlertSeverity | null) ?? null,
    toSeverity: (row.to_severity as AlertSeverity | null) ?? null,
    level: row.level === null ? null : Number(row.level),
    recipient:
      row.recipient_type === null
        ? null
        : { type: row.recipient_type as AlertRecipient['type'], id: String(row.recipient_id) },
    note: String(row.note),
  };
}

/** The body keeps the wire AlertDetail; level, escalation and recipients live in their columns and table. */
function bodyOf(alert: NewAlert): string {
  const {
    gridId: _g,
    level: _l,
    escalatedAt: _e,
    ...detail
  } = alert as NewAlert & Partial<Pick<AlertRecord, 'recipients' | 'awaiting'>>;
  delete detail.recipients;
  delete detail.awaiting;
  return JSON.stringify(detail);
}

/** The insert that the incident store shares (an overdue incident's alert commits with its escalation). */
export function alertInserter(db: Db) {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO alerts (id, severity_rank, t, acknowledged_at, source_key, incident_id, type, unit_id,
       grid_id, segment_id, level, escalated_at, body)
     VALUES (@id, @rank, @t, @acknowledgedAt, @sourceKey, @incidentId, @type, @unitId, @gridId, @segmentId,
       @level, @escalatedAt, @body)`,
  );
  return (alert: NewAlert, sourceKey: string | null): boolean =>
    insert.run({
      id: alert.id,
      rank: SEVERITY_RANK[alert.severity],
      t: alert.t,
      acknowledgedAt: alert.acknowledgedAt,
      sourceKey,
      incidentId: alert.incidentId,
      type: alert.type,
      unitId: alert.unitId,
      gridId: alert.gridId ?? null,
      segmentId: typeof alert.data.segmentId === 'string' ? alert.data.segmentId : null,
      level: alert.level ?? 0,
      escalatedAt: alert.escalatedAt ?? null,
      body: bodyOf(alert),
    }).changes > 0;
}

function logWriter(db: Db) {
  const insert = db.prepare(
    `INSERT INTO alert_log (id, alert_id, t, actor_id, actor_name, action, from_severity, to_severity, level,
       recipient_type, recipient_id, note)
     VALUES (@id, @alertId, @t, @actorId, @actorName, @action, @fromSeverity, @toSeverity, @level,
       @recipientType, @recipientId, @note)`,
  );
  return (entry: AlertLogEntry): void => {
    insert.run({
      ...entry,
      recipientType: entry.recipient?.type ?? null,
      recipientId: entry.recipient?.id ?? null,
    });
  };
}

function listAlerts(db: Db, filter: Parameters<AlertStore['list']>[0]) {
  const { acknowledged, severities, cursor, limit, scope } = filter;
  const [rank, afterId] = cursor ? [Number(cursor.split('.')[0]), cursor.split('.')[1] ?? ''] : [-1, ''];
  // A literal condition (not a parameter), so that the unacknowledged queue reads its partial index.
  const state =
    acknowledged === undefined
      ? '1'
      : acknowledged
        ? 'a.acknowledged_at IS NOT NULL'
        : 'a.acknowledged_at IS NULL';
  const rows = db
    .prepare(
      `${SELECT} WHERE ${state}
         AND (@severities IS NULL OR a.severity_rank IN (SELECT value FROM json_each(@severities)))
         AND (a.severity_rank > @rank OR (a.severity_rank = @rank AND a.id < @afterId))
         AND ${alertScopeSql('a')}
       ORDER BY a.severity_rank, a.id DESC LIMIT @limit`,
    )
    .all({
      severities: severities ? JSON.stringify(severities.map((s) => SEVERITY_RANK[s])) : null,
      rank,
      afterId,
      limit: limit + 1,
      ...alertScopeParams(scope),
    }) as Row[];
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? `${Number(last.severity_rank)}.${String(last.id)}` : null;
  return { items: items.map(toRecord), nextCursor };
}

export function alertStore(db: Db, addAlert: ReturnType<typeof alertInserter>): AlertStore {
  const one = (where: string, value: string): AlertRecord | null => {
    const row = db.prepare(`${SELECT} WHERE ${where}`).get(value) as Row | undefined;
    return row ? toRecord(row) : null;
  };
  const addLog = logWriter(db);
  const insertRecipient = db.prepare(
    `INSERT INTO alert_recipients (alert_id, ord, type, recipient_id, name, notified_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const ackAlert = db.prepare(
    `UPDATE alerts SET acknowledged_at = @at, body = json_set(body, '$.acknowledgedBy', @byId,
       '$.acknowledgedByName', @byName, '$.acknowledgedAt', @at, '$.ackNote', @note)
     WHERE id = @id AND acknowledged_at IS NULL`,
  );
  const ackRecipient = db.prepare(
    `UPDATE alert_recipients SET acknowledged_at = @at, acknowledged_by = @byId, acknowledged_by_name = @byName,
       on_behalf = @onBehalf, note = @note
     WHERE alert_id = @alertId AND type = @type AND recipient_id = @recipientId AND acknowledged_at IS NULL`,
  );
  const escalate = db.prepare(
    `UPDATE alerts SET level = @level, escalated_at = @t, severity_rank = @rank,
       body = json_set(body, '$.severity', @severity)
     WHERE id = @id AND acknowledged_at IS NULL AND level = @expected`,
  );
  return {
    create: async (alert, sourceKey, recipients = []) =>
      db
        .transaction(() => {
          if (!addAlert(alert, sourceKey)) return false;
          recipients.forEach((r, ord) =>
            insertRecipient.run(alert.id, ord, r.type, r.id, r.name, r.notifiedAt),
          );
          return true;
        })
        .immediate(),
    byId: async (id) => one('a.id = ?', id),
    bySourceKey: async (key) => one('a.source_key = ?', key),
    ack: async (id, by, at, note, action = 'acknowledged') =>
      db
        .transaction(() => {
          if (ackAlert.run({ id, at, byId: by.id, byName: by.name, note }).changes === 0) return false;
          addLog({
            ...{ id: nextId(at), alertId: id, t: at, actorId: by.id, actorName: by.name, action },
            ...{ fromSeverity: null, toSeverity: null, level: null, recipient: null, note: note ?? '' },
          });
          return true;
        })
        .immediate(),
    list: async (filter) => listAlerts(db, filter),
    ackRecipient: async (alertId, recipient, by, at, note) =>
      db
        .transaction(() => {
          const params = { alertId, type: recipient.type, recipientId: recipient.id, at, note };
          const who = { byId: by.id, byName: by.name, onBehalf: by.onBehalf ? 1 : 0 };
          if (ackRecipient.run({ ...params, ...who }).changes === 0) return false;
          addLog({
            ...{ id: nextId(at), alertId, t: at, actorId: by.id, actorName: by.name },
            ...{ action: 'recipient_acknowledged', fromSeverity: null, toSeverity: null, level: null },
            ...{ recipient: { type: recipient.type, id: recipient.id }, note: note ?? '' },
          });
          return true;
        })
        .immediate(),
    escalate: async (id, expected, entry) =>
      db
        .transaction(() => {
          const severity = entry.toSeverity ?? 'critical';
          const params = {
            id,
            expected,
            level: entry.level,
            t: entry.t,
            severity,
            rank: SEVERITY_RANK[severity],
          };
          if (escalate.run(params).changes === 0) return false;
          addLog(entry);
          return true;
        })
        .immediate(),
    dueForEscalation: async (now, afterMs, maxLevel, limit) => {
      // A severity that never escalates gets a wait no clock reaches.
      const wait = (s: AlertSeverity): number => afterMs[s] ?? Number.MAX_SAFE_INTEGER;
      const rows = db
        .prepare(
          `${SELECT} WHERE a.acknowledged_at IS NULL AND a.level < @maxLevel
             AND coalesce(a.escalated_at, a.t) +
               CASE a.severity_rank WHEN 0 THEN @critical WHEN 1 THEN @warning ELSE @info END <= @now
           ORDER BY coalesce(a.escalated_at, a.t), a.id LIMIT @limit`,
        )
        .all({
          now,
          maxLevel,
          limit,
          critical: wait('critical'),
          warning: wait('warning'),
          info: wait('info'),
        }) as Row[];
      return rows.map(toRecord);
    },
    openOfType: async (type, { unitId, deviceId }) =>
      (
        db
          .prepare(
            `${SELECT} WHERE a.acknowledged_at IS NULL AND a.type = @type
               AND ((@unitId IS NOT NULL AND a.unit_id = @unitId)
                 OR (@unitId IS NULL AND a.unit_id IS NULL AND @deviceId IS NOT NULL
                     AND json_extract(a.body, '$.data.deviceId') = @deviceId))
             ORDER BY a.id`,
          )
          .all({ type, unitId, deviceId }) as Row[]
      ).map(toRecord),
    log: async (alertId) =>
      (db.prepare('SELECT * FROM alert_log WHERE alert_id = ? ORDER BY rowid').all(alertId) as Row[]).map(
        toLog,
      ),
  };
}
