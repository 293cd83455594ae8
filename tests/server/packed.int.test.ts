// Packed deltas on a real server: a packed socket and a JSON socket fed by OsmAnd over real HTTP hold the same
// units; each gets only its own encoding; a packed client that misses deltas resyncs without a snapshot.
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackedDelta, Snapshot, UnitState } from '../../server/contract';
import {
  createLiveStream,
  type LiveSocket,
  type LiveStream,
  type StreamCursor,
} from '../../client/lib/net/packed-stream';
import { isPackedSnapshot } from '../../client/lib/net/packed-decoder';
import { startTestServer, type TestServer } from '../support/server';
import { until } from '../support/until';

const DEVICES = ['dev-t-mil-1', 'dev-t-pol-1', 'dev-t-civ-2', 'dev-t-pol-2'];

/** A client as the web app runs it: the real live stream over a plain Map store. */
interface Client {
  socket: LiveSocket;
  stream: LiveStream;
  detach: () => void;
  units: Map<string, UnitState>;
  cursor: StreamCursor;
  snapshots: Snapshot[];
  packedDeltas: PackedDelta[];
  jsonDeltas: number;
  jsonSeqs: number[];
  resyncs: { epoch: string; sinceSeq: number }[];
}

let server: TestServer;
let token: string;
const clients: Client[] = [];

