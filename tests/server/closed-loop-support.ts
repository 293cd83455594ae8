// A real closed-loop server for tests: temp SQLite store, test layers with a full 7+X roster and an area
// hierarchy, demo accounts, Fastify on port 0 with auth + the closed-loop routes, and an injectable clock.
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Feature, FeatureCollection } from 'geojson';
import type { LoginResponse } from '../../server/contract';
import { seedDemoAccounts } from '../../server/domain/accounts';
import { createAuth } from '../../server/domain/auth';
import { createClosedLoop, type ClosedLoop, type ClosedLoopDeps } from '../../server/domain/closed-loop';
import { readScenario } from '../../server/domain/scenario';
import { createTokens } from '../../server/domain/tokens';
import { registerAuthRoutes } from '../../server/http/auth-routes';
import { registerAccessControl } from '../../server/security/access';
import { installErrorHandlers } from '../../server/http/errors';
import { openSqliteStore } from '../../server/store/sqlite';
import type { Store } from '../../server/store/store';
import { DEMO_PASSWORD, FIXTURE_SCENARIO, tempDir } from '../support/server';

export const T0 = Date.parse('2026-11-28T08:00:00Z');

const box = (west: number, south: number, east: number, north: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [west, south],
      [east, south],
      [east, north],
      [west, north],
      [west, south],
    ],
  ],
});

const feature = (
  id: string,
  properties: Record<string, unknown>,
  geometry: Feature['geometry'],
): Feature => ({
  type: 'Feature',
  id,
  properties: { id, ...properties },
  geometry,
});

const collection = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });

/** The 7+X roster of t-grid-3: one person per role. */
export const FULL_ROSTER = [
  { id: 't3-secretary', name: '书记', role: 'party_secretary' },
  { id: 't3-manager', name: '管理员', role: 'grid_manager' },
  { id: 't3-assistant', name: '助理员', role: 'assistant' },
  { id: 't3-supervisor', name: '督导员', role: 'supervisor' },
  { id: 't3-police', name: '民警', role: 'police_officer' },
  { id: 't3-judicial', name: '司法', role: 'judicial_officer' },
  { id: 't3-fire', name: '消防', role: 'firefighter' },
  { id: 't3-union', name: '工会', role: 'union' },
];

/**
 * Three grids side by side (lat 21.98–22.00): t-grid-1 (only a grid manager, t-staff-1; 1000 residents, 250
 * households), t-grid-2 (nobody, no population), t-grid-3 (the full roster; 2000 residents, 500 households);
 * communities → subdistrict → district (10,000 residents, 2500 households) above them; two sectors; two posts.
 */
export function testLayers(): Record<'grids' | 'areas' | 'sectors' | 'posts', FeatureCollection> {
  const grid = (id: string, west: number, parentId: string, staff: unknown[], people: object = {}) =>
    feature(id, { name: id, level: 'grid', parentId, staff, ...people }, box(west, 21.98, west + 0.02, 22.0));
  const area = (
    id: string,
    level: string,
    parentId: string | null,
    west: number,
    east: number,
    people = {},
  ) => feature(id, { name: `${id}-name`, level, parentId, ...people }, box(west, 21.98, east, 22.0));
  const manager = [{ id: 't-staff-1', name: '张伟', role: 'grid_manager' }];
  return {
    grids: collection([
      grid('t-grid-1', 106.7, 't-community-1', manager, { residents: 1000, households: 250 }),
      grid('t-grid-2', 106.72, 't-community-1', []),
      grid('t-grid-3', 106.74, 't-community-2', FULL_ROSTER, { residents: 2000, households: 500 }),
    ]),
    areas: collection([
      area('t-district', 'district', null, 106.7, 106.76, { residents: 10_000, households: 2500 }),
      area('t-subdistrict-1', 'subdistrict', 't-district', 106.7, 106.76),
      area('t-community-1', 'community', 't-subdistrict-1', 106.7, 106.74),
      area('t-community-2', 'community', 't-subdistrict-1', 106.74, 106.76),
    ]),
    sectors: collection([
      feature('t-sector-1', { name: '片区1' }, box(106.7, 21.97, 106.73, 22.0)),
      feature('t-sector-2', { name: '片区2' }, box(106.73, 21.97, 106.76, 22.0)),
    ]),
    posts: collection([
      feature(
        't-post-1',
        { type: 'household', gridId: 't-grid-3' },
        { type: 'Point', coordinates: [106.75, 21.99] },
      ),
      feature(
        't-post-2',
        { type: 'household', gridId: 't-grid-3' },
        { type: 'Point', coordinates: [106.8, 21.99] },
      ),
    ]),
  };
}

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
  bytes: Buffer;
}

