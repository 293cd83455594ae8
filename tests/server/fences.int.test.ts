// Geofences end to end: CRUD with roles and validation, and engine events with dwell committed by the tick.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent, PositionReport } from '../../server/contract';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let operator: string;
let clock = Date.parse('2026-11-28T05:00:00Z');

const fix = (lon: number, lat: number, accuracyMeters = 5): PositionReport => ({
  unitId: 't-mil-1',
  source: 'simulator',
  lon,
  lat,
  t: clock,
  accuracyMeters,
  headingDeg: null,
  speedMps: null,
});

async function eventsSince(t: number): Promise<DomainEvent[]> {
  return server.store.events.query({ since: t - 1, types: ['fence.entered', 'fence.exited'], limit: 100 });
}

beforeAll(async () => {
  server = await startTestServer({ UNIT_STALE_MS: '3600000' }, { now: () => clock });
  operator = (await server.login('operator')).token;
});
afterAll(async () => server.close());

describe('fences', () => {
  it('validates input and lets only admins and operators write', async () => {
    const staff = (await server.login('staff')).token;
    const body = {
      name: '友谊关缓冲区',
      shape: { type: 'circle', center: [106.71, 21.99], radiusMeters: 200 },
    };
    expect((await server.request('POST', '/api/fences', { token: staff, body })).status).toBe(403);
    const bad = await server.request('POST', '/api/fences', {
      token: operator,
      body: { ...body, shape: { type: 'circle', center: [106.71, 91], radiusMeters: 200 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^shape\.center\.1/);
    const unknown = await server.request('POST', '/api/fences', {
      token: operator,
      body: { ...body, shape: { type: 'hexagon' } },
    });
    expect(unknown.status).toBe(400);
  });

  it('enters after the dwell (committed by the tick while the unit is silent), exits only past the buffer', async () => {
    const body = {
      name: '重点区域',
      shape: { type: 'circle', center: [106.71, 21.99], radiusMeters: 200 },
      dwellEnterMs: 30_000,
      exitBufferMeters: 30,
      kinds: ['military'],
    };
    const created = await server.request('POST', '/api/fences', { token: operator, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...body,
      severity: 'warning',
      detect: ['enter', 'exit'],
      id: expect.any(String),
    });
    const start = clock;
    await server.app.ingest.submit(fix(106.71, 21.99)); // centre: ENTERING
    await server.app.flush();
    clock += 10_000;
    await server.app.flush();
    expect(await eventsSince(start)).toEqual([]);
    clock += 25_000; // silent for 35 s: the tick commits the dwell
    await server.app.flush();
    const entered = await eventsSince(start);
    expect(entered.map((e) => e.type)).toEqual(['fence.entered']);
    expect(entered[0]).toMatchObject({
      unitId: 't-mil-1',
      t: start + 30_000,
      message: expect.stringContaining('重点区域'),
    });

    // Jitter 10 m outside the edge (inside the 30 m exit buffer): no exit.
    const edgeLon = 106.71 + 210 / (111_320 * Math.cos((21.99 * Math.PI) / 180));
    for (let i = 0; i < 4; i++) {
      clock += 5_000;
      await server.app.ingest.submit(fix(i % 2 === 0 ? edgeLon : 106.71, 21.99));
      await server.app.flush();
    }
    expect((await eventsSince(start)).map((e) => e.type)).toEqual(['fence.entered']);
    clock += 5_000;
    await server.app.ingest.submit(fix(106.72, 21.99)); // ~1 km away
    await server.app.flush();
    expect((await eventsSince(start)).map((e) => e.type)).toEqual(['fence.entered', 'fence.exited']);
  });

  it('updates and deletes', async () => {
    const list = await server.request('GET', '/api/fences', { token: operator });
    const id = list.body.items[0].id as string;
    const patched = await server.request('PATCH', `/api/fences/${id}`, {
      token: operator,
      body: { name: '新名称' },
    });
    expect(patched.body).toMatchObject({ id, name: '新名称' });
    expect((await server.request('DELETE', `/api/fences/${id}`, { token: operator })).status).toBe(204);
    expect((await server.request('GET', `/api/fences/${id}`, { token: operator })).status).toBe(404);
  });
});
