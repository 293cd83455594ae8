// Upgrading a store made before the closed loop's second migration: its alerts keep working (queue, scope,
// SOS cancel) with level 0, no recipients and their type and unit backfilled into the new columns.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { AlertDetail } from '../../server/contract';
import { openSqliteStore } from '../../server/store/sqlite';
import { SQLITE_MIGRATIONS } from '../../server/store/sqlite-migrations';
import { tempDir } from '../support/server';

const dir = tempDir('lianfang-migrate-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sos: AlertDetail = {
  id: '01JD0000000000000000000001',
  type: 'sos',
  severity: 'critical',
  message: 'SOS from 边警-01 (osmand)',
  lon: 106.71,
  lat: 21.99,
  unitId: 't-pol-1',
  t: 1_700_000_000_000,
  acknowledgedBy: null,
  acknowledgedAt: null,
  incidentId: null,
  data: { deviceId: 'dev-t-pol-1', segmentId: 't-seg-01' },
  acknowledgedByName: null,
  ackNote: null,
};

describe('the second closed-loop migration', () => {
  it('backfills alerts stored before it', async () => {
    // Everything before this migration (found by what it creates: later ones may be appended after it).
    const old = SQLITE_MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE alert_recipients'));
    expect(old).toBeGreaterThan(0);
    const db = new Database(path.join(dir, 'lianfang.db'));
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    SQLITE_MIGRATIONS.slice(0, old).forEach((sql, index) => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, 0)').run(index + 1);
    });
    db.prepare(
      `INSERT INTO alerts (id, severity_rank, t, acknowledged_at, source_key, incident_id, body)
       VALUES (?, 0, ?, NULL, 'event:x', NULL, ?)`,
    ).run(sos.id, sos.t, JSON.stringify(sos));
    db.close();

    const store = openSqliteStore(dir);
    try {
      expect(await store.alerts.byId(sos.id)).toEqual({
        ...sos,
        gridId: null,
        level: 0,
        escalatedAt: null,
        recipients: [],
        awaiting: [],
      });
      const open = await store.alerts.openOfType('sos', { unitId: 't-pol-1', deviceId: null });
      expect(open.map((a) => a.id)).toEqual([sos.id]);
      const scope = { gridIds: [], segmentIds: ['t-seg-01'], unitIds: [], recipients: [] };
      const incidents = { gridIds: [], assignees: [], createdBy: null, segmentIds: [] };
      const listed = await store.alerts.list({ limit: 10, scope: { ...scope, incidents } });
      expect(listed.items.map((a) => a.id)).toEqual([sos.id]);
      const due = await store.alerts.dueForEscalation(
        sos.t + 600_000,
        { critical: 600_000, warning: null, info: null },
        3,
        10,
      );
      expect(due.map((a) => a.id)).toEqual([sos.id]);
    } finally {
      await store.close();
    }
  });
});
