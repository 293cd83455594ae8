// The PostgreSQL alert store: alerts with their recipients and append-only log, the scoped queue, escalation.
import type pg from 'pg';
import type { AlertDetail, AlertLogEntry, AlertRecipient, AlertRecord, AlertSeverity } from '../contract';
import { nextId } from '../domain/incident-ids';
import { Params, inTransaction, numberOrNull, type Queryable, type Row } from './postgres-db';
import { alertScopeSql } from './postgres-scope';
import type { AlertStore, NewAlert } from './store';

const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

/** Every read selects the stored body, the query columns it is merged with, and the recipients in order. */
const SELECT = `SELECT a.id, a.body, a.severity_rank, a.grid_id, a.level, a.escalated_at,
  (SELECT coalesce(json_agg(json_build_object('type', r.type, 'id', r.recipient_id, 'name', r.name,
     'notifiedAt', r.notified_at, 'acknowledgedAt', r.acknowledged_at, 'acknowledgedBy', r.acknowledged_by,
     'acknowledgedByName', r.acknowledged_by_name, 'onBehalf', r.on_behalf, 'note', r.note) ORDER BY r.ord),
     '[]'::json)
   FROM alert_recipients r WHERE r.alert_id = a.id) AS recipients
  FROM alerts a`;

function toRecord(row: Row): AlertRecord {
  const body = JSON.parse(String(row.body)) as AlertDetail;
  const recipients = (row.recipients ?? []) as AlertRecipient[];
  return {
    ...body,
    gridId: (row.grid_id as string | null) ?? null,
    level: Number(row.level ?? 0),
    escalatedAt: numberOrNull(row.escalated_at),
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
    level: numberOrNull(row.level),
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

/** Inserts an alert unless its id or source key exists (then false); the incident store shares it. */
export async function insertAlert(
  db: Queryable,
  alert: NewAlert,
  sourceKey: string | null,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO alerts (id, severity_rank, t, acknowledged_at, source_key, incident_id, type, unit_id, grid_id,
       segment_id, level, escalated_at, body)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT DO NOTHING`,
    [
      ...[
        alert.id,
        SEVERITY_RANK[alert.severity],
        alert.t,
        alert.acknowledgedAt,
        sourceKey,
        alert.incidentId,
      ],
      ...[alert.type, alert.unitId, alert.gridId ?? null],
      typeof alert.data.segmentId === 'string' ? alert.data.segmentId : null,
      ...[alert.level ?? 0, alert.escalatedAt ?? null, bodyOf(alert)],
    ],
  );
  return (rowCount ?? 0) > 0;
}

async function addLog(db: Queryable, entry: AlertLogEntry): Promise<void> {
  await db.query(
    `INSERT INTO alert_log (id, alert_id, t, actor_id, actor_name, action, from_severity, to_severity, level,
       recipient_type, recipient_id, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      ...[entry.id, entry.alertId, entry.t, entry.actorId, entry.actorName, entry.action],
      ...[entry.fromSeverity, entry.toSeverity, entry.level],
      ...[entry.recipient?.type ?? null, entry.recipient?.id ?? null, entry.note],
    ],
  );
}

async function listAlerts(pool: pg.Pool, filter: Parameters<AlertStore['list']>[0]) {
  const { acknowledged, severities, cursor, limit, scope } = filter;
  const [rank, afterId] = cursor ? [Number(cursor.split('.')[0]), cursor.split('.')[1] ?? ''] : [-1, ''];
  const p = new Params();
  // A literal condition (not a parameter), so that the unacknowledged queue reads its partial index.
  const where = [
    acknowledged === undefined
      ? 'TRUE'
      : acknowledged
        ? 'a.acknowledged_at IS NOT NULL'
        : 'a.acknowledged_at IS NULL',
    `(a.severity_rank > ${p.add(rank)} OR (a.severity_rank = ${p.add(rank)} AND a.id < ${p.add(afterId)}))`,
    alertScopeSql('a', scope, p),
  ];
  if (severities)
    where.push(`a.severity_rank = ANY(${p.add(severities.map((s) => SEVERITY_RANK[s]))}::int[])`);
  const { rows } = await pool.query(
    `${SELECT} WHERE ${where.join(' AND ')} ORDER BY a.severity_rank, a.id DESC LIMIT ${p.add(limit + 1)}`,
    p.values,
  );
  const items = (rows as Row[]).slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? `${Number(last.severity_rank)}.${String(last.id)}` : null;
  return { items: items.map(toRecord), nextCursor };
}

/**
 * The body of the alert matching `where`, row-locked until the transaction ends; null when none matches. Under
 * READ COMMITTED a concurrent writer waits for the lock, then re-checks `where` against the committed row.
 */
async function lockedBody(client: Queryable, where: string, params: unknown[]): Promise<AlertDetail | null> {
  const { rows } = await client.query(`SELECT body FROM alerts WHERE ${where} FOR UPDATE`, params);
  const row = rows[0] as Row | undefined;
  return row ? (JSON.parse(String(row.body)) as AlertDetail) : null;
}

export function alertStore(pool: pg.Pool): AlertStore {
  const many = async (where: string, params: unknown[], order = 'a.id'): Promise<AlertRecord[]> =>
    (await pool.query(`${SELECT} WHERE ${where} ORDER BY ${order}`, params)).rows.map(toRecord);
  return {
    create: (alert, sourceKey, recipients = []) =>
      inTransaction(pool, async (client) => {
        if (!(await insertAlert(client, alert, sourceKey))) return false;
        for (const [ord, r] of recipients.entries())
          await client.query(
            `INSERT INTO alert_recipients (alert_id, ord, type, recipient_id, name, notified_at)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [alert.id, ord, r.type, r.id, r.name, r.notifiedAt],
          );
        return true;
      }),
    byId: async (id) => (await many('a.id = $1', [id]))[0] ?? null,
    bySourceKey: async (key) => (await many('a.source_key = $1', [key]))[0] ?? null,
    // The body is merged in JS, not with jsonb: jsonb refuses a \u0000 that text bodies may hold.
    ack: (id, by, at, note, action = 'acknowledged') =>
      inTransaction(pool, async (client) => {
        const body = await lockedBody(client, 'id = $1 AND acknowledged_at IS NULL', [id]);
        if (!body) return false;
        const acknowledged = {
          acknowledgedBy: by.id,
          acknowledgedByName: by.name,
          acknowledgedAt: at,
          ackNote: note,
        };
        await client.query('UPDATE alerts SET acknowledged_at = $2, body = $3 WHERE id = $1', [
          id,
          at,
          JSON.stringify({ ...body, ...acknowledged }),
        ]);
        await addLog(client, {
          ...{ id: nextId(at), alertId: id, t: at, actorId: by.id, actorName: by.name, action },
          ...{ fromSeverity: null, toSeverity: null, level: null, recipient: null, note: note ?? '' },
        });
        return true;
      }),
    list: (filter) => listAlerts(pool, filter),
    ackRecipient: (alertId, recipient, by, at, note) =>
      inTransaction(pool, async (client) => {
        const { rowCount } = await client.query(
          `UPDATE alert_recipients SET acknowledged_at = $4, acknowledged_by = $5, acknowledged_by_name = $6,
             on_behalf = $7, note = $8
           WHERE alert_id = $1 AND type = $2 AND recipient_id = $3 AND acknowledged_at IS NULL`,
          [alertId, recipient.type, recipient.id, at, by.id, by.name, by.onBehalf, note],
        );
        if (!rowCount) return false;
        await addLog(client, {
          ...{ id: nextId(at), alertId, t: at, actorId: by.id, actorName: by.name },
          ...{ action: 'recipient_acknowledged', fromSeverity: null, toSeverity: null, level: null },
          ...{ recipient: { type: recipient.type, id: recipient.id }, note: note ?? '' },
        });
        return true;
      }),
    escalate: (id, expected, entry) =>
      inTransaction(pool, async (client) => {
        const severity = entry.toSeverity ?? 'critical';
        const where = 'id = $1 AND acknowledged_at IS NULL AND level = $2';
        const body = await lockedBody(client, where, [id, expected]);
        if (!body) return false;
        await client.query(
          'UPDATE alerts SET level = $2, escalated_at = $3, severity_rank = $4, body = $5 WHERE id = $1',
          [id, entry.level, entry.t, SEVERITY_RANK[severity], JSON.stringify({ ...body, severity })],
        );
        await addLog(client, entry);
        return true;
      }),
    dueForEscalation: async (now, afterMs, maxLevel, limit) => {
      // A severity that never escalates gets a wait no clock reaches.
      const wait = (s: AlertSeverity): number => afterMs[s] ?? Number.MAX_SAFE_INTEGER;
      const { rows } = await pool.query(
        `${SELECT} WHERE a.acknowledged_at IS NULL AND a.level < $1
           AND coalesce(a.escalated_at, a.t) +
             CASE a.severity_rank WHEN 0 THEN $2::bigint WHEN 1 THEN $3::bigint ELSE $4::bigint END <= $5
         ORDER BY coalesce(a.escalated_at, a.t), a.id LIMIT $6`,
        [maxLevel, wait('critical'), wait('warning'), wait('info'), now, limit],
      );
      return rows.map(toRecord);
    },
    openOfType: async (type, { unitId, deviceId }) => {
      if (unitId !== null)
        return many('a.acknowledged_at IS NULL AND a.type = $1 AND a.unit_id = $2', [type, unitId]);
      if (deviceId === null) return [];
      // Few open alerts of one type lack a unit: match their device id in JS rather than cast bodies to jsonb.
      const unbound = await many('a.acknowledged_at IS NULL AND a.type = $1 AND a.unit_id IS NULL', [type]);
      return unbound.filter((a) => a.data.deviceId === deviceId);
    },
    log: async (alertId) =>
      (await pool.query('SELECT * FROM alert_log WHERE alert_id = $1 ORDER BY seq', [alertId])).rows.map(
        toLog,
      ),
  };
}
