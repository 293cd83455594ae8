// The units layer's pure parts: counts per cell, the WebGL instance buffer, the shader's Mercator series and
// origin matrix, and the symbol source's diffs from the unit table.
import { describe, expect, it } from 'vitest';
import { wgs84ToGcj02 } from '../../geo';
import { unitCollection, unitDiffSince, type DrawnIds } from '../../client/lib/map/unit-features';
import {
  EMPTY_STYLE,
  INSTANCE_FLOATS,
  InstancePacker,
  NO_HEADING,
  SHIFT_REUSE_DEGREES,
} from '../../client/lib/map/units/instance-buffer';
import {
  aggregateUnits,
  cellCollection,
  cellSize,
  sameCells,
} from '../../client/lib/map/units/unit-aggregation';
import { mercatorYOffset } from '../../client/lib/map/units/unit-shaders';
import { mercator, originMatrix } from '../../client/lib/map/units/units-gl-layer';
import { UnitTable } from '../../client/lib/state/unit-table';
import type { UnitState } from '../../server/contract';
import { random, unitState } from './support/units';

function tableOf(units: UnitState[]): UnitTable {
  const table = new UnitTable();
  table.begin();
  for (const unit of units) table.upsert(unit);
  return table;
}

describe('aggregateUnits', () => {
  it('counts by kind per cell, stale apart, at the mean position of the cell', () => {
    const size = { lon: 0.1, lat: 0.1 };
    const table = tableOf([
      unitState('a', { kind: 'military', lon: 106.01, lat: 22.01 }),
      unitState('b', { kind: 'police', lon: 106.03, lat: 22.05 }),
      unitState('c', { kind: 'police', lon: 106.05, lat: 22.09, stale: true }),
      unitState('d', { kind: 'civilian', lon: 106.15, lat: 22.01 }),
      unitState('e', { kind: 'civilian', lon: -0.05, lat: -0.05 }),
    ]);
    table.begin();
    table.remove('e');
    const cells = aggregateUnits(table, size);
    expect(cells).toHaveLength(2);
    const [first, second] = cells;
    expect(first).toMatchObject({ military: 1, police: 1, civilian: 0, stale: 1, total: 3 });
    expect(first?.lon).toBeCloseTo(106.03, 10);
    expect(first?.lat).toBeCloseTo(22.05, 10);
    expect(second).toMatchObject({ military: 0, police: 0, civilian: 1, stale: 0, total: 1, lon: 106.15 });
    expect(cellCollection(cells).features[0]?.properties).toEqual({
      military: 1,
      police: 1,
      civilian: 0,
      stale: 1,
      total: 3,
    });
  });

  it('puts every unit in exactly one cell, cells no wider than the cell size (50,000 units)', () => {
    const next = random(3);
    const units = Array.from({ length: 50_000 }, (_, i) =>
      unitState(`u${i}`, {
        lon: 105 + next() * 3,
        lat: 21 + next() * 2,
        kind: (['military', 'police', 'civilian'] as const)[i % 3],
      }),
    );
    const size = cellSize(8, 22);
    const cells = aggregateUnits(tableOf(units), size);
    expect(cells.reduce((n, c) => n + c.total, 0)).toBe(50_000);
    expect(cells.reduce((n, c) => n + c.military, 0)).toBe(16_667);
    // Each cell's mean lies in the cell of its members: recompute membership by key and compare counts.
    const byKey = new Map<string, number>();
    for (const u of units) {
      const key = `${Math.floor(u.lon / size.lon)},${Math.floor(u.lat / size.lat)}`;
      byKey.set(key, (byKey.get(key) ?? 0) + 1);
    }
    expect(cells.length).toBe(byKey.size);
    for (const cell of cells) {
      const key = `${Math.floor(cell.lon / size.lon)},${Math.floor(cell.lat / size.lat)}`;
      expect(byKey.get(key)).toBe(cell.total);
    }
  });

  it('counts the same when units span more cells than an array should hold (keyed cells)', () => {
    const size = { lon: 0.001, lat: 0.001 };
    const units = [
      unitState('w', { kind: 'military', lon: -170.0005, lat: -60.0005 }),
      unitState('e1', { kind: 'police', lon: 170.0001, lat: 60.0001 }),
      unitState('e2', { kind: 'civilian', lon: 170.0003, lat: 60.0003, stale: true }),
    ];
    const cells = aggregateUnits(tableOf(units), size);
    const byTotal = [...cells].sort((a, b) => a.total - b.total);
    expect(
      byTotal.map(({ military, police, civilian, stale, total }) => [
        military,
        police,
        civilian,
        stale,
        total,
      ]),
    ).toEqual([
      [1, 0, 0, 0, 1],
      [0, 1, 0, 1, 2],
    ]);
    expect(byTotal[1]?.lon).toBeCloseTo(170.0002, 10);
  });

  it('tells when cells changed enough to hand to the map again', () => {
    const cell = { lon: 106, lat: 22, military: 1, police: 2, civilian: 3, stale: 0, total: 6 };
    expect(sameCells([cell], [{ ...cell, lon: 106.0004 }], 0.001)).toBe(true);
    expect(sameCells([cell], [{ ...cell, lon: 106.002 }], 0.001)).toBe(false);
    expect(sameCells([cell], [{ ...cell, stale: 1, total: 7 }], 0.001)).toBe(false);
    expect(sameCells([cell], [], 0.001)).toBe(false);
  });

  it('sizes cells at about 120 px on screen, square in Mercator, changing only with the zoom level', () => {
    // At zoom 8 the world is 512·256 px: 120 px is 0.33°.
    expect(cellSize(8, 0).lon).toBeCloseTo((120 * 360) / (512 * 256), 12);
    expect(cellSize(8.9, 0)).toEqual(cellSize(8, 0));
    expect(cellSize(8, 60).lat).toBeCloseTo(cellSize(8, 60).lon * 0.5, 12);
  });
});

