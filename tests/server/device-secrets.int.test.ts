// Device ingest authentication end to end (issue 9 §5): an admin gives a unit a secret; OsmAnd (query field,
// header, Basic), OwnTracks (Basic password) and CoT then refuse fixes without it; removing it restores the
// Traccar behaviour. Also the per-device rate limit and the bulk unit import.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let admin: string;

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function osmand(query: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${server.app.ports().osmand}/?${query}`, {
    method: 'POST',
    headers,
  });
  await response.text();
  return response.status;
}

async function owntracks(device: string, password: string, lat: number): Promise<number> {
  const response = await fetch(`${server.url}/ingest/owntracks`, {
    method: 'POST',
    headers: { authorization: basic(device, password), 'content-type': 'application/json' },
    body: JSON.stringify({ _type: 'location', lat, lon: 106.7, tst: Math.floor(Date.now() / 1000) }),
  });
  await response.text();
  return response.status;
}

async function unitLat(id: string): Promise<number | null> {
  const response = await server.request('GET', `/api/units/${id}`, { token: admin });
  return (response.body.state?.lat as number | undefined) ?? null;
}

beforeAll(async () => {
  server = await startTestServer();
  admin = (await server.login('admin')).token;
  const bulk = await server.request('POST', '/api/units/bulk', {
    token: admin,
    body: {
      units: [
        { id: 'sec-1', kind: 'police', callsign: '警-甲', deviceId: 'dev-sec-1' },
        { id: 'sec-2', kind: 'civilian', callsign: '民-乙', deviceId: 'dev-sec-2' },
        { id: 'sec-3', kind: 'military', callsign: '军-丙', deviceId: 'dev-sec-3' },
        { id: 'sec-1', kind: 'police', callsign: 'again', deviceId: 'dev-other' },
      ],
    },
  });
  expect(bulk).toMatchObject({ status: 200, body: { added: 3, skipped: ['sec-1'] } });
});
afterAll(async () => server.close());

describe('device secrets', () => {
  it('are made by admins only, shown once, and never listed', async () => {
    const operator = (await server.login('operator')).token;
    expect((await server.request('POST', '/api/units/sec-1/secret', { token: operator })).status).toBe(403);
    const made = await server.request('POST', '/api/units/sec-1/secret', { token: admin });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const listed = await server.request('GET', '/api/units?registered=1', { token: admin });
    const entry = (listed.body.items as Record<string, unknown>[]).find((u) => u.id === 'sec-1');
    expect(entry).toMatchObject({ hasSecret: true });
    expect(JSON.stringify(listed.body)).not.toContain(made.body.secret);
    expect(entry).not.toHaveProperty('secretHash');
  });

  it('OsmAnd: refused without the secret, accepted with it as a field, a header or a Basic password', async () => {
    const { body } = await server.request('POST', '/api/units/sec-2/secret', { token: admin });
    const secret = body.secret as string;
    expect(await osmand('id=dev-sec-2&lat=21.90&lon=106.7')).toBe(401);
    expect(await osmand(`id=dev-sec-2&lat=21.90&lon=106.7&secret=wrong`)).toBe(401);
    expect(await unitLat('sec-2')).toBeNull();
    expect(await osmand(`id=dev-sec-2&lat=21.91&lon=106.7&secret=${secret}`)).toBe(200);
    expect(await unitLat('sec-2')).toBeCloseTo(21.91, 6);
    expect(await osmand('id=dev-sec-2&lat=21.92&lon=106.7', { 'x-device-secret': secret })).toBe(200);
    expect(
      await osmand('id=dev-sec-2&lat=21.93&lon=106.7', { authorization: basic('dev-sec-2', secret) }),
    ).toBe(200);
    expect(await unitLat('sec-2')).toBeCloseTo(21.93, 6);
    // removing the secret restores Traccar's behaviour
    expect((await server.request('DELETE', '/api/units/sec-2/secret', { token: admin })).status).toBe(204);
    expect(await osmand('id=dev-sec-2&lat=21.94&lon=106.7')).toBe(200);
  });

  it('OwnTracks: the Basic password must be the secret', async () => {
    const { body } = await server.request('POST', '/api/units/sec-3/secret', { token: admin });
    expect(await owntracks('dev-sec-3', 'anything', 21.95)).toBe(401);
    expect(await owntracks('dev-sec-3', body.secret as string, 21.96)).toBe(200);
    expect(await unitLat('sec-3')).toBeCloseTo(21.96, 6);
  });

  it('CoT: a unit with a secret takes no plain CoT fixes', async () => {
    const now = new Date().toISOString();
    const xml = `<event version="2.0" uid="dev-sec-1" type="a-f-G-U-C" how="m-g" time="${now}" start="${now}" stale="${now}"><point lat="21.97" lon="106.7" hae="0" ce="5" le="9"/><detail/></event>`;
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port: server.app.ports().cot }, () =>
        socket.end(xml, resolve),
      );
      socket.once('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await unitLat('sec-1')).toBeNull();
  });
});

describe('per-device rate limit', () => {
  it('answers 429 past the burst for one device while another device goes on', async () => {
    await server.request('POST', '/api/units', {
      token: admin,
      body: { id: 'fast-1', kind: 'civilian', callsign: 'fast', deviceId: 'dev-fast-1' },
    });
    // 60 at once: the burst (30) passes, the rest is refused but for what refills while they are served
    const statuses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => osmand(`id=dev-fast-1&lat=21.9&lon=${106.7 + i * 1e-5}`)),
    );
    const passed = statuses.filter((s) => s === 200).length;
    expect(passed).toBeGreaterThanOrEqual(30);
    expect(passed).toBeLessThan(50);
    expect(statuses.filter((s) => s === 429).length).toBe(60 - passed);
    expect(await osmand('id=dev-sec-2&lat=21.9&lon=106.7')).toBe(200);
  });
});
