// Rooms by scope on a real server: two operators of different areas, a leader, staff and an admin, each
// with a JSON and a packed client, fed by OsmAnd fixes over real HTTP. Each gets exactly its scope (units,
// incidents, alerts, events), resync and its snapshot fallback stay in scope, a unit leaving a scope is
// taken back, and deltas go to one room per scope, never socket by socket.
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Delta, DomainEvent, Incident, Snapshot, UnitState } from '../../server/contract';
import { hashPassword } from '../../server/domain/passwords';
import {
  createLiveStream,
  type LiveSocket,
  type LiveStream,
  type StreamCursor,
} from '../../client/lib/net/packed-stream';
import { isPackedSnapshot } from '../../client/lib/net/packed-decoder';
import { DEMO_PASSWORD, startTestServer, type TestServer } from '../support/server';
import { until } from '../support/until';

/** A client as the web app runs it (the real live stream), recording everything it was given. */
interface Client {
  name: string;
  packed: boolean;
  socket: LiveSocket;
  stream: LiveStream;
  detach: () => void;
  cursor: StreamCursor;
  units: Map<string, UnitState>;
  incidents: Map<string, Incident>;
  alerts: Map<string, Alert>;
  events: DomainEvent[];
  /** Every unit state ever received, from snapshots and deltas (decoded, for packed clients). */
  upserts: UnitState[];
  removes: string[];
  snapshots: Snapshot[];
  resyncs: { epoch: string; sinceSeq: number }[];
}

type Who = 'admin' | 'east' | 'west' | 'leader' | 'staff';
/** Who sees a unit, from the unit's own fields: the rule the server must follow. */
const SEES: Record<Who, (unit: UnitState) => boolean> = {
  admin: () => true,
  east: (u) => u.gridId === 't-grid-1',
  west: (u) => u.gridId === 't-grid-2',
  leader: (u) => u.id === 't-civ-1' || u.segmentId === 't-seg-01',
  staff: (u) => u.gridId === 't-grid-1',
};
const WHO: Who[] = ['admin', 'east', 'west', 'leader', 'staff'];

let server: TestServer;
const tokens = {} as Record<Who, string>;
const clients = {} as Record<Who, { json: Client; packed: Client }>;
const started = performance.now();
const connected: Client[] = [];

