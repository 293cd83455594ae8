// Two real server processes on one store and one Redis (REDIS_URL): ingest on either node reaches clients
// on both, an incident made on one is seen on the other, and killing the engine leader (SIGKILL) loses no
// acknowledged fix, raises no alarm twice, and its clients reconnect through a balancer to the other node.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Delta, LoginResponse, Snapshot, UnitState } from '../../server/contract';
import { startBalancer, type Balancer } from '../support/balancer';
import { startTestPostgres, type TestPostgres } from '../support/postgres';
import { startServerProcess, type ServerProcess } from '../support/process';
import { startRedis, type TestRedis } from '../support/redis';
import { tempDir, waitFor, type TestSocket } from '../support/server';

const JWT_SECRET = 'two-nodes-secret-two-nodes-secret-0123456';
const PASSWORD = 'two-nodes-demo-pw';

/**
 * The store both nodes share: PostgreSQL with PostGIS (a throwaway cluster from Debian's packages), as several
 * nodes are deployed. DATA_DIR is shared too, as a deployment shares it for report photos.
 */
function storeEnv(dataDir: string): Record<string, string> {
  return { DATA_DIR: dataDir, DATABASE_URL: postgres.url };
}

interface Node {
  name: string;
  process: ServerProcess;
  url: string;
  http: number;
  osmand: number;
}

let redis: TestRedis;
let postgres: TestPostgres;
let dataDir: string;
let a: Node;
let b: Node;
const sockets: TestSocket[] = [];

async function startNode(name: string): Promise<Node> {
  const server = await startServerProcess({
    ...storeEnv(dataDir),
    REDIS_URL: redis.url,
    JWT_SECRET,
    DEMO: '1',
    DEMO_PASSWORD: PASSWORD,
    DEMO_BACKFILL_DAYS: '0',
    DEMO_LIFE_INTERVAL_MS: '0',
    SIM_UNITS: '0',
    FLUSH_MS: '50',
    LOG_LEVEL: 'info',
  });
  const ports = /"ports":\{"http":(\d+),"osmand":(\d+),"cot":(\d+)\}/.exec(server.output());
  if (!ports) throw new Error(`no ports logged by ${name}:\n${server.output()}`);
  return { name, process: server, url: server.url, http: Number(ports[1]), osmand: Number(ports[2]) };
}

async function until<T>(what: string, probe: () => Promise<T | null> | T | null, timeoutMs = 10_000) {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== null) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGKILL to the node process itself: tsx runs it as a child and cannot pass SIGKILL on. */
async function kill(node: Node): Promise<void> {
  const parent = node.process.child.pid;
  if (parent === undefined) return;
  let listed = '';
  try {
    listed = execFileSync('ps', ['-o', 'pid=', '--ppid', String(parent)], { encoding: 'utf8' });
  } catch {
    // no children (already gone)
  }
  const children = listed
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0);
  for (const pid of children) process.kill(pid, 'SIGKILL');
  await node.process.stop('SIGKILL');
}

const leads = (node: Node): boolean => node.process.output().includes('"msg":"engine leader"');

