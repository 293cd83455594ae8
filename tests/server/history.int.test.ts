// History for replay: a unit's track and the time/bbox window over all units; bad parameters are 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let token: string;
const T0 = Date.parse('2026-11-28T08:00:00Z');

beforeAll(async () => {
  server = await startTestServer();
  token = (await server.login('operator')).token;
  const fixes = [
    { unitId: 't-mil-1', t: T0, lon: 106.7 },
    { unitId: 't-mil-1', t: T0 + 10_000, lon: 106.71 },
    { unitId: 't-mil-1', t: T0 + 20_000, lon: 106.72 },
    { unitId: 't-pol-1', t: T0 + 10_000, lon: 106.8 },
  ];
  for (const f of fixes) {
    const result = await server.app.ingest.submit({
      ...f,
      source: 'simulator',
      lat: 21.99,
      accuracyMeters: 5,
      headingDeg: 90,
      speedMps: 1,
    });
    expect(result.ok).toBe(true);
  }
});
afterAll(async () => server.close());

describe('history', () => {
  it('returns a unit track as a LineString with its fix times', async () => {
    const response = await server.request(
      'GET',
      `/api/units/t-mil-1/track?from=${T0}&to=2026-11-28T08:00:15Z`,
      { token },
    );
    expect(response.status).toBe(200);
    expect(response.body.geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [106.7, 21.99],
        [106.71, 21.99],
      ],
    });
    expect(response.body.properties.times).toEqual([T0, T0 + 10_000]);
  });

  it('filters all fixes by time and bbox', async () => {
    const response = await server.request(
      'GET',
      `/api/history?from=${T0 + 5_000}&bbox=106.75,21.9,106.9,22.1`,
      { token },
    );
    expect(response.status).toBe(200);
    expect(response.body.items.map((f: { unitId: string; t: number }) => [f.unitId, f.t])).toEqual([
      ['t-pol-1', T0 + 10_000],
    ]);
  });

  it('answers bad parameters with 400 and unknown units with 404', async () => {
    for (const query of ['from=yesterday', 'bbox=1,2,3', 'bbox=10,0,5,1', 'limit=0']) {
      const response = await server.request('GET', `/api/history?${query}`, { token });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid');
    }
    expect((await server.request('GET', '/api/units/nobody/track', { token })).status).toBe(404);
  });
});