describe('InstancePacker', () => {
  it('writes [Δlon, Δlat, heading, kind + 4·stale] per slot and empties freed slots', () => {
    const table = tableOf([
      unitState('a', { kind: 'military', lon: 106.5, lat: 22.25, headingDeg: 45 }),
      unitState('b', { kind: 'civilian', lon: 106.4, lat: 22.0, headingDeg: null, stale: true }),
      unitState('c', { kind: 'police' }),
    ]);
    table.begin();
    table.remove('c');
    const packer = new InstancePacker();
    const count = packer.pack(table, { lon: 106, lat: 22 });
    expect(count).toBe(3);
    expect(packer.live).toBe(2);
    const row = (slot: number) =>
      Array.from(packer.data.subarray(slot * INSTANCE_FLOATS, (slot + 1) * INSTANCE_FLOATS));
    expect(row(0)).toEqual([0.5, 0.25, 45, 0]);
    expect(row(1)[0]).toBeCloseTo(0.4, 6);
    expect(row(1).slice(1)).toEqual([0, NO_HEADING, 2 + 4]);
    expect(row(2)[3]).toBe(EMPTY_STYLE);
  });

  it('keeps centimetres near the origin where absolute float32 degrees lose metres', () => {
    const lon = 106.123456789;
    const table = tableOf([unitState('a', { lon, lat: 22.0000001 })]);
    const packer = new InstancePacker();
    packer.pack(table, { lon: 106.12, lat: 22 });
    const error = Math.abs((packer.data[0] as number) + 106.12 - lon);
    expect(error).toBeLessThan(1e-9 * 10); // ≪ 1 mm
    expect(Math.abs(Math.fround(lon) - lon)).toBeGreaterThan(1e-6); // float32 absolute: ~0.3 m off
  });

  it('shifts to GCJ-02 when the basemap is GCJ-02, reusing a shift while the unit stays within ~200 m', () => {
    const table = tableOf([unitState('a', { lon: 106.75, lat: 22.05 })]);
    const packer = new InstancePacker();
    const origin = { lon: 106, lat: 22 };
    packer.pack(table, origin, true);
    const [gLon, gLat] = wgs84ToGcj02(106.75, 22.05);
    expect((packer.data[0] as number) + 106).toBeCloseTo(gLon, 6);
    expect((packer.data[1] as number) + 22).toBeCloseTo(gLat, 6);
    const moveTo = (lon: number, lat: number): [number, number] => {
      table.begin();
      table.setPosition(0, { ...unitState('a'), lon, lat });
      packer.pack(table, origin, true);
      const [exactLon, exactLat] = wgs84ToGcj02(lon, lat);
      return [(packer.data[0] as number) + 106 - exactLon, (packer.data[1] as number) + 22 - exactLat];
    };
    // Just inside the reuse distance: the old shift is off by well under half a metre (1e-5° ≈ 1.1 m).
    const near = moveTo(106.75 + SHIFT_REUSE_DEGREES * 0.95, 22.05 + SHIFT_REUSE_DEGREES * 0.5);
    expect(Math.abs(near[0])).toBeGreaterThan(1e-8);
    expect(Math.max(...near.map(Math.abs))).toBeLessThan(2e-6);
    // Beyond it: recomputed (float32 offsets keep it within a few millimetres).
    const far = moveTo(106.8, 22.1);
    expect(Math.max(...far.map(Math.abs))).toBeLessThan(5e-8);
  });
});

