// Alert escalation and SOS cancels on the real server with an injected clock: unacknowledged alerts go up a
// level (and a severity step) by themselves after their severity's time, by hand on request, recorded in
// their log and pushed in deltas; a CoT 911 cancel closes the sender's open SOS alert.
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AlertFull, AlertRecord, Delta } from '../../server/contract';
import { startTestServer, waitFor, type TestServer, type TestSocket } from '../support/server';

const MIN = 60_000;
const fixture = (name: string): string =>
  fs.readFileSync(new URL(`../fixtures/protocols/${name}`, import.meta.url), 'utf8');
const DEVICE = 'ANDROID-589520ccfcd20f01';

let server: TestServer;
let clock = Date.parse('2026-11-28T02:00:00Z');
let wall: TestSocket;
const tokens: Record<string, string> = {};

async function sos(deviceId: string): Promise<AlertRecord> {
  const raised = waitFor<Delta>(wall, 'delta', (d) =>
    d.alerts.some((a) => a.type === 'sos' && (a as AlertRecord).data.deviceId === deviceId),
  );
  const port = server.app.ports().osmand;
  const query = `id=${deviceId}&lat=21.99&lon=106.71&timestamp=${Math.floor(clock / 1000)}&alarm=sos`;
  expect((await fetch(`http://127.0.0.1:${port}/?${query}`)).status).toBe(200);
  const delta = await raised;
  return delta.alerts.find((a) => a.type === 'sos') as AlertRecord;
}

/** Moves the clock and waits for the delta in which the alert reaches `level`. */
async function advanceUntilLevel(alertId: string, ms: number, level: number): Promise<AlertRecord> {
  const seen = waitFor<Delta>(wall, 'delta', (d) =>
    d.alerts.some((a) => a.id === alertId && (a as AlertRecord).level === level),
  );
  const started = performance.now();
  clock += ms;
  const delta = await seen;
  console.log(
    `escalation to level ${level} pushed ${(performance.now() - started).toFixed(0)} ms after the clock moved`,
  );
  return delta.alerts.find((a) => a.id === alertId) as AlertRecord;
}

/** Access tokens live 15 min on the server's (injected) clock: sign in again after the clock jumped. */
async function signIn(): Promise<void> {
  for (const name of ['admin', 'operator', 'leader', 'staff'])
    tokens[name] = (await server.login(name)).token;
}

const detail = async (id: string): Promise<AlertFull> => {
  const reply = await server.request('GET', `/api/alerts/${id}`, { token: tokens.operator });
  expect(reply.status).toBe(200);
  return reply.body as AlertFull;
};

/** A few flushes of the server's loop (FLUSH_MS = 50) on the real clock. */
const flushes = () => new Promise((resolve) => setTimeout(resolve, 400));

beforeAll(async () => {
  server = await startTestServer(
    { DEADLINES_JSON: '{"alertEscalation":{"critical":"2m","warning":"5m","maxLevel":2}}' },
    { now: () => clock },
  );
  await signIn();
  wall = (await server.socket(tokens.operator ?? '')).socket;
});
beforeEach(signIn);
afterAll(async () => server.close());

describe('escalation by itself', () => {
  it('raises an unacknowledged SOS one level per 2 min, up to the top level, in the log and the deltas', async () => {
    const alert = await sos('dev-t-pol-1');
    expect(alert).toMatchObject({ severity: 'critical', level: 0, escalatedAt: null });
    const raisedAt = clock;
    clock += MIN;
    await flushes();
    expect((await detail(alert.id)).level).toBe(0);

    const first = await advanceUntilLevel(alert.id, MIN, 1);
    expect(first).toMatchObject({ severity: 'critical', level: 1, escalatedAt: raisedAt + 2 * MIN });
    const second = await advanceUntilLevel(alert.id, 2 * MIN, 2);
    expect(second.escalatedAt).toBe(raisedAt + 4 * MIN);
    clock += 10 * MIN;
    await flushes();
    await signIn();
    const top = await detail(alert.id);
    expect(top.level).toBe(2);
    expect(top.log.map((e) => [e.action, e.actorId, e.fromSeverity, e.toSeverity, e.level])).toEqual([
      ['escalated', 'system', 'critical', 'critical', 1],
      ['escalated', 'system', 'critical', 'critical', 2],
    ]);
    expect(top.log[0]?.note).toContain('2 分钟无人确认');
  });

  it('turns an unacknowledged warning critical after 5 min, and leaves an acknowledged one alone', async () => {
    const created = await server.request('POST', '/api/incidents', {
      token: tokens.operator,
      body: { category: 'other', summary: '井盖缺失', source: 'hotline', gridId: 't-grid-1' },
    });
    expect(created.status).toBe(201);
    const overdue = waitFor<Delta>(wall, 'delta', (d) => d.alerts.some((a) => a.type === 'incident.overdue'));
    clock += 31 * MIN; // the 30 min to accept ran out: a 督办 warning
    const warning = (await overdue).alerts.find((a) => a.type === 'incident.overdue') as AlertRecord;
    expect(warning).toMatchObject({ severity: 'warning', level: 0 });
    const critical = await advanceUntilLevel(warning.id, 5 * MIN, 1);
    expect(critical.severity).toBe('critical');
    await signIn();
    // The queue orders it among the criticals now.
    const queue = await server.request('GET', '/api/alerts?acknowledged=0&severity=critical', {
      token: tokens.operator,
    });
    expect(queue.body.items.map((a: AlertRecord) => a.id)).toContain(warning.id);

    expect(
      (await server.request('POST', `/api/alerts/${warning.id}/ack`, { token: tokens.operator, body: {} }))
        .status,
    ).toBe(200);
    clock += 30 * MIN;
    await flushes();
    await signIn();
    expect((await detail(warning.id)).level).toBe(1);
  });
});

