// The tablet's own routes on a real server: my tasks (only what is assigned to me), duty on/off as the live
// picture sees it, and SOS raising one critical alert per idempotency key that the operators' sockets get.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delta, Incident } from '../../server/contract';
import { startTestServer, waitFor, type TestServer } from '../support/server';

let server: TestServer;
let operator: string;
let leader: string;

beforeAll(async () => {
  server = await startTestServer();
  operator = (await server.login('operator')).token;
  leader = (await server.login('leader')).token;
});
afterAll(async () => server.close());

async function createIncident(summary: string): Promise<Incident> {
  const created = await server.request('POST', '/api/incidents', {
    token: operator,
    body: { category: 'public_order', summary, source: 'hotline', lon: 106.705, lat: 21.9805 },
  });
  expect(created.status).toBe(201);
  return created.body as Incident;
}

async function move(id: string, to: string, extra: Record<string, unknown> = {}, token = operator) {
  return server.request('POST', `/api/incidents/${id}/transitions`, { token, body: { to, ...extra } });
}

describe('GET /api/me/tasks', () => {
  it('lists the open incidents dispatched to my unit, and nothing else I can see', async () => {
    const mine = await createIncident('派给路长的任务');
    await createIncident('没有派给路长的事件');
    expect((await move(mine.id, 'accepted')).status).toBe(200);
    const dispatched = await move(mine.id, 'dispatched', { assignee: { type: 'unit', id: 't-civ-1' } });
    expect(dispatched.status).toBe(200);
    // A report the leader files raises an incident they can see (their segment) but that is not theirs to do.
    const report = await server.request('POST', '/api/reports', {
      token: leader,
      body: { segmentId: 't-seg-01', status: 'anomaly', anomalyType: 'damage', lon: 106.705, lat: 21.9795 },
    });
    expect(report.status).toBe(201);

    const tasks = await server.request('GET', '/api/me/tasks', { token: leader });
    expect(tasks.status).toBe(200);
    expect(tasks.body.items.map((i: Incident) => i.id)).toEqual([mine.id]);
    expect(tasks.body.items[0]).toMatchObject({
      status: 'dispatched',
      assignee: { type: 'unit', id: 't-civ-1' },
    });

    // The leader works it: in progress, resolved; a resolved task stays listed until it is verified.
    expect((await move(mine.id, 'in_progress', { note: '已到场' }, leader)).status).toBe(200);
    expect((await move(mine.id, 'resolved', { note: '已处置 [photo:abc]' }, leader)).status).toBe(200);
    const after = await server.request('GET', '/api/me/tasks', { token: leader });
    expect(after.body.items.map((i: Incident) => i.status)).toEqual(['resolved']);
    expect((await move(mine.id, 'verified')).status).toBe(200);
    expect((await server.request('GET', '/api/me/tasks', { token: leader })).body.items).toEqual([]);
  });

  it('needs a signed-in user', async () => {
    const anonymous = await server.request('GET', '/api/me/tasks');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
  });
});

describe('duty', () => {
  it('is on while my unit shares positions, and off at once when I end the patrol', async () => {
    expect((await server.request('GET', '/api/me/duty', { token: leader })).body).toEqual({
      unitId: 't-civ-1',
      onDuty: false,
      lastFixAt: null,
    });
    const { socket: wall } = await server.socket(operator);
    const { socket: tablet } = await server.socket(leader);
    const t = Date.now();
    const ack = await tablet.emitWithAck('position', { lon: 106.7051, lat: 21.9801, accuracyMeters: 6, t });
    expect(ack).toEqual({ ok: true, t });
    await expect
      .poll(async () => (await server.request('GET', '/api/me/duty', { token: leader })).body as unknown)
      .toEqual({ unitId: 't-civ-1', onDuty: true, lastFixAt: t });

    const removed = waitFor<Delta>(wall, 'delta', (d) => d.units.remove.includes('t-civ-1'));
    const off = await server.request('POST', '/api/me/duty', { token: leader, body: { onDuty: false } });
    expect(off.status).toBe(200);
    expect(off.body).toEqual({ unitId: 't-civ-1', onDuty: false, lastFixAt: null });
    await removed;
    const units = await server.request('GET', '/api/units', { token: operator });
    expect(units.body.features.map((f: { id: string }) => f.id)).not.toContain('t-civ-1');
  });

  it('refuses a body without onDuty with 400 naming the field', async () => {
    const bad = await server.request('POST', '/api/me/duty', { token: leader, body: { on: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid', message: expect.stringContaining('onDuty') });
  });
});

describe('POST /api/sos', () => {
  it('raises one critical sos alert per key, streamed to the operators', async () => {
    const { socket: wall } = await server.socket(operator);
    const alerted = waitFor<Delta>(wall, 'delta', (d) => d.alerts.some((a) => a.type === 'sos'));
    const body = {
      lon: 106.706,
      lat: 21.981,
      accuracyMeters: 8,
      note: '队员受伤',
      idempotencyKey: 'sos-tab-1',
    };
    const started = performance.now();
    const first = await server.request('POST', '/api/sos', { token: leader, body });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ ok: true, alertId: expect.any(String), duplicate: false });
    const delta = await alerted;
    console.log(`SOS → alert on the wall in ${(performance.now() - started).toFixed(0)} ms`);
    expect(delta.alerts.find((a) => a.type === 'sos')).toMatchObject({
      id: first.body.alertId,
      severity: 'critical',
      unitId: 't-civ-1',
      lon: 106.706,
      lat: 21.981,
      message: expect.stringContaining('队员受伤'),
    });

    const again = await server.request('POST', '/api/sos', { token: leader, body });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ok: true, alertId: null, duplicate: true });
    const queue = await server.request('GET', '/api/alerts?acknowledged=0', { token: operator });
    expect(queue.body.items.filter((a: { type: string }) => a.type === 'sos')).toHaveLength(1);
  });

  it('falls back to the last fix without a position, and refuses a lone lon', async () => {
    const { socket: tablet } = await server.socket(leader);
    const t = Date.now();
    await tablet.emitWithAck('position', { lon: 106.7071, lat: 21.9811, accuracyMeters: 5, t });
    const sos = await server.request('POST', '/api/sos', { token: leader, body: {} });
    expect(sos.status).toBe(201);
    const queue = await server.request('GET', '/api/alerts?acknowledged=0', { token: operator });
    const alert = queue.body.items.find((a: { id: string }) => a.id === sos.body.alertId);
    expect(alert).toMatchObject({ lon: 106.7071, lat: 21.9811, data: { positionFrom: 'last_fix' } });

    const lone = await server.request('POST', '/api/sos', { token: leader, body: { lon: 106.7 } });
    expect(lone.status).toBe(400);
    expect(lone.body.error.message).toContain('lon');
  });
});
