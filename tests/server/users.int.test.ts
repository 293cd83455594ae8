// Accounts end to end (issue 9 §3): admin CRUD with the password policy, revocation of every token on a
// password change, a sign-out or a role change, and the live socket of a revoked user closed at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await startTestServer();
  admin = (await server.login('admin')).token;
});
afterAll(async () => server.close());

const me = async (token: string): Promise<number> =>
  (await server.request('GET', '/api/me', { token })).status;

describe('user administration', () => {
  it('is for admins only', async () => {
    const operator = (await server.login('operator')).token;
    expect((await server.request('GET', '/api/users', { token: operator })).status).toBe(403);
    const body = { username: 'zhao.lei', password: 'a long enough passphrase', role: 'operator' };
    expect((await server.request('POST', '/api/users', { token: operator, body })).status).toBe(403);
  });

  it('creates a user under the password policy, refuses duplicates, lists without hashes', async () => {
    const weak = await server.request('POST', '/api/users', {
      token: admin,
      body: { username: 'li.na', password: 'password1', role: 'staff' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error.message).toMatch(/password/);
    const body = { username: 'li.na', password: '界碑旁的木棉花又开了呀', role: 'staff', areaId: 't-grid-1' };
    const created = await server.request('POST', '/api/users', { token: admin, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'li.na', role: 'staff', areaId: 't-grid-1' });
    expect((await server.request('POST', '/api/users', { token: admin, body })).status).toBe(409);
    const list = await server.request('GET', '/api/users', { token: admin });
    expect(list.body.items.map((u: { username: string }) => u.username)).toContain('li.na');
    expect(JSON.stringify(list.body)).not.toMatch(/scrypt|passwordHash/);
    expect((await server.login('li.na', '界碑旁的木棉花又开了呀')).user.role).toBe('staff');
  });

  it('a password reset by an admin revokes access and refresh tokens, and closes the live socket', async () => {
    const body = { username: 'wang.qiang', password: 'patrol at dawn along km 12', role: 'leader' };
    const created = await server.request('POST', '/api/users', { token: admin, body });
    const session = await server.login('wang.qiang', body.password);
    const { socket } = await server.socket(session.token);
    const closed = new Promise<string>((resolve) => socket.on('disconnect', resolve));
    const reset = await server.request('POST', `/api/users/${created.body.id}/password`, {
      token: admin,
      body: { password: 'a brand new passphrase 2' },
    });
    expect(reset.status).toBe(204);
    expect(await closed).toBe('io server disconnect');
    expect(await me(session.token)).toBe(401);
    const refreshed = await server.request('POST', '/api/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });
    expect(refreshed.status).toBe(401);
    expect((await server.login('wang.qiang', 'a brand new passphrase 2')).user.username).toBe('wang.qiang');
    socket.disconnect();
  });

  it('changing one’s own password needs the current one and keeps only the new session', async () => {
    await server.request('POST', '/api/users', {
      token: admin,
      body: { username: 'chen.jie', password: 'first passphrase here', role: 'operator' },
    });
    const wall = await server.login('chen.jie', 'first passphrase here');
    const tablet = await server.login('chen.jie', 'first passphrase here');
    const wrong = await server.request('POST', '/api/me/password', {
      token: wall.token,
      body: { currentPassword: 'nope', newPassword: 'second passphrase here' },
    });
    expect(wrong.status).toBe(403);
    const changed = await server.request('POST', '/api/me/password', {
      token: wall.token,
      body: { currentPassword: 'first passphrase here', newPassword: 'second passphrase here' },
    });
    expect(changed.status).toBe(200);
    expect(await me(changed.body.token)).toBe(200);
    expect(await me(tablet.token)).toBe(401);
    expect(await me(wall.token)).toBe(401);
  });

  it('sign-out revokes the tokens; a role change too; an admin cannot delete or demote themselves', async () => {
    const created = await server.request('POST', '/api/users', {
      token: admin,
      body: { username: 'zhou.min', password: 'quiet night on the border', role: 'operator' },
    });
    const first = await server.login('zhou.min', 'quiet night on the border');
    expect((await server.request('POST', '/api/auth/logout', { token: first.token })).status).toBe(204);
    expect(await me(first.token)).toBe(401);
    const second = await server.login('zhou.min', 'quiet night on the border');
    const patched = await server.request('PATCH', `/api/users/${created.body.id}`, {
      token: admin,
      body: { role: 'staff', areaId: 't-grid-1' },
    });
    expect(patched.body).toMatchObject({ role: 'staff', areaId: 't-grid-1' });
    expect(await me(second.token)).toBe(401);
    const self = (await server.request('GET', '/api/me', { token: admin })).body.id as string;
    expect((await server.request('DELETE', `/api/users/${self}`, { token: admin })).status).toBe(409);
    expect(
      (await server.request('PATCH', `/api/users/${self}`, { token: admin, body: { role: 'operator' } }))
        .status,
    ).toBe(409);
    expect((await server.request('DELETE', `/api/users/${created.body.id}`, { token: admin })).status).toBe(
      204,
    );
    expect(
      (
        await server.request('POST', '/api/auth/login', {
          body: { username: 'zhou.min', password: 'quiet night on the border' },
        })
      ).status,
    ).toBe(401);
  });
});
