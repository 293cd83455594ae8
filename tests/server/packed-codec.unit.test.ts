// The packed codec end to end without a network: server encoder → client decoder gives the JSON delta's units
// (positions to 1e-7°, far inside float32's ~1 m), 16 bytes a moved unit, meta whenever a record cannot say it.
import { describe, expect, it } from 'vitest';
import { createPackedDecoder } from '../../client/lib/net/packed-decoder';
import { type Delta, type PackedDelta, type Snapshot, type UnitState } from '../../server/contract';
import {
  decodePackedInto,
  PACKED_RECORD_BYTES,
  POSITION_STRIDE,
  readPackedPositions,
} from '../../server/packed-codec';
import { createPackedEncoder } from '../../server/realtime/packed-encoder';

const T0 = 1_750_000_000_000;

function unit(id: string, patch: Partial<UnitState> = {}): UnitState {
  return {
    id,
    kind: 'police',
    callsign: id.toUpperCase(),
    lon: 106.7123456789,
    lat: 21.9876543219,
    headingDeg: 87.3,
    speedMps: 1.37,
    accuracyMeters: 4.6,
    t: T0 - 400,
    rx: T0 - 20,
    gridId: 'g-1',
    sectorId: 's-1',
    segmentId: null,
    jointPatrolId: null,
    stale: false,
    ...patch,
  };
}

function delta(seq: number, upsert: UnitState[], remove: string[] = [], epoch = 'E1'): Delta {
  return { epoch, seq, units: { upsert, remove }, incidents: [], alerts: [], events: [] };
}

/** A client of the packed stream: the decoder plus a plain Map as its unit store. */
function packedClient() {
  const decoder = createPackedDecoder();
  const units = new Map<string, UnitState>();
  return {
    decoder,
    units,
    apply(packed: PackedDelta): Delta | null {
      const decoded = decoder.decode(packed, (id) => units.get(id));
      if (!decoded) return null;
      for (const u of decoded.units.upsert) units.set(u.id, u);
      for (const id of decoded.units.remove) units.delete(id);
      return decoded;
    },
  };
}

function headingGap(a: number, b: number): number {
  const d = Math.abs(a - b) % 360;
  return Math.min(d, 360 - d);
}

/** Equal to the JSON unit up to the documented wire precision of each field. */
function expectSameUnit(decoded: UnitState | undefined, json: UnitState, rxStepMs = 1): void {
  expect(decoded, json.id).toBeDefined();
  if (!decoded) return;
  const { lon, lat, headingDeg, speedMps, accuracyMeters, rx, ...exact } = json;
  expect(decoded).toMatchObject(exact);
  expect(Math.abs(decoded.lon - lon)).toBeLessThanOrEqual(0.5e-7 + 1e-12);
  expect(Math.abs(decoded.lat - lat)).toBeLessThanOrEqual(0.5e-7 + 1e-12);
  expect(Math.abs(decoded.rx - rx)).toBeLessThanOrEqual(rxStepMs / 2);
  if (headingDeg === null) expect(decoded.headingDeg).toBeNull();
  else expect(headingGap(decoded.headingDeg ?? NaN, headingDeg)).toBeLessThanOrEqual(0.75);
  if (speedMps === null) expect(decoded.speedMps).toBeNull();
  else expect(Math.abs((decoded.speedMps ?? NaN) - speedMps)).toBeLessThanOrEqual(0.125);
  if (accuracyMeters === null) expect(decoded.accuracyMeters).toBeNull();
  else expect(Math.abs((decoded.accuracyMeters ?? NaN) - accuracyMeters)).toBeLessThanOrEqual(0.5);
}

function expectSameUnits(decoded: Delta | null, json: Delta, rxStepMs = 1): void {
  expect(decoded).not.toBeNull();
  const byId = new Map(decoded?.units.upsert.map((u) => [u.id, u]));
  expect(byId.size).toBe(json.units.upsert.length);
  for (const u of json.units.upsert) expectSameUnit(byId.get(u.id), u, rxStepMs);
  expect(decoded?.units.remove).toEqual(json.units.remove);
}