describe('escalation by hand', () => {
  it('lets those the alert concerns escalate it, up to the top level, never once acknowledged', async () => {
    const alert = await sos('dev-t-civ-1'); // the leader's own unit
    const escalate = (token: string | undefined, note?: string) =>
      server.request('POST', `/api/alerts/${alert.id}/escalate`, { token, body: note ? { note } : {} });
    // The staff of t-grid-1 sees it (it lies in their grid) but it does not concern them.
    expect((await escalate(tokens.staff)).status).toBe(403);
    const byLeader = await escalate(tokens.leader, '需要增援');
    expect(byLeader.status).toBe(200);
    expect(byLeader.body).toMatchObject({ level: 1, escalatedAt: clock });
    expect((await escalate(tokens.operator)).body.level).toBe(2);
    const top = await escalate(tokens.operator);
    expect(top.status).toBe(409);
    expect(top.body.error.message).toContain('top level');
    const log = (await detail(alert.id)).log;
    expect(log.map((e) => [e.actorName, e.level, e.note])).toEqual([
      ['leader', 1, '需要增援'],
      ['operator', 2, ''],
    ]);

    const other = await sos('dev-t-pol-2');
    await server.request('POST', `/api/alerts/${other.id}/ack`, { token: tokens.operator, body: {} });
    const acked = await server.request('POST', `/api/alerts/${other.id}/escalate`, {
      token: tokens.operator,
      body: {},
    });
    expect(acked.status).toBe(409);
    expect(
      (
        await server.request('POST', '/api/alerts/01JZZZZZZZZZZZZZZZZZZZZZZZ/escalate', {
          token: tokens.operator,
          body: {},
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await server.request('POST', `/api/alerts/${other.id}/escalate`, {
          token: tokens.operator,
          body: { note: 5 },
        })
      ).status,
    ).toBe(400);
  });
});

describe('SOS cancelled by its sender (CoT b-a-o-can)', () => {
  function cot(xml: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port: server.app.ports().cot }, () => {
        socket.end(xml, () => resolve());
      });
      socket.once('error', reject);
    });
  }

  it.each([
    ['a registered unit', DEVICE, 'atak-1'],
    ['an unregistered ATAK (matched by device uid)', 'ANDROID-unregistered-0001', null],
  ])('closes the open SOS alert of %s, acknowledged by system, and no other', async (_name, uid, unitId) => {
    if (unitId) {
      const body = { id: unitId, kind: 'military', callsign: 'RANGER-1', deviceId: uid };
      expect((await server.request('POST', '/api/units', { token: tokens.admin, body })).status).toBe(201);
    }
    const other = await sos('dev-t-mil-1');
    const raised = waitFor<Delta>(wall, 'delta', (d) =>
      d.alerts.some(
        (a) => a.type === 'sos' && a.unitId === unitId && (a as AlertRecord).data.source === 'cot',
      ),
    );
    await cot(fixture('cot-atak-911.xml').replaceAll(DEVICE, uid));
    const open = (await raised).alerts.find((a) => a.type === 'sos' && a.unitId === unitId) as AlertRecord;
    expect(open).toMatchObject({ severity: 'critical', acknowledgedAt: null, data: { deviceId: uid } });

    const started = performance.now();
    const closed = waitFor<Delta>(wall, 'delta', (d) =>
      d.alerts.some((a) => a.id === open.id && a.acknowledgedAt !== null),
    );
    clock += 20_000;
    await cot(fixture('cot-atak-911-cancel.xml').replaceAll(DEVICE, uid));
    const cancelled = (await closed).alerts.find((a) => a.id === open.id) as AlertRecord;
    console.log(`SOS cancel → alert closed on the wall in ${(performance.now() - started).toFixed(0)} ms`);
    expect(cancelled).toMatchObject({
      acknowledgedBy: 'system',
      acknowledgedByName: 'system',
      acknowledgedAt: clock,
      ackNote: expect.stringContaining('SOS 已由发送方取消'),
    });
    expect((await detail(open.id)).log.map((e) => [e.action, e.actorId])).toEqual([['cancelled', 'system']]);
    expect((await detail(other.id)).acknowledgedAt).toBeNull();
    const queue = await server.request('GET', '/api/alerts?acknowledged=0&limit=1000', {
      token: tokens.operator,
    });
    const ids = queue.body.items.map((a: AlertRecord) => a.id);
    expect(ids).not.toContain(open.id);
    expect(ids).toContain(other.id);
  });
});
