// The device ports take a reconnect storm: phones that all reconnect at once (a cell comes back, the server
// restarts) are queued by the kernel while the server is busy, not refused with a one-second SYN retry.
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/process';
import { tempDir } from '../support/server';

/** More than Node's default accept queue (511) can hold. */
const STORM = 1_200;
/** The kernel caps every accept queue at somaxconn (4,096 on current Linux), and queues one more than that. */
const SOMAXCONN = Number(fs.readFileSync('/proc/sys/net/core/somaxconn', 'utf8'));
const QUEUED = Math.min(STORM, SOMAXCONN + 1);
/** A dropped SYN is retried after a second; every connection must be queued well before that. */
const BOUND_MS = 800;

let server: ServerProcess;
let ports: { osmand: number; cot: number };

beforeAll(async () => {
  server = await startServerProcess({ DEMO: '0', ADMIN_PASSWORD: 'first-admin-pw', DATA_DIR: tempDir() });
  const logged = /"osmand":(\d+),"cot":(\d+)/.exec(server.output());
  ports = { osmand: Number(logged?.[1]), cot: Number(logged?.[2]) };
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

/** Opens `count` connections at once; resolves with how many the kernel completed within `boundMs`. */
async function storm(port: number, count: number, boundMs: number): Promise<number> {
  const sockets: net.Socket[] = [];
  let connected = 0;
  for (let i = 0; i < count; i++) {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('connect', () => connected++);
    socket.on('error', () => {});
    sockets.push(socket);
  }
  await new Promise((resolve) => setTimeout(resolve, boundMs));
  for (const socket of sockets) socket.destroy();
  return connected;
}

describe('device listeners', () => {
  for (const name of ['osmand', 'cot'] as const) {
    it(`queue ${STORM} connections on the ${name} port while the server cannot accept`, async () => {
      // A stopped process accepts nothing: only the kernel's queue holds the connections.
      server.child.kill('SIGSTOP');
      try {
        const started = Date.now();
        const connected = await storm(ports[name], STORM, BOUND_MS);
        const ms = Date.now() - started;
        console.log(
          `${name}: ${connected} of ${STORM} connected in ${ms} ms, server stopped (somaxconn ${SOMAXCONN})`,
        );
        expect(connected).toBe(QUEUED);
      } finally {
        server.child.kill('SIGCONT');
      }
    });
  }
});
