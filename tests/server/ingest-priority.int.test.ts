// A real device outranks the demo simulator for five minutes: the demo leader sharing GPS from a tablet is
// not dragged back onto the simulated route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionReport } from '../../server/contract';
import { REAL_DEVICE_PRIORITY_MS } from '../../server/ingest/pipeline';
import { startTestServer, type TestServer } from '../support/server';

const clock = { now: Date.now() };
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({}, { now: () => clock.now });
});
afterAll(async () => server.close());

const fix = (source: PositionReport['source'], lat: number): PositionReport => ({
  unitId: 't-civ-1',
  source,
  lon: 106.75,
  lat,
  t: clock.now,
  accuracyMeters: 5,
  headingDeg: null,
  speedMps: null,
});

describe('real devices outrank the simulator', () => {
  it('skips simulated fixes for a unit that reported from a tablet in the last five minutes', async () => {
    expect(await server.app.ingest.submit(fix('simulator', 21.9))).toEqual({ ok: true, applied: true });
    clock.now += 1_000;
    expect(await server.app.ingest.submit(fix('tablet', 21.91))).toEqual({ ok: true, applied: true });
    clock.now += 1_000;
    expect(await server.app.ingest.submit(fix('simulator', 21.92))).toEqual({ ok: true, applied: false });
    expect(server.app.live.unit('t-civ-1')?.lat).toBe(21.91);
    clock.now += REAL_DEVICE_PRIORITY_MS;
    expect(await server.app.ingest.submit(fix('simulator', 21.93))).toEqual({ ok: true, applied: true });
    expect(server.app.live.unit('t-civ-1')?.lat).toBe(21.93);
  });
});
