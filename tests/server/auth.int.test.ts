// Auth end to end: login, refresh, /api/me, and 401 for everything without a valid token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server.close());

describe('auth', () => {
  it('logs the operator in and returns their User', async () => {
    const session = await server.login('operator');
    expect(session.user).toMatchObject({ username: 'operator', role: 'operator', areaId: null });
    const me = await server.request('GET', '/api/me', { token: session.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(session.user);
  });

  it('binds the demo leader to the first segment and its road chief unit', async () => {
    const { user } = await server.login('leader');
    expect(user).toMatchObject({ role: 'leader', unitId: 't-civ-1', segmentIds: ['t-seg-01'] });
    const staff = await server.login('staff');
    expect(staff.user).toMatchObject({ role: 'staff', areaId: 't-grid-1', staffId: 't-staff-1' });
  });

  it('rejects a wrong password and an unknown user alike', async () => {
    for (const body of [
      { username: 'operator', password: 'nope' },
      { username: 'ghost', password: 'nope' },
    ]) {
      const response = await server.request('POST', '/api/auth/login', { body });
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthenticated');
    }
  });

  it('answers bad login bodies with 400 invalid, never 5xx', async () => {
    const cases: unknown[] = ['{not json', { username: '' }, [], { username: 1, password: 2 }];
    for (const body of cases) {
      const response = await server.request('POST', '/api/auth/login', { body });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid');
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts/);
    }
  });

  it('needs a token on /api/units, /api/me and the layers', async () => {
    for (const route of ['/api/units', '/api/me', '/api/layers/grids']) {
      const response = await server.request('GET', route);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    }
    const forged = await server.request('GET', '/api/units', {
      token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
    });
    expect(forged.status).toBe(401);
  });

  it('refreshes tokens, and refuses an access token used as a refresh token', async () => {
    const session = await server.login('admin');
    const refreshed = await server.request('POST', '/api/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.user.username).toBe('admin');
    const me = await server.request('GET', '/api/me', { token: refreshed.body.token });
    expect(me.status).toBe(200);
    const wrongType = await server.request('POST', '/api/auth/refresh', {
      body: { refreshToken: session.token },
    });
    expect(wrongType.status).toBe(401);
    const asAccess = await server.request('GET', '/api/me', { token: session.refreshToken });
    expect(asAccess.status).toBe(401);
  });

  it('serves /healthz without a token and JSON 404s for unknown API routes', async () => {
    const health = await server.request('GET', '/healthz');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    const token = (await server.login('operator')).token;
    const missing = await server.request('GET', '/api/nothing-here', { token });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});

describe('login throttling', () => {
  it('answers 429 with Retry-After after five failures for one account, even with the right password', async () => {
    const clock = { now: Date.now() };
    const throttled = await startTestServer({}, { now: () => clock.now });
    try {
      for (let i = 0; i < 5; i++) {
        const wrong = await throttled.request('POST', '/api/auth/login', {
          body: { username: 'staff', password: `wrong-${i}` },
        });
        expect(wrong.status).toBe(401);
      }
      const locked = await throttled.request('POST', '/api/auth/login', {
        body: { username: 'staff', password: 'lianfang-demo' },
      });
      expect(locked.status).toBe(429);
      expect(locked.body.error.code).toBe('rate_limited');
      expect(Number(locked.headers['retry-after'])).toBe(900);
      // another account from the same address still signs in
      expect((await throttled.login('operator')).user.role).toBe('operator');
      // after the window the account may try again
      clock.now += 15 * 60_000 + 1;
      expect((await throttled.login('staff')).user.role).toBe('staff');
    } finally {
      await throttled.close();
    }
  });
});
