// Alerts over real HTTP and SQLite: raised from engine events with severities, the queue, ack once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../server/contract';
import { nextId } from '../../server/domain/incident-ids';
import { T0, startClosedLoopServer, type ClosedLoopServer } from './closed-loop-support';

let server: ClosedLoopServer;
let operator: string;
let admin: string;
let leader: string;

function event(type: string, data: Record<string, unknown> = {}, unitId: string | null = null): DomainEvent {
  server.clock.now += 1;
  return { id: nextId(server.clock.now), type, t: server.clock.now, unitId, message: `${type} 测试`, data };
}

const ack = (id: string, token: string, note?: string) =>
  server.request('POST', `/api/alerts/${id}/ack`, { token, body: note === undefined ? {} : { note } });

beforeAll(async () => {
  server = await startClosedLoopServer({
    locateUnit: (unitId) => (unitId === 't-civ-1' ? { lon: 106.705, lat: 21.985 } : null),
  });
  operator = (await server.login('operator')).token;
  admin = (await server.login('admin')).token;
  leader = (await server.login('leader')).token;
});
afterAll(async () => server.close());

describe('alerts from engine events', () => {
  it.each([
    ['sos', {}, 'critical'],
    ['border.intrusion', { lon: 106.71, lat: 21.978 }, 'critical'],
    ['border.crossed', {}, 'critical'],
    ['fence.entered', { severity: 'info', lon: 106.7, lat: 21.99 }, 'info'],
    ['fence.exited', { severity: 'critical', lon: 106.7, lat: 21.99 }, 'critical'],
    ['fence.entered', { severity: 'bogus' }, 'warning'],
    ['segment.overdue', { segmentId: 't-seg-02' }, 'warning'],
  ])('%s %j → %s', async (type, data, severity) => {
    server.loop.drain();
    const e = event(type, data, 't-civ-1');
    await server.loop.onDomainEvent(e);
    const { alerts } = server.loop.drain();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ type, severity, message: e.message, t: e.t, acknowledgedBy: null });
    expect(alerts[0]?.data).toMatchObject({ eventId: e.id });
  });

  it('places an alert at the event’s point, else the unit’s last fix, else the segment’s middle', async () => {
    server.loop.drain();
    await server.loop.onDomainEvents([
      event('sos', { lon: 106.72, lat: 21.99 }, 't-civ-1'),
      event('sos', { lon: null, lat: null }, 't-civ-1'),
      event('segment.overdue', { segmentId: 't-seg-02' }),
      event('sos', {}, 'unknown-unit'),
    ]);
    const places = server.loop.drain().alerts.map((a) => [a.lon, a.lat]);
    expect(places).toEqual([
      [106.72, 21.99],
      [106.705, 21.985],
      [106.73, 21.979],
      [null, null],
    ]);
  });

  it('ignores events that raise no alert, and the same event twice', async () => {
    server.loop.drain();
    const sos = event('sos', {}, 't-civ-1');
    await server.loop.onDomainEvents([event('joint.formed'), event('layers.updated'), sos, sos]);
    await server.loop.onDomainEvent(sos);
    expect(server.loop.drain().alerts.map((a) => a.type)).toEqual(['sos']);
  });
});

describe('the queue and acknowledgement', () => {
  it('lists unacknowledged alerts critical first, then newest, page by page', async () => {
    const fresh = await startClosedLoopServer();
    try {
      const token = (await fresh.login('operator')).token;
      const raise = (type: string, data: Record<string, unknown> = {}) => {
        fresh.clock.now += 1_000;
        return fresh.loop.alerts.create({
          type,
          severity: data.severity as any,
          message: type,
          lon: null,
          lat: null,
          unitId: null,
          data,
        });
      };
      const warning1 = await raise('w1', { severity: 'warning' });
      const critical1 = await raise('c1', { severity: 'critical' });
      const info1 = await raise('i1', { severity: 'info' });
      const warning2 = await raise('w2', { severity: 'warning' });
      const critical2 = await raise('c2', { severity: 'critical' });
      const order = [critical2, critical1, warning2, warning1, info1].map((a) => a?.id);
      const seen: string[] = [];
      let cursor = '';
      do {
        const reply = await fresh.request('GET', `/api/alerts?acknowledged=0&limit=2&cursor=${cursor}`, {
          token,
        });
        expect(reply.status).toBe(200);
        seen.push(...reply.body.items.map((a: { id: string }) => a.id));
        cursor = reply.body.nextCursor ?? '';
      } while (cursor);
      expect(seen).toEqual(order);
      expect(fresh.loop.openAlerts().map((a) => a.id)).toEqual(order);
      await fresh.request('POST', `/api/alerts/${critical1?.id}/ack`, { token, body: {} });
      const queue = await fresh.request('GET', '/api/alerts?acknowledged=0', { token });
      expect(queue.body.items.map((a: { id: string }) => a.id)).toEqual(
        order.filter((id) => id !== critical1?.id),
      );
      const done = await fresh.request('GET', '/api/alerts?acknowledged=1', { token });
      expect(done.body.items.map((a: { id: string }) => a.id)).toEqual([critical1?.id]);
      const critical = await fresh.request('GET', '/api/alerts?severity=critical', { token });
      expect(critical.body.items).toHaveLength(2);
      for (const bad of ['acknowledged=maybe', 'severity=loud', 'cursor=zz', 'limit=5000']) {
        expect((await fresh.request('GET', `/api/alerts?${bad}`, { token })).status).toBe(400);
      }
    } finally {
      await fresh.close();
    }
  });

  it('acknowledges once; a second ack is 409 naming who acknowledged', async () => {
    await server.loop.onDomainEvent(event('sos', {}, 't-civ-2'));
    const [alert] = server.loop.drain().alerts;
    server.clock.now = T0 + 3_600_000;
    const first = await ack(alert?.id ?? '', operator, '已派警');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      id: alert?.id,
      acknowledgedByName: 'operator',
      acknowledgedAt: T0 + 3_600_000,
      ackNote: '已派警',
      acknowledgedBy: expect.any(String),
    });
    const second = await ack(alert?.id ?? '', admin);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('operator'),
    });
    expect(server.loop.openAlerts().some((a) => a.id === alert?.id)).toBe(false);
    expect(server.loop.drain().alerts).toEqual([
      expect.objectContaining({ id: alert?.id, acknowledgedByName: 'operator' }),
    ]);
    expect((await ack('01JZZZZZZZZZZZZZZZZZZZZZZZ', operator)).status).toBe(404);
  });

  it('lets a leader acknowledge what concerns their unit or segment, and nothing else', async () => {
    await server.loop.onDomainEvents([
      event('sos', {}, 't-civ-1'),
      event('segment.overdue', { segmentId: 't-seg-01' }),
      event('sos', {}, 't-civ-2'),
    ]);
    const [own, segment, other] = server.loop.drain().alerts;
    expect((await ack(own?.id ?? '', leader)).status).toBe(200);
    expect((await ack(segment?.id ?? '', leader)).status).toBe(200);
    expect((await ack(other?.id ?? '', leader)).status).toBe(403);
    // The leader's queue is scoped (closed-loop-scope.int.test.ts): their unit's and segment's, not t-civ-2's.
    const listed = await server.request('GET', '/api/alerts?limit=1000', { token: leader });
    expect(listed.status).toBe(200);
    const ids = listed.body.items.map((a: { id: string }) => a.id);
    expect(ids).toEqual(expect.arrayContaining([own?.id, segment?.id]));
    expect(ids).not.toContain(other?.id);
  });
});