async function login(node: Node, username: string): Promise<LoginResponse> {
  const response = await fetch(`${node.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as LoginResponse;
}

async function api(node: Node, token: string, method: string, route: string, body?: unknown) {
  const response = await fetch(node.url + route, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** An OsmAnd fix as the Traccar Client sends it (query string GET); resolves with the HTTP status. */
async function osmand(node: Node, device: string, lon: number, lat: number, extra = ''): Promise<number> {
  const query = `/?id=${device}&lat=${lat}&lon=${lon}&timestamp=${Date.now()}&accuracy=5${extra}`;
  const response = await fetch(`http://127.0.0.1:${node.osmand}${query}`);
  await response.text();
  return response.status;
}

/** A JSON wall client that keeps its own model of the picture (snapshot, then deltas) and every alert id. */
function wall(url: string, token: string, reconnect = false) {
  const socket: TestSocket = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: reconnect,
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
    forceNew: true,
  });
  sockets.push(socket);
  const units = new Map<string, UnitState>();
  const alerts: Alert[] = [];
  let snapshots = 0;
  socket.on('snapshot', (snapshot: Snapshot) => {
    snapshots++;
    units.clear();
    for (const unit of snapshot.units) units.set(unit.id, unit);
    alerts.push(...snapshot.alerts);
  });
  socket.on('delta', (delta: Delta) => {
    for (const unit of delta.units.upsert) units.set(unit.id, unit);
    for (const id of delta.units.remove) units.delete(id);
    alerts.push(...delta.alerts);
  });
  const ready = new Promise<void>((resolve, reject) => {
    socket.once('snapshot', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, units, alerts, ready, snapshots: () => snapshots };
}

const near = (unit: UnitState | undefined, lon: number, lat: number): boolean =>
  unit !== undefined && Math.abs(unit.lon - lon) < 1e-9 && Math.abs(unit.lat - lat) < 1e-9;

beforeAll(async () => {
  const started = Date.now();
  redis = await startRedis();
  postgres = await startTestPostgres();
  dataDir = tempDir('lianfang-two-nodes-');
  a = await startNode('A');
  // A starts alone: it takes the lease; B starts as a follower.
  await until('A to lead', () => (leads(a) ? true : null));
  b = await startNode('B');
  console.log(`redis and two nodes up in ${Date.now() - started} ms`);
}, 90_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  if (a) await kill(a);
  await b?.process.stop();
  await redis?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  await postgres?.stop();
});