describe('the WebGL layer projection', () => {
  it("the shader's Mercator series matches the exact projection within 2e-9 of the world over ±1°", () => {
    for (const lat0 of [0, 22, 40, 60]) {
      for (let d = -1; d <= 1; d += 0.05) {
        const exact = mercator(0, lat0 + d)[1] - mercator(0, lat0)[1];
        // 2e-9 of the world is 0.02 px at zoom 14.
        expect(Math.abs(mercatorYOffset(d, lat0) - exact), `${lat0} ${d}`).toBeLessThan(2e-9);
      }
    }
    // ±5° (a whole province in view at zoom 6) stays under a hundredth of a pixel there (world 32,768 px).
    const far = Math.abs(mercatorYOffset(5, 22) - (mercator(0, 27)[1] - mercator(0, 22)[1]));
    expect(far * 32_768).toBeLessThan(0.01);
  });

  it('folds the origin into the matrix: offsets map where absolute Mercator coordinates would', () => {
    const main = [2, 0.1, 0, 0.01, -0.2, 3, 0, 0.02, 0, 0, 1, 0, 5, 7, 0, 1];
    const origin = { lon: 106.7, lat: 22.1 };
    const m = originMatrix(main, origin);
    const [ox, oy] = mercator(origin.lon, origin.lat);
    const apply = (mat: ArrayLike<number>, x: number, y: number) =>
      [0, 1, 3].map(
        (row) => (mat[row] as number) * x + (mat[4 + row] as number) * y + (mat[12 + row] as number),
      );
    const dx = 0.00001;
    const dy = -0.00002;
    const viaOffset = apply(m, dx, dy);
    const absolute = apply(main, ox + dx, oy + dy);
    viaOffset.forEach((value, i) => expect(value).toBeCloseTo(absolute[i] as number, 4));
  });
});

describe('symbol source diffs', () => {
  it('adds moved units, removes gone ones, and replaces a reused slot', () => {
    const table = tableOf([unitState('a'), unitState('b', { headingDeg: null, stale: true })]);
    const drawn: DrawnIds = new Map();
    const all = unitCollection(table, drawn);
    expect(all.features.map((f) => f.id)).toEqual(['a', 'b']);
    expect(all.features[1]?.properties).toMatchObject({
      icon: 'unit-police-stale',
      headingDeg: null,
      headingIcon: 'unit-heading-stale',
    });
    const drawnAt = table.version;
    expect(unitDiffSince(table, drawnAt, drawn)).toBeNull();

    table.begin();
    table.setPosition(table.slot('a') as number, { ...unitState('a'), lon: 107 });
    table.remove('b');
    table.upsert(unitState('c', { kind: 'military' }));
    const diff = unitDiffSince(table, drawnAt, drawn);
    expect(diff?.remove).toEqual(['b']);
    expect(diff?.add?.map((f) => [f.id, (f.geometry as GeoJSON.Point).coordinates[0]])).toEqual([
      ['a', 107],
      ['c', 106.75],
    ]);
    expect([...drawn.values()]).toEqual(['a', 'c']);
  });
});