async function connect(packed: boolean): Promise<Client> {
  const socket: LiveSocket = io(server.url, {
    auth: packed ? { token, packed: true } : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const units = new Map<string, UnitState>();
  const cursor: StreamCursor = { epoch: null, seq: 0, lastMessageAt: null };
  const stream = createLiveStream(
    {
      applySnapshot: (snapshot) => {
        units.clear();
        for (const u of snapshot.units) units.set(u.id, u);
      },
      applyDelta: (delta) => {
        for (const u of delta.units.upsert) units.set(u.id, u);
        for (const id of delta.units.remove) units.delete(id);
      },
      get: (id) => units.get(id),
    },
    cursor,
  );
  const client: Client = {
    socket,
    stream,
    detach: () => undefined,
    units,
    cursor,
    snapshots: [],
    packedDeltas: [],
    jsonDeltas: 0,
    jsonSeqs: [],
    resyncs: [],
  };
  socket.on('snapshot', (snapshot) => client.snapshots.push(snapshot));
  socket.on('delta:packed', (delta) => client.packedDeltas.push(delta));
  socket.on('delta', (delta) => {
    client.jsonDeltas++;
    client.jsonSeqs.push(delta.seq);
  });
  socket.onAnyOutgoing((event: string, request: { epoch: string; sinceSeq: number }) => {
    if (event === 'resync') client.resyncs.push(request);
  });
  client.detach = stream.attach(socket);
  clients.push(client);
  await until(() => client.snapshots.length > 0, 'the snapshot on connect');
  return client;
}

async function report(deviceId: string, lon: number, lat: number, t: number): Promise<void> {
  const query = new URLSearchParams({
    id: deviceId,
    lon: lon.toFixed(9),
    lat: lat.toFixed(9),
    timestamp: String(t),
    speed: '7.3',
    bearing: '123.4',
    accuracy: '4.2',
  });
  const response = await fetch(`http://127.0.0.1:${server.app.ports().osmand}/?${query.toString()}`);
  expect(response.status).toBe(200);
}

/** Both stores hold the unit at fix time t, with the same state to the packed precision. */
function expectSameUnit(packed: Client, json: Client, id: string, t: number): void {
  const p = packed.units.get(id);
  const j = json.units.get(id);
  expect(j?.t).toBe(t);
  expect(p?.t).toBe(t);
  if (!p || !j) return;
  const { lon, lat, headingDeg, speedMps, accuracyMeters, ...exact } = j;
  expect(p).toMatchObject(exact);
  expect(Math.abs(p.lon - lon)).toBeLessThan(1e-7);
  expect(Math.abs(p.lat - lat)).toBeLessThan(1e-7);
  expect(Math.abs((p.headingDeg ?? NaN) - (headingDeg ?? NaN))).toBeLessThanOrEqual(0.75);
  expect(Math.abs((p.speedMps ?? NaN) - (speedMps ?? NaN))).toBeLessThanOrEqual(0.125);
  expect(Math.abs((p.accuracyMeters ?? NaN) - (accuracyMeters ?? NaN))).toBeLessThanOrEqual(0.5);
}

const records = (client: Client): number =>
  client.packedDeltas.reduce((sum, d) => sum + d.positions.byteLength / 16, 0);

beforeAll(async () => {
  server = await startTestServer();
  token = (await server.login('operator')).token;
});
afterAll(async () => {
  for (const client of clients) client.socket.disconnect();
  await server.close();
});

describe('packed deltas', () => {
  it('gives a packed and a JSON client the same positions, each in its own encoding', async () => {
    const json = await connect(false);
    const packed = await connect(true);
    expect(isPackedSnapshot(packed.snapshots[0] as Snapshot)).toBe(true);
    expect(isPackedSnapshot(json.snapshots[0] as Snapshot)).toBe(false);

    const t0 = Date.now() - 10_000;
    for (let round = 0; round < 5; round++) {
      const t = t0 + round * 1_000;
      await Promise.all(
        DEVICES.map((device, i) => report(device, 106.7 + i * 0.003 + round * 1e-5, 21.99 - round * 7e-6, t)),
      );
      const ids = ['t-mil-1', 't-pol-1', 't-civ-2', 't-pol-2'];
      await until(
        () => ids.every((id) => json.units.get(id)?.t === t && packed.units.get(id)?.t === t),
        `round ${round} on both clients`,
      );
      for (const id of ids) expectSameUnit(packed, json, id, t);
    }
    expect(packed.cursor.seq).toBe(json.cursor.seq);
    // After each unit's first sight, positions travelled as 16-byte records, not as meta.
    expect(records(packed)).toBeGreaterThanOrEqual(4 * 4);
    expect(packed.jsonDeltas).toBe(0);
    expect(json.packedDeltas).toHaveLength(0);
    expect(packed.resyncs).toEqual([]);
  });

  it('gives a packed client that joins late the published units and their indexes', async () => {
    const packed = await connect(true);
    const snapshot = packed.snapshots[0];
    if (!snapshot || !isPackedSnapshot(snapshot)) throw new Error('expected a packed snapshot');
    const indexed = new Set(snapshot.unitIndex.map(([, id]) => id));
    for (const u of snapshot.units) expect(indexed.has(u.id)).toBe(true);
    expect(snapshot.units.length).toBeGreaterThanOrEqual(4);

    const answer = await packed.socket.emitWithAck('resync', { epoch: 'another-epoch', sinceSeq: 1 });
    expect(answer.ok && 'snapshot' in answer && isPackedSnapshot(answer.snapshot)).toBe(true);
  });

  it('sends snapshots to rooms, one per batch of sockets, each followed by the next delta', async () => {
    const adapter = server.app.io.of('/').adapter;
    const broadcast = adapter.broadcast.bind(adapter);
    const snapshots: number[] = [];
    adapter.broadcast = (packet, opts) => {
      if ((packet as { data?: unknown[] }).data?.[0] === 'snapshot') snapshots.push(opts.rooms.size);
      broadcast(packet, opts);
    };
    try {
      const joined = await Promise.all(Array.from({ length: 8 }, (_, i) => connect(i % 2 === 0)));
      // Every socket got its snapshot through a room broadcast, and fewer encodings than sockets.
      expect(snapshots.reduce((sum, n) => sum + n, 0)).toBe(8);
      expect(snapshots.length).toBeLessThan(8);
      await report('dev-t-pol-2', 106.73, 21.97, Date.now() - 1_000);
      await until(
        () => joined.every((c) => c.packedDeltas.length + c.jsonDeltas > 0),
        'a delta on every new socket',
      );
      for (const client of joined) {
        const first = client.packedDeltas[0]?.seq ?? client.jsonSeqs[0];
        expect(first).toBe((client.snapshots[0]?.seq ?? NaN) + 1);
        expect(client.resyncs).toEqual([]);
      }
    } finally {
      adapter.broadcast = broadcast;
    }
  });

  it('resyncs a packed client over a gap, indexes included, without a snapshot', async () => {
    const json = await connect(false);
    const packed = await connect(true);
    const admin = await server.login('admin');
    const created = await server.request('POST', '/api/units', {
      token: admin.token,
      body: { id: 'pk-new', kind: 'military', callsign: 'PK-NEW', deviceId: 'dev-pk-new' },
    });
    expect(created.status).toBe(201);

    // The packed client misses every delta while pk-new first appears (and gets its index).
    packed.detach();
    const stopped = packed.cursor.seq;
    const t = Date.now() - 5_000;
    await report('dev-pk-new', 106.71, 21.985, t);
    await report('dev-t-mil-1', 106.72, 21.98, t);
    await until(() => json.units.get('pk-new')?.t === t, 'pk-new on the JSON client');
    expect(packed.units.has('pk-new')).toBe(false);
    packed.stream.attach(packed.socket);

    // The next delta shows the gap; the resync replays JSON deltas plus the indexes assigned in them.
    await report('dev-pk-new', 106.7105, 21.9855, t + 1_000);
    await until(() => packed.units.get('pk-new')?.t === t + 1_000, 'pk-new on the packed client');
    expect(packed.resyncs[0]).toEqual({ epoch: packed.cursor.epoch, sinceSeq: stopped });

    // From then on pk-new moves as a record the client can place.
    const before = records(packed);
    await report('dev-pk-new', 106.711, 21.986, t + 2_000);
    await until(
      () => json.units.get('pk-new')?.t === t + 2_000 && packed.units.get('pk-new')?.t === t + 2_000,
      'the next move on both clients',
    );
    expect(records(packed)).toBeGreaterThan(before);
    expectSameUnit(packed, json, 'pk-new', t + 2_000);
    expectSameUnit(packed, json, 't-mil-1', t);
    expect(packed.snapshots).toHaveLength(1); // no fresh snapshot was needed
    expect(packed.resyncs.every((r) => r.epoch !== '')).toBe(true);
  });
});
