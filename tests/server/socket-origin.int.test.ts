// The live link's handshake checks the browser's Origin (a cross-origin WebSocket gets no CORS preflight): the
// page's own origin and ALLOWED_ORIGINS pass, any other is refused; clients without an Origin (devices,
// scripts) pass on their token. A message over 64 KB closes the socket and leaves the server serving.
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { startTestServer, type TestServer } from '../support/server';

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer({ ALLOWED_ORIGINS: 'https://wall.example.cn' });
  token = (await server.login('operator')).token;
});
afterAll(async () => {
  await server?.close();
});

/** Connects with this Origin header (or none): 'connected' or the handshake's error message. */
function handshake(origin: string | null): Promise<string> {
  const socket = io(server.url, {
    auth: { token },
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(origin ? { extraHeaders: { Origin: origin } } : {}),
  });
  return new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (error) => resolve(error.message));
  }).finally(() => socket.disconnect());
}

describe('the live link handshake', () => {
  it('lets in the page of its own origin, the allowed origins and clients that send none', async () => {
    expect(await handshake(server.url)).toBe('connected');
    expect(await handshake('https://wall.example.cn')).toBe('connected');
    expect(await handshake(null)).toBe('connected');
  });

  it('refuses a page of any other origin', async () => {
    expect(await handshake('https://evil.example')).not.toBe('connected');
    expect(await handshake('http://wall.example.cn')).not.toBe('connected'); // scheme is part of it
    expect(await handshake('not a url')).not.toBe('connected');
  });

  it('closes a socket that sends more than 64 KB at once, and goes on serving', async () => {
    const socket = io(server.url, { auth: { token }, transports: ['websocket'], forceNew: true });
    await new Promise((resolve) => socket.once('connect', () => resolve(null)));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    socket.emit('report', { note: 'x'.repeat(70 * 1024) }, () => undefined);
    expect(await closed).toBe('transport close');
    socket.disconnect();
    expect(await handshake(null)).toBe('connected');
  });

  it('refuses a malformed ALLOWED_ORIGINS at start, naming the variable', () => {
    const base = { DATA_DIR: '/tmp/x' };
    expect(() => loadConfig({ ...base, ALLOWED_ORIGINS: 'https://a.example/path' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, ALLOWED_ORIGINS: 'nonsense' })).toThrow(/ALLOWED_ORIGINS/);
    expect(
      loadConfig({ ...base, ALLOWED_ORIGINS: ' https://a.example , http://10.0.0.5:8080 ' }).allowedOrigins,
    ).toEqual(['https://a.example', 'http://10.0.0.5:8080']);
  });
});