describe('two nodes on one store and one Redis', () => {
  it('lets node A ingest OsmAnd fixes that a client on node B receives, and both show the same picture', async () => {
    expect(leads(b)).toBe(false);
    const operator = await login(b, 'operator');
    const onB = wall(b.url, operator.token);
    await onB.ready;
    const sent = Date.now();
    const seen = waitFor<Delta>(onB.socket, 'delta', (d) => d.units.upsert.some((u) => u.id === 'px-mil-01'));
    expect(await osmand(a, 'dev-px-mil-01', 106.751, 22.101)).toBe(200);
    const unit = (await seen).units.upsert.find((u) => u.id === 'px-mil-01');
    console.log(`OsmAnd on A → delta on B in ${Date.now() - sent} ms`);
    expect(unit).toMatchObject({ lon: 106.751, lat: 22.101, accuracyMeters: 5 });

    // A fix taken by the follower reaches the leader's engine and comes back to clients of both nodes.
    const onA = wall(a.url, (await login(a, 'operator')).token);
    await onA.ready;
    expect(await osmand(b, 'dev-px-mil-02', 106.752, 22.102)).toBe(200);
    const both = await until('px-mil-02 on both nodes', () =>
      near(onA.units.get('px-mil-02'), 106.752, 22.102) && near(onB.units.get('px-mil-02'), 106.752, 22.102)
        ? true
        : null,
    );
    console.log(`OsmAnd on B → both nodes' clients in ${both.ms} ms`);

    // Fresh snapshots from each node: one picture, each unit once and in the same place.
    const freshA = wall(a.url, operator.token);
    const freshB = wall(b.url, operator.token);
    await Promise.all([freshA.ready, freshB.ready]);
    const place = (units: Map<string, UnitState>) =>
      [...units.values()].map((u) => `${u.id}@${u.lon},${u.lat}`).sort();
    expect(place(freshB.units)).toEqual(place(freshA.units));
    // And the REST reads of the live picture agree too.
    for (const node of [a, b]) {
      const state = await api(node, operator.token, 'GET', '/api/units/px-mil-02');
      expect(state.body.state).toMatchObject({ lon: 106.752, lat: 22.102 });
    }
    expect(place(freshA.units).filter((p) => p.startsWith('px-mil-0'))).toEqual([
      'px-mil-01@106.751,22.101',
      'px-mil-02@106.752,22.102',
    ]);
    // A scoped client on B (staff of grid dc-grid-001) gets its room's share: this unit, not the border's.
    const staff = wall(b.url, (await login(b, 'staff')).token);
    await staff.ready;
    const scoped = waitFor<Delta>(staff.socket, 'delta', (d) =>
      d.units.upsert.some((u) => u.id === 'dc-pol-01'),
    );
    expect(await osmand(a, 'dev-dc-pol-01', 116.4005, 39.9237)).toBe(200);
    expect(await osmand(a, 'dev-px-mil-01', 106.7512, 22.1012)).toBe(200);
    expect((await scoped).units.upsert.find((u) => u.id === 'dc-pol-01')?.gridId).toBe('dc-grid-001');
    await until('px-mil-01 moved on the wall', () =>
      near(onB.units.get('px-mil-01'), 106.7512, 22.1012) ? true : null,
    );
    expect([...staff.units.keys()].filter((id) => id.startsWith('px-'))).toEqual([]);
  }, 30_000);

  it('tells which node runs the engine on /metrics', async () => {
    const leader = async (node: Node) => {
      const response = await fetch(`${node.url}/metrics`);
      expect(response.status).toBe(200);
      return /^lianfang_engine_leader (\d)$/m.exec(await response.text())?.[1];
    };
    expect(await leader(a)).toBe('1');
    expect(await leader(b)).toBe('0');
  });

  it('shows an incident created on B on node A, over REST and live', async () => {
    const operatorA = await login(a, 'operator');
    const onA = wall(a.url, operatorA.token);
    await onA.ready;
    const operatorB = await login(b, 'operator');
    const live = waitFor<Delta>(onA.socket, 'delta', (d) =>
      d.incidents.some((i) => i.summary === '双节点测试'),
    );
    const created = await api(b, operatorB.token, 'POST', '/api/incidents', {
      category: 'dispute',
      summary: '双节点测试',
      source: 'hotline',
      lon: 106.753,
      lat: 22.103,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const viaRest = await api(a, operatorA.token, 'GET', `/api/incidents/${id}`);
    expect(viaRest.status).toBe(200);
    expect(viaRest.body.summary).toBe('双节点测试');
    const started = Date.now();
    expect((await live).incidents.find((i) => i.id === id)?.status).toBe(created.body.status);
    console.log(`incident on B → delta on A in ≤ ${Date.now() - started} ms after the REST read`);
    // And in a new snapshot on either node.
    const fresh = wall(a.url, operatorA.token);
    const snapshot = await new Promise<Snapshot>((resolve) => fresh.socket.once('snapshot', resolve));
    expect(snapshot.incidents.some((i) => i.id === id)).toBe(true);
  }, 30_000);

  it('knows on A a unit registered over REST on B (the registry follows the shared store)', async () => {
    const admin = await login(b, 'admin');
    const body = { id: 'tn-new-1', kind: 'civilian', callsign: 'TN-NEW-1', deviceId: 'tn-new-phone' };
    expect((await api(b, admin.token, 'POST', '/api/units', body)).status).toBe(201);
    expect(await osmand(b, 'tn-new-phone', 106.758, 22.108)).toBe(200);
    // A learns of it within REGISTRY_SYNC_MS (10 s): until then its OsmAnd answers 400 unknown device.
    const known = await until(
      'A to accept the new device',
      async () => ((await osmand(a, 'tn-new-phone', 106.759, 22.109)) === 200 ? true : null),
      15_000,
    );
    console.log(`unit registered on B known on A after ${known.ms} ms`);
    const onA = wall(a.url, (await login(a, 'operator')).token);
    await until('the new unit live on A', () =>
      near(onA.units.get('tn-new-1'), 106.759, 22.109) ? true : null,
    );
  }, 30_000);

  it("runs a fence created on B in the leader's engine, with one alarm", async () => {
    const operator = await login(b, 'operator');
    const onB = wall(b.url, operator.token);
    await onB.ready;
    const fence = await api(b, operator.token, 'POST', '/api/fences', {
      name: '双节点围栏',
      shape: { type: 'circle', center: [106.77, 22.13], radiusMeters: 200 },
      kinds: ['military'],
    });
    expect(fence.status).toBe(201);
    // The leader (A) picks fence edits made on another node up from the store within 5 s.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    const entered = waitFor<Delta>(onB.socket, 'delta', (d) =>
      d.events.some((e) => e.type === 'fence.entered' && e.unitId === 'px-mil-07'),
    );
    expect(await osmand(b, 'dev-px-mil-07', 106.79, 22.13)).toBe(200); // outside
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await osmand(b, 'dev-px-mil-07', 106.7701, 22.1301)).toBe(200); // inside
    await entered;
    const alarms = async () => {
      const list = await api(a, operator.token, 'GET', '/api/alerts?limit=1000');
      return (list.body.items as Alert[]).filter(
        (x) => x.type === 'fence.entered' && x.unitId === 'px-mil-07',
      );
    };
    await until('the fence alarm', async () => ((await alarms()).length > 0 ? true : null));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await alarms()).toHaveLength(1);
  }, 30_000);

  it('loses no acknowledged write when A is killed: clients reconnect to B and resync, no alarm twice', async () => {
    const balancer: Balancer = await startBalancer([a.http, b.http]);
    try {
      const admin = await login(b, 'admin');
      const client = wall(balancer.url, admin.token, true);
      await client.ready;
      const connectedTo = client.socket.io.engine.transport.name;
      expect(connectedTo).toBe('websocket');

      // Acknowledged by the leader (A), by the follower (B), and an SOS through the follower, then A dies.
      expect(await osmand(a, 'dev-px-mil-03', 106.7541, 22.1041)).toBe(200);
      expect(await osmand(b, 'dev-px-mil-04', 106.7551, 22.1051)).toBe(200);
      expect(await osmand(b, 'dev-px-mil-05', 106.7561, 22.1061, '&alarm=sos')).toBe(200);
      const killedAt = Date.now();
      await kill(a);

      const takeover = await until('B to take over', () => (leads(b) ? true : null), 15_000);
      console.log(`B took over ${Date.now() - killedAt} ms after SIGKILL (waited ${takeover.ms} ms)`);
      // The client came back through the balancer to B, with a new snapshot, and its picture converges.
      const back = await until(
        'the client to hold every acknowledged position',
        () =>
          client.snapshots() >= 2 &&
          near(client.units.get('px-mil-03'), 106.7541, 22.1041) &&
          near(client.units.get('px-mil-04'), 106.7551, 22.1051) &&
          near(client.units.get('px-mil-05'), 106.7561, 22.1061)
            ? true
            : null,
        15_000,
      );
      console.log(`client resynced on B ${Date.now() - killedAt} ms after SIGKILL (${back.ms} ms wait)`);

      // Every acknowledged fix is in the shared history.
      for (const [unitId, lon] of [
        ['px-mil-03', 106.7541],
        ['px-mil-04', 106.7551],
        ['px-mil-05', 106.7561],
      ] as const) {
        const history = await api(b, admin.token, 'GET', `/api/history?unitId=${unitId}`);
        expect(history.status).toBe(200);
        expect((history.body.items as { lon: number }[]).some((fix) => fix.lon === lon)).toBe(true);
      }

      // The SOS raised exactly one alarm, whichever node's engine saw it (the new leader replays what the
      // old one had not published).
      const sos = async () => {
        const list = await api(b, admin.token, 'GET', '/api/alerts?limit=1000');
        expect(list.status).toBe(200);
        return (list.body.items as Alert[]).filter(
          (alert) => alert.type === 'sos' && alert.unitId === 'px-mil-05',
        );
      };
      await until('the SOS alert', async () => ((await sos()).length > 0 ? true : null), 15_000);
      // Time for a replay to raise a second one, if it would.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await sos()).toHaveLength(1);
      const seenIds = new Set(client.alerts.filter((x) => x.type === 'sos').map((x) => x.id));
      expect(seenIds.size).toBeLessThanOrEqual(1);

      // B, now the leader, still takes fixes and serves them live.
      expect(await osmand(b, 'dev-px-mil-06', 106.757, 22.107)).toBe(200);
      await until('a fix after the takeover', () =>
        near(client.units.get('px-mil-06'), 106.757, 22.107) ? true : null,
      );
      // A packed client of the new leader gets the whole picture, units that have not moved since included.
      const packed: TestSocket = io(b.url, {
        auth: { token: admin.token, packed: true },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sockets.push(packed);
      const packedSnapshot = await new Promise<Snapshot>((resolve) => packed.once('snapshot', resolve));
      expect(packedSnapshot.units.map((u) => u.id)).toEqual(
        expect.arrayContaining(['px-mil-01', 'px-mil-03', 'px-mil-05', 'dc-pol-01', 'px-mil-06']),
      );
    } finally {
      await balancer.close();
    }
  }, 60_000);
});
