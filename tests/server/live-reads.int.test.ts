// REST reads of the live picture: segment coverage status, joint patrols and the persisted event log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionReport } from '../../server/contract';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let token: string;
let clock = Date.parse('2026-11-28T04:00:00Z');
const start = clock;

const fix = (unitId: string, lon: number, lat: number): PositionReport => ({
  unitId,
  source: 'simulator',
  lon,
  lat,
  t: clock,
  accuracyMeters: 5,
  headingDeg: 90,
  speedMps: 1.5,
});

beforeAll(async () => {
  server = await startTestServer({ UNIT_STALE_MS: '3600000' }, { now: () => clock });
  token = (await server.login('operator')).token;
  // A military and a police unit walk together along the start of segment 1 for 80 s.
  for (let step = 0; step <= 8; step++) {
    await server.app.ingest.submit(fix('t-mil-1', 106.7 + step * 0.0001, 21.9791));
    await server.app.ingest.submit(fix('t-pol-1', 106.7 + step * 0.0001, 21.9792));
    await server.app.flush();
    clock += 10_000;
  }
});
afterAll(async () => server.close());

describe('live reads', () => {
  it('reports per-segment coverage with the time last patrolled', async () => {
    const response = await server.request('GET', '/api/segments/status', { token });
    expect(response.status).toBe(200);
    const [first, second] = response.body.items;
    expect(first).toMatchObject({
      segmentId: 't-seg-01',
      name: '第1段',
      overdue: false,
      lastPatrolledAt: start + 80_000,
    });
    // 8 steps × 0.0001° (walking pace, ~1 m/s) = 0.0008° of a 0.02° segment = 4 %.
    expect(first.coveredFraction).toBeGreaterThan(0.035);
    expect(first.coveredFraction).toBeLessThan(0.045);
    expect(second).toMatchObject({
      segmentId: 't-seg-02',
      coveredFraction: 0,
      lastPatrolledAt: null,
      overdue: true,
    });
  });

  it('lists the active joint patrol', async () => {
    const response = await server.request('GET', '/api/joint-patrols', { token });
    expect(response.body.items).toHaveLength(1);
    expect(response.body.items[0]).toMatchObject({
      kinds: ['military', 'police'],
      memberIds: ['t-mil-1', 't-pol-1'],
    });
  });

  it('keeps events in the store, filterable by type and time', async () => {
    const response = await server.request('GET', `/api/events?since=${start}&type=joint.formed`, { token });
    expect(response.status).toBe(200);
    expect(response.body.items).toHaveLength(1);
    expect(response.body.items[0]).toMatchObject({
      type: 'joint.formed',
      data: { patrol: { kinds: ['military', 'police'] } },
    });
    const later = await server.request(
      'GET',
      `/api/events?since=${response.body.items[0].t}&type=joint.formed`,
      { token },
    );
    expect(later.body.items).toEqual([]);
    expect((await server.request('GET', '/api/events?since=soon', { token })).status).toBe(400);
  });
});
