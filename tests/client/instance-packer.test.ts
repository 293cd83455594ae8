// The units layer's instance buffer packed incrementally: while the origin stays, a pack rewrites only the
// slots changed since the last one, and the buffer always equals a full pack of the same table.
import { describe, expect, it } from 'vitest';
import { INSTANCE_FLOATS, InstancePacker } from '../../client/lib/map/units/instance-buffer';
import { UnitTable } from '../../client/lib/state/unit-table';
import { random, unitState } from './support/units';

const ORIGIN = { lon: 106.8, lat: 22.1 };

/** What a packer that never packed before writes for this table. */
function fullPack(table: UnitTable, origin = ORIGIN, gcj02 = false): Float32Array {
  const fresh = new InstancePacker();
  const count = fresh.pack(table, origin, gcj02);
  return fresh.data.slice(0, count * INSTANCE_FLOATS);
}

const packed = (packer: InstancePacker): Float32Array => packer.data.slice(0, packer.count * INSTANCE_FLOATS);

/** The largest difference between two buffers of one length. */
function maxDifference(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

function tableOf(count: number): UnitTable {
  const table = new UnitTable();
  table.begin();
  for (let i = 0; i < count; i++)
    table.upsert(unitState(`u${i}`, { lon: 106.5 + i * 1e-4, lat: 22 + i * 1e-4, headingDeg: i % 360 }));
  return table;
}

describe('InstancePacker, incremental', () => {
  it('rewrites only the slots changed since the last pack, and ends equal to a full pack', () => {
    const table = tableOf(1000);
    const packer = new InstancePacker();
    packer.pack(table, ORIGIN);
    expect(packer.written).toBe(1000);

    table.begin();
    for (let i = 0; i < 10; i++) table.setPosition(i * 50, { ...unitState('x'), lon: 107 + i * 1e-3 });
    table.remove('u999');
    table.upsert(unitState('new', { kind: 'military', stale: true }));
    packer.pack(table, ORIGIN);
    // Ten moved, one freed (u999's slot, taken again by the newcomer): 11 slots.
    expect(packer.written).toBe(11);
    expect(packer.live).toBe(1000);
    expect(packed(packer)).toEqual(fullPack(table));

    // Nothing changed: nothing rewritten.
    packer.pack(table, ORIGIN);
    expect(packer.written).toBe(0);
    expect(packed(packer)).toEqual(fullPack(table));
  });

  it('packs every slot again when the origin moves, the table starts over or another table comes', () => {
    const table = tableOf(300);
    const packer = new InstancePacker();
    packer.pack(table, ORIGIN);
    const moved = { lon: 106.9, lat: 22.2 };
    packer.pack(table, moved);
    expect(packer.written).toBe(300);
    expect(packed(packer)).toEqual(fullPack(table, moved));

    table.clear();
    table.begin();
    table.upsert(unitState('only'));
    packer.pack(table, moved);
    expect(packer.written).toBe(1);
    expect(packer.count).toBe(1);
    expect(packed(packer)).toEqual(fullPack(table, moved));

    const other = tableOf(5);
    packer.pack(other, moved);
    expect(packer.written).toBe(5);
    expect(packed(packer)).toEqual(fullPack(other, moved));
  });

  it('stays equal to a full pack over random batches, past growth, in WGS-84 and GCJ-02', () => {
    // GCJ-02 shifts are reused while a unit stays within ~200 m: a fresh packer computes them where the unit
    // is now, so the two differ by up to ~0.15 m (1.5e-6°) there, and not at all in WGS-84.
    for (const gcj02 of [false, true]) {
      const next = random(gcj02 ? 11 : 5);
      const table = tableOf(700);
      const packer = new InstancePacker();
      let ids = 700;
      for (let round = 0; round < 40; round++) {
        table.begin();
        for (let slot = 0; slot < table.highWater; slot++) {
          const id = table.ids[slot];
          if (!id) continue;
          const roll = next();
          if (roll < 0.1) {
            // Some walk far enough for a new GCJ-02 shift, most a few metres.
            const step = next() < 0.2 ? 0.01 : 1e-5;
            const state = table.stateAt(slot);
            if (state) table.setPosition(slot, { ...state, lon: state.lon + step, lat: state.lat - step });
          } else if (roll < 0.105) table.remove(id);
          else if (roll < 0.11) table.upsert({ ...(table.get(id) ?? unitState(id)), stale: true });
        }
        // Newcomers, enough to grow the table past its capacity on the way.
        const capacity = table.capacity;
        for (let i = 0; i < 30; i++)
          table.upsert(unitState(`n${ids++}`, { lon: 106 + next(), lat: 22 + next() }));
        packer.pack(table, ORIGIN, gcj02);
        // The first pack writes everything; so does one past growth in GCJ-02 (new shift arrays).
        if (round > 0 && (!gcj02 || table.capacity === capacity))
          expect(packer.written).toBeLessThan(table.highWater / 4);
        expect(maxDifference(packed(packer), fullPack(table, ORIGIN, gcj02))).toBeLessThanOrEqual(
          gcj02 ? 2e-6 : 0,
        );
      }
      expect(table.capacity).toBeGreaterThan(1024);
    }
  });
});
