// Deadlines with an injected clock: per status and category, overdue → 督办 alert + one level up, once each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeadlinesError, parseDeadlines } from '../../server/domain/deadlines';
import { T0, startClosedLoopServer, type ClosedLoopServer } from './closed-loop-support';

const MIN = 60_000;
let server: ClosedLoopServer;
let operator: string;

async function fire(): Promise<any> {
  const reply = await server.request('POST', '/api/incidents', {
    token: operator,
    body: { category: 'fire', summary: '仓库冒烟', source: 'hotline', lon: 106.75, lat: 21.99 },
  });
  expect(reply.status).toBe(201);
  return reply.body;
}

const read = async (id: string): Promise<any> =>
  (await server.request('GET', `/api/incidents/${id}`, { token: operator })).body;

beforeAll(async () => {
  server = await startClosedLoopServer();
  operator = (await server.login('operator')).token;
});
afterAll(async () => server.close());

describe('deadlines per status and category', () => {
  it('sets the stage deadline on intake and on every move, none when closed', async () => {
    server.clock.now = T0;
    const incident = await fire();
    expect(incident.deadlineAt).toBe(T0 + 5 * MIN);
    const expected: [string, number | null][] = [
      ['accepted', 5 * MIN],
      ['dispatched', 15 * MIN],
      ['in_progress', 240 * MIN],
      ['resolved', 1440 * MIN],
      ['verified', 1440 * MIN],
      ['closed', null],
    ];
    for (const [to, duration] of expected) {
      server.clock.now += MIN;
      const reply = await server.request('POST', `/api/incidents/${incident.id}/transitions`, {
        token: operator,
        body: { to },
      });
      expect([to, reply.body.deadlineAt]).toEqual([
        to,
        duration === null ? null : server.clock.now + duration,
      ]);
    }
  });
});

describe('overdue incidents', () => {
  it('escalate one level per missed deadline with a 督办 alert, by system, up to the city', async () => {
    server.clock.now = T0 + 1_000 * MIN;
    const { id, deadlineAt } = await fire();
    server.loop.drain();
    server.clock.now = deadlineAt - 1;
    expect(await server.loop.incidents.tick(server.clock.now)).toBe(0);
    const levels: string[] = [];
    for (let i = 0; i < 4; i++) {
      const before = await read(id);
      server.clock.now = before.deadlineAt;
      expect(await server.loop.incidents.tick(server.clock.now)).toBe(1);
      expect(await server.loop.incidents.tick(server.clock.now)).toBe(0); // once per deadline
      const after = await read(id);
      levels.push(after.level);
      expect(after.deadlineAt).toBe(server.clock.now + 5 * MIN);
      expect(after.timeline.at(-1)).toMatchObject({
        action: 'escalated',
        actorId: 'system',
        toLevel: after.level,
      });
    }
    expect(levels).toEqual(['community', 'subdistrict', 'district', 'city']);
    // At the city there is no higher level: one more alert, then the stage runs without a deadline.
    server.clock.now = (await read(id)).deadlineAt;
    expect(await server.loop.incidents.tick(server.clock.now)).toBe(1);
    const top = await read(id);
    expect(top).toMatchObject({ level: 'city', deadlineAt: null, status: 'reported' });
    expect(top.timeline.at(-1)).toMatchObject({ action: 'overdue', actorId: 'system' });
    server.clock.now += 1_000 * MIN;
    expect(await server.loop.incidents.tick(server.clock.now)).toBe(0);

    const { alerts, incidents } = server.loop.drain();
    const supervision = alerts.filter((a) => a.incidentId === id);
    expect(supervision).toHaveLength(5);
    expect(supervision.every((a) => a.type === 'incident.overdue' && a.severity === 'warning')).toBe(true);
    expect(supervision[0]?.message).toMatch(/^督办/);
    expect(incidents.filter((i) => i.id === id)).toHaveLength(1);
    const queue = await server.request('GET', '/api/alerts?acknowledged=0&limit=1000', { token: operator });
    expect(queue.body.items.filter((a: any) => a.incidentId === id)).toHaveLength(5);
  });

  it('leaves closed incidents alone, and a move restarts the clock', async () => {
    server.clock.now = T0 + 5_000 * MIN;
    const { id } = await fire();
    await server.request('POST', `/api/incidents/${id}/transitions`, {
      token: operator,
      body: { to: 'rejected' },
    });
    server.clock.now += 10_000 * MIN;
    await server.loop.incidents.tick(server.clock.now);
    expect((await read(id)).level).toBe('grid');

    const other = await fire();
    server.clock.now += 4 * MIN;
    await server.request('POST', `/api/incidents/${other.id}/transitions`, {
      token: operator,
      body: { to: 'accepted' },
    });
    server.clock.now += 4 * MIN; // 8 min after intake, 4 min into "accepted" (5 min): not overdue
    expect(await server.loop.incidents.tick(server.clock.now)).toBe(0);
    expect((await read(other.id)).level).toBe('grid');
  });
});

describe('DEADLINES_JSON', () => {
  it('overrides the defaults per status and category, in ms or with units', () => {
    const deadlines = parseDeadlines(
      '{"default":{"reported":"15m"},"categories":{"fire":{"dispatched":60000}},"reportInterval":"12h"}',
    );
    expect(deadlines.default.reported).toBe(15 * MIN);
    expect(deadlines.default.in_progress).toBe(1440 * MIN);
    expect(deadlines.categories.fire).toMatchObject({ dispatched: MIN, reported: 5 * MIN });
    expect(deadlines.reportIntervalMs).toBe(720 * MIN);
    expect(parseDeadlines(undefined).default.reported).toBe(30 * MIN);
  });

  it.each([
    ['{', /not valid JSON/],
    ['{"default":{"closed":"1h"}}', /default/],
    ['{"categories":{"weather":{"reported":"1h"}}}', /categories/],
    ['{"default":{"reported":"soon"}}', /default\.reported/],
    ['{"default":{"reported":-5}}', /default\.reported/],
  ])('refuses %s', (raw, message) => {
    expect(() => parseDeadlines(raw)).toThrow(DeadlinesError);
    expect(() => parseDeadlines(raw)).toThrow(message);
  });

  it('is what the closed loop runs with', async () => {
    const custom = await startClosedLoopServer({
      deadlines: parseDeadlines('{"default":{"reported":"2m"}}'),
    });
    try {
      const token = (await custom.login('operator')).token;
      const reply = await custom.request('POST', '/api/incidents', {
        token,
        body: { category: 'other', summary: 'x', source: 'walk_in', gridId: 't-grid-3' },
      });
      expect(reply.body.deadlineAt).toBe(custom.clock.now + 2 * MIN);
    } finally {
      await custom.close();
    }
  });
});
