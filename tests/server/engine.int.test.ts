// The engine derives grid, sector, segment and joint patrol from bare positions: devices never send them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Delta, PositionReport } from '../../server/contract';
import { startTestServer, waitFor, type TestServer } from '../support/server';

let server: TestServer;
let clock = Date.parse('2026-11-28T02:00:00Z');

const fix = (unitId: string, lon: number, lat: number): PositionReport => ({
  unitId,
  source: 'simulator',
  lon,
  lat,
  t: clock,
  accuracyMeters: 5,
  headingDeg: 90,
  speedMps: 1.2,
});

beforeAll(async () => {
  server = await startTestServer({ UNIT_STALE_MS: '3600000' }, { now: () => clock });
});
afterAll(async () => server.close());

describe('engine', () => {
  it('places a fix in its grid and, near the border, on the nearest segment', async () => {
    await server.app.ingest.submit(fix('t-civ-2', 106.735, 21.9805)); // ~170 m north of the line, grid 2
    expect(server.app.live.unit('t-civ-2')).toMatchObject({ gridId: 't-grid-2', segmentId: 't-seg-02' });
    await server.app.ingest.submit(fix('t-pol-2', 106.705, 21.999)); // grid 1, ~2.2 km from the line
    expect(server.app.live.unit('t-pol-2')).toMatchObject({ gridId: 't-grid-1', segmentId: null });
    await server.app.ingest.submit(fix('t-civ-1', 106.9, 21.99)); // outside every grid
    expect(server.app.live.unit('t-civ-1')).toMatchObject({ gridId: null, segmentId: null });
  });

  it('forms a joint patrol of two kinds after 60 s together, and streams it', async () => {
    const operator = await server.login('operator');
    const { socket } = await server.socket(operator.token);
    const formed = waitFor<Delta>(socket, 'delta', (d) => d.events.some((e) => e.type === 'joint.formed'));
    for (let step = 0; step <= 7; step++) {
      await server.app.ingest.submit(fix('t-mil-1', 106.71 + step * 1e-4, 21.9792));
      await server.app.ingest.submit(fix('t-pol-1', 106.71 + step * 1e-4, 21.9794)); // ~22 m apart
      await server.app.flush();
      if (step < 6) expect(server.app.live.unit('t-mil-1')?.jointPatrolId).toBeNull();
      clock += 10_000;
    }
    const patrolId = server.app.live.unit('t-mil-1')?.jointPatrolId;
    expect(patrolId).toEqual(expect.any(String));
    expect(server.app.live.unit('t-pol-1')?.jointPatrolId).toBe(patrolId);
    const delta = await formed;
    const event = delta.events.find((e) => e.type === 'joint.formed');
    expect(event?.data.patrol).toMatchObject({
      id: patrolId,
      kinds: ['military', 'police'],
      memberIds: ['t-mil-1', 't-pol-1'],
    });
    expect(delta.jointPatrols?.upsert.map((p) => p.id)).toContain(patrolId);
  });

  it('places an OsmAnd phone fix (real HTTP on OSMAND_PORT) in its grid and segment, visible in /api/units', async () => {
    const port = server.app.ports().osmand;
    const t = Math.floor(clock / 1000);
    const response = await fetch(
      `http://127.0.0.1:${port}/?id=dev-t-civ-2&lat=21.9806&lon=106.736&timestamp=${t}&speed=2&bearing=45&accuracy=8`,
    );
    expect(response.status).toBe(200);
    const operator = await server.login('operator');
    const units = await server.request('GET', '/api/units', { token: operator.token });
    const unit = units.body.features.find((f: { id: string }) => f.id === 't-civ-2');
    expect(unit.properties).toMatchObject({
      gridId: 't-grid-2',
      segmentId: 't-seg-02',
      headingDeg: 45,
      accuracyMeters: 8,
    });
    expect(unit.properties.speedMps).toBeCloseTo(2 * 0.514444, 4);
  });
});