async function connect(name: string, token: string, packed: boolean): Promise<Client> {
  const socket: LiveSocket = io(server.url, {
    auth: packed ? { token, packed: true } : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const client: Client = {
    name,
    packed,
    socket,
    stream: null as unknown as LiveStream,
    detach: () => undefined,
    cursor: { epoch: null, seq: 0, lastMessageAt: null },
    units: new Map(),
    incidents: new Map(),
    alerts: new Map(),
    events: [],
    upserts: [],
    removes: [],
    snapshots: [],
    resyncs: [],
  };
  client.stream = createLiveStream(
    {
      applySnapshot: (snapshot) => {
        client.snapshots.push(snapshot);
        client.units.clear();
        for (const u of snapshot.units) client.units.set(u.id, u);
        client.upserts.push(...snapshot.units);
        for (const i of snapshot.incidents) client.incidents.set(i.id, i);
        for (const a of snapshot.alerts) client.alerts.set(a.id, a);
      },
      applyDelta: (delta) => {
        for (const u of delta.units.upsert) client.units.set(u.id, u);
        for (const id of delta.units.remove) client.units.delete(id);
        client.upserts.push(...delta.units.upsert);
        client.removes.push(...delta.units.remove);
        for (const i of delta.incidents) client.incidents.set(i.id, i);
        for (const a of delta.alerts) client.alerts.set(a.id, a);
        client.events.push(...delta.events);
      },
      get: (id) => client.units.get(id),
    },
    client.cursor,
  );
  socket.onAnyOutgoing((event: string, request: { epoch: string; sinceSeq: number }) => {
    if (event === 'resync') client.resyncs.push(request);
  });
  client.detach = client.stream.attach(socket);
  connected.push(client);
  await until(() => client.snapshots.length > 0, `${name}${packed ? ' (packed)' : ''} snapshot`);
  return client;
}

async function report(deviceId: string, lon: number, lat: number, extra: Record<string, string> = {}) {
  const query = new URLSearchParams({
    id: deviceId,
    lon: String(lon),
    lat: String(lat),
    timestamp: String(Date.now()),
    speed: '1.5',
    bearing: '90',
    accuracy: '5',
    ...extra,
  });
  const response = await fetch(`http://127.0.0.1:${server.app.ports().osmand}/?${query.toString()}`);
  return response.status;
}

const ids = (client: Client): string[] => [...client.units.keys()].sort();
const every = (): Client[] =>
  WHO.flatMap((who) => (clients[who] ? [clients[who].json, clients[who].packed] : []));

/** Grids with a parent, and the two communities above them. */
async function importHierarchy(adminToken: string): Promise<void> {
  const square = (lon: number) => ({
    type: 'Polygon',
    coordinates: [
      [
        [lon, 21.98],
        [lon + 0.02, 21.98],
        [lon + 0.02, 22],
        [lon, 22],
        [lon, 21.98],
      ],
    ],
  });
  const area = (id: string, lon: number) => ({
    type: 'Feature',
    id,
    properties: { id, name: id, nameEn: id, level: 'community', parentId: null },
    geometry: square(lon),
  });
  const areas = { type: 'FeatureCollection', features: [area('c-east', 106.7), area('c-west', 106.72)] };
  const put = await server.request('PUT', '/api/layers/areas', { token: adminToken, body: areas });
  expect(put.status).toBe(200);
  const grids = (await server.request('GET', '/api/layers/grids', { token: adminToken })).body as {
    features: { id: string; properties: Record<string, unknown> }[];
  };
  for (const grid of grids.features) grid.properties.parentId = grid.id === 't-grid-1' ? 'c-east' : 'c-west';
  const putGrids = await server.request('PUT', '/api/layers/grids', { token: adminToken, body: grids });
  expect(putGrids.status).toBe(200);
}

async function addOperator(username: string, areaId: string): Promise<string> {
  await server.store.users.create({
    id: `u-${username}`,
    username,
    role: 'operator',
    unitId: null,
    segmentIds: [],
    areaId,
    staffId: null,
    passwordHash: await hashPassword(DEMO_PASSWORD),
    createdAt: Date.now(),
  });
  return (await server.login(username)).token;
}

beforeAll(async () => {
  server = await startTestServer();
  tokens.admin = (await server.login('admin')).token;
  tokens.leader = (await server.login('leader')).token;
  tokens.staff = (await server.login('staff')).token;
  tokens.east = await addOperator('op-east', 'c-east');
  tokens.west = await addOperator('op-west', 'c-west');
});
afterAll(async () => {
  for (const client of connected) client.socket.disconnect();
  await server.close();
  console.log(`whole file: ${(performance.now() - started).toFixed(0)} ms`);
});

describe('rooms by scope', () => {
  it('gives each scope exactly its units, and re-scopes a connected operator after a layer import', async () => {
    // Phase 1 positions: two units in grid 1 (one on segment 1), three in grid 2 (one of them the leader's).
    const fixes: [string, number, number][] = [
      ['dev-t-mil-1', 106.705, 21.981],
      ['dev-t-pol-1', 106.71, 21.995],
      ['dev-t-civ-1', 106.735, 21.995],
      ['dev-t-civ-2', 106.73, 21.981],
      ['dev-t-pol-2', 106.725, 21.995],
    ];
    for (const [device, lon, lat] of fixes) expect(await report(device, lon, lat)).toBe(200);
    await until(() => server.app.live.units().length === 5, 'five units live');
    expect(server.app.live.unit('t-mil-1')).toMatchObject({ gridId: 't-grid-1', segmentId: 't-seg-01' });

    // op-east connects while c-east is still unknown to the hierarchy: an empty scope.
    const early = await connect('east', tokens.east, false);
    expect(early.snapshots[0]?.units).toEqual([]);
    await importHierarchy(tokens.admin);
    await until(() => ids(early).join() === 't-mil-1,t-pol-1', 'east re-scoped after the import');

    clients.east = { json: early, packed: await connect('east', tokens.east, true) };
    for (const who of WHO.filter((w) => w !== 'east')) {
      clients[who] = {
        json: await connect(who, tokens[who], false),
        packed: await connect(who, tokens[who], true),
      };
    }
    for (const who of WHO) expect(isPackedSnapshot(clients[who].packed.snapshots[0] as Snapshot)).toBe(true);

    const expected: Record<Who, string> = {
      admin: 't-civ-1,t-civ-2,t-mil-1,t-pol-1,t-pol-2',
      east: 't-mil-1,t-pol-1',
      west: 't-civ-1,t-civ-2,t-pol-2',
      leader: 't-civ-1,t-mil-1',
      staff: 't-mil-1,t-pol-1',
    };
    for (const who of WHO) {
      expect(ids(clients[who].json), who).toEqual(expected[who].split(','));
      expect(ids(clients[who].packed), `${who} packed`).toEqual(expected[who].split(','));
    }

    // Everyone moves once more: the packed twins now get 16-byte records, and still only their scope.
    const t = Date.now();
    for (const [device, lon, lat] of fixes) expect(await report(device, lon + 0.0001, lat)).toBe(200);
    await until(
      () => every().every((c) => [...c.units.values()].every((u) => u.t >= t)),
      'the second round on every client',
    );
    for (const who of WHO) expect(ids(clients[who].packed)).toEqual(expected[who].split(','));
  });

  it('takes a unit back from the scope it leaves, and gives it to the one it enters', async () => {
    const { leader, east, west, staff } = clients;
    // t-mil-1 walks off segment 1 (still in grid 1); t-pol-1 crosses from grid 1 into grid 2.
    expect(await report('dev-t-mil-1', 106.706, 21.995)).toBe(200);
    expect(await report('dev-t-pol-1', 106.73, 21.99)).toBe(200);
    await until(
      () =>
        [leader.json, leader.packed].every((c) => !c.units.has('t-mil-1')) &&
        [east.json, east.packed, staff.json, staff.packed].every((c) => !c.units.has('t-pol-1')) &&
        [west.json, west.packed].every((c) => c.units.get('t-pol-1')?.gridId === 't-grid-2'),
      'the moves on every scope',
    );
    for (const c of [leader.json, leader.packed]) expect(c.removes).toContain('t-mil-1');
    for (const c of [east.json, east.packed, staff.json, staff.packed])
      expect(c.removes).toContain('t-pol-1');
    expect(east.json.units.get('t-mil-1')).toMatchObject({ lon: 106.706, lat: 21.995, segmentId: null });
    expect(ids(leader.json)).toEqual(['t-civ-1']);
    expect(ids(west.packed)).toEqual(['t-civ-1', 't-civ-2', 't-pol-1', 't-pol-2']);
    expect(ids(clients.admin.packed)).toHaveLength(5);
  });

  it('routes incidents, alerts and events by scope', async () => {
    const post = (summary: string, lon: number, lat: number) =>
      server.request('POST', '/api/incidents', {
        token: tokens.admin,
        body: { category: 'dispute', summary, source: 'hotline', lon, lat },
      });
    const inEast = await post('东区纠纷', 106.705, 21.99);
    const inWest = await post('西区纠纷', 106.735, 21.99);
    expect([inEast.status, inWest.status]).toEqual([201, 201]);
    // op-east takes a call about grid 2: the area's shared room does not carry it, the REST list does.
    const byEast = await server.request('POST', '/api/incidents', {
      token: tokens.east,
      body: { category: 'other', summary: '东区接报西区', source: 'hotline', lon: 106.736, lat: 21.99 },
    });
    expect(byEast.status).toBe(201);
    const eastList = await server.request('GET', '/api/incidents', { token: tokens.east });
    expect(eastList.body.items.map((i: Incident) => i.id)).toContain(byEast.body.id);
    expect([inEast.body.gridId, inWest.body.gridId]).toEqual(['t-grid-1', 't-grid-2']);
    // The leader files an anomaly on segment 1, in grid 1's border zone: an incident and an alert.
    const filed = await clients.leader.json.socket.emitWithAck('report', {
      segmentId: 't-seg-01',
      status: 'anomaly',
      anomalyType: 'suspicious',
      lon: 106.705,
      lat: 21.9805,
    });
    expect(filed).toMatchObject({ ok: true, incidentId: expect.any(String) });
    const fromReport = String(filed.ok && filed.incidentId);
    // An SOS from t-pol-2 in grid 2, and a fix from a device nobody registered.
    expect(await report('dev-t-pol-2', 106.7255, 21.995, { alarm: 'sos' })).toBe(200);
    expect(await report('dev-nobody', 106.705, 21.99)).toBe(400);

    const seen: Record<Who, string[]> = {
      admin: [inEast.body.id, inWest.body.id, byEast.body.id, fromReport],
      east: [inEast.body.id, fromReport],
      west: [inWest.body.id, byEast.body.id],
      leader: [fromReport],
      staff: [inEast.body.id, fromReport],
    };
    await until(
      () => WHO.every((who) => seen[who].every((id) => clients[who].packed.incidents.has(id))),
      'incidents on every scope',
    );
    const alertTypes = (c: Client) => [...c.alerts.values()].map((a) => a.type).sort();
    await until(
      () => alertTypes(clients.admin.json).join() === 'border.intrusion,sos',
      'both alerts on the admin',
    );
    await until(() => clients.admin.json.events.some((e) => e.type === 'device.unknown'), 'device.unknown');
    // One more move seen by the admin, the west operator and the leader: what came before has arrived.
    expect(await report('dev-t-civ-1', 106.7351, 21.995)).toBe(200);
    await until(
      () =>
        [clients.admin, clients.west, clients.leader].every(
          ({ json, packed }) =>
            json.units.get('t-civ-1')?.lon === 106.7351 && packed.units.get('t-civ-1')?.lon === 106.7351,
        ),
      'a last move',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    for (const who of WHO) {
      for (const client of [clients[who].json, clients[who].packed]) {
        expect([...client.incidents.keys()].sort(), `${who} incidents`).toEqual([...seen[who]].sort());
      }
    }
    const alerts: Record<Who, string> = {
      admin: 'border.intrusion,sos',
      east: 'border.intrusion',
      west: 'sos',
      leader: 'border.intrusion',
      staff: 'border.intrusion',
    };
    for (const who of WHO) {
      expect(alertTypes(clients[who].json), `${who} alerts`).toEqual(alerts[who].split(','));
      expect(alertTypes(clients[who].packed), `${who} packed alerts`).toEqual(alerts[who].split(','));
    }
    const eventTypes = (c: Client) => new Set(c.events.map((e) => e.type));
    expect(eventTypes(clients.admin.json).has('device.unknown')).toBe(true);
    expect(eventTypes(clients.west.json).has('sos')).toBe(true);
    for (const who of ['east', 'west', 'leader', 'staff'] as const)
      expect(eventTypes(clients[who].json).has('device.unknown'), who).toBe(false);
    for (const who of ['east', 'leader', 'staff'] as const)
      expect(eventTypes(clients[who].packed).has('sos'), who).toBe(false);
  });

  it('never gave any client a unit outside its scope, and no stream had a gap', () => {
    for (const who of WHO) {
      for (const client of [clients[who].json, clients[who].packed]) {
        const strays = client.upserts.filter((unit) => !SEES[who](unit)).map((u) => `${u.id}@${u.gridId}`);
        expect(strays, `${who}${client.packed ? ' packed' : ''}`).toEqual([]);
        expect(client.upserts.length).toBeGreaterThan(0);
        expect(client.resyncs, `${who} resyncs`).toEqual([]);
      }
    }
  });

  it('resyncs from the scope’s own log, and falls back to a snapshot of the scope', async () => {
    for (const who of WHO) {
      const { socket, snapshots, cursor } = clients[who].json;
      const first = snapshots[0] as Snapshot;
      const answer = await socket.emitWithAck('resync', { epoch: first.epoch, sinceSeq: first.seq });
      if (!answer.ok || !('deltas' in answer)) throw new Error(`${who}: expected deltas`);
      expect(answer.deltas.map((d) => d.seq)).toEqual(answer.deltas.map((_, i) => first.seq + 1 + i));
      expect(answer.deltas.at(-1)?.seq).toBe(cursor.seq);
      const units = answer.deltas.flatMap((d: Delta) => d.units.upsert);
      expect(units.length).toBeGreaterThan(0);
      expect(
        units.filter((u) => !SEES[who](u)).map((u) => u.id),
        who,
      ).toEqual([]);
      const fresh = await socket.emitWithAck('resync', { epoch: 'gone', sinceSeq: 1 });
      if (!fresh.ok || !('snapshot' in fresh)) throw new Error(`${who}: expected a snapshot`);
      expect(fresh.snapshot.units.map((u) => u.id).sort(), who).toEqual(ids(clients[who].json));
    }
    const leaderUnits = (
      (await clients.leader.json.socket.emitWithAck('resync', { epoch: 'gone', sinceSeq: 0 })) as {
        snapshot: Snapshot;
      }
    ).snapshot.units.map((u) => u.id);
    expect(leaderUnits).toEqual(['t-civ-1']);
  });

  it('resyncs a packed leader over a gap without a snapshot, and takes back what left meanwhile', async () => {
    const { packed } = clients.leader;
    packed.detach();
    const stopped = packed.cursor.seq;
    // While it is away: t-mil-1 comes back onto segment 1, then leaves it again; t-civ-1 moves.
    expect(await report('dev-t-mil-1', 106.707, 21.981)).toBe(200);
    await until(() => clients.leader.json.units.has('t-mil-1'), 't-mil-1 back on the leader (JSON)');
    expect(await report('dev-t-civ-2', 106.731, 21.981)).toBe(200);
    expect(await report('dev-t-mil-1', 106.708, 21.996)).toBe(200);
    await until(() => !clients.leader.json.units.has('t-mil-1'), 't-mil-1 gone again (JSON)');
    packed.stream.attach(packed.socket);
    expect(await report('dev-t-civ-1', 106.7352, 21.995)).toBe(200);
    await until(
      () =>
        packed.cursor.seq === clients.leader.json.cursor.seq && packed.units.get('t-civ-1')?.lon === 106.7352,
      'the packed leader caught up',
    );
    expect(packed.resyncs).toEqual([{ epoch: packed.cursor.epoch, sinceSeq: stopped }]);
    expect(packed.snapshots).toHaveLength(1);
    expect(ids(packed)).toEqual(['t-civ-1']);
    expect(packed.upserts.filter((u) => !SEES.leader(u))).toEqual([]);
  });

  it('sends each delta to one room per scope and encoding, shared by the sockets of that scope', async () => {
    const second = await connect('east', tokens.east, false);
    const colleague = await connect('east-2', await addOperator('op-east-2', 'c-east'), false);
    expect(ids(colleague)).toEqual(ids(clients.east.json));
    const adapter = server.app.io.of('/').adapter;
    const broadcast = adapter.broadcast.bind(adapter);
    const sent: { event: string; rooms: string[]; sockets: number }[] = [];
    adapter.broadcast = (packet, opts) => {
      const event = (packet as { data?: unknown[] }).data?.[0];
      if (event === 'delta' || event === 'delta:packed') {
        const rooms = [...opts.rooms];
        const sockets = rooms.reduce((n, room) => n + (adapter.rooms.get(room)?.size ?? 0), 0);
        sent.push({ event: String(event), rooms, sockets });
      }
      broadcast(packet, opts);
    };
    try {
      expect(await report('dev-t-mil-1', 106.7085, 21.996)).toBe(200);
      await until(() => second.units.get('t-mil-1')?.lon === 106.7085, 'the move on the second east socket');
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      adapter.broadcast = broadcast;
    }
    // Every emit named exactly one room, never a socket id.
    const socketIds = new Set([...server.app.io.of('/').sockets.keys()]);
    expect(sent.length).toBeGreaterThan(0);
    for (const { rooms } of sent) {
      expect(rooms).toHaveLength(1);
      expect(socketIds.has(rooms[0] as string)).toBe(false);
    }
    // op-east's two sockets and op-east-2's share the area's one room.
    expect(sent.filter((s) => s.rooms[0] === 'area:c-east')).toEqual([
      { event: 'delta', rooms: ['area:c-east'], sockets: 3 },
    ]);
    expect(sent.filter((s) => s.rooms[0] === 'area:c-east:packed')).toHaveLength(1);
    expect(sent.some((s) => s.rooms[0] === 'all')).toBe(true);
    // The move concerned grid 1 only: west's and the leader's rooms had nothing to send.
    expect(sent.some((s) => s.rooms[0]?.startsWith('area:c-west'))).toBe(false);
    expect(sent.some((s) => s.rooms[0]?.startsWith('leader:'))).toBe(false);
  });
});
