// Starts a real Lianfang server for a test: temp DATA_DIR with a real SQLite store, the small fixture
// scenario, demo accounts, HTTP + Socket.io on port 0. Nothing is mocked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { io, type Socket } from 'socket.io-client';
import { createApp, type App } from '../../server/app';
import { loadConfig, type Config } from '../../server/config';
import type {
  ClientToServerEvents,
  LoginResponse,
  ServerToClientEvents,
  Snapshot,
} from '../../server/contract';
import { seedDemoAccounts } from '../../server/domain/accounts';
import { loadScenario, readScenario } from '../../server/domain/scenario';
import { openSqliteStore } from '../../server/store/sqlite';
import type { Store } from '../../server/store/store';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURE_SCENARIO = path.join(ROOT, 'tests', 'fixtures', 'scenario');
export const DEMO_PASSWORD = 'lianfang-demo';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface TestServer {
  url: string;
  app: App;
  store: Store;
  config: Config;
  dataDir: string;
  login(username: string, password?: string): Promise<LoginResponse>;
  /** GET/POST/… with a bearer token (or none) and a JSON body; returns status and parsed body. */
  request(
    method: string,
    route: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Record<string, string> }>;
  /** A connected socket and the snapshot it received on connect. */
  socket(token: string): Promise<{ socket: TestSocket; snapshot: Snapshot }>;
  close(): Promise<void>;
}

export function tempDir(prefix = 'lianfang-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestServer(
  env: Record<string, string> = {},
  options: { now?: () => number } = {},
): Promise<TestServer> {
  const dataDir = tempDir();
  const config = loadConfig({
    PORT: '0',
    OSMAND_PORT: '0',
    COT_PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    FLUSH_MS: '50',
    ...env,
  });
  const store = openSqliteStore(dataDir);
  await loadScenario(store, readScenario(FIXTURE_SCENARIO), Date.now());
  await seedDemoAccounts(store, DEMO_PASSWORD, Date.now());
  const app = await createApp({
    config,
    store,
    logger: pino({ level: 'silent' }),
    jwtSecret: 'test-secret-test-secret-test-secret-0123',
    clientDir: path.join(dataDir, 'no-client'),
    scenarioDir: FIXTURE_SCENARIO,
    ...(options.now ? { now: options.now } : {}),
  });
  const url = await app.listen();
  const sockets: TestSocket[] = [];

  const request: TestServer['request'] = async (method, route, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(url + route, {
      method,
      headers,
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === 'string'
            ? options.body
            : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // leave as text
    }
    return { status: response.status, body, headers: Object.fromEntries(response.headers) };
  };

  return {
    url,
    app,
    store,
    config,
    dataDir,
    request,
    async login(username, password = DEMO_PASSWORD) {
      const { status, body } = await request('POST', '/api/auth/login', { body: { username, password } });
      if (status !== 200) throw new Error(`login ${username} failed: ${status} ${JSON.stringify(body)}`);
      return body as LoginResponse;
    },
    socket(token) {
      const socket: TestSocket = io(url, {
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(socket);
      return new Promise((resolve, reject) => {
        socket.once('snapshot', (snapshot) => resolve({ socket, snapshot }));
        socket.once('connect_error', reject);
      });
    },
    async close() {
      for (const socket of sockets) socket.disconnect();
      await app.close();
      await store.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the first event that matches, or rejects after timeoutMs naming what it waited for. */
export function waitFor<T>(
  socket: TestSocket,
  event: 'snapshot' | 'delta',
  match: (payload: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no matching ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: T): void => {
      if (!match(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}
