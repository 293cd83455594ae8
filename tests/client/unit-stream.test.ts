// The unit columns and the packed fast path: records read in place give the same units as the decoder's
// UnitState path, through the real live stream (lib/net) fed by the server's packed encoder.
import { describe, expect, it } from 'vitest';
import { createLiveStream, type StreamStore } from '../../client/lib/net/packed-stream';
import { UnitTable, LIVE, STALE } from '../../client/lib/state/unit-table';
import { UnitStream, summarize } from '../../client/lib/state/unit-stream';
import type { PackedDelta, Snapshot, UnitState } from '../../server/contract';
import { createPackedEncoder } from '../../server/realtime/packed-encoder';
import { fakeSocket, streamStore } from './support/live-socket';
import { T0, random, unitState, unitsDelta, unitsSnapshot } from './support/units';

describe('UnitTable', () => {
  it('holds units in slots, reuses freed slots and marks what changed after a version', () => {
    const table = new UnitTable();
    table.begin();
    table.upsert(unitState('a', { lon: 1 }));
    table.upsert(
      unitState('b', { lon: 2, stale: true, headingDeg: 87.3, speedMps: 1.37, accuracyMeters: 4.6 }),
    );
    const v1 = table.version;
    expect(table.size).toBe(2);
    expect(table.get('b')).toEqual(
      unitState('b', { lon: 2, stale: true, headingDeg: 87.3, speedMps: 1.37, accuracyMeters: 4.6 }),
    );
    expect((table.flags[table.slot('b') as number] as number) & STALE).toBe(STALE);

    table.begin();
    table.setPosition(table.slot('a') as number, { ...unitState('a'), lon: 5, headingDeg: null });
    table.remove('b');
    expect(table.get('a')).toMatchObject({ lon: 5, headingDeg: null });
    expect(table.get('b')).toBeUndefined();
    const changed = [0, 1].filter((slot) => table.changedAt(slot) > v1);
    expect(changed).toEqual([0, 1]);
    expect(table.flags[1]).toBe(0);

    table.begin();
    table.upsert(unitState('c'));
    expect(table.slot('c')).toBe(1);
    expect(table.highWater).toBe(2);
  });

  it('grows past its initial capacity and keeps every column', () => {
    const table = new UnitTable();
    table.begin();
    for (let i = 0; i < 5000; i++)
      table.upsert(unitState(`u${i}`, { lon: i / 100, kind: i % 2 ? 'military' : 'civilian' }));
    expect(table.size).toBe(5000);
    expect(table.get('u4321')).toMatchObject({ lon: 43.21, kind: 'military' });
    expect(table.get('u0')).toMatchObject({ lon: 0, kind: 'civilian' });
    expect(summarize(table)).toEqual({
      total: 5000,
      stale: 0,
      byKind: { military: 2500, police: 0, civilian: 2500 },
    });
  });

  it('clear() starts a new generation', () => {
    const table = new UnitTable();
    table.begin();
    table.upsert(unitState('a'));
    const generation = table.generation;
    table.clear();
    expect(table.generation).toBe(generation + 1);
    expect(table.size).toBe(0);
    expect(table.get('a')).toBeUndefined();
    expect(table.flags[0]! & LIVE).toBe(0);
  });
});

/** The decoder's path: a plain Map store without applyPacked. */
function mapStore(): StreamStore & { units: Map<string, UnitState> } {
  const units = new Map<string, UnitState>();
  return {
    units,
    applySnapshot: (snapshot) => {
      units.clear();
      for (const unit of snapshot.units) units.set(unit.id, unit);
    },
    applyDelta: (delta) => {
      for (const unit of delta.units.upsert) units.set(unit.id, unit);
      for (const id of delta.units.remove) units.delete(id);
    },
    get: (id) => units.get(id),
  };
}

