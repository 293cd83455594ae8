// Road-chief reports over real HTTP and SQLite: anomalies raise routed incidents, idempotency, scope, alerts.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../server/contract';
import { T0, startClosedLoopServer, type ClosedLoopServer } from './closed-loop-support';

let server: ClosedLoopServer;
let leader: { token: string; user: User };
let operator: string;
let staff: string;

const report = (body: Record<string, unknown>, token = leader.token, headers: Record<string, string> = {}) =>
  server.request('POST', '/api/reports', {
    token,
    headers,
    body: { segmentId: 't-seg-01', status: 'normal', lon: 106.71, lat: 21.979, ...body },
  });

function count(sql: string, ...params: unknown[]): number {
  const db = new Database(path.join(server.dataDir, 'lianfang.db'), { readonly: true });
  try {
    return Number((db.prepare(sql).get(...params) as { n: number }).n);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  // Inside the border zone here means south of 21.985 (the test border runs along 21.979).
  server = await startClosedLoopServer({ inBorderZone: (_lon, lat) => lat < 21.985 });
  const session = await server.login('leader');
  leader = { token: session.token, user: session.user };
  operator = (await server.login('operator')).token;
  staff = (await server.login('staff')).token;
});
afterAll(async () => server.close());

describe('filing reports', () => {
  it('stores a normal report and answers {ok, id, incidentId: null}', async () => {
    const reply = await report({ note: '巡查正常' });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ ok: true, id: expect.stringMatching(/^[0-9A-Z]{26}$/), incidentId: null });
    const list = await server.request('GET', '/api/reports?segmentId=t-seg-01', { token: leader.token });
    expect(list.body.items[0]).toMatchObject({
      id: reply.body.id,
      status: 'normal',
      note: '巡查正常',
      unitId: 't-civ-1',
    });
  });

  it.each([
    ['smuggling', 'smuggling'],
    ['illegal_crossing', 'illegal_crossing'],
    ['suspicious', 'public_order'],
    ['damage', 'safety'],
    ['other', 'other'],
  ])(
    'raises an incident for an anomaly %s → category %s, routed to the grid’s police officer',
    async (type, category) => {
      const reply = await report({
        status: 'anomaly',
        anomalyType: type,
        lon: 106.75,
        lat: 21.99,
        note: '发现异常',
      });
      expect(reply.status).toBe(201);
      const incident = (
        await server.request('GET', `/api/incidents/${reply.body.incidentId}`, { token: operator })
      ).body;
      expect(incident).toMatchObject({
        category,
        source: 'report',
        reportId: reply.body.id,
        segmentId: 't-seg-01',
        gridId: 't-grid-3',
        sectorId: 't-sector-2',
        level: 'grid',
        assignee: { type: 'staff', id: 't3-police' },
        description: '发现异常',
        createdBy: leader.user.id,
      });
      const mine = await server.request('GET', `/api/incidents/${incident.id}`, { token: leader.token });
      expect(mine.status).toBe(200);
    },
  );

  it('falls back to the segment’s place when the point lies outside every grid: sector known, city level', async () => {
    const reply = await report({ status: 'anomaly', anomalyType: 'damage', lon: 106.71, lat: 21.975 });
    const incident = (
      await server.request('GET', `/api/incidents/${reply.body.incidentId}`, { token: operator })
    ).body;
    expect(incident).toMatchObject({ gridId: null, sectorId: 't-sector-1', level: 'city', assignee: null });
  });

  it('lets a leader report only on their own segments; operators on any; staff on none', async () => {
    const theirs = await report({ segmentId: 't-seg-02' });
    expect(theirs.status).toBe(403);
    expect(theirs.body.error.code).toBe('forbidden');
    expect((await report({ segmentId: 't-seg-02' }, operator)).status).toBe(201);
    expect((await report({}, staff)).status).toBe(403);
    expect((await report({ segmentId: 'no-such-segment' }, operator)).status).toBe(400);
  });

  it.each([
    [{ status: 'anomaly' }, /anomalyType/],
    [{ status: 'normal', anomalyType: 'smuggling' }, /anomalyType/],
    [{ status: 'late' }, /status/],
    [{ lat: 95 }, /lat/],
    [{ photoId: 'a'.repeat(64) }, /photoId/],
    [{ photoId: '../../etc/passwd' }, /photoId/],
  ])('400 for %j', async (body, message) => {
    const reply = await report(body);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toEqual({ code: 'invalid', message: expect.stringMatching(message) });
  });
});