export interface ClosedLoopServer {
  url: string;
  http: FastifyInstance;
  loop: ClosedLoop;
  store: Store;
  dataDir: string;
  clock: { now: number };
  login(username: string): Promise<LoginResponse>;
  request(
    method: string,
    route: string,
    options?: { token?: string; body?: unknown; raw?: Buffer; headers?: Record<string, string> },
  ): Promise<Reply>;
  close(): Promise<void>;
}

export type ServerOptions = Partial<Omit<ClosedLoopDeps, 'store' | 'dataDir' | 'now'>> & { dataDir?: string };

/** Seeds a store (layers, units, demo users) once per data dir; a second open finds it seeded. */
export async function seedStore(store: Store): Promise<void> {
  if (await store.layers.get('grids')) return;
  const scenario = readScenario(FIXTURE_SCENARIO);
  const layers = testLayers();
  for (const kind of ['grids', 'areas', 'sectors', 'posts'] as const)
    await store.layers.put(kind, layers[kind]);
  const segments = scenario.layers.segments;
  if (segments) await store.layers.put('segments', segments);
  await store.units.createMany(scenario.units.map((u) => ({ ...u, createdAt: T0 })));
  await seedDemoAccounts(store, DEMO_PASSWORD, T0);
}

async function send(url: string, method: string, options: Parameters<ClosedLoopServer['request']>[2] = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.raw) body = new Uint8Array(options.raw);
  else if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const response = await fetch(url, { method, headers, body });
  const bytes = Buffer.from(await response.arrayBuffer());
  let parsed: unknown = bytes.toString('utf8');
  try {
    parsed = JSON.parse(parsed as string);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed, headers: response.headers, bytes };
}

export async function startClosedLoopServer(options: ServerOptions = {}): Promise<ClosedLoopServer> {
  const dataDir = options.dataDir ?? tempDir('lianfang-loop-');
  const clock = { now: T0 };
  const now = (): number => clock.now;
  const store = openSqliteStore(dataDir);
  await seedStore(store);
  const http = Fastify({ logger: false, bodyLimit: 1_000_000 });
  installErrorHandlers(http);
  // Tokens run on the real clock: tests move the closed loop's clock by days without signing in again.
  const auth = createAuth(store.users, createTokens('test-secret-test-secret-test-secret-0123'));
  registerAccessControl(http, (token) => auth.userFromToken(token));
  registerAuthRoutes(http, auth);
  const loop = await createClosedLoop({ ...options, store, dataDir, now });
  loop.register(http);
  const url = await http.listen({ host: '127.0.0.1', port: 0 });
  const request: ClosedLoopServer['request'] = (method, route, opts) => send(url + route, method, opts);
  return {
    url,
    http,
    loop,
    store,
    dataDir,
    clock,
    request,
    async login(username) {
      const reply = await request('POST', '/api/auth/login', { body: { username, password: DEMO_PASSWORD } });
      if (reply.status !== 200) throw new Error(`login ${username}: ${reply.status}`);
      return reply.body as LoginResponse;
    },
    async close() {
      await http.close();
      await store.close();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Child-process mode for the durability test: serve a data dir until killed, print the URL. */
async function runChild(dataDir: string): Promise<void> {
  const server = await startClosedLoopServer({
    dataDir: path.resolve(dataDir),
    inBorderZone: (_lon, lat) => lat < 21.985,
  });
  process.stdout.write(`${server.url}\n`);
}

if (process.env.CLOSED_LOOP_CHILD_DIR && process.argv[1]?.endsWith('closed-loop-support.ts')) {
  void runChild(process.env.CLOSED_LOOP_CHILD_DIR);
}
