// The one store test suite: registers the same describe/it blocks against any Store (SQLite, PostgreSQL), so
// both implementations are held to the same semantics: conflicts, idempotency, ordering, filters, scopes,
// bbox history, transactions. Each group gets a fresh, empty store from the factory.
import type { FeatureCollection } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AlertDetail,
  AlertLogEntry,
  DomainEvent,
  Fence,
  Incident,
  IncidentAuditEntry,
} from '../../server/contract';
import {
  ConflictError,
  type AlertScope,
  type CheckinRecord,
  type FixRecord,
  type ReportRecord,
  type Store,
  type UnitRecord,
  type UserRecord,
} from '../../server/store/store';

export interface OpenedStore {
  store: Store;
  dispose(): Promise<void>;
}

/** One group of tests over a fresh store; `use()` gives the store inside its tests. */
function group(name: string, open: () => Promise<OpenedStore>, body: (use: () => Store) => void): void {
  describe(name, () => {
    let opened: OpenedStore | null = null;
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => {
      await opened?.dispose();
    });
    body(() => {
      if (!opened) throw new Error('store not open');
      return opened.store;
    });
  });
}

const user = (id: string, username: string): UserRecord => ({
  id,
  username,
  role: 'operator',
  unitId: null,
  segmentIds: ['seg-1'],
  areaId: null,
  staffId: null,
  passwordHash: 'hash',
  createdAt: 1_000,
});

const unit = (id: string, deviceId: string): UnitRecord => ({
  id,
  kind: 'police',
  callsign: id.toUpperCase(),
  deviceId,
  createdAt: 2_000,
  secretHash: null,
});

const fix = (unitId: string, t: number, lon: number, lat: number): FixRecord => ({
  unitId,
  t,
  rx: t + 5,
  lon,
  lat,
  accuracyMeters: 4.5,
  headingDeg: null,
  speedMps: 1.25,
  source: 'osmand',
});

const event = (id: string, type: string, t: number, unitId: string | null): DomainEvent => ({
  id,
  type,
  t,
  unitId,
  message: `${type} ${id}`,
  data: { n: t, nested: { ok: true } },
});

const fence = (id: string, createdAt: number, name: string): Fence => ({
  id,
  name,
  shape: { type: 'circle', center: [100.5, 21.9], radiusMeters: 250 },
  kinds: [],
  severity: 'warning',
  enterBufferMeters: 0,
  exitBufferMeters: 0,
  dwellEnterMs: 0,
  dwellExitMs: 0,
  maxAccuracyMeters: 100,
  detect: ['enter', 'exit'],
  createdBy: null,
  createdAt,
  updatedAt: createdAt,
});

function incident(id: string, patch: Partial<Incident> = {}): Incident {
  return {
    id,
    category: 'dispute',
    summary: `邻里纠纷 ${id}`,
    description: '',
    source: 'hotline',
    reporter: { name: '张三', phone: '13800000000' },
    lon: 100.5,
    lat: 21.9,
    gridId: 'grid-1',
    sectorId: null,
    postId: null,
    segmentId: null,
    level: 'grid',
    status: 'reported',
    assignee: null,
    deadlineAt: null,
    createdAt: 10_000,
    updatedAt: 10_000,
    createdBy: 'u-op',
    mediation: null,
    feedback: null,
    reportId: null,
    ...patch,
  };
}

function audit(id: string, incidentId: string, patch: Partial<IncidentAuditEntry> = {}): IncidentAuditEntry {
  return {
    id,
    incidentId,
    t: 10_000,
    actorId: 'u-op',
    actorName: 'operator',
    action: 'created',
    from: null,
    to: 'reported',
    fromLevel: null,
    toLevel: null,
    note: '',
    ...patch,
  };
}

function alert(id: string, patch: Partial<AlertDetail> = {}): AlertDetail {
  return {
    id,
    type: 'sos',
    severity: 'warning',
    message: `alert ${id}`,
    lon: 100.5,
    lat: 21.9,
    unitId: null,
    t: 20_000,
    acknowledgedBy: null,
    acknowledgedAt: null,
    incidentId: null,
    data: {},
    acknowledgedByName: null,
    ackNote: null,
    ...patch,
  };
}

function report(id: string, patch: Partial<ReportRecord> = {}): ReportRecord {
  return {
    id,
    segmentId: 'seg-1',
    status: 'normal',
    anomalyType: null,
    lon: 100.5,
    lat: 21.9,
    note: '',
    photoId: null,
    userId: 'u-chief',
    unitId: null,
    t: 30_000,
    incidentId: null,
    idempotencyKey: null,
    requestHash: null,
    ...patch,
  };
}

function checkin(id: string, patch: Partial<CheckinRecord> = {}): CheckinRecord {
  return {
    id,
    postId: 'post-1',
    t: 40_000,
    userId: 'u-post',
    userName: '户哨',
    lon: null,
    lat: null,
    note: '',
    idempotencyKey: null,
    requestHash: null,
    ...patch,
  };
}

