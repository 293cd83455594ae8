// The authorisation matrix, walked: every REST route the server registered × no account and each role (admin,
// operator, leader, staff), and every Socket.io event × each role, against security/access.ts. A route the
// matrix refuses answers 401 without an account and 403 "this needs the role …" for a wrong role; a route it
// allows never answers either of those from the matrix (what the route then does is the domain's business).
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/contract';
import {
  CLIENT_FILE,
  EVENT_ACCESS,
  ROLES,
  ROUTE_ACCESS,
  mayCallRoute,
  registerAccessControl,
} from '../../server/security/access';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
const tokens = new Map<Role, string>();

/** A concrete path for a route pattern: every parameter a made-up id, the catch-all the page. */
const concrete = (pattern: string): string =>
  pattern === '/*'
    ? '/some/page'
    : pattern.startsWith('/<')
      ? '/index.html'
      : pattern.replace(/:[A-Za-z]+/g, 'zz-no-such-id');

const MATRIX_DENIAL = /^this needs the role /;

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ROLES) tokens.set(role, (await server.login(role)).token);
});
afterAll(async () => {
  await server?.close();
});

describe('access matrix', () => {
  it('has one row for every route the server registered, and no row for a route it does not have', () => {
    const registered = server.app.routes();
    for (const key of registered) expect(ROUTE_ACCESS, key).toHaveProperty([key]);
    // Registered only when configured: the page and its files need a built client, the archive BASEMAP_PMTILES.
    const optional = ['GET /', 'GET /*', CLIENT_FILE, 'GET /basemap.pmtiles'];
    expect(Object.keys(ROUTE_ACCESS).filter((key) => !registered.includes(key))).toEqual(optional);
  });

  // Signing out ends every token of the account: walk it last.
  const routes = Object.entries(ROUTE_ACCESS).sort(
    ([a], [b]) => Number(a.endsWith('/logout')) - Number(b.endsWith('/logout')),
  );

  it.each(routes)('%s', async (key, audience) => {
    const method = key.slice(0, key.indexOf(' '));
    const pattern = key.slice(key.indexOf(' ') + 1);
    const path = concrete(pattern);
    const body = method === 'GET' || method === 'DELETE' ? undefined : {};
    const anonymous = await server.request(method, path, body === undefined ? {} : { body });
    if (audience === 'public') expect(anonymous.status, `${key} without an account`).not.toBe(401);
    else if (audience === 'device') expect(anonymous.status, `${key} without credentials`).toBe(401);
    else expect(anonymous.status, `${key} without an account`).toBe(401);

    for (const role of ROLES) {
      const token = tokens.get(role) as string;
      const answer = await server.request(method, path, body === undefined ? { token } : { token, body });
      const deniedByMatrix = answer.status === 403 && MATRIX_DENIAL.test(String(answer.body?.error?.message));
      if (audience === 'device') {
        // An account's bearer token is no device credential.
        expect(answer.status, `${key} as ${role}`).toBe(anonymous.status);
      } else if (mayCallRoute(audience, role)) {
        expect(answer.status, `${key} as ${role}: ${JSON.stringify(answer.body)}`).not.toBe(401);
        expect(deniedByMatrix, `${key} as ${role}`).toBe(false);
        expect(answer.status, `${key} as ${role}`).toBeLessThan(500);
      } else {
        expect(answer.status, `${key} as ${role}`).toBe(403);
        expect(deniedByMatrix, `${key} as ${role}: ${JSON.stringify(answer.body)}`).toBe(true);
      }
    }
  });

  it('answers an unknown /api/ path 401 without an account, 404 with one', async () => {
    expect((await server.request('GET', '/api/no-such-route')).status).toBe(401);
    const operator = (await server.login('operator')).token;
    expect((await server.request('GET', '/api/no-such-route', { token: operator })).status).toBe(404);
  });

  it.each(ROLES)('lets %s send exactly the events the matrix allows, and no other', async (role) => {
    const { token: accessToken } = await server.login(role);
    const { socket } = await server.socket(accessToken);
    const send = (event: string, payload: unknown): Promise<{ ok: boolean; error?: { code: string } }> =>
      new Promise((resolve) =>
        (socket.emit as (...args: unknown[]) => void)(event, payload, (answer: never) => resolve(answer)),
      );
    for (const [event, roles] of Object.entries(EVENT_ACCESS)) {
      const answer = await send(event, {});
      if (roles.includes(role)) expect(answer.error?.code, `${event} as ${role}`).not.toBe('forbidden');
      else expect(answer.error?.code, `${event} as ${role}`).toBe('forbidden');
    }
    const unknown = await send('become-admin', {});
    expect(unknown).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
  });

  it('keeps the roster to the command centre: a leader reads its own unit only', async () => {
    const leader = await server.login('leader');
    const own = leader.user.unitId as string;
    expect((await server.request('GET', `/api/units/${own}`, { token: leader.token })).status).toBe(200);
    const other = (await server.store.units.list()).find((unit) => unit.id !== own)?.id as string;
    expect((await server.request('GET', `/api/units/${other}`, { token: leader.token })).status).toBe(403);
    expect((await server.request('GET', '/api/units', { token: leader.token })).status).toBe(403);
  });

  it('refuses to register a route that has no row', async () => {
    const app = Fastify();
    registerAccessControl(app, () => Promise.resolve(null));
    expect(() => app.get('/api/secret-admin-thing', () => 'x')).toThrow(/no row in the access matrix/);
    app.get('/healthz', () => 'ok');
    await app.close();
  });

  it('cuts history to the scope: a leader gets the fixes on their segment, not those elsewhere', async () => {
    const leader = await server.login('leader');
    const segmentId = leader.user.segmentIds[0] as string;
    const segment = (await server.store.layers.get('segments'))?.collection.features.find(
      (feature) => String(feature.id ?? feature.properties?.id) === segmentId,
    );
    const line = (segment?.geometry as GeoJSON.LineString).coordinates;
    const [lon, lat] = line[Math.floor(line.length / 2)] as [number, number];
    const t = Date.now() - 60_000;
    const fix = { t, rx: t, accuracyMeters: 5, headingDeg: null, speedMps: null, source: 'test' };
    const unitId = (await server.store.units.list()).find((unit) => unit.id !== leader.user.unitId)
      ?.id as string;
    await server.store.history.append([
      { ...fix, unitId, lon, lat },
      { ...fix, unitId, lon: 116.41, lat: 39.91, t: t + 1 },
    ]);
    const query = `/api/history?from=${t - 1}&to=${t + 2}&unitId=${unitId}`;
    const asLeader = await server.request('GET', query, { token: leader.token });
    const operator = (await server.login('operator')).token;
    const asOperator = await server.request('GET', query, { token: operator });
    expect(asOperator.body.items.map((f: { lon: number }) => f.lon)).toEqual([lon, 116.41]);
    expect(asLeader.body.items.map((f: { lon: number }) => f.lon)).toEqual([lon]);
  });
});