describe('UnitStream.applyPacked through the live stream', () => {
  it('ends with the same units as the decoder path over 40 random deltas', () => {
    const next = random(7);
    const encoder = createPackedEncoder();
    const cursors = [0, 1].map(() => ({ epoch: null as string | null, seq: 0, lastMessageAt: null }));
    const fast = new UnitStream();
    const slow = mapStore();
    const sockets = [fakeSocket(), fakeSocket()];
    createLiveStream(streamStore(fast), cursors[0]!).attach(sockets[0]!.socket);
    createLiveStream(slow, cursors[1]!).attach(sockets[1]!.socket);

    const current = new Map<string, UnitState>();
    for (let i = 0; i < 200; i++) {
      const unit = unitState(`u${i}`, {
        lon: 106 + next(),
        lat: 22 + next(),
        kind: (['military', 'police', 'civilian'] as const)[i % 3],
      });
      current.set(unit.id, unit);
    }
    const first = unitsDelta(1, [...current.values()]);
    encoder.encode(first);
    const snapshot = encoder.snapshot(unitsSnapshot(1));
    for (const s of sockets) s.emit('snapshot', snapshot);

    let fastPathRecords = 0;
    for (let seq = 2; seq <= 41; seq++) {
      const upsert: UnitState[] = [];
      const remove: string[] = [];
      for (const unit of current.values()) {
        const roll = next();
        if (roll < 0.6) {
          const moved = {
            ...unit,
            lon: unit.lon + (next() - 0.5) * 1e-3,
            lat: unit.lat + (next() - 0.5) * 1e-3,
            t: T0 + seq * 1000,
            rx: T0 + seq * 1000 + 20,
            headingDeg: Math.floor(next() * 240) * 1.5,
          };
          current.set(unit.id, moved);
          upsert.push(moved);
        } else if (roll < 0.62) {
          const changed = { ...unit, stale: !unit.stale, t: T0 + seq * 1000, rx: T0 + seq * 1000 };
          current.set(unit.id, changed);
          upsert.push(changed);
        } else if (roll < 0.63) {
          current.delete(unit.id);
          remove.push(unit.id);
        }
      }
      const newcomer = unitState(`n${seq}`, {
        lon: 106.5,
        lat: 22.5,
        t: T0 + seq * 1000,
        rx: T0 + seq * 1000,
      });
      current.set(newcomer.id, newcomer);
      upsert.push(newcomer);
      const packed: PackedDelta = encoder.encode(unitsDelta(seq, upsert, remove));
      fastPathRecords += (packed.positions as Uint8Array).byteLength / 16;
      for (const s of sockets) s.emit('delta:packed', packed);
    }

    expect(fastPathRecords).toBeGreaterThan(1000);
    expect(sockets[0]!.resyncs).toEqual([]);
    expect(cursors[0]!.seq).toBe(41);
    expect(fast.table.size).toBe(slow.units.size);
    expect(fast.table.size).toBe(current.size);
    for (const [id, unit] of slow.units) expect(fast.get(id), id).toEqual(unit);
  });

  it('asks for a fresh snapshot when a record names an index it never got', () => {
    const encoder = createPackedEncoder();
    const fast = new UnitStream();
    const socket = fakeSocket();
    const cursor = { epoch: null as string | null, seq: 0, lastMessageAt: null };
    createLiveStream(streamStore(fast), cursor).attach(socket.socket);
    encoder.encode(unitsDelta(1, [unitState('a')]));
    // This client's snapshot predates unit a: its record cannot be placed.
    const empty: Snapshot & { unitIndex: [] } = {
      epoch: 'E',
      seq: 1,
      units: [],
      incidents: [],
      alerts: [],
      jointPatrols: [],
      layersVersion: 1,
      unitIndex: [],
    };
    socket.emit('snapshot', empty);
    socket.emit('delta:packed', encoder.encode(unitsDelta(2, [unitState('a', { lon: 107 })])));
    expect(socket.resyncs).toEqual([{ epoch: '', sinceSeq: 0 }]);
    expect(cursor.seq).toBe(1);
  });

  it('forgets cached indexes when a snapshot starts a new index table', () => {
    const fast = new UnitStream();
    const make = (ids: [number, string][], generation: number) => ({
      idOf: (index: number) => new Map(ids).get(index),
      generation,
    });
    fast.applySnapshot(unitsSnapshot(1, [unitState('a'), unitState('b')]));
    const record = (index: number, lon: number): PackedDelta => {
      const bytes = new Uint8Array(16);
      const view = new DataView(bytes.buffer);
      view.setUint16(0, index, true);
      view.setInt32(2, Math.round(lon * 1e7), true);
      view.setInt32(6, Math.round(22 * 1e7), true);
      view.setUint8(13, 0xff);
      view.setUint8(14, 0xff);
      view.setUint8(15, 0xff);
      return {
        epoch: 'E',
        seq: 2,
        baseT: T0,
        rxStepMs: 1,
        positions: bytes,
        meta: [],
        ids: [],
        remove: [],
        incidents: [],
        alerts: [],
        events: [],
      };
    };
    expect(fast.applyPacked(record(0, 107), make([[0, 'a']], 1))).toBe(true);
    expect(fast.get('a')?.lon).toBeCloseTo(107, 7);
    // Index 0 now names b: the cache from generation 1 must not send the record to a.
    expect(fast.applyPacked(record(0, 108), make([[0, 'b']], 2))).toBe(true);
    expect(fast.get('b')?.lon).toBeCloseTo(108, 7);
    expect(fast.get('a')?.lon).toBeCloseTo(107, 7);
  });
});