const escalation = (alertId: string): AlertLogEntry => ({
  ...{ id: 'LOG-E1', alertId, t: 22_000, actorId: 'system', actorName: '系统', action: 'escalated' },
  ...{ fromSeverity: 'warning', toSeverity: 'critical', level: 1, recipient: null, note: '' },
});

const collection = (name: string): FeatureCollection => ({
  type: 'FeatureCollection',
  features: [{ type: 'Feature', properties: { name }, geometry: { type: 'Point', coordinates: [100, 21] } }],
});

/** Registers every group against stores from `open` (a fresh, empty, migrated store per call). */
export function storeSuite(open: () => Promise<OpenedStore>): void {
  group('users', open, (use) => {
    it('creates, finds, counts and lists users in username byte order', async () => {
      const users = use().users;
      expect(await users.count()).toBe(0);
      await users.create(user('u1', 'zhang'));
      await users.create(user('u2', 'Wang'));
      await users.create(user('u3', 'li-si'));
      expect(await users.count()).toBe(3);
      expect(await users.byUsername('zhang')).toEqual({ ...user('u1', 'zhang'), tokenVersion: 0 });
      expect((await users.byId('u3'))?.segmentIds).toEqual(['seg-1']);
      expect(await users.byId('nobody')).toBeNull();
      expect((await users.list()).map((u) => u.username)).toEqual(['Wang', 'li-si', 'zhang']);
    });
    it('refuses a taken username, on create and on rename, with ConflictError', async () => {
      const users = use().users;
      await expect(users.create(user('u4', 'zhang'))).rejects.toBeInstanceOf(ConflictError);
      await expect(users.update('u2', { username: 'zhang' })).rejects.toBeInstanceOf(ConflictError);
      expect((await users.byId('u2'))?.username).toBe('Wang');
    });
    it('updates a patch (token version included), misses an unknown id and removes', async () => {
      const users = use().users;
      const next = await users.update('u1', { role: 'admin', tokenVersion: 3, unitId: 'unit-1' });
      expect(next).toMatchObject({ role: 'admin', tokenVersion: 3, unitId: 'unit-1', username: 'zhang' });
      expect(await users.byId('u1')).toEqual(next);
      expect(await users.update('nobody', { role: 'admin' })).toBeNull();
      expect(await users.remove('u3')).toBe(true);
      expect(await users.remove('u3')).toBe(false);
      expect(await users.count()).toBe(2);
    });
  });

  group('units', open, (use) => {
    it('creates units and refuses a taken id or device id', async () => {
      const units = use().units;
      await units.create(unit('ab', 'dev-1'));
      await expect(units.create(unit('ab', 'dev-2'))).rejects.toBeInstanceOf(ConflictError);
      await expect(units.create(unit('other', 'dev-1'))).rejects.toBeInstanceOf(ConflictError);
      expect(await units.byDeviceId('dev-1')).toEqual(unit('ab', 'dev-1'));
      expect(await units.byDeviceId('dev-2')).toBeNull();
    });
    it('creates many at once, skipping taken ids and device ids, and lists in id byte order', async () => {
      const units = use().units;
      const added = await units.createMany([
        unit('a-b', 'dev-3'),
        unit('ab', 'dev-4'),
        unit('B', 'dev-5'),
        unit('c', 'dev-1'),
      ]);
      expect(added).toBe(2);
      expect(await units.createMany([])).toBe(0);
      expect((await units.list()).map((u) => u.id)).toEqual(['B', 'a-b', 'ab']);
    });
    it('updates the device binding and secret, refusing a device bound elsewhere, and removes', async () => {
      const units = use().units;
      const next = await units.update('B', { secretHash: 'f'.repeat(64), callsign: '边防一号' });
      expect(next).toMatchObject({ secretHash: 'f'.repeat(64), callsign: '边防一号', deviceId: 'dev-5' });
      expect(await units.byId('B')).toEqual(next);
      await expect(units.update('B', { deviceId: 'dev-1' })).rejects.toBeInstanceOf(ConflictError);
      expect(await units.update('nobody', { callsign: 'x' })).toBeNull();
      expect(await units.remove('a-b')).toBe(true);
      expect(await units.remove('a-b')).toBe(false);
    });
  });

  group('layers', open, (use) => {
    it('starts at version 0 and bumps one version across all kinds per put', async () => {
      const layers = use().layers;
      expect(await layers.version()).toBe(0);
      expect(await layers.get('grids')).toBeNull();
      expect((await layers.put('grids', collection('g1'))).version).toBe(1);
      expect((await layers.put('segments', collection('s1'))).version).toBe(2);
      expect((await layers.put('grids', collection('g2'))).version).toBe(3);
      expect(await layers.get('grids')).toEqual({ kind: 'grids', version: 3, collection: collection('g2') });
      expect(await layers.version()).toBe(3);
    });
    it('gives concurrent puts distinct versions', async () => {
      const layers = use().layers;
      const kinds = ['grids', 'segments', 'posts', 'border', 'sectors'] as const;
      const puts = await Promise.all(kinds.map((kind) => layers.put(kind, collection(kind))));
      expect(new Set(puts.map((p) => p.version)).size).toBe(kinds.length);
      expect(await layers.version()).toBe(3 + kinds.length);
    });
  });

  group('history', open, (use) => {
    it('appends fixes and reads them back in time order, every field intact', async () => {
      const history = use().history;
      await history.append([]);
      await history.append([fix('u-b', 3_000, 100.2, 21.2), fix('u-a', 1_000, 100.0, 21.0)]);
      await history.append([fix('u-a', 3_000, 100.3, 21.3), fix('u-a', 2_000, 100.1, 21.1)]);
      const all = await history.query({ limit: 100 });
      expect(all.map((f) => [f.t, f.unitId])).toEqual([
        [1_000, 'u-a'],
        [2_000, 'u-a'],
        [3_000, 'u-a'],
        [3_000, 'u-b'],
      ]);
      expect(all[0]).toEqual(fix('u-a', 1_000, 100.0, 21.0));
    });
    it('filters by unit, time range (inclusive) and limit', async () => {
      const history = use().history;
      expect((await history.query({ unitId: 'u-a', limit: 100 })).map((f) => f.t)).toEqual([
        1_000, 2_000, 3_000,
      ]);
      expect((await history.query({ from: 2_000, to: 3_000, limit: 100 })).length).toBe(3);
      expect((await history.query({ from: 2_001, to: 2_999, limit: 100 })).length).toBe(0);
      expect((await history.query({ limit: 2 })).map((f) => f.t)).toEqual([1_000, 2_000]);
    });
    it('filters by bbox [west, south, east, north], edges included', async () => {
      const history = use().history;
      const inside = await history.query({ bbox: [100.05, 21.05, 100.2, 21.2], limit: 100 });
      expect(inside.map((f) => [f.unitId, f.t])).toEqual([
        ['u-a', 2_000],
        ['u-b', 3_000],
      ]);
      const edge = await history.query({ unitId: 'u-a', bbox: [100.0, 21.0, 100.0, 21.0], limit: 100 });
      expect(edge.map((f) => f.t)).toEqual([1_000]);
      expect(await history.query({ bbox: [0, 0, 1, 1], limit: 100 })).toEqual([]);
    });
    it('prunes fixes older than a time and says how many', async () => {
      const history = use().history;
      expect(await history.prune(2_500)).toBe(2);
      expect((await history.query({ limit: 100 })).map((f) => f.t)).toEqual([3_000, 3_000]);
    });
  });

  group('events', open, (use) => {
    it('appends events once per id and queries after a time, by types and unit, oldest first', async () => {
      const events = use().events;
      await events.append([event('e2', 'fence.enter', 200, 'u1'), event('e1', 'sos', 100, 'u2')]);
      await events.append([event('e1', 'sos', 100, 'u2'), event('e3', 'fence.exit', 200, 'u1')]);
      await events.append([]);
      const all = await events.query({ limit: 10 });
      expect(all.map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
      expect(all[0]).toEqual(event('e1', 'sos', 100, 'u2'));
      expect((await events.query({ since: 100, limit: 10 })).map((e) => e.id)).toEqual(['e2', 'e3']);
      expect((await events.query({ types: ['sos', 'fence.exit'], limit: 10 })).map((e) => e.id)).toEqual([
        'e1',
        'e3',
      ]);
      expect((await events.query({ unitId: 'u1', limit: 1 })).map((e) => e.id)).toEqual(['e2']);
      expect(await events.prune(150)).toBe(1);
      expect((await events.query({ limit: 10 })).length).toBe(2);
    });
  });

  group('fences', open, (use) => {
    it('puts, replaces (keeping creation order), lists and removes fences', async () => {
      const fences = use().fences;
      await fences.put(fence('f2', 2_000, 'second'));
      await fences.put(fence('f1', 1_000, 'first'));
      await fences.put({ ...fence('f2', 2_000, 'second, renamed'), updatedAt: 9_000 });
      const list = await fences.list();
      expect(list.map((f) => [f.id, f.name])).toEqual([
        ['f1', 'first'],
        ['f2', 'second, renamed'],
      ]);
      expect(list[1]).toEqual({ ...fence('f2', 2_000, 'second, renamed'), updatedAt: 9_000 });
      expect(await fences.remove('f1')).toBe(true);
      expect(await fences.remove('f1')).toBe(false);
      expect((await fences.list()).length).toBe(1);
    });
  });

  group('incidents', open, (use) => {
    const key = { userId: 'u-op', key: 'key-1', requestHash: 'hash-1' };
    it('stores an incident with its first audit entry and finds it by idempotency key', async () => {
      const incidents = use().incidents;
      await incidents.create(incident('I01'), audit('A01', 'I01'), key);
      expect(await incidents.byId('I01')).toEqual(incident('I01'));
      expect(await incidents.timeline('I01')).toEqual([audit('A01', 'I01')]);
      expect(await incidents.byIdempotencyKey('u-op', 'key-1')).toEqual({
        incident: incident('I01'),
        requestHash: 'hash-1',
      });
      expect(await incidents.byIdempotencyKey('u-other', 'key-1')).toBeNull();
      expect(await incidents.byId('nope')).toBeNull();
    });
    it('refuses a reused idempotency key with ConflictError and stores nothing of the second one', async () => {
      const incidents = use().incidents;
      const again = incidents.create(incident('I02'), audit('A02', 'I02'), { ...key, requestHash: 'other' });
      await expect(again).rejects.toBeInstanceOf(ConflictError);
      expect(await incidents.byId('I02')).toBeNull();
      expect(await incidents.timeline('I02')).toEqual([]);
      // Another user may use the same key.
      await incidents.create(incident('I02', { createdBy: 'u-2' }), audit('A02', 'I02'), {
        ...key,
        userId: 'u-2',
      });
      expect((await incidents.byId('I02'))?.createdBy).toBe('u-2');
    });
    it('is atomic: when the audit entry fails, the incident is not stored either', async () => {
      const incidents = use().incidents;
      await expect(incidents.create(incident('I03'), audit('A01', 'I03'), null)).rejects.toThrow();
      expect(await incidents.byId('I03')).toBeNull();
    });
    it('lists newest first with status, category, grid, since, bbox filters and a cursor', async () => {
      const incidents = use().incidents;
      const more = [
        incident('I04', { status: 'accepted', category: 'fire', updatedAt: 12_000, lon: 101, lat: 22 }),
        incident('I05', { status: 'closed', gridId: 'grid-2', updatedAt: 13_000 }),
        incident('I06', { status: 'rejected', gridId: null, updatedAt: 14_000 }),
      ];
      for (const [n, item] of more.entries()) await incidents.create(item, audit(`A1${n}`, item.id), null);
      const ids = async (filter: Partial<Parameters<typeof incidents.list>[0]>) =>
        (await incidents.list({ scope: null, limit: 50, ...filter })).map((i) => i.id);
      expect(await ids({})).toEqual(['I06', 'I05', 'I04', 'I02', 'I01']);
      expect(await ids({ limit: 2 })).toEqual(['I06', 'I05']);
      expect(await ids({ cursor: 'I05', limit: 2 })).toEqual(['I04', 'I02']);
      expect(await ids({ statuses: ['accepted', 'closed'] })).toEqual(['I05', 'I04']);
      expect(await ids({ categories: ['fire'] })).toEqual(['I04']);
      expect(await ids({ gridId: 'grid-2' })).toEqual(['I05']);
      expect(await ids({ since: 13_000 })).toEqual(['I06', 'I05']);
      expect(await ids({ bbox: [100.9, 21.9, 101, 22] })).toEqual(['I04']);
    });
    it('lists by scope: grids, segments, creator or assignee, OR-ed', async () => {
      const incidents = use().incidents;
      await incidents.create(
        incident('I07', { gridId: null, assignee: { type: 'unit', id: 'unit-9', name: '九号' } }),
        audit('A20', 'I07'),
        null,
      );
      await incidents.create(
        incident('I08', { gridId: null, segmentId: 'seg-7' }),
        audit('A21', 'I08'),
        null,
      );
      const scoped = async (scope: Parameters<typeof incidents.list>[0]['scope']) =>
        (await incidents.list({ scope, limit: 50 })).map((i) => i.id);
      const none = { gridIds: [], assignees: [], createdBy: null, segmentIds: [] };
      expect(await scoped(none)).toEqual([]);
      expect(await scoped({ ...none, gridIds: ['grid-2'] })).toEqual(['I05']);
      expect(await scoped({ ...none, segmentIds: ['seg-7'] })).toEqual(['I08']);
      expect(await scoped({ ...none, createdBy: 'u-2' })).toEqual(['I02']);
      expect(await scoped({ ...none, assignees: [{ type: 'unit', id: 'unit-9' }] })).toEqual(['I07']);
      expect(await scoped({ ...none, assignees: [{ type: 'staff', id: 'unit-9' }] })).toEqual([]);
      expect(
        await scoped({ ...none, gridIds: ['grid-2'], assignees: [{ type: 'unit', id: 'unit-9' }] }),
      ).toEqual(['I07', 'I05']);
    });
    it('lists open incidents and the overdue ones, oldest deadline first', async () => {
      const incidents = use().incidents;
      await incidents.create(incident('I09', { deadlineAt: 50_000 }), audit('A30', 'I09'), null);
      await incidents.create(incident('I10', { deadlineAt: 40_000 }), audit('A31', 'I10'), null);
      await incidents.create(
        incident('I11', { deadlineAt: 30_000, status: 'closed' }),
        audit('A32', 'I11'),
        null,
      );
      expect((await incidents.open()).map((i) => i.id)).toEqual([
        'I01',
        'I02',
        'I04',
        'I07',
        'I08',
        'I09',
        'I10',
      ]);
      expect((await incidents.overdue(50_000, 10)).map((i) => i.id)).toEqual(['I10', 'I09']);
      expect((await incidents.overdue(45_000, 10)).map((i) => i.id)).toEqual(['I10']);
      expect((await incidents.overdue(50_000, 1)).map((i) => i.id)).toEqual(['I10']);
    });
    it('updates by compare-and-set with audit and alerts in one transaction; a stale writer loses', async () => {
      const store = use();
      const current = (await store.incidents.byId('I01')) as Incident;
      const next = { ...current, status: 'accepted' as const, updatedAt: 11_000 };
      const entry = audit('A40', 'I01', {
        action: 'transition',
        from: 'reported',
        to: 'accepted',
        t: 11_000,
      });
      expect(
        await store.incidents.update(next, 10_000, [entry], [alert('AL-I01', { incidentId: 'I01' })]),
      ).toBe(true);
      expect(await store.incidents.byId('I01')).toEqual(next);
      expect((await store.incidents.timeline('I01')).map((a) => a.id)).toEqual(['A01', 'A40']);
      expect((await store.alerts.byId('AL-I01'))?.incidentId).toBe('I01');
      const stale = { ...current, status: 'rejected' as const, updatedAt: 11_500 };
      expect(await store.incidents.update(stale, 10_000, [audit('A41', 'I01')])).toBe(false);
      expect((await store.incidents.byId('I01'))?.status).toBe('accepted');
      expect((await store.incidents.timeline('I01')).map((a) => a.id)).toEqual(['A01', 'A40']);
    });
    it('lets exactly one of two concurrent writers with the same expectation win', async () => {
      const incidents = use().incidents;
      const current = (await incidents.byId('I04')) as Incident;
      const results = await Promise.all(
        (['dispatched', 'rejected'] as const).map((status, n) =>
          incidents.update({ ...current, status, updatedAt: 20_000 + n }, current.updatedAt, [
            audit(`A5${n}`, 'I04', { action: 'transition', to: status }),
          ]),
        ),
      );
      expect(results.filter(Boolean).length).toBe(1);
      expect((await incidents.timeline('I04')).length).toBe(2);
    });
    it('records reads and gives KPI facts: closing time, missed deadlines, grid filter', async () => {
      const incidents = use().incidents;
      await incidents.recordRead('I01', 'u-op', 60_000);
      const closed = audit('A60', 'I09', { action: 'transition', to: 'closed', t: 70_000 });
      const late = audit('A61', 'I10', { action: 'overdue', actorId: 'system', t: 41_000 });
      const i09 = (await incidents.byId('I09')) as Incident;
      expect(await incidents.update({ ...i09, status: 'closed', updatedAt: 70_000 }, 10_000, [closed])).toBe(
        true,
      );
      const i10 = (await incidents.byId('I10')) as Incident;
      expect(await incidents.update({ ...i10, updatedAt: 41_000 }, 10_000, [late])).toBe(true);
      const facts = await incidents.facts({ from: 0, to: 20_000, gridIds: ['grid-1'], segmentIds: null });
      const byId = new Map(facts.map((f) => [f.incident.id, f]));
      expect(facts.map((f) => f.incident.id)).toEqual(['I01', 'I02', 'I04', 'I09', 'I10', 'I11']);
      expect(byId.get('I09')).toMatchObject({ closedAt: 70_000, overdue: false });
      expect(byId.get('I10')).toMatchObject({ closedAt: null, overdue: true });
      expect(
        await incidents.facts({ from: 0, to: 20_000, gridIds: null, segmentIds: ['seg-7'] }),
      ).toHaveLength(1);
      expect(await incidents.facts({ from: 10_001, to: 20_000, gridIds: null, segmentIds: null })).toEqual(
        [],
      );
    });
  });

  group('reports', open, (use) => {
    it('stores a report with the incident it raised, in one transaction', async () => {
      const store = use();
      const raised = { incident: incident('I-R1', { reportId: 'R01' }), audit: audit('A-R1', 'I-R1') };
      const first = report('R01', { idempotencyKey: 'k1', requestHash: 'h1', incidentId: 'I-R1' });
      await store.reports.create(first, raised);
      expect(await store.reports.byId('R01')).toEqual(first);
      expect((await store.incidents.byId('I-R1'))?.reportId).toBe('R01');
      expect(await store.incidents.timeline('I-R1')).toEqual([audit('A-R1', 'I-R1')]);
      expect(await store.reports.byIdempotencyKey('u-chief', 'k1')).toEqual(first);
      expect(await store.reports.byIdempotencyKey('u-chief', 'k2')).toBeNull();
    });
    it('refuses a reused key with ConflictError and keeps no part of it (not the raised incident)', async () => {
      const store = use();
      const raised = { incident: incident('I-R2'), audit: audit('A-R2', 'I-R2') };
      const again = store.reports.create(report('R02', { idempotencyKey: 'k1', incidentId: 'I-R2' }), raised);
      await expect(again).rejects.toBeInstanceOf(ConflictError);
      expect(await store.reports.byId('R02')).toBeNull();
      expect(await store.incidents.byId('I-R2')).toBeNull();
    });
    it('lists newest first by segment, time and scope, and knows the last report per segment', async () => {
      const reports = use().reports;
      await reports.create(report('R03', { segmentId: 'seg-2', t: 31_000, userId: 'u-x' }), null);
      await reports.create(report('R04', { segmentId: 'seg-3', t: 32_000, userId: 'u-y' }), null);
      await reports.create(report('R05', { segmentId: 'seg-2', t: 33_000, userId: 'u-y' }), null);
      const ids = async (filter: Partial<Parameters<typeof reports.list>[0]>) =>
        (await reports.list({ limit: 50, ...filter })).map((r) => r.id);
      expect(await ids({})).toEqual(['R05', 'R04', 'R03', 'R01']);
      expect(await ids({ segmentId: 'seg-2' })).toEqual(['R05', 'R03']);
      expect(await ids({ since: 32_000, limit: 1 })).toEqual(['R05']);
      expect(await ids({ scope: { segmentIds: ['seg-3'], userId: 'u-x' } })).toEqual(['R04', 'R03']);
      expect(await ids({ scope: { segmentIds: [], userId: null } })).toEqual([]);
      expect(await reports.lastBySegment()).toEqual(
        new Map([
          ['seg-1', 30_000],
          ['seg-2', 33_000],
          ['seg-3', 32_000],
        ]),
      );
    });
  });

  group('alerts', open, (use) => {
    const who = { id: 'u-op', name: '值班员' };
    const recipients = [
      { type: 'post' as const, id: 'post-1', name: '户哨一', notifiedAt: 20_000 },
      { type: 'unit' as const, id: 'unit-1', name: '一号', notifiedAt: 20_001 },
    ].map((r) => ({
      ...r,
      acknowledgedAt: null,
      acknowledgedBy: null,
      acknowledgedByName: null,
      onBehalf: false,
      note: null,
    }));
    it('creates an alert with its recipients once per source key', async () => {
      const alerts = use().alerts;
      const first = alert('AL01', { data: { deviceId: 'dev-9', segmentId: 'seg-1' } });
      expect(await alerts.create({ ...first, gridId: 'grid-1' }, 'src-1', recipients)).toBe(true);
      expect(await alerts.create(alert('AL02'), 'src-1', recipients)).toBe(false);
      expect(await alerts.byId('AL02')).toBeNull();
      const stored = await alerts.byId('AL01');
      expect(stored).toEqual({
        ...first,
        gridId: 'grid-1',
        level: 0,
        escalatedAt: null,
        recipients,
        awaiting: recipients.map(({ type, id, name }) => ({ type, id, name })),
      });
      expect(await alerts.bySourceKey('src-1')).toEqual(stored);
      expect(await alerts.bySourceKey('src-2')).toBeNull();
    });
    it('acknowledges a recipient once, with a log entry', async () => {
      const alerts = use().alerts;
      const by = { ...who, onBehalf: true };
      expect(await alerts.ackRecipient('AL01', { type: 'post', id: 'post-1' }, by, 21_000, '已到')).toBe(
        true,
      );
      expect(await alerts.ackRecipient('AL01', { type: 'post', id: 'post-1' }, by, 21_500, null)).toBe(false);
      const stored = await alerts.byId('AL01');
      expect(stored?.recipients[0]).toMatchObject({
        acknowledgedAt: 21_000,
        acknowledgedBy: 'u-op',
        onBehalf: true,
        note: '已到',
      });
      expect(stored?.awaiting).toEqual([{ type: 'unit', id: 'unit-1', name: '一号' }]);
      expect((await alerts.log('AL01')).map((l) => [l.action, l.recipient])).toEqual([
        ['recipient_acknowledged', { type: 'post', id: 'post-1' }],
      ]);
    });
    it('escalates by compare-and-set on the level, then acknowledges once', async () => {
      const alerts = use().alerts;
      const entry = escalation('AL01');
      expect(await alerts.escalate('AL01', 0, entry)).toBe(true);
      expect(await alerts.escalate('AL01', 0, { ...entry, id: 'LOG-E2' })).toBe(false);
      expect(await alerts.byId('AL01')).toMatchObject({
        severity: 'critical',
        level: 1,
        escalatedAt: 22_000,
      });
      expect(await alerts.ack('AL01', who, 23_000, '收到')).toBe(true);
      expect(await alerts.ack('AL01', who, 23_500, null)).toBe(false);
      expect(await alerts.byId('AL01')).toMatchObject({
        acknowledgedBy: 'u-op',
        acknowledgedByName: '值班员',
        acknowledgedAt: 23_000,
        ackNote: '收到',
      });
      expect(await alerts.escalate('AL01', 1, { ...entry, id: 'LOG-E3', level: 2 })).toBe(false);
      expect((await alerts.log('AL01')).map((l) => l.action)).toEqual([
        'recipient_acknowledged',
        'escalated',
        'acknowledged',
      ]);
    });
    it('lists critical first, newest first within a severity, with cursor, state and severity filters', async () => {
      const alerts = use().alerts;
      for (const [id, severity] of [
        ['AL03', 'info'],
        ['AL04', 'warning'],
        ['AL05', 'critical'],
        ['AL06', 'warning'],
      ] as const)
        expect(await alerts.create(alert(id, { severity }), null)).toBe(true);
      const page1 = await alerts.list({ limit: 3 });
      expect(page1.items.map((a) => a.id)).toEqual(['AL05', 'AL01', 'AL06']);
      const page2 = await alerts.list({ limit: 3, cursor: page1.nextCursor ?? 'missing' });
      expect(page2.items.map((a) => a.id)).toEqual(['AL04', 'AL03']);
      expect(page2.nextCursor).toBeNull();
      expect((await alerts.list({ limit: 10, acknowledged: true })).items.map((a) => a.id)).toEqual(['AL01']);
      expect((await alerts.list({ limit: 10, acknowledged: false })).items.map((a) => a.id)).toEqual([
        'AL05',
        'AL06',
        'AL04',
        'AL03',
      ]);
      expect(
        (await alerts.list({ limit: 10, severities: ['info', 'critical'] })).items.map((a) => a.id),
      ).toEqual(['AL05', 'AL01', 'AL03']);
    });
    it('lets one of two concurrent acknowledgements win, whatever text the alert holds', async () => {
      const alerts = use().alerts;
      const odd = alert('AL-ODD', {
        message: 'nul \u0000 and emoji 🚨 and "quotes"',
        data: { raw: '\u0000' },
      });
      expect(await alerts.create(odd, null)).toBe(true);
      const results = await Promise.all([
        alerts.ack('AL-ODD', who, 24_000, 'first'),
        alerts.ack('AL-ODD', { id: 'u-2', name: '另一位' }, 24_001, 'second'),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await alerts.log('AL-ODD')).toHaveLength(1);
      const stored = await alerts.byId('AL-ODD');
      expect(stored).toMatchObject({ message: odd.message, data: { raw: '\u0000' } });
      expect(stored?.acknowledgedAt).toBe(results[0] ? 24_000 : 24_001);
      // Out of the later lists: acknowledged, and not in the queue order checks below.
      expect(await alerts.escalate('AL-ODD', 0, { ...escalation('AL-ODD'), id: 'LOG-ODD' })).toBe(false);
    });
    it('lists by scope: grid, segment, unit, recipient or a visible incident', async () => {
      const store = use();
      await store.incidents.create(incident('I-AL', { gridId: 'grid-7' }), audit('A-AL', 'I-AL'), null);
      await store.alerts.create(alert('AL07', { unitId: 'unit-7' }), null);
      await store.alerts.create(alert('AL08', { incidentId: 'I-AL' }), null);
      const none: Omit<AlertScope, 'incidents'> = {
        gridIds: [],
        segmentIds: [],
        unitIds: [],
        recipients: [],
      };
      const noIncidents = { gridIds: [], assignees: [], createdBy: null, segmentIds: [] };
      const ids = async (scope: Partial<typeof none> & { incidentGrids?: string[] }) =>
        (
          await store.alerts.list({
            limit: 20,
            scope: { ...none, ...scope, incidents: { ...noIncidents, gridIds: scope.incidentGrids ?? [] } },
          })
        ).items.map((a) => a.id);
      expect(await ids({})).toEqual([]);
      expect(await ids({ gridIds: ['grid-1'] })).toEqual(['AL01']);
      expect(await ids({ segmentIds: ['seg-1'] })).toEqual(['AL01']);
      expect(await ids({ unitIds: ['unit-7'] })).toEqual(['AL07']);
      expect(await ids({ recipients: [{ type: 'unit', id: 'unit-1' }] })).toEqual(['AL01']);
      expect(await ids({ recipients: [{ type: 'staff', id: 'unit-1' }] })).toEqual([]);
      expect(await ids({ incidentGrids: ['grid-7'] })).toEqual(['AL08']);
    });
    it('finds alerts due for escalation and open alerts of a type by unit or device', async () => {
      const alerts = use().alerts;
      const afterMs = { critical: 1_000, warning: 5_000, info: null };
      const due = async (now: number) =>
        (await alerts.dueForEscalation(now, afterMs, 2, 10)).map((a) => a.id).sort();
      expect(await due(20_999)).toEqual([]);
      expect(await due(21_000)).toEqual(['AL05']);
      expect(await due(25_000)).toEqual(['AL04', 'AL05', 'AL06', 'AL07', 'AL08']);
      expect(await alerts.dueForEscalation(25_000, afterMs, 2, 2)).toHaveLength(2);
      await alerts.create(alert('AL09', { type: 'offline', data: { deviceId: 'dev-x' } }), null);
      await alerts.create(alert('AL10', { type: 'offline', unitId: 'unit-7' }), null);
      const open = async (unitId: string | null, deviceId: string | null) =>
        (await alerts.openOfType('offline', { unitId, deviceId })).map((a) => a.id);
      expect(await open('unit-7', null)).toEqual(['AL10']);
      expect(await open(null, 'dev-x')).toEqual(['AL09']);
      expect(await open(null, 'dev-y')).toEqual([]);
      expect(await open(null, null)).toEqual([]);
    });
  });

  group('photos', open, (use) => {
    it('records a photo once per id and finds it', async () => {
      const photos = use().photos;
      const photo = { id: 'p1', contentType: 'image/jpeg', bytes: 12_345, uploadedBy: 'u1', createdAt: 5 };
      await photos.put(photo);
      await photos.put({ ...photo, uploadedBy: 'u2' });
      expect(await photos.byId('p1')).toEqual(photo);
      expect(await photos.byId('p2')).toBeNull();
    });
  });

  group('checkins', open, (use) => {
    it('stores check-ins, refuses a reused key, lists newest first with a cursor', async () => {
      const checkins = use().checkins;
      await checkins.create(checkin('C01', { idempotencyKey: 'k', requestHash: 'h', t: 40_000 }));
      await checkins.create(checkin('C02', { t: 41_000 }));
      await checkins.create(checkin('C03', { t: 42_000, postId: 'post-2' }));
      await checkins.create(checkin('C04', { t: 43_000 }));
      await expect(checkins.create(checkin('C05', { idempotencyKey: 'k' }))).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await checkins.byIdempotencyKey('u-post', 'k')).toEqual(
        checkin('C01', { idempotencyKey: 'k', requestHash: 'h' }),
      );
      expect(await checkins.byIdempotencyKey('u-post', 'other')).toBeNull();
      const ids = async (filter: Partial<Parameters<typeof checkins.list>[0]>) =>
        (await checkins.list({ postId: 'post-1', limit: 10, ...filter })).map((c) => c.id);
      expect(await ids({})).toEqual(['C04', 'C02', 'C01']);
      expect(await ids({ cursor: 'C04', limit: 1 })).toEqual(['C02']);
      expect(await ids({ since: 41_000 })).toEqual(['C04', 'C02']);
      expect(await checkins.checkedIn(['post-1', 'post-2', 'post-3'], 42_000, 43_000)).toEqual(
        new Set(['post-2']),
      );
      expect(await checkins.checkedIn([], 0, 1e12)).toEqual(new Set());
      expect(await checkins.lastByPost()).toEqual(
        new Map([
          ['post-1', 43_000],
          ['post-2', 42_000],
        ]),
      );
    });
  });

  group('measure', open, (use) => {
    it('appends 10,000 history fixes in batches of 1,000 and answers a bbox query (times logged)', async () => {
      const history = use().history;
      const fixes = Array.from({ length: 10_000 }, (_, n) =>
        fix(`u-${n % 100}`, 1_000_000 + n * 1_000, 100 + (n % 100) / 100, 21 + Math.floor(n / 100) / 100),
      );
      const started = performance.now();
      for (let n = 0; n < fixes.length; n += 1_000) await history.append(fixes.slice(n, n + 1_000));
      const appendMs = performance.now() - started;
      const queried = performance.now();
      const inBox = await history.query({ bbox: [100.1, 21.1, 100.195, 21.195], limit: 10_000 });
      const queryMs = performance.now() - queried;
      console.log(
        `store ${use().kind}: appended 10,000 fixes in ${appendMs.toFixed(0)} ms ` +
          `(${Math.round(10_000 / (appendMs / 1000))}/s); bbox query of ${inBox.length} fixes in ` +
          `${queryMs.toFixed(1)} ms`,
      );
      // 10 × 10 grid cells: lon 100.10…100.19 and lat 21.10…21.19.
      expect(inBox).toHaveLength(100);
      expect(inBox.every((f) => f.lon >= 100.1 && f.lon <= 100.195 && f.lat >= 21.1 && f.lat <= 21.195)).toBe(
        true,
      );
    });
  });
}