describe('idempotency', () => {
  it('answers a retried key (body or header) with the first answer, stored once', async () => {
    const body = { status: 'anomaly', anomalyType: 'smuggling', idempotencyKey: 'tablet-7:r-0001' };
    const first = await report(body);
    const again = await report(body);
    const byHeader = await report({ ...body, idempotencyKey: undefined }, leader.token, {
      'idempotency-key': 'tablet-7:r-0001',
    });
    expect(first.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(byHeader.body).toEqual(first.body);
    expect(count("SELECT count(*) AS n FROM reports WHERE idempotency_key = 'tablet-7:r-0001'")).toBe(1);
    expect(count('SELECT count(*) AS n FROM incidents WHERE id = ?', first.body.incidentId)).toBe(1);
  });

  it('stores concurrent retries once, and every one gets the same answer', async () => {
    const body = { status: 'anomaly', anomalyType: 'illegal_crossing', idempotencyKey: 'tablet-7:r-0002' };
    const replies = await Promise.all(Array.from({ length: 12 }, () => report(body)));
    expect(new Set(replies.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(count("SELECT count(*) AS n FROM reports WHERE idempotency_key = 'tablet-7:r-0002'")).toBe(1);
    const reportId = replies[0]?.body.id;
    expect(
      count("SELECT count(*) AS n FROM incidents WHERE json_extract(body, '$.reportId') = ?", reportId),
    ).toBe(1);
  });

  it('survives the race itself: retries that all pass the first lookup before any stores', async () => {
    // Called together, every submit reaches its idempotency lookup before the first insert: all but
    // one insert hit the unique index and must answer with the stored report instead.
    const input = {
      segmentId: 't-seg-01',
      status: 'anomaly' as const,
      anomalyType: 'smuggling' as const,
      lon: 106.75,
      lat: 21.99,
      idempotencyKey: 'tablet-7:r-race',
    };
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => server.loop.reports.submit(leader.user, input)),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(count("SELECT count(*) AS n FROM reports WHERE idempotency_key = 'tablet-7:r-race'")).toBe(1);
    expect(
      count("SELECT count(*) AS n FROM incidents WHERE json_extract(body, '$.reportId') = ?", answers[0]?.id),
    ).toBe(1);
  });

  it('refuses a reused key with another body (409) and differing body and header keys (400)', async () => {
    await report({ idempotencyKey: 'tablet-7:r-0003' });
    const reused = await report({ idempotencyKey: 'tablet-7:r-0003', note: '不同内容' });
    expect(reused.status).toBe(409);
    const split = await report({ idempotencyKey: 'a-key' }, leader.token, { 'idempotency-key': 'b-key' });
    expect(split.status).toBe(400);
  });

  it('keeps keys per user', async () => {
    const mine = await report({ idempotencyKey: 'shared-key' });
    const theirs = await report({ idempotencyKey: 'shared-key' }, operator);
    expect(mine.body.id).not.toBe(theirs.body.id);
  });
});

describe('alerts from reports', () => {
  it('raises a critical border.intrusion for an intrusion-type anomaly in the border zone only', async () => {
    server.loop.drain();
    const inZone = await report({
      status: 'anomaly',
      anomalyType: 'illegal_crossing',
      lon: 106.71,
      lat: 21.981,
    });
    await report({ status: 'anomaly', anomalyType: 'damage', lon: 106.71, lat: 21.981 });
    await report({ status: 'anomaly', anomalyType: 'smuggling', lon: 106.71, lat: 21.995 });
    const { alerts, incidents } = server.loop.drain();
    expect(incidents).toHaveLength(3);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      type: 'border.intrusion',
      severity: 'critical',
      incidentId: inZone.body.incidentId,
      unitId: 't-civ-1',
      data: { reportId: inZone.body.id, segmentId: 't-seg-01' },
    });
  });

  it('flags a segment whose road chief has not reported within the interval, once per missed period', async () => {
    const fresh = await startClosedLoopServer();
    try {
      const day = 24 * 3_600_000;
      const chief = await fresh.login('leader');
      expect(await fresh.loop.reports.checkMissed(T0 + day, T0)).toBe(0);
      expect(await fresh.loop.reports.checkMissed(T0 + day + 1, T0)).toBe(2);
      expect(await fresh.loop.reports.checkMissed(T0 + day + 2, T0)).toBe(0);
      fresh.clock.now = T0 + day + 3;
      await fresh.request('POST', '/api/reports', {
        token: chief.token,
        body: { segmentId: 't-seg-01', status: 'normal', lon: 106.71, lat: 21.979 },
      });
      expect(await fresh.loop.reports.checkMissed(T0 + 2 * day + 3, T0)).toBe(0);
      expect(await fresh.loop.reports.checkMissed(T0 + 2 * day + 4, T0)).toBe(1);
      const { alerts } = fresh.loop.drain();
      expect(alerts.map((a) => [a.type, a.severity, a.data.segmentId, a.unitId])).toEqual([
        ['report.missed', 'warning', 't-seg-01', 't-civ-1'],
        ['report.missed', 'warning', 't-seg-02', 't-civ-2'],
        ['report.missed', 'warning', 't-seg-01', 't-civ-1'],
      ]);
    } finally {
      await fresh.close();
    }
  });
});

describe('the socket report command', () => {
  it('acknowledges {ok:true, id, incidentId} or {ok:false, error}', async () => {
    const ok = await server.loop.submitReport(leader.user, {
      segmentId: 't-seg-01',
      status: 'anomaly',
      anomalyType: 'suspicious',
      lon: 106.75,
      lat: 21.99,
      note: null,
      photoId: null,
      idempotencyKey: 'socket-1',
    });
    expect(ok).toEqual({ ok: true, id: expect.any(String), incidentId: expect.any(String) });
    const retried = await server.loop.submitReport(leader.user, {
      segmentId: 't-seg-01',
      status: 'anomaly',
      anomalyType: 'suspicious',
      lon: 106.75,
      lat: 21.99,
      idempotencyKey: 'socket-1',
    });
    expect(retried).toEqual(ok);
    const invalid = await server.loop.submitReport(leader.user, { segmentId: 't-seg-01' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const refused = await server.loop.submitReport(leader.user, {
      segmentId: 't-seg-02',
      status: 'normal',
      lon: 106.73,
      lat: 21.979,
    });
    expect(refused).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
  });
});
