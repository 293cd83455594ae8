// A packed snapshot in parts: the server's splitter keeps every unit and index once, in order; the live stream
// applies the parts into the unit store as they come, places records of units from the last part, and asks
// for a fresh snapshot when a part is missing or a delta comes before the last part.
import { describe, expect, it } from 'vitest';
import { createLiveStream } from '../../client/lib/net/packed-stream';
import { UnitStream } from '../../client/lib/state/unit-stream';
import type { PackedSnapshot, UnitState } from '../../server/contract';
import { createPackedEncoder } from '../../server/realtime/packed-encoder';
import { splitPackedSnapshot, type SnapshotParts } from '../../server/realtime/packed-snapshot';
import { fakeSocket, streamStore } from './support/live-socket';
import { T0, unitState, unitsDelta, unitsSnapshot } from './support/units';

/** Seven units published at seq 1, the packed snapshot cut into parts of 3: the snapshot and two parts. */
function setUp() {
  const encoder = createPackedEncoder();
  const units = Array.from({ length: 7 }, (_, i) => unitState(`u${i}`, { lon: 106 + i / 100 }));
  encoder.encode(unitsDelta(1, units));
  const whole = encoder.snapshot(unitsSnapshot(1));
  const parts = splitPackedSnapshot(whole, 3);
  const store = new UnitStream();
  const cursor = { epoch: null as string | null, seq: 0, lastMessageAt: null as number | null };
  const socket = fakeSocket();
  createLiveStream(streamStore(store), cursor).attach(socket.socket);
  /** u6 (in the last part) moves: a record only a client holding every part can place. */
  const next = encoder.encode(unitsDelta(2, [{ ...(units[6] as UnitState), lon: 107, t: T0 + 1000 }]));
  return { units, whole, parts, store, cursor, socket, next };
}

const send = (socket: ReturnType<typeof fakeSocket>, parts: SnapshotParts): void => {
  socket.emit('snapshot', parts.first);
  for (const part of parts.rest) socket.emit('snapshot:continued', part);
};

describe('splitPackedSnapshot', () => {
  it('cuts units and indexes into parts in order and leaves a small snapshot whole', () => {
    const { whole, parts } = setUp();
    expect(parts.first.units.map((u) => u.id)).toEqual(['u0', 'u1', 'u2']);
    expect(parts.first.parts).toBe(2);
    expect(parts.first.incidents).toBe(whole.incidents);
    expect(parts.rest.map((p) => [p.epoch, p.seq, p.part, p.parts])).toEqual([
      ['E', 1, 1, 2],
      ['E', 1, 2, 2],
    ]);
    const all = [parts.first, ...parts.rest];
    expect(all.flatMap((p) => p.units)).toEqual(whole.units);
    expect(all.flatMap((p) => p.unitIndex)).toEqual(whole.unitIndex);
    expect(splitPackedSnapshot(whole, 7)).toEqual({ first: whole, rest: [] });
    const empty: PackedSnapshot = { ...whole, units: [], unitIndex: [] };
    expect(splitPackedSnapshot(empty, 3)).toEqual({ first: empty, rest: [] });
  });
});

describe('the live stream and a snapshot in parts', () => {
  it('applies every part, then a record of a unit from the last part', () => {
    const { units, parts, store, cursor, socket, next } = setUp();
    socket.emit('snapshot', parts.first);
    expect(store.table.size).toBe(3);
    for (const part of parts.rest) socket.emit('snapshot:continued', part);
    expect(store.table.size).toBe(7);
    for (const unit of units) expect(store.get(unit.id)).toEqual(unit);
    socket.emit('delta:packed', next);
    expect(store.get('u6')).toMatchObject({ lon: 107, t: T0 + 1000 });
    expect(cursor.seq).toBe(2);
    expect(socket.resyncs).toEqual([]);
  });

  it('asks for a fresh snapshot when a delta comes before the last part, and drops the delta', () => {
    const { parts, store, cursor, socket, next } = setUp();
    socket.emit('snapshot', parts.first);
    socket.emit('snapshot:continued', parts.rest[0]);
    socket.emit('delta:packed', next);
    expect(socket.resyncs).toEqual([{ epoch: '', sinceSeq: 0 }]);
    expect(cursor.seq).toBe(1);
    expect(store.get('u6')).toBeUndefined();
    // A straggler of the abandoned snapshot changes nothing.
    socket.emit('snapshot:continued', parts.rest[1]);
    expect(store.get('u6')).toBeUndefined();

    // The resync answers with the first part; the rest follow, then the stream goes on.
    socket.answers[0]?.(null, { ok: true, snapshot: parts.first });
    for (const part of parts.rest) socket.emit('snapshot:continued', part);
    expect(store.table.size).toBe(7);
    socket.emit('delta:packed', next);
    expect(store.get('u6')).toMatchObject({ lon: 107 });
    expect(cursor.seq).toBe(2);
    expect(socket.resyncs).toHaveLength(1);
  });

  it('asks for a fresh snapshot when a part is missing', () => {
    const { parts, socket } = setUp();
    socket.emit('snapshot', parts.first);
    socket.emit('snapshot:continued', parts.rest[1]);
    expect(socket.resyncs).toEqual([{ epoch: '', sinceSeq: 0 }]);
  });

  it('takes a part only for the snapshot it belongs to', () => {
    const { parts, store, socket } = setUp();
    socket.emit('snapshot', parts.first);
    socket.emit('snapshot:continued', { ...parts.rest[0], seq: 9 });
    expect(socket.resyncs).toEqual([{ epoch: '', sinceSeq: 0 }]);
    expect(store.table.size).toBe(3);
    // A whole snapshot after it needs no parts.
    const again = setUp();
    send(again.socket, again.parts);
    expect(again.store.table.size).toBe(7);
  });
});
