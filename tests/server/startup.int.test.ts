// The real entry point: refuses bad configurations with one clear line, starts, and shuts down cleanly.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { runServerToExit, startServerProcess, type ServerProcess } from '../support/process';
import { tempDir } from '../support/server';

describe('server/main.ts', () => {
  it('exits 1 with a one-line error naming the variable for PORT=abc', async () => {
    const { code, stderr } = await runServerToExit({ PORT: 'abc', DATA_DIR: tempDir() });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('lianfang: PORT must be an integer, got "abc"');
  });

  it('refuses demo mode on a non-loopback host with the default password', async () => {
    const { code, stderr } = await runServerToExit({ HOST: '0.0.0.0', DATA_DIR: tempDir() });
    expect(code).toBe(1);
    expect(stderr).toMatch(/DEMO_PASSWORD/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('with DEMO=0 and no users, requires ADMIN_PASSWORD', async () => {
    const { code, stderr } = await runServerToExit({ DEMO: '0', DATA_DIR: tempDir() });
    expect(code).toBe(1);
    expect(stderr).toMatch(/ADMIN_PASSWORD is required/);
  });

  it('starts with DEMO=0 and ADMIN_PASSWORD, migrates the store, keeps a JWT secret, stops on SIGTERM', async () => {
    const dataDir = tempDir();
    const server = await startFirstRun(dataDir);
    try {
      const login = await logIn(server.url, 'admin', 'first-admin-pw');
      expect(login.status).toBe(200);
      const demo = await logIn(server.url, 'operator', 'lianfang-demo');
      expect(demo.status).toBe(401);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
    expect(fs.existsSync(path.join(dataDir, 'lianfang.db'))).toBe(true);
    expect(fs.statSync(path.join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
  });

  // A wall left open holds a WebSocket and polls over kept-alive connections, some opened ahead of need (as
  // Chromium preconnects). SIGTERM must still end the process promptly and cleanly: a connection that had
  // not yet carried a request once kept the server serving after SIGTERM until CI's 300 s test timeout.
  it('exits 0 on SIGTERM while a client polls over a preconnected keep-alive socket and holds a live socket', async () => {
    const server = await startFirstRun();
    const login = await logIn(server.url, 'admin', 'first-admin-pw');
    const { token } = (await login.json()) as { token: string };
    const socket = io(server.url, { auth: { token }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const preconnected = await openConnection(server.url);
    let replies = '';
    preconnected.on('data', (chunk: Buffer) => (replies += chunk.toString()));
    preconnected.on('error', () => undefined);
    const started = performance.now();
    const stopped = server.stop('SIGTERM');
    // The poll keeps coming on that connection after the signal, as a wall's timers do.
    const poll = setInterval(() => {
      if (!preconnected.destroyed) preconnected.write('GET /healthz HTTP/1.1\r\nHost: wall\r\n\r\n');
    }, 100);
    try {
      expect(await stopped).toBe(0);
    } finally {
      clearInterval(poll);
      socket.close();
      preconnected.destroy();
    }
    const tookMs = performance.now() - started;
    console.log(`SIGTERM → exit with a polling client and a live socket: ${tookMs.toFixed(0)} ms`);
    expect(tookMs).toBeLessThan(10_000);
    // Whatever was answered after the signal told the client to let go.
    if (replies) expect(replies).toMatch(/connection: close/i);
  });

  it('exits 0 on SIGTERM within the grace period while a request is still half sent', async () => {
    const server = await startFirstRun();
    const stalled = await openConnection(server.url);
    stalled.on('error', () => undefined);
    // A body announced at 1,000 bytes and never finished: the connection stays busy, never idle.
    stalled.write(
      'POST /api/auth/login HTTP/1.1\r\nHost: wall\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"user',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    try {
      expect(await server.stop('SIGTERM')).toBe(0);
    } finally {
      stalled.destroy();
    }
    const tookMs = performance.now() - started;
    console.log(`SIGTERM → exit with a half-sent request: ${tookMs.toFixed(0)} ms`);
    expect(tookMs).toBeLessThan(10_000);
  });

  // The tsx CLI is a wrapper: killed, it left its node child running, still simulating, after the tests.
  it('SIGKILL leaves no server process behind', async () => {
    const dataDir = tempDir();
    const server = await startFirstRun(dataDir);
    expect(processesWith(`DATA_DIR=${dataDir}`)).toHaveLength(1);
    await server.stop('SIGKILL');
    expect(processesWith(`DATA_DIR=${dataDir}`)).toEqual([]);
  });

  it('serves https when TLS_CERT and TLS_KEY are set', async () => {
    const dir = tempDir();
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    const server = await startServerProcess({
      DATA_DIR: path.join(dir, 'data'),
      TLS_CERT: cert,
      TLS_KEY: key,
      // About TLS, not the demo: no backfill to wait for (demo-startup.int.test.ts covers that).
      DEMO_BACKFILL_DAYS: '0',
    });
    try {
      expect(server.url).toMatch(/^https:\/\//);
      const body = await new Promise<string>((resolve, reject) => {
        https
          .get(`${server.url}/healthz`, { rejectUnauthorized: false }, (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      expect(JSON.parse(body)).toEqual({ status: 'ok' });
    } finally {
      await server.stop();
    }
  });
});

/** Live processes with this entry in their environment (Linux /proc). */
function processesWith(entry: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry);
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    })
    .map(Number);
}

/** A first start without the demo: the admin account comes from ADMIN_PASSWORD. */
function startFirstRun(dataDir = tempDir()): Promise<ServerProcess> {
  return startServerProcess({ DEMO: '0', ADMIN_PASSWORD: 'first-admin-pw', DATA_DIR: dataDir });
}

function logIn(url: string, username: string, password: string): Promise<Response> {
  return fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

/** A raw TCP connection to the server's HTTP port, open and not yet used. */
async function openConnection(url: string): Promise<net.Socket> {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise((resolve) => socket.once('connect', resolve));
  return socket;
}
