// A packed snapshot in parts on a real server (Socket.io on port 0, real SQLite): with a few thousand units a
// packed client gets `snapshot` and then every `snapshot:continued` part in order, all before the first delta,
// and the web client's unit store holds every unit; a JSON client still gets the one `snapshot` of
// DESIGN.md; a resync that falls back to a snapshot answers with the first part and sends the rest after it.
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  PackedSnapshot,
  ResyncResult,
  Snapshot,
  SnapshotContinued,
  UnitIndexEntry,
} from '../../server/contract';
import { SNAPSHOT_PART_UNITS } from '../../server/realtime/packed-snapshot';
import { createLiveStream, type LiveSocket, type StreamCursor } from '../../client/lib/net/packed-stream';
import { isPackedSnapshot } from '../../client/lib/net/packed-decoder';
import { UnitStream } from '../../client/lib/state/unit-stream';
import { startTestServer, type TestServer } from '../support/server';
import { until } from '../support/until';

/** Enough for three messages: the snapshot and two parts. */
const UNITS = 2 * SNAPSHOT_PART_UNITS + 500;

interface Heard {
  event: string;
  payload: unknown;
}

let server: TestServer;
let token: string;
const sockets: LiveSocket[] = [];

/** A socket and every event it heard, in arrival order. */
function listen(packed: boolean): { socket: LiveSocket; heard: Heard[] } {
  const socket: LiveSocket = io(server.url, {
    auth: packed ? { token, packed: true } : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  const heard: Heard[] = [];
  socket.onAny((event: string, payload: unknown) => heard.push({ event, payload }));
  return { socket, heard };
}

/** Moves one fixture unit: the next flush publishes a delta. */
async function moveOne(t: number): Promise<void> {
  const result = await server.app.ingest.submit({
    unitId: 't-mil-1',
    source: 'tablet',
    lon: 106.71 + (t % 1000) * 1e-6,
    lat: 21.98,
    t,
    accuracyMeters: 5,
    headingDeg: 90,
    speedMps: 1,
  });
  expect(result.ok).toBe(true);
}

const ids = (units: { id: string }[]): string[] => units.map((u) => u.id).sort();

beforeAll(async () => {
  server = await startTestServer();
  token = (await server.login('operator')).token;
  const createdAt = Date.now();
  const records = Array.from({ length: UNITS }, (_, i) => ({
    id: `ps-${i}`,
    kind: (['military', 'police', 'civilian'] as const)[i % 3] ?? 'police',
    callsign: `PS-${i}`,
    deviceId: `dev-ps-${i}`,
    createdAt,
  }));
  await server.store.units.createMany(records);
  for (const record of records) server.app.registry.set(record);
  // A JSON listener from the start: once it holds every unit, the packed stream has published them too.
  const watcher = listen(false);
  const seen = new Set<string>();
  watcher.socket.on('delta', (delta) => {
    for (const unit of delta.units.upsert) seen.add(unit.id);
  });
  await until(() => watcher.heard.some((h) => h.event === 'snapshot'), 'the watcher’s snapshot', 20_000);
  const t = Date.now() - 10_000;
  const results = await Promise.all(
    records.map((record, i) =>
      server.app.ingest.submit({
        unitId: record.id,
        source: 'tablet',
        lon: 106.6 + (i % 100) * 0.003,
        lat: 21.9 + Math.floor(i / 100) * 0.003,
        t,
        accuracyMeters: 5,
        headingDeg: (i * 7) % 360,
        speedMps: 1.5,
      }),
    ),
  );
  expect(results.every((r) => r.ok)).toBe(true);
  await until(() => records.every((r) => seen.has(r.id)), `${UNITS} units published`, 20_000);
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await server.close();
});

describe('packed snapshot in parts', () => {
  it('gives a packed client every unit, part by part in order, before the first delta', async () => {
    const { socket, heard } = listen(true);
    // The web client's own stream and unit store on the same socket.
    const store = new UnitStream();
    const cursor: StreamCursor = { epoch: null, seq: 0, lastMessageAt: null };
    const resyncs: unknown[] = [];
    socket.onAnyOutgoing((event: string, request: unknown) => {
      if (event === 'resync') resyncs.push(request);
    });
    let heldWhenFirstDelta = -1;
    socket.on('delta:packed', () => {
      if (heldWhenFirstDelta < 0) heldWhenFirstDelta = store.table.size;
    });
    createLiveStream(
      {
        applySnapshot: (snapshot) => store.applySnapshot(snapshot),
        applyDelta: (delta) => store.applyDelta(delta),
        get: (id) => store.get(id),
        applyPacked: (packed, index) => store.applyPacked(packed, index),
      },
      cursor,
    ).attach(socket);
    await until(() => heard.some((h) => h.event === 'snapshot'), 'the packed snapshot', 20_000);
    const t = Date.now() - 1_000;
    await moveOne(t);
    await until(() => heard.some((h) => h.event === 'delta:packed'), 'the first packed delta', 20_000);

    const first = heard[0]?.payload as Snapshot;
    expect(heard[0]?.event).toBe('snapshot');
    if (!isPackedSnapshot(first)) throw new Error('expected a packed snapshot');
    const parts = first.parts ?? 0;
    expect(parts).toBeGreaterThanOrEqual(2);
    expect(first.units.length).toBe(SNAPSHOT_PART_UNITS);
    // Then exactly the parts, numbered 1…parts, then the delta that follows the snapshot.
    const continued = heard.slice(1, 1 + parts);
    expect(continued.map((h) => h.event)).toEqual(Array(parts).fill('snapshot:continued'));
    const payloads = continued.map((h) => h.payload as SnapshotContinued);
    expect(payloads.map((p) => [p.epoch, p.seq, p.part, p.parts])).toEqual(
      payloads.map((_, i) => [first.epoch, first.seq, i + 1, parts]),
    );
    for (const p of payloads) expect(p.units.length).toBeLessThanOrEqual(SNAPSHOT_PART_UNITS);
    expect(heard[1 + parts]?.event).toBe('delta:packed');
    expect((heard[1 + parts]?.payload as { seq: number }).seq).toBe(first.seq + 1);

    // Every unit exactly once across the parts, and every index.
    const units = [...first.units, ...payloads.flatMap((p) => p.units)];
    const index: UnitIndexEntry[] = [...first.unitIndex, ...payloads.flatMap((p) => p.unitIndex)];
    expect(new Set(units.map((u) => u.id)).size).toBe(units.length);
    expect(units.length).toBeGreaterThanOrEqual(UNITS);
    expect(index.map(([i]) => i)).toEqual(index.map((_, i) => i));
    const indexed = new Set(index.map(([, id]) => id));
    for (const unit of units) expect(indexed.has(unit.id)).toBe(true);

    // The store held all of them when the first delta came, applied it, and asked for nothing.
    expect(heldWhenFirstDelta).toBe(units.length);
    await until(() => store.get('t-mil-1')?.t === t, 'the moved unit in the store', 20_000);
    for (const unit of units) expect(store.table.has(unit.id)).toBe(true);
    // A unit of the last part is held with its full state.
    const late = payloads.at(-1)?.units.at(-1);
    if (!late) throw new Error('expected units in the last part');
    expect(store.get(late.id)).toMatchObject({
      callsign: late.callsign,
      kind: late.kind,
      gridId: late.gridId,
    });
    expect(cursor.seq).toBe(first.seq + 1);
    expect(resyncs).toEqual([]);
  });

  it('still gives a JSON client the whole snapshot as one message', async () => {
    const { heard } = listen(false);
    await until(() => heard.some((h) => h.event === 'snapshot'), 'the JSON snapshot', 20_000);
    await moveOne(Date.now() - 500);
    await until(() => heard.some((h) => h.event === 'delta'), 'the first JSON delta', 20_000);
    const snapshot = heard[0]?.payload as Snapshot & { parts?: number };
    expect(heard[0]?.event).toBe('snapshot');
    expect(isPackedSnapshot(snapshot)).toBe(false);
    expect(snapshot.parts).toBeUndefined();
    expect(snapshot.units.length).toBeGreaterThanOrEqual(UNITS);
    expect(ids(snapshot.units)).toEqual(ids(server.app.live.units()));
    expect(heard.some((h) => h.event === 'snapshot:continued')).toBe(false);
    expect(heard[1]?.event).toBe('delta');
  });

  it('answers a packed resync it cannot replay with the first part, the rest following on the socket', async () => {
    const { socket, heard } = listen(true);
    await until(() => heard.some((h) => h.event === 'snapshot'), 'the packed snapshot', 20_000);
    const fromConnect = heard.length;
    const answered = new Promise<ResyncResult>((resolve) =>
      socket.emit('resync', { epoch: 'another-epoch', sinceSeq: 3 }, (result) => {
        heard.push({ event: 'ack', payload: result });
        resolve(result);
      }),
    );
    const result = await answered;
    if (!result.ok || !('snapshot' in result) || !isPackedSnapshot(result.snapshot))
      throw new Error('expected a packed snapshot');
    const snapshot: PackedSnapshot = result.snapshot;
    const parts = snapshot.parts ?? 0;
    expect(parts).toBeGreaterThanOrEqual(2);
    await until(() => heard.length >= fromConnect + 1 + parts, 'the resync’s parts', 20_000);
    const after = heard.slice(fromConnect);
    expect(after.map((h) => h.event)).toEqual(['ack', ...Array(parts).fill('snapshot:continued')]);
    const payloads = after.slice(1).map((h) => h.payload as SnapshotContinued);
    expect(payloads.map((p) => [p.seq, p.part])).toEqual(payloads.map((_, i) => [snapshot.seq, i + 1]));
    const units = [...snapshot.units, ...payloads.flatMap((p) => p.units)];
    expect(new Set(units.map((u) => u.id)).size).toBe(units.length);
    expect(units.length).toBeGreaterThanOrEqual(UNITS);
  });
});