/** A seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('packed record layout', () => {
  it('writes the documented 16 bytes, little-endian', () => {
    const encoder = createPackedEncoder();
    encoder.encode(delta(1, [unit('a')]));
    const packed = encoder.encode(
      delta(2, [
        unit('a', {
          lon: 106.7,
          lat: -21.5,
          t: T0 - 300,
          rx: T0,
          headingDeg: 90,
          speedMps: 2.5,
          accuracyMeters: 7,
        }),
      ]),
    );
    expect(packed.meta).toEqual([]);
    expect(packed).toMatchObject({ baseT: T0, rxStepMs: 1 });
    const bytes = Buffer.from(packed.positions as Uint8Array).toString('hex');
    // index 0 | lon 1067000000 | lat -215000000 | tOffset -300 | rxAge 0 | 90/1.5 | 2.5/0.25 | 7 m
    expect(bytes).toBe('0000' + 'c020993f' + '405c2ff3' + 'd4fe' + '00' + '3c' + '0a' + '07');
  });

  it('encodes null heading, speed and accuracy as 0xff', () => {
    const encoder = createPackedEncoder();
    encoder.encode(delta(1, [unit('a')]));
    const moved = unit('a', { headingDeg: null, speedMps: null, accuracyMeters: null, t: T0 });
    const packed = encoder.encode(delta(2, [moved]));
    expect(
      Buffer.from(packed.positions as Uint8Array)
        .subarray(13)
        .toString('hex'),
    ).toBe('ffffff');
    const seen: number[] = [];
    readPackedPositions(packed, (index, position) => {
      seen.push(index);
      expect(position).toMatchObject({ headingDeg: null, speedMps: null, accuracyMeters: null });
    });
    expect(seen).toEqual([0]);
  });
});

describe('packed record input', () => {
  it('reads a plain ArrayBuffer (browsers) and an unaligned Buffer slice (Node) alike', () => {
    const encoder = createPackedEncoder();
    encoder.encode(delta(1, [unit('a'), unit('b')]));
    const packed = encoder.encode(delta(2, [unit('a', { lon: 106.8 }), unit('b', { lat: -33.9 })]));
    const bytes = packed.positions as Uint8Array;
    const arrayBuffer = bytes.slice().buffer;
    const pool = Buffer.alloc(bytes.byteLength + 3);
    pool.set(bytes, 3);
    const read = (positions: ArrayBuffer | Uint8Array) => {
      const out: [number, number, number][] = [];
      readPackedPositions({ ...packed, positions }, (i, p) => out.push([i, p.lon, p.lat]));
      return out;
    };
    const expected = [
      [0, 106.8, 21.9876543],
      [1, 106.7123457, -33.9],
    ];
    expect(read(arrayBuffer)).toEqual(expected);
    expect(read(pool.subarray(3))).toEqual(expected);
  });
});

describe('packed deltas round trip', () => {
  it('decodes into the JSON delta units, 16 bytes a moved unit, over many random deltas', () => {
    const encoder = createPackedEncoder();
    const client = packedClient();
    const next = random(42);
    const ids = Array.from({ length: 300 }, (_, i) => `u-${i}`);
    const current = new Map<string, UnitState>();
    let packedUnits = 0;
    let bytes = 0;
    for (let seq = 1; seq <= 40; seq++) {
      const flushAt = T0 + seq * 100;
      const upsert = ids
        .filter(() => next() < 0.5)
        .map((id) => {
          const wide = id.endsWith('7'); // some units anywhere on the globe
          const moved = unit(id, {
            ...current.get(id),
            lon: wide ? next() * 360 - 180 : 106.6 + next() * 0.4,
            lat: wide ? next() * 180 - 90 : 21.8 + next() * 0.4,
            headingDeg: next() < 0.1 ? null : next() * 360,
            speedMps: next() < 0.1 ? null : next() * 40,
            accuracyMeters: next() < 0.1 ? null : next() * 100,
            t: flushAt - Math.floor(next() * 5_000),
            rx: flushAt - Math.floor(next() * 100),
            gridId: next() < 0.05 ? `g-${Math.floor(next() * 9)}` : (current.get(id)?.gridId ?? 'g-1'),
          });
          current.set(id, moved);
          return moved;
        });
      const json = delta(seq, upsert);
      const packed = encoder.encode(json);
      expect(packed.positions.byteLength).toBe((upsert.length - packed.meta.length) * PACKED_RECORD_BYTES);
      packedUnits += upsert.length - packed.meta.length;
      bytes += packed.positions.byteLength;
      expectSameUnits(client.apply(packed), json, packed.rxStepMs);
    }
    // After the first sight of each unit, nearly everything travels as records.
    expect(packedUnits).toBeGreaterThan(4_000);
    expect(bytes / packedUnits).toBe(PACKED_RECORD_BYTES);
    for (const [id, u] of current) expectSameUnit(client.units.get(id), u);
  });

  it('sends a unit in meta when it is new, when a field outside the record changed, or when a value does not fit', () => {
    const encoder = createPackedEncoder();
    const client = packedClient();
    const names = ['new', 'grid', 'stale', 'joint', 'fast', 'vague', 'old', 'plain'];
    const first = encoder.encode(
      delta(
        1,
        names.map((id) => unit(id)),
      ),
    );
    expect(first.meta.map((u) => u.id)).toEqual(names);
    expect(first.ids).toEqual(names.map((id, i) => [i, id]));
    expect(first.positions.byteLength).toBe(0);
    client.apply(first);

    const changed = [
      unit('grid', { gridId: 'g-2' }),
      unit('stale', { stale: true }),
      unit('joint', { jointPatrolId: 'jp-1' }),
      unit('fast', { speedMps: 70 }),
      unit('vague', { accuracyMeters: 300 }),
      unit('old', { t: T0 - 60_000 }),
      unit('plain', { lon: 106.8 }),
      unit('late', {}),
    ];
    const json = delta(2, changed);
    const packed = encoder.encode(json);
    expect(packed.meta.map((u) => u.id).sort()).toEqual(
      ['fast', 'grid', 'joint', 'late', 'old', 'stale', 'vague'].sort(),
    );
    expect(packed.ids).toEqual([[8, 'late']]);
    expect(packed.positions.byteLength).toBe(PACKED_RECORD_BYTES);
    expectSameUnits(client.apply(packed), json);
  });

  it('widens the rx step when a late flush spreads receive times past 254 ms', () => {
    const encoder = createPackedEncoder();
    const client = packedClient();
    const ids = Array.from({ length: 11 }, (_, i) => `u-${i}`);
    client.apply(
      encoder.encode(
        delta(
          1,
          ids.map((id) => unit(id)),
        ),
      ),
    );
    const json = delta(
      2,
      ids.map((id, i) => unit(id, { rx: T0 - i * 100, t: T0 - i * 100 - 7 })),
    );
    const packed = encoder.encode(json);
    expect(packed.meta).toEqual([]);
    expect(packed.rxStepMs).toBe(4);
    expectSameUnits(client.apply(packed), json, packed.rxStepMs);
    // the fix time stays exact whatever the rx step
    for (const u of json.units.upsert) expect(client.units.get(u.id)?.t).toBe(u.t);
  });

  it('keeps an index across a remove and a return, and starts over with a new epoch', () => {
    const encoder = createPackedEncoder();
    const client = packedClient();
    client.apply(encoder.encode(delta(1, [unit('a'), unit('b')])));
    const gone = encoder.encode(delta(2, [], ['a']));
    expect(gone.remove).toEqual(['a']);
    client.apply(gone);
    expect(client.units.has('a')).toBe(false);
    const back = encoder.encode(delta(3, [unit('a', { lon: 106.9 })]));
    expect(back.meta.map((u) => u.id)).toEqual(['a']); // the client holds no state for it
    expect(back.ids).toEqual([]); // but its index is still 0
    client.apply(back);
    const moved = encoder.encode(delta(4, [unit('a', { lon: 106.95 })]));
    expect(moved.meta).toEqual([]);
    expect(client.apply(moved)?.units.upsert[0]?.lon).toBeCloseTo(106.95, 7);

    const restarted = encoder.encode(delta(1, [unit('b')], [], 'E2'));
    expect(restarted.ids).toEqual([[0, 'b']]);
    expect(restarted.meta.map((u) => u.id)).toEqual(['b']);
  });
});

describe('joining and catching up', () => {
  const base = (epoch: string, seq: number, units: UnitState[]): Snapshot => ({
    epoch,
    seq,
    units,
    incidents: [],
    alerts: [],
    jointPatrols: [],
    layersVersion: 1,
  });

  it('gives a late joiner the published states and the index table, not the live state', () => {
    const encoder = createPackedEncoder();
    encoder.encode(delta(1, [unit('a'), unit('b', { gridId: 'g-1' })]));
    // The live state is ahead of the last delta: b moved to g-2 and back before the next flush.
    const live = [unit('a', { lon: 106.8 }), unit('b', { gridId: 'g-2' }), unit('c')];
    const snapshot = encoder.snapshot(base('E1', 1, live));
    expect(snapshot.seq).toBe(1);
    expect(snapshot.unitIndex).toEqual([
      [0, 'a'],
      [1, 'b'],
    ]);
    expect(snapshot.units.map((u) => [u.id, u.gridId])).toEqual([
      ['a', 'g-1'],
      ['b', 'g-1'],
    ]);

    const client = packedClient();
    client.decoder.reset(snapshot.unitIndex);
    for (const u of snapshot.units) client.units.set(u.id, u);
    const json = delta(2, [unit('a', { lon: 106.85 }), unit('b', { lat: 22.1 }), unit('c')]);
    expectSameUnits(client.apply(encoder.encode(json)), json);
  });

  it('before the first delta of an epoch, a packed snapshot holds no units', () => {
    const encoder = createPackedEncoder();
    const snapshot = encoder.snapshot(base('E9', 0, [unit('a')]));
    expect(snapshot).toMatchObject({ epoch: 'E9', seq: 0, units: [], unitIndex: [] });
  });

  it('cannot place a record whose index it missed, until a resync hands over the assignments', () => {
    const encoder = createPackedEncoder();
    const client = packedClient();
    client.apply(encoder.encode(delta(1, [unit('a')])));
    // Delta 2 (b's first appearance, with its index) is lost; the client resyncs from seq 1 with JSON.
    const missed = delta(2, [unit('b')]);
    encoder.encode(missed);
    const packed = encoder.encode(delta(3, [unit('b', { lon: 106.9 })]));
    expect(packed.meta).toEqual([]);
    expect(client.apply(packed)).toBeNull();

    expect(encoder.assignedSince(1)).toEqual([[1, 'b']]);
    expect(encoder.assignedSince(2)).toEqual([]);
    client.decoder.assign(encoder.assignedSince(1));
    for (const u of missed.units.upsert) client.units.set(u.id, u);
    expect(client.apply(packed)?.units.upsert[0]).toMatchObject({ id: 'b', kind: 'police' });
  });

  it('decodes records into position blocks as readPackedPositions reads them, at any byte offset', () => {
    const encoder = createPackedEncoder();
    const units = [
      unit('a'),
      unit('b', { lon: -73.9857123, lat: -40.7484321, headingDeg: null, speedMps: null }),
      unit('c', { accuracyMeters: null, headingDeg: 358.9, t: T0 - 30_000, rx: T0 - 700 }),
    ];
    encoder.encode(
      delta(
        1,
        units.map((u) => ({ ...u, lon: 0 })),
      ),
    );
    const packed = encoder.encode(delta(2, units));
    const wire = new Uint8Array(packed.positions as ArrayBuffer);
    expect(wire.byteLength).toBe(3 * PACKED_RECORD_BYTES);
    const expected: number[][] = [];
    readPackedPositions(packed, (index, p) =>
      expected.push([
        index,
        p.lon,
        p.lat,
        p.t,
        p.rx,
        p.headingDeg ?? NaN,
        p.speedMps ?? NaN,
        p.accuracyMeters ?? NaN,
      ]),
    );
    // The records as received (offset 0), and inside a larger message at an odd and an even offset, as a
    // Uint8Array or as the Node Buffer socket.io hands a Node client (whose slice() shares the memory).
    for (const [offset, asBuffer] of [
      [0, false],
      [1, false],
      [6, false],
      [1, true],
    ] as const) {
      const message = new Uint8Array(offset + wire.byteLength + 3);
      message.set(wire, offset);
      const records = asBuffer
        ? Buffer.from(message.buffer, offset, wire.byteLength)
        : message.subarray(offset, offset + wire.byteLength);
      const slotOf = new Int32Array(65_536).fill(-1);
      const positions = new Float64Array(8 * POSITION_STRIDE);
      const resolve = (index: number): number => (slotOf[index] = 7 - index);
      expect(decodePackedInto({ ...packed, positions: records }, slotOf, resolve, positions, 42)).toBe(true);
      for (const [index, ...fields] of expected) {
        const o = (7 - (index as number)) * POSITION_STRIDE;
        expect(Array.from(positions.subarray(o, o + POSITION_STRIDE))).toEqual([...fields, 42]);
      }
    }
    // A record whose index cannot be placed stops the decode.
    const none = new Int32Array(65_536).fill(-1);
    expect(decodePackedInto(packed, none, () => -1, new Float64Array(64), 1)).toBe(false);
  });
});
